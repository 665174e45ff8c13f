"""Making and storing commissioner briefs: stored once generated, never changed after."""
from __future__ import annotations

import hashlib
import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool import audit
from ecotool.clock import local_today
from ecotool.db import atomic
from ecotool.reports import brief, render
from ecotool.reports.models import Brief
from ecotool.services.models import Service


def _content_sha256(data: dict) -> str:
    """The SHA-256 of a brief's assembled data, serialised canonically (who made it and when play no part)."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


@atomic
def generate_brief(session: Session, actor_id: int, service: Service, start: date, end: date) -> Brief:
    """Assemble, render and store a brief; the same service, period and content returns the stored one."""
    data = brief.assemble(session, service, start, end)
    content = _content_sha256(data)
    same = session.scalar(select(Brief).where(
        Brief.service_id == service.id, Brief.period_start == start, Brief.period_end == end,
        Brief.content_sha256 == content,
    ).order_by(Brief.id).limit(1))
    if same is not None:
        return same
    pdf = render.pdf(data, local_today())
    versions = sorted({d["framework_version_id"] for d in data["decisions"]})
    stored = Brief(
        service_id=service.id, period_start=start, period_end=end, created_by_id=actor_id,
        inputs={"service": service.slug, "period_start": start.isoformat(), "period_end": end.isoformat(),
                "engaged_threshold": service.engaged_threshold, "raw": data["raw"]},
        framework_versions=versions, disclosure_rule=data["disclosure_rule"],
        sha256=hashlib.sha256(pdf).hexdigest(), content_sha256=content, pdf=pdf,
    )
    session.add(stored)
    session.flush()
    audit.record(session, actor_id, "brief.create", stored)
    return stored
