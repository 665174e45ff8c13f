"""Reading stored briefs."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ecotool.capture.models import Observation
from ecotool.reports.models import Brief


def briefs_in(session: Session, service_ids: list[int]) -> list[Brief]:
    """Stored briefs of these services, newest first; a regional brief only when every service it covers is
    one of them."""
    found = session.scalars(
        select(Brief).where(Brief.service_id.in_(service_ids)).order_by(Brief.created_at.desc(), Brief.id.desc()))
    return [b for b in found if set(b.region_service_ids or []) <= set(service_ids)]


def shareable_observations(session: Session, service_id: int) -> list[Observation]:
    """A service's observations marked shareable, oldest first, with their domains."""
    return list(session.scalars(
        select(Observation).where(Observation.service_id == service_id, Observation.shareable.is_(True))
        .options(selectinload(Observation.domain)).order_by(Observation.observed_on, Observation.id)))
