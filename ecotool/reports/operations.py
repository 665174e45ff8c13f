"""Making and storing commissioner briefs: stored once generated, never changed after."""
from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy.orm import Session

from ecotool import audit
from ecotool.clock import local_today
from ecotool.db import atomic
from ecotool.reports import brief, render
from ecotool.reports.models import Brief
from ecotool.services.models import Service


@atomic
def generate_brief(session: Session, actor_id: int, service: Service, start: date, end: date) -> Brief:
    """Assemble a brief, render it to PDF and store it with its inputs and SHA-256."""
    data = brief.assemble(session, service, start, end)
    pdf = render.pdf(data, local_today())
    versions = sorted({d["framework_version_id"] for d in data["decisions"]})
    stored = Brief(
        service_id=service.id, period_start=start, period_end=end, created_by_id=actor_id,
        inputs={"service": service.slug, "period_start": start.isoformat(), "period_end": end.isoformat(),
                "engaged_threshold": service.engaged_threshold, "raw": data["raw"]},
        framework_versions=versions, disclosure_rule=data["disclosure_rule"],
        sha256=hashlib.sha256(pdf).hexdigest(), pdf=pdf,
    )
    session.add(stored)
    session.flush()
    audit.record(session, actor_id, "brief.create", stored)
    return stored
