"""Briefs: stored once generated, with their inputs and the hash of the PDF."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ecotool.clock import to_local
from ecotool.db import Base, utcnow


class Brief(Base):
    """A commissioner's context brief for one service and one period."""

    __tablename__ = "brief"
    __table_args__ = (CheckConstraint("period_start <= period_end", name="period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    framework_versions: Mapped[list[int]] = mapped_column(JSON)
    disclosure_rule: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64))
    # The hash of the figures and words the brief was made from: the same again is the same brief.
    content_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    # A regional brief's services (its service_id is the first of them); None for a one-service brief.
    region_service_ids: Mapped[list[int] | None] = mapped_column(JSON)

    service: Mapped["Service"] = relationship()  # noqa: F821
    created_by: Mapped["Person"] = relationship()  # noqa: F821

    @property
    def made_on(self) -> date:
        """The local day it was made, as its PDF says."""
        return to_local(self.created_at).date()

    @property
    def data(self) -> dict[str, Any]:
        """The figures and words the brief was made from, as assembled then (briefs stored before they were kept
        hold only the exact counts)."""
        return self.inputs.get("data", {})

    def __repr__(self) -> str:
        return f"<Brief {self.id} {self.period_start}..{self.period_end}>"
