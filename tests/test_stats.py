"""Intervals for rates and their changes, checked against published values and formulas worked by hand."""
from __future__ import annotations

from math import sqrt

import pytest

from ecotool import stats

Z = 1.959963984540054  # the 97.5th centile of the standard normal


def _wilson_by_hand(count: int, total: int) -> tuple[float, float]:
    """Wilson's score interval written out: centre (p + z²/2n)/(1 + z²/n), half-width
    z·sqrt(p(1-p)/n + z²/4n²)/(1 + z²/n)."""
    p = count / total
    scale = 1 + Z * Z / total
    centre = (p + Z * Z / (2 * total)) / scale
    half = Z * sqrt(p * (1 - p) / total + Z * Z / (4 * total * total)) / scale
    return centre - half, centre + half


def _newcombe_by_hand(c1: int, n1: int, c0: int, n0: int) -> tuple[float, tuple[float, float]]:
    """Newcombe's method 10: the difference, less and more the Wilson distances added in quadrature."""
    p1, p0 = c1 / n1, c0 / n0
    (l1, u1), (l0, u0) = _wilson_by_hand(c1, n1), _wilson_by_hand(c0, n0)
    d = p1 - p0
    return d, (d - sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2), d + sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2))


def test_wilson_matches_the_formula_and_is_none_for_nothing():
    for count, total in ((56, 70), (0, 12), (12, 12), (1, 3), (14, 15)):
        assert stats.wilson(count, total) == pytest.approx(_wilson_by_hand(count, total), abs=1e-12)
    assert stats.wilson(56, 70) == pytest.approx((0.6918, 0.8770), abs=5e-5)
    assert stats.wilson(0, 0) is None


@pytest.mark.parametrize("counts, published", [
    # Newcombe RG (1998) Interval estimation for the difference between independent proportions: comparison of
    # eleven methods. Statistics in Medicine 17:873-890, worked examples, method 10 (score, no continuity
    # correction): 56/70 - 48/80 and 9/10 - 3/10.
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
])
def test_newcombe_gives_the_published_worked_examples(counts, published):
    difference, interval = stats.newcombe(*counts)
    assert difference == pytest.approx(counts[0] / counts[1] - counts[2] / counts[3])
    assert interval == pytest.approx(published, abs=5e-5)
    by_hand = _newcombe_by_hand(*counts)
    assert difference == pytest.approx(by_hand[0], abs=1e-12)
    assert interval == pytest.approx(by_hand[1], abs=1e-9)
    assert stats.newcombe(1, 0, 3, 10) is None


def test_difference_in_differences_of_a_known_effect():
    """Engaged rate of non-target women 30/100 before, 50/100 after (+20 points); target women 20/100 both times.
    The difference in differences is 20 points, with the MOVER interval of the two Newcombe intervals."""
    other = stats.newcombe(50, 100, 30, 100)
    target = stats.newcombe(20, 100, 20, 100)
    difference, (low, high) = stats.mover_difference(other, target)
    assert difference == pytest.approx(0.20)
    (d1, (l1, u1)), (d2, (l2, u2)) = _newcombe_by_hand(50, 100, 30, 100), _newcombe_by_hand(20, 100, 20, 100)
    assert d1 == pytest.approx(0.20) and d2 == 0
    assert low == pytest.approx(0.20 - sqrt((d1 - l1) ** 2 + (u2 - d2) ** 2), abs=1e-9)
    assert high == pytest.approx(0.20 + sqrt((u1 - d1) ** 2 + (d2 - l2) ** 2), abs=1e-9)
    # Worked through: the change for non-target women alone is 0.20 (0.0642 to 0.3258); the target group's
    # zero change (-0.1110 to 0.1110) widens it to 0.20 (0.0246 to 0.3678), still clear of zero.
    assert (l1, u1) == pytest.approx((0.0642, 0.3258), abs=5e-5)
    assert (l2, u2) == pytest.approx((-0.1110, 0.1110), abs=5e-5)
    assert (low, high) == pytest.approx((0.0246, 0.3678), abs=5e-5)
    assert high - low > u1 - l1


def test_an_interval_near_zero_never_reads_as_touching_it():
    assert stats.span((0.004, 0.37), as_points=True) == "+0.4 to +37 points"
    assert stats.span((-0.3678, -0.0246), as_points=True) == "−37 to −2 points"
    assert stats.span((-0.1, 0.0), as_points=True) == "−10 to 0 points"
    assert stats.span((0.1302, 0.2871)) == "13% to 29%"
    assert stats.span(None) == "–"


def test_slope_index_of_inequality_by_hand():
    """Five quintiles of 100 women each (weights 0.2, midpoints 0.1 ... 0.9), reached 40, 50, 60, 70, 80: the
    rates rise by 0.1 for each 0.2 of rank, a slope of 0.5 (the least deprived end 50 points above the most)."""
    slope, (low, high) = stats.slope_index([40, 50, 60, 70, 80], [100] * 5)
    assert slope == pytest.approx(0.5)
    assert low < 0.5 < high and 0.25 < low and high < 0.75
    # Unequal groups: weights 0.5, 0.3, 0.2 -> midpoints 0.25, 0.65, 0.9; rates 0.2, 0.5, 0.6.
    # Weighted means: x = .5*.25 + .3*.65 + .2*.9 = 0.5; y = .1 + .15 + .12 = 0.37.
    # Sxy = .5(-.25)(-.17) + .3(.15)(.13) + .2(.4)(.23) = .02125 + .00585 + .0184 = .0455
    # Sxx = .5(.0625) + .3(.0225) + .2(.16) = .03125 + .00675 + .032 = .07; slope = .0455 / .07 = 0.65.
    slope, _ = stats.slope_index([100, 150, 120], [500, 300, 200])
    assert slope == pytest.approx(0.65)
    # The same figures give the same interval; more women give a narrower one.
    assert stats.slope_index([40, 50, 60, 70, 80], [100] * 5)[1] == (low, high)
    wide = stats.slope_index([4, 5, 6, 7, 8], [10] * 5)[1]
    assert wide[1] - wide[0] > high - low


def test_whole_percentages_round_halves_up_as_people_do():
    assert stats.whole_percent(25, 40) == 63  # 62.5
    assert stats.whole_percent(15, 40) == 38  # 37.5
    assert stats.whole_percent(1, 3) == 33 and stats.whole_percent(2, 3) == 67
    assert stats.percent(0.625) == "63%"
