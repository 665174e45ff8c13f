"""Opening supervision sessions with their prompts, and recording notes."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from ecotool import audit
from ecotool.auth.models import Person
from ecotool.db import atomic
from ecotool.errors import OperationError
from ecotool.framework.queries import current_version
from ecotool.privacy import require_clean
from ecotool.services.models import Service
from ecotool.supervision import indicators, prompts, queries
from ecotool.supervision.models import SessionPrompt, SupervisionSession


@atomic
def open_session(
    session: Session, supervisor: Person, service: Service, supervisee_ids: list[int],
    held_on: date, period_start: date, period_end: date,
) -> SupervisionSession:
    """Open a session and store the prompts shown, with the figures that triggered them."""
    if period_start > period_end:
        raise OperationError("The period must start on or before its end.", "period_start")
    allowed = {p.id: p for p in queries.supervisees(session, supervisor, service.id)}
    if not supervisee_ids or any(i not in allowed for i in supervisee_ids):
        raise OperationError("Choose one or more of your supervisees in this service.", "supervisee_ids")
    version = current_version(session)
    if version is None:
        raise OperationError("No framework is loaded yet; ask an administrator to load one.")
    figures = indicators.compute(session, service, supervisee_ids, period_start, period_end)
    barriers = queries.barrier_domains(session, service.id, supervisee_ids, version.id, period_start, period_end)
    record = SupervisionSession(
        service_id=service.id, supervisor_id=supervisor.id, held_on=held_on,
        period_start=period_start, period_end=period_end, framework_version_id=version.id,
        supervisees=[allowed[i] for i in supervisee_ids],
    )
    for position, draft in enumerate(prompts.build(version, figures, barriers)):
        record.prompts.append(SessionPrompt(
            position=position, origin=draft.origin, domain_id=draft.domain.id, text=draft.text,
            figures=draft.figures,
        ))
    session.add(record)
    session.flush()
    audit.record(session, supervisor.id, "supervision_session.create", record)
    return record


@atomic
def record_notes(session: Session, actor_id: int, record: SupervisionSession, notes: list[str]) -> int:
    """Keep the supervisor's notes, one per prompt in the order shown; return how many changed."""
    if len(notes) != len(record.prompts):
        raise OperationError("The notes do not match the prompts of this session; reload the page.")
    changed = 0
    for note in notes:
        require_clean(note, "notes")
    for prompt, note in zip(record.prompts, notes, strict=True):
        text = note.strip() or None
        if text != prompt.note:
            prompt.note = text
            changed += 1
            audit.record(session, actor_id, "session_prompt.note", prompt)
    session.flush()
    return changed
