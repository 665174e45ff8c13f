"""Who may open which page, declared next to each route, and one way to fetch a service-owned object.

Every view carries an `Access` (set by `allow` or `public`); the menu and the access-matrix test
read it, and a route without one fails the suite.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Callable, TypeVar

from flask import abort, current_app
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool.auth.models import Person
from ecotool.auth.queries import scope
from ecotool.web import LARGEST_ID
from ecotool.extensions import login_manager
from ecotool.vocab import Role

T = TypeVar("T")


@dataclass(frozen=True)
class Access:
    """Who may open a page: anyone (public), or signed-in people with one of these roles."""

    roles: frozenset[Role]
    public: bool = False


def allow(*roles: Role) -> Callable:
    """Decorate a view so only signed-in people with one of these roles may open it (others: 403)."""
    access = Access(frozenset(roles))

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in access.roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.access = access  # type: ignore[attr-defined]
        return wrapped

    return decorator


def signed_in(view: Callable) -> Callable:
    """Decorate a view anyone signed in may open, whatever her role."""
    return allow(*Role)(view)


def public(view: Callable) -> Callable:
    """Mark a view anyone may open, signed in or not (the sign-in page)."""
    view.access = Access(frozenset(), public=True)  # type: ignore[attr-defined]
    return view


def declared(endpoint: str) -> Access | None:
    """The access declared on the view of an endpoint, or None if it has none."""
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access", None)


def may_open(person: Person, endpoint: str) -> bool:
    """Whether this person's role may open the page of an endpoint (the menu shows only those)."""
    access = declared(endpoint)
    return access is not None and (access.public or person.role in access.roles)


def get_or_404(session: Session, person: Person, model: type[T], object_id: int) -> T:
    """Return a service-owned object (service, case, observation, session, decision, brief) this person
    may see, or abort with 404, never hinting that another service's object exists."""
    if not 1 <= object_id <= LARGEST_ID:
        abort(404)
    found = session.scalar(select(model).where(model.id == object_id, *scope(person, model)))
    if found is None:
        abort(404)
    return found
