"""The measured effect of a decision on the women it was for and on the others.

Cases referred in two equal windows, just before and from the decision's start, are split into target and
other women by the target rule in force at each one's referral. Each case is judged over the same follow-up,
her first FOLLOW_UP_DAYS days after referral, so a woman referred at the end of a window is judged as one
referred at its start; the after window therefore ends where cases have not yet had that long. For each group
and window: referred, reached and engaged, with Wilson intervals; each group's change, with Newcombe's
interval; and the difference between the two changes (target minus other) with the MOVER interval, the groups
taken as independent. The counts come from one SQL aggregate over the shared case definitions.

An Effect holds plain values only, so a review can store it as JSON and show it again unchanged.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from ecotool import stats
from ecotool.capture import definitions
from ecotool.capture.models import Case
from ecotool.clock import format_day
from ecotool.db import count_where
from ecotool.decisions.models import Decision
from ecotool.services.models import Service, TargetRule
from ecotool.vocab import DecisionStatus, Reach

# Reached and engaged are judged over each woman's first six weeks after referral, when most who will stop
# breastfeeding do, and long enough for an engagement rule of a few contacts to be met.
FOLLOW_UP_DAYS = 42
GROUPS = ("target", "other")
GROUP_NAMES = {"target": "target women", "other": "other women"}
WINDOWS = ("before", "after")
FIGURES = (Reach.REACHED.value, Reach.ENGAGED.value)


@dataclass(frozen=True)
class Cell:
    """Women referred in one group and window, and how many of them were reached and engaged."""

    referred: int
    reached: int
    engaged: int

    def rate(self, figure: str) -> float | None:
        """The share reached or engaged (None with nobody referred)."""
        return getattr(self, figure) / self.referred if self.referred else None

    def interval(self, figure: str) -> stats.Interval | None:
        """Its 95% Wilson interval."""
        return stats.wilson(getattr(self, figure), self.referred)


@dataclass
class Effect:
    """A decision's effect as measured on one day (plain values: dates as ISO text, rates as fractions)."""

    decision_id: int
    measured_on: str
    window_days: int            # asked for
    days: int                   # each window's length once cut to the data (0: nothing to measure)
    before: tuple[str, str] | None
    after: tuple[str, str] | None
    scope: str                  # "every case of the service" or "cases on the pathway “<name>”"
    follow_up_days: int
    min_cell_count: int
    engaged_threshold: int
    cells: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)  # group -> window -> counts
    changes: dict[str, dict[str, list | None]] = field(default_factory=dict)   # group -> figure -> [d, [lo, hi]]
    differences: dict[str, list | None] = field(default_factory=dict)          # figure -> [d, [lo, hi]]
    judged: bool = False
    verdict: str = ""
    reach_verdict: str = ""
    notes: list[str] = field(default_factory=list)

    @staticmethod
    def groups() -> list[tuple[str, str]]:
        """The groups compared, each with its name for a heading: ("target", "Target women"), ("other", ...)."""
        return [(g, GROUP_NAMES[g][0].upper() + GROUP_NAMES[g][1:]) for g in GROUPS]

    @staticmethod
    def figures() -> tuple[str, ...]:
        """The figures compared: reached, engaged."""
        return FIGURES

    @staticmethod
    def windows() -> tuple[str, ...]:
        """The windows: before, after."""
        return WINDOWS

    def smallest(self) -> tuple[int, str, str]:
        """The fewest women referred in any group and window, with the group and window (the first of a tie)."""
        return min(((self.cells[g][w]["referred"], g, w) for g in GROUPS for w in WINDOWS), key=lambda c: c[0])

    def cell(self, group: str, window: str) -> Cell:
        """One group's counts in one window."""
        return Cell(**self.cells[group][window])

    def as_dict(self) -> dict:
        """Plain JSON-ready values, as a review stores them."""
        return asdict(self)

    @classmethod
    def from_dict(cls, stored: dict) -> Effect:
        """An effect as a review stored it."""
        values = dict(stored)
        for key in ("before", "after"):
            values[key] = tuple(values[key]) if values.get(key) else None
        return cls(**values)


def last_followed(today: date) -> date:
    """The last referral day whose women have had all their follow-up by `today`: a woman referred on day r is
    followed up to the end of day r + FOLLOW_UP_DAYS, complete only once that day is over."""
    return today - timedelta(days=FOLLOW_UP_DAYS + 1)


def windows(decision: Decision, today: date, first_referral: date | None) -> tuple[int, list[str]]:
    """How many days each window can run, and why it is shorter than asked, if it is.

    The after window runs from the start date and ends at the first of: the asked length, the day before the
    decision stopped, and the last referral day whose cases have had their full follow-up by `today`. The
    before window is as long, and cannot start before the service's first referral."""
    start, asked = decision.start_date, decision.window_days
    limits = [(asked, "")]
    followed = last_followed(today)
    limits.append(((followed - start).days + 1,
                   f"women referred after {format_day(followed)} have not yet had their {FOLLOW_UP_DAYS} days "
                   "to be reached"))
    if decision.stopped_on is not None:
        limits.append(((decision.stopped_on - start).days, f"it stopped on {format_day(decision.stopped_on)}"))
    if first_referral is None or first_referral >= start:
        limits.append((0, "there are no referrals before the start date to compare with"))
    else:
        limits.append(((start - first_referral).days,
                       f"the service's records begin on {format_day(first_referral)}"))
    days, reason = min(limits, key=lambda limit: limit[0])
    days = max(days, 0)
    return days, ([f"Each window is {days} days, not {asked}: {reason}."] if days < asked and days > 0 else
                  [f"Nothing to measure yet: {reason}."] if days == 0 and reason else [])


def _counts(session: Session, service: Service, pathway_id: int | None, start: date, days: int) -> dict:
    """Referred, reached and engaged per group and window, in one aggregate."""
    contacts = definitions.reached_contacts(until=definitions.within_days_of_referral(FOLLOW_UP_DAYS))
    scoped = [Case.service_id == service.id,
              Case.referral_date.between(start - timedelta(days=days), start + timedelta(days=days - 1))]
    if pathway_id is not None:
        scoped.append(Case.pathway_id == pathway_id)
    per_case = select(
        case((Case.referral_date >= start, "after"), else_="before").label("window"),
        case((definitions.target(), "target"), else_="other").label("grp"),
        contacts.label("contacts"),
    ).where(*scoped).subquery()
    rows = session.execute(
        select(per_case.c.window, per_case.c.grp, func.count(),
               count_where(definitions.reached(contacts=per_case.c.contacts)),
               count_where(definitions.engaged(contacts=per_case.c.contacts, threshold=service.engaged_threshold)))
        .group_by(per_case.c.window, per_case.c.grp)
    ).all()
    cells = {g: {w: {"referred": 0, "reached": 0, "engaged": 0} for w in WINDOWS} for g in GROUPS}
    for window, group, referred, reached, engaged in rows:
        cells[group][window] = {"referred": int(referred), "reached": int(reached), "engaged": int(engaged)}
    return cells


def _overlapping(session: Session, decision: Decision, first: date, last: date) -> list[str]:
    """Other decisions of the service that were put in effect and ran at some time in [first, last], among those
    that could touch the cases measured: any, when every case of the service is measured; on the pathway or on
    none, when only the pathway's cases are."""
    query = select(Decision).where(
        Decision.service_id == decision.service_id, Decision.id != decision.id, Decision.start_date <= last,
        or_(Decision.stopped_on.is_(None), Decision.stopped_on > first))
    if decision.pathway_only and decision.pathway_id is not None:
        query = query.where(or_(Decision.pathway_id == decision.pathway_id, Decision.pathway_id.is_(None)))
    others = [o for o in session.scalars(query.order_by(Decision.start_date, Decision.id)) if o.ran]
    return [f"“{o.title}” ({'across the service' if o.pathway_id is None else 'on ' + o.pathway.name}, from "
            f"{format_day(o.start_date)}) was also in effect during these windows: part of any change may be its "
            "doing." for o in others]


def _rule_changes(service: Service, first: date, last: date) -> list[str]:
    """The service's target rule changes inside [first, last], in words."""
    rules: list[TargetRule] = list(service.past_target_rules)
    notes = []
    for n, rule in enumerate(rules):
        if first < rule.ends_on <= last:
            after = rules[n + 1].describe() if n + 1 < len(rules) else service.describe_target_rule()
            notes.append(f"The service's target rule changed on {format_day(rule.ends_on)}, from {rule.describe()} "
                         f"to {after}: each woman is counted by the rule in force when she was referred.")
    return notes


def _verdict(effect: Effect, figure: str, word: str) -> str:
    """One plain sentence on one figure that never says more than the interval allows."""
    if effect.days == 0:
        return effect.notes[-1] if effect.notes else "Nothing to measure yet."
    count, group, window = effect.smallest()
    if count < effect.min_cell_count:
        return (f"Too few cases to judge: each group needs at least {effect.min_cell_count} women referred in each "
                f"window, and {'no' if count == 0 else f'only {count}'} {GROUP_NAMES[group]} "
                f"{'was' if count == 1 else 'were'} referred {window} the start.")
    target, other = effect.changes["target"][figure], effect.changes["other"][figure]
    difference, (low, high) = effect.differences[figure]
    changed = (f"{word} changed by {stats.points(target[0])} for target women and by {stats.points(other[0])} "
               "for other women")
    if low <= 0 <= high:
        return (f"No clear difference between the groups: {changed}. Target women's change minus other women's, "
                f"{stats.points(difference)} (95% interval {stats.span((low, high), as_points=True)}), could be no "
                "difference at all.")
    size = "larger" if difference > 0 else "smaller"
    shown = (low, high) if difference > 0 else (-high, -low)
    return (f"{changed}: target women's change was {stats.points(abs(difference)).lstrip('+')} {size} than other "
            f"women's (95% interval {stats.span(shown, as_points=True).replace('+', '')} {size}).")


def measure(session: Session, decision: Decision, today: date) -> Effect:
    """The decision's effect as the records stand on `today`."""
    service: Service = session.get(Service, decision.service_id)
    pathway_id = decision.pathway_id if decision.pathway_only else None
    first_referral = session.scalar(
        select(func.min(Case.referral_date)).where(
            Case.service_id == service.id, *([Case.pathway_id == pathway_id] if pathway_id is not None else []))
    )
    days, notes = windows(decision, today, first_referral)
    start = decision.start_date
    scope = (f"cases on the pathway “{decision.pathway.name}”" if pathway_id is not None
             else "every case of the service")
    effect = Effect(
        decision_id=decision.id, measured_on=today.isoformat(), window_days=decision.window_days, days=days,
        before=((start - timedelta(days=days)).isoformat(), (start - timedelta(days=1)).isoformat()) if days else None,
        after=(start.isoformat(), (start + timedelta(days=days - 1)).isoformat()) if days else None,
        scope=scope, follow_up_days=FOLLOW_UP_DAYS, min_cell_count=service.min_cell_count,
        engaged_threshold=service.engaged_threshold, notes=notes,
    )
    if not decision.ran:
        effect.notes = ["It was stopped before it was put in effect: there is no effect to measure."
                        if decision.status == DecisionStatus.STOPPED else
                        "Not in effect yet: its effect is measured once it is marked in effect."]
        effect.days, effect.before, effect.after = 0, None, None
    elif decision.stopped_on is not None and decision.stopped_on <= start:
        effect.notes = ["It stopped before it started: there is no after window to measure."]
    elif start > last_followed(today):
        effect.notes = [f"Too early to judge: women referred from {format_day(start)} have not yet had "
                        f"{FOLLOW_UP_DAYS} days to be reached; the first of them can be judged on "
                        f"{format_day(start + timedelta(days=FOLLOW_UP_DAYS + 1))}."]
    if effect.days:
        effect.cells = _counts(session, service, pathway_id, start, days)
        first, last = start - timedelta(days=days), start + timedelta(days=days - 1)
        effect.notes += _overlapping(session, decision, first, last) + _rule_changes(service, first, last)
    _estimate(effect)
    return effect


def _estimate(effect: Effect) -> None:
    """Fill in an effect's changes, differences and verdicts from its counts."""
    if effect.days:
        for group in GROUPS:
            before, after = effect.cell(group, "before"), effect.cell(group, "after")
            effect.changes[group] = {
                figure: _as_list(stats.newcombe(getattr(after, figure), after.referred,
                                                getattr(before, figure), before.referred))
                for figure in FIGURES
            }
        for figure in FIGURES:
            target, other = effect.changes["target"][figure], effect.changes["other"][figure]
            effect.differences[figure] = (_as_list(stats.mover_difference(_as_tuple(target), _as_tuple(other)))
                                          if target and other else None)
        effect.judged = effect.smallest()[0] >= effect.min_cell_count
    effect.verdict = _verdict(effect, Reach.ENGAGED.value, "Engagement")
    effect.reach_verdict = _verdict(effect, Reach.REACHED.value, "Reach")


def with_counts(effect: Effect, cells: dict[str, dict[str, dict[str, int]]]) -> Effect:
    """The same effect worked out again from other counts of the same women (a brief's published ones)."""
    again = Effect.from_dict({**effect.as_dict(), "cells": cells, "changes": {}, "differences": {}})
    _estimate(again)
    return again


def _as_list(estimate: tuple[float, stats.Interval] | None) -> list | None:
    """An estimate and its interval as JSON-ready lists."""
    return None if estimate is None else [estimate[0], list(estimate[1])]


def _as_tuple(estimate: list) -> tuple[float, stats.Interval]:
    """A stored estimate back as (value, (low, high))."""
    return estimate[0], (estimate[1][0], estimate[1][1])
