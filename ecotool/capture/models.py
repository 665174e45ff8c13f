"""Cases (pseudonymous mothers), contact attempts and observations of context."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecotool.db import Base, in_list, utcnow

AGE_BANDS = ("under 20", "20-24", "25-29", "30-34", "35+", "unknown")
YES_NO_UNKNOWN = ("yes", "no", "unknown")
CASE_STATUSES = ("open", "closed")
CHANNELS = ("phone", "text", "home visit", "hospital ward", "clinic drop-in", "group", "online message")
OUTCOMES = (
    "reached", "no answer", "message left", "wrong number", "not at home",
    "postponed", "declined", "someone else answered",
)
# Attempts that did not get through to her; "postponed" and "declined" are answers, not failures.
FAILED_OUTCOMES = ("no answer", "message left", "wrong number", "not at home", "someone else answered")
KINDS = ("barrier", "enabler", "context")
SOURCES = ("visit", "call", "supervision", "team meeting")


class Case(Base):
    """One mother, known only by a reference; never a name, postcode or date of birth."""

    __tablename__ = "case"
    __table_args__ = (
        CheckConstraint("imd_quintile IS NULL OR imd_quintile BETWEEN 1 AND 5", name="imd_quintile"),
        CheckConstraint(in_list("age_band", AGE_BANDS), name="age_band"),
        CheckConstraint(in_list("first_time", YES_NO_UNKNOWN), name="first_time"),
        CheckConstraint(in_list("language_support", YES_NO_UNKNOWN), name="language_support"),
        CheckConstraint(in_list("status", CASE_STATUSES), name="status"),
        # Unique within a service: imported references need not clash with another service's.
        UniqueConstraint("service_id", "reference", name="service_reference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    reference: Mapped[str] = mapped_column(String(20))
    imd_quintile: Mapped[int | None]
    age_band: Mapped[str] = mapped_column(String(10))
    first_time: Mapped[str] = mapped_column(String(7), default="unknown")
    language_support: Mapped[str] = mapped_column(String(7), default="unknown")
    pathway_id: Mapped[int | None] = mapped_column(ForeignKey("pathway.id"))
    referral_date: Mapped[date]
    journey_stage: Mapped[str] = mapped_column(String(40))
    supporter_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    status: Mapped[str] = mapped_column(String(6), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    service: Mapped["Service"] = relationship()  # noqa: F821
    pathway: Mapped["Pathway | None"] = relationship()  # noqa: F821
    supporter: Mapped["Person"] = relationship()  # noqa: F821
    contact_attempts: Mapped[list[ContactAttempt]] = relationship(
        back_populates="case", order_by="ContactAttempt.at"
    )
    observations: Mapped[list[Observation]] = relationship(
        back_populates="case", order_by="Observation.created_at"
    )

    def __repr__(self) -> str:
        return f"<Case {self.reference}>"

    @property
    def quintile_label(self) -> str:
        """The quintile as shown on pages."""
        return str(self.imd_quintile) if self.imd_quintile else "unknown"


class ContactAttempt(Base):
    """One try to reach a mother, and what happened."""

    __tablename__ = "contact_attempt"
    __table_args__ = (
        CheckConstraint(in_list("channel", CHANNELS), name="channel"),
        CheckConstraint(in_list("outcome", OUTCOMES), name="outcome"),
        # The caseload's per-case figures read a case's attempts in time order.
        Index("ix_contact_attempt_case_id_at", "case_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(30))
    by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="contact_attempts")
    by: Mapped["Person"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<ContactAttempt case={self.case_id} {self.outcome}>"


class Observation(Base):
    """A piece of context, tagged with the framework version and domain it was made with."""

    __tablename__ = "observation"
    __table_args__ = (
        CheckConstraint(in_list("kind", KINDS), name="kind"),
        CheckConstraint(in_list("source", SOURCES), name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    framework_version_id: Mapped[int] = mapped_column(ForeignKey("framework_version.id"))
    domain_id: Mapped[int] = mapped_column(ForeignKey("domain.id"), index=True)
    journey_stage: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    shareable: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case | None] = relationship(back_populates="observations")
    domain: Mapped["Domain"] = relationship()  # noqa: F821
    framework_version: Mapped["FrameworkVersion"] = relationship()  # noqa: F821
    author: Mapped["Person"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Observation {self.id} {self.kind}>"


class PostcodeQuintile(Base):
    """Reference data: the IMD quintile of a postcode's area, keyed by a hash of the postcode.

    Only the hash is kept, so not even this public table puts a postcode in the database.
    """

    __tablename__ = "postcode_quintile"
    __table_args__ = (CheckConstraint("quintile BETWEEN 1 AND 5", name="quintile"),)

    postcode_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    imd_rank: Mapped[int]
    quintile: Mapped[int]

    def __repr__(self) -> str:
        return f"<PostcodeQuintile q{self.quintile}>"
