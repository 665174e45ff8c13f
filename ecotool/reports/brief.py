"""Assemble the data of a commissioner's brief from SQL aggregates, with disclosure applied; no rendering here."""
from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ecotool.capture import definitions
from ecotool.capture.models import Case, Observation
from ecotool.clock import day_bounds
from ecotool.db import count_where
from ecotool.decisions.models import Decision
from ecotool.errors import OperationError
from ecotool.framework.models import Domain
from ecotool.framework.queries import current_version
from ecotool import stats
from ecotool.reports import disclosure
from ecotool.services.models import Service
from ecotool.vocab import QUINTILES, UNKNOWN, Kind, Level, Reach

QUINTILE_ROWS = [str(q) for q in QUINTILES] + [UNKNOWN]
# The figures of each row: women referred, and of them how many were reached and engaged.
FIGURES = ("referred", Reach.REACHED.value, Reach.ENGAGED.value)
RATES = FIGURES[1:]
TARGET_ROWS = ("target", "other")
TARGET_LABELS = {"target": "Target group", "other": "Other women"}


def _reach_by(session: Session, service: Service, start: date, end: date, group) -> dict:
    """Referred, reached and engaged counts of the cases referred in the period, per value of `group`.

    Reached and engaged are counted as at the end of the period, so a later contact changes nothing."""
    until = day_bounds(start, end)[1]
    rows = session.execute(
        select(
            group,
            func.count(Case.id),
            count_where(definitions.reached(until)),
            count_where(definitions.engaged(until)),
        )
        .where(Case.service_id == service.id, Case.referral_date.between(start, end))
        .group_by(group)
    ).all()
    return {key: dict(zip(FIGURES, (int(n) for n in figures))) for key, *figures in rows}


def _reach_by_quintile(session: Session, service: Service, start: date, end: date) -> dict[str, dict[str, int]]:
    """Referred, reached and engaged counts per quintile (unknown last)."""
    counts = {q: dict.fromkeys(FIGURES, 0) for q in QUINTILE_ROWS}
    for quintile, figures in _reach_by(session, service, start, end, Case.imd_quintile).items():
        counts[str(quintile) if quintile else UNKNOWN] = figures
    return counts


def _reach_by_target(session: Session, service: Service, start: date, end: date) -> dict[str, dict[str, int]]:
    """Referred, reached and engaged counts for the service's target group and for other women."""
    found = _reach_by(session, service, start, end, case((definitions.target(), TARGET_ROWS[0]), else_=TARGET_ROWS[1]))
    return {group: found.get(group, dict.fromkeys(FIGURES, 0)) for group in TARGET_ROWS}


def _barriers_by_level(session: Session, service: Service, start: date, end: date) -> dict[str, int]:
    """Barrier observations describing days in the period, per framework level."""
    rows = session.execute(
        select(Domain.level, func.count(Observation.id))
        .join(Domain, Domain.id == Observation.domain_id)
        .where(
            Observation.service_id == service.id, Observation.kind == Kind.BARRIER,
            Observation.observed_on.between(start, end),
        )
        .group_by(Domain.level)
    ).all()
    counts = {level.value: 0 for level in Level}
    counts.update({level: int(n) for level, n in rows})
    return counts


def _published_row(rule: str, raw: dict[str, int]) -> dict:
    """One table row with disclosure applied and rates built from the published figures."""
    shown = {k: disclosure.apply(rule, v) for k, v in raw.items()}
    row: dict = {k: s.text for k, s in shown.items()}
    for name in RATES:
        r = disclosure.rate(shown[name], shown["referred"])
        interval = (stats.wilson(shown[name].published, shown["referred"].published)
                    if r is not None else None)
        row[f"{name}_rate"] = "—" if r is None else f"{r:.0%}"
        row[f"{name}_ci"] = "" if interval is None else f"{interval[0]:.0%}–{interval[1]:.0%}"
    return row


def assemble(session: Session, service: Service, start: date, end: date) -> dict:
    """Gather every figure and list a brief shows, with the service's disclosure rule applied."""
    if start > end:
        raise OperationError("The period must start on or before its end.", "period_start")
    rule = service.disclosure_rule
    raw = _reach_by_quintile(session, service, start, end)
    by_target = _reach_by_target(session, service, start, end)
    totals = {k: sum(r[k] for r in raw.values()) for k in FIGURES}
    decisions = list(session.scalars(
        select(Decision)
        .where(Decision.service_id == service.id, Decision.start_date.between(start, end))
        .order_by(Decision.start_date, Decision.id)
    ))
    barriers = _barriers_by_level(session, service, start, end)
    version = current_version(session)
    level_names = {lvl["code"]: lvl["name"] for lvl in version.levels} if version else {}
    return {
        "service": {"id": service.id, "name": service.name, "slug": service.slug,
                    "target_rule": service.describe_target_rule(),
                    "engaged_threshold": service.engaged_threshold},
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "disclosure_rule": rule,
        "raw": {"by_quintile": raw, "by_target": by_target, "totals": totals, "barriers_by_level": barriers},
        "by_quintile": [{"quintile": q, **_published_row(rule, raw[q])} for q in QUINTILE_ROWS],
        "by_target": [{"group": g, "label": TARGET_LABELS[g], **_published_row(rule, by_target[g])}
                      for g in TARGET_ROWS],
        "totals": _published_row(rule, totals),
        "barriers_by_level": [
            {"level": level.value,
             "label": f"{level.label}: {level_names[level]}" if level in level_names else level.label,
             "count": disclosure.apply(rule, barriers[level]).text}
            for level in Level
        ],
        "decisions": [
            {"title": d.title, "status": d.status, "start_date": d.start_date.isoformat(),
             "response_type": _named(d.framework_version.response_types, d.response_type),
             "target_group": _named(d.framework_version.target_groups, d.target_group),
             # In framework order: the brief's content hash must not depend on the order the database returns.
             "domains": [f"{x.name} ({x.level})" for x in sorted(d.domains, key=lambda x: x.id)],
             "framework_version_id": d.framework_version_id}
            for d in decisions
        ],
    }


def _named(items: list[dict], code: str) -> str:
    return next((i["name"] for i in items if i["code"] == code), code)
