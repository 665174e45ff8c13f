"""Supervision sessions: who met, the prompts shown (as shown), notes against them."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecotool.db import Base, in_list, utcnow
from ecotool.vocab import PromptOrigin

session_supervisee = Table(
    "session_supervisee",
    Base.metadata,
    Column("session_id", ForeignKey("supervision_session.id"), primary_key=True),
    Column("person_id", ForeignKey("person.id"), primary_key=True),
)


class SupervisionSession(Base):
    """A supervisor meets one or more supervisees on a date, over a period of their work."""

    __tablename__ = "supervision_session"
    __table_args__ = (CheckConstraint("period_start <= period_end", name="period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    held_on: Mapped[date]
    period_start: Mapped[date]
    period_end: Mapped[date]
    framework_version_id: Mapped[int] = mapped_column(ForeignKey("framework_version.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    supervisor: Mapped["Person"] = relationship(foreign_keys=[supervisor_id])  # noqa: F821
    supervisees: Mapped[list["Person"]] = relationship(secondary=session_supervisee)  # noqa: F821
    prompts: Mapped[list[SessionPrompt]] = relationship(
        back_populates="session", order_by="SessionPrompt.position"
    )
    service: Mapped["Service"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<SupervisionSession {self.id} {self.held_on}>"

    @classmethod
    def visible_to(cls, person) -> list:
        """Within its service, a session's record is the supervisor's who held it."""
        return [cls.supervisor_id == person.id]


class SessionPrompt(Base):
    """A prompt as it was shown in a session, with the figures behind it and the note made."""

    __tablename__ = "session_prompt"
    __table_args__ = (CheckConstraint(in_list("origin", PromptOrigin), name="origin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("supervision_session.id"), index=True)
    domain_id: Mapped[int] = mapped_column(ForeignKey("domain.id"))
    position: Mapped[int]
    origin: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)

    session: Mapped[SupervisionSession] = relationship(back_populates="prompts")
    domain: Mapped["Domain"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<SessionPrompt {self.session_id}:{self.position} {self.origin}>"
