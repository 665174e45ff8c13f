"""Setting up services and their pathways; the target rule as Python and as SQL."""
from __future__ import annotations

import re

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ecotool import audit
from ecotool.capture.models import Case
from ecotool.errors import OperationError
from ecotool.services.models import Pathway, Service

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PREFIX = re.compile(r"^[A-Z]{2,4}$")


def create_service(
    session: Session, actor_id: int | None, slug: str, name: str, case_prefix: str | None = None,
    pathways: tuple[str, ...] = ("Midwife referral", "Self-referral"),
) -> Service:
    """Create a service with its pathways; refuse a bad or duplicate slug."""
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise OperationError("Use lowercase letters, digits and single hyphens, e.g. north-shore.", "slug")
    if not name.strip():
        raise OperationError("Give the service a name.", "name")
    if session.scalar(select(Service.id).where(Service.slug == slug)):
        raise OperationError(f"A service with the slug {slug!r} already exists.", "slug")
    prefix = (case_prefix or "".join(w[0] for w in slug.split("-"))[:4]).upper()
    if len(prefix) < 2:
        prefix = slug[:2].upper()
    if not PREFIX.match(prefix):
        raise OperationError("The case prefix is 2 to 4 capital letters.", "case_prefix")
    service = Service(slug=slug, name=name.strip(), case_prefix=prefix)
    service.pathways = [Pathway(name=p) for p in pathways]
    session.add(service)
    session.flush()
    audit.record(session, actor_id, "service.create", service)
    return service


def get_service(session: Session, slug: str) -> Service | None:
    """Find a service by its slug."""
    return session.scalar(select(Service).where(Service.slug == slug))


def is_target(service: Service, imd_quintile: int | None, age_band: str) -> bool:
    """Whether a case with these values falls in the service's target group."""
    by_quintile = bool(service.target_quintile_max and imd_quintile and imd_quintile <= service.target_quintile_max)
    return by_quintile or (service.target_under_20 and age_band == "under 20")


def target_clause(service: Service) -> ColumnElement[bool]:
    """The target rule as a SQL condition on Case, for aggregates."""
    parts = []
    if service.target_quintile_max:
        parts.append(and_(Case.imd_quintile.is_not(None), Case.imd_quintile <= service.target_quintile_max))
    if service.target_under_20:
        parts.append(Case.age_band == "under 20")
    return or_(*parts) if parts else false()
