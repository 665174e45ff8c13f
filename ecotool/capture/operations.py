"""Recording cases, contact attempts and observations."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from ecotool import audit
from ecotool.clock import local_today, utcnow
from ecotool.capture.models import (
    AGE_BANDS, CHANNELS, KINDS, OUTCOMES, SOURCES, YES_NO_UNKNOWN, Case, ContactAttempt, Observation,
)
from ecotool.capture.privacy import require_clean
from ecotool.errors import OperationError
from ecotool.framework.models import Domain
from ecotool.services.models import Pathway, Service
from ecotool.services.operations import is_target, target_clause

# No 0/O or 1/I: references are read out on the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference(session: Session, service: Service) -> str:
    """Return an unused case reference such as NS-4K7Q."""
    while True:
        ref = f"{service.case_prefix}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4))
        if not session.scalar(select(Case.id).where(Case.service_id == service.id, Case.reference == ref)):
            return ref


def _check_in(value: str, allowed: tuple[str, ...], field: str) -> None:
    if value not in allowed:
        raise OperationError(f"Choose one of: {', '.join(allowed)}.", field)


def create_case(
    session: Session, actor_id: int, service: Service, *, imd_quintile: int | None, age_band: str,
    first_time: str, language_support: str, pathway_id: int | None, referral_date: date,
    journey_stage: str, supporter_id: int, reference: str | None = None,
) -> Case:
    """Open a case for a mother, known only by a new reference."""
    if imd_quintile is not None and not 1 <= imd_quintile <= 5:
        raise OperationError("The quintile is 1 to 5, or unknown.", "imd_quintile")
    _check_in(age_band, AGE_BANDS, "age_band")
    _check_in(first_time, YES_NO_UNKNOWN, "first_time")
    _check_in(language_support, YES_NO_UNKNOWN, "language_support")
    if pathway_id is not None:
        pathway = session.get(Pathway, pathway_id)
        if pathway is None or pathway.service_id != service.id:
            raise OperationError("Choose one of this service's pathways.", "pathway_id")
    if referral_date > local_today():
        raise OperationError("The referral date cannot be in the future.", "referral_date")
    case = Case(
        service_id=service.id, reference=reference or new_reference(session, service),
        imd_quintile=imd_quintile, age_band=age_band, first_time=first_time,
        language_support=language_support, pathway_id=pathway_id, referral_date=referral_date,
        journey_stage=journey_stage, supporter_id=supporter_id,
    )
    session.add(case)
    session.flush()
    audit.record(session, actor_id, "case.create", case)
    return case


def log_contact_attempt(
    session: Session, actor_id: int, case: Case, *, at: datetime, channel: str, outcome: str,
    by_id: int | None = None,
) -> ContactAttempt:
    """Record one attempt to reach the mother of a case; `at` is in UTC; `by_id` defaults to the actor."""
    _check_in(channel, CHANNELS, "channel")
    _check_in(outcome, OUTCOMES, "outcome")
    if at > utcnow():
        raise OperationError("The time of a contact attempt cannot be in the future.", "at")
    attempt = ContactAttempt(case_id=case.id, at=at, channel=channel, outcome=outcome, by_id=by_id or actor_id)
    session.add(attempt)
    session.flush()
    audit.record(session, actor_id, "contact_attempt.create", attempt)
    return attempt


def add_observation(
    session: Session, actor_id: int, service: Service, *, case: Case | None, domain_id: int,
    journey_stage: str, kind: str, source: str, text: str, shareable: bool = False,
) -> Observation:
    """Record a piece of context, pinned to the framework version of its domain."""
    domain = session.get(Domain, domain_id)
    if domain is None:
        raise OperationError("Choose a domain from the framework.", "domain_id")
    stages = {s["code"] for s in domain.framework_version.journey_stages}
    if journey_stage not in stages:
        raise OperationError("Choose a journey stage from the framework.", "journey_stage")
    _check_in(kind, KINDS, "kind")
    _check_in(source, SOURCES, "source")
    if not text.strip():
        raise OperationError("Write what you noticed.", "text")
    require_clean(text, "text")
    observation = Observation(
        service_id=service.id, case_id=case.id if case else None,
        framework_version_id=domain.framework_version_id, domain_id=domain.id,
        journey_stage=journey_stage, kind=kind, source=source, text=text.strip(),
        shareable=shareable, author_id=actor_id,
    )
    session.add(observation)
    session.flush()
    audit.record(session, actor_id, "observation.create", observation)
    return observation


QUIET_DAYS = 14


def timeline(case: Case) -> list[tuple[str, datetime, object]]:
    """Contacts and observations of a case, newest first, as (kind, when, record)."""
    items = [("contact", a.at, a) for a in case.contact_attempts]
    items += [("observation", o.created_at, o) for o in case.observations]
    # Times typed to the minute often tie; the order of entry breaks the tie.
    return sorted(items, key=lambda item: (item[1], item[2].created_at, item[2].id), reverse=True)


@dataclass(frozen=True)
class CaseRow:
    """A case with its contact figures, as the caseload and the case page show it."""

    case: Case
    attempts: int
    reached_contacts: int
    failed_in_a_row: int
    last_at: datetime | None
    last_outcome: str | None
    last_channel: str | None

    @property
    def reached(self) -> bool:
        """At least one attempt reached the mother."""
        return self.reached_contacts > 0

    @property
    def engaged(self) -> bool:
        """Reached at least as often as the service's engagement rule asks."""
        return self.reached_contacts >= self.case.service.engaged_threshold

    @property
    def target(self) -> bool:
        """The case matches the service's target rule."""
        return is_target(self.case.service, self.case.imd_quintile, self.case.age_band)

    @property
    def stuck(self) -> bool:
        """Failed attempts in a row have reached the service's threshold."""
        return self.failed_in_a_row >= self.case.service.failed_attempt_threshold

    def quiet_days(self, now: datetime) -> int:
        """Days since the last attempt (or since referral, if none)."""
        since = self.last_at or datetime.combine(self.case.referral_date, datetime.min.time())
        return (now - since).days

    def priority(self, now: datetime) -> tuple:
        """Sort key: stuck first, then not reached, then quiet for 14+ days, then the rest."""
        rank = 0 if self.stuck else 1 if not self.reached else 2 if self.quiet_days(now) >= QUIET_DAYS else 3
        return (rank, not self.target, -self.quiet_days(now), self.case.reference)


def _figures(query: Select) -> Select:
    """Add a case's contact figures to a query over Case, as correlated aggregates."""
    attempt = aliased(ContactAttempt)
    per_case = select(func.count(attempt.id)).where(attempt.case_id == Case.id).correlate(Case)
    last_reached = (select(func.max(attempt.at))
                    .where(attempt.case_id == Case.id, attempt.outcome == "reached").correlate(Case).scalar_subquery())
    latest = (select(attempt.id).where(attempt.case_id == Case.id)
              .order_by(attempt.at.desc(), attempt.id.desc()).limit(1).correlate(Case).scalar_subquery())
    return query.add_columns(
        per_case.scalar_subquery().label("attempts"),
        per_case.where(attempt.outcome == "reached").scalar_subquery().label("reached_contacts"),
        per_case.where(func.coalesce(attempt.at > last_reached, True)).scalar_subquery().label("failed_in_a_row"),
        select(func.max(attempt.at)).where(attempt.case_id == Case.id).correlate(Case).scalar_subquery().label("last_at"),
        select(ContactAttempt.outcome).where(ContactAttempt.id == latest).scalar_subquery().label("last_outcome"),
        select(ContactAttempt.channel).where(ContactAttempt.id == latest).scalar_subquery().label("last_channel"),
    )


def _rows(session: Session, query: Select) -> list[CaseRow]:
    return [CaseRow(row[0], int(row.attempts), int(row.reached_contacts), int(row.failed_in_a_row),
                    row.last_at, row.last_outcome, row.last_channel)
            for row in session.execute(_figures(query))]


def case_row(session: Session, case: Case) -> CaseRow:
    """One case with its contact figures."""
    return _rows(session, select(Case).where(Case.id == case.id))[0]


def caseload(
    session: Session, cases: Select, services: list[Service], *, target_only: bool = False,
    not_reached: bool = False, quiet: bool = False, supporter_id: int | None = None,
) -> list[CaseRow]:
    """Open cases from a visible-cases query, filtered, with those needing action first."""
    query = cases.where(Case.status == "open")
    if supporter_id is not None:
        query = query.where(Case.supporter_id == supporter_id)
    if target_only:
        query = query.where(or_(*[and_(Case.service_id == s.id, target_clause(s)) for s in services]))
    rows = _rows(session, query.options(selectinload(Case.service), selectinload(Case.supporter)))
    now = utcnow()
    if not_reached:
        rows = [r for r in rows if not r.reached]
    if quiet:
        rows = [r for r in rows if r.quiet_days(now) >= QUIET_DAYS]
    return sorted(rows, key=lambda r: r.priority(now))
