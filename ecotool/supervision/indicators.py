"""Caseload figures per supervisee and period, each from a SQL aggregate."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ecotool.capture import definitions
from ecotool.capture.models import Case, ContactAttempt, Observation
from ecotool.clock import day_bounds
from ecotool.db import count_where
from ecotool.services.models import Service
from ecotool.vocab import FAILED_OUTCOMES, Answer, CaseStatus, Indicator, Kind, Outcome


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
) -> dict[Indicator, Figure]:
    """Compute every indicator a framework trigger may name, for the cases of these supporters over [start, end]."""
    since, until = day_bounds(start, end)
    in_caseload = and_(
        Case.service_id == service.id, Case.supporter_id.in_(supporter_ids), Case.referral_date <= end
    )
    never_reached = definitions.never_reached(until)
    is_target = definitions.target()
    cases = session.execute(
        select(
            func.count(Case.id),
            count_where(Case.status == CaseStatus.OPEN),
            count_where(never_reached),
            count_where(is_target),
            count_where(and_(is_target, never_reached)),
            count_where(Case.language_support == Answer.YES),
            count_where(definitions.engaged(until)),
        ).where(in_caseload)
    ).one()
    total, open_cases, unreached, targets, targets_unreached, language, engaged = (int(v) for v in cases)

    attempts = session.execute(
        select(
            func.count(ContactAttempt.id),
            count_where(ContactAttempt.outcome.in_(FAILED_OUTCOMES)),
            count_where(ContactAttempt.outcome == Outcome.SOMEONE_ELSE_ANSWERED),
        )
        .join(Case, Case.id == ContactAttempt.case_id)
        .where(in_caseload, ContactAttempt.at.between(since, until))
    ).one()
    n_attempts, failed, someone_else = (int(v) for v in attempts)

    repeated = session.scalar(
        select(func.count(Case.id)).where(
            in_caseload, Case.status == CaseStatus.OPEN, definitions.stuck(until)
        )
    ) or 0

    barriers = session.scalar(
        select(func.count(Observation.id)).where(
            Observation.service_id == service.id, Observation.author_id.in_(supporter_ids),
            Observation.kind == Kind.BARRIER, Observation.observed_on.between(start, end),
        )
    ) or 0

    return {
        Indicator.OPEN_CASES: Figure(open_cases),
        Indicator.UNREACHED_SHARE: _share(unreached, total),
        Indicator.FAILED_ATTEMPT_SHARE: _share(failed, n_attempts),
        Indicator.REPEATED_FAILURE_CASES: Figure(int(repeated)),
        Indicator.TARGET_UNREACHED_SHARE: _share(targets_unreached, targets),
        Indicator.SOMEONE_ELSE_ANSWERED: Figure(someone_else),
        Indicator.LANGUAGE_SUPPORT_SHARE: _share(language, total),
        Indicator.BARRIER_OBSERVATIONS: Figure(int(barriers)),
        Indicator.TARGET_SHARE: _share(targets, total),
        Indicator.REACHED_SHARE: _share(total - unreached, total),
        Indicator.ENGAGED_SHARE: _share(engaged, total),
    }
