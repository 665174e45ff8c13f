"""Recording service-development decisions."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool import audit
from ecotool.capture.models import Observation
from ecotool.db import atomic
from ecotool.decisions.models import Decision
from ecotool.errors import OperationError
from ecotool.framework.queries import current_version
from ecotool.privacy import require_clean
from ecotool.framework.models import Domain
from ecotool.services.models import Pathway, Service
from ecotool.supervision.models import SupervisionSession
from ecotool.vocab import DecisionStatus, Kind


@atomic
def record_decision(
    session: Session, actor_id: int, service: Service, *, title: str, rationale: str,
    response_type: str, target_group: str, domain_ids: list[int], start_date: date,
    review_date: date | None = None, pathway_id: int | None = None, status: str = DecisionStatus.PROPOSED,
    session_id: int | None = None, observation_ids: list[int] | None = None,
) -> Decision:
    """Record a decision that answers one or more barrier domains of the current framework, linked to the
    barrier observations of this service it was drawn from (if any)."""
    version = current_version(session)
    if version is None:
        raise OperationError("No framework is loaded yet.")
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
    if status not in DecisionStatus.values():
        raise OperationError(f"Status is one of {', '.join(DecisionStatus.values())}.", "status")
    domains = list(session.scalars(
        select(Domain).where(Domain.id.in_(domain_ids), Domain.framework_version_id == version.id)
    )) if domain_ids else []
    if not domains or len(domains) != len(set(domain_ids)):
        raise OperationError("Choose at least one barrier domain.", "domain_ids")
    if review_date is not None and review_date < start_date:
        raise OperationError("The review date cannot be before the start date.", "review_date")
    if pathway_id is not None:
        pathway = session.get(Pathway, pathway_id)
        if pathway is None or pathway.service_id != service.id:
            raise OperationError("Choose one of this service's pathways.", "pathway_id")
    if session_id is not None:
        held = session.get(SupervisionSession, session_id)
        if held is None or held.service_id != service.id:
            raise OperationError("That supervision session is not in this service.", "session_id")
    observations = _barriers_of(session, service, observation_ids or [])
    decision = Decision(
        service_id=service.id, session_id=session_id, framework_version_id=version.id,
        title=title.strip(), rationale=rationale.strip(), response_type=response_type,
        target_group=target_group, pathway_id=pathway_id, start_date=start_date,
        review_date=review_date, status=DecisionStatus(status).value, created_by_id=actor_id, domains=domains,
        observations=observations,
    )
    session.add(decision)
    session.flush()
    audit.record(session, actor_id, "decision.create", decision)
    return decision


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
