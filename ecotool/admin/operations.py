"""Retention and erasure: a case is removed for good, its free text first, everywhere a copy of it was kept."""
from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool import audit
from ecotool.capture.models import Case
from ecotool.db import atomic, claim
from ecotool.decisions.models import decision_observation
from ecotool.services.models import Service
from ecotool.supervision.models import SessionPrompt, SupervisionSession
from ecotool.vocab import CaseStatus

ERASED = "(erased)"


def _scrub_records(session: Session, service_id: int, observation_ids: set[int], reference: str) -> None:
    """Closed supervision records keep copies of what was raised: the erased observations' words, the comments on
    them and the case's reference become ERASED. Prompts keep references only: those become ERASED too."""
    for record in session.scalars(select(SupervisionSession).where(
            SupervisionSession.service_id == service_id, SupervisionSession.closed_record.is_not(None))):
        kept = record.closed_record
        observations = [dict(o, text=ERASED, case=None, case_id=None) if o.get("id") in observation_ids else o
                        for o in kept.get("observations", [])]
        comments = [dict(c, text=ERASED, case=None) if c.get("observation_id") in observation_ids else c
                    for c in kept.get("comments", [])]
        if observations != kept.get("observations", []) or comments != kept.get("comments", []):
            record.closed_record = {**kept, "observations": observations, "comments": comments}
    for prompt in session.scalars(select(SessionPrompt).join(SupervisionSession).where(
            SupervisionSession.service_id == service_id)):
        figures = prompt.figures or {}
        items = [dict(o, reference=ERASED, case_id=None) if o.get("id") in observation_ids else o
                 for o in figures.get("observations", [])]
        cases = [dict(c, reference=ERASED) if c.get("reference") == reference else c for c in figures.get("cases", [])]
        if items != figures.get("observations", []) or cases != figures.get("cases", []):
            prompt.figures = {**figures, "observations": items, "cases": cases}


@atomic
def erase_case(session: Session, actor_id: int | None, case: Case, why: str) -> None:
    """Erase a case for good (on request, or past its service's retention period): the words recorded about her
    and every copy of them first, then her contact attempts, observations and the case itself. An observation a
    decision cites as evidence stays as "(erased)", counted by its level and domain but tied to no case. Stored
    briefs and reviews keep the figures they were made with. Audited by id, with why."""
    observations = list(case.observations)
    ids = {o.id for o in observations}
    cited = set(session.scalars(select(decision_observation.c.observation_id)
                                .where(decision_observation.c.observation_id.in_(ids)))) if ids else set()
    _scrub_records(session, case.service_id, ids, case.reference)
    for observation in observations:
        observation.comments.clear()
        if observation.id in cited:
            claim(session, observation, None)
            observation.text, observation.shareable, observation.case_id = ERASED, False, None
        else:
            session.delete(observation)
    for attempt in list(case.contact_attempts):
        session.delete(attempt)
    audit.record(session, actor_id, f"case.erase_{why}", case)
    session.flush()
    session.delete(case)
    session.flush()


def _due(service: Service, today: date) -> date:
    """The last closing day whose cases are past the service's retention period today."""
    return today - relativedelta(months=service.retention_months)


@atomic
def run_retention(session: Session, actor_id: int | None, today: date) -> dict[str, int]:
    """Erase every closed case past its service's retention period (counted from the day it closed); return how
    many per service slug."""
    erased: dict[str, int] = {}
    for service in session.scalars(select(Service).order_by(Service.slug)):
        due = list(session.scalars(select(Case).where(
            Case.service_id == service.id, Case.status == CaseStatus.CLOSED, Case.closed_on < _due(service, today))))
        for case in due:
            erase_case(session, actor_id, case, "retention")
        erased[service.slug] = len(due)
    return erased
