"""Supervision sessions: who met, the prompts shown (as shown), notes against them."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecotool.clock import format_day
from ecotool.db import Base, Versioned, in_list, utcnow
from ecotool.vocab import PromptOrigin, SessionStatus

session_supervisee = Table(
    "session_supervisee",
    Base.metadata,
    Column("session_id", ForeignKey("supervision_session.id"), primary_key=True),
    Column("person_id", ForeignKey("person.id"), primary_key=True),
)


class SupervisionSession(Versioned, Base):
    """A supervisor meets one or more supervisees on a date, over a period of their work."""

    __tablename__ = "supervision_session"
    __table_args__ = (
        CheckConstraint("period_start <= period_end", name="period"),
        CheckConstraint(in_list("status", SessionStatus), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    held_on: Mapped[date]
    period_start: Mapped[date]
    period_end: Mapped[date]
    framework_version_id: Mapped[int] = mapped_column(ForeignKey("framework_version.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(6), default=SessionStatus.DRAFT)
    # Each supervisee's figures as shown when the session opened: [{"id", "name", "figures": {...}}].
    figures: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    agreed: Mapped[str | None] = mapped_column(Text)  # the actions agreed, shown to the supervisees
    closed_at: Mapped[datetime | None]
    # What the record holds beyond its prompts, copied when it is closed so later edits leave it as it was:
    # {"observations": [...], "proposals": [...]}.
    closed_record: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    supervisor: Mapped["Person"] = relationship(foreign_keys=[supervisor_id])  # noqa: F821
    supervisees: Mapped[list["Person"]] = relationship(secondary=session_supervisee, order_by="Person.display_name")  # noqa: F821
    prompts: Mapped[list[SessionPrompt]] = relationship(
        back_populates="session", order_by="SessionPrompt.position"
    )
    service: Mapped["Service"] = relationship()  # noqa: F821
    # Named, not imported: observations (capture) and decisions (above supervision) point here.
    observations: Mapped[list["Observation"]] = relationship(  # noqa: F821
        "Observation", viewonly=True, order_by="Observation.id")
    proposals: Mapped[list["Decision"]] = relationship("Decision", viewonly=True, order_by="Decision.id")  # noqa: F821
    comments: Mapped[list["ObservationComment"]] = relationship(  # noqa: F821
        "ObservationComment", viewonly=True, order_by="ObservationComment.id")

    def __repr__(self) -> str:
        return f"<SupervisionSession {self.id} {self.held_on}>"

    @property
    def is_closed(self) -> bool:
        """Whether the record is final."""
        return self.status == SessionStatus.CLOSED

    def raised(self) -> dict[str, list[dict[str, Any]]]:
        """The observations raised and the decisions proposed in the session: as kept when it closed, or
        as they stand now while it is a draft."""
        if self.closed_record is not None:
            return self.closed_record
        return {
            "observations": [
                {"id": o.id, "case_id": o.case_id, "case": o.case.reference if o.case else None,
                 "level": o.domain.level, "domain": o.domain.name, "kind": o.kind, "text": o.text,
                 "observed_on": format_day(o.observed_on)}
                for o in self.observations
            ],
            "proposals": [{"id": d.id, "title": d.title, "status": d.status} for d in self.proposals],
            "comments": [
                {"observation_id": c.observation_id, "case": c.observation.case.reference if c.observation.case
                 else None, "domain": c.observation.domain.name, "text": c.text}
                for c in self.comments
            ],
        }

    def prompts_for(self, person_id: int) -> list[SessionPrompt]:
        """The prompts a supervisee's copy shows: those raised by her own figures, and those for everyone."""
        return [p for p in self.prompts if p.supervisee_id in (None, person_id)]

    def observation_ids_behind(self) -> set[int]:
        """The observations behind the session's observed prompts."""
        return {o["id"] for p in self.prompts for o in p.figures.get("observations", [])}

    @property
    def is_group(self) -> bool:
        """Whether several supervisees met together."""
        return len(self.supervisees) > 1

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
    follow_ups: Mapped[list[str]] = mapped_column(JSON, default=list)  # the domain's further questions
    supervisee_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))  # whose figures raised it
    note: Mapped[str | None] = mapped_column(Text)
    shared: Mapped[bool] = mapped_column(default=False)  # the note is for the supervisees to read

    session: Mapped[SupervisionSession] = relationship(back_populates="prompts")
    domain: Mapped["Domain"] = relationship()  # noqa: F821
    supervisee: Mapped["Person | None"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<SessionPrompt {self.session_id}:{self.position} {self.origin}>"
