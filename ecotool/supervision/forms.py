"""Forms for opening a supervision session and noting its prompts, and the factories that fill them."""
from __future__ import annotations

from datetime import timedelta

from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import BooleanField, DateField, FieldList, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from ecotool.auth.models import Person
from ecotool.auth.queries import services_of, staff_names
from ecotool.clock import local_today
from ecotool.forms import CheckboxGroup, Chosen, Guarded, NOT_NAMES_LABEL, NotBefore, Plausible, SentOnce
from ecotool.supervision import queries
from ecotool.supervision.models import SupervisionSession


class SessionForm(SentOnce):
    """Who, when, and the period of work to look at."""

    service_id = SelectField("Service", coerce=int, validators=[InputRequired()])
    supervisee_ids = CheckboxGroup("Supervisees", coerce=int, validators=[Chosen("Choose at least one supervisee.")])
    held_on = DateField("Held on", default=local_today, validators=[InputRequired(), Plausible(days_ahead=366)])
    period_start = DateField("Look at work from", default=lambda: local_today() - timedelta(days=28),
                             validators=[InputRequired(), Plausible()])
    period_end = DateField("to", default=local_today, validators=[InputRequired(), Plausible(), NotBefore("period_start")])
    submit = SubmitField("Open session")


class NotesForm(FlaskForm):
    """One note per prompt shown, saved together so no typed note is lost."""

    notes = FieldList(TextAreaField("Note", validators=[Length(max=4000), Guarded()]))
    confirm_names = BooleanField(NOT_NAMES_LABEL)
    submit = SubmitField("Save notes")

    posted: int | None = None  # how many notes came with the request, before the form was filled up
    expected = 0

    def validate_notes(self, field: FieldList) -> None:
        """A form from an older page (or a tampered one) must not overwrite notes it did not show."""
        if self.posted is not None and self.posted != self.expected:
            raise ValidationError("The notes do not match the prompts of this session; reload the page.")


def session_form(session: Session, supervisor: Person) -> SessionForm:
    """A form to open a session in one of the supervisor's services, with her active supervisees."""
    form = SessionForm()
    form.service_id.choices = [(s.id, s.name) for s in services_of(session, supervisor)]
    form.supervisee_ids.choices = [(p.id, p.display_name) for p in queries.supervisees(session, supervisor)]
    return form


def notes_form(session: Session, record: SupervisionSession, **kwargs) -> NotesForm:
    """The notes form of a session, one numbered note per prompt shown."""
    form = NotesForm(**kwargs)
    form.expected = len(record.prompts)
    if form.is_submitted():
        form.posted = len(form.notes)
    # One entry per prompt, so the page can always be drawn; a short post is refused by validate_notes.
    while len(form.notes) < form.expected:
        form.notes.append_entry(record.prompts[len(form.notes)].note or "")
    form.colleagues = staff_names(session, [record.service_id])
    for number, entry in enumerate(form.notes, start=1):
        entry.label.text = f"Note on prompt {number}"
    return form
