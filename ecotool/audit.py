"""Audit trail: who did what to which record; ids only, never free text."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ecotool.clock import day_bounds
from ecotool.db import Base, utcnow


class AuditEvent(Base):
    """One recorded action."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[int | None]

    actor: Mapped["Person | None"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} {self.object_type}:{self.object_id}>"


def record(session: Session, actor_id: int | None, action: str, obj: object) -> AuditEvent:
    """Add an audit event for an action on a flushed model instance."""
    event = AuditEvent(
        actor_id=actor_id,
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
    )
    session.add(event)
    return event


# Actions that look at a record without changing it.
READ_ACTIONS = (".read", ".download", ".export")


def last_change(session: Session, obj: object) -> AuditEvent | None:
    """The latest recorded change to a record (not a read, download or export of it): who made it and when."""
    return session.scalar(
        select(AuditEvent)
        .where(AuditEvent.object_type == type(obj).__name__, AuditEvent.object_id == getattr(obj, "id", None),
               *(AuditEvent.action.not_like(f"%{suffix}") for suffix in READ_ACTIONS))
        .order_by(AuditEvent.id.desc()).limit(1))


PAGE_SIZE = 100


def actions(session: Session) -> list[str]:
    """Every action the log holds, for the filter."""
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def events(
    session: Session, *, action: str | None = None, actor_id: int | None = None, system: bool = False,
    object_type: str | None = None, object_id: int | None = None, start: date | None = None, end: date | None = None,
    page: int = 1,
) -> tuple[list[AuditEvent], bool]:
    """One page of the log, newest first, filtered; and whether there is a next page. `system` picks the entries
    with no person (the command line acting as the system, refused sign-ins)."""
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    if system:
        query = query.where(AuditEvent.actor_id.is_(None))
    elif actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    if start or end:
        first, last = day_bounds(start or date(2000, 1, 1), end or date(9999, 12, 30))
        query = query.where(AuditEvent.at >= first, AuditEvent.at <= last)
    found = list(session.scalars(query.order_by(AuditEvent.id.desc())
                                 .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    return found[:PAGE_SIZE], len(found) > PAGE_SIZE
