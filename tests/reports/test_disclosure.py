"""Small-number protection and intervals, against values worked out by hand."""
from __future__ import annotations

import pytest

from ecotool import stats
from ecotool.reports import disclosure


@pytest.mark.parametrize("count,shown", [
    (0, "0"), (1, "*"), (7, "*"), (8, "10"), (12, "10"), (13, "15"), (16, "15"), (17, "15"), (18, "20"), (102, "100"),
])
def test_nhs_digital_rule(count, shown):
    assert disclosure.nhs_digital(count).text == shown


def test_rates_come_from_published_figures_and_hidden_counts_withhold_them():
    assert disclosure.rate(disclosure.nhs_digital(13), disclosure.nhs_digital(18)) == 15 / 20
    assert disclosure.rate(disclosure.nhs_digital(3), disclosure.nhs_digital(18)) is None
    assert disclosure.rate(disclosure.nhs_digital(0), disclosure.nhs_digital(0)) is None


def test_wilson_interval_matches_hand_calculation():
    # 15 of 20: p = .75, z = 1.96: centre .7097, half-width .1784 -> (.5313, .8881).
    low, high = stats.wilson(15, 20)
    assert low == pytest.approx(0.5313, abs=5e-4) and high == pytest.approx(0.8881, abs=5e-4)
    assert stats.wilson(0, 0) is None
