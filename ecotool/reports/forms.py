"""The form that asks for a brief, and the factory that fills its choices."""
from __future__ import annotations

from datetime import timedelta

from wtforms import DateField, SelectField, SubmitField
from wtforms.validators import InputRequired

from ecotool.clock import local_today
from ecotool.forms import CheckboxGroup, Chosen, NotBefore, Plausible, SentOnce
from ecotool.services.models import Service


class BriefForm(SentOnce):
    """Service and period."""

    service_id = SelectField("Service", coerce=int, validators=[InputRequired()])
    period_start = DateField("From", default=lambda: local_today() - timedelta(days=365),
                             validators=[InputRequired(), Plausible()])
    period_end = DateField("To", default=local_today, validators=[InputRequired(), Plausible(), NotBefore("period_start")])
    submit = SubmitField("Create brief")


class RegionForm(SentOnce):
    """Two or more services, compared over one period."""

    service_ids = CheckboxGroup("Services to compare", coerce=int, validators=[Chosen(
        "Choose two or more services to compare.", least=2)])
    period_start = DateField("From", default=lambda: local_today() - timedelta(days=365),
                             validators=[InputRequired(), Plausible()])
    period_end = DateField("To", default=local_today, validators=[InputRequired(), Plausible(), NotBefore("period_start")])
    submit = SubmitField("Create regional brief")


def region_form(services: list[Service]) -> RegionForm:
    """A regional brief form offering only these services (a commissioner's own)."""
    form = RegionForm(prefix="region")
    form.service_ids.choices = [(s.id, s.name) for s in services]
    return form


def brief_form(services: list[Service]) -> BriefForm:
    """A brief form offering these services."""
    form = BriefForm()
    form.service_id.choices = [(s.id, s.name) for s in services]
    return form
