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
    notes = {f"notes-{i}": "" for i in range(len(stored))}
    notes["notes-0"] = "Try evenings; partner at work then."
    notes["notes-1"] = "Ask who else is at home."
    response = client.post(f"/supervision/{record.id}/notes", data=notes)
    assert response.status_code == 302
    session.expire_all()
    saved = [session.get(SessionPrompt, p.id).note for p in stored]
    assert saved[:2] == ["Try evenings; partner at work then.", "Ask who else is at home."]
    assert all(note is None for note in saved[2:])


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


def test_too_long_note_is_refused_and_other_notes_come_back(client, team, login, session):
    login(team["supervisor"])
    client.post("/supervision/new", data=_session_form(team))
    record = session.query(SupervisionSession).one()
    notes = {f"notes-{i}": "" for i in range(len(record.prompts))}
    notes["notes-0"] = "x" * 4001
    notes["notes-1"] = "Kept while the other is fixed"
    response = client.post(f"/supervision/{record.id}/notes", data=notes)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="notes-0-error"' in html and "Kept while the other is fixed" in html
    session.expire_all()
    assert all(session.get(SessionPrompt, p.id).note is None for p in record.prompts)


def test_a_commissioner_cannot_be_made_a_supervisee(session, team):
    from ecotool.auth.operations import create_person
    from ecotool.errors import OperationError

    try:
        create_person(session, None, "c2@example.org", "commissioner", [team["service"].slug], "C",
                      team["supervisor"].id, "pw-123456789")
    except OperationError as error:
        assert error.field == "supervisor_id"
    else:
        raise AssertionError("a commissioner was given a supervisor")


def test_another_supervisor_cannot_open_the_session(client, team, login, make_person, session):
    login(team["supervisor"])
    client.post("/supervision/new", data=_session_form(team))
    record = session.query(SupervisionSession).one()
    login(make_person("supervisor", team["service"]))
    assert client.get(f"/supervision/{record.id}").status_code == 404


def test_notes_posted_for_fewer_prompts_than_shown_are_refused_not_a_crash(client, team, login, session):
    login(team["supervisor"])
    client.post("/supervision/new", data=_session_form(team))
    record = session.query(SupervisionSession).one()
    assert len(record.prompts) >= 2
    full = {f"notes-{i}": f"Note {i}" for i in range(len(record.prompts))}
    assert client.post(f"/supervision/{record.id}/notes", data=full).status_code == 302
    response = client.post(f"/supervision/{record.id}/notes", data={"notes-0": "Only the first one"})
    assert response.status_code == 422
    assert "reload the page" in response.get_data(as_text=True)
    session.expire_all()
    assert [session.get(SessionPrompt, p.id).note for p in record.prompts] == [f"Note {i}" for i in range(len(record.prompts))]


def test_colleagues_are_named_freely_but_mothers_relatives_are_warned_about(client, team, login, session):
    team["supporter"].display_name = "Amina Khan"
    session.commit()
    login(team["supervisor"])
    client.post("/supervision/new", data=_session_form(team))
    record = session.query(SupervisionSession).one()
    notes = {f"notes-{i}": "" for i in range(len(record.prompts))}
    notes["notes-1"] = "amina says the partner answers; her sister Aaliyah is the one to ask"
    response = client.post(f"/supervision/{record.id}/notes", data=notes)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "These words look like names: Aaliyah." in html
    # The tick sits in the warned note's own block, straight after its error, not at the foot of the page.
    error_at = html.index('id="notes-1-error"')
    assert error_at < html.index('name="confirm_names"') < html.index('id="notes-2"')
    notes["notes-1"] = "Amina finds evening calls work better; Amina and Khan's colleague agreed to pair up"
    response = client.post(f"/supervision/{record.id}/notes", data=notes)
    assert response.status_code == 302
    session.expire_all()
    assert session.get(SessionPrompt, record.prompts[1].id).note.startswith("Amina finds")
