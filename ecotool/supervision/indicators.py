"""Caseload figures per supervisee and period, each from a SQL aggregate."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from ecotool.capture.operations import failed_in_a_row
from ecotool.clock import day_bounds
from ecotool.capture.models import FAILED_OUTCOMES, Case, ContactAttempt, Observation
from ecotool.services.models import Service
from ecotool.services.operations import target_clause


@dataclass(frozen=True)
class Figure:
    """One indicator: its value and, for shares, the count and total behind it."""

    value: float
    count: int | None = None
    total: int | None = None

    @property
    def is_share(self) -> bool:
        """Whether the value is a share of a total."""
        return self.total is not None

    def text(self) -> str:
        """The value as shown in a prompt: a whole percentage for shares, else a count."""
        return f"{round(self.value * 100)}%" if self.is_share else str(int(self.value))

    def as_dict(self) -> dict:
        """A JSON-ready copy, stored with the prompt it triggered."""
        return {"value": self.value, "count": self.count, "total": self.total, "text": self.text()}


def _share(count: int, total: int) -> Figure:
    return Figure(count / total if total else 0.0, count, total)


def compute(
    session: Session, service: Service, supporter_ids: list[int], start: date, end: date,
) -> dict[str, Figure]:
    """Compute every indicator for the cases of these supporters over [start, end]."""
    since, until = day_bounds(start, end)
    in_caseload = and_(
        Case.service_id == service.id, Case.supporter_id.in_(supporter_ids), Case.referral_date <= end
    )
    reached_any = (
        select(ContactAttempt.id)
        .where(ContactAttempt.case_id == Case.id, ContactAttempt.outcome == "reached", ContactAttempt.at <= until)
        .exists()
    )
    is_target = target_clause(service)
    cases = session.execute(
        select(
            func.count(Case.id),
            func.coalesce(func.sum(case((Case.status == "open", 1), else_=0)), 0),
            func.coalesce(func.sum(case((~reached_any, 1), else_=0)), 0),
            func.coalesce(func.sum(case((is_target, 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(is_target, ~reached_any), 1), else_=0)), 0),
            func.coalesce(func.sum(case((Case.language_support == "yes", 1), else_=0)), 0),
        ).where(in_caseload)
    ).one()
    total, open_cases, unreached, targets, targets_unreached, language = (int(v) for v in cases)

    attempts = session.execute(
        select(
            func.count(ContactAttempt.id),
            func.coalesce(func.sum(case((ContactAttempt.outcome.in_(FAILED_OUTCOMES), 1), else_=0)), 0),
            func.coalesce(func.sum(case((ContactAttempt.outcome == "someone else answered", 1), else_=0)), 0),
        )
        .join(Case, Case.id == ContactAttempt.case_id)
        .where(in_caseload, ContactAttempt.at.between(since, until))
    ).one()
    n_attempts, failed, someone_else = (int(v) for v in attempts)

    repeated = session.scalar(
        select(func.count(Case.id)).where(
            in_caseload, Case.status == "open", failed_in_a_row(until) >= service.failed_attempt_threshold
        )
    ) or 0

    barriers = session.scalar(
        select(func.count(Observation.id)).where(
            Observation.service_id == service.id, Observation.author_id.in_(supporter_ids),
            Observation.kind == "barrier", Observation.created_at.between(since, until),
        )
    ) or 0

    return {
        "open_cases": Figure(open_cases),
        "unreached_share": _share(unreached, total),
        "failed_attempt_share": _share(failed, n_attempts),
        "repeated_failure_cases": Figure(int(repeated)),
        "target_unreached_share": _share(targets_unreached, targets),
        "someone_else_answered": Figure(someone_else),
        "language_support_share": _share(language, total),
        "barrier_observations": Figure(int(barriers)),
    }
