"""Turn a framework version, the supervisees' figures and what they recorded into ordered supervision prompts.

The order, the same every time for the same data:
1. triggered: each supervisee's figures against the framework's triggers, in the file's order;
2. observed: each domain with barriers recorded in the period, most cases first, with the observations and
   cases behind it and the domain's own questions;
3. level: one prompt for each level with nothing observed in the period;
4. rotation: a domain not discussed in the supervisees' last sessions for each level not yet covered, or,
   when every level is covered, one from the level the last sessions rotated to longest ago, so successive
   sessions move through macro, meso and micro.
"""
from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ecotool.framework.models import Domain, FrameworkVersion
from ecotool.supervision.indicators import LEVEL_INDICATORS, Figure, times
from ecotool.vocab import Indicator, Level, PromptOrigin, PromptPurpose, TriggerOp

OPS = {TriggerOp.AT_LEAST: operator.ge, TriggerOp.MORE_THAN: operator.gt, TriggerOp.AT_MOST: operator.le,
       TriggerOp.LESS_THAN: operator.lt}


@dataclass
class PromptDraft:
    """A prompt ready to be shown and stored."""

    origin: str
    domain: Domain
    text: str
    figures: dict = field(default_factory=dict)
    follow_ups: list[str] = field(default_factory=list)
    supervisee_id: int | None = None


@dataclass(frozen=True)
class Supervisee:
    """One supervisee's figures for the period."""

    id: int
    name: str
    figures: dict[Indicator, Figure]


@dataclass
class BarrierDomain:
    """Barriers recorded in one domain in the period: which observations, on which cases."""

    code: str
    observation_ids: list[int] = field(default_factory=list)
    cases: dict[int, str] = field(default_factory=dict)  # case id -> reference
    target_cases: set[int] = field(default_factory=set)
    about_service: int = 0  # observations about the service as a whole, not one case
    items: list[dict] = field(default_factory=list)  # each observation: id, case id and case reference

    @classmethod
    def from_rows(cls, rows: list[tuple]) -> list[BarrierDomain]:
        """Group indicators.barrier_rows() by domain: most cases first, then most observations, then code."""
        found: dict[str, BarrierDomain] = {}
        for observation_id, case_id, reference, code, target in rows:
            item = found.setdefault(code, cls(code))
            item.observation_ids.append(observation_id)
            item.items.append({"id": observation_id, "case_id": case_id, "reference": reference})
            if case_id is None:
                item.about_service += 1
            else:
                item.cases[case_id] = reference
                if target:
                    item.target_cases.add(case_id)
        return sorted(found.values(), key=lambda b: (-len(b.cases), -len(b.observation_ids), b.code))

    def summary(self) -> str:
        """"Recorded as a barrier 4 times in the period, in 3 cases (2 of them target cases)"."""
        text = f"Recorded as a barrier {times(len(self.observation_ids))} in the period"
        if self.cases:
            cases = "1 case" if len(self.cases) == 1 else f"{len(self.cases)} cases"
            text += f", in {cases} ({len(self.target_cases)} of them target cases)"
        if self.about_service:
            text += f"; {self.about_service} about the service as a whole"
        return text

    def as_dict(self) -> dict:
        """The references behind the prompt (case references and observation ids, never a name)."""
        return {"summary": self.summary(), "observations": self.items,
                "cases": [{"id": i, "reference": r} for i, r in sorted(self.cases.items(), key=lambda c: c[1])],
                "times": len(self.observation_ids), "distinct_cases": len(self.cases),
                "target_cases": len(self.target_cases), "about_service": self.about_service}


@dataclass(frozen=True)
class Discussed:
    """A domain shown in one of the supervisees' earlier sessions."""

    code: str
    level: str
    held_on: date
    origin: str


def fill(template: str, figure: Figure) -> str:
    """Put a figure into a trigger prompt by plain named substitution (never str.format)."""
    values = {
        "value": figure.text(),
        "count": str(figure.count),
        "total": "" if figure.total is None else str(figure.total),
        "of": figure.of(),
        "times": times(figure.count),
    }
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


def triggered(version: FrameworkVersion, people: list[Supervisee]) -> list[PromptDraft]:
    """The prompts each supervisee's figures raise, supervisee by supervisee, in the file's trigger order."""
    drafts = []
    for person in people:
        for trigger in version.triggers:
            figure = person.figures.get(trigger.indicator)
            # A share or ratio over an empty total says nothing, so it never triggers.
            if figure is None or figure.value is None or not OPS[trigger.op](figure.value, trigger.value):
                continue
            text = fill(trigger.prompt, figure)
            if len(people) > 1 and person.name not in text:  # in a group, every prompt says whose figure it is
                text = f"{person.name}: {text}"
            drafts.append(PromptDraft(
                PromptOrigin.TRIGGER, trigger.domain, text,
                {**figure.as_dict(), "op": trigger.op, "threshold": trigger.value, "supervisee": person.name},
                supervisee_id=person.id,
            ))
    return drafts


def _questions(domain: Domain) -> tuple[str, list[str]]:
    questions = domain.prompts_for(PromptPurpose.SUPERVISION)
    return questions[0], questions[1:]


def _last_discussed(recent: list[Discussed]) -> dict[str, date]:
    last: dict[str, date] = {}
    for item in recent:
        last[item.code] = max(item.held_on, last.get(item.code, item.held_on))
    return last


def _least_recent(domains: list[Domain], last: dict[str, date]) -> Domain | None:
    """The domain discussed longest ago, one never discussed first; ties in the file's order."""
    return min(domains, key=lambda d: (last.get(d.code, date.min), d.position), default=None)


def build(
    version: FrameworkVersion, people: list[Supervisee], barriers: list[BarrierDomain],
    recent: list[Discussed] = (),
) -> list[PromptDraft]:
    """All the prompts of a session, in order (see the module's docstring)."""
    drafts = triggered(version, people)
    by_code = {d.code: d for d in version.domains}
    for barrier in barriers:
        domain = by_code.get(barrier.code)
        if domain is None:  # a domain the current framework no longer has
            continue
        text, follow_ups = _questions(domain)
        drafts.append(PromptDraft(PromptOrigin.OBSERVED, domain, text, barrier.as_dict(), follow_ups))

    used = {d.domain.code for d in drafts}
    last = _last_discussed(recent)
    fired = {d.figures.get("indicator") for d in drafts if d.origin == PromptOrigin.TRIGGER}
    for level in Level:
        indicator = LEVEL_INDICATORS[level]
        observed = sum(p.figures[indicator].count for p in people if indicator in p.figures)
        if observed or indicator in fired:
            continue
        domain = _least_recent([d for d in version.domains if d.level == level and d.code not in used], last)
        if domain is not None:
            text, follow_ups = _questions(domain)
            drafts.append(PromptDraft(PromptOrigin.LEVEL, domain, text, {"level": str(level)}, follow_ups))
            used.add(domain.code)

    fresh = [d for d in version.domains if d.code not in used and d.code not in last]
    fresh = fresh or [d for d in version.domains if d.code not in used]
    covered = {d.domain.level for d in drafts}
    levels = [level for level in Level if level not in covered]
    if not levels:
        levels = [_level_to_turn_to(drafts, recent)]
    for level in levels:
        domain = _least_recent([d for d in fresh if d.level == level], last)
        if domain is not None:
            text, follow_ups = _questions(domain)
            drafts.append(PromptDraft(PromptOrigin.ROTATION, domain, text, {"level": str(level)}, follow_ups))
    return drafts


def _level_to_turn_to(drafts: list[PromptDraft], recent: list[Discussed]) -> Level:
    """The level the last sessions rotated to longest ago (never first); ties go to the level with the fewest
    prompts so far, then to the framework's order."""
    shown = defaultdict(int)
    for draft in drafts:
        shown[draft.domain.level] += 1
    rotated: dict[str, date] = {}
    for item in recent:
        if item.origin == PromptOrigin.ROTATION:
            rotated[item.level] = max(item.held_on, rotated.get(item.level, item.held_on))
    order = list(Level)
    return min(Level, key=lambda lvl: (rotated.get(lvl, date.min), shown[lvl], order.index(lvl)))
