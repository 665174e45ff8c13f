"""Each form is sent once: a second copy of the same submission (a double tap, back and resend, a retry
on a slow network) is answered with the page the first one led to, and creates nothing."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ecotool.db import Base, utcnow


class Submission(Base):
    """One form submission that was saved, known by the one-time token its form carried."""

    __tablename__ = "submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    location: Mapped[str] = mapped_column(String(300))  # where the saved submission led
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Submission {self.id}>"


def earlier(session: Session, token: str, person_id: int) -> Submission | None:
    """The saved submission this token already made, if any (only ever the same person's)."""
    return session.scalar(select(Submission).where(Submission.token == token, Submission.person_id == person_id))
