"""Forms for cases, contact attempts and observations."""
from __future__ import annotations

from typing import Callable

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, DateField, DateTimeLocalField, HiddenField, RadioField, SelectField, StringField, SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ecotool.capture.deprivation import Lookup
from ecotool.capture.models import AGE_BANDS, CHANNELS, KINDS, OUTCOMES, SOURCES, YES_NO_UNKNOWN
from ecotool.capture.privacy import Guarded
from ecotool.clock import local_now, local_today
from ecotool.forms import EARLIEST, Plausible, optional_int

QUINTILE_CHOICES = [("", "Look it up from the postcode"), ("1", "1 (most deprived)"), ("2", "2"), ("3", "3"),
                    ("4", "4"), ("5", "5 (least deprived)"), ("unknown", "Unknown")]
NOT_NAMES_LABEL = "These are not people's names: save as written"


def pairs(values: tuple[str, ...]) -> list[tuple[str, str]]:
    """Choices whose label is the value with a capital letter."""
    return [(v, v[0].upper() + v[1:]) for v in values]


class CaseForm(FlaskForm):
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
    age_band = SelectField("Age band", choices=[("", "Choose…")] + pairs(AGE_BANDS),
                           validators=[DataRequired("Choose an age band, or Unknown.")])
    first_time = RadioField("First-time mother", choices=pairs(YES_NO_UNKNOWN), default="unknown",
                            validators=[InputRequired()])
    language_support = RadioField("Needs language support", choices=pairs(YES_NO_UNKNOWN), default="unknown",
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
        if result.status == "found":
            self.looked_up = result.quintile
            self.imd_quintile.data = str(result.quintile)
            self.imd_quintile.description = (f"Quintile {result.quintile} was found from the postcode; "
                                             "the postcode itself was not kept.")
        elif result.status == "invalid":
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
        return None if self.imd_quintile.data in ("unknown", "") else int(self.imd_quintile.data)


class CaseUpdateForm(FlaskForm):
    """Journey stage, open or closed, and who supports her."""

    journey_stage = SelectField("Journey stage", validators=[DataRequired("Choose where she is now.")])
    supporter_id = SelectField("Peer supporter", coerce=int, validators=[InputRequired()],
                               description="Choose a colleague to hand the case over.")
    status = RadioField("Case", choices=[("open", "Open"), ("closed", "Closed")], validators=[InputRequired()])
    submit = SubmitField("Save changes")


class ContactAttemptForm(FlaskForm):
    """Channel, outcome, when; and, if she was not reached, a note on why."""

    channel = RadioField("Channel", choices=pairs(CHANNELS), validators=[InputRequired("Choose how you tried.")])
    outcome = RadioField("Outcome", choices=pairs(OUTCOMES), validators=[InputRequired("Choose what happened.")])
    at = DateTimeLocalField("When", format="%Y-%m-%dT%H:%M", default=local_now,
                            validators=[InputRequired("Give the date and time.")],
                            description="Now, unless you are logging an earlier attempt.")
    note_domain_id = SelectField("What it was about", coerce=optional_int)
    note_kind = RadioField("Kind", choices=pairs(KINDS), default="barrier", validators=[Optional()], validate_choice=False)
    note_text = TextAreaField("Note (optional)", validators=[Length(max=2000), Guarded()],
                              description="Saved as an observation on this case. No names or numbers.")
    confirm_names = BooleanField(NOT_NAMES_LABEL)
    submit = SubmitField("Log attempt")

    def validate_at(self, field: DateTimeLocalField) -> None:
        """An attempt cannot be logged in the future."""
        if field.data and field.data > local_now().replace(second=59):
            raise ValidationError("The time cannot be in the future.")
        if field.data and field.data.date() < EARLIEST:
            raise ValidationError("Use a date from 01 Jan 2000 on.")

    def validate_note_domain_id(self, field: SelectField) -> None:
        """A note needs a domain."""
        if (self.note_text.data or "").strip() and not field.data:
            raise ValidationError("Choose what the note is about, or leave the note empty.")

    def validate_note_text(self, field: TextAreaField) -> None:
        """A domain chosen without a note would be lost: say so."""
        if self.note_domain_id.data and not (field.data or "").strip():
            raise ValidationError("Write the note, or set 'What it was about' back to Choose….")


class ObservationForm(FlaskForm):
    """A piece of context tagged with a framework domain of one level."""

    level = HiddenField()
    domain_id = RadioField("Domain", coerce=optional_int, validators=[InputRequired("Choose a domain.")])
    kind = RadioField("Kind", choices=pairs(KINDS), default="barrier", validators=[InputRequired()])
    journey_stage = SelectField("Journey stage", validators=[DataRequired("Choose a journey stage.")])
    source = RadioField("Source", choices=pairs(SOURCES), default="call", validators=[InputRequired()])
    text = TextAreaField("What you noticed", validators=[DataRequired("Write what you noticed."), Length(max=2000),
                                                         Guarded()],
                         description="No names, addresses, postcodes, phone numbers or dates of birth.")
    confirm_names = BooleanField(NOT_NAMES_LABEL)
    shareable = BooleanField("May be quoted in commissioner reports", default=False,
                             description="Leave unticked unless the words could be read by anyone.")
    submit = SubmitField("Save observation")


class CaseloadFilterForm(FlaskForm):
    """Filters for the caseload (a GET form: nothing is changed)."""

    class Meta:
        csrf = False

    supporter = SelectField("Supporter", coerce=optional_int, validators=[Optional()])
    target = BooleanField("Target only")
    not_reached = BooleanField("Not yet reached")
    quiet = BooleanField("No contact for 14+ days")
    submit = SubmitField("Filter")
