"""Holes found when the app was attacked from outside, each closed, each with a test that fails without its fix."""
from __future__ import annotations

import pytest

from ecotool import create_app
from ecotool.auth.models import Person
from ecotool.errors import OperationError
from tests.conftest import PASSWORD, _config, row_counts


@pytest.mark.parametrize("target", [
    "/%09/127.0.0.1:5399/pwned",   # a tab: browsers drop it, leaving //127.0.0.1:5399/pwned
    "/%0A/x", "/%0D%0A/x",         # a newline gave a 500 after the sign-in
    "//evil.example/x", "/\\evil.example", "https://evil.example/", "/%20/evil.example", "/%7F/evil.example",
])
def test_sign_in_never_sends_her_to_another_host(client, team, target):
    response = client.post(f"/login?next={target}",
                           data={"email": team["supporter"].email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "/cases")


def test_sign_in_keeps_a_path_on_this_site(client, team):
    response = client.post("/login?next=/cases/new", data={"email": team["supporter"].email, "password": PASSWORD})
    assert response.headers["Location"] == "/cases/new"


def test_a_nul_byte_is_refused_with_a_400_that_keeps_its_headers(client, login, team, session):
    """On PostgreSQL a NUL in text was a 500 (and the error page then failed, without CSP or nosniff)."""
    refused = client.post("/login", data={"email": "a\x00@example.org", "password": "x"})
    assert refused.status_code == 400
    assert "default-src 'self'" in refused.headers["Content-Security-Policy"]
    assert refused.headers["X-Content-Type-Options"] == "nosniff"
    login(team["supporter"])
    before = row_counts(Person)
    case = client.post("/cases/new", data={"imd_quintile": "1", "age_band": "25-29\x00", "journey_stage": "antenatal"})
    assert case.status_code == 400 and row_counts(Person) == before
    assert client.get("/cases?q=\x00").status_code == 400


@pytest.mark.parametrize("path", ["/cases/2147483648", "/cases/99999999999999999999", "/decisions/9223372036854775808",
                                  "/briefs/2147483648.pdf", "/supervision/2147483648"])
def test_ids_beyond_the_integer_range_are_not_found(client, login, team, path):
    login(team["supervisor"])
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("query", ["/cases?page=99999999999999999999", "/cases?page=9223372036854775807",
                                   "/supervision/new?supervisee=99999999999999999999",
                                   "/supervision/new?service_id=99999999999999999999",
                                   "/decisions/new?session_id=99999999999999999999"])
def test_numbers_beyond_the_integer_range_in_a_query_count_as_absent(client, login, team, query):
    """These went to the database as they were: 'Python int too large to convert to SQLite INTEGER', or
    PostgreSQL's 'bigint out of range', a 500."""
    login(team["supervisor"])
    assert client.get(query).status_code == 200


def test_a_notes_post_with_fewer_notes_than_prompts_is_refused_not_a_500(client, login, team, session):
    from datetime import date, timedelta

    from ecotool.supervision.operations import open_session

    record = open_session(session, team["supervisor"], team["service"], [team["supporter"].id], date.today(),
                          date.today() - timedelta(days=28), date.today())
    session.commit()
    assert len(record.prompts) > 1
    login(team["supervisor"])
    response = client.post(f"/supervision/{record.id}/notes", data={"notes-0": "Only one note."})
    assert response.status_code in (409, 422)
    assert "do not match the prompts" in response.get_data(as_text=True)


def test_hsts_is_sent_in_production_only(tmp_path):
    plain = create_app(_config(f"sqlite:///{tmp_path}/a.sqlite"))
    assert "Strict-Transport-Security" not in plain.test_client().get("/login").headers
    secure = create_app({**_config(f"sqlite:///{tmp_path}/b.sqlite"), "SESSION_COOKIE_SECURE": True})
    assert secure.test_client().get("/login").headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains")


def test_a_supervisor_cannot_be_linked_to_a_supporter_of_another_service(session, make_service, make_person):
    from ecotool.auth.operations import create_person

    north, south = make_service("north", "North"), make_service("south", "South")
    south_supervisor = make_person("supervisor", south)
    with pytest.raises(OperationError, match="same service"):
        create_person(session, None, "pat@example.org", "peer_supporter", [north.slug], "Pat", south_supervisor.id)
    assert session.query(Person).filter_by(email="pat@example.org").count() == 0
