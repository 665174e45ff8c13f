"""The decision form, the recurring-barriers form, and the factories that fill and pre-fill them."""
from __future__ import annotations

from datetime import date, timedelta

from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import (BooleanField, DateField, IntegerField, RadioField, SelectField, StringField,
                     SubmitField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ecotool.auth.queries import staff_names
from ecotool.capture.forms import pathway_choices
from ecotool.clock import local_today
from ecotool.decisions.models import DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS, MIN_WINDOW_DAYS, Decision
from ecotool.decisions.operations import FIRST, NEXT, REASON_LENGTH
from ecotool.decisions.queries import RecurringBarrier
from ecotool.forms import (
    NOT_NAMES_LABEL, CheckboxGroup, Chosen, Guarded, NotBefore, Plausible, SentOnce, Versioned, optional_int,
)
from ecotool.capture.models import Observation
from ecotool.framework.models import Domain, FrameworkVersion
from ecotool.services.models import Service
from ecotool.supervision.indicators import times
from ecotool.vocab import DecisionStatus, Level, ReviewOutcome


class DecisionForm(SentOnce, Versioned):
    """What changes, why, for whom, from when, and how its effect is measured."""

    service_id = SelectField("Service", coerce=int, validators=[InputRequired()])
    title = StringField("What changes", validators=[DataRequired(), Length(max=200), Guarded()],
                        description="e.g. Offer text first, call in the evening")
    rationale = TextAreaField("Why", validators=[DataRequired(), Length(max=4000), Guarded()],
                              description="The barrier you saw and how often.")
    domain_ids = CheckboxGroup("Barrier domains it answers", coerce=int,
                               validators=[Chosen("Choose at least one barrier domain.")])
    response_type = SelectField("Response type", validators=[DataRequired()])
    target_group = SelectField("Aimed at", validators=[DataRequired()])
    pathway_id = SelectField("Pathway affected", coerce=optional_int, validators=[Optional()])
    pathway_only = BooleanField("Measure its effect on this pathway's cases only",
                                description="Leave unticked to compare every case of the service.")
    decided_on = DateField("Decided on", default=local_today, validators=[Optional(), Plausible()],
                           description="Today if left empty.")
    start_date = DateField("Start date", default=local_today, validators=[InputRequired(), Plausible(days_ahead=366)])
    review_date = DateField("Review date", validators=[Optional(), Plausible(days_ahead=3 * 366),
                                                       NotBefore("start_date", "The review date cannot be before the start date.")])
    window_days = IntegerField(
        "Days before and after the start to compare", default=DEFAULT_WINDOW_DAYS,
        validators=[Optional(), NumberRange(MIN_WINDOW_DAYS, MAX_WINDOW_DAYS,
                                                 f"Use {MIN_WINDOW_DAYS} to {MAX_WINDOW_DAYS} days.")],
        description="Women referred this many days before the start are compared with as many from it.")
    status = SelectField("Status", choices=[(s.value, s.label) for s in FIRST], default=DecisionStatus.PROPOSED)
    observation_ids = CheckboxGroup("Observations it answers", coerce=int, validators=[Optional()],
                                    description="Tick those this decision answers: its page shows them as its evidence.")
    confirm_names = BooleanField(NOT_NAMES_LABEL)
    submit = SubmitField("Record decision")

    saved_as = {"domain_ids": lambda decision: sorted(d.id for d in decision.domains)}


def decision_form(session: Session, services: list[Service], version: FrameworkVersion,
                  decision: Decision | None = None, offered: list[Observation] | None = None) -> DecisionForm:
    """A decision form offering these services, the framework's domains, responses and target groups, and the
    barrier observations `offered` to link (none ticked); editing `decision`, it starts from its fields and has
    no service, status or observations to choose."""
    form = DecisionForm(obj=decision) if decision is not None else DecisionForm()
    form.observation_ids.choices = [(o.id, o.text) for o in offered or []]
    form.colleagues = staff_names(session, [s.id for s in services])
    form.service_id.choices = [(s.id, s.name) for s in services]
    form.domain_ids.choices = [(d.id, d.name) for d in version.domains]
    form.response_type.choices = [("", "Choose…")] + [(r["code"], r["name"]) for r in version.response_types]
    form.target_group.choices = [("", "Choose…")] + [(g["code"], g["name"]) for g in version.target_groups]
    # A decision may be about a pathway that has since closed, so every pathway is offered.
    form.pathway_id.choices = [("", "None in particular")] + pathway_choices(services, active_only=False)
    if decision is not None:
        del form.service_id, form.status, form.observation_ids
        if not form.is_submitted():
            form.domain_ids.data = [d.id for d in decision.domains]
        form.submit.label.text = "Save changes"
    return form


FIELDS = ("title", "rationale", "response_type", "target_group", "domain_ids", "start_date", "review_date",
          "pathway_id", "pathway_only", "decided_on")


def decision_fields(form: DecisionForm) -> dict:
    """What a decision form says about the decision itself, as recording and editing one both take it (a window
    left empty is the default length)."""
    return {**{name: form[name].data for name in FIELDS},
            "window_days": form.window_days.data or DEFAULT_WINDOW_DAYS}


class StatusForm(Versioned):
    """Move a decision on in its life, saying why."""

    status = SelectField("Move it to")
    reason = TextAreaField("Why", validators=[DataRequired(), Length(max=REASON_LENGTH), Guarded()],
                           description="A few words the team will read later.")
    stopped_on = DateField("Stopped on", validators=[Optional(), Plausible()],
                           description="Only when stopping it: the first day it was no longer in effect (today if "
                                       "left empty).")
    confirm_names = BooleanField(NOT_NAMES_LABEL)
    submit = SubmitField("Save")

    def meanwhile(self, record: Decision) -> list[tuple[str, str]]:
        """Whatever was saved meanwhile, the status it has now decides what may come next."""
        return [("Status now", DecisionStatus(record.status).label)]


def status_form(session: Session, decision: Decision, to: str | None) -> StatusForm:
    """The lifecycle form, offering the statuses it may move to next (`to` chosen when given and allowed)."""
    form = StatusForm()
    if not form.is_submitted():
        form.read_at(decision.version)
    form.colleagues = staff_names(session, [decision.service_id])
    choices = NEXT[DecisionStatus(decision.status)]
    form.status.choices = [(s.value, s.label) for s in choices]
    if not form.is_submitted() and to in choices:
        form.status.data = to
    return form


class ReviewForm(Versioned):
    """Review a decision: what its effect shows now, and whether to keep, change or stop it."""

    outcome = RadioField("Outcome", choices=ReviewOutcome.choices(), validators=[InputRequired("Choose an outcome.")])
    reason = TextAreaField("Why", validators=[DataRequired(), Length(max=REASON_LENGTH), Guarded()],
                           description="What the team saw, in a few words.")
    next_review = DateField("Next review", validators=[Optional(), Plausible(days_ahead=3 * 366)],
                            description="If it goes on: when to look again.")
    confirm_names = BooleanField(NOT_NAMES_LABEL)
    submit = SubmitField("Record the review")

    meanwhile = StatusForm.meanwhile


def review_form(session: Session, decision: Decision) -> ReviewForm:
    """The review form for a decision."""
    form = ReviewForm()
    if not form.is_submitted():
        form.read_at(decision.version)
    form.colleagues = staff_names(session, [decision.service_id])
    return form


class FilterForm(FlaskForm):
    """Which decisions to list (a GET form: nothing is changed)."""

    class Meta:
        csrf = False

    service_id = SelectField("Service", coerce=optional_int, default=None)
    status = SelectField("Status", choices=[("", "Any")] + DecisionStatus.choices(), default="")
    level = SelectField("Level", choices=[("", "Any")] + Level.choices(), default="")
    domain = SelectField("Barrier domain", default="")
    pathway_id = SelectField("Pathway", coerce=optional_int, default=None)
    due = BooleanField("Review due")


def filter_form(services: list[Service], version: FrameworkVersion, args) -> FilterForm:
    """The list's filters read from the query string."""
    form = FilterForm(args)
    form.service_id.choices = [("", "Any")] + [(s.id, s.name) for s in services]
    form.domain.choices = [("", "Any")] + [(d.code, d.name) for d in version.domains]
    form.pathway_id.choices = [("", "Any")] + pathway_choices(services, active_only=False)
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
    """Start a decision form from a recurring barrier: its service, and a reason giving the figures. The domain,
    the response and the observations are left for the supervisor to choose."""
    cases = "1 case" if found.cases == 1 else f"{found.cases} cases"
    about_service = found.barriers.about_service
    form.service_id.data = service.id
    form.rationale.data = (
        f"Recorded as a barrier in {cases} ({found.target_cases} of them target cases) {_months(start, end)}"
        + (f", and {times(about_service)} about the service as a whole." if about_service else ".")
    )
    form.status.data = DecisionStatus.PROPOSED


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
