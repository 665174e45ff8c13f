"""Reading decisions, and the recurring barriers they answer or could answer."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool.capture.models import Observation
from ecotool.decisions.models import REVIEWABLE, Decision, decision_domain
from ecotool.framework.models import Domain, FrameworkVersion
from ecotool.services.models import Service
from ecotool.supervision.indicators import barrier_rows, recurring_codes
from ecotool.supervision.prompts import BarrierDomain
from ecotool.vocab import DecisionStatus, Kind, Level


def decisions_in(session: Session, service_ids: list[int], *, status: str = "", level: str = "", domain: str = "",
                 pathway_id: int | None = None, due_on: date | None = None) -> list[Decision]:
    """Decisions of these services, the latest start first; optionally only those with a status, answering a
    domain (by code) or any domain of a level, on a pathway, or with a review due on `due_on`."""
    query = select(Decision).where(Decision.service_id.in_(service_ids))
    if status:
        query = query.where(Decision.status == status)
    if level or domain:
        answering = select(decision_domain.c.decision_id).join(Domain, Domain.id == decision_domain.c.domain_id)
        answering = answering.where(Domain.level == level) if level else answering
        answering = answering.where(Domain.code == domain) if domain else answering
        query = query.where(Decision.id.in_(answering))
    if pathway_id is not None:
        query = query.where(Decision.pathway_id == pathway_id)
    found = list(session.scalars(query.order_by(Decision.start_date.desc(), Decision.id.desc())))
    return [d for d in found if d.review_due(due_on)] if due_on is not None else found


def reviews_due(session: Session, service_ids: list[int], today: date) -> list[Decision]:
    """Decisions of these services whose review date has come with no review since, the longest overdue first."""
    running = select(Decision).where(Decision.service_id.in_(service_ids), Decision.review_date <= today,
                                     Decision.status.in_([s.value for s in REVIEWABLE]))
    return [d for d in session.scalars(running.order_by(Decision.review_date, Decision.id)) if d.review_due(today)]


def running_in(session: Session, service_ids: list[int]) -> list[Decision]:
    """The decisions that are part of these services' work now or soon (agreed, in effect or reviewed),
    the latest start first: what a peer supporter needs to know."""
    return list(session.scalars(
        select(Decision).where(Decision.service_id.in_(service_ids),
                               Decision.status.in_([s.value for s in DecisionStatus if s.running]))
        .order_by(Decision.start_date.desc(), Decision.id.desc())
    ))


def barrier_observations(session: Session, service_id: int, ids) -> list[Observation]:
    """The service's barrier observations among these ids, oldest first: what a decision may be linked to."""
    if not ids:
        return []
    return list(session.scalars(
        select(Observation).where(Observation.id.in_(list(ids)), Observation.service_id == service_id,
                                  Observation.kind == Kind.BARRIER)
        .order_by(Observation.observed_on, Observation.id)
    ))


def evidence(decision: Decision) -> list[tuple[str, str, int]]:
    """The observations behind a decision counted by level and domain: (level, domain name, count), by level
    from macro to micro, then most first."""
    counted = Counter((o.domain.level, o.domain.name) for o in decision.observations)
    order = {level.value: n for n, level in enumerate(Level)}
    return sorted(((level, name, n) for (level, name), n in counted.items()),
                  key=lambda row: (order[row[0]], -row[2], row[1]))


@dataclass(frozen=True)
class RecurringBarrier:
    """Barriers recorded in one domain of a service in a period, and the decisions (not stopped) answering it."""

    domain: Domain  # of the current framework version
    barriers: BarrierDomain
    decisions: list[Decision]

    @property
    def cases(self) -> int:
        """Distinct cases with this barrier."""
        return len(self.barriers.cases)

    @property
    def target_cases(self) -> int:
        """How many of those cases are target cases."""
        return len(self.barriers.target_cases)

    @property
    def target_share(self) -> int:
        """The target cases as a whole percentage of the cases (0 when there are none)."""
        return round(100 * self.target_cases / self.cases) if self.cases else 0

    @property
    def observation_ids(self) -> list[int]:
        """The barrier observations behind it, about a case or about the service."""
        return self.barriers.observation_ids


def _answering(session: Session, service: Service, codes: list[str]) -> dict[str, list[Decision]]:
    """The service's decisions that are not stopped, under the code of each domain they answer, latest first."""
    found: dict[str, list[Decision]] = defaultdict(list)
    if codes:
        for decision, code in session.execute(
            select(Decision, Domain.code).join(Decision.domains)
            .where(Decision.service_id == service.id, Decision.status != DecisionStatus.STOPPED,
                   Domain.code.in_(codes))
            .order_by(Decision.start_date.desc(), Decision.id.desc())
        ):
            found[code].append(decision)
    return found


def _with_decisions(session: Session, service: Service, version: FrameworkVersion,
                    barriers: list[BarrierDomain]) -> list[RecurringBarrier]:
    """Each domain's barriers with its domain of this version (matched by code) and the decisions answering it.
    A code this version no longer has is left out: no decision could be drafted for it."""
    domains = {d.code: d for d in version.domains}
    kept = [b for b in barriers if b.code in domains]
    answering = _answering(session, service, [b.code for b in kept])
    return [RecurringBarrier(domains[b.code], b, answering.get(b.code, [])) for b in kept]


def recurring_barriers(
    session: Session, service: Service, version: FrameworkVersion, start: date, end: date,
) -> list[tuple[str, list[RecurringBarrier]]]:
    """Barrier domains recorded in 3 (RECURRING_CASES) or more distinct cases of the whole service in [start, end],
    under each level's title (macro, meso, micro; levels with none left out), most cases first, then by code."""
    rows = barrier_rows(session, service, None, start, end)
    recurring = set(recurring_codes(rows))
    found = _with_decisions(session, service, version,
                            [b for b in BarrierDomain.from_rows(rows) if b.code in recurring])
    levels = []
    for title, domains in version.domains_by_level():
        here = sorted((f for f in found if f.domain in domains), key=lambda f: (-f.cases, f.domain.code))
        if here:
            levels.append((title, here))
    return levels


def barriers_in_domain(
    session: Session, service: Service, version: FrameworkVersion, code: str, start: date, end: date,
) -> RecurringBarrier | None:
    """The barriers recorded in one domain (by code) of the whole service in [start, end], recurring or not;
    None when the current framework version has no domain with that code."""
    rows = [row for row in barrier_rows(session, service, None, start, end) if row[3] == code]  # row[3]: the code
    found = _with_decisions(session, service, version, BarrierDomain.from_rows(rows) or [BarrierDomain(code)])
    return found[0] if found else None
