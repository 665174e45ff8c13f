"""Caseload figures for one supervisee, several, or a whole service over a period, each from a SQL aggregate.

Every figure names the population it counts ("of the 60 cases you held from 1 Mar 2026 to 31 Mar 2026"),
and every population is counted once per call, so one session can never show two totals for one thing.
The populations:
- held: cases referred by the end of the period and not closed before its start (definitions.held);
- open: cases open at the end of the period's last day (definitions.open_on);
- target / other held: the held cases in, or not in, their service's target group;
- attempts: contact attempts made in the period on the held cases;
- reached in the period: held cases with an attempt in the period that reached her;
- first days: target cases whose first 14 days after referral ended in the period;
- observations: observed in the period, on these supervisees' cases or written by them about the service.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session

from ecotool.capture import definitions
from ecotool.capture.models import Case, ContactAttempt, Observation
from ecotool.clock import day_bounds, format_day
from ecotool.db import count_where
from ecotool.framework.models import Domain
from ecotool.services.models import Service
from ecotool.vocab import FAILED_OUTCOMES, Answer, Indicator, Kind, Level, Outcome

# A barrier domain recorded in this many distinct cases in a period is recurring.
RECURRING_CASES = 3

COUNT, SHARE, RATIO = "count", "share", "ratio"


@dataclass(frozen=True)
class Holder:
    """Whose figures these are, as the words of a prompt say it: "you"/"your", "Amina"/"Amina's"."""

    who: str = "you"
    whose: str = "your"

    @classmethod
    def named(cls, name: str) -> Holder:
        """A supervisee named in a group session, or on the dashboard."""
        return cls(name, f"{name}'s")


SERVICE = Holder("the service", "the service's")

# Each population's words; {who}, {whose}, {start} and {end} are filled per call.
POPULATIONS = {
    "held": "cases {who} held from {start} to {end}",
    "open": "cases {who} had open on {end}",
    "target": "target cases {who} held from {start} to {end}",
    "other": "non-target cases {who} held from {start} to {end}",
    "attempts": "contact attempts made on {whose} cases from {start} to {end}",
    "reached": "cases reached by {who} from {start} to {end}",
    "first_days": "target cases {who} held whose first 14 days after referral ended from {start} to {end}",
    "observations": "observations on {whose} work from {start} to {end}",
    "domains": "barrier domains recorded in 3 or more of {whose} cases from {start} to {end}",
}


# Each population's short name, for the rows of a table that gives its size once.
POPULATION_NAMES = {
    "held": "Cases held in the period",
    "open": "Cases open at the end",
    "target": "Target cases held",
    "other": "Non-target cases held",
    "attempts": "Contact attempts in the period",
    "reached": "Cases reached during the period",
    "first_days": "Target cases whose first 14 days ended in the period",
}


# What a plain count counts, for its row in a table.
COUNTED_NAMES = {
    "open": "at the end of the period",
    "observations": "observed in the period, on her cases or about the service",
    "domains": "recorded as a barrier in 3 or more of her cases in the period",
}


@dataclass(frozen=True)
class Definition:
    """What an indicator counts, in words, and over which population."""

    label: str
    kind: str
    counted: str  # the population the count is drawn from
    total: str | None = None  # the population it is a share of (None for a plain count)


DEFINITIONS: dict[Indicator, Definition] = {
    Indicator.OPEN_CASES: Definition("Open cases at the end", COUNT, "open"),
    Indicator.TARGET_SHARE: Definition("Target cases", SHARE, "target", "held"),
    Indicator.UNREACHED_SHARE: Definition("Never reached", SHARE, "held", "held"),
    Indicator.TARGET_UNREACHED_SHARE: Definition("Target cases never reached", SHARE, "target", "target"),
    Indicator.REPEATED_FAILURE_CASES: Definition("Failed attempts in a row at the service's limit", COUNT,
                                                 "open", "open"),
    Indicator.SOMEONE_ELSE_ANSWERED: Definition("Attempts answered by someone else", COUNT, "attempts", "attempts"),
    Indicator.DECLINED_CASES: Definition("Declined support in the period", COUNT, "held", "held"),
    Indicator.QUIET_CASES: Definition("No contact for 14 days or more", COUNT, "open", "open"),
    Indicator.TARGET_REACHED_SHARE: Definition("Target cases reached by the end", SHARE, "target", "target"),
    Indicator.TARGET_ENGAGED_SHARE: Definition("Target cases engaged by the end", SHARE, "target", "target"),
    Indicator.OTHER_REACHED_SHARE: Definition("Non-target cases reached by the end", SHARE, "other", "other"),
    Indicator.OTHER_ENGAGED_SHARE: Definition("Non-target cases engaged by the end", SHARE, "other", "other"),
    Indicator.REACHED_SHARE: Definition("Reached by the end", SHARE, "held", "held"),
    Indicator.ENGAGED_SHARE: Definition("Engaged by the end", SHARE, "held", "held"),
    Indicator.FAILED_ATTEMPT_SHARE: Definition("Attempts that did not reach her", SHARE, "attempts", "attempts"),
    Indicator.FAILED_PER_REACHED_CASE: Definition("Failed attempts per case reached", RATIO, "attempts", "reached"),
    Indicator.LANGUAGE_SUPPORT_SHARE: Definition("Need language support", SHARE, "held", "held"),
    Indicator.EARLY_GAP_SHARE: Definition("Target cases not reached in their first 14 days", SHARE,
                                          "first_days", "first_days"),
    Indicator.MACRO_OBSERVATIONS: Definition("Observations at macro level", COUNT, "observations"),
    Indicator.MESO_OBSERVATIONS: Definition("Observations at meso level", COUNT, "observations"),
    Indicator.MICRO_OBSERVATIONS: Definition("Observations at micro level", COUNT, "observations"),
    Indicator.BARRIER_OBSERVATIONS: Definition("Barriers recorded", COUNT, "observations"),
    Indicator.RECURRING_BARRIER_DOMAINS: Definition("Recurring barrier domains", COUNT, "domains"),
}

LEVEL_INDICATORS = {Level.MACRO: Indicator.MACRO_OBSERVATIONS, Level.MESO: Indicator.MESO_OBSERVATIONS,
                    Level.MICRO: Indicator.MICRO_OBSERVATIONS}


def times(n: int) -> str:
    """"1 time", "2 times": never "time(s)"."""
    return f"{n} time" if n == 1 else f"{n} times"


@dataclass(frozen=True)
class Figure:
    """One indicator: the count, the total it is taken from (if any), and the words for both."""

    indicator: Indicator
    count: int
    total: int | None = None
    population: str = ""  # the words for the total's population, or for what is counted
    kind: str = COUNT

    @property
    def value(self) -> float | None:
        """What a trigger compares: the count, or the share or ratio. A share of nothing is None; so is a ratio
        of nothing to nothing, while failed attempts with no case reached count in full (the heaviest load)."""
        if self.kind == COUNT:
            return float(self.count)
        if self.total:
            return self.count / self.total
        return float(self.count) if self.kind == RATIO and self.count else None

    def text(self) -> str:
        """The value as shown: a count, a whole percentage, or a ratio to one decimal place."""
        if self.kind == COUNT:
            return str(self.count)
        if self.value is None:
            return "none to count"
        if self.kind == SHARE:
            return f"{round(self.value * 100)}%"
        return f"{self.value:.1f} for each case reached" if self.total else "no case reached"

    def of(self) -> str:
        """The population in words: "of the 60 cases you held from ..." (or what a plain count counts)."""
        if self.total is None:
            return self.population
        if self.kind == RATIO:
            return f"over the {self.total} {self.population}" if self.total else f"with no {self.population}"
        return f"of the {self.total} {self.population}"

    def summary(self) -> str:
        """The figure as one cell of a table: "16 of 60 (27%)", "2.5 (20 failed, 8 reached)", "16"."""
        if self.kind == SHARE:
            return f"{self.count} of {self.total}" + (f" ({self.text()})" if self.total else "")
        if self.kind == RATIO:
            if self.value is None:
                return "none to count"
            if not self.total:
                return f"{self.count} failed, no case reached"
            return f"{self.value:.1f} ({self.count} failed, {self.total} cases reached)"
        return f"{self.count} of {self.total}" if self.total is not None else str(self.count)

    @property
    def population_key(self) -> str:
        """Which population the total (or, for a plain count, the count) is drawn from."""
        definition = DEFINITIONS[self.indicator]
        return definition.total or definition.counted

    def as_dict(self) -> dict:
        """A JSON-ready copy, stored with the session and the prompt it triggered."""
        return {"indicator": str(self.indicator), "kind": self.kind, "count": self.count, "total": self.total,
                "value": self.value, "text": self.text(), "of": self.of(), "summary": self.summary(),
                "label": DEFINITIONS[self.indicator].label}


def sizes(figures: dict[Indicator, Figure]) -> dict[str, int]:
    """The size of each population the figures count, taken once: the totals, and the counts that are sizes."""
    found = {f.population_key: f.total for f in figures.values() if f.total is not None}
    found["open"] = figures[Indicator.OPEN_CASES].count
    found["target"] = figures[Indicator.TARGET_SHARE].count
    return {key: found[key] for key in POPULATION_NAMES}


def stored(figures: dict[Indicator, Figure]) -> dict:
    """The figures as a session keeps them: each indicator's as_dict() and the population sizes."""
    return {"figures": {str(k): f.as_dict() for k, f in figures.items()}, "sizes": sizes(figures)}


def populations(holder: Holder, start: date, end: date) -> dict[str, str]:
    """The words of every population for this holder and period."""
    words = {"who": holder.who, "whose": holder.whose, "start": format_day(start), "end": format_day(end)}
    return {key: template.format(**words) for key, template in POPULATIONS.items()}


def _their_observations(service: Service, supporter_ids: list[int] | None, start: date, end: date) -> list:
    """Observations in the period on these supervisees' cases, or theirs about the service (all, for the service)."""
    conditions = [Observation.service_id == service.id, Observation.observed_on.between(start, end)]
    if supporter_ids is not None:
        their_cases = select(Case.id).where(Case.service_id == service.id, Case.supporter_id.in_(supporter_ids))
        conditions.append(or_(Observation.case_id.in_(their_cases),
                              and_(Observation.case_id.is_(None), Observation.author_id.in_(supporter_ids))))
    return conditions


def barrier_rows(
    session: Session, service: Service, supporter_ids: list[int] | None, start: date, end: date,
) -> list[tuple[int, int | None, str, str, bool]]:
    """(observation id, case id, case reference, domain code, target case) for every barrier in the period."""
    return [tuple(row) for row in session.execute(
        select(Observation.id, Observation.case_id, Case.reference, Domain.code,
               definitions.target())
        .join(Domain, Domain.id == Observation.domain_id)
        .outerjoin(Case, Case.id == Observation.case_id)
        .where(*_their_observations(service, supporter_ids, start, end), Observation.kind == Kind.BARRIER)
        .order_by(Observation.observed_on, Observation.id)
    )]


def recurring_codes(rows: list[tuple], minimum: int = RECURRING_CASES) -> list[str]:
    """The domain codes recorded as a barrier in `minimum` or more distinct cases, in first-seen order."""
    cases: dict[str, set[int]] = defaultdict(set)
    for _, case_id, _, code, _ in rows:
        if case_id is not None:
            cases[code].add(case_id)
    return [code for code, ids in cases.items() if len(ids) >= minimum]


def compute(
    session: Session, service: Service, supporter_ids: list[int] | None, start: date, end: date,
    holder: Holder = Holder(),
) -> dict[Indicator, Figure]:
    """Every indicator for these supervisees' cases (None: the whole service) over [start, end]."""
    since, until = day_bounds(start, end)
    mine = [Case.service_id == service.id]
    if supporter_ids is not None:
        mine.append(Case.supporter_id.in_(supporter_ids) if supporter_ids else false())
    held = and_(*mine, definitions.held(start, end))
    is_open = definitions.open_on(end)
    is_target = definitions.target()
    reached_contacts = definitions.reached_contacts(until)
    never = definitions.never_reached(until, contacts=reached_contacts)
    engaged = definitions.engaged(until, contacts=reached_contacts)
    declined = select(ContactAttempt.id).where(
        ContactAttempt.case_id == Case.id, ContactAttempt.outcome == Outcome.DECLINED,
        ContactAttempt.at.between(since, until)).correlate(Case).exists()
    reached_in_period = select(ContactAttempt.id).where(
        ContactAttempt.case_id == Case.id, ContactAttempt.outcome == Outcome.REACHED,
        ContactAttempt.at.between(since, until)).correlate(Case).exists()
    row = session.execute(
        select(
            func.count(Case.id), count_where(is_open), count_where(is_target), count_where(never),
            count_where(and_(is_target, never)), count_where(and_(is_target, ~never)),
            count_where(and_(is_target, engaged)), count_where(~never), count_where(engaged),
            count_where(and_(is_open, definitions.stuck(until))),
            count_where(and_(is_open, definitions.quiet(until, definitions.last_contact_at(until)))),
            count_where(declined), count_where(reached_in_period),
            count_where(Case.language_support == Answer.YES),
        ).where(held)
    ).one()
    (total, open_cases, targets, unreached, target_unreached, target_reached, target_engaged, reached, engaged_n,
     stuck, quiet, declined_n, reached_now, language) = (int(v) for v in row)

    attempts = session.execute(
        select(func.count(ContactAttempt.id), count_where(ContactAttempt.outcome.in_(FAILED_OUTCOMES)),
               count_where(ContactAttempt.outcome == Outcome.SOMEONE_ELSE_ANSWERED))
        .join(Case, Case.id == ContactAttempt.case_id)
        .where(held, ContactAttempt.at.between(since, until))
    ).one()
    n_attempts, failed, someone_else = (int(v) for v in attempts)

    # First days: referral + FIRST_DAYS falls in the period, so each case counts in exactly one period.
    first_days = session.execute(
        select(Case.referral_date, definitions.first_reached_at()).where(
            held, is_target,
            Case.referral_date.between(start - timedelta(days=definitions.FIRST_DAYS),
                                       end - timedelta(days=definitions.FIRST_DAYS)))
    ).all()
    gaps = sum(not definitions.reached_in_first_days(referred, first) for referred, first in first_days)

    levels = dict(session.execute(
        select(Domain.level, func.count(Observation.id)).join(Domain, Domain.id == Observation.domain_id)
        .where(*_their_observations(service, supporter_ids, start, end)).group_by(Domain.level)
    ).all())
    barriers = barrier_rows(session, service, supporter_ids, start, end)

    words = populations(holder, start, end)
    other = total - targets

    def figure(indicator: Indicator, count: int, total_: int | None = None) -> Figure:
        definition = DEFINITIONS[indicator]
        population = words[definition.total or definition.counted]
        return Figure(indicator, count, total_ if definition.total else None, population, definition.kind)

    figures = [
        figure(Indicator.OPEN_CASES, open_cases),
        figure(Indicator.TARGET_SHARE, targets, total),
        figure(Indicator.UNREACHED_SHARE, unreached, total),
        figure(Indicator.TARGET_UNREACHED_SHARE, target_unreached, targets),
        figure(Indicator.REPEATED_FAILURE_CASES, stuck, open_cases),
        figure(Indicator.SOMEONE_ELSE_ANSWERED, someone_else, n_attempts),
        figure(Indicator.DECLINED_CASES, declined_n, total),
        figure(Indicator.QUIET_CASES, quiet, open_cases),
        figure(Indicator.TARGET_REACHED_SHARE, target_reached, targets),
        figure(Indicator.TARGET_ENGAGED_SHARE, target_engaged, targets),
        figure(Indicator.OTHER_REACHED_SHARE, reached - target_reached, other),
        figure(Indicator.OTHER_ENGAGED_SHARE, engaged_n - target_engaged, other),
        figure(Indicator.REACHED_SHARE, reached, total),
        figure(Indicator.ENGAGED_SHARE, engaged_n, total),
        figure(Indicator.FAILED_ATTEMPT_SHARE, failed, n_attempts),
        figure(Indicator.FAILED_PER_REACHED_CASE, failed, reached_now),
        figure(Indicator.LANGUAGE_SUPPORT_SHARE, language, total),
        figure(Indicator.EARLY_GAP_SHARE, gaps, len(first_days)),
        *(figure(LEVEL_INDICATORS[level], int(levels.get(level, 0))) for level in Level),
        figure(Indicator.BARRIER_OBSERVATIONS, len(barriers)),
        figure(Indicator.RECURRING_BARRIER_DOMAINS, len(recurring_codes(barriers))),
    ]
    return {f.indicator: f for f in figures}
