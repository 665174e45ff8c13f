"""The decision form, the recurring-barriers form, and the factories that fill and pre-fill them."""
from __future__ import annotations

from datetime import date, timedelta

from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ecotool.auth.access import LARGEST_ID
from ecotool.auth.queries import staff_names
from ecotool.capture.forms import pathway_choices
from ecotool.clock import local_today
from ecotool.decisions.queries import RecurringBarrier
from ecotool.forms import (CheckboxGroup, Chosen, Guarded, NOT_NAMES_LABEL, NotBefore, Plausible, SentOnce,
                           optional_int)
from ecotool.framework.models import Domain, FrameworkVersion
from ecotool.services.models import Service
from ecotool.supervision.indicators import times
from ecotool.vocab import DecisionStatus


class IdList(HiddenField):
    """Ids carried through a page as "3,7,12"; anything else is an error on the field."""

    def _value(self) -> str:
        return ",".join(str(i) for i in self.data or [])

    def process_formdata(self, valuelist: list[str]) -> None:
        """Read "3,7,12" into [3, 7, 12] (empty: no ids)."""
        text = valuelist[0].strip() if valuelist else ""
        parts = text.split(",") if text else []
        self.data = []
        if not all(part.isdecimal() and 1 <= int(part) <= LARGEST_ID for part in parts):
            raise ValueError("These observations could not be read: start the draft again.")
        self.data = [int(part) for part in parts]


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
    observation_ids = IdList()  # the barrier observations a draft was made from
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


def suggested_responses(version: FrameworkVersion, domain: Domain) -> list[dict[str, str]]:
    """The response types the framework suggests for a domain, in the domain's order."""
    types = {r["code"]: r for r in version.response_types}
    return [types[code] for code in domain.responses if code in types]


def _months(start: date, end: date) -> str:
    """A period in words the privacy guard lets through (a full date could be a birthday): "in November 2026",
    "from September to November 2026", "from December 2025 to February 2026"."""
    if (start.year, start.month) == (end.year, end.month):
        return f"in {end:%B %Y}"
    return f"from {start:%B} to {end:%B %Y}" if start.year == end.year else f"from {start:%B %Y} to {end:%B %Y}"


def draft_from(form: DecisionForm, found: RecurringBarrier, service: Service, start: date, end: date) -> None:
    """Pre-fill a decision form from a recurring barrier: its service and domain, a proposal whose reason
    gives the figures, the first response the framework suggests, and the observations behind it."""
    cases = "1 case" if found.cases == 1 else f"{found.cases} cases"
    about_service = found.barriers.about_service
    form.service_id.data = service.id
    form.domain_ids.data = [found.domain.id]
    form.rationale.data = (
        f"Recorded as a barrier in {cases} ({found.target_cases} of them target cases) {_months(start, end)}"
        + (f", and {times(about_service)} about the service as a whole." if about_service else ".")
    )
    form.status.data = DecisionStatus.PROPOSED
    form.response_type.data = found.domain.responses[0] if found.domain.responses else ""
    form.observation_ids.data = found.observation_ids


class RecurringForm(FlaskForm):
    """Which service and period to look at for recurring barriers (a GET form: nothing is changed)."""

    class Meta:
        csrf = False

    service_id = SelectField("Service", coerce=int)
    period_start = DateField("From", default=lambda: local_today() - timedelta(days=90),
                             validators=[Plausible()])
    # No "required" check: a date left out of the query string keeps its default, an empty one is not a date.
    period_end = DateField("To", default=local_today, validators=[Plausible(), NotBefore("period_start")])


def recurring_form(services: list[Service], args) -> RecurringForm:
    """The service and period, read from the query string; the first service and the last 90 days when not given."""
    form = RecurringForm(args, service_id=services[0].id)
    form.service_id.choices = [(s.id, s.name) for s in services]
    return form
