"""Small-number protection for commissioner output."""
from __future__ import annotations

from dataclasses import dataclass

from ecotool.vocab import DisclosureRule

SUPPRESSED = "*"


@dataclass(frozen=True)
class Shown:
    """A count as it may be shown: the published number, or None when suppressed."""

    published: int | None

    @property
    def text(self) -> str:
        """The count as printed."""
        return SUPPRESSED if self.published is None else str(self.published)


def nhs_digital(count: int) -> Shown:
    """NHS Digital's rule: 0 shown, 1-7 suppressed, others rounded to the nearest 5."""
    if count == 0:
        return Shown(0)
    if count <= 7:
        return Shown(None)
    # Halves round up (e.g. 12.5 -> 15), as in the published rule, not to the even neighbour.
    return Shown(int((count + 2.5) // 5 * 5))


RULES = {DisclosureRule.NHS_DIGITAL: nhs_digital}


def apply(rule: str, count: int) -> Shown:
    """Apply a service's disclosure rule to one count."""
    return RULES[rule](count)


def rate(numerator: Shown, denominator: Shown) -> float | None:
    """A rate from published figures; withheld when either is hidden or the base is 0."""
    if numerator.published is None or not denominator.published:
        return None
    return numerator.published / denominator.published
