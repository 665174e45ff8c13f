"""Reading supervision sessions, the supervisees who may join one, their figures and what they discussed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool.auth.models import Person
from ecotool.capture import definitions
from ecotool.capture.models import Observation
from ecotool.framework.models import Domain, FrameworkVersion
from ecotool.services.models import Service
from ecotool.supervision import indicators, prompts
from ecotool.supervision.indicators import Holder
from ecotool.supervision.models import SessionPrompt, SupervisionSession, session_supervisee
from ecotool.vocab import SessionStatus

# "This supervisee's last sessions": how many earlier sessions rotation looks back over.
RECENT_SESSIONS = 3


def sessions_of(session: Session, supervisor: Person) -> list[SupervisionSession]:
    """The sessions a supervisor held, newest first."""
    return list(session.scalars(
        select(SupervisionSession).where(SupervisionSession.supervisor_id == supervisor.id)
        .order_by(SupervisionSession.held_on.desc(), SupervisionSession.id.desc())
    ))


def _attended_by(person_id: int):
    return SupervisionSession.id.in_(
        select(session_supervisee.c.session_id).where(session_supervisee.c.person_id == person_id))


def sessions_attended(session: Session, supervisee: Person) -> list[SupervisionSession]:
    """The closed sessions a supervisee took part in, newest first (a draft is not hers to read yet)."""
    return list(session.scalars(
        select(SupervisionSession)
        .where(_attended_by(supervisee.id), SupervisionSession.status == SessionStatus.CLOSED)
        .order_by(SupervisionSession.held_on.desc(), SupervisionSession.id.desc())
    ))


def attended_session(session: Session, supervisee: Person, session_id: int) -> SupervisionSession | None:
    """One closed session the supervisee took part in, or None."""
    return session.scalar(select(SupervisionSession).where(
        SupervisionSession.id == session_id, _attended_by(supervisee.id),
        SupervisionSession.status == SessionStatus.CLOSED))


def observations_behind(session: Session, record: SupervisionSession) -> dict[int, Observation]:
    """The observations behind a session's observed prompts that still exist, by id (their words as they stand)."""
    ids = record.observation_ids_behind()
    if not ids:
        return {}
    rows = session.scalars(select(Observation).where(
        Observation.id.in_(ids), Observation.service_id == record.service_id))
    return {o.id: o for o in rows}


def supervisees(session: Session, supervisor: Person, *service_ids: int) -> list[Person]:
    """A supervisor's supervisees who are active peer supporters of these services (default: hers)."""
    ids = service_ids or tuple(supervisor.service_ids)
    return list(session.scalars(definitions.active_supporters(*ids).where(Person.supervisor_id == supervisor.id)))


def recent_discussions(
    session: Session, supervisee_ids: list[int], before: date, limit: int = RECENT_SESSIONS,
) -> list[prompts.Discussed]:
    """The domains shown in each supervisee's last `limit` sessions held on or before `before`."""
    session_ids: set[int] = set()
    for person_id in supervisee_ids:
        session_ids.update(session.scalars(
            select(SupervisionSession.id).where(_attended_by(person_id), SupervisionSession.held_on <= before)
            .order_by(SupervisionSession.held_on.desc(), SupervisionSession.id.desc()).limit(limit)))
    rows = session.execute(
        select(Domain.code, Domain.level, SupervisionSession.held_on, SessionPrompt.origin)
        .join(SessionPrompt, SessionPrompt.domain_id == Domain.id)
        .join(SupervisionSession, SupervisionSession.id == SessionPrompt.session_id)
        .where(SupervisionSession.id.in_(session_ids))
        .order_by(SupervisionSession.held_on, SessionPrompt.position)
    ).all()
    return [prompts.Discussed(code, level, held_on, origin) for code, level, held_on, origin in rows]


@dataclass
class Column:
    """One supervisee's column of figures: as indicators.stored() keeps them, with the indicators that raise
    a prompt."""

    id: int
    name: str
    figures: dict[str, dict]
    sizes: dict[str, int]
    raised: set[str]


def figures_of(
    session: Session, service: Service, people: list[Person], start: date, end: date, one_to_one: bool = False,
) -> list[prompts.Supervisee]:
    """Each supervisee's figures for the period, named as a prompt will say them ("you" when alone)."""
    return [
        prompts.Supervisee(p.id, p.display_name, indicators.compute(
            session, service, [p.id], start, end, Holder() if one_to_one else Holder.named(p.display_name)))
        for p in people
    ]


def dashboard(
    session: Session, version: FrameworkVersion | None, service: Service, people: list[Person], start: date,
    end: date,
) -> list[Column]:
    """The supervisees' figures side by side, with the indicators whose triggers would raise a prompt."""
    columns = []
    for supervisee, person in zip(figures_of(session, service, people, start, end), people, strict=True):
        drafts = prompts.triggered(version, [supervisee]) if version is not None else []
        raised = {draft.figures["indicator"] for draft in drafts}
        columns.append(Column(person.id, person.display_name, raised=raised, **indicators.stored(supervisee.figures)))
    return columns


def session_columns(record: SupervisionSession) -> list[Column]:
    """A session's figures as shown when it opened, with the indicators that raised its prompts."""
    raised: dict[int, set[str]] = {}
    for prompt in record.prompts:
        if prompt.supervisee_id is not None:
            raised.setdefault(prompt.supervisee_id, set()).add(prompt.figures.get("indicator"))
    return [Column(item["id"], item["name"], item["figures"], item["sizes"], raised.get(item["id"], set()))
            for item in record.figures]
