"""Forms for supervision: the dashboard's period, opening a session, its notes, observations raised in it and
comments, and the factories that fill them."""
from __future__ import annotations

from datetime import timedelta

from flask import request
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import (BooleanField, DateField, FieldList, RadioField, SelectField, SubmitField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ecotool.auth.models import Person
from ecotool.auth.queries import services_of, staff_names
from ecotool.capture.forms import domain_groups, stage_choices
from ecotool.capture.queries import cases_held_by
from ecotool.clock import local_today
from ecotool.forms import (
    NOT_NAMES_LABEL, CheckboxGroup, Chosen, Guarded, NotBefore, Plausible, SentOnce, Versioned, optional_int,
)
from ecotool.framework.models import FrameworkVersion
from ecotool.supervision import queries
from ecotool.supervision.models import SupervisionSession
from ecotool.supervision.operations import AGREED_LIMIT
from ecotool.vocab import Kind

# The period a supervisor looks at unless she picks another: the last four weeks, today included.
DEFAULT_DAYS = 28


def default_start():
    """The first day of the default period."""
    return local_today() - timedelta(days=DEFAULT_DAYS)


class PeriodForm(FlaskForm):
    """The dashboard's service and period (a GET form: nothing is changed)."""

    class Meta:
        csrf = False

    service_id = SelectField("Service", coerce=optional_int, validators=[Optional()])
    period_start = DateField("Work from", default=default_start, validators=[Optional(), Plausible()])
    period_end = DateField("to", default=local_today, validators=[Optional(), Plausible(), NotBefore("period_start")])
    submit = SubmitField("Show")


class SessionForm(SentOnce):
    """Who, when, and the period of work to look at."""

    service_id = SelectField("Service", coerce=int, validators=[InputRequired()])
    supervisee_ids = CheckboxGroup("Supervisees", coerce=int, validators=[Chosen("Choose at least one supervisee.")],
                                   description="Choose one for a one-to-one session, or several for a group.")
    held_on = DateField("Held on", default=local_today, validators=[InputRequired(), Plausible()],
                        description="Today or an earlier day.")
    period_start = DateField("Look at work from", default=default_start, validators=[InputRequired(), Plausible()])
    period_end = DateField("to", default=local_today, validators=[InputRequired(), Plausible(), NotBefore("period_start")],
                           description="On or before the day the session is held.")
    submit = SubmitField("Open session")

    def validate_period_end(self, field: DateField) -> None:
        """A session looks back at work done by the day it is held, never after it."""
        if field.data and self.held_on.data and field.data > self.held_on.data:
            raise ValidationError("The period cannot end after the day the session is held.")


class NotesForm(Versioned):
    """One note per prompt shown, whether each is for the supervisees to read, and the actions agreed."""

    notes = FieldList(TextAreaField("Note", validators=[Length(max=4000), Guarded()]))
    shared = FieldList(BooleanField("Show this note to the supervisee"))
    agreed = TextAreaField("Actions agreed", validators=[Length(max=AGREED_LIMIT), Guarded()],
                           description="What each person will do next. The supervisees see this once the session "
                                       "is closed.")
    confirm_names = BooleanField(NOT_NAMES_LABEL)
    submit = SubmitField("Save draft")

    posted: int | None = None  # how many notes came with the request, before the form was filled up
    expected = 0

    def meanwhile(self, record: SupervisionSession) -> list[tuple[str, str]]:
        """The notes and actions saved meanwhile that differ from what was typed."""
        changed = [(entry.label.text, prompt.note or "(empty)")
                   for entry, prompt in zip(self.notes, record.prompts) if (entry.data or "").strip() != (prompt.note or "")]
        if (self.agreed.data or "").strip() != (record.agreed or ""):
            changed.append((self.agreed.label.text, record.agreed or "(empty)"))
        return changed

    def validate_notes(self, field: FieldList) -> None:
        """A form from an older page (or a tampered one) must not overwrite notes it did not show."""
        if self.posted is not None and self.posted != self.expected:
            raise ValidationError("The notes do not match the prompts of this session; reload the page.")


class DiscardForm(FlaskForm):
    """Throw away a draft session."""

    submit = SubmitField("Discard this draft")


class RaisedObservationForm(SentOnce):
    """An observation brought up in a session: on a supervisee's case or about the service."""

    case_id = SelectField("About", coerce=optional_int, validators=[Optional()])
    domain_id = SelectField("Domain", coerce=optional_int, validators=[InputRequired("Choose a domain.")])
    kind = RadioField("Kind", choices=Kind.choices(), default=Kind.BARRIER, validators=[InputRequired()])
    journey_stage = SelectField("Journey stage", validators=[Optional()],
                                description="Needed for an observation about one case.")
    observed_on = DateField("Observed on", default=local_today, validators=[Optional(), Plausible()])
    text = TextAreaField("What was noticed", validators=[DataRequired("Write what was noticed."), Length(max=2000),
                                                         Guarded()],
                         description="No names, addresses, postcodes, phone numbers or dates of birth.")
    confirm_names = BooleanField(NOT_NAMES_LABEL)
    shareable = BooleanField("May be quoted in commissioner reports", default=False,
                             description="Leave unticked unless the words could be read by anyone.")
    submit = SubmitField("Save observation")


class CommentForm(SentOnce):
    """A supervisor's comment on an observation."""

    text = TextAreaField("Comment", validators=[DataRequired("Write the comment."), Length(max=2000), Guarded()],
                         description="Seen by the person who wrote the observation. No names or other details "
                                     "that identify a mother.")
    confirm_names = BooleanField(NOT_NAMES_LABEL)
    submit = SubmitField("Save comment")


def period_form(session: Session, supervisor: Person, args) -> PeriodForm:
    """The dashboard's period, read from the query string and checked."""
    form = PeriodForm(args)
    form.service_id.choices = [(s.id, s.name) for s in services_of(session, supervisor)]
    form.validate()
    return form


def session_form(session: Session, supervisor: Person) -> SessionForm:
    """A form to open a session in one of the supervisor's services, with her active supervisees."""
    form = SessionForm()
    form.service_id.choices = [(s.id, s.name) for s in services_of(session, supervisor)]
    form.supervisee_ids.choices = [(p.id, p.display_name) for p in queries.supervisees(session, supervisor)]
    return form


def notes_form(session: Session, record: SupervisionSession, **kwargs) -> NotesForm:
    """The notes form of a session, one numbered note (and sharing tick) per prompt shown."""
    form = NotesForm(**kwargs)
    if not form.is_submitted():
        form.read_at(record.version)
    form.expected = len(record.prompts)
    if form.is_submitted():
        form.posted = len(form.notes)
        # A tick that is not ticked is not sent at all, so the ticks that are sent cannot be read in order (one on
        # note 3 alone would land on note 1): each prompt's tick is read by its own number.
        form.shared.entries, form.shared.last_index = [], -1
        for number in range(form.expected):
            form.shared.append_entry(request.form.get(f"shared-{number}") not in (None, "", "false"))
    # One entry per prompt, so the page can always be drawn; a short post is refused by validate_notes.
    while len(form.notes) < form.expected:
        form.notes.append_entry(record.prompts[len(form.notes)].note or "")
    while len(form.shared) < form.expected:
        form.shared.append_entry(record.prompts[len(form.shared)].shared)
    form.colleagues = staff_names(session, [record.service_id])
    for number, (prompt, note, shared) in enumerate(zip(record.prompts, form.notes, form.shared), start=1):
        note.label.text = f"Note on prompt {number}"
        shared.label.text = f"Show note {number} to {_readers(record, prompt)}"
    return form


def _readers(record: SupervisionSession, prompt) -> str:
    """Who may read a shared note: the supervisee whose figures raised the prompt, else everyone in the session."""
    if prompt.supervisee is not None:
        return prompt.supervisee.display_name
    return "each supervisee" if record.is_group else record.supervisees[0].display_name


def raised_observation_form(session: Session, record: SupervisionSession, version: FrameworkVersion):
    """The form for an observation raised in a session: the supervisees' open cases, the framework's domains."""
    form = RaisedObservationForm()
    cases = cases_held_by(session, record.service_id, [p.id for p in record.supervisees])
    form.case_id.choices = [("", "The service as a whole")] + [
        (c.id, f"{c.reference} ({c.supporter.display_name})" if record.is_group else c.reference) for c in cases]
    form.domain_id.choices = {"": [("", "Choose…")], **domain_groups(version)}
    form.journey_stage.choices = stage_choices(version)
    form.colleagues = staff_names(session, [record.service_id])
    return form


def comment_form(session: Session, service_id: int) -> CommentForm:
    """A comment form; colleagues' names are allowed, a mother's details never."""
    form = CommentForm()
    form.colleagues = staff_names(session, [service_id])
    return form
