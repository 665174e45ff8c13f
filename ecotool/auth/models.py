"""People who use ecotool (staff, never mothers) and the services they belong to."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecotool.db import Base, in_list, utcnow
from ecotool.vocab import Role



class Person(Base):
    """A member of staff or a commissioner with a login."""

    __tablename__ = "person"
    __table_args__ = (CheckConstraint(in_list("role", Role), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set while her password is a one-time one an admin handed over: it works once, until this time.
    one_time_until: Mapped[datetime | None]
    # Signed in with a one-time password: she chooses her own before any other page opens.
    must_set_password: Mapped[bool] = mapped_column(default=False)
    # Her authenticator app's shared secret (base32), once she has set up two-factor sign-in; and the last
    # 30-second step a code was accepted for, so a code seen over her shoulder cannot be used again.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None]

    supervisor: Mapped[Person | None] = relationship(remote_side=[id], back_populates="supervisees")
    supervisees: Mapped[list[Person]] = relationship(back_populates="supervisor")
    memberships: Mapped[list[Membership]] = relationship(back_populates="person")

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.role}>"

    # Flask-Login reads these four; written here so the model does not depend on the web layer.
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        """Whether this person may sign in."""
        return self.active

    @property
    def is_authenticated(self) -> bool:
        """A deactivated person counts as signed out at her next request."""
        return self.active

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session cookie."""
        return str(self.id)

    @property
    def caseworker_ids(self) -> list[int]:
        """Ids of the people whose cases this person may see: herself and her supervisees."""
        if self.role == Role.PEER_SUPPORTER:
            return [self.id]
        if self.role == Role.SUPERVISOR:
            return [self.id] + [p.id for p in self.supervisees]
        return []

    @property
    def reads_case_words(self) -> bool:
        """Whether she may read what was written about cases (supporters and supervisors); an administrator sets
        the service up and sees counts, never those words."""
        return self.role in (Role.PEER_SUPPORTER, Role.SUPERVISOR)

    @property
    def role_name(self) -> str:
        """The role in the users' words."""
        return Role(self.role).label

    @property
    def service_ids(self) -> list[int]:
        """Ids of the services this person belongs to."""
        return [m.service_id for m in self.memberships]


class SignIn(Base):
    """One signed-in browser: the cookie carries a random token, this row its hash. Ending the row ends the
    browser's session at its next request, whatever the cookie says (sign-out, "sign out everywhere",
    deactivation, a password change, an idle or absolute time-out)."""

    __tablename__ = "sign_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    # sign-out, everywhere, password, two-factor, reset, deactivated, idle or time limit
    ended_why: Mapped[str | None] = mapped_column(String(20))

    person: Mapped[Person] = relationship()

    def __repr__(self) -> str:
        return f"<SignIn {self.id} person={self.person_id}{' ended' if self.ended_at else ''}>"


class RecoveryCode(Base):
    """A one-use code that stands in for her authenticator app (a lost phone); only its hash is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<RecoveryCode {self.id} person={self.person_id}{' used' if self.used_at else ''}>"


class Membership(Base):
    """A person belongs to a service."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("person_id", "service_id", name="person_service"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)

    person: Mapped[Person] = relationship(back_populates="memberships")
    service: Mapped["Service"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Membership person={self.person_id} service={self.service_id}>"
