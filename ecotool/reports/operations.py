"""Making and storing commissioner briefs: stored once generated, never changed after."""
from __future__ import annotations

import hashlib
import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool import audit
from ecotool.clock import local_today
from ecotool.auth.models import Person
from ecotool.db import atomic
from ecotool.reports import brief, region, render
from ecotool.reports.models import Brief
from ecotool.services.models import Service


def _content_sha256(data: dict) -> str:
    """The SHA-256 of a brief's assembled data, serialised canonically (who made it and when play no part)."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _store(session: Session, actor_id: int, services: list[Service], start: date, end: date, data: dict) -> Brief:
    """Render and store a brief's data, or return the stored brief of the same services, period and content."""
    content = _content_sha256(data)
    region_ids = [s.id for s in services] if len(services) > 1 else None
    same = session.scalar(select(Brief).where(
        Brief.service_id == services[0].id, Brief.period_start == start, Brief.period_end == end,
        Brief.content_sha256 == content,
    ).order_by(Brief.id).limit(1))
    if same is not None and same.region_service_ids == region_ids:
        return same
    maker = session.get(Person, actor_id)
    pdf = render.pdf(data, local_today(), maker.display_name if maker else "")
    stored = Brief(
        service_id=services[0].id, region_service_ids=region_ids, period_start=start, period_end=end,
        created_by_id=actor_id,
        inputs={"services": [s.slug for s in services], "period_start": start.isoformat(),
                "period_end": end.isoformat(), "data": data},
        framework_versions=[v["id"] for v in data.get("framework_versions", [])],
        disclosure_rule=data["disclosure_rule"],
        sha256=hashlib.sha256(pdf).hexdigest(), content_sha256=content, pdf=pdf,
    )
    session.add(stored)
    session.flush()
    audit.record(session, actor_id, "brief.create", stored)
    return stored


@atomic
def generate_region_brief(session: Session, actor_id: int, services: list[Service], start: date, end: date) -> Brief:
    """Assemble, render and store a regional brief comparing several services; the same again returns the
    stored one."""
    data = region.assemble(session, services, start, end)
    ordered = sorted(services, key=lambda s: s.name)
    return _store(session, actor_id, ordered, start, end, data)


@atomic
def generate_brief(session: Session, actor_id: int, service: Service, start: date, end: date) -> Brief:
    """Assemble, render and store a brief; the same service, period and content returns the stored one."""
    data = brief.assemble(session, service, start, end)
    return _store(session, actor_id, [service], start, end, data)


@atomic
def record_read(session: Session, actor_id: int, record: object, action: str) -> None:
    """Audit that someone read or downloaded a stored brief ("brief.read", "brief.download") or exported a
    codebook or a service's shareable observations ("framework_version.export", "service.export")."""
    audit.record(session, actor_id, action, record)
