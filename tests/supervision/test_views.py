"""Opening a session, the prompts stored as shown, notes."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from ecotool.supervision.models import SessionPrompt, SupervisionSession
from tests.conftest import row_counts


def _session_form(team, **overrides):
    data = {"service_id": str(team["service"].id), "supervisee_ids": [str(team["supporter"].id)],
            "held_on": date.today().isoformat(), "period_start": (date.today() - timedelta(days=28)).isoformat(),
            "period_end": date.today().isoformat()}
    data.update(overrides)
    return data


def test_supervisor_opens_a_session_and_notes_a_prompt(client, team, login, make_case, make_attempt, session):
    case = make_case(team["service"], team["supporter"])
    for days in (3, 2, 1):
        make_attempt(case, "no answer", at=datetime.now() - timedelta(days=days))
    login(team["supervisor"])
    response = client.post("/supervision/new", data=_session_form(team))
    assert response.status_code == 302
    record = session.query(SupervisionSession).one()
    assert [p.id for p in record.supervisees] == [team["supporter"].id]
    stored = record.prompts
    assert stored and stored[0].origin == "trigger" and stored[0].figures["total"] is not None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert stored[0].text in page
    response = client.post(f"/supervision/{record.id}/prompts/{stored[0].id}/note",
                           data={f"p{stored[0].id}-note": "Try evenings; partner at work then."})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(SessionPrompt, stored[0].id).note == "Try evenings; partner at work then."


def test_bad_session_input_writes_nothing(client, team, login):
    login(team["supervisor"])
    response = client.post("/supervision/new", data=_session_form(
        team, supervisee_ids=[], period_start=date.today().isoformat(),
        period_end=(date.today() - timedelta(days=5)).isoformat()))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="supervisee_ids-error"' in html and 'id="period_end-error"' in html
    response = client.post("/supervision/new", data=_session_form(team, supervisee_ids=[str(team["commissioner"].id)]))
    assert response.status_code == 422
    assert row_counts(SupervisionSession, SessionPrompt) == {"SupervisionSession": 0, "SessionPrompt": 0}


def test_empty_note_is_refused(client, team, login, session):
    login(team["supervisor"])
    client.post("/supervision/new", data=_session_form(team))
    record = session.query(SupervisionSession).one()
    prompt = record.prompts[0]
    response = client.post(f"/supervision/{record.id}/prompts/{prompt.id}/note", data={f"p{prompt.id}-note": ""})
    assert response.status_code == 422
    assert f'id="p{prompt.id}-note-error"' in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(SessionPrompt, prompt.id).note is None


def test_another_supervisor_cannot_open_the_session(client, team, login, make_person, session):
    login(team["supervisor"])
    client.post("/supervision/new", data=_session_form(team))
    record = session.query(SupervisionSession).one()
    login(make_person("supervisor", team["service"]))
    assert client.get(f"/supervision/{record.id}").status_code == 404
