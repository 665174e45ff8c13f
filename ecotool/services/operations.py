"""Setting up services and their pathways."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool import audit
from ecotool.db import atomic
from ecotool.errors import OperationError
from ecotool.services.models import PREFIX_PATTERN, SLUG_PATTERN, Pathway, Service

SLUG = re.compile(SLUG_PATTERN)
PREFIX = re.compile(PREFIX_PATTERN)
DEFAULT_PATHWAYS = ("Midwife referral", "Self-referral")


@atomic
def create_service(
    session: Session, actor_id: int | None, slug: str, name: str, case_prefix: str | None = None,
    pathways: tuple[str, ...] = DEFAULT_PATHWAYS,
) -> Service:
    """Create a service with its pathways; refuse a bad or duplicate slug."""
    slug, name = slug.strip().lower(), name.strip()
    if not SLUG.match(slug) or len(slug) > 60:
        raise OperationError("Use up to 60 lowercase letters, digits and single hyphens, e.g. north-shore.", "slug")
    if not name or len(name) > 200:
        raise OperationError("Give the service a name of up to 200 characters.", "name")
    if session.scalar(select(Service.id).where(Service.slug == slug)):
        raise OperationError(f"A service with the slug {slug!r} already exists.", "slug")
    names = _pathway_names(pathways)
    prefix = (case_prefix or _prefix_from(slug)).upper()
    if not PREFIX.match(prefix):
        field = "case_prefix" if case_prefix else "slug"
        raise OperationError("The case prefix is 2 to 4 capital letters; give one, as the slug has too few letters."
                             if not case_prefix else "The case prefix is 2 to 4 capital letters.", field)
    service = Service(slug=slug, name=name.strip(), case_prefix=prefix)
    service.pathways = [Pathway(name=p) for p in names]
    session.add(service)
    session.flush()
    audit.record(session, actor_id, "service.create", service)
    return service


@atomic
def add_pathway(session: Session, actor_id: int | None, service: Service, name: str) -> Pathway:
    """Add a pathway to a service; refuse a blank, overlong or duplicate name."""
    (name,) = _pathway_names((name,))
    if name.lower() in {p.name.lower() for p in service.pathways}:
        raise OperationError(f"{service.slug} already has a pathway called {name!r}.", "name")
    pathway = Pathway(name=name)
    service.pathways.append(pathway)
    session.flush()
    audit.record(session, actor_id, "pathway.create", pathway)
    return pathway


def _pathway_names(names: tuple[str, ...]) -> list[str]:
    """The names stripped; an import matches pathways in any case, so two may not differ only in case."""
    cleaned = [n.strip() for n in names]
    if any(not n or len(n) > 120 for n in cleaned):
        raise OperationError("Give each pathway a name of up to 120 characters.", "name")
    if len({n.lower() for n in cleaned}) < len(cleaned):
        raise OperationError("A pathway is named twice; each pathway of a service needs its own name.", "name")
    return cleaned


def _prefix_from(slug: str) -> str:
    """Initials of the slug's words (north-shore -> NS), or its first two letters."""
    initials = "".join(w[0] for w in slug.split("-") if w[0].isalpha())[:4]
    letters = "".join(ch for ch in slug if ch.isalpha())
    return initials if len(initials) >= 2 else letters[:2]
