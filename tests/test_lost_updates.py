"""Two people editing the same record: the later save, from a page read before the earlier one, is refused with a
409, what she typed kept in the form, what the other saved (and who, when) shown, and nothing of hers written;
saving again then goes through. Her own double tap simply saves. Two saves racing on PostgreSQL: one lands."""
from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from ecotool.capture.models import Case, Observation
from ecotool.clock import local_today
from ecotool.db import claim, db
from ecotool.decisions.models import Decision
from ecotool.errors import StaleEdit
from ecotool.supervision.models import SupervisionSession
from ecotool.supervision.operations import open_session
from tests.conftest import PASSWORD


def _client(app, person):
    client = app.test_client()
    assert client.post("/login", data={"email": person.email, "password": PASSWORD}).status_code == 302
    return client


def _version(page) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', page.get_data(as_text=True)).group(1)


def _saved(session, model, object_id):
    session.expire_all()
    return session.get(model, object_id)


def test_a_case_edited_by_two_people(app, team, make_case, session):
    case = make_case(team["service"], team["supporter"])
    session.commit()
    mine, theirs = _client(app, team["supporter"]), _client(app, team["supervisor"])
    read = _version(mine.get(f"/cases/{case.id}/edit"))
    assert _version(theirs.get(f"/cases/{case.id}/edit")) == read
    supporter = str(team["supporter"].id)
    assert theirs.post(f"/cases/{case.id}/edit", data={"version": read, "journey_stage": "first-days",
                                                      "supporter_id": supporter}).status_code == 302
    refused = mine.post(f"/cases/{case.id}/edit", data={"version": read, "journey_stage": "early-weeks",
                                                        "supporter_id": supporter})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert f"Saved meanwhile by {team['supervisor'].display_name}" in page
    assert re.search(r'<option selected value="early-weeks">', page)        # what she chose is still chosen
    assert "<dt>Journey stage</dt><dd>First days" in page                    # what the other saved, named
    assert _saved(session, Case, case.id).journey_stage == "first-days"     # nothing of hers written
    again = mine.post(f"/cases/{case.id}/edit", data={"version": _version(refused), "journey_stage": "early-weeks",
                                                      "supporter_id": supporter})
    assert again.status_code == 302
    assert _saved(session, Case, case.id).journey_stage == "early-weeks"


def test_her_own_double_tap_saves_once_without_a_conflict(app, team, make_case, session):
    case = make_case(team["service"], team["supporter"])
    session.commit()
    mine = _client(app, team["supporter"])
    form = {"version": _version(mine.get(f"/cases/{case.id}/edit")), "journey_stage": "first-days",
            "supporter_id": str(team["supporter"].id)}
    assert mine.post(f"/cases/{case.id}/edit", data=form).status_code == 302
    assert mine.post(f"/cases/{case.id}/edit", data=form).status_code == 302
    assert _saved(session, Case, case.id).journey_stage == "first-days"


def test_an_observation_corrected_by_its_author_and_her_supervisor(app, team, make_observation, session):
    observation = make_observation(team["service"], team["supporter"], text="Calls go unanswered in the day.")
    session.commit()
    mine, theirs = _client(app, team["supporter"]), _client(app, team["supervisor"])
    read = _version(mine.get(f"/observations/{observation.id}/edit"))
    form = {"version": read, "kind": "barrier", "observed_on": observation.observed_on.isoformat()}
    assert theirs.post(f"/observations/{observation.id}/edit",
                       data={**form, "text": "Day-time calls go unanswered; evenings work."}).status_code == 302
    refused = mine.post(f"/observations/{observation.id}/edit",
                        data={**form, "text": "Calls go unanswered in the morning."})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Calls go unanswered in the morning." in page and "Day-time calls go unanswered; evenings work." in page
    assert _saved(session, Observation, observation.id).text == "Day-time calls go unanswered; evenings work."


def test_supervision_notes_from_two_tabs(app, team, session):
    record = open_session(session, team["supervisor"], team["service"], [team["supporter"].id],
                          local_today(), local_today() - timedelta(days=28), local_today())
    session.commit()
    tab_one, tab_two = _client(app, team["supervisor"]), _client(app, team["supervisor"])
    read = _version(tab_one.get(f"/supervision/{record.id}"))
    blank = {f"notes-{i}": "" for i in range(len(record.prompts))}
    assert tab_two.post(f"/supervision/{record.id}/notes", data={
        **blank, "version": read, "notes-0": "Texts first, then a call."}).status_code == 302
    refused = tab_one.post(f"/supervision/{record.id}/notes", data={
        **blank, "version": read, "notes-0": "Ask who answers the phone."})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Ask who answers the phone." in page and "<dd>Texts first, then a call.</dd>" in page
    assert _saved(session, SupervisionSession, record.id).prompts[0].note == "Texts first, then a call."


def test_a_decision_moved_on_by_someone_else_meanwhile(app, team, make_decision, session):
    decision = make_decision(start_date=local_today() + timedelta(days=7), status="proposed")
    mine, theirs = _client(app, team["supervisor"]), _client(app, team["supervisor"])
    read = _version(mine.get(f"/decisions/{decision.id}/status?to=agreed"))
    assert theirs.post(f"/decisions/{decision.id}/status", data={
        "version": read, "status": "agreed", "reason": "Agreed at the team meeting."}).status_code == 302
    refused = mine.post(f"/decisions/{decision.id}/status", data={
        "version": read, "status": "stopped", "reason": "Not needed after all."})
    assert refused.status_code == 409
    assert "<dt>Status now</dt><dd>Agreed</dd>" in refused.get_data(as_text=True)
    assert _saved(session, Decision, decision.id).status == "agreed"


def test_two_saves_racing_on_postgresql_only_one_lands(app, backend, team, make_case, session):
    """Both read version 1 and pass the check; the second UPDATE waits for the first's row lock, then finds no row
    at version 1 and is refused: the UPDATE itself asks for the version read."""
    if backend != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the second reads the new version and is refused by the check")
    case = make_case(team["service"], team["supporter"])
    session.commit()
    engine = db.engine
    first, second = OrmSession(engine), OrmSession(engine)
    a, b = first.get(Case, case.id), second.get(Case, case.id)
    claim(first, a, 1)
    outcome = {}

    def race():
        try:
            claim(second, b, 1)
            outcome["second"] = "landed"
        except StaleEdit:
            outcome["second"] = "refused"

    racer = threading.Thread(target=race)
    racer.start()
    racer.join(0.5)
    assert racer.is_alive()  # waiting on the first's row lock
    first.commit()
    racer.join(10)
    second.rollback()
    first.close(), second.close()
    assert outcome == {"second": "refused"}
    assert session.scalar(select(Case.version).where(Case.id == case.id)) == 2


def test_a_proposal_whose_domains_someone_else_changed_is_not_overwritten(app, team, make_decision, session,
                                                                         framework):
    decision = make_decision(start_date=local_today() + timedelta(days=7), status="proposed")
    mine, theirs = _client(app, team["supervisor"]), _client(app, team["supervisor"])
    read = _version(mine.get(f"/decisions/{decision.id}/edit"))
    first = decision.domains[0].id
    other = next(d.id for d in framework.domains if d.id != first)
    form = {"title": decision.title, "rationale": decision.rationale, "response_type": decision.response_type,
            "target_group": decision.target_group, "start_date": decision.start_date.isoformat(),
            "version": read}
    assert theirs.post(f"/decisions/{decision.id}/edit",
                       data={**form, "domain_ids": [str(first), str(other)]}).status_code == 302
    refused = mine.post(f"/decisions/{decision.id}/edit", data={**form, "domain_ids": [str(first)]})
    assert refused.status_code == 409
    assert "<dt>Barrier domains it answers</dt>" in refused.get_data(as_text=True)
    session.expire_all()
    assert sorted(d.id for d in session.get(Decision, decision.id).domains) == sorted([first, other])
