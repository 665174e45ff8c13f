"""Forms for cases, contact attempts and observations, and the factories that fill their choices."""
from __future__ import annotations

from typing import Callable

from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import (
    BooleanField, DateField, DateTimeLocalField, HiddenField, RadioField, SelectField, StringField, SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ecotool.auth.models import Person
from ecotool.auth.queries import staff_names
from ecotool.capture import definitions, deprivation, queries
from ecotool.capture.deprivation import Lookup
from ecotool.capture.models import Case
from ecotool.clock import EARLIEST, format_day, local_now, local_today
from ecotool.forms import NOT_NAMES_LABEL, Guarded, Plausible, SentOnce, Versioned, optional_int
from ecotool.framework.models import FrameworkVersion
from ecotool.services.models import Service
from ecotool.vocab import (
    QUINTILES, UNKNOWN, AgeBand, Answer, Channel, CloseReason, Kind, Level, LookupStatus, Outcome, Source,
)

_ENDS = {QUINTILES[0]: " (most deprived)", QUINTILES[-1]: " (least deprived)"}
QUINTILE_CHOICES = ([("", "Look it up from the postcode")] + [(str(q), f"{q}{_ENDS.get(q, '')}") for q in QUINTILES]
                    + [(UNKNOWN, UNKNOWN.title())])


class CaseForm(SentOnce):
    """A new case: no name, postcode or date of birth is ever kept."""

    service_id = SelectField("Service", coerce=int, validators=[InputRequired()])
    postcode = StringField(
        "Postcode (looked up, then forgotten)", validators=[Optional(), Length(max=10)],
        description="Typed once to find the deprivation quintile of her area. It is never saved.",
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    imd_quintile = SelectField("IMD quintile", choices=QUINTILE_CHOICES,
                               description="Only if there is no postcode, or it is not found; a postcode found "
                                           "takes precedence. 1 is the most deprived.")
    age_band = SelectField("Age band", choices=[("", "Choose…")] + AgeBand.choices(),
                           validators=[DataRequired("Choose an age band, or Unknown.")])
    first_time = RadioField("First-time mother", choices=Answer.choices(), default=Answer.UNKNOWN,
                            validators=[InputRequired()])
    language_support = RadioField("Needs language support", choices=Answer.choices(), default=Answer.UNKNOWN,
                                  validators=[InputRequired()])
    pathway_id = SelectField("Access pathway", coerce=optional_int,
                             validators=[InputRequired("Choose how she came to the service.")])
    referral_date = DateField("Referral date", default=local_today, validators=[InputRequired(), Plausible()],
                              description="The day the referral came in.")
    journey_stage = SelectField("Journey stage", validators=[DataRequired("Choose where she is now.")])
    submit = SubmitField("Create case")

    lookup: Callable[[str], Lookup]  # set by the view: postcode -> quintile
    looked_up: int | None = None  # the quintile found from the postcode, if any
    postcode_given = False

    def validate_postcode(self, field: StringField) -> None:
        """Look the postcode up, then blank it so no page ever sends it back."""
        typed = (field.data or "").strip()
        field.data, field.raw_data = "", []
        self.postcode_given = bool(typed)
        if not typed:
            return
        result = self.lookup(typed)
        if result.status == LookupStatus.FOUND:
            self.looked_up = result.quintile
            self.imd_quintile.data = str(result.quintile)
            self.imd_quintile.description = (f"Quintile {result.quintile} was found from the postcode; "
                                             "the postcode itself was not kept.")
        elif result.status == LookupStatus.INVALID:
            raise ValidationError("That is not a UK postcode. Type it again, or choose the quintile by hand below.")
        elif not self.imd_quintile.data:
            raise ValidationError("That postcode is not in the lookup table. Choose the quintile by hand below, "
                                  "or Unknown.")

    def validate_imd_quintile(self, field: SelectField) -> None:
        """A quintile is needed, by hand or from the postcode."""
        if not field.data and not self.postcode_given:
            raise ValidationError("Type her postcode, or choose the quintile (or Unknown).")

    def quintile(self) -> int | None:
        """The quintile to store: looked up, else chosen by hand; None for unknown."""
        if self.looked_up is not None:
            return self.looked_up
        return None if self.imd_quintile.data in (UNKNOWN, "") else int(self.imd_quintile.data)


class CaseUpdateForm(Versioned):
    """Journey stage and who supports her."""

    journey_stage = SelectField("Journey stage", validators=[DataRequired("Choose where she is now.")])
    supporter_id = SelectField("Peer supporter", coerce=int, validators=[InputRequired()],
                               description="Choose a colleague to hand the case over.")
    submit = SubmitField("Save changes")


class CloseCaseForm(Versioned):
    """Why the case is being closed."""

    reason = RadioField("Why is the case closing?", choices=CloseReason.choices(),
                        validators=[InputRequired("Choose why the case is closing.")])
    submit = SubmitField("Close the case")

    saved_as = {"reason": lambda case: case.close_reason}


class ContactAttemptForm(SentOnce):
    """Channel, outcome, when; and, if she was not reached, a note on why."""

    channel = RadioField("Channel", choices=Channel.choices(), validators=[InputRequired("Choose how you tried.")])
    outcome = RadioField("Outcome", choices=Outcome.choices(), validators=[InputRequired("Choose what happened.")])
    at = DateTimeLocalField("When", format="%Y-%m-%dT%H:%M", default=local_now,
                            validators=[InputRequired("Give the date and time.")],
                            description="Now, unless you are logging an earlier attempt.")
    note_domain_id = SelectField("What it was about", coerce=optional_int)
    note_kind = RadioField("Kind", choices=Kind.choices(), default=Kind.BARRIER, validators=[Optional()],
                           validate_choice=False)
    note_text = TextAreaField("Note (optional)", validators=[Length(max=2000), Guarded()],
                              description="Saved as an observation on this case. No names or numbers.")
    confirm_names = BooleanField(NOT_NAMES_LABEL)
    submit = SubmitField("Log attempt")

    def validate_at(self, field: DateTimeLocalField) -> None:
        """An attempt cannot be logged in the future."""
        if field.data and field.data > local_now().replace(second=59):
            raise ValidationError("The time cannot be in the future.")
        if field.data and field.data.date() < EARLIEST:
            raise ValidationError(f"Use a date from {format_day(EARLIEST)} on.")

    def validate_note_domain_id(self, field: SelectField) -> None:
        """A note needs a domain."""
        if (self.note_text.data or "").strip() and not field.data:
            raise ValidationError("Choose what the note is about, or leave the note empty.")

    def validate_note_text(self, field: TextAreaField) -> None:
        """A domain chosen without a note would be lost: say so."""
        if self.note_domain_id.data and not (field.data or "").strip():
            raise ValidationError("Write the note, or set 'What it was about' back to Choose….")


class ObservationForm(SentOnce):
    """A piece of context tagged with a framework domain of one level."""

    level = HiddenField()
    domain_id = RadioField("Domain", coerce=optional_int, validators=[InputRequired("Choose a domain.")])
    kind = RadioField("Kind", choices=Kind.choices(), default=Kind.BARRIER, validators=[InputRequired()])
    journey_stage = SelectField("Journey stage", validators=[DataRequired("Choose a journey stage.")])
    observed_on = DateField("Observed on", default=local_today, validators=[Optional(), Plausible()],
                            description="The day it happened or you heard it (today if left empty).")
    source = RadioField("Source", choices=Source.choices(), default=Source.CALL, validators=[InputRequired()])
    text = TextAreaField("What you noticed", validators=[DataRequired("Write what you noticed."), Length(max=2000),
                                                         Guarded()],
                         description="No names, addresses, postcodes, phone numbers or dates of birth.")
    confirm_names = BooleanField(NOT_NAMES_LABEL)
    shareable = BooleanField("May be quoted in commissioner reports", default=False,
                             description="Leave unticked unless the words could be read by anyone.")
    submit = SubmitField("Save observation")


class ObservationEditForm(Versioned):
    """Correct an observation: its kind, words, day and whether it may be quoted."""

    kind = RadioField("Kind", choices=Kind.choices(), validators=[InputRequired()])
    observed_on = DateField("Observed on", validators=[InputRequired("Give the day."), Plausible()])
    text = TextAreaField("What you noticed", validators=[DataRequired("Write what you noticed."), Length(max=2000),
                                                         Guarded()],
                         description="No names, addresses, postcodes, phone numbers or dates of birth.")
    confirm_names = BooleanField(NOT_NAMES_LABEL)
    shareable = BooleanField("May be quoted in commissioner reports",
                             description="Leave unticked unless the words could be read by anyone.")
    submit = SubmitField("Save changes")


class CaseloadFilterForm(FlaskForm):
    """Filters for the caseload (a GET form: nothing is changed)."""

    class Meta:
        csrf = False

    supporter = SelectField("Supporter", coerce=optional_int, validators=[Optional()])
    target = BooleanField("Target only")
    not_reached = BooleanField("Not yet reached")
    quiet = BooleanField(f"No contact for {definitions.QUIET_DAYS}+ days")
    submit = SubmitField("Filter")


def stage_choices(version: FrameworkVersion) -> list[tuple[str, str]]:
    """The framework's journey stages, after an empty first choice."""
    return [("", "Choose…")] + [(s["code"], s["name"]) for s in version.journey_stages]


def domain_groups(version: FrameworkVersion) -> dict[str, list[tuple[int, str]]]:
    """Domain choices grouped by level, closest to the mother first (micro, meso, macro)."""
    return {title: [(d.id, d.name) for d in domains]
            for title, domains in version.domains_by_level(Level.closest_first())}


def pathway_choices(services: list[Service], *, active_only: bool) -> list[tuple[int, str]]:
    """The services' pathways, each named with its service when there is more than one service."""
    return [(p.id, f"{p.name} ({s.name})" if len(services) > 1 else p.name)
            for s in services for p in s.pathways if p.active or not active_only]


def case_form(session: Session, services: list[Service], version: FrameworkVersion) -> CaseForm:
    """A new-case form offering these services, their active pathways and the framework's stages."""
    form = CaseForm(service_id=services[0].id)
    form.service_id.choices = [(s.id, s.name) for s in services]
    form.pathway_id.choices = [("", "Choose…")] + pathway_choices(services, active_only=True)
    form.journey_stage.choices = stage_choices(version)
    form.lookup = lambda typed: deprivation.lookup(session, typed)
    return form


def case_update_form(session: Session, case: Case, version: FrameworkVersion) -> CaseUpdateForm:
    """The stage and hand-over form of a case, offering its service's active supporters."""
    form = CaseUpdateForm(obj=case)
    form.journey_stage.choices = stage_choices(version)
    form.supporter_id.choices = [(p.id, p.display_name) for p in queries.supporters(session, case.service_id)]
    return form


def contact_form(session: Session, case: Case, version: FrameworkVersion, last_channel: str | None) -> ContactAttemptForm:
    """The contact-attempt form of a case, starting from the channel last used."""
    form = ContactAttemptForm(channel=last_channel)
    form.staff_names = staff_names(session, [case.service_id])
    form.note_domain_id.choices = {"": [("", "Choose…")], **domain_groups(version)}
    return form


def observation_form(
    session: Session, service: Service, case: Case | None, version: FrameworkVersion, level: Level,
) -> ObservationForm:
    """An observation form offering the domains of one level; about the service as a whole, the journey
    stage may be left out."""
    form = ObservationForm(level=level, journey_stage=case.journey_stage if case else None)
    form.domain_id.choices = [(d.id, d.name) for d in version.domains if d.level == level]
    form.journey_stage.choices = stage_choices(version)
    if case is None:
        form.journey_stage.validators = [Optional()]
        form.journey_stage.choices[0] = ("", "Not about one stage")
    form.staff_names = staff_names(session, [service.id])
    return form


def observation_edit_form(session: Session, observation) -> ObservationEditForm:
    """The correction form of an observation, filled with what it says now."""
    form = ObservationEditForm(obj=observation)
    form.staff_names = staff_names(session, [observation.service_id])
    return form


def caseload_filter_form(person: Person, args) -> CaseloadFilterForm:
    """The caseload's filters, read from the query string; a supervisor may pick a supervisee."""
    form = CaseloadFilterForm(args)
    people = [person] + list(person.supervisees)
    form.supporter.choices = [("", "Everyone")] + [(p.id, p.display_name) for p in people]
    form.validate()
    return form
