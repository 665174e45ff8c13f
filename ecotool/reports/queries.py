"""Reading stored briefs."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool.reports.models import Brief


def briefs_in(session: Session, service_ids: list[int]) -> list[Brief]:
    """Stored briefs of these services, newest first."""
    return list(session.scalars(
        select(Brief).where(Brief.service_id.in_(service_ids)).order_by(Brief.created_at.desc(), Brief.id.desc())
    ))
