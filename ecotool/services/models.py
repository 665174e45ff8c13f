"""A commissioned service, its access pathways and its rules."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecotool.db import Base, in_list, utcnow
from ecotool.vocab import AgeBand, DisclosureRule

# A service's short name in links and commands (north-shore), and the prefix of its case references (NS).
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
PREFIX_PATTERN = r"^[A-Z]{2,4}$"


class Service(Base):
    """One commissioned peer-support service."""

    __tablename__ = "service"
    __table_args__ = (
        CheckConstraint(
            "target_quintile_max IS NULL OR target_quintile_max BETWEEN 1 AND 5",
            name="target_quintile_max",
        ),
        CheckConstraint("engaged_threshold >= 1", name="engaged_threshold"),
        CheckConstraint("failed_attempt_threshold >= 1", name="failed_attempt_threshold"),
        CheckConstraint(in_list("disclosure_rule", DisclosureRule), name="disclosure_rule"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    case_prefix: Mapped[str] = mapped_column(String(4))
    # Target rule: quintile at or below this value, or (if set) aged under 20.
    target_quintile_max: Mapped[int | None] = mapped_column(default=1)
    target_under_20: Mapped[bool] = mapped_column(default=True)
    engaged_threshold: Mapped[int] = mapped_column(default=3)
    failed_attempt_threshold: Mapped[int] = mapped_column(default=3)
    disclosure_rule: Mapped[str] = mapped_column(String(20), default=DisclosureRule.NHS_DIGITAL)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    pathways: Mapped[list[Pathway]] = relationship(back_populates="service", order_by="Pathway.name")

    def __repr__(self) -> str:
        return f"<Service {self.slug}>"

    def describe_target_rule(self) -> str:
        """Say the target rule in words."""
        parts = []
        if self.target_quintile_max:
            parts.append(
                "IMD quintile 1"
                if self.target_quintile_max == 1
                else f"IMD quintile 1 to {self.target_quintile_max}"
            )
        if self.target_under_20:
            parts.append(f"aged {AgeBand.UNDER_20}")
        return " or ".join(parts) if parts else "no target group set"


class Pathway(Base):
    """A way women reach the service (midwife referral, a text at 2-3 weeks, ...)."""

    __tablename__ = "pathway"
    __table_args__ = (UniqueConstraint("service_id", "name", name="service_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(default=True)

    service: Mapped[Service] = relationship(back_populates="pathways")

    def __repr__(self) -> str:
        return f"<Pathway {self.name}>"
