"""The form that asks for a brief."""
from __future__ import annotations

from datetime import timedelta

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField
from wtforms.validators import InputRequired

from ecotool.clock import local_today
from ecotool.forms import NotBefore, Plausible


class BriefForm(FlaskForm):
    """Service and period."""

    service_id = SelectField("Service", coerce=int, validators=[InputRequired()])
    period_start = DateField("From", default=lambda: local_today() - timedelta(days=365),
                             validators=[InputRequired(), Plausible()])
    period_end = DateField("To", default=local_today, validators=[InputRequired(), Plausible(), NotBefore("period_start")])
    submit = SubmitField("Create brief")
