"""Recording service-development decisions."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool import audit
from ecotool.capture.models import Observation
from ecotool.db import atomic, claim
from ecotool.clock import format_day, local_today
from ecotool.decisions import effect
from ecotool.decisions.models import (DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS, MIN_WINDOW_DAYS, Decision,
                                      DecisionChange, DecisionReview)
from ecotool.errors import OperationError
from ecotool.framework.queries import current_version
from ecotool.privacy import require_clean
from ecotool.framework.models import Domain, FrameworkVersion
from ecotool.services.models import Pathway, Service
from ecotool.supervision.models import SupervisionSession
from ecotool.vocab import DecisionStatus, Kind, ReviewOutcome


# Where a decision may go next from each status; reviewing is its own step (review_decision).
NEXT = {
    DecisionStatus.PROPOSED: (DecisionStatus.AGREED, DecisionStatus.STOPPED),
    DecisionStatus.AGREED: (DecisionStatus.IN_EFFECT, DecisionStatus.STOPPED),
    DecisionStatus.IN_EFFECT: (DecisionStatus.STOPPED,),
    DecisionStatus.REVIEWED: (DecisionStatus.STOPPED,),
    DecisionStatus.STOPPED: (),
}
# A decision can be recorded straight away as proposed, agreed or already in effect.
FIRST = (DecisionStatus.PROPOSED, DecisionStatus.AGREED, DecisionStatus.IN_EFFECT)
REASON_LENGTH = 1000


def _checked(session: Session, version: FrameworkVersion, service: Service, *, title: str, rationale: str,
             response_type: str, target_group: str, domain_ids: list[int], start_date: date,
             review_date: date | None, pathway_id: int | None, pathway_only: bool, window_days: int,
             decided_on: date) -> dict:
    """The fields a decision is recorded or edited with, checked; the chosen domains of `version` among them."""
    if not title.strip():
        raise OperationError("Say what changes.", "title")
    if not rationale.strip():
        raise OperationError("Say why.", "rationale")
    require_clean(title, "title")
    require_clean(rationale, "rationale")
    if response_type not in {r["code"] for r in version.response_types}:
        raise OperationError("Choose a response type from the framework.", "response_type")
    if target_group not in {g["code"] for g in version.target_groups}:
        raise OperationError("Choose a target group from the framework.", "target_group")
    domains = list(session.scalars(
        select(Domain).where(Domain.id.in_(domain_ids), Domain.framework_version_id == version.id)
    )) if domain_ids else []
    if not domains or len(domains) != len(set(domain_ids)):
        raise OperationError("Choose at least one barrier domain.", "domain_ids")
    if review_date is not None and review_date < start_date:
        raise OperationError("The review date cannot be before the start date.", "review_date")
    if decided_on > local_today():
        raise OperationError("The day it was decided cannot be in the future.", "decided_on")
    if not MIN_WINDOW_DAYS <= window_days <= MAX_WINDOW_DAYS:
        raise OperationError(f"Each window is {MIN_WINDOW_DAYS} to {MAX_WINDOW_DAYS} days.", "window_days")
    if pathway_id is not None:
        pathway = session.get(Pathway, pathway_id)
        if pathway is None or pathway.service_id != service.id:
            raise OperationError("Choose one of this service's pathways.", "pathway_id")
    elif pathway_only:
        raise OperationError("Choose the pathway to measure on, or measure on every case.", "pathway_only")
    return dict(title=title.strip(), rationale=rationale.strip(), response_type=response_type,
                target_group=target_group, domains=domains, start_date=start_date, review_date=review_date,
                pathway_id=pathway_id, pathway_only=pathway_only, window_days=window_days, decided_on=decided_on)


def _log(session: Session, actor_id: int, decision: Decision, reason: str) -> DecisionChange:
    """Keep the step to the decision's current status: who, when, why."""
    change = DecisionChange(status=decision.status, reason=reason, changed_by_id=actor_id)
    decision.changes.append(change)
    return change


@atomic
def record_decision(
    session: Session, actor_id: int, service: Service, *, title: str, rationale: str,
    response_type: str, target_group: str, domain_ids: list[int], start_date: date,
    review_date: date | None = None, pathway_id: int | None = None, pathway_only: bool = False,
    window_days: int = DEFAULT_WINDOW_DAYS, decided_on: date | None = None, status: str = DecisionStatus.PROPOSED,
    session_id: int | None = None, observation_ids: list[int] | None = None,
) -> Decision:
    """Record a decision that answers one or more barrier domains of the current framework, linked to the
    barrier observations of this service it was drawn from (if any)."""
    version = current_version(session)
    if version is None:
        raise OperationError("No framework is loaded yet.")
    fields = _checked(session, version, service, title=title, rationale=rationale, response_type=response_type,
                      target_group=target_group, domain_ids=domain_ids, start_date=start_date,
                      review_date=review_date, pathway_id=pathway_id, pathway_only=pathway_only,
                      window_days=window_days, decided_on=decided_on or local_today())
    if status not in FIRST:
        raise OperationError(f"A new decision is {', '.join(FIRST)}.", "status")
    if status == DecisionStatus.IN_EFFECT and start_date > local_today():
        raise OperationError("It cannot be in effect before its start date: record it as agreed.", "status")
    if session_id is not None:
        held = session.get(SupervisionSession, session_id)
        if held is None or held.service_id != service.id:
            raise OperationError("That supervision session is not in this service.", "session_id")
    observations = _barriers_of(session, service, observation_ids or [])
    decision = Decision(service_id=service.id, session_id=session_id, framework_version_id=version.id,
                        status=DecisionStatus(status).value, created_by_id=actor_id, observations=observations,
                        **fields)
    session.add(decision)
    _log(session, actor_id, decision, "Recorded.")
    session.flush()
    audit.record(session, actor_id, "decision.create", decision)
    return decision


@atomic
def edit_decision(
    session: Session, actor_id: int, decision: Decision, *, title: str, rationale: str, response_type: str,
    target_group: str, domain_ids: list[int], start_date: date, review_date: date | None = None,
    pathway_id: int | None = None, pathway_only: bool = False, window_days: int = DEFAULT_WINDOW_DAYS,
    decided_on: date | None = None, seen_version: int | None = None,
) -> Decision:
    """Change a proposal; once agreed, a decision changes only through its lifecycle."""
    claim(session, decision, seen_version)
    if not decision.editable:
        raise OperationError(f"It is {decision.status}: only a proposal can be edited.")
    fields = _checked(session, decision.framework_version, decision.service, title=title, rationale=rationale,
                      response_type=response_type, target_group=target_group, domain_ids=domain_ids,
                      start_date=start_date, review_date=review_date, pathway_id=pathway_id,
                      pathway_only=pathway_only, window_days=window_days,
                      decided_on=decided_on or decision.decided_on)
    for name, value in fields.items():
        setattr(decision, name, value)
    session.flush()
    audit.record(session, actor_id, "decision.update", decision)
    return decision


def _reason(reason: str) -> str:
    """A status change's reason, checked."""
    reason = reason.strip()
    if not reason:
        raise OperationError("Say why, in a few words.", "reason")
    if len(reason) > REASON_LENGTH:
        raise OperationError(f"Keep the reason to {REASON_LENGTH} characters.", "reason")
    require_clean(reason, "reason")
    return reason


@atomic
def change_status(session: Session, actor_id: int, decision: Decision, status: str, reason: str,
                  stopped_on: date | None = None, seen_version: int | None = None) -> Decision:
    """Move a decision on in its life (agreed, in effect, stopped), saying why; a stop says from which day."""
    claim(session, decision, seen_version)
    if status not in NEXT[DecisionStatus(decision.status)]:
        allowed = " or ".join(NEXT[DecisionStatus(decision.status)]) or "nothing: it has stopped"
        raise OperationError(f"From {decision.status} it can move to {allowed}.", "status")
    reason = _reason(reason)
    today = local_today()
    if status == DecisionStatus.IN_EFFECT and decision.start_date > today:
        raise OperationError(f"It starts on {format_day(decision.start_date)}: mark it in effect from then.", "status")
    if status == DecisionStatus.STOPPED:
        decision.stopped_on = _stop_day(decision, stopped_on or today, today)
    decision.status = DecisionStatus(status).value
    _log(session, actor_id, decision, reason)
    session.flush()
    audit.record(session, actor_id, "decision.status", decision)
    return decision


def _stop_day(decision: Decision, day: date, today: date) -> date:
    """The first day a decision was no longer in effect, checked: today or earlier and, for one that ran, after
    its start and not before its last review (it was in effect on both). One that never ran stops today."""
    if day > today:
        raise OperationError("Say the day it stopped: today or earlier.", "stopped_on")
    if not decision.ran:
        return today
    if day <= decision.start_date:
        raise OperationError(f"It was in effect from {format_day(decision.start_date)}: it stopped after that day.",
                             "stopped_on")
    last_review = max((r.reviewed_on for r in decision.reviews), default=None)
    if last_review is not None and day < last_review:
        raise OperationError(f"It was reviewed on {format_day(last_review)}, still in effect: it stopped on or after "
                             "that day.", "stopped_on")
    return day


@atomic
def review_decision(session: Session, actor_id: int, decision: Decision, outcome: str, reason: str,
                    next_review: date | None = None, seen_version: int | None = None) -> DecisionReview:
    """Review a decision in effect: keep its effect as measured today, and keep it, change it or stop it."""
    claim(session, decision, seen_version)
    if not decision.reviewable:
        raise OperationError(f"It is {decision.status}: only a decision in effect can be reviewed.", "outcome")
    if outcome not in ReviewOutcome.values():
        raise OperationError("Choose keep, change or stop.", "outcome")
    reason = _reason(reason)
    today = local_today()
    if next_review is not None and (outcome == ReviewOutcome.STOP or next_review <= today):
        raise OperationError("A next review is after today, and only for a decision that goes on.", "next_review")
    review = DecisionReview(reviewed_on=today, outcome=outcome, reason=reason, reviewed_by_id=actor_id,
                            figures=effect.measure(session, decision, today).as_dict())
    decision.reviews.append(review)
    if outcome == ReviewOutcome.STOP:
        decision.status, decision.stopped_on = DecisionStatus.STOPPED.value, today
    else:
        decision.status = DecisionStatus.REVIEWED.value
        decision.review_date = next_review or decision.review_date
    _log(session, actor_id, decision, f"Reviewed ({outcome}): {reason}")
    session.flush()
    audit.record(session, actor_id, "decision.review", decision)
    return review


def _barriers_of(session: Session, service: Service, observation_ids: list[int]) -> list[Observation]:
    """These barrier observations of this service, refusing any id that is not one."""
    wanted = set(observation_ids)
    if not wanted:
        return []
    found = list(session.scalars(
        select(Observation).where(Observation.id.in_(wanted), Observation.service_id == service.id,
                                  Observation.kind == Kind.BARRIER).order_by(Observation.id)
    ))
    if len(found) != len(wanted):
        raise OperationError("Some of the observations behind this draft are not barriers recorded in this "
                             "service: start the draft again from the recurring barriers.", "observation_ids")
    return found
