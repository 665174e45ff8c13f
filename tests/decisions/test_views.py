"""Recording decisions linked to barrier domains."""
from __future__ import annotations

import re
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


def test_a_decision_from_a_past_period_session_answers_what_was_observed_then(
        client, team, login, framework, session, make_case, make_observation):
    """A transport barrier observed 90 days ago but written down today: a session over that quarter
    raises it (1 observation) and the decision form from that session names it, ticking nothing (the supervisor
    chooses what the decision answers); a session over the last four weeks does not raise it."""
    from ecotool.supervision.models import SupervisionSession

    today = date.today()
    case = make_case(team["service"], team["supporter"], referral_date=today - timedelta(days=120))
    make_observation(team["service"], team["supporter"], case=case, domain="micro.transport-and-distance",
                     observed_on=today - timedelta(days=90))
    transport = next(d.id for d in framework.domains if d.code == "micro.transport-and-distance")
    login(team["supervisor"])
    for start, end in ((today - timedelta(days=27), today), (today - timedelta(days=91), today - timedelta(days=62))):
        client.post("/supervision/new", data={
            "service_id": str(team["service"].id), "supervisee_ids": [str(team["supporter"].id)],
            "held_on": today.isoformat(), "period_start": start.isoformat(), "period_end": end.isoformat()})
    recent, past = session.query(SupervisionSession).order_by(SupervisionSession.id).all()
    assert [p.domain_id for p in recent.prompts if p.origin == "observed"] == []
    observed = [p for p in past.prompts if p.origin == "observed"]
    assert [(p.domain_id, p.figures["times"], p.figures["distinct_cases"]) for p in observed] == [(transport, 1, 1)]
    assert observed[0].figures["summary"] == "Recorded as a barrier 1 time in the period, in 1 case (1 of them target cases)"
    notes = {f"notes-{i}": ("Ask the council about the bus." if p.id == observed[0].id else "")
             for i, p in enumerate(past.prompts)}
    assert client.post(f"/supervision/{past.id}/notes", data=notes).status_code == 302
    page = client.get(f"/decisions/new?session_id={past.id}").get_data(as_text=True)
    assert re.findall(r'<input checked[^>]*value="(\d+)"', page) == []
    assert "Domains with a note in it: Transport and distance. Tick only those this decision answers." in page


def test_an_administrator_sees_the_evidence_counted_never_its_words(client, team, login, session, make_observation,
                                                                   make_decision):
    observation = make_observation(team["service"], team["supporter"], text="Her partner answers the day-time calls.")
    decision = make_decision(start_date=date.today())
    decision.observations.append(observation)
    session.commit()
    login(team["supervisor"])
    assert "Her partner answers the day-time calls." in client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    login(team["admin"])
    page = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert "observation behind it, by level and domain" in page
    assert "Her partner answers" not in page


def test_the_list_filters_by_service_among_hers_only(client, team, login, session, make_service, make_decision):
    south = make_service("south", "South service")
    make_decision(start_date=date.today(), title="North: texts first")
    make_decision(start_date=date.today(), title="South: evening calls", service=south)
    login(team["admin"])
    every = client.get("/decisions/").get_data(as_text=True)
    assert "North: texts first" in every and "South: evening calls" in every
    south_only = client.get(f"/decisions/?service_id={south.id}").get_data(as_text=True)
    assert "South: evening calls" in south_only and "North: texts first" not in south_only
    login(team["supervisor"])
    assert client.get(f"/decisions/?service_id={south.id}").status_code == 400  # not one of hers
