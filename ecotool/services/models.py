"""A commissioned service, its access pathways and its rules."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecotool.db import Base, Versioned, in_list, utcnow
from ecotool.vocab import AgeBand, DisclosureRule

# A service's short name in links and commands (north-shore), and the prefix of its case references (NS).
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
PREFIX_PATTERN = r"^[A-Z]{2,4}$"


class Service(Versioned, Base):
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
        CheckConstraint("min_cell_count >= 1", name="min_cell_count"),
        CheckConstraint("disclosure_threshold BETWEEN 1 AND 20", name="disclosure_threshold"),
        CheckConstraint("retention_months BETWEEN 1 AND 600", name="retention_months"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    case_prefix: Mapped[str] = mapped_column(String(4))
    # The target rule in force now: quintile at or below this value, or (if set) aged under 20.
    # Earlier rules are kept as TargetRule rows, so a case is judged by the rule in force at her referral.
    target_quintile_max: Mapped[int | None] = mapped_column(default=1)
    target_under_20: Mapped[bool] = mapped_column(default=True)
    engaged_threshold: Mapped[int] = mapped_column(default=3)
    failed_attempt_threshold: Mapped[int] = mapped_column(default=3)
    disclosure_rule: Mapped[str] = mapped_column(String(20), default=DisclosureRule.NHS_DIGITAL)
    # Under the threshold rule, counts of women from 1 to this are hidden (and more, so none can be worked out).
    disclosure_threshold: Mapped[int] = mapped_column(default=4)
    # Fewest cases in any group and window for a decision's effect to be judged.
    min_cell_count: Mapped[int] = mapped_column(default=10)
    # A closed case is erased this many months after it closed (`flask retention run`).
    retention_months: Mapped[int] = mapped_column(default=36, server_default="36")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    pathways: Mapped[list[Pathway]] = relationship(back_populates="service", order_by="Pathway.name")

    def __repr__(self) -> str:
        return f"<Service {self.slug}>"

    past_target_rules: Mapped[list[TargetRule]] = relationship(order_by="TargetRule.ends_on")

    def describe_target_rule(self) -> str:
        """Say the target rule in force now in words."""
        return describe_rule(self.target_quintile_max, self.target_under_20)


def describe_rule(quintile_max: int | None, under_20: bool) -> str:
    """Say a target rule in words: "IMD quintile 1 to 2 or aged under 20"."""
    parts = []
    if quintile_max:
        parts.append("IMD quintile 1" if quintile_max == 1 else f"IMD quintile 1 to {quintile_max}")
    if under_20:
        parts.append(f"aged {AgeBand.UNDER_20}")
    return " or ".join(parts) if parts else "no target group set"


class TargetRule(Base):
    """A target rule a service used before its current one, for cases referred from `starts_on` (from the
    start when empty) to the day before `ends_on`, the day the next rule came in."""

    __tablename__ = "target_rule"
    __table_args__ = (
        CheckConstraint("quintile_max IS NULL OR quintile_max BETWEEN 1 AND 5", name="quintile_max"),
        CheckConstraint("starts_on IS NULL OR starts_on < ends_on", name="starts_before_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    starts_on: Mapped[date | None]
    ends_on: Mapped[date]
    quintile_max: Mapped[int | None]
    under_20: Mapped[bool]
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def describe(self) -> str:
        """Say the rule in words."""
        return describe_rule(self.quintile_max, self.under_20)


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


class Population(Base):
    """Births in the service's area in one deprivation quintile over a period, as public figures give them:
    the denominators that let a brief show reach as a share of the population."""

    __tablename__ = "population"
    __table_args__ = (
        UniqueConstraint("service_id", "period_start", "quintile", name="one_per_quintile"),
        CheckConstraint("quintile BETWEEN 1 AND 5", name="quintile"),
        CheckConstraint("births >= 0", name="births"),
        CheckConstraint("period_start <= period_end", name="period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    quintile: Mapped[int]
    births: Mapped[int]
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Population {self.service_id} {self.period_start}..{self.period_end} q{self.quintile}>"
