"""Reading supervision sessions, the supervisees who may join one, and recent barriers."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecotool.auth.models import Person
from ecotool.capture import definitions
from ecotool.capture.models import Observation
from ecotool.supervision.models import SupervisionSession
from ecotool.vocab import Kind


def sessions_of(session: Session, supervisor: Person) -> list[SupervisionSession]:
    """The sessions a supervisor held, newest first."""
    return list(session.scalars(
        select(SupervisionSession).where(SupervisionSession.supervisor_id == supervisor.id)
        .order_by(SupervisionSession.held_on.desc(), SupervisionSession.id.desc())
    ))


def supervisees(session: Session, supervisor: Person, *service_ids: int) -> list[Person]:
    """A supervisor's supervisees who are active peer supporters of these services (default: hers)."""
    ids = service_ids or tuple(supervisor.service_ids)
    return list(session.scalars(definitions.active_supporters(*ids).where(Person.supervisor_id == supervisor.id)))


def barrier_domains(
    session: Session, service_id: int, author_ids: list[int], framework_version_id: int, start: date, end: date,
) -> list[tuple[int, int]]:
    """(domain id, observations) for barriers these people observed in the period, most observed first."""
    count = func.count(Observation.id)
    return [(int(domain_id), int(n)) for domain_id, n in session.execute(
        select(Observation.domain_id, count).where(
            Observation.service_id == service_id, Observation.author_id.in_(author_ids),
            Observation.kind == Kind.BARRIER, Observation.framework_version_id == framework_version_id,
            Observation.observed_on.between(start, end),
        ).group_by(Observation.domain_id).order_by(count.desc(), Observation.domain_id)
    )]
