"""Who may see what: roles per page, cases per person, services per membership."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from ecotool.auth.models import Person
from ecotool.capture.models import Case
from ecotool.services.models import Service


def roles_required(*roles: str) -> Callable:
    """Decorate a view so only signed-in people with one of these roles may open it."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def caseworker_ids(person: Person) -> list[int]:
    """Ids of the people whose cases this person may see: herself and her supervisees."""
    if person.role == "peer_supporter":
        return [person.id]
    if person.role == "supervisor":
        return [person.id] + [p.id for p in person.supervisees]
    return []


def visible_cases(person: Person) -> Select:
    """A query for the cases this person may see (commissioners and admins: none)."""
    ids = caseworker_ids(person)
    query = select(Case).where(Case.service_id.in_(person.service_ids))
    return query.where(Case.supporter_id.in_(ids)) if ids else query.where(false())


def case_or_404(session: Session, person: Person, case_id: int) -> Case:
    """Return a case this person may see, or abort with 404 (never a hint that it exists)."""
    case = session.scalar(visible_cases(person).where(Case.id == case_id))
    if case is None:
        abort(404)
    return case


def services_of(session: Session, person: Person) -> list[Service]:
    """The services this person belongs to (admins: every service)."""
    query = select(Service).order_by(Service.name)
    if person.role != "admin":
        query = query.where(Service.id.in_(person.service_ids))
    return list(session.scalars(query))


def service_or_404(session: Session, person: Person, service_id: int) -> Service:
    """Return a service this person belongs to, or abort with 404."""
    for service in services_of(session, person):
        if service.id == service_id:
            return service
    abort(404)
