"""Logs never carry free text: one JSON line per request (id, route pattern, status, duration, person id), and
words typed into every free-text field appear in no log record of any logger, SQL included."""
from __future__ import annotations

import json
import logging

import pytest

from tests.conftest import columns_holding
from tests.test_privacy_registry import PAGES, world  # noqa: F401  (world is a fixture)

MARKER = "glimmerwort"


def _everything_logged(caplog) -> str:
    return "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)


@pytest.mark.parametrize("form_field", list(PAGES), ids=lambda f: f.split(":")[1])
def test_words_typed_into_a_free_text_field_reach_no_log(form_field, world, client, login, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)  # every logger, SQLAlchemy's statements included
    who, post, _ = PAGES[form_field]
    login(world[who])
    words = f"{MARKER} seeds by the back door, {form_field.rsplit('.', 1)[1]} noted"
    response = post(client, world, words)
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:300]
    assert columns_holding(MARKER), "the words were not saved, so this test proves nothing"
    logged = _everything_logged(caplog)
    assert "ecotool-requests" in logged  # the request log was captured
    assert MARKER not in logged


def test_each_request_is_one_json_line_without_its_path_or_query(client, login, team, make_case, caplog):
    caplog.set_level(logging.INFO, logger="ecotool-requests")
    case = make_case(team["service"], team["supporter"])
    login(team["supporter"])
    response = client.get(f"/cases/{case.id}?q=LS6+2BT", headers={"X-Request-Id": "proxy-given-0001"})
    assert response.headers["X-Request-Id"] == "proxy-given-0001"
    line = json.loads([r for r in caplog.records if r.name == "ecotool-requests"][-1].getMessage())
    assert set(line) == {"request_id", "method", "route", "status", "duration_ms", "person_id"}
    assert line["route"] == "/cases/<int:case_id>" and line["status"] == 200
    assert line["person_id"] == team["supporter"].id and line["request_id"] == "proxy-given-0001"
    assert line["duration_ms"] >= 0
    assert "LS6" not in json.dumps(line) and str(case.id) not in line["route"]
