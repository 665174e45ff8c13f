"""The form that asks for a brief."""
from __future__ import annotations

from datetime import date, timedelta

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField
from wtforms.validators import InputRequired, ValidationError


class BriefForm(FlaskForm):
    """Service and period."""

    service_id = SelectField("Service", coerce=int, validators=[InputRequired()])
    period_start = DateField("From", default=lambda: date.today() - timedelta(days=365), validators=[InputRequired()])
    period_end = DateField("To", default=date.today, validators=[InputRequired()])
    submit = SubmitField("Create brief")

    def validate_period_end(self, field: DateField) -> None:
        """The period runs forwards."""
        if self.period_start.data and field.data and field.data < self.period_start.data:
            raise ValidationError("The end must be on or after the start.")
