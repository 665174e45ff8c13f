"""The decision form and the factory that fills its choices."""
from __future__ import annotations

from sqlalchemy.orm import Session
from wtforms import BooleanField, DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ecotool.auth.queries import staff_names
from ecotool.capture.forms import pathway_choices
from ecotool.clock import local_today
from ecotool.forms import (CheckboxGroup, Chosen, Guarded, NOT_NAMES_LABEL, NotBefore, Plausible, SentOnce,
                           optional_int)
from ecotool.framework.models import FrameworkVersion
from ecotool.services.models import Service
from ecotool.vocab import DecisionStatus


class DecisionForm(SentOnce):
    """What changes, why, for whom, from when."""

    service_id = SelectField("Service", coerce=int, validators=[InputRequired()])
    title = StringField("What changes", validators=[DataRequired(), Length(max=200), Guarded()],
                        description="e.g. Offer text first, call in the evening")
    rationale = TextAreaField("Why", validators=[DataRequired(), Length(max=4000), Guarded()],
                              description="The barrier you saw and how often.")
    domain_ids = CheckboxGroup("Barrier domains", coerce=int, validators=[Chosen("Choose at least one barrier domain.")])
    response_type = SelectField("Response type", validators=[DataRequired()])
    target_group = SelectField("Aimed at", validators=[DataRequired()])
    pathway_id = SelectField("Pathway affected", coerce=optional_int, validators=[Optional()])
    start_date = DateField("Start date", default=local_today, validators=[InputRequired(), Plausible(days_ahead=366)])
    review_date = DateField("Review date", validators=[Optional(), Plausible(days_ahead=3 * 366),
                                                       NotBefore("start_date", "The review date cannot be before the start date.")])
    status = SelectField("Status", choices=DecisionStatus.choices(), default=DecisionStatus.PROPOSED)
    confirm_names = BooleanField(NOT_NAMES_LABEL)
    submit = SubmitField("Record decision")


def decision_form(session: Session, services: list[Service], version: FrameworkVersion) -> DecisionForm:
    """A decision form offering these services, the framework's domains, responses and target groups."""
    form = DecisionForm()
    form.colleagues = staff_names(session, [s.id for s in services])
    form.service_id.choices = [(s.id, s.name) for s in services]
    form.domain_ids.choices = [(d.id, d.name) for d in version.domains]
    form.response_type.choices = [("", "Choose…")] + [(r["code"], r["name"]) for r in version.response_types]
    form.target_group.choices = [("", "Choose…")] + [(g["code"], g["name"]) for g in version.target_groups]
    # A decision may be about a pathway that has since closed, so every pathway is offered.
    form.pathway_id.choices = [("", "None in particular")] + pathway_choices(services, active_only=False)
    return form


def domain_groups(version: FrameworkVersion) -> list[tuple[str, list[int]]]:
    """The domain checkboxes grouped by level, as (title, domain ids)."""
    return [(title, [d.id for d in domains]) for title, domains in version.domains_by_level()]
