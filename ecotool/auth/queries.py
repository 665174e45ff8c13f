"""Reading people and what they may see."""
from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ecotool.auth.models import Membership, Person, RecoveryCode, SignIn
from ecotool.services.models import Service
from ecotool.vocab import Role


def scope(person: Person, model: type) -> list[ColumnElement[bool]]:
    """Conditions that keep a query on a service-owned model to what this person may see.

    Any object: its service is one of hers (an administrator's: any service). Then the model's own
    rule, if it has one (`visible_to`): a case only to its supporter and her supervisor, a
    supervision session only to the supervisor who held it.
    """
    conditions: list[ColumnElement[bool]] = []
    if person.role != Role.ADMIN:
        column = model.id if model is Service else model.service_id
        conditions.append(column.in_(person.service_ids))
    visible_to = getattr(model, "visible_to", None)
    if visible_to is not None:
        conditions.extend(visible_to(person))
    return conditions


def services_of(session: Session, person: Person) -> list[Service]:
    """The services this person works in (an administrator: every service), by name."""
    return list(session.scalars(select(Service).where(*scope(person, Service)).order_by(Service.name)))


def staff_names(session: Session, service_ids: list[int]) -> list[str]:
    """Display names of the people in these services, for the privacy guard's name check."""
    return list(session.scalars(
        select(Person.display_name).join(Membership, Membership.person_id == Person.id)
        .where(Membership.service_id.in_(service_ids)).distinct()
    ))


def all_people(session: Session) -> list[Person]:
    """Everyone with a login, by role and e-mail."""
    return list(session.scalars(select(Person).order_by(Person.role, Person.email)))


def supervisors(session: Session) -> list[Person]:
    """Everyone with the supervisor role, by name."""
    return list(session.scalars(select(Person).where(Person.role == Role.SUPERVISOR).order_by(Person.display_name)))


def person(session: Session, person_id: int) -> Person | None:
    """A person by id (the session cookie's)."""
    return session.get(Person, person_id)


def open_sign_ins(session: Session, person: Person) -> int:
    """How many browsers she is signed in on now."""
    return session.scalar(select(func.count()).select_from(SignIn).where(
        SignIn.person_id == person.id, SignIn.ended_at.is_(None))) or 0


def recovery_codes_left(session: Session, person: Person) -> int:
    """How many of her recovery codes are unused."""
    return session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.person_id == person.id, RecoveryCode.used_at.is_(None))) or 0
