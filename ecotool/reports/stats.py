"""Interval estimates for briefs, from statsmodels."""
from __future__ import annotations

from statsmodels.stats.proportion import proportion_confint


def wilson(count: int, total: int) -> tuple[float, float] | None:
    """The 95% Wilson score interval of count/total, or None when total is 0."""
    if total <= 0:
        return None
    low, high = proportion_confint(count, total, alpha=0.05, method="wilson")
    return float(low), float(high)
