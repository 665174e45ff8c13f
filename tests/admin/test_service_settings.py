"""An administrator sets a service's rules from the browser: thresholds, the small-number rule, the minimum per
group, the target rule from a day on, and pathways; bad values refused next to the field, nothing written."""
from __future__ import annotations

import re
from datetime import timedelta

from ecotool.clock import local_today
from ecotool.services.models import Pathway, Service, TargetRule
from tests.conftest import row_counts


def _settings(**changes) -> dict:
    return {"name": "North peer support", "engaged_threshold": "3", "failed_attempt_threshold": "3",
            "disclosure_rule": "nhs-digital", "disclosure_threshold": "4", "min_cell_count": "10",
            "retention_months": "36", **changes}


def _version(page) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', page.get_data(as_text=True)).group(1)


def test_settings_are_saved_and_bad_values_refused_next_to_the_field(client, login, session, team):
    service = team["service"]
    login(team["admin"])
    read = _version(client.get(f"/admin/services/{service.id}"))
    refused = client.post(f"/admin/services/{service.id}", data=_settings(
        version=read, engaged_threshold="0", disclosure_rule="none of them"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "A whole number from 1 to 20." in page and "Not a valid choice" in page
    saved = client.post(f"/admin/services/{service.id}", data=_settings(
        version=read, engaged_threshold="4", disclosure_rule="threshold", disclosure_threshold="5",
        min_cell_count="15"))
    assert saved.status_code == 302
    session.expire_all()
    service = session.get(Service, service.id)
    assert (service.engaged_threshold, service.disclosure_rule, service.disclosure_threshold,
            service.min_cell_count) == (4, "threshold", 5, 15)
    stale = client.post(f"/admin/services/{service.id}", data=_settings(version=read, min_cell_count="20"))
    assert stale.status_code == 409 and "<dd>15</dd>" in stale.get_data(as_text=True)


def test_the_target_rule_changes_from_a_day_and_keeps_the_earlier_one(client, login, session, team):
    service = team["service"]
    login(team["admin"])
    read = _version(client.get(f"/admin/services/{service.id}"))
    future = client.post(f"/admin/services/{service.id}/target-rule", data={
        "rule-version": read, "rule-quintile_max": "2", "rule-under_20": "y",
        "rule-from_day": (local_today() + timedelta(days=3)).isoformat()})
    assert future.status_code == 422 and "today or on an earlier day" in future.get_data(as_text=True)
    assert row_counts(TargetRule)["TargetRule"] == 0
    done = client.post(f"/admin/services/{service.id}/target-rule", data={
        "rule-version": read, "rule-quintile_max": "2", "rule-from_day": local_today().isoformat()},
        follow_redirects=True)
    assert "are target if IMD quintile 1 to 2." in done.get_data(as_text=True)
    session.expire_all()
    assert session.get(Service, service.id).target_quintile_max == 2
    assert [r.describe() for r in session.get(Service, service.id).past_target_rules] == [
        "IMD quintile 1 or aged under 20"]


def test_pathways_are_added_and_closed_to_new_cases(client, login, session, team):
    """A closed pathway is no longer offered for a new case."""
    service = team["service"]
    login(team["admin"])
    duplicate = client.post(f"/admin/services/{service.id}/pathways", data={"pathway-name": service.pathways[0].name})
    assert duplicate.status_code == 422 and "already has a pathway" in duplicate.get_data(as_text=True)
    assert client.post(f"/admin/services/{service.id}/pathways", data={"pathway-name": "Text at 2-3 weeks"}).status_code == 302
    session.expire_all()
    added = session.query(Pathway).filter_by(service_id=service.id, name="Text at 2-3 weeks").one()
    login(team["supporter"])
    assert "Text at 2-3 weeks" in client.get("/cases/new").get_data(as_text=True)
    login(team["admin"])
    client.post(f"/admin/pathways/{added.id}/active")
    session.expire_all()
    assert session.get(Pathway, added.id).active is False
    login(team["supporter"])
    assert "Text at 2-3 weeks" not in client.get("/cases/new").get_data(as_text=True)
