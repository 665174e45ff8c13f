"""Sign-in, every page behind a login, and roles."""
from __future__ import annotations

import pytest


def test_every_page_but_login_requires_a_login(app, client):
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("auth.login", "static"):
            continue
        url = rule.build({arg: 1 for arg in rule.arguments}, append_unknown=False)[1]
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
        checked += 1
    assert checked >= 12


def test_wrong_password_is_refused_next_to_the_field(client, team):
    response = client.post("/login", data={"email": team["supporter"].email, "password": "wrong"})
    assert response.status_code == 422
    assert "do not match" in response.get_data(as_text=True)
    assert client.get("/cases").status_code == 302


def test_unknown_email_gives_the_same_answer(client, team):
    response = client.post("/login", data={"email": "nobody@example.org", "password": "wrong"})
    assert response.status_code == 422
    assert "do not match" in response.get_data(as_text=True)


@pytest.mark.parametrize("role,home", [
    ("supporter", "/cases"), ("supervisor", "/supervision/"), ("commissioner", "/briefs/"), ("admin", "/admin/"),
])
def test_home_sends_each_role_to_its_page(client, team, login, role, home):
    login(team[role])
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith(home)


def test_roles_are_enforced(client, team, login):
    login(team["commissioner"])
    assert client.get("/cases").status_code == 403
    assert client.get("/admin/").status_code == 403
    assert client.get("/supervision/").status_code == 403
    login(team["supporter"])
    assert client.get("/briefs/").status_code == 403
    assert client.get("/decisions/new").status_code == 403


def test_login_returns_to_the_page_asked_for_but_never_off_site(client, team):
    response = client.post("/login?next=/briefs/", data={"email": team["commissioner"].email,
                                                         "password": "test-password-1"})
    assert response.headers["Location"] == "/briefs/"
    client.post("/logout")
    response = client.post("/login?next=//evil.example/x", data={"email": team["commissioner"].email,
                                                                 "password": "test-password-1"})
    assert response.headers["Location"] == "/"


def test_signed_in_pages_are_not_cached(client, team, login):
    login(team["supporter"])
    assert client.get("/cases").headers["Cache-Control"] == "no-store"


def test_expired_form_gets_a_page_in_our_words(app, team):
    app.config["WTF_CSRF_ENABLED"] = True
    response = app.test_client().post("/login", data={"email": team["supporter"].email, "password": "x"})
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)


def test_a_person_deactivated_while_signed_in_is_signed_out_at_the_next_request(client, login, team, session):
    login(team["supporter"])
    assert client.get("/cases").status_code == 200
    team["supporter"].active = False
    session.commit()
    response = client.get("/cases")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
