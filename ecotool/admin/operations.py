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


def _scrub_records(session: Session, case: Case, observation_ids: set[int]) -> None:
    """Closed supervision records keep copies of what was raised: the words of the case's observations (those
    deleted since included, known by the case's id or reference), the comments on them and the reference become
    ERASED. Prompts keep references only: those become ERASED too."""
    def about_case(item: dict, id_key: str) -> bool:
        return (item.get(id_key) in observation_ids or item.get("case_id") == case.id
                or item.get("case") == case.reference or item.get("reference") == case.reference)

    for record in session.scalars(select(SupervisionSession).where(
            SupervisionSession.service_id == case.service_id, SupervisionSession.closed_record.is_not(None))):
        kept = record.closed_record
        observations = [dict(o, text=ERASED, case=None, case_id=None) if about_case(o, "id") else o
                        for o in kept.get("observations", [])]
        comments = [dict(c, text=ERASED, case=None) if about_case(c, "observation_id") else c
                    for c in kept.get("comments", [])]
        if observations != kept.get("observations", []) or comments != kept.get("comments", []):
            record.closed_record = {**kept, "observations": observations, "comments": comments}
    for prompt in session.scalars(select(SessionPrompt).join(SupervisionSession).where(
            SupervisionSession.service_id == case.service_id)):
        figures = prompt.figures or {}
        items = [dict(o, reference=ERASED, case_id=None) if about_case(o, "id") else o
                 for o in figures.get("observations", [])]
        cases = [dict(c, reference=ERASED) if c.get("reference") == case.reference or c.get("id") == case.id else c
                 for c in figures.get("cases", [])]
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
    _scrub_records(session, case, ids)
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
