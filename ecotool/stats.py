"""Interval estimates for proportions and their differences, from statsmodels where it has them.

Briefs give each rate a Wilson interval; a decision's effect compares rates before and after it, in two groups
taken as independent, so its interval for a change is Newcombe's (the groups' Wilson limits combined), and for
the difference between two changes (difference-in-differences) the same MOVER rule applied once more.
"""
from __future__ import annotations

from math import sqrt

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
