"""Creating people and checking passwords (argon2)."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import textwrap
from datetime import timedelta, timezone

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.matching import RANKED_DICTIONARIES
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ecotool import audit
from ecotool.auth.models import Membership, Person, RecoveryCode, SignIn
from ecotool.clock import utcnow
from ecotool.db import atomic
from ecotool.errors import OperationError
from ecotool.services.models import Service
from ecotool.services.queries import get_service
from ecotool.vocab import Role

ONE_TIME_HOURS = 24
MIN_PASSWORD = 12
MAX_PASSWORD = 128

_hasher = PasswordHasher()
# The 30,000 most common passwords of zxcvbn's lists (a maintained package), refused as they are.
_COMMON = frozenset(RANKED_DICTIONARIES["passwords"])
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
    one_time = password is None
    password = password or _one_time_password()
    person = Person(
        email=email, role=Role(role).value, display_name=display_name,
        password_hash=_hash_password(password), supervisor_id=supervisor_id,
        one_time_until=utcnow() + timedelta(hours=ONE_TIME_HOURS) if one_time else None,
    )
    person.memberships = [Membership(service=s) for s in services]
    session.add(person)
    session.flush()
    audit.record(session, actor_id, "person.create", person)
    return person, password


@atomic
def authenticate(session: Session, email: str, password: str) -> Person | None:
    """Return the active person with this e-mail and password, or None; a refusal is audited (the person it
    named, if any, never the e-mail typed), a success when her sign-in starts."""
    person = session.scalar(select(Person).where(func.lower(Person.email) == email.strip().lower()))
    try:
        _hasher.verify(person.password_hash if person else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return _failed_sign_in(session, person)
    if person is None or not person.active:
        return _failed_sign_in(session, person)
    if person.one_time_until is not None:
        if utcnow() > person.one_time_until:
            return _failed_sign_in(session, person)
    elif _hasher.check_needs_rehash(person.password_hash):
        person.password_hash = _hash_password(password)
    return person


@atomic
def update_person(session: Session, actor_id: int, person: Person, *, display_name: str, service_ids: list[int],
                  supervisor_id: int | None) -> Person:
    """Change a person's name, services and (a peer supporter's) supervisor, who must share a service with her;
    a supervisor keeps a service while a supervisee of hers works only there."""
    display_name = display_name.strip()
    if not display_name or len(display_name) > 120:
        raise OperationError("Give a name of up to 120 characters.", "display_name")
    services = [s for s in session.scalars(select(Service).where(Service.id.in_(service_ids)))]
    if len(services) != len(set(service_ids)):
        raise OperationError("Choose services from the list.", "service_ids")
    if not services and person.role != Role.ADMIN:
        raise OperationError("Choose at least one service.", "service_ids")
    chosen = {s.id for s in services}
    if supervisor_id is not None:
        supervisor = session.get(Person, supervisor_id)
        if person.role != Role.PEER_SUPPORTER:
            raise OperationError("Only peer supporters have a supervisor here.", "supervisor_id")
        if supervisor is None or supervisor.role != Role.SUPERVISOR or not supervisor.active:
            raise OperationError("The supervisor must be an active person with the supervisor role.", "supervisor_id")
        if not chosen & set(supervisor.service_ids):
            raise OperationError("The supervisor must work in one of her services.", "supervisor_id")
    for supervisee in person.supervisees:
        if supervisee.active and not chosen & set(supervisee.service_ids):
            raise OperationError(f"{supervisee.display_name} would share no service with her supervisor: change "
                                 "her supervisor first.", "service_ids")
    person.display_name, person.supervisor_id = display_name, supervisor_id
    kept = {m.service_id: m for m in person.memberships}
    person.memberships = [kept.get(s.id) or Membership(service=s) for s in services]
    session.flush()
    audit.record(session, actor_id, "person.update", person)
    return person


@atomic
def set_active(session: Session, actor_id: int, person: Person, active: bool) -> Person:
    """Deactivate a person (she can no longer sign in, every session of hers ends at once, her records stay) or
    let her back in."""
    if person.id == actor_id and not active:
        raise OperationError("You cannot deactivate yourself; ask another administrator.")
    person.active = active
    audit.record(session, actor_id, "person.activate" if active else "person.deactivate", person)
    if not active:
        end_sign_ins(session, actor_id, person, "deactivated")
    return person


def _one_time_password() -> str:
    return secrets.token_urlsafe(12)


def _password_problem(password: str, person: Person) -> str | None:
    """Why a new password will not do (too short or long, or common or easily guessed by zxcvbn's lists,
    her e-mail and name among them), or None when it will."""
    if len(password) < MIN_PASSWORD:
        return f"Use at least {MIN_PASSWORD} characters; a few unrelated words are easy to remember."
    if len(password) > MAX_PASSWORD:
        return f"Use at most {MAX_PASSWORD} characters."
    guessed = zxcvbn(password, user_inputs=[person.email, person.email.split("@")[0], person.display_name])
    if password.lower() in _COMMON or guessed["score"] < 3:
        hint = guessed["feedback"]["warning"] or "It would be easy to guess."
        return f"{hint.rstrip('.')}. Choose a longer password no one would guess."
    return None


@atomic
def set_password(session: Session, person: Person, current: str | None, new: str, keep: str | None) -> None:
    """Set a person's own password (her current one checked unless she signed in with a one-time password);
    every other browser of hers is signed out; audited."""
    if not person.must_set_password:
        try:
            _hasher.verify(person.password_hash, current or "")
        except (VerificationError, InvalidHashError):
            raise OperationError("That is not your current password.", "current") from None
    problem = _password_problem(new, person)
    if problem:
        raise OperationError(problem, "password")
    person.password_hash = _hash_password(new)
    person.must_set_password, person.one_time_until = False, None
    audit.record(session, person.id, "person.password_change", person)
    end_sign_ins(session, person.id, person, "password", keep=keep)


@atomic
def issue_one_time_password(session: Session, actor_id: int | None, person: Person) -> str:
    """Give a person a new one-time password (it works once, for 24 hours) and sign out all her browsers;
    return it to hand over."""
    password = _one_time_password()
    person.password_hash = _hash_password(password)
    person.one_time_until = utcnow() + timedelta(hours=ONE_TIME_HOURS)
    person.must_set_password = False
    audit.record(session, actor_id, "person.one_time_password", person)
    end_sign_ins(session, actor_id, person, "reset")
    return password


def _failed_sign_in(session: Session, person: Person | None) -> None:
    """Audit a failed sign-in: against the person whose e-mail was typed, or no one (an unknown e-mail)."""
    audit.record(session, None, "person.sign_in_failed", person if person is not None else Person())
    return None


# A signed-in browser's last-seen time is written at most this often, not on every page.
_SEEN_EVERY = timedelta(seconds=60)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@atomic
def start_sign_in(session: Session, person: Person) -> str:
    """Start a signed-in session for a person (her password, and second factor if she has one, checked); return
    its token, which only the browser's cookie keeps. Audited."""
    if person.one_time_until is not None:
        # A one-time password works once, spent only now that the sign-in is complete (not at the password step,
        # where a second factor may still fail): replaced by one no one knows until she chooses her own.
        person.password_hash = _hash_password(secrets.token_urlsafe(32))
        person.one_time_until, person.must_set_password = None, True
    audit.record(session, person.id, "person.sign_in", person)
    token = secrets.token_urlsafe(32)
    session.add(SignIn(person_id=person.id, token_hash=_token_hash(token)))
    session.flush()
    return token


@atomic
def resume_sign_in(
    session: Session, person_id: int, token: str | None, idle: timedelta, longest: timedelta,
) -> tuple[Person | None, str | None]:
    """The person a browser's token still signs in, and None; or None and why it no longer does ("idle" or
    "time limit" when it has just run out, None when it had already ended or never existed)."""
    if not token:
        return None, None
    sign_in = session.scalar(select(SignIn).where(
        SignIn.token_hash == _token_hash(token), SignIn.person_id == person_id, SignIn.ended_at.is_(None)))
    if sign_in is None or not sign_in.person.active:
        return None, None
    now = utcnow()
    why = "time limit" if now - sign_in.started_at > longest else "idle" if now - sign_in.last_seen_at > idle else None
    if why:
        sign_in.ended_at, sign_in.ended_why = now, why
        return None, why
    if now - sign_in.last_seen_at > _SEEN_EVERY:
        sign_in.last_seen_at = now
    return sign_in.person, None


@atomic
def end_sign_in(session: Session, person: Person, token: str | None) -> None:
    """Sign a browser out: its session ends, and a copy of its cookie signs no one in; audited."""
    if token:
        _end(session, person.id, "sign-out", SignIn.token_hash == _token_hash(token))
    audit.record(session, person.id, "person.sign_out", person)


@atomic
def end_sign_ins(session: Session, actor_id: int | None, person: Person, why: str, keep: str | None = None) -> int:
    """End every signed-in session of a person (all her browsers), but the one whose token is kept; return how
    many ended."""
    ended = _end(session, person.id, why, SignIn.token_hash != _token_hash(keep) if keep else None)
    audit.record(session, actor_id, "person.sign_out_everywhere", person)
    return ended


def _end(session: Session, person_id: int, why: str, condition) -> int:
    query = select(SignIn).where(SignIn.person_id == person_id, SignIn.ended_at.is_(None))
    if condition is not None:
        query = query.where(condition)
    rows = list(session.scalars(query))
    now = utcnow()
    for row in rows:
        row.ended_at, row.ended_why = now, why
    return len(rows)


RECOVERY_CODES = 10


def _accepted_step(secret: str, code: str, after: int | None) -> int | None:
    """The 30-second step a six-digit code belongs to (this one or either next to it, for a slow clock), if it
    is right and later than the last one used; else None."""
    code = re.sub(r"\s", "", code)
    if not re.fullmatch(r"[0-9]{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    now = int(utcnow().replace(tzinfo=timezone.utc).timestamp()) // totp.interval
    for step in (now - 1, now, now + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _code_hash(code: str) -> str:
    return hashlib.sha256(re.sub(r"[\s-]", "", code).lower().encode()).hexdigest()


@atomic
def enrol_totp(session: Session, person: Person, secret: str, code: str, password: str | None = None,
               keep: str | None = None) -> list[str]:
    """Turn on two-factor sign-in once her app shows a right code (and, to replace an app already set up, her
    password is right); her other browsers are signed out; return her recovery codes (shown once)."""
    if person.totp_secret is not None:
        try:
            _hasher.verify(person.password_hash, password or "")
        except (VerificationError, InvalidHashError):
            raise OperationError("That is not your password.", "current") from None
    step = _accepted_step(secret, code, None)
    if step is None:
        raise OperationError("That code is not right. Type the six digits your app shows now.", "code")
    person.totp_secret, person.totp_last_step = secret, step
    session.execute(delete(RecoveryCode).where(RecoveryCode.person_id == person.id))
    codes = ["-".join(textwrap.wrap(secrets.token_hex(5), 5)) for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(person_id=person.id, code_hash=_code_hash(c)) for c in codes)
    audit.record(session, person.id, "person.two_factor_on", person)
    end_sign_ins(session, person.id, person, "two-factor", keep=keep)
    return codes


@atomic
def check_second_factor(session: Session, person: Person, code: str) -> bool:
    """Whether a code from her app (or one unused recovery code, used up now) completes her sign-in; a wrong
    one is audited."""
    step = _accepted_step(person.totp_secret or "", code, person.totp_last_step)
    if step is not None:
        person.totp_last_step = step
        return True
    recovery = session.scalar(select(RecoveryCode).where(
        RecoveryCode.person_id == person.id, RecoveryCode.code_hash == _code_hash(code),
        RecoveryCode.used_at.is_(None)))
    if recovery is not None:
        recovery.used_at = utcnow()
        audit.record(session, person.id, "person.recovery_code_used", person)
        return True
    audit.record(session, None, "person.second_factor_failed", person)
    return False


@atomic
def turn_off_totp(session: Session, actor_id: int, person: Person) -> None:
    """Turn off her two-factor sign-in (a lost phone with no recovery code left): she sets it up again at her
    next sign-in; every session of hers ends."""
    person.totp_secret, person.totp_last_step = None, None
    session.execute(delete(RecoveryCode).where(RecoveryCode.person_id == person.id))
    audit.record(session, actor_id, "person.two_factor_off", person)
    end_sign_ins(session, actor_id, person, "reset")
