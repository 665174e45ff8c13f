"""Forms for opening a supervision session and noting a prompt."""
from __future__ import annotations

from datetime import date, timedelta

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, SubmitField, TextAreaField, widgets
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError


class SessionForm(FlaskForm):
    """Who, when, and the period of work to look at."""

    service_id = SelectField("Service", coerce=int, validators=[InputRequired()])
    supervisee_ids = SelectMultipleField(
        "Supervisees", coerce=int, validators=[DataRequired(message="Choose at least one supervisee.")],
        widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput(),
    )
    held_on = DateField("Held on", default=date.today, validators=[InputRequired()])
    period_start = DateField("Look at work from", default=lambda: date.today() - timedelta(days=28),
                             validators=[InputRequired()])
    period_end = DateField("to", default=date.today, validators=[InputRequired()])
    submit = SubmitField("Open session")

    def validate_period_end(self, field: DateField) -> None:
        """The period runs forwards."""
        if self.period_start.data and field.data and field.data < self.period_start.data:
            raise ValidationError("The end must be on or after the start.")


class NoteForm(FlaskForm):
    """A note against one prompt."""

    note = TextAreaField("Note", validators=[DataRequired(), Length(max=4000)])
    submit = SubmitField("Save note")
