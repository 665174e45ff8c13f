"""Reading decisions."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool.decisions.models import Decision


def decisions_in(session: Session, service_ids: list[int]) -> list[Decision]:
    """Decisions of these services, the latest start first."""
    return list(session.scalars(
        select(Decision).where(Decision.service_id.in_(service_ids))
        .order_by(Decision.start_date.desc(), Decision.id.desc())
    ))
