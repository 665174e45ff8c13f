"""Forms for opening a supervision session and noting its prompts."""
from __future__ import annotations

from datetime import timedelta

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, FieldList, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from ecotool.capture.forms import NOT_NAMES_LABEL
from ecotool.capture.privacy import Guarded
from ecotool.clock import local_today
from ecotool.forms import CheckboxGroup, Chosen, NotBefore, Plausible


class SessionForm(FlaskForm):
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
