"""Recording cases, contact attempts and observations."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case as sql_case
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecotool import audit
from ecotool.clock import local_today, utcnow
from ecotool.capture.models import (
    AGE_BANDS, CHANNELS, KINDS, OUTCOMES, SOURCES, YES_NO_UNKNOWN, Case, ContactAttempt, Observation,
)
from ecotool.errors import OperationError
from ecotool.framework.models import Domain
from ecotool.services.models import Pathway, Service

# No 0/O or 1/I: references are read out on the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference(session: Session, service: Service) -> str:
    """Return an unused case reference such as NS-4K7Q."""
    while True:
        ref = f"{service.case_prefix}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4))
        if not session.scalar(select(Case.id).where(Case.reference == ref)):
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
) -> ContactAttempt:
    """Record one attempt to reach the mother of a case; `at` is in UTC."""
    _check_in(channel, CHANNELS, "channel")
    _check_in(outcome, OUTCOMES, "outcome")
    if at > utcnow():
        raise OperationError("The time of a contact attempt cannot be in the future.", "at")
    attempt = ContactAttempt(case_id=case.id, at=at, channel=channel, outcome=outcome, by_id=actor_id)
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


@dataclass(frozen=True)
class CaseState:
    """Contact figures of one case."""

    attempts: int
    reached_contacts: int
    failed_in_a_row: int
    last_at: datetime | None
    last_outcome: str | None

    @property
    def reached(self) -> bool:
        """At least one attempt reached the mother."""
        return self.reached_contacts > 0


def case_state(session: Session, case: Case) -> CaseState:
    """Work out a case's contact figures with one aggregate query."""
    last_reached = (
        select(func.max(ContactAttempt.at))
        .where(ContactAttempt.case_id == case.id, ContactAttempt.outcome == "reached")
        .scalar_subquery()
    )
    row = session.execute(
        select(
            func.count(ContactAttempt.id),
            func.coalesce(func.sum(sql_case((ContactAttempt.outcome == "reached", 1), else_=0)), 0),
            func.coalesce(func.sum(sql_case(
                (func.coalesce(ContactAttempt.at > last_reached, True), 1), else_=0)), 0),
            func.max(ContactAttempt.at),
        ).where(ContactAttempt.case_id == case.id)
    ).one()
    last = session.scalar(
        select(ContactAttempt.outcome).where(ContactAttempt.case_id == case.id)
        .order_by(ContactAttempt.at.desc(), ContactAttempt.id.desc()).limit(1)
    )
    return CaseState(int(row[0]), int(row[1]), int(row[2]), row[3], last)
