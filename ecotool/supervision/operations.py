"""Opening supervision sessions with their prompts, noting them, raising observations, and closing the record."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from ecotool import audit
from ecotool.auth.models import Person
from ecotool.capture.models import Case
from ecotool.capture.operations import add_observation
from ecotool.clock import local_today, utcnow
from ecotool.db import atomic, claim
from ecotool.errors import OperationError
from ecotool.framework.queries import current_version
from ecotool.privacy import require_clean
from ecotool.services.models import Service
from ecotool.supervision import indicators, prompts, queries
from ecotool.supervision.models import SessionPrompt, SupervisionSession
from ecotool.vocab import SessionStatus, Source

AGREED_LIMIT = 4000


@atomic
def open_session(
    session: Session, supervisor: Person, service: Service, supervisee_ids: list[int],
    held_on: date, period_start: date, period_end: date,
) -> SupervisionSession:
    """Open a session (held today or earlier) and store the prompts and each supervisee's figures as shown."""
    if held_on > local_today():
        raise OperationError("A session is held today or on an earlier day, not on a later one.", "held_on")
    if period_start > period_end:
        raise OperationError("The period must start on or before its end.", "period_start")
    if period_end > held_on:
        raise OperationError("The period cannot end after the day the session is held.", "period_end")
    allowed = {p.id: p for p in queries.supervisees(session, supervisor, service.id)}
    if not supervisee_ids or any(i not in allowed for i in supervisee_ids):
        raise OperationError("Choose one or more of your supervisees in this service.", "supervisee_ids")
    version = current_version(session)
    if version is None:
        raise OperationError("No framework is loaded yet; ask an administrator to load one.")
    people = sorted({allowed[i] for i in supervisee_ids}, key=lambda p: (p.display_name, p.id))
    ids = [p.id for p in people]
    figures = queries.figures_of(session, service, people, period_start, period_end, one_to_one=len(people) == 1)
    barriers = prompts.BarrierDomain.from_rows(
        indicators.barrier_rows(session, service, ids, period_start, period_end))
    recent = queries.recent_discussions(session, ids, held_on)
    record = SupervisionSession(
        service_id=service.id, supervisor_id=supervisor.id, held_on=held_on,
        period_start=period_start, period_end=period_end, framework_version_id=version.id, supervisees=people,
        status=SessionStatus.DRAFT,
        figures=[{"id": s.id, "name": s.name, **indicators.stored(s.figures)} for s in figures],
    )
    for position, draft in enumerate(prompts.build(version, figures, barriers, recent)):
        record.prompts.append(SessionPrompt(
            position=position, origin=draft.origin, domain_id=draft.domain.id, text=draft.text,
            figures=draft.figures, follow_ups=draft.follow_ups, supervisee_id=draft.supervisee_id,
        ))
    session.add(record)
    session.flush()
    audit.record(session, supervisor.id, "supervision_session.create", record)
    return record


def _check_draft(record: SupervisionSession) -> None:
    if record.is_closed:
        raise OperationError("This session is closed; its record no longer changes.")


@atomic
def record_notes(
    session: Session, actor_id: int, record: SupervisionSession, notes: list[str], shared: list[bool] | None = None,
    agreed: str | None = None, seen_version: int | None = None,
) -> int:
    """Keep the supervisor's notes (one per prompt, in the order shown), which of them the supervisees may read,
    and the actions agreed; return how many changed. Only a draft changes."""
    _check_draft(record)
    if len(notes) != len(record.prompts) or (shared is not None and len(shared) != len(notes)):
        raise OperationError("The notes do not match the prompts of this session; reload the page.")
    for note in notes:
        require_clean(note, "notes")
    if agreed is not None:
        require_clean(agreed, "agreed", AGREED_LIMIT)
    claim(session, record, seen_version)
    changed = 0
    for prompt, note, share in zip(record.prompts, notes, shared or [p.shared for p in record.prompts], strict=True):
        text = note.strip() or None
        if text != prompt.note or bool(share) != prompt.shared:
            prompt.note, prompt.shared = text, bool(share)
            changed += 1
            audit.record(session, actor_id, "session_prompt.note", prompt)
    if agreed is not None and (agreed.strip() or None) != record.agreed:
        record.agreed = agreed.strip() or None
        changed += 1
        audit.record(session, actor_id, "supervision_session.agreed", record)
    session.flush()
    return changed


@atomic
def raise_observation(
    session: Session, actor_id: int, record: SupervisionSession, *, case: Case | None, domain_id: int,
    journey_stage: str | None, kind: str, text: str, shareable: bool = False, observed_on: date | None = None,
):
    """Record an observation brought up in the session (source: supervision), on one of the supervisees'
    cases or about the service, with the same checks as any observation."""
    _check_draft(record)
    if case is not None and (case.service_id != record.service_id
                             or case.supporter_id not in {p.id for p in record.supervisees}):
        raise OperationError("Choose a case held by someone in this session.", "case_id")
    service = record.service
    return add_observation(
        session, actor_id, service, case=case, domain_id=domain_id, journey_stage=journey_stage, kind=kind,
        source=Source.SUPERVISION, text=text, shareable=shareable, observed_on=observed_on, session_id=record.id,
    )


@atomic
def close_session(session: Session, actor_id: int, record: SupervisionSession) -> SupervisionSession:
    """Close the record: from now on it shows what it holds today, whatever changes in the data later."""
    _check_draft(record)
    claim(session, record, None)
    session.refresh(record, ["observations", "proposals", "comments"])
    record.closed_record = record.raised()
    record.status = SessionStatus.CLOSED
    record.closed_at = utcnow()
    session.flush()
    audit.record(session, actor_id, "supervision_session.close", record)
    return record


@atomic
def discard_session(session: Session, actor_id: int, record: SupervisionSession) -> None:
    """Throw away a draft session: its prompts and notes go; observations, comments and decisions made in it stay,
    no longer tied to it."""
    _check_draft(record)
    for made in (*record.observations, *record.comments, *record.proposals):
        made.session_id = None
    for prompt in record.prompts:
        session.delete(prompt)
    audit.record(session, actor_id, "supervision_session.discard", record)
    session.delete(record)
    session.flush()
