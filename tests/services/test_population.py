"""Births per quintile: entered for a period, corrected by entering it again, never overlapping, and spread over
a brief's period by the share of days that fall in it."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from ecotool.errors import OperationError
from ecotool.services.models import Population
from ecotool.services.operations import set_population
from ecotool.services.queries import births_in, population_periods

YEAR = (date(2025, 4, 1), date(2026, 3, 31))  # 365 days


def _rows(session) -> int:
    return session.scalar(select(func.count()).select_from(Population))


def test_a_period_is_entered_corrected_and_never_overlapped(session, team):
    s = team["service"]
    set_population(session, None, s, *YEAR, [730, 365, 365, 365, 0])
    set_population(session, None, s, *YEAR, [700, 360, 360, 360, 10])  # corrected: replaces, not adds
    assert population_periods(session, s) == [(*YEAR, [700, 360, 360, 360, 10])]
    with pytest.raises(OperationError, match="overlaps the figures entered for 1 Apr 2025 to 31 Mar 2026"):
        set_population(session, None, s, date(2026, 1, 1), date(2026, 6, 30), [1, 1, 1, 1, 1])
    with pytest.raises(OperationError, match="five quintiles, 0 or more"):
        set_population(session, None, s, date(2026, 4, 1), date(2026, 6, 30), [1, 1, -1, 1, 1])
    assert _rows(session) == 5


def test_births_are_spread_over_a_period_by_its_share_of_days(session, team):
    """A year of 730 births in quintile 1 gives a 91-day quarter 730 * 91 / 365 = 182; a period the entered
    figures do not cover has none."""
    s = team["service"]
    set_population(session, None, s, *YEAR, [730, 365, 0, 0, 0])
    births, periods = births_in(session, s, date(2025, 4, 1), date(2025, 6, 30))
    assert [round(n, 6) for n in births] == [182.0, 91.0, 0.0, 0.0, 0.0] and periods == [YEAR]
    assert births_in(session, s, date(2026, 3, 1), date(2026, 4, 30)) is None  # April 2026 is not entered
    set_population(session, None, s, date(2026, 4, 1), date(2026, 4, 30), [30, 0, 0, 0, 0])
    births, _ = births_in(session, s, date(2026, 3, 1), date(2026, 4, 30))
    assert round(births[0], 6) == round(730 * 31 / 365 + 30, 6)


def test_the_admin_page_saves_births_and_refuses_bad_input_next_to_its_field(client, login, session, team):
    s = team["service"]
    login(team["admin"])
    url = f"/admin/services/{s.id}/population"
    assert client.get(url).status_code == 200
    good = {"period_start": "2025-04-01", "period_end": "2026-03-31", "q1": "730", "q2": "365", "q3": "300",
            "q4": "200", "q5": "100"}
    assert client.post(url, data={**good, "q3": ""}).status_code == 422
    page = client.post(url, data={**good, "q4": "-3"})
    assert page.status_code == 422 and "A whole number from 0 to 1,000,000." in page.get_data(as_text=True)
    backwards = client.post(url, data={**good, "period_end": "2025-01-01"})
    assert backwards.status_code == 422 and "The period must start on or before its end." in backwards.get_data(
        as_text=True)
    assert _rows(session) == 0
    assert client.post(url, data=good).status_code == 302
    assert "730" in client.get(url).get_data(as_text=True) and _rows(session) == 5
    overlap = client.post(url, data={**good, "period_start": "2026-03-01", "period_end": "2026-05-31"})
    assert overlap.status_code == 422 and "overlaps the figures entered" in overlap.get_data(as_text=True)
    assert _rows(session) == 5
