"""Reading framework versions."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool.framework.models import FrameworkVersion


def current_version(session: Session, key: str = "social-ecological") -> FrameworkVersion | None:
    """Return the version of a framework whose file was loaded last."""
    return session.scalar(
        select(FrameworkVersion).where(FrameworkVersion.key == key)
        .order_by(FrameworkVersion.last_loaded_at.desc(), FrameworkVersion.id.desc()).limit(1)
    )


def all_versions(session: Session) -> list[FrameworkVersion]:
    """Every framework version ever loaded, newest first."""
    return list(session.scalars(select(FrameworkVersion).order_by(FrameworkVersion.id.desc())))
