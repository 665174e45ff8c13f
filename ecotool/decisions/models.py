"""Service-development decisions and the barriers they answer."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecotool.db import Base, in_list, utcnow
from ecotool.vocab import DecisionStatus

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


class Decision(Base):
    """What the service changes, why, for whom and from when."""

    __tablename__ = "decision"
    __table_args__ = (
        CheckConstraint(in_list("status", DecisionStatus), name="status"),
        CheckConstraint("review_date IS NULL OR review_date >= start_date", name="review_after_start"),
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
    start_date: Mapped[date]
    review_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(10), default=DecisionStatus.PROPOSED)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    domains: Mapped[list["Domain"]] = relationship(secondary=decision_domain)  # noqa: F821
    observations: Mapped[list["Observation"]] = relationship(secondary=decision_observation)  # noqa: F821
    pathway: Mapped["Pathway | None"] = relationship()  # noqa: F821
    framework_version: Mapped["FrameworkVersion"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Decision {self.id} {self.status}>"
