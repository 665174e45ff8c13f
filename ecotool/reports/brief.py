"""Assemble the data of a commissioner's brief from SQL aggregates, with disclosure applied; no rendering here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, distinct, func, or_, select
from sqlalchemy.orm import Session

from ecotool.capture import definitions
from ecotool.capture.models import Case, ContactAttempt, Observation
from ecotool.clock import day_bounds
from ecotool.db import count_where
from ecotool.decisions import effect
from ecotool.decisions.models import Decision
from ecotool.errors import OperationError
from ecotool.framework.models import Domain, FrameworkVersion
from ecotool.framework.queries import current_version
from ecotool import privacy, stats
from ecotool.auth.queries import staff_names
from ecotool.reports import disclosure
from ecotool.services.models import Service
from ecotool.services.queries import births_in
from ecotool.supervision.indicators import RECURRING_CASES
from ecotool.vocab import FAILED_OUTCOMES, QUINTILES, UNKNOWN, AgeBand, DecisionStatus, DisclosureRule, Kind, Level, Reach

QUINTILE_ROWS = [str(q) for q in QUINTILES] + [UNKNOWN]
# The figures of each row: women referred, and of them how many were reached and engaged.
FIGURES = ("referred", Reach.REACHED.value, Reach.ENGAGED.value)
RATES = FIGURES[1:]
# Each row also counts the contact attempts made to its women by the end of the period: effort, not women, so
# it is no cell of the disclosure table; it gives the contacts made for each woman engaged.
COUNTED = (*FIGURES, "attempts")
TARGET_ROWS = ("target", "other")
TARGET_LABELS = {"target": "Target group", "other": "Other women"}
COLLAPSED_LABELS = {"low": "Most deprived two-fifths (quintiles 1 and 2)", "rest": "Other areas (3 to 5, or unknown)"}
# The context section counts what helps and what stands in the way; plain context notes are left out.
CONTEXT_KINDS = (Kind.BARRIER, Kind.ENABLER)
QUOTES_PER_LEVEL = 2
# Quotes a level offers before the privacy guard is run again on them (some may fail it now).
QUOTE_CANDIDATES = 20
# A decision's effect reaches a brief only where every group has at least this many women in each window.
PUBLISH_MIN = 10


def _reach_by(session: Session, service: Service, start: date, end: date, *groups) -> dict:
    """Referred, reached and engaged counts of the cases referred in the period, per value of `groups` (a
    tuple of values when there are several).

    Reached and engaged are counted as at the end of the period, so a later contact changes nothing; so are the
    contact attempts made to them."""
    until = day_bounds(start, end)[1]
    attempts = (select(func.count(ContactAttempt.id))
                .where(ContactAttempt.case_id == Case.id, ContactAttempt.at <= until).scalar_subquery())
    rows = session.execute(
        select(
            *groups,
            func.count(Case.id),
            count_where(definitions.reached(until)),
            count_where(definitions.engaged(until)),
            func.coalesce(func.sum(attempts), 0),
        )
        .where(Case.service_id == service.id, Case.referral_date.between(start, end))
        .group_by(*groups)
    ).all()
    width = len(groups)
    return {(tuple(row[:width]) if width > 1 else row[0]): dict(zip(COUNTED, (int(n) for n in row[width:])))
            for row in rows}


def _target_or_other():
    """Each case's group, "target" or "other", by the rule in force at her referral."""
    return case((definitions.target(), TARGET_ROWS[0]), else_=TARGET_ROWS[1])


def _reach_by_pathway(session: Session, service: Service, start: date, end: date) -> dict[str, dict[str, int]]:
    """Referred, reached and engaged per access pathway, for target and other women and both: rows named
    "path<id>" ("pathnone" without a pathway) and "path<id>-target", "path<id>-other"."""
    found = _reach_by(session, service, start, end, Case.pathway_id, _target_or_other())
    ids = [p.id for p in service.pathways] + ([None] if any(k[0] is None for k in found) else [])
    rows: dict[str, dict[str, int]] = {}
    for pathway_id in ids:
        name = f"path{pathway_id if pathway_id is not None else 'none'}"
        parts = {g: found.get((pathway_id, g), dict.fromkeys(COUNTED, 0)) for g in TARGET_ROWS}
        rows[name] = {k: sum(parts[g][k] for g in TARGET_ROWS) for k in COUNTED}
        rows.update({f"{name}-{g}": parts[g] for g in TARGET_ROWS})
    return rows


def _reach_by_quintile(session: Session, service: Service, start: date, end: date) -> dict[str, dict[str, int]]:
    """Referred, reached and engaged counts per quintile (unknown last)."""
    counts = {q: dict.fromkeys(COUNTED, 0) for q in QUINTILE_ROWS}
    for quintile, figures in _reach_by(session, service, start, end, Case.imd_quintile).items():
        counts[str(quintile) if quintile else UNKNOWN] = figures
    return counts


def _reach_by_age(session: Session, service: Service, start: date, end: date) -> dict[str, dict[str, int]]:
    """Referred, reached and engaged counts per age band (unknown last), each row named "age:<band>"."""
    found = _reach_by(session, service, start, end, Case.age_band)
    return {f"age:{band}": found.get(band.value, dict.fromkeys(COUNTED, 0)) for band in AgeBand}


def _failed_by_quintile(session: Session, service: Service, start: date, end: date) -> dict[str, int]:
    """Failed contact attempts, up to the end of the period, on the cases referred in it, per quintile row."""
    until = day_bounds(start, end)[1]
    rows = session.execute(
        select(Case.imd_quintile, func.count(ContactAttempt.id))
        .join(ContactAttempt, ContactAttempt.case_id == Case.id)
        .where(Case.service_id == service.id, Case.referral_date.between(start, end), ContactAttempt.at <= until,
               ContactAttempt.outcome.in_([o.value for o in FAILED_OUTCOMES]))
        .group_by(Case.imd_quintile)
    ).all()
    found = dict.fromkeys(QUINTILE_ROWS, 0)
    found.update({str(q) if q else UNKNOWN: int(n) for q, n in rows})
    return found


def _effort(shown: dict[str, disclosure.Shown], failed: dict[str, int], row: str) -> dict:
    """A quintile row's contact effort from its published counts: the share never reached, and failed attempts
    per woman reached (withheld where a count it rests on is hidden)."""
    referred, reached = shown[f"{row}.referred"].published, shown[f"{row}.reached"].published
    never = (referred - reached) / referred if referred and reached is not None else None
    per_reached = failed[row] / reached if reached else None
    return {"never_reached_share": "—" if never is None else f"{never:.0%}",
            "failed_per_reached": "—" if per_reached is None else f"{per_reached:.1f}"}


def _share(shown: dict[str, disclosure.Shown], part: str, whole: str) -> str:
    """One published count as a share of another ("—" where either is hidden or the whole is 0)."""
    r = disclosure.rate(shown[part], shown[whole])
    return "—" if r is None else f"{r:.0%}"


def _published_counts(shown: dict[str, disclosure.Shown], rows) -> dict[str, dict[str, int | None]]:
    """Each row's counts as published (None where hidden)."""
    return {row: {k: shown[f"{row}.{k}"].published for k in FIGURES} for row in rows}


def _gradient(by_quintile: dict[str, dict[str, int | None]]) -> list[dict[str, str]]:
    """The slope index of inequality of the reached and engaged rates across quintiles 1 to 5, from the published
    counts (as every figure of a brief), weighted by the women referred in each, in a sentence; withheld, saying
    why, where a quintile has too few women or a count it needs is hidden."""
    rows = [by_quintile[str(q)] for q in QUINTILES]
    small = [str(q) for q, row in zip(QUINTILES, rows) if row["referred"] is None or row["referred"] < PUBLISH_MIN]
    if small:  # one sentence serves both figures
        return [{"figure": "both", "text": (
            f"The slope index of inequality is withheld: quintile {', '.join(small)} had fewer than {PUBLISH_MIN} "
            "women referred in the period, too few for a steady slope.")}]
    found = []
    for name in RATES:  # each figure's own word: "reached", "engaged"
        hidden = [str(q) for q, row in zip(QUINTILES, rows) if row[name] is None]
        if hidden:
            found.append({"figure": name, "text": (
                f"The slope index of inequality for women {name} is withheld: in quintile {', '.join(hidden)} too "
                f"few women were {name} to show.")})
            continue
        slope, (low, high) = stats.slope_index([r[name] for r in rows], [r["referred"] for r in rows])
        span = stats.span((low, high), as_points=True)
        if low <= 0 <= high:
            text = (f"Slope index of inequality for women {name}: {stats.points(slope)} from the most to the least "
                    f"deprived areas (95% interval {span}): no clear gradient.")
        else:
            who = "least" if slope > 0 else "most"
            text = (f"Slope index of inequality for women {name}: women in the {who} deprived areas were {name} more "
                    f"often, a gap of {stats.points(abs(slope)).lstrip('+')} across the range (95% interval {span}).")
        found.append({"figure": name, "text": text})
    return found


def _collapsed(by_quintile: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """The quintile rows folded into the most deprived two-fifths and the rest, so the gradient can still be
    told when single quintiles are too small to publish."""
    low = [str(q) for q in QUINTILES[:2]]
    return {name: {k: sum(by_quintile[q][k] for q in rows) for k in COUNTED}
            for name, rows in (("low", low), ("rest", [q for q in QUINTILE_ROWS if q not in low]))}


def _reach_by_target(session: Session, service: Service, start: date, end: date) -> dict[str, dict[str, int]]:
    """Referred, reached and engaged counts for the service's target group and for other women."""
    found = _reach_by(session, service, start, end, _target_or_other())
    return {group: found.get(group, dict.fromkeys(COUNTED, 0)) for group in TARGET_ROWS}


def _context_counts(session: Session, service: Service, start: date, end: date, *by) -> dict[tuple, dict[str, int]]:
    """Observations describing days in the period, per kind and `by` (level; level and domain code): the
    distinct cases they are about, and the observations about the service as a whole."""
    rows = session.execute(
        select(*by, Observation.kind, func.count(distinct(Observation.case_id)),
               count_where(Observation.case_id.is_(None)))
        .join(Domain, Domain.id == Observation.domain_id)
        .where(Observation.service_id == service.id, Observation.observed_on.between(start, end),
               Observation.kind.in_(CONTEXT_KINDS))
        .group_by(*by, Observation.kind)
    ).all()
    width = len(by) + 1
    return {tuple(row[:width]): {"cases": int(row[width]), "service": int(row[width + 1])} for row in rows}


def _context_cell(service: Service, now: dict[str, int], before: dict[str, int]) -> dict[str, str]:
    """One line of the context tables, this period and the previous: women (cases) under the service's
    disclosure rule, each alone (distinct cases do not add up across levels or domains, so nothing can be
    subtracted); observations about the service as they are, since they count no one."""
    cases, cases_before = (disclosure.apply(service.disclosure_rule, n, service.disclosure_threshold)
                           for n in (now["cases"], before["cases"]))
    return {"cases": cases.text, "cases_before": cases_before.text, "cases_change": _count_change(cases, cases_before),
            "service": str(now["service"]), "service_before": str(before["service"]),
            "service_change": stats.signed(now["service"] - before["service"])}


def _count_change(now: disclosure.Shown, before: disclosure.Shown) -> str:
    """The change between two published counts, signed ("—" where either is hidden)."""
    if now.published is None or before.published is None:
        return "—"
    return stats.signed(now.published - before.published)


def _quotes(session: Session, service: Service, start: date, end: date) -> list[dict[str, str]]:
    """Up to QUOTES_PER_LEVEL barriers and as many enablers per level, from observations marked shareable,
    latest first, each passing the privacy guard again now (words that look like a name, a staff name
    included, leave the quote out: a commissioner's brief is no place to find out)."""
    ranked = select(
        Observation.text, Observation.kind, Domain.level, Domain.name,
        func.row_number().over(partition_by=(Domain.level, Observation.kind),
                               order_by=(Observation.observed_on.desc(), Observation.id.desc())).label("n"),
    ).join(Domain, Domain.id == Observation.domain_id).where(
        Observation.service_id == service.id, Observation.shareable.is_(True), Observation.kind.in_(CONTEXT_KINDS),
        Observation.observed_on.between(start, end),
    ).subquery()
    staff = tuple(staff_names(session, [service.id]))
    order = {level.value: i for i, level in enumerate(Level)}
    candidates = session.execute(
        select(ranked.c.text, ranked.c.kind, ranked.c.level, ranked.c.name).where(ranked.c.n <= QUOTE_CANDIDATES)
        .order_by(ranked.c.level, ranked.c.kind, ranked.c.n)
    ).all()
    taken: dict[tuple[str, str], int] = {}
    quotes = []
    for text, kind, level, domain in sorted(candidates, key=lambda row: order[row[2]]):
        if taken.get((level, kind), 0) >= QUOTES_PER_LEVEL:
            continue
        if not privacy.quotable(text, staff):
            continue
        taken[(level, kind)] = taken.get((level, kind), 0) + 1
        quotes.append({"level": level, "kind": kind, "domain": domain, "text": text})
    return quotes


def _unanswered(session: Session, service: Service, start: date, end: date,
                domain_names: dict[str, str]) -> tuple[list[dict[str, str]], int]:
    """Barrier domains recorded for RECURRING_CASES or more different women in the period that no decision of the
    service (unless stopped) answers yet, most women first, with the count of women under the disclosure rule; and
    how many more there are whose count the rule hides."""
    answered = (select(Domain.code).select_from(Decision).join(Decision.domains)
                .where(Decision.service_id == service.id, Decision.status != DecisionStatus.STOPPED))
    women = func.count(distinct(Observation.case_id))
    rows = session.execute(
        select(Domain.level, Domain.code, women)
        .join(Domain, Domain.id == Observation.domain_id)
        .where(Observation.service_id == service.id, Observation.observed_on.between(start, end),
               Observation.kind == Kind.BARRIER, Observation.case_id.is_not(None), Domain.code.not_in(answered))
        .group_by(Domain.level, Domain.code)
        .having(women >= RECURRING_CASES)
        .order_by(women.desc(), Domain.code)
    ).all()
    found = [{"level": level, "code": code, "domain": domain_names.get(code, code),
              "women": disclosure.apply(service.disclosure_rule, int(n), service.disclosure_threshold).text}
             for level, code, n in rows]
    # A hidden count beside "3 or more" would say 3 to 7: such domains are left out, and only their number said.
    return [row for row in found if row["women"] != disclosure.SUPPRESSED], sum(
        row["women"] == disclosure.SUPPRESSED for row in found)


def _hide_levels_over_hidden_domains(by_level: list[dict], by_domain: list[dict]) -> None:
    """Under the threshold rule, hide a level's count of women wherever one of its domains' counts is hidden.
    A woman may have barriers in several domains, so a level counts at most the sum of its domains: with the
    level shown, a hidden domain is at least the level less the others, which can pin it (level 12, the other
    domain 8, so the hidden one is at least 4, and no more than the threshold of 4)."""
    for row in by_level:
        domains = [d for d in by_domain if d["level"] == row["level"]]
        for kind in CONTEXT_KINDS:
            cell = row[kind]
            for column in ("cases", "cases_before"):
                if any(d[kind][column] == disclosure.SUPPRESSED for d in domains):
                    cell[column] = disclosure.SUPPRESSED
            if disclosure.SUPPRESSED in (cell["cases"], cell["cases_before"]):
                cell["cases_change"] = "—"


def _context(session: Session, service: Service, now: "_Period", before: "_Period") -> dict:
    """Barriers and enablers by level and by domain in the period and the previous one, and shareable quotes."""
    version = current_version(session)
    level_names = {lvl["code"]: lvl["name"] for lvl in version.levels} if version else {}
    domain_names = {d.code: d.name for d in version.domains} if version else {}
    empty = {"cases": 0, "service": 0}
    levels_now, levels_before = (_context_counts(session, service, p.start, p.end, Domain.level) for p in (now, before))
    domains_now, domains_before = (_context_counts(session, service, p.start, p.end, Domain.level, Domain.code)
                                   for p in (now, before))
    by_level = []
    for level in Level:
        label = f"{level.label}: {level_names[level]}" if level in level_names else level.label
        by_level.append({"level": level.value, "label": label, **{
            kind.value: _context_cell(service, levels_now.get((level, kind), empty),
                                      levels_before.get((level, kind), empty))
            for kind in CONTEXT_KINDS}})
    codes = sorted({key[:2] for key in (*domains_now, *domains_before)},
                   key=lambda key: ([lvl.value for lvl in Level].index(key[0]), domain_names.get(key[1], key[1])))
    by_domain = [{"level": level, "code": code, "domain": domain_names.get(code, code), **{
        kind.value: _context_cell(service, domains_now.get((level, code, kind), empty),
                                  domains_before.get((level, code, kind), empty))
        for kind in CONTEXT_KINDS}} for level, code in codes]
    if service.disclosure_rule == DisclosureRule.THRESHOLD:
        _hide_levels_over_hidden_domains(by_level, by_domain)
    return {"by_level": by_level, "by_domain": by_domain, "quotes": _quotes(session, service, now.start, now.end),
            **dict(zip(("unanswered", "unanswered_hidden"),
                       _unanswered(session, service, now.start, now.end, domain_names))),
            "raw": {"by_level": {f"{k[0]}.{k[1]}": v for k, v in levels_now.items()},
                    "by_domain": {".".join(k): v for k, v in domains_now.items()}}}


def _reach_table(rows: dict[str, dict[str, int]]) -> disclosure.Table:
    """The reach counts a brief publishes together, as one table: each row's referred, reached and engaged
    (quintiles, age bands, target and other, the collapsed rows, and all), with what ties them: all is the sum of
    the quintile rows, of the age bands, of target and other, and of the collapsed rows; the most deprived
    two-fifths is quintiles 1 and 2; the reached are among the referred, the engaged among the reached."""
    cells = {f"{row}.{figure}": counts[figure] for row, counts in rows.items() for figure in FIGURES}
    pathways = [r for r in rows if r.startswith("path") and "-" not in r]
    groups = [QUINTILE_ROWS, list(TARGET_ROWS), [r for r in rows if r.startswith("age:")], ["low", "rest"], pathways]
    groups = [group for group in groups if group and all(row in rows for row in group)]
    sums = [(f"all.{figure}", [f"{row}.{figure}" for row in group]) for group in groups for figure in FIGURES]
    if "low" in rows:
        sums += [(f"low.{figure}", [f"{q}.{figure}" for q in QUINTILE_ROWS[:2]]) for figure in FIGURES]
    for figure in FIGURES:  # each pathway's target and other women, and each group across the pathways
        sums += [(f"{p}.{figure}", [f"{p}-{g}.{figure}" for g in TARGET_ROWS]) for p in pathways]
        if pathways:
            sums += [(f"{g}.{figure}", [f"{p}-{g}.{figure}" for p in pathways]) for g in TARGET_ROWS]
    subsets = [(f"{row}.{small}", f"{row}.{large}") for row in rows
               for small, large in zip(FIGURES[1:], FIGURES[:-1])]
    return disclosure.Table(cells, sums, subsets)


def _published_row(shown: dict[str, disclosure.Shown], raw: dict[str, int], row: str) -> dict:
    """One table row as published, with rates built from the published figures; a rate that rounding moved
    from the exact one (14 of 15 published as 15 of 15, 100%) is marked so the brief can say so."""
    figures = {k: shown[f"{row}.{k}"] for k in FIGURES}
    published: dict = {k: s.text for k, s in figures.items()}
    for name in RATES:
        r = disclosure.rate(figures[name], figures["referred"])
        interval = (stats.wilson(figures[name].published, figures["referred"].published)
                    if r is not None else None)
        whole = None if r is None else stats.whole_percent(figures[name].published, figures["referred"].published)
        exact = (stats.whole_percent(raw[f"{row}.{name}"], raw[f"{row}.referred"]) if raw[f"{row}.referred"]
                 else None)
        published[f"{name}_rate"] = "—" if r is None else f"{whole}%"
        published[f"{name}_ci"] = "" if interval is None else f"{stats.percent(interval[0])}–{stats.percent(interval[1])}"
        # The same figures as numbers, for the chart and for the change beside the previous period.
        published[f"{name}_value"] = r
        published[f"{name}_percent"] = whole
        published[f"{name}_interval"] = None if interval is None else [interval[0], interval[1]]
        published[f"{name}_distorted"] = whole is not None and exact is not None and whole != exact
    return published


DISCLOSURE_NAMES = {
    DisclosureRule.NHS_DIGITAL: "NHS Digital's rule (1 to 7 hidden, others rounded to the nearest 5)",
    DisclosureRule.THRESHOLD: "Threshold rule (1 to {threshold} hidden, with the counts that would reveal them)",
}
DISCLOSURE_NOTES = {
    DisclosureRule.NHS_DIGITAL: ("Small numbers are protected: counts of 1 to 7 are shown as *, other counts are "
                                 "rounded to the nearest 5, and rates are worked out from the rounded counts; † marks "
                                 "a rate that rounding moved from the exact one. A rate resting on a hidden count is "
                                 "not shown (—)."),
    DisclosureRule.THRESHOLD: ("Small numbers are protected: counts from 1 to {threshold} are shown as *, and so are "
                               "some larger counts, so that no hidden count can be worked out from the totals. A rate "
                               "resting on a hidden count is not shown (—)."),
}


def _framework_versions(session: Session, service: Service, start: date, end: date,
                        decisions: list[Decision]) -> list[dict[str, str | int]]:
    """The framework versions the brief rests on: the one in use, and those of the period's observations and
    of its decisions."""
    ids = set(session.scalars(select(Observation.framework_version_id).distinct().where(
        Observation.service_id == service.id, Observation.observed_on.between(start, end))))
    ids |= {d.framework_version_id for d in decisions}
    current = current_version(session)
    if current is not None:
        ids.add(current.id)
    return [{"id": v.id, "title": v.title, "version": v.declared_version}
            for v in session.scalars(select(FrameworkVersion).where(FrameworkVersion.id.in_(ids))
                                     .order_by(FrameworkVersion.id))]


def _population(session: Session, service: Service, now: "_Period") -> dict | None:
    """Reach as a share of the births in each quintile over the period, where the service has entered them
    (None otherwise): the published counts over the births, and the slope index of inequality of women reached
    per birth, weighted by the births (the population), as England's public-health analysts weight it."""
    found = births_in(session, service, now.start, now.end)
    if found is None:
        return None
    births, periods = found
    rows = []
    for quintile, n in zip(QUINTILES, births):
        shares = {}
        for name in ("referred", "reached"):
            count = now.shown[f"{quintile}.{name}"].published
            shares[f"{name}_share"] = "—" if count is None or not n else f"{count / n:.0%}"
        rows.append({"quintile": str(quintile), "births": f"{round(n):,}", **shares})
    reached = [now.shown[f"{q}.reached"].published for q in QUINTILES]  # as published, like every figure
    whole = [round(n) for n in births]
    if None in reached:
        text = ("The slope index of inequality per birth is withheld: in quintile "
                f"{', '.join(str(q) for q, r in zip(QUINTILES, reached) if r is None)} too few women were reached "
                "to show.")
    elif min(whole) < PUBLISH_MIN or any(r > n for r, n in zip(reached, whole)):
        text = ("The slope index of inequality per birth is withheld: a quintile has fewer than "
                f"{PUBLISH_MIN} births entered, or more women reached than births.")
    else:
        slope, (low, high) = stats.slope_index(reached, whole)
        span = stats.span((low, high), as_points=True)
        if low <= 0 <= high:
            text = (f"Slope index of inequality for women reached per birth, weighted by births: "
                    f"{stats.points(slope)} from the most to the least deprived areas (95% interval {span}): no clear "
                    "gradient.")
        else:
            who = "least" if slope > 0 else "most"
            text = (f"Slope index of inequality for women reached per birth, weighted by births: a larger share of "
                    f"the mothers in the {who} deprived areas was reached, a gap of "
                    f"{stats.points(abs(slope)).lstrip('+')} across the range (95% interval {span}).")
    return {"rows": rows, "gradient": text,
            "periods": [{"start": a.isoformat(), "end": b.isoformat()} for a, b in periods]}


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length that ends the day before `start`."""
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


@dataclass(frozen=True)
class _Period:
    """One period's reach rows, exact and as published, and its failed contact attempts per quintile."""

    start: date
    end: date
    rows: dict[str, dict[str, int]]
    failed: dict[str, int]
    shown: dict[str, disclosure.Shown]
    cells: dict[str, int]


def _reach_rows(session: Session, service: Service, start: date, end: date) -> dict[str, dict[str, int]]:
    """Every reach row of one period: quintiles, target and other, age bands, the collapsed rows, the
    pathways with their target and other women, and all."""
    by_quintile = _reach_by_quintile(session, service, start, end)
    totals = {k: sum(r[k] for r in by_quintile.values()) for k in COUNTED}
    return {**by_quintile, **_reach_by_target(session, service, start, end),
            **_reach_by_age(session, service, start, end), **_collapsed(by_quintile),
            **_reach_by_pathway(session, service, start, end), "all": totals}


def _periods(session: Session, service: Service, start: date, end: date) -> tuple[_Period, _Period]:
    """This period and the previous one of the same length, each published on its own under the service's
    rule. The two share no total, and a change is only ever shown between two published figures, so nothing
    hidden in one can be worked out through the other."""
    spans = ((start, end), previous_period(start, end))
    rows = [_reach_rows(session, service, a, b) for a, b in spans]
    for here, there in (rows, rows[::-1]):  # a pathway without women in one period still gets its zero rows
        here.update({name: dict.fromkeys(COUNTED, 0) for name in there if name not in here})
    periods = []
    for (a, b), found in zip(spans, rows):
        table = _reach_table(found)
        periods.append(_Period(a, b, found, _failed_by_quintile(session, service, a, b),
                               disclosure.publish(service.disclosure_rule, table, service.disclosure_threshold),
                               table.cells))
    return periods[0], periods[1]


def _row(now: _Period, before: _Period, row: str, **extra) -> dict:
    """One published row of this period, with the previous period's beside it ("prev"), the change in each
    rate, in points, between the published rates ("—" where either is withheld), and in each period the
    contact attempts made for each woman engaged (over the published engaged count)."""
    published = {**_published_row(now.shown, now.cells, row), **extra}
    published["prev"] = _published_row(before.shown, before.cells, row)
    for period, shown_row in ((now, published), (before, published["prev"])):
        # Over the exact women engaged, shown only where their count is published: the attempts are not shown,
        # so the exact count cannot be worked back out of the ratio.
        engaged = period.rows[row]["engaged"] if period.shown[f"{row}.engaged"].published else 0
        shown_row["contacts_per_engaged"] = "—" if not engaged else f"{period.rows[row]['attempts'] / engaged:.1f}"
    for name in RATES:
        # Between the rates as printed, so the change adds up on the page; not told where rounding moved either
        # rate (9 of 12 printed as 10 of 10 would make a fall look like a rise).
        pair = [published, published["prev"]]
        usable = all(x[f"{name}_percent"] is not None and not x[f"{name}_distorted"] for x in pair)
        published[f"{name}_change"] = (stats.signed(pair[0][f"{name}_percent"] - pair[1][f"{name}_percent"])
                                       if usable else "—")
    return published


def _quintile_row(now: _Period, before: _Period, quintile: str) -> dict:
    """A quintile's published row with its contact effort, in both periods."""
    published = _row(now, before, quintile, quintile=quintile, **_effort(now.shown, now.failed, quintile))
    published["prev"].update(_effort(before.shown, before.failed, quintile))
    return published


def assemble(session: Session, service: Service, start: date, end: date) -> dict:
    """Gather every figure and list a brief shows, with the service's disclosure rule applied."""
    if start > end:
        raise OperationError("The period must start on or before its end.", "period_start")
    rule = service.disclosure_rule
    now, before = _periods(session, service, start, end)
    pathway_names = {f"path{p.id}": p.name for p in service.pathways} | {"pathnone": "No pathway recorded"}
    # Decisions in effect at some time in the period: put in effect, started by its end, not stopped before it.
    decisions = [d for d in session.scalars(
        select(Decision)
        .where(Decision.service_id == service.id, Decision.start_date <= end,
               Decision.status != DecisionStatus.PROPOSED,
               or_(Decision.stopped_on.is_(None), Decision.stopped_on > start))
        .order_by(Decision.start_date, Decision.id)
    ) if d.ran]
    context = _context(session, service, now, before)
    data = {
        "service": {"id": service.id, "name": service.name, "slug": service.slug,
                    "target_rule": service.describe_target_rule(),
                    "engaged_threshold": service.engaged_threshold},
        "period": {"start": start.isoformat(), "end": end.isoformat(), "days": (end - start).days + 1},
        "previous_period": {"start": before.start.isoformat(), "end": before.end.isoformat()},
        "disclosure_rule": rule,
        "raw": {"rows": now.rows, "previous_rows": before.rows, "context": context.pop("raw")},
        "by_quintile": [_quintile_row(now, before, q) for q in QUINTILE_ROWS],
        "gradient": _gradient(_published_counts(now.shown, QUINTILE_ROWS)),
        "completeness": {"unknown_quintile": _share(now.shown, f"{UNKNOWN}.referred", "all.referred"),
                         "unknown_age": _share(now.shown, f"age:{AgeBand.UNKNOWN}.referred", "all.referred")},
        "by_target": [_row(now, before, g, group=g, label=TARGET_LABELS[g]) for g in TARGET_ROWS],
        "totals": _row(now, before, "all", label="All"),
        "by_age": [_row(now, before, row, band=row.removeprefix("age:")) for row in now.rows if row.startswith("age:")],
        "by_pathway": [
            {"pathway": pathway_names[row],
             "rows": [_row(now, before, f"{row}-{g}", label=TARGET_LABELS[g]) for g in TARGET_ROWS]
                     + [_row(now, before, row, label="All")]}
            for row in now.rows if row.startswith("path") and "-" not in row],
        "collapsed": [_row(now, before, g, group=g, label=COLLAPSED_LABELS[g]) for g in COLLAPSED_LABELS],
        "disclosure_note": DISCLOSURE_NOTES[DisclosureRule(rule)].format(threshold=service.disclosure_threshold),
        "disclosure_name": DISCLOSURE_NAMES[DisclosureRule(rule)].format(threshold=service.disclosure_threshold),
        "framework_versions": _framework_versions(session, service, start, end, decisions),
        "context": context,
        "population": _population(session, service, now),
        "decisions": [
            {"title": d.title, "status": d.status, "start_date": d.start_date.isoformat(),
             "response_type": d.response_name(), "target_group": d.target_group_name(),
             # In framework order: the brief's content hash must not depend on the order the database returns.
             "domains": [f"{x.name} ({x.level})" for x in sorted(d.domains, key=lambda x: x.id)],
             "framework_version_id": d.framework_version_id,
             "effect": _published_effect(session, d, end)}
            for d in decisions
        ],
    }
    data["summary"] = _summary(data)
    return data


def _summary(data: dict) -> list[str]:
    """Six sentences told from the published figures only, none saying more than its interval allows."""
    totals, target, other = data["totals"], data["by_target"][0], data["by_target"][1]
    sentences = []
    if totals["referred"] == disclosure.SUPPRESSED:
        sentences.append("Too few women were referred in the period to describe here.")
    else:
        sentences.append(f"{totals['referred']} women were referred in the period; {totals['reached_rate']} of them "
                         f"were reached and {totals['engaged_rate']} engaged.")
    counts = [target["reached"], target["referred"], other["reached"], other["referred"]]
    if disclosure.SUPPRESSED in counts or "0" in (target["referred"], other["referred"]):
        sentences.append("Target and other women cannot be compared here: one group is too small to show.")
    else:
        difference, (low, high) = stats.newcombe(*(int(c) for c in counts))
        rates = f"{target['reached_rate']} against {other['reached_rate']}"
        printed = _printed_difference(target, other, "reached")
        if low <= 0 <= high:
            sentences.append(f"Target women and other women were reached at rates that may not differ ({rates}; "
                             f"difference {printed}, 95% interval "
                             f"{stats.span((low, high), as_points=True)}).")
        else:
            sentences.append(f"Target women were reached {'more' if difference > 0 else 'less'} often than other "
                             f"women ({rates}; difference {printed}, 95% interval "
                             f"{stats.span((low, high), as_points=True)}).")
    sentences.append(_change_sentence(data))
    sentences.append(data["gradient"][0]["text"])
    shown_paths = [(int(p["rows"][0]["referred"]), p["pathway"]) for p in data["by_pathway"]
                   if p["rows"][0]["referred"] not in (disclosure.SUPPRESSED, "0")]
    if shown_paths:
        most, name = max(shown_paths)
        sentences.append(f"The pathway that brought in the most target women was {name} ({most}).")
    else:
        sentences.append("No pathway brought in enough target women to show.")
    taken = len(data["decisions"])
    sentences.append("No service-development decision was in effect in the period." if not taken else
                     f"{taken} service-development decision{'' if taken == 1 else 's'} "
                     f"{'was' if taken == 1 else 'were'} in effect in the period; "
                     "each is listed below with its measured effect where there are enough women to show it.")
    return sentences


def _printed_difference(first: dict, second: dict, figure: str) -> str:
    """The difference between two published rates as they are printed beside it, so the sentence adds up."""
    n = first[f"{figure}_percent"] - second[f"{figure}_percent"]
    return f"{stats.signed(n)} point{'' if abs(n) == 1 else 's'}"


def _change_sentence(data: dict) -> str:
    """The engaged rate of all women against the previous period of the same length, from published counts,
    saying "no clear change" where the interval takes in none."""
    now, before, days = data["totals"], data["totals"]["prev"], data["period"]["days"]
    counts = [now["engaged"], now["referred"], before["engaged"], before["referred"]]
    if before["referred"] == "0":
        return f"No women were referred in the previous {days} days, so there is no earlier period to compare with."
    if disclosure.SUPPRESSED in counts or now["referred"] == "0":
        return (f"The share of women engaged cannot be compared with the previous {days} days: one of the two "
                "periods has too few women to show.")
    difference, interval = stats.newcombe(*(int(c) for c in counts))
    figures = (f"{now['engaged_rate']} against {before['engaged_rate']} in the previous {days} days; difference "
               f"{_printed_difference(now, before, 'engaged')}, 95% interval {stats.span(interval, as_points=True)}")
    if interval[0] <= 0 <= interval[1]:
        return f"The share of women engaged shows no clear change ({figures})."
    return f"The share of women engaged {'rose' if difference > 0 else 'fell'} ({figures})."


def _published_effect(session: Session, decision: Decision, end: date) -> dict:
    """A decision's effect as measured at the end of the period, for a commissioner: only where every group has
    at least PUBLISH_MIN women (and the service's minimum) in each window and every count survives the service's
    disclosure rule; then worked out again from the published counts, as every other rate in the brief is.
    Otherwise a sentence that gives no count."""
    measured = effect.measure(session, decision, end)
    if not measured.days:
        return {"verdict": measured.verdict, "reach_verdict": None, "figures": None}
    if not measured.judged or measured.smallest()[0] < PUBLISH_MIN:
        cut = (f" Only the {measured.days} days either side of its start could be used: women referred later have "
               f"not yet had {measured.follow_up_days} days to be reached."
               if measured.days < measured.window_days else "")
        return {"verdict": "Too few women were referred around its start for its effect to be shown here." + cut,
                "reach_verdict": None, "figures": None}
    service = decision.service
    shown = {group: {window: {k: disclosure.apply(service.disclosure_rule, n, service.disclosure_threshold).published
                              for k, n in counts.items()}
                     for window, counts in windows.items()}
             for group, windows in measured.cells.items()}
    if any(n is None for windows in shown.values() for counts in windows.values() for n in counts.values()):
        return {"verdict": "Some of the counts behind its effect are too small to show here, so it is not measured "
                           "in this brief.", "reach_verdict": None, "figures": None}
    published = effect.with_counts(measured, shown)
    return {"verdict": published.verdict, "reach_verdict": published.reach_verdict, "figures": published.as_dict()}
