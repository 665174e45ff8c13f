"""Service-development decisions and the barriers they answer."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecotool.db import Base, Versioned, in_list, utcnow
from ecotool.vocab import DecisionStatus, ReviewOutcome

decision_domain = Table(
    "decision_domain",
    Base.metadata,
    Column("decision_id", ForeignKey("decision.id"), primary_key=True),
    Column("domain_id", ForeignKey("domain.id"), primary_key=True),
)

decision_observation = Table(
    "decision_observation",
    Base.metadata,
    Column("decision_id", ForeignKey("decision.id"), primary_key=True),
    Column("observation_id", ForeignKey("observation.id"), primary_key=True),
)


# Only a decision in effect (or reviewed and going on) can be reviewed.
REVIEWABLE = (DecisionStatus.IN_EFFECT, DecisionStatus.REVIEWED)
# The before and after windows of a decision's effect, in days each.
DEFAULT_WINDOW_DAYS = 90
MIN_WINDOW_DAYS = 14
MAX_WINDOW_DAYS = 365


class Decision(Versioned, Base):
    """What the service changes, why, for whom and from when."""

    __tablename__ = "decision"
    __table_args__ = (
        CheckConstraint(in_list("status", DecisionStatus), name="status"),
        CheckConstraint("review_date IS NULL OR review_date >= start_date", name="review_after_start"),
        CheckConstraint(f"window_days BETWEEN {MIN_WINDOW_DAYS} AND {MAX_WINDOW_DAYS}", name="window_days"),
        CheckConstraint("stopped_on IS NULL OR status = 'stopped'", name="stopped_on_when_stopped"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("supervision_session.id"))
    framework_version_id: Mapped[int] = mapped_column(ForeignKey("framework_version.id"))
    title: Mapped[str] = mapped_column(String(200))
    rationale: Mapped[str] = mapped_column(Text)
    response_type: Mapped[str] = mapped_column(String(80))
    target_group: Mapped[str] = mapped_column(String(80))
    pathway_id: Mapped[int | None] = mapped_column(ForeignKey("pathway.id"))
    # Its effect is measured over every case of the service, or (when set) only the cases on its pathway.
    pathway_only: Mapped[bool] = mapped_column(default=False)
    decided_on: Mapped[date]
    start_date: Mapped[date]
    review_date: Mapped[date | None]
    window_days: Mapped[int] = mapped_column(default=DEFAULT_WINDOW_DAYS)
    status: Mapped[str] = mapped_column(String(10), default=DecisionStatus.PROPOSED)
    stopped_on: Mapped[date | None]  # the first day it was no longer in effect
    created_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    domains: Mapped[list["Domain"]] = relationship(secondary=decision_domain)  # noqa: F821
    observations: Mapped[list["Observation"]] = relationship(secondary=decision_observation)  # noqa: F821
    pathway: Mapped["Pathway | None"] = relationship()  # noqa: F821
    framework_version: Mapped["FrameworkVersion"] = relationship()  # noqa: F821
    created_by: Mapped["Person"] = relationship()  # noqa: F821
    service: Mapped["Service"] = relationship()  # noqa: F821
    changes: Mapped[list[DecisionChange]] = relationship(back_populates="decision",
                                                         order_by="DecisionChange.id")
    reviews: Mapped[list[DecisionReview]] = relationship(back_populates="decision",
                                                         order_by="DecisionReview.id")

    def __repr__(self) -> str:
        return f"<Decision {self.id} {self.status}>"

    @property
    def editable(self) -> bool:
        """Only a proposal can be edited; once agreed, a decision changes through its lifecycle."""
        return self.status == DecisionStatus.PROPOSED

    def response_name(self) -> str:
        """The framework's name for its response type."""
        return _name_of(self.framework_version.response_types, self.response_type)

    def target_group_name(self) -> str:
        """The framework's name for the group it aims at."""
        return _name_of(self.framework_version.target_groups, self.target_group)

    @property
    def reviewable(self) -> bool:
        """In effect, or reviewed and going on: it can be reviewed."""
        return self.status in REVIEWABLE

    @property
    def ran(self) -> bool:
        """It was put in effect at some time (it may have stopped since): only then has it an effect to measure."""
        return self.reviewable or any(c.status == DecisionStatus.IN_EFFECT for c in self.changes)

    def review_due(self, today: date) -> bool:
        """It is in effect, its review date has come and no review was recorded on or after it."""
        if self.review_date is None or self.review_date > today or not self.reviewable:
            return False
        return not any(r.reviewed_on >= self.review_date for r in self.reviews)


def _name_of(items: list[dict[str, str]], code: str) -> str:
    """The name of the framework item with this code (the code itself if the version has none)."""
    return next((i["name"] for i in items if i["code"] == code), code)


class DecisionChange(Base):
    """A step in a decision's life: who moved it to which status, when and why."""

    __tablename__ = "decision_change"
    __table_args__ = (CheckConstraint(in_list("status", DecisionStatus), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    decision: Mapped[Decision] = relationship(back_populates="changes")
    changed_by: Mapped["Person"] = relationship()  # noqa: F821


class DecisionReview(Base):
    """A review of a decision: its effect as it stood on the review day (stored, never recomputed) and the outcome."""

    __tablename__ = "decision_review"
    __table_args__ = (CheckConstraint(in_list("outcome", ReviewOutcome), name="outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id"), index=True)
    reviewed_on: Mapped[date]
    outcome: Mapped[str] = mapped_column(String(6))
    reason: Mapped[str] = mapped_column(Text)
    figures: Mapped[dict] = mapped_column(JSON)
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    decision: Mapped[Decision] = relationship(back_populates="reviews")
    reviewed_by: Mapped["Person"] = relationship()  # noqa: F821
