"""Capture pages stay small for a phone on a poor connection: HTML + CSS under 60 KB each."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from ecotool.config import PROJECT_ROOT

BUDGET = 60 * 1024
CSS = (PROJECT_ROOT / "static" / "app.css").stat().st_size


def capture_pages(case, service) -> list[str]:
    """The capture pages a supporter uses, each with real content."""
    return ["/cases", "/cases/new", f"/cases/{case.id}", f"/cases/{case.id}/contact", f"/cases/{case.id}/observe",
            f"/cases/{case.id}/observe?level=macro", f"/cases/{case.id}/observe?level=meso",
            f"/cases/{case.id}/observe?level=micro", f"/services/{service.id}/observe?level=macro",
            f"/services/{service.id}/observations"]


def test_capture_pages_weigh_under_60_kb(client, login, team, make_case, make_attempt, backend):
    if backend != "sqlite":
        pytest.skip("the weight of a page does not depend on the database")
    case = make_case(team["service"], team["supporter"], referral_date=date.today() - timedelta(days=20))
    for days in range(12):
        make_attempt(case, "no answer", at=datetime.now() - timedelta(days=days + 1))
    for _ in range(30):
        make_case(team["service"], team["supporter"])
    login(team["supporter"])
    weights = {}
    for path in capture_pages(case, team["service"]):
        response = client.get(path)
        assert response.status_code == 200, path
        weights[path] = len(response.data) + CSS
    assert max(weights.values()) < BUDGET, weights
    assert CSS < 20 * 1024
