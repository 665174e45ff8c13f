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


def test_a_rate_that_rounding_moves_is_marked():
    """14 of 15 reached is published as 15 of 15, 100%: the brief marks it; 10 of 20 stays 50% and is not."""
    from ecotool.reports.brief import _published_row, _reach_table
    rows = {"1": {"referred": 15, "reached": 14, "engaged": 10}, "all": {"referred": 20, "reached": 10, "engaged": 10}}
    table = _reach_table(rows)
    shown = disclosure.publish("nhs-digital", table)
    first = _published_row(shown, table.cells, "1")
    assert (first["referred"], first["reached"], first["reached_rate"], first["reached_distorted"]) == (
        "15", "15", "100%", True)
    assert (first["engaged_rate"], first["engaged_distorted"]) == ("67%", False)  # 10 of 15 exactly 67%
    every = _published_row(shown, table.cells, "all")
    assert (every["reached_rate"], every["reached_distorted"]) == ("50%", False)
