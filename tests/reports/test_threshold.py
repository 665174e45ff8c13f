"""The threshold rule: counts from 1 to 4 hidden, then enough more that a reader who subtracts across every
margin (rows to totals, target + other to all, the collapsed rows, reached within referred) recovers none.

The attacker here is written independently of the code: it narrows each hidden count's range by interval
arithmetic over every sum and subset until nothing changes, and on small tables it also tries every integer
assignment. A hidden count whose range closes to one value is recovered, and the test fails."""
from __future__ import annotations

import itertools
import random

import pytest

from ecotool.reports.disclosure import Table, protect

ROWS = ["q1", "q2", "q3", "q4", "q5", "unknown"]
FIGURES = ["referred", "reached", "engaged"]


def brief_like(rng: random.Random, small: bool) -> Table:
    """Quintile rows and their total; target and other and their total; the two collapsed rows; each figure
    within the one before it. Drawn woman-group by woman-group (each quintile's target and other women), so
    every sum and subset holds; counts are small enough that many fall from 1 to 4."""
    atoms: dict[tuple[str, str], dict[str, int]] = {}
    for row in ROWS:
        for group in ("target", "other"):
            referred = rng.choice([0, 0, 1, 2, 3, 5, 6]) if small else rng.randint(0, 15)
            reached = rng.randint(0, referred)
            atoms[row, group] = {"referred": referred, "reached": reached, "engaged": rng.randint(0, reached)}
    cells: dict[str, int] = {}
    sums, subsets = [], []
    for figure in FIGURES:
        def total(rows, groups):
            return sum(atoms[r, g][figure] for r in rows for g in groups)
        for row in ROWS:
            cells[f"{row}.{figure}"] = total([row], ["target", "other"])
        cells[f"all.{figure}"] = total(ROWS, ["target", "other"])
        cells[f"target.{figure}"] = total(ROWS, ["target"])
        cells[f"other.{figure}"] = total(ROWS, ["other"])
        cells[f"low.{figure}"] = total(["q1", "q2"], ["target", "other"])
        cells[f"rest.{figure}"] = total(ROWS[2:], ["target", "other"])
        sums += [(f"all.{figure}", [f"{r}.{figure}" for r in ROWS]),
                 (f"all.{figure}", [f"target.{figure}", f"other.{figure}"]),
                 (f"low.{figure}", [f"q1.{figure}", f"q2.{figure}"]),
                 (f"all.{figure}", [f"low.{figure}", f"rest.{figure}"])]
    for row in ROWS + ["all", "target", "other", "low", "rest"]:
        subsets += [(f"{row}.reached", f"{row}.referred"), (f"{row}.engaged", f"{row}.reached")]
    return Table(cells, sums, subsets)


def _consistent(table: Table) -> bool:
    ok_sums = all(table.cells[t] == sum(table.cells[p] for p in parts) for t, parts in table.sums)
    return ok_sums and all(table.cells[s] <= table.cells[b] for s, b in table.subsets)


def attack(table: Table, hidden: set[str]) -> dict[str, int]:
    """What a reader works out: each hidden count's range narrowed by every sum and subset, from at least 1."""
    big = sum(v for v in table.cells.values())
    low = {c: (1 if c in hidden else v) for c, v in table.cells.items()}
    high = {c: (big if c in hidden else v) for c, v in table.cells.items()}
    changed = True
    while changed:
        changed = False
        for total, parts in table.sums:
            # total between the sums of the parts' ranges; each part between total minus the others' ranges.
            new = {total: (max(low[total], sum(low[p] for p in parts)), min(high[total], sum(high[p] for p in parts)))}
            for p in parts:
                others_low = sum(low[o] for o in parts if o != p)
                others_high = sum(high[o] for o in parts if o != p)
                new[p] = (max(low[p], low[total] - others_high), min(high[p], high[total] - others_low))
            for cell, (lo, hi) in new.items():
                if (lo, hi) != (low[cell], high[cell]):
                    low[cell], high[cell], changed = lo, hi, True
        for small, large in table.subsets:
            if high[small] > high[large]:
                high[small], changed = high[large], True
            if low[large] < low[small]:
                low[large], changed = low[small], True
    return {c: low[c] for c in hidden if low[c] == high[c]}


def exhaustive(table: Table, hidden: set[str], limit: int = 12) -> dict[str, int]:
    """On a small table: every integer assignment of the hidden counts from 1 to `limit` that fits all the sums
    and subsets; a hidden count with one value across them all is recovered."""
    names = sorted(hidden)
    seen: dict[str, set[int]] = {n: set() for n in names}
    for values in itertools.product(range(1, limit + 1), repeat=len(names)):
        trial = Table({**table.cells, **dict(zip(names, values))}, table.sums, table.subsets)
        if _consistent(trial):
            for n, v in zip(names, values):
                seen[n].add(v)
    return {n: next(iter(v)) for n, v in seen.items() if len(v) == 1}


@pytest.mark.parametrize("seed", range(120))
def test_no_hidden_count_is_recovered_by_subtraction(seed):
    rng = random.Random(seed)
    table = brief_like(rng, small=seed % 2 == 0)
    assert _consistent(table)
    hidden = protect(table, threshold=4)
    assert {c for c, n in table.cells.items() if 1 <= n <= 4} <= hidden, "every count from 1 to 4 is hidden"
    assert not any(table.cells[c] == 0 for c in hidden), "zero is shown"
    assert attack(table, hidden) == {}


def test_the_attacker_finds_what_primary_suppression_alone_leaves_open():
    """Hiding only the small counts is not enough: the attacker recovers them (so the test above can fail)."""
    rng = random.Random(3)
    recovered = 0
    for _ in range(40):
        table = brief_like(rng, small=True)
        primary = {c for c, n in table.cells.items() if 1 <= n <= 4}
        recovered += bool(attack(table, primary))
    assert recovered > 10


def test_a_small_table_survives_every_integer_assignment():
    """Three rows and their total, reached within referred: the exhaustive attacker finds nothing either."""
    cells = {"a.referred": 3, "b.referred": 9, "c.referred": 12, "all.referred": 24,
             "a.reached": 2, "b.reached": 7, "c.reached": 10, "all.reached": 19}
    sums = [("all.referred", ["a.referred", "b.referred", "c.referred"]),
            ("all.reached", ["a.reached", "b.reached", "c.reached"])]
    subsets = [(f"{r}.reached", f"{r}.referred") for r in ("a", "b", "c", "all")]
    table = Table(cells, sums, subsets)
    hidden = protect(table, threshold=4)
    assert {"a.referred", "a.reached"} <= hidden and len(hidden) >= 4
    assert exhaustive(table, hidden, limit=13) == {} and attack(table, hidden) == {}
    assert exhaustive(table, {"a.referred", "a.reached"}, limit=13) != {}  # primary alone is recoverable
