"""Recording decisions linked to barrier domains."""
from __future__ import annotations

from datetime import date, timedelta

from ecotool.decisions.models import Decision
from tests.conftest import row_counts


def _form(team, framework, **overrides):
    domain = next(d for d in framework.domains if d.code == "micro.household-gatekeeping")
    data = {"service_id": str(team["service"].id), "title": "Text first, call in the evening",
            "rationale": "Partners answer daytime calls.", "domain_ids": [str(domain.id)],
            "response_type": "change-contact-timing", "target_group": "imd-quintile-1", "pathway_id": "",
            "start_date": date.today().isoformat(), "review_date": "", "status": "agreed"}
    data.update(overrides)
    return data


def test_supervisor_records_a_decision(client, team, login, framework, session):
    login(team["supervisor"])
    response = client.post("/decisions/new", data=_form(team, framework))
    assert response.status_code == 302
    decision = session.query(Decision).one()
    assert [d.code for d in decision.domains] == ["micro.household-gatekeeping"]
    assert decision.framework_version_id == framework.id and decision.status == "agreed"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Text first, call in the evening" in page and "Who answers the phone" in page


def test_bad_decision_input_writes_nothing(client, team, login, framework):
    login(team["supervisor"])
    response = client.post("/decisions/new", data=_form(
        team, framework, title="", domain_ids=[], response_type="magic",
        review_date=(date.today() - timedelta(days=3)).isoformat()))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("title", "domain_ids", "response_type", "review_date"):
        assert f'id="{field}-error"' in html, field
    assert row_counts(Decision) == {"Decision": 0}


def test_decision_from_a_session_links_to_it(client, team, login, framework, session):
    from ecotool.supervision.models import SupervisionSession

    login(team["supervisor"])
    client.post("/supervision/new", data={
        "service_id": str(team["service"].id), "supervisee_ids": [str(team["supporter"].id)],
        "held_on": date.today().isoformat(), "period_start": (date.today() - timedelta(days=28)).isoformat(),
        "period_end": date.today().isoformat()})
    held = session.query(SupervisionSession).one()
    assert client.get(f"/decisions/new?session_id={held.id}").status_code == 200
    response = client.post(f"/decisions/new?session_id={held.id}", data=_form(team, framework))
    assert response.status_code == 302
    assert session.query(Decision).one().session_id == held.id
