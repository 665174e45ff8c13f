"""What a new framework file changes against the version in use: shown before it is put in use."""
from __future__ import annotations

from dataclasses import dataclass, field

from ecotool.vocab import PromptPurpose

PROMPT_KINDS = tuple(f"{purpose}_prompts" for purpose in PromptPurpose)
NAMED_LISTS = ("levels", "journey_stages", "response_types", "target_groups")


@dataclass
class Changes:
    """The differences between two framework documents, in the admin's words."""

    added: list[str] = field(default_factory=list)            # "micro.new-domain: Its name"
    removed: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)          # "code: Old name -> New name"
    prompts: list[str] = field(default_factory=list)          # "code: 2 prompts added, 1 removed"
    triggers_added: list[str] = field(default_factory=list)   # "code when indicator >= value"
    triggers_removed: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)            # "response_types: added x; removed y"

    @property
    def none(self) -> bool:
        """Whether nothing that users see has changed."""
        return not any((self.added, self.removed, self.renamed, self.prompts, self.triggers_added,
                        self.triggers_removed, self.lists))


def _domains(document: dict | None) -> dict[str, dict]:
    return {d["code"]: d for d in (document or {}).get("domains", [])}


def _prompts(domain: dict) -> list[str]:
    return [text for kind in PROMPT_KINDS if kind in domain for text in domain[kind]]


def _trigger(t: dict) -> str:
    return f"{t['domain']} when {t['indicator']} {t['op']} {t['value']:g}: {t['prompt']}"


def _codes(document: dict | None, section: str) -> dict[str, str]:
    return {item["code"]: item.get("name", item["code"]) for item in (document or {}).get(section, [])}


def compare(in_use: dict | None, new: dict) -> Changes:
    """What `new` changes against the document in use (None: there is none yet, so everything is added)."""
    changes = Changes()
    old_domains, new_domains = _domains(in_use), _domains(new)
    for code, domain in new_domains.items():
        before = old_domains.get(code)
        if before is None:
            changes.added.append(f"{code}: {domain['name']}")
            continue
        if before["name"] != domain["name"]:
            changes.renamed.append(f"{code}: {before['name']} → {domain['name']}")
        old_prompts, new_prompts = _prompts(before), _prompts(domain)
        gained = [p for p in new_prompts if p not in old_prompts]
        lost = [p for p in old_prompts if p not in new_prompts]
        if gained or lost:
            changes.prompts.append(f"{code}: {len(gained)} prompt{'s' * (len(gained) != 1)} added or reworded, "
                                   f"{len(lost)} removed or reworded")
    changes.removed = [f"{code}: {d['name']}" for code, d in old_domains.items() if code not in new_domains]
    old_triggers = {_trigger(t) for t in (in_use or {}).get("triggers", [])}
    new_triggers = {_trigger(t) for t in new.get("triggers", [])}
    changes.triggers_added = sorted(new_triggers - old_triggers)
    changes.triggers_removed = sorted(old_triggers - new_triggers)
    for section in NAMED_LISTS:
        before, after = _codes(in_use, section), _codes(new, section)
        gained, lost = sorted(set(after) - set(before)), sorted(set(before) - set(after))
        if gained or lost:
            parts = ([f"added {', '.join(gained)}"] if gained else []) + ([f"removed {', '.join(lost)}"] if lost else [])
            changes.lists.append(f"{section.replace('_', ' ')}: {'; '.join(parts)}")
    return changes
