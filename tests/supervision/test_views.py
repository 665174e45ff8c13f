"""Opening a session, the prompts stored as shown, notes."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from ecotool.supervision.models import SessionPrompt, SupervisionSession
from ecotool.supervision.operations import open_session
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


# --- Sessions as a record both sides keep ---------------------------------------------------------------

def _open(client, team, session, **overrides) -> SupervisionSession:
    response = client.post("/supervision/new", data=_session_form(team, **overrides))
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return session.query(SupervisionSession).order_by(SupervisionSession.id.desc()).first()


def _notes(record, **by_position):
    data = {f"notes-{i}": "" for i in range(len(record.prompts))}
    for key, value in by_position.items():
        data[key.replace("_", "-")] = value
    return data


def test_a_session_cannot_be_dated_in_the_future(client, team, login, session):
    login(team["supervisor"])
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = client.post("/supervision/new", data=_session_form(team, held_on=tomorrow))
    assert response.status_code == 422
    assert 'id="held_on-error"' in response.get_data(as_text=True)
    assert row_counts(SupervisionSession) == {"SupervisionSession": 0}
    from ecotool.errors import OperationError
    from ecotool.supervision.operations import open_session
    try:
        open_session(session, team["supervisor"], team["service"], [team["supporter"].id],
                     date.today() + timedelta(days=1), date.today() - timedelta(days=28), date.today())
    except OperationError as error:
        assert error.field == "held_on"
    else:
        raise AssertionError("a session in the future was opened")


def test_a_group_session_shows_each_supervisees_figures_side_by_side(client, team, login, session, make_case,
                                                                     make_attempt):
    for person, n in ((team["supporter"], 3), (team["other_supporter"], 1)):
        for _ in range(n):
            make_case(team["service"], person)
    login(team["supervisor"])
    record = _open(client, team, session,
                   supervisee_ids=[str(team["supporter"].id), str(team["other_supporter"].id)])
    assert record.is_group
    held = {item["name"]: item["sizes"]["held"] for item in record.figures}
    assert held == {team["supporter"].display_name: 3, team["other_supporter"].display_name: 1}
    html = client.get(f"/supervision/{record.id}").get_data(as_text=True)
    assert "Group session" in html and "You have" not in html
    for prompt in record.prompts:
        if prompt.origin == "trigger":
            assert prompt.figures["supervisee"] in prompt.text
    # Each supervisee's own never-reached prompt: 3 of her 3, 1 of her 1; never 4 of 4.
    unreached = sorted(p.text.split(" have")[0] for p in record.prompts
                       if p.figures.get("indicator") == "unreached_share")
    assert [t.split(" held")[0] for t in unreached] == sorted(
        [f"3 of the 3 cases {team['supporter'].display_name}", f"1 of the 1 cases {team['other_supporter'].display_name}"])


def test_notes_are_a_draft_until_closed_and_the_closed_record_never_changes(
        client, team, login, session, make_case, make_attempt, tmp_path, framework):
    case = make_case(team["service"], team["supporter"])
    make_attempt(case, "no answer")
    login(team["supervisor"])
    record = _open(client, team, session)
    first_text = record.prompts[0].text
    data = _notes(record, notes_0="Try a text first.", notes_1="Private to the supervisor.")
    data.update({"shared-0": "y", "agreed": "Text before calling; review in two weeks."})
    assert client.post(f"/supervision/{record.id}/notes", data=data).status_code == 302
    # The draft resumes with what was saved.
    html = client.get(f"/supervision/{record.id}").get_data(as_text=True)
    assert "Try a text first." in html and "review in two weeks" in html and "Save draft" in html
    # A supervisor raises an observation in the session.
    domain = next(d for d in framework.domains if d.code == "micro.household-gatekeeping")
    response = client.post(f"/supervision/{record.id}/observe", data={
        "case_id": str(case.id), "domain_id": str(domain.id), "kind": "barrier", "journey_stage": "first-days",
        "text": "Her partner keeps the phone during the day."})
    assert response.status_code == 302
    from ecotool.capture.models import Observation
    raised = session.query(Observation).filter_by(session_id=record.id).one()
    assert raised.source == "supervision" and raised.case_id == case.id

    # Closing saves what was typed last, then fixes the record: notes, observations raised, prompts.
    data["notes-2"] = "Typed just before closing."
    assert client.post(f"/supervision/{record.id}/notes", data={**data, "then": "close"}).status_code == 302
    session.expire_all()
    record = session.get(SupervisionSession, record.id)
    assert record.is_closed and record.prompts[2].note == "Typed just before closing."
    pdf_before = client.get(f"/supervision/{record.id}/record.pdf")
    assert client.post(f"/supervision/{record.id}/notes", data=data).status_code == 409
    assert client.get(f"/supervision/{record.id}/observe").status_code == 409

    # Later: the data change, the observation is corrected, and a new framework version is loaded.
    for _ in range(3):
        make_attempt(case, "reached")
    raised.text = "Corrected later."
    import yaml
    from ecotool.framework.operations import load_file
    from ecotool.config import PROJECT_ROOT
    data_file = yaml.safe_load((PROJECT_ROOT / "frameworks" / "social-ecological.yaml").read_text())
    data_file["version"] = "9"
    data_file["triggers"][0]["prompt"] = "A different wording {count} {of}."
    path = tmp_path / "social-ecological.yaml"
    path.write_text(yaml.safe_dump(data_file))
    load_file(session, path)
    session.commit()

    session.expire_all()
    record = session.get(SupervisionSession, record.id)
    assert record.prompts[0].text == first_text
    html = client.get(f"/supervision/{record.id}").get_data(as_text=True)
    assert first_text in html and "Her partner keeps the phone during the day." in html
    assert "Corrected later." not in html and "Save draft" not in html
    import io

    from pypdf import PdfReader
    after = client.get(f"/supervision/{record.id}/record.pdf")
    text_before = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_before.data)).pages)
    text_after = "".join(p.extract_text() for p in PdfReader(io.BytesIO(after.data)).pages)
    assert text_before.replace(" ", "") == text_after.replace(" ", "")


def test_the_supervisee_reads_her_closed_sessions_with_only_the_notes_marked_for_her(
        client, team, login, session, make_person):
    login(team["supervisor"])
    record = _open(client, team, session)
    data = _notes(record, notes_0="Shared: well done on the evening calls.", notes_1="Only for my file.")
    data.update({"shared-0": "y", "agreed": "Try the clinic drop-in on Tuesdays."})
    client.post(f"/supervision/{record.id}/notes", data=data)
    login(team["supporter"])
    assert client.get(f"/supervision/mine/{record.id}").status_code == 404  # a draft is not hers yet
    assert "No closed sessions yet" in client.get("/supervision/mine").get_data(as_text=True)
    login(team["supervisor"])
    client.post(f"/supervision/{record.id}/notes", data={**data, "then": "close"})
    login(team["supporter"])
    listing = client.get("/supervision/mine").get_data(as_text=True)
    assert f"/supervision/mine/{record.id}" in listing
    page = client.get(f"/supervision/mine/{record.id}").get_data(as_text=True)
    assert "well done on the evening calls" in page and "Try the clinic drop-in" in page
    assert "Only for my file." not in page
    assert record.prompts[0].text in page
    # Another supervisee of the same supervisor does not see it.
    login(team["other_supporter"])
    assert client.get(f"/supervision/mine/{record.id}").status_code == 404


def test_the_record_downloads_as_a_pdf_that_reads_back(client, team, login, session, make_case, framework):
    import io

    from pypdf import PdfReader

    case = make_case(team["service"], team["supporter"])
    login(team["supervisor"])
    record = _open(client, team, session)
    data = _notes(record, notes_0="Agreed to try texts first.", notes_1="Kept for my own file.")
    data.update({"shared-0": "y", "agreed": "Call in the early evening."})
    client.post(f"/supervision/{record.id}/notes", data=data)
    domain = next(d for d in framework.domains if d.code == "micro.transport-and-distance")
    client.post(f"/supervision/{record.id}/observe", data={
        "case_id": str(case.id), "domain_id": str(domain.id), "kind": "barrier", "journey_stage": "first-days",
        "text": "No bus on the day the group meets."})
    from ecotool.decisions.operations import record_decision
    record_decision(session, team["supervisor"].id, team["service"], title="Move the group to Thursdays",
                    rationale="No bus on the group day.", response_type="change-contact-timing",
                    target_group="imd-quintile-1", domain_ids=[domain.id], start_date=date.today(),
                    session_id=record.id)
    session.commit()
    client.post(f"/supervision/{record.id}/notes", data={**data, "then": "close"})
    response = client.get(f"/supervision/{record.id}/record.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.data)).pages)
    from ecotool.clock import format_day
    for expected in (format_day(record.held_on), team["supporter"].display_name, team["supervisor"].display_name,
                     "Agreed to try texts first.", "Call in the early evening.", "No bus on the day the group meets.",
                     "Move the group to Thursdays", case.reference):
        assert expected in text, expected
    assert " ".join(record.prompts[0].text.split())[:60] in text
    assert "Kept for my own file." not in text
    assert "Cases held in the period" in text  # the figures as shown when it opened


def test_a_supervisor_comments_on_her_supervisees_observation_and_the_supervisee_sees_it(
        client, team, login, session, make_case, make_observation, make_person):
    case = make_case(team["service"], team["supporter"])
    observation = make_observation(team["service"], team["supporter"], case=case)
    login(team["supervisor"])
    record = _open(client, team, session)
    response = client.post(f"/supervision/{record.id}/observations/{observation.id}/comment",
                           data={"text": "Good catch; try the landline next time."})
    assert response.status_code == 302
    login(team["supporter"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Good catch; try the landline next time." in page
    # Another supervisor in the service may not comment on someone else's supervisee.
    from ecotool.capture.operations import comment_on_observation
    from ecotool.errors import OperationError
    stranger = make_person("supervisor", team["service"])
    try:
        comment_on_observation(session, stranger.id, observation, "Not mine to say.")
    except OperationError:
        session.rollback()
    else:
        raise AssertionError("a supervisor commented on another supervisor's supervisee")


def test_the_dashboard_shows_supervisees_side_by_side_and_marks_prompts_in_words(
        client, team, login, session, make_case):
    for _ in range(4):
        make_case(team["service"], team["supporter"])
    login(team["supervisor"])
    html = client.get("/supervision/").get_data(as_text=True)
    assert team["supporter"].display_name in html and team["other_supporter"].display_name in html
    assert "▲ prompt" in html and "Cases held in the period" in html
    assert f"supervisee={team['supporter'].id}" in html
    bad = client.get("/supervision/?period_start=2026-02-30&period_end=2020-01-01")
    assert bad.status_code == 422 and 'id="period_start-error"' in bad.get_data(as_text=True)


def test_three_sessions_in_a_row_cover_all_three_levels(client, team, login, session, make_case):
    make_case(team["service"], team["supporter"])
    login(team["supervisor"])
    rotated = []
    for days_ago in (56, 28, 0):
        held = date.today() - timedelta(days=days_ago)
        record = _open(client, team, session, held_on=held.isoformat(),
                       period_start=(held - timedelta(days=28)).isoformat(), period_end=held.isoformat())
        assert {p.domain.level for p in record.prompts} == {"macro", "meso", "micro"}
        rotated += [p.domain for p in record.prompts if p.origin == "rotation"]
    assert {d.level for d in rotated} == {"macro", "meso", "micro"}
    assert len({d.code for d in rotated}) == len(rotated)


def test_a_draft_opened_by_mistake_is_discarded_and_what_was_made_in_it_stays(client, team, login, session,
                                                                               make_case, framework):
    case = make_case(team["service"], team["supporter"])
    login(team["supervisor"])
    record = _open(client, team, session)
    domain = next(d for d in framework.domains if d.code == "micro.contactability")
    client.post(f"/supervision/{record.id}/observe", data={
        "case_id": str(case.id), "domain_id": str(domain.id), "kind": "barrier", "journey_stage": "first-days",
        "text": "The number on the referral rings out."})
    from ecotool.capture.models import Observation
    assert client.post(f"/supervision/{record.id}/discard").status_code == 302
    session.expire_all()
    assert row_counts(SupervisionSession, SessionPrompt) == {"SupervisionSession": 0, "SessionPrompt": 0}
    kept = session.query(Observation).one()
    assert kept.session_id is None and kept.text == "The number on the referral rings out."
    # A closed session cannot be discarded.
    record = _open(client, team, session)
    client.post(f"/supervision/{record.id}/notes", data={**_notes(record), "then": "close"})
    assert client.post(f"/supervision/{record.id}/discard").status_code == 409
    assert row_counts(SupervisionSession) == {"SupervisionSession": 1}


def test_a_tick_on_one_note_shares_that_note_and_no_other(client, team, login, session):
    """Unticked boxes are not sent: a tick on the third note alone once landed on the first (shared by mistake),
    and a note could never be unshared."""
    record = open_session(session, team["supervisor"], team["service"], [team["supporter"].id], date.today(),
                          date.today() - timedelta(days=28), date.today())
    session.commit()
    login(team["supervisor"])
    notes = {f"notes-{i}": f"Note {i}" for i in range(len(record.prompts))}
    assert client.post(f"/supervision/{record.id}/notes", data={**notes, "shared-2": "y"}).status_code == 302
    session.expire_all()
    assert [p.shared for p in record.prompts][:3] == [False, False, True]
    assert client.post(f"/supervision/{record.id}/notes", data=notes).status_code == 302
    session.expire_all()
    assert not any(p.shared for p in record.prompts)
