"""Creating people and checking passwords (argon2)."""
from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecotool import audit
from ecotool.auth.models import Membership, Person
from ecotool.db import atomic
from ecotool.errors import OperationError
from ecotool.services.queries import get_service
from ecotool.vocab import Role

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so a wrong e-mail costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password")


def _hash_password(password: str) -> str:
    """Return an argon2 hash of a password."""
    return _hasher.hash(password)


@atomic
def create_person(
    session: Session, actor_id: int | None, email: str, role: str, service_slugs: list[str],
    display_name: str | None = None, supervisor_id: int | None = None, password: str | None = None,
) -> tuple[Person, str]:
    """Create a person in services; return the person and the (one-time) password."""
    try:
        email = validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise OperationError(f"Enter a valid e-mail address ({exc}).", "email") from exc
    if len(email) > 254:
        raise OperationError("The e-mail address is too long.", "email")
    display_name = (display_name or email.split("@")[0]).strip()
    if not display_name or len(display_name) > 120:
        raise OperationError("Give a name of up to 120 characters.", "display_name")
    if role not in Role.values():
        raise OperationError(f"Role must be one of {', '.join(Role.values())}.", "role")
    if session.scalar(select(Person.id).where(func.lower(Person.email) == email)):
        raise OperationError(f"Someone with the e-mail {email} already exists.", "email")
    services = []
    for slug in service_slugs:
        service = get_service(session, slug)
        if service is None:
            raise OperationError(f"There is no service with the slug {slug!r}.", "service")
        services.append(service)
    if not services and role != Role.ADMIN:
        raise OperationError("Choose at least one service.", "service")
    if supervisor_id is not None:
        if role != Role.PEER_SUPPORTER:
            raise OperationError("Only peer supporters have a supervisor here.", "supervisor_id")
        supervisor = session.get(Person, supervisor_id)
        if supervisor is None or supervisor.role != Role.SUPERVISOR:
            raise OperationError("The supervisor must be a person with the supervisor role.", "supervisor_id")
        if not {s.id for s in services} & {m.service_id for m in supervisor.memberships}:
            raise OperationError("The supervisor must work in the same service.", "supervisor_id")
    password = password or secrets.token_urlsafe(12)
    person = Person(
        email=email, role=Role(role).value, display_name=display_name,
        password_hash=_hash_password(password), supervisor_id=supervisor_id,
    )
    person.memberships = [Membership(service=s) for s in services]
    session.add(person)
    session.flush()
    audit.record(session, actor_id, "person.create", person)
    return person, password


@atomic
def authenticate(session: Session, email: str, password: str) -> Person | None:
    """Return the active person with this e-mail and password, or None; either way the attempt is audited
    (the person it named, if any, never the e-mail typed)."""
    person = session.scalar(select(Person).where(func.lower(Person.email) == email.strip().lower()))
    try:
        _hasher.verify(person.password_hash if person else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return _failed_sign_in(session, person)
    if person is None or not person.active:
        return _failed_sign_in(session, person)
    if _hasher.check_needs_rehash(person.password_hash):
        person.password_hash = _hash_password(password)
    audit.record(session, person.id, "person.sign_in", person)
    return person


def _failed_sign_in(session: Session, person: Person | None) -> None:
    """Audit a failed sign-in: against the person whose e-mail was typed, or no one (an unknown e-mail)."""
    audit.record(session, None, "person.sign_in_failed", person if person is not None else Person())
    return None


@atomic
def record_sign_out(session: Session, person: Person) -> None:
    """Audit a sign-out."""
    audit.record(session, person.id, "person.sign_out", person)
