"""Signed-in sessions live on the server: sign-out, "sign out everywhere", a password change and time-outs end
them at once, whatever a copied cookie says; a fresh cookie and CSRF token at sign-in; first passwords that
work once."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from ecotool import create_app
from ecotool.auth.models import Person, SignIn
from ecotool.auth.operations import create_person
from ecotool.capture.models import Case
from ecotool.clock import utcnow
from ecotool.db import db
from tests.conftest import PASSWORD, _config, row_counts

COOKIE = "ecotool"
NEW_PASSWORD = "copper kettle orchard lantern"


def _signed_in(app, person, password=PASSWORD):
    client = app.test_client()
    response = client.post("/login", data={"email": person.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def _copy(app, client):
    """A second browser holding a copy of this one's cookie (as an attacker who stole it would)."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def _case_form(team) -> dict:
    return {"imd_quintile": "1", "age_band": "25-29", "journey_stage": "antenatal",
            "pathway_id": str(team["service"].pathways[0].id)}


def test_a_copied_cookie_neither_reads_nor_writes_after_sign_out(app, team, session):
    mine = _signed_in(app, team["supporter"])
    thief = _copy(app, mine)
    assert thief.get("/cases").status_code == 200  # the copy works while she is signed in
    mine.post("/logout")
    assert thief.get("/cases").status_code == 302
    before = row_counts(Case)
    sent = thief.post("/cases/new", data=_case_form(team))
    assert sent.status_code == 302 and "/login" in sent.headers["Location"]
    assert row_counts(Case) == before
    ended = session.scalars(select(SignIn).where(SignIn.person_id == team["supporter"].id)).all()
    assert [s.ended_why for s in ended] == ["sign-out"]


def test_sign_out_everywhere_ends_every_device(app, team):
    phone, laptop = _signed_in(app, team["supervisor"]), _signed_in(app, team["supervisor"])
    other_person = _signed_in(app, team["supporter"])
    response = phone.post("/account/sign-out-everywhere", follow_redirects=True)
    assert "signed out everywhere (2 devices)" in response.get_data(as_text=True)
    assert phone.get("/supervision/").status_code == 302
    assert laptop.get("/supervision/").status_code == 302
    assert other_person.get("/cases").status_code == 200


def test_a_password_change_ends_her_other_devices_but_not_this_one(app, team, session):
    phone, laptop = _signed_in(app, team["supporter"]), _signed_in(app, team["supporter"])
    response = phone.post("/account/password", data={
        "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert phone.get("/cases").status_code == 200
    assert laptop.get("/cases").status_code == 302
    assert _signed_in(app, team["supporter"], NEW_PASSWORD)
    assert app.test_client().post("/login", data={"email": team["supporter"].email, "password": PASSWORD}).status_code == 422


@pytest.mark.parametrize("new,words", [
    ("short one", "at least 12"),
    ("password1234", "Choose a longer password"),
    ("qwerty123456", "Choose a longer password"),
    ("1qaz2wsx3edc", "Choose a longer password"),   # on the common-password list as it is
    ("aaaaaaaaaaaaaaaa", "Choose a longer password"),
])
def test_a_weak_password_is_refused_next_to_the_field_and_nothing_changes(app, team, session, new, words):
    client = _signed_in(app, team["supporter"])
    before = session.scalar(select(Person.password_hash).where(Person.id == team["supporter"].id))
    response = client.post("/account/password", data={"current": PASSWORD, "password": new, "confirm": new})
    assert response.status_code == 422
    assert words in response.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(Person.password_hash).where(Person.id == team["supporter"].id)) == before


def test_a_password_change_needs_the_current_password(app, team):
    client = _signed_in(app, team["supporter"])
    response = client.post("/account/password", data={
        "current": "not it at all", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 422 and "not your current password" in response.get_data(as_text=True)
    assert _signed_in(app, team["supporter"])  # the old one still works


def _age(session, person, **columns):
    session.execute(update(SignIn).where(SignIn.person_id == person.id).values(**columns))
    session.commit()


def test_an_idle_session_ends_after_30_minutes(app, team, session):
    client = _signed_in(app, team["supporter"])
    _age(session, team["supporter"], last_seen_at=utcnow() - timedelta(minutes=29))
    assert client.get("/cases").status_code == 200
    _age(session, team["supporter"], last_seen_at=utcnow() - timedelta(minutes=31))
    response = client.get("/cases", follow_redirects=True)
    assert "signed out after 30 minutes without using ecotool" in response.get_data(as_text=True)
    assert client.get("/cases").status_code == 302


def test_a_session_ends_after_12_hours_however_busy(app, team, session):
    client = _signed_in(app, team["supporter"])
    _age(session, team["supporter"], started_at=utcnow() - timedelta(hours=11, minutes=59))
    assert client.get("/cases").status_code == 200
    _age(session, team["supporter"], started_at=utcnow() - timedelta(hours=12, minutes=1))
    assert client.get("/cases").status_code == 302
    assert session.scalar(select(SignIn.ended_why).where(SignIn.person_id == team["supporter"].id)) == "time limit"


def test_a_page_marks_her_as_seen(app, team, session):
    client = _signed_in(app, team["supporter"])
    _age(session, team["supporter"], last_seen_at=utcnow() - timedelta(minutes=20))
    client.get("/cases")
    session.expire_all()
    seen = session.scalar(select(SignIn.last_seen_at).where(SignIn.person_id == team["supporter"].id))
    assert utcnow() - seen < timedelta(minutes=1)


def test_sign_in_gives_a_fresh_cookie_and_csrf_token(app, team):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    with client.session_transaction() as before:
        raw_before = before["csrf_token"]
    response = client.post("/login", data={"email": team["supporter"].email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    with client.session_transaction() as after:
        assert after.get("csrf_token") != raw_before
        assert after["sign_in"]


def test_behind_https_the_cookie_is_host_bound_secure_http_only_and_lax(monkeypatch, sqlite_template, tmp_path, team):
    monkeypatch.setenv("ECOTOOL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    path = tmp_path / "prod.sqlite"
    path.write_bytes(sqlite_template.read_bytes())
    config = {k: v for k, v in _config(f"sqlite:///{path}").items() if k not in ("TESTING", "SECRET_KEY")}
    app = create_app(config)
    with app.app_context():
        create_person(db.session, None, "prod@example.org", "admin", [], password=PASSWORD)
        db.session.commit()
        response = app.test_client().post("/login", data={"email": "prod@example.org", "password": PASSWORD},
                                          base_url="https://ecotool.example")
        db.engine.dispose()
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-ecotool=")
    for part in ("Secure", "HttpOnly", "Path=/", "SameSite=Lax"):
        assert part in cookie
    assert "Domain" not in cookie and "Expires" not in cookie  # ends with the browser; the server ends it sooner
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_first_password_works_once_then_she_chooses_her_own(app, client, team, session):
    person, one_time = create_person(session, team["admin"].id, "new@example.org", "peer_supporter",
                                     [team["service"].slug])
    session.commit()
    assert client.post("/login", data={"email": "new@example.org", "password": one_time}).status_code == 302
    for page in ("/cases", "/", "/cases/new"):
        response = client.get(page)
        assert response.status_code == 302 and response.headers["Location"] == "/account/password", page
    assert "works only once" in client.get("/account/password").get_data(as_text=True)
    # It worked once: in another browser it no longer does.
    assert app.test_client().post("/login", data={"email": "new@example.org", "password": one_time}).status_code == 422
    weak = client.post("/account/password", data={"password": "password1234", "confirm": "password1234"})
    assert weak.status_code == 422
    chosen = client.post("/account/password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert chosen.status_code == 302
    assert client.get("/cases").status_code == 200
    assert _signed_in(app, person, NEW_PASSWORD)


def test_a_first_password_expires_after_24_hours(app, client, team, session):
    person, one_time = create_person(session, team["admin"].id, "late@example.org", "peer_supporter",
                                     [team["service"].slug])
    person.one_time_until = utcnow() - timedelta(minutes=1)
    session.commit()
    assert client.post("/login", data={"email": "late@example.org", "password": one_time}).status_code == 422
