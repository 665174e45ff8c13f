"""Two-factor sign-in (TOTP): required for the roles a deployment names, set up from a QR code with recovery codes,
a code never accepted twice, and the second step throttled and audited."""
from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from ecotool.audit import AuditEvent
from ecotool.extensions import limiter
from tests.conftest import PASSWORD

ROLES = "admin,supervisor,commissioner"


@pytest.fixture
def required(app):
    app.config["ECOTOOL_TWO_FACTOR_ROLES"] = ROLES
    return app


def _password(client, person, password=PASSWORD):
    return client.post("/login", data={"email": person.email, "password": password})


def _set_up(client) -> tuple[str, list[str]]:
    """Set up her app through the page: the secret shown, a right code, the recovery codes shown once."""
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in page
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    shown = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert shown.status_code == 200
    codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", shown.get_data(as_text=True))
    return secret, codes


def test_a_supervisor_must_set_it_up_before_any_page(required, client, team, session):
    assert _password(client, team["supervisor"]).status_code == 302
    for page in ("/supervision/", "/", "/decisions/"):
        assert client.get(page).headers["Location"] == "/account/two-factor", page
    wrong = client.post("/account/two-factor", data={"code": "000000"})
    assert wrong.status_code == 422 and "That code is not right" in wrong.get_data(as_text=True)
    secret, codes = _set_up(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/supervision/").status_code == 200
    assert team["supervisor"].totp_secret == secret


def test_a_peer_supporter_is_not_made_to(required, client, team):
    _password(client, team["supporter"])
    assert client.get("/cases").status_code == 200


def test_signing_in_then_takes_a_code_never_accepted_twice(required, app, client, team, session):
    _password(client, team["supervisor"])
    secret, _ = _set_up(client)
    client.post("/logout")
    fresh = app.test_client()
    step_one = _password(fresh, team["supervisor"])
    assert step_one.headers["Location"].startswith("/login/code")
    assert fresh.get("/supervision/").status_code == 302  # not signed in yet
    refused = fresh.post("/login/code", data={"code": "123456"})
    assert refused.status_code == 422
    # The code the set-up just used is spent; the app's next code is accepted (a slow clock is allowed for).
    spent = pyotp.TOTP(secret).now()
    assert fresh.post("/login/code", data={"code": spent}).status_code == 422
    following = pyotp.TOTP(secret).at(int(time.time()) + 30)
    assert fresh.post("/login/code", data={"code": following}).status_code == 302
    assert fresh.get("/supervision/").status_code == 200
    again = app.test_client()
    _password(again, team["supervisor"])
    assert again.post("/login/code", data={"code": following}).status_code == 422  # seen once, never again
    failed = session.scalars(select(AuditEvent.action).where(AuditEvent.action == "person.second_factor_failed")).all()
    assert len(failed) == 3


def test_a_recovery_code_works_once(required, app, client, team):
    _password(client, team["commissioner"])
    _, codes = _set_up(client)
    first, second = app.test_client(), app.test_client()
    _password(first, team["commissioner"])
    assert first.post("/login/code", data={"code": codes[3].upper()}).status_code == 302
    _password(second, team["commissioner"])
    assert second.post("/login/code", data={"code": codes[3]}).status_code == 422


def test_the_code_step_expires_after_five_minutes(required, app, client, team):
    _password(client, team["supervisor"])
    secret, _ = _set_up(client)
    late = app.test_client()
    _password(late, team["supervisor"])
    with late.session_transaction() as cookie:
        cookie["second_factor"]["at"] -= 301
        cookie.modified = True
    response = late.post("/login/code", data={"code": pyotp.TOTP(secret).at(int(time.time()) + 30)})
    assert response.status_code == 302 and response.headers["Location"] == "/login"


def test_wrong_codes_are_throttled(required, app, team, client):
    app.config["RATELIMIT_ENABLED"] = True
    limiter.init_app(app)
    _password(client, team["supervisor"])
    _set_up(client)
    guesser = app.test_client()
    _password(guesser, team["supervisor"])
    statuses = [guesser.post("/login/code", data={"code": f"{n:06d}"}).status_code for n in range(11)]
    assert statuses[:10] == [422] * 10 and statuses[10] == 429


def test_an_admin_turns_it_off_for_a_lost_phone(required, app, client, team, login):
    phone = app.test_client()
    _password(phone, team["supervisor"])
    _set_up(phone)
    admin = app.test_client()
    _password(admin, team["admin"])
    _set_up(admin)
    admin.post(f"/admin/people/{team['supervisor'].id}/two-factor-off")
    assert phone.get("/supervision/").status_code == 302  # signed out everywhere
    fresh = app.test_client()
    assert _password(fresh, team["supervisor"]).headers["Location"] == "/"
    assert fresh.get("/supervision/").headers["Location"] == "/account/two-factor"


def test_no_page_is_reached_before_set_up_not_even_through_an_expired_form(required, app, client, team,
                                                                            make_observation, session):
    """A form sent without its token is shown again with what was typed; before she has set up her app that
    must not be a way round the set-up (it showed the observation's words)."""
    observation = make_observation(team["service"], team["supporter"], text="The bus to the clinic stopped.")
    session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"email": team["supervisor"].email, "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    for path in (f"/observations/{observation.id}/edit", "/supervision/new", "/decisions/new"):
        response = client.post(path, data={"text": "x"})
        assert response.status_code == 302 and response.headers["Location"] == "/account/two-factor", path
        assert "The bus to the clinic" not in response.get_data(as_text=True)


def test_setting_it_up_again_asks_for_her_password_and_signs_out_her_other_browsers(required, app, client, team):
    _password(client, team["supervisor"])
    _set_up(client)
    other = app.test_client()
    _password(other, team["supervisor"])
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    with client.session_transaction() as cookie:
        assert secret not in repr(dict(cookie))  # only a nonce travels in the cookie
    code = pyotp.TOTP(secret).at(int(time.time()) + 30)
    refused = client.post("/account/two-factor", data={"code": code, "current": "not my password"})
    assert refused.status_code == 422 and "That is not your password." in refused.get_data(as_text=True)
    assert client.post("/account/two-factor", data={"code": code, "current": PASSWORD}).status_code == 200
    assert other.get("/supervision/").status_code == 302  # her other browser is signed out
    assert client.get("/supervision/").status_code == 200


def test_a_one_time_password_is_spent_only_when_the_sign_in_completes(required, app, client, team, login):
    supervisor = team["supervisor"]
    _password(client, supervisor)
    secret, _ = _set_up(client)
    admin = app.test_client()
    _password(admin, team["admin"])
    _set_up(admin)
    page = admin.post(f"/admin/people/{supervisor.id}/one-time-password").get_data(as_text=True)
    one_time = re.search(r'<code class="password">([^<]+)</code>', page).group(1)
    gave_up = app.test_client()
    assert _password(gave_up, supervisor, one_time).headers["Location"].startswith("/login/code")
    # She never typed her code; the one-time password still works, and is spent once she is signed in.
    again = app.test_client()
    assert _password(again, supervisor, one_time).headers["Location"].startswith("/login/code")
    assert again.post("/login/code", data={"code": pyotp.TOTP(secret).at(int(time.time()) + 30)}).status_code == 302
    assert again.get("/supervision/").headers["Location"] == "/account/password"
    assert _password(app.test_client(), supervisor, one_time).status_code == 422
