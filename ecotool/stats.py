"""Interval estimates for proportions and their differences, from statsmodels where it has them.

Briefs give each rate a Wilson interval; a decision's effect compares rates before and after it, in two groups
taken as independent, so its interval for a change is Newcombe's (the groups' Wilson limits combined), and for
the difference between two changes (difference-in-differences) the same MOVER rule applied once more.
"""
from __future__ import annotations

from math import floor, sqrt

import numpy as np

from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

Interval = tuple[float, float]


def wilson(count: int, total: int) -> Interval | None:
    """The 95% Wilson score interval of count/total, or None when total is 0."""
    if total <= 0:
        return None
    low, high = proportion_confint(count, total, alpha=0.05, method="wilson")
    return float(low), float(high)


def newcombe(count_1: int, total_1: int, count_0: int, total_0: int) -> tuple[float, Interval] | None:
    """The difference p1 - p0 of two independent proportions and its 95% Newcombe (hybrid score) interval,
    or None when either total is 0."""
    if total_1 <= 0 or total_0 <= 0:
        return None
    low, high = confint_proportions_2indep(count_1, total_1, count_0, total_0, method="newcomb", compare="diff",
                                           alpha=0.05)
    return count_1 / total_1 - count_0 / total_0, (float(low), float(high))


def mover_difference(first: tuple[float, Interval], second: tuple[float, Interval]) -> tuple[float, Interval]:
    """The difference first - second of two independent estimates, with the MOVER interval built from
    each one's own limits (Zou and Donner): the distances to the limits add in quadrature."""
    (d1, (l1, u1)), (d2, (l2, u2)) = first, second
    difference = d1 - d2
    return difference, (difference - sqrt((d1 - l1) ** 2 + (u2 - d2) ** 2),
                        difference + sqrt((u1 - d1) ** 2 + (d2 - l2) ** 2))


def signed(n: int) -> str:
    """A whole number with its sign: "+20", "−3", "0"."""
    return f"{'+' if n > 0 else '−' if n < 0 else ''}{abs(n)}"


def signed_points(difference: float) -> str:
    """A difference of rates in whole percentage points, signed and without the unit, for a table: "+20"."""
    return signed(round(difference * 100))


def _limit(fraction: float) -> str:
    """An interval's limit in signed points: whole, except that a limit near but not at zero keeps one decimal
    ("+0.4"), so an interval that excludes zero never reads as if it touched it."""
    n = round(fraction * 100)
    if n == 0 and fraction != 0:
        return f"{'+' if fraction > 0 else '−'}{abs(fraction * 100):.1f}"
    return signed(n)


def whole_percent(count: int, total: int) -> int:
    """count / total as a whole percentage, halves rounded up as people round them (25 of 40 is 63%), worked in
    whole numbers so no float edge moves it."""
    return (200 * count + total) // (2 * total)


def percent(fraction: float) -> str:
    """A rate as a whole percentage, halves rounded up: "20%"."""
    return f"{floor(fraction * 100 + 0.5)}%"


def points(difference: float) -> str:
    """A difference of rates in whole percentage points, signed: "+20 points", "−1 point", "0 points"."""
    n = round(difference * 100)
    return f"{signed_points(difference)} point{'' if abs(n) == 1 else 's'}"


def span(interval: Interval | list | None, as_points: bool = False) -> str:
    """An interval in words: "13% to 29%" for a rate, "−37 to −2 points" for a difference; "–" for none."""
    if not interval:
        return "–"
    if as_points:
        return f"{_limit(interval[0])} to {_limit(interval[1])} points"
    low, high = (round(x * 100) for x in interval)
    return f"{low}% to {high}%"


def slope_index(counts: list[int], totals: list[int], draws: int = 5000, seed: int = 2024) -> tuple[float, Interval]:
    """The slope index of inequality of a rate across ordered groups (most deprived first), as public-health
    analysts in England compute it: each group placed at the midpoint of its cumulative share of the women
    counted, the rates regressed on those midpoints by least squares weighted by each group's share, the slope
    being the fitted difference from the most deprived end (0) to the least (1). Its 95% interval comes from
    simulation: each group's count drawn again from a binomial with its own rate, `draws` times (seeded, so the
    same figures give the same interval)."""
    n = np.asarray(totals, dtype=float)
    weights = n / n.sum()
    midpoints = np.cumsum(weights) - weights / 2
    rates = np.asarray(counts, dtype=float) / n
    slope = float(_weighted_slope(midpoints, rates, weights))
    rng = np.random.default_rng(seed)
    simulated = rng.binomial(np.asarray(totals), rates, size=(draws, len(totals))) / n
    low, high = np.percentile(_weighted_slope(midpoints, simulated, weights), [2.5, 97.5])
    return float(slope), (float(low), float(high))


def _weighted_slope(x, y, w):
    """The slope of y on x by least squares weighted by w; y may hold one set of rates per row (the simulated
    draws), giving one slope per row in a single matrix product."""
    x_bar = np.average(x, weights=w)
    y = np.asarray(y)
    y_bar = np.average(y, weights=w, axis=-1)
    return (y - np.expand_dims(y_bar, -1)) @ (w * (x - x_bar)) / np.sum(w * (x - x_bar) ** 2)
