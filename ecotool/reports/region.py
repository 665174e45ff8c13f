"""Assemble a regional brief: several services a commissioner commissions, side by side and combined, under
one disclosure rule applied to every figure; built from each service's own SQL aggregates."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from ecotool.errors import OperationError
from ecotool.reports import disclosure
from ecotool.reports.brief import (COLLAPSED_LABELS, COUNTED, DISCLOSURE_NAMES, DISCLOSURE_NOTES, FIGURES, QUINTILE_ROWS,
                                   TARGET_LABELS, TARGET_ROWS, _collapsed, _gradient, _Period, _published_counts, _reach_rows, _row,
                                   _published_row, previous_period)
from ecotool.services.models import Service
from ecotool.vocab import DisclosureRule

# Women in each service's part of the combined rows: "s<id>" all of them, "s<id>-target" and "s<id>-other".
PARTS = ("", "-target", "-other")


def common_rule(services: list[Service]) -> tuple[str, int]:
    """The one rule a regional brief applies: the services' own when they share it (the highest threshold of
    them), otherwise NHS Digital's, the default and the one that shows least about a few women."""
    rules = {s.disclosure_rule for s in services}
    if rules == {DisclosureRule.THRESHOLD}:
        return DisclosureRule.THRESHOLD, max(s.disclosure_threshold for s in services)
    if len(rules) == 1:
        return rules.pop(), disclosure.DEFAULT_THRESHOLD
    return DisclosureRule.NHS_DIGITAL, disclosure.DEFAULT_THRESHOLD


def _combined_rows(session: Session, services: list[Service], start: date, end: date) -> dict[str, dict[str, int]]:
    """Each service's all, target and other rows, and the combined quintile, target, other, collapsed and all rows."""
    rows: dict[str, dict[str, int]] = {}
    combined = {name: dict.fromkeys(COUNTED, 0) for name in (*QUINTILE_ROWS, *TARGET_ROWS, "all")}
    for service in services:
        own = _reach_rows(session, service, start, end)
        for part, source in zip(PARTS, ("all", *TARGET_ROWS)):
            rows[f"s{service.id}{part}"] = own[source]
        for name in combined:
            for figure in COUNTED:
                combined[name][figure] += own[name][figure]
    quintiles = {q: combined[q] for q in QUINTILE_ROWS}
    return {**rows, **combined, **_collapsed(quintiles)}


def _table(rows: dict[str, dict[str, int]], services: list[Service]) -> disclosure.Table:
    """The regional counts with every tie a reader could subtract along: all is the sum of the services, of the
    quintiles, of target and other, and of the collapsed rows; each service is its target and other women;
    the combined target and other are the services' sums; the most deprived two-fifths is quintiles 1 and 2;
    the reached are among the referred, the engaged among the reached."""
    cells = {f"{row}.{figure}": counts[figure] for row, counts in rows.items() for figure in FIGURES}
    sums = []
    for figure in FIGURES:
        sums.append((f"all.{figure}", [f"s{s.id}.{figure}" for s in services]))
        sums.append((f"all.{figure}", [f"{q}.{figure}" for q in QUINTILE_ROWS]))
        sums.append((f"all.{figure}", [f"{g}.{figure}" for g in TARGET_ROWS]))
        sums.append((f"all.{figure}", [f"{g}.{figure}" for g in COLLAPSED_LABELS]))
        sums.append((f"low.{figure}", [f"{q}.{figure}" for q in QUINTILE_ROWS[:2]]))
        sums += [(f"{g}.{figure}", [f"s{s.id}-{g}.{figure}" for s in services]) for g in TARGET_ROWS]
        sums += [(f"s{s.id}.{figure}", [f"s{s.id}-{g}.{figure}" for g in TARGET_ROWS]) for s in services]
    subsets = [(f"{row}.{small}", f"{row}.{large}") for row in rows for small, large in zip(FIGURES[1:], FIGURES[:-1])]
    return disclosure.Table(cells, sums, subsets)


def _period(session: Session, services: list[Service], start: date, end: date, rule: str, threshold: int) -> _Period:
    """One period's regional rows, exact and as published."""
    rows = _combined_rows(session, services, start, end)
    table = _table(rows, services)
    return _Period(start, end, rows, {}, disclosure.publish(rule, table, threshold), table.cells)


def assemble(session: Session, services: list[Service], start: date, end: date) -> dict:
    """Gather every figure a regional brief shows, with one disclosure rule applied to all of them."""
    if start > end:
        raise OperationError("The period must start on or before its end.", "period_start")
    if len(services) < 2:
        raise OperationError("Choose two or more services to compare.", "service_ids")
    services = sorted(services, key=lambda s: s.name)
    rule, threshold = common_rule(services)
    now = _period(session, services, start, end, rule, threshold)
    before = _period(session, services, *previous_period(start, end), rule, threshold)
    data = {
        "region": True,
        "services": [{"id": s.id, "name": s.name, "slug": s.slug, "target_rule": s.describe_target_rule(),
                      "engaged_threshold": s.engaged_threshold} for s in services],
        "period": {"start": start.isoformat(), "end": end.isoformat(), "days": (end - start).days + 1},
        "previous_period": {"start": before.start.isoformat(), "end": before.end.isoformat()},
        "disclosure_rule": rule,
        "disclosure_name": DISCLOSURE_NAMES[DisclosureRule(rule)].format(threshold=threshold),
        "disclosure_note": DISCLOSURE_NOTES[DisclosureRule(rule)].format(threshold=threshold),
        "raw": {"rows": now.rows, "previous_rows": before.rows},
        "by_service": [{"name": s.name, **_row(now, before, f"s{s.id}"),
                        "groups": [_row(now, before, f"s{s.id}-{g}", label=TARGET_LABELS[g]) for g in TARGET_ROWS]}
                       for s in services],
        "totals": _row(now, before, "all", label="All services"),
        "by_target": [_row(now, before, g, label=TARGET_LABELS[g]) for g in TARGET_ROWS],
        "by_quintile": [_row(now, before, q, quintile=q) for q in QUINTILE_ROWS],
        "collapsed": [_row(now, before, g, label=COLLAPSED_LABELS[g]) for g in COLLAPSED_LABELS],
        "gradient": _gradient(_published_counts(now.shown, QUINTILE_ROWS)),
    }
    data["summary"] = _summary(data, now)
    return data


def _summary(data: dict, now: _Period) -> list[str]:
    """A few sentences from the published figures only: how many women, and which service reached the largest
    and the smallest share of its women."""
    totals = data["totals"]
    sentences = [f"{totals['referred']} women were referred to the {len(data['services'])} services in the period"
                 + ("." if totals["reached_rate"] == "—" else
                    f"; {totals['reached_rate']} of them were reached and {totals['engaged_rate']} engaged.")]
    shown = [(_published_row(now.shown, now.cells, f"s{s['id']}")["reached_value"], s["name"])
             for s in data["services"]]
    shown = [(rate, name) for rate, name in shown if rate is not None]
    if len(shown) >= 2:
        high, low = max(shown), min(shown)
        sentences.append(f"The share of women reached ran from {low[0]:.0%} ({low[1]}) to {high[0]:.0%} ({high[1]}); "
                         "the table gives each service's 95% interval, and rates whose intervals overlap may not "
                         "differ.")
    else:
        sentences.append("Too few services have enough women to show to compare their reach.")
    sentences.append(data["gradient"][0]["text"])
    return sentences
