"""Setting up services and their pathways; the target rule as Python and as SQL."""
from __future__ import annotations

import re

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ecotool import audit
from ecotool.auth.models import Membership, Person
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
    slug, name = slug.strip().lower(), name.strip()
    if not SLUG.match(slug) or len(slug) > 60:
        raise OperationError("Use up to 60 lowercase letters, digits and single hyphens, e.g. north-shore.", "slug")
    if not name or len(name) > 200:
        raise OperationError("Give the service a name of up to 200 characters.", "name")
    if session.scalar(select(Service.id).where(Service.slug == slug)):
        raise OperationError(f"A service with the slug {slug!r} already exists.", "slug")
    prefix = (case_prefix or _prefix_from(slug)).upper()
    if not PREFIX.match(prefix):
        field = "case_prefix" if case_prefix else "slug"
        raise OperationError("The case prefix is 2 to 4 capital letters; give one, as the slug has too few letters."
                             if not case_prefix else "The case prefix is 2 to 4 capital letters.", field)
    service = Service(slug=slug, name=name.strip(), case_prefix=prefix)
    service.pathways = [Pathway(name=p) for p in pathways]
    session.add(service)
    session.flush()
    audit.record(session, actor_id, "service.create", service)
    return service


def _prefix_from(slug: str) -> str:
    """Initials of the slug's words (north-shore -> NS), or its first two letters."""
    initials = "".join(w[0] for w in slug.split("-") if w[0].isalpha())[:4]
    letters = "".join(ch for ch in slug if ch.isalpha())
    return initials if len(initials) >= 2 else letters[:2]


def get_service(session: Session, slug: str) -> Service | None:
    """Find a service by its slug."""
    return session.scalar(select(Service).where(Service.slug == slug))


def staff_names(session: Session, service_ids: list[int]) -> list[str]:
    """Display names of the people in these services, for the privacy guard's name check."""
    return list(session.scalars(
        select(Person.display_name).join(Membership, Membership.person_id == Person.id)
        .where(Membership.service_id.in_(service_ids)).distinct()
    ))


def peer_supporters(session: Session, service_id: int) -> list[Person]:
    """The active peer supporters of a service, by name."""
    return list(session.scalars(
        select(Person).join(Membership, Membership.person_id == Person.id)
        .where(Membership.service_id == service_id, Person.role == "peer_supporter", Person.active)
        .order_by(Person.display_name)
    ))


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
