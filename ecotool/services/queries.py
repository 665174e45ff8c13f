"""Reading services."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool.services.models import Service


def get_service(session: Session, slug: str) -> Service | None:
    """Find a service by its slug."""
    return session.scalar(select(Service).where(Service.slug == slug))


def all_services(session: Session) -> list[Service]:
    """Every service, by name."""
    return list(session.scalars(select(Service).order_by(Service.name)))
