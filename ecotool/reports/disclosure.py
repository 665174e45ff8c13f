"""Small-number protection for commissioner output: NHS Digital's rule cell by cell, or the threshold rule with
secondary suppression checked by linear programming, so that no hidden count can be worked out from the rest."""
from __future__ import annotations

from dataclasses import dataclass

from scipy.optimize import linprog

from ecotool.vocab import DisclosureRule

SUPPRESSED = "*"
# The threshold rule hides counts from 1 to this unless the service sets its own.
DEFAULT_THRESHOLD = 4


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


def apply(rule: str, count: int, threshold: int = DEFAULT_THRESHOLD) -> Shown:
    """Apply a service's disclosure rule to one count published on its own (no total or related count beside
    it to subtract from); counts published together go through `publish`."""
    if rule == DisclosureRule.THRESHOLD:
        return Shown(None if 1 <= count <= threshold else count)
    return RULES[rule](count)


def rate(numerator: Shown, denominator: Shown) -> float | None:
    """A rate from published figures; withheld when either is hidden or the base is 0."""
    if numerator.published is None or not denominator.published:
        return None
    return numerator.published / denominator.published


# The threshold rule: counts from 1 to the service's threshold are hidden, and then as many more as it takes
# for no hidden count to be worked out from the figures that are shown.


@dataclass
class Table:
    """Counts of women to publish together, with what a reader knows ties them: each sum (a total and its
    parts: rows to a total, target + other to all, the collapsed rows to their quintiles) and each subset (the
    women reached are among those referred)."""

    cells: dict[str, int]
    sums: list[tuple[str, list[str]]]
    subsets: list[tuple[str, str]]  # (smaller, larger)

    def related(self, name: str) -> list[str]:
        """Every other cell that shares a sum or a subset with this one."""
        found: list[str] = []
        for total, parts in self.sums:
            if name == total or name in parts:
                found += [total, *parts]
        for small, large in self.subsets:
            if name in (small, large):
                found += [small, large]
        return [c for c in dict.fromkeys(found) if c != name]


def _bounds(table: Table, hidden: set[str], name: str) -> tuple[float, float]:
    """The least and the most a hidden cell can be, given every shown cell, the sums and subsets, and that a
    hidden count is at least 1 (zeros are shown): a reader's best subtraction, as two linear programmes."""
    unknown = sorted(hidden)
    index = {c: i for i, c in enumerate(unknown)}

    def row(terms: list[tuple[str, float]]) -> tuple[list[float], float]:
        coefficients, constant = [0.0] * len(unknown), 0.0
        for cell, sign in terms:
            if cell in index:
                coefficients[index[cell]] += sign
            else:
                constant -= sign * table.cells[cell]
        return coefficients, constant

    equalities = [row([(total, 1.0)] + [(p, -1.0) for p in parts]) for total, parts in table.sums]
    inequalities = [row([(small, 1.0), (large, -1.0)]) for small, large in table.subsets]
    equalities = [(c, b) for c, b in equalities if any(c)]
    inequalities = [(c, b) for c, b in inequalities if any(c)]
    objective = [0.0] * len(unknown)
    objective[index[name]] = 1.0
    kwargs = {
        "A_eq": [c for c, _ in equalities] or None, "b_eq": [b for _, b in equalities] or None,
        "A_ub": [c for c, _ in inequalities] or None, "b_ub": [b for _, b in inequalities] or None,
        "bounds": [(1, None)] * len(unknown), "method": "highs",
    }
    low = linprog(objective, **kwargs)
    high = linprog([-x for x in objective], **kwargs)
    return (low.fun if low.status == 0 else float("-inf"),
            -high.fun if high.status == 0 else float("inf"))


def protect(table: Table, threshold: int = DEFAULT_THRESHOLD) -> set[str]:
    """The cells to hide: each count from 1 to `threshold`, then, while any hidden count could be worked out
    exactly, the smallest shown non-zero count tied to it (secondary suppression)."""
    hidden = {c for c, n in table.cells.items() if 1 <= n <= threshold}
    while True:
        exposed = next((c for c in sorted(hidden) if _pinned(table, hidden, c)), None)
        if exposed is None:
            return hidden
        candidates = [c for c in table.related(exposed) if c not in hidden and table.cells[c] > 0]
        if not candidates:  # nothing tied to it can be hidden: hide every non-zero cell rather than expose it
            return {c for c, n in table.cells.items() if n > 0}
        hidden.add(min(candidates, key=lambda c: (table.cells[c], c)))


def _pinned(table: Table, hidden: set[str], name: str) -> bool:
    """A hidden cell whose least and most possible values meet: a reader can work it out."""
    low, high = _bounds(table, hidden, name)
    return high - low < 0.5


def publish(rule: str, table: Table, threshold: int = DEFAULT_THRESHOLD) -> dict[str, Shown]:
    """Every count of a table as it may be shown under a service's rule: NHS Digital's cell by cell, or the
    threshold rule across the whole table (primary and secondary suppression)."""
    if rule == DisclosureRule.THRESHOLD:
        hidden = protect(table, threshold)
        return {c: Shown(None if c in hidden else n) for c, n in table.cells.items()}
    return {c: RULES[rule](n) for c, n in table.cells.items()}
