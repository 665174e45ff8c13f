"""An administrator looks after people from the browser: edit, deactivate (signed out at once, records kept), a new
one-time password, sign out on every device, and hand a leaving supporter's open cases to a colleague."""
from __future__ import annotations

import re

from sqlalchemy import select

from ecotool.auth.models import Person
from ecotool.capture.models import Case
from ecotool.capture.operations import close_case
from tests.conftest import PASSWORD, row_counts


def _signed_in(app, person, password=PASSWORD):
    client = app.test_client()
    assert client.post("/login", data={"email": person.email, "password": password}).status_code == 302
    return client


def test_deactivating_signs_her_out_at_once_and_keeps_her_records(app, client, login, session, team, make_case):
    supporter = team["supporter"]
    make_case(team["service"], supporter)
    session.commit()
    her_phone = _signed_in(app, supporter)
    login(team["admin"])
    page = client.get(f"/admin/people/{supporter.id}").get_data(as_text=True)
    assert "Signed in on</dt><dd>1 device" in page
    done = client.post(f"/admin/people/{supporter.id}/active", follow_redirects=True).get_data(as_text=True)
    assert "deactivated and signed out everywhere" in done
    assert her_phone.get("/cases").status_code == 302
    assert app.test_client().post("/login", data={"email": supporter.email, "password": PASSWORD}).status_code == 422
    assert row_counts(Case)["Case"] == 1
    client.post(f"/admin/people/{supporter.id}/active")
    assert _signed_in(app, supporter)


def test_an_administrator_cannot_deactivate_herself(client, login, session, team):
    login(team["admin"])
    page = client.post(f"/admin/people/{team['admin'].id}/active", follow_redirects=True).get_data(as_text=True)
    assert "cannot deactivate yourself" in page
    session.expire_all()
    assert session.get(Person, team["admin"].id).active


def test_editing_a_person_and_a_refused_supervisor(client, login, session, team, make_service, make_person):
    south = make_service("south", "South service")
    south_supervisor = make_person("supervisor", south)
    supporter = team["supporter"]
    login(team["admin"])
    refused = client.post(f"/admin/people/{supporter.id}", data={
        "display_name": "Pat Renamed", "service_ids": [str(team["service"].id)],
        "supervisor_id": str(south_supervisor.id)})
    assert refused.status_code == 422
    assert re.search(r"must work in one of her services", refused.get_data(as_text=True))
    session.expire_all()
    assert session.get(Person, supporter.id).display_name != "Pat Renamed"
    saved = client.post(f"/admin/people/{supporter.id}", data={
        "display_name": "Pat Renamed", "service_ids": [str(team["service"].id), str(south.id)],
        "supervisor_id": str(south_supervisor.id)})
    assert saved.status_code == 302
    session.expire_all()
    person = session.get(Person, supporter.id)
    assert person.display_name == "Pat Renamed" and set(person.service_ids) == {team["service"].id, south.id}
    assert person.supervisor_id == south_supervisor.id


def test_a_new_one_time_password_replaces_hers_and_works_once(app, client, login, session, team):
    supporter = team["supporter"]
    her_phone = _signed_in(app, supporter)
    login(team["admin"])
    page = client.post(f"/admin/people/{supporter.id}/one-time-password").get_data(as_text=True)
    one_time = re.search(r'<code class="password">([^<]+)</code>', page).group(1)
    assert her_phone.get("/cases").status_code == 302
    assert app.test_client().post("/login", data={"email": supporter.email, "password": PASSWORD}).status_code == 422
    fresh = app.test_client()
    assert fresh.post("/login", data={"email": supporter.email, "password": one_time}).status_code == 302
    assert fresh.get("/cases").headers["Location"] == "/account/password"
    assert app.test_client().post("/login", data={"email": supporter.email, "password": one_time}).status_code == 422


def test_sign_out_on_every_device(app, client, login, team):
    phone, laptop = _signed_in(app, team["supervisor"]), _signed_in(app, team["supervisor"])
    login(team["admin"])
    done = client.post(f"/admin/people/{team['supervisor'].id}/sign-out", follow_redirects=True)
    assert "signed out on 2 devices" in done.get_data(as_text=True)
    assert phone.get("/supervision/").status_code == 302 and laptop.get("/supervision/").status_code == 302


def test_handing_over_every_open_case_of_a_leaving_supporter(client, login, session, team, make_case, make_service,
                                                            make_person):
    leaving, colleague = team["supporter"], team["other_supporter"]
    open_cases = [make_case(team["service"], leaving) for _ in range(3)]
    closed = make_case(team["service"], leaving)
    close_case(session, team["admin"].id, closed, reason="moved away")
    elsewhere = make_person("peer_supporter", make_service("south", "South service"))
    session.commit()
    login(team["admin"])
    refused = client.post(f"/admin/people/{leaving.id}/hand-over", data={"colleague_id": str(elsewhere.id)})
    assert refused.status_code == 422 and "Not a valid choice" in refused.get_data(as_text=True)
    moved = client.post(f"/admin/people/{leaving.id}/hand-over", data={"colleague_id": str(colleague.id)},
                        follow_redirects=True)
    assert "3 open cases handed over." in moved.get_data(as_text=True)
    session.expire_all()
    holders = dict(session.execute(select(Case.id, Case.supporter_id)).all())
    assert {holders[c.id] for c in open_cases} == {colleague.id}
    assert holders[closed.id] == leaving.id
