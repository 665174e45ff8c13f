"""Turn a framework version and a supervisee's figures into ordered supervision prompts."""
from __future__ import annotations

import operator
from dataclasses import dataclass, field

from ecotool.framework.models import Domain, FrameworkVersion
from ecotool.supervision.indicators import Figure
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


def fill(template: str, figure: Figure) -> str:
    """Put a figure into a trigger prompt by plain named substitution (never str.format)."""
    values = {
        "value": figure.text(),
        "count": "" if figure.count is None else str(figure.count),
        "total": "" if figure.total is None else str(figure.total),
    }
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


def build(
    version: FrameworkVersion, figures: dict[Indicator, Figure], barriers: list[tuple[int, int]],
) -> list[PromptDraft]:
    """Order prompts: triggered by figures first, then domains with recent barriers (as (domain id, count),
    most recorded first), then one per level not yet covered."""
    drafts: list[PromptDraft] = []
    used: set[int] = set()
    for trigger in version.triggers:
        figure = figures.get(trigger.indicator)
        # A share over an empty total says nothing, so it never triggers.
        if figure is None or (figure.is_share and not figure.total):
            continue
        if OPS[trigger.op](figure.value, trigger.value):
            drafts.append(PromptDraft(
                PromptOrigin.TRIGGER, trigger.domain, fill(trigger.prompt, figure),
                {"indicator": trigger.indicator, "op": trigger.op, "threshold": trigger.value, **figure.as_dict()},
            ))
            used.add(trigger.domain_id)
    by_id = {d.id: d for d in version.domains}
    for domain_id, times in barriers:
        domain = by_id.get(domain_id)
        if domain is None or domain_id in used:
            continue
        for text in domain.prompts_for(PromptPurpose.SUPERVISION)[:1]:
            drafts.append(PromptDraft(PromptOrigin.OBSERVED, domain, text, {Indicator.BARRIER_OBSERVATIONS: times}))
        used.add(domain_id)
    covered = {d.domain.level for d in drafts}
    for level in Level:
        if level in covered:
            continue
        domain = next((d for d in version.domains if d.level == level and d.id not in used), None)
        if domain is not None:
            drafts.append(PromptDraft(PromptOrigin.FRAMEWORK, domain, domain.prompts_for(PromptPurpose.SUPERVISION)[0]))
    return drafts
