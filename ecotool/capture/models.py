"""Cases (pseudonymous mothers), contact attempts and observations of context."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecotool.clock import format_day, local_today, to_local
from ecotool.db import Base, Versioned, in_list, utcnow
from ecotool.vocab import QUINTILES, UNKNOWN, AgeBand, Answer, CaseStatus, Channel, CloseReason, Kind, Outcome, Source



# How far back a contact attempt may be logged by hand (imports carry older ones).
LATEST_BACKDATING = timedelta(days=365)


class Case(Versioned, Base):
    """One mother, known only by a reference; never a name, postcode or date of birth."""

    __tablename__ = "case"
    __table_args__ = (
        CheckConstraint(f"imd_quintile IS NULL OR imd_quintile BETWEEN {QUINTILES[0]} AND {QUINTILES[-1]}",
                        name="imd_quintile"),
        CheckConstraint(in_list("age_band", AgeBand), name="age_band"),
        CheckConstraint(in_list("first_time", Answer), name="first_time"),
        CheckConstraint(in_list("language_support", Answer), name="language_support"),
        CheckConstraint(in_list("status", CaseStatus), name="status"),
        CheckConstraint(f"close_reason IS NULL OR {in_list('close_reason', CloseReason)}", name="close_reason"),
        # Unique within a service: imported references need not clash with another service's.
        UniqueConstraint("service_id", "reference", name="service_reference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    reference: Mapped[str] = mapped_column(String(20))
    imd_quintile: Mapped[int | None]
    age_band: Mapped[str] = mapped_column(String(10))
    first_time: Mapped[str] = mapped_column(String(7), default=Answer.UNKNOWN)
    language_support: Mapped[str] = mapped_column(String(7), default=Answer.UNKNOWN)
    pathway_id: Mapped[int | None] = mapped_column(ForeignKey("pathway.id"))
    referral_date: Mapped[date]
    journey_stage: Mapped[str] = mapped_column(String(40))
    supporter_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    status: Mapped[str] = mapped_column(String(6), default=CaseStatus.OPEN)
    close_reason: Mapped[str | None] = mapped_column(String(20))
    closed_on: Mapped[date | None]
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

    def contact_date_problem(self, at: datetime, *, by_hand: bool = True) -> str | None:
        """What is wrong with the time of a contact attempt on this case (`at` in UTC), if anything."""
        if at > utcnow():
            return "The time of a contact attempt cannot be in the future."
        day = to_local(at).date()
        if day < self.referral_date:
            return f"That is before the case was referred ({format_day(self.referral_date)})."
        if by_hand and day < local_today() - LATEST_BACKDATING:
            return "That is more than a year ago; import older records instead."
        return None

    @classmethod
    def visible_to(cls, person) -> list:
        """Within its service, a case is seen by its supporter and by her supervisor."""
        return [cls.supporter_id.in_(person.caseworker_ids)]

    @property
    def quintile_label(self) -> str:
        """The quintile as shown on pages."""
        return str(self.imd_quintile) if self.imd_quintile else UNKNOWN


class ContactAttempt(Base):
    """One try to reach a mother, and what happened."""

    __tablename__ = "contact_attempt"
    __table_args__ = (
        CheckConstraint(in_list("channel", Channel), name="channel"),
        CheckConstraint(in_list("outcome", Outcome), name="outcome"),
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


class Observation(Versioned, Base):
    """A piece of context, tagged with the framework version and domain it was made with."""

    __tablename__ = "observation"
    __table_args__ = (
        CheckConstraint(in_list("kind", Kind), name="kind"),
        CheckConstraint(in_list("source", Source), name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    framework_version_id: Mapped[int] = mapped_column(ForeignKey("framework_version.id"))
    domain_id: Mapped[int] = mapped_column(ForeignKey("domain.id"), index=True)
    journey_stage: Mapped[str | None] = mapped_column(String(40))  # service-level observations need none
    kind: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    shareable: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    observed_on: Mapped[date] = mapped_column(index=True)  # the day it describes; every period counts by it
    session_id: Mapped[int | None] = mapped_column(ForeignKey("supervision_session.id"), index=True)  # raised there
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None]

    case: Mapped[Case | None] = relationship(back_populates="observations")
    comments: Mapped[list[ObservationComment]] = relationship(
        back_populates="observation", order_by="ObservationComment.id", cascade="all, delete-orphan")
    domain: Mapped["Domain"] = relationship()  # noqa: F821
    framework_version: Mapped["FrameworkVersion"] = relationship()  # noqa: F821
    author: Mapped["Person"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Observation {self.id} {self.kind}>"

    def may_be_changed_by(self, person) -> bool:
        """Whether this person may correct or delete it: its author, or her supervisor."""
        return person is not None and (person.id == self.author_id or self.author.supervisor_id == person.id)

    @classmethod
    def visible_to(cls, person) -> list:
        """An observation on a case is seen by whoever sees the case; one on the service by its members."""
        return [or_(cls.case_id.is_(None), cls.case_id.in_(select(Case.id).where(*Case.visible_to(person))))]


class ObservationComment(Base):
    """A supervisor's comment on a supervisee's observation, read by both."""

    __tablename__ = "observation_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(ForeignKey("observation.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("supervision_session.id"))  # made in a session
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    observation: Mapped[Observation] = relationship(back_populates="comments")
    author: Mapped["Person"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<ObservationComment {self.id} on {self.observation_id}>"


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
