"""Setting up a deployment from a shell."""
from __future__ import annotations

from sqlalchemy import func, select

from ecotool.auth.models import Person
from ecotool.services.models import Service


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_service_create_and_refusals(runner, session):
    ok = runner.invoke(args=["service", "create", "--slug", "east-bay", "--name", "East Bay BPS"])
    assert ok.exit_code == 0, ok.output
    assert "case prefix EB" in ok.output
    duplicate = runner.invoke(args=["service", "create", "--slug", "east-bay", "--name", "Again"])
    assert duplicate.exit_code == 1
    assert "already exists" in duplicate.output
    bad = runner.invoke(args=["service", "create", "--slug", "East Bay!", "--name", "Bad"])
    assert bad.exit_code == 1
    assert "lowercase" in bad.output
    assert _count(session, Service) == 1


def test_person_create_prints_a_working_one_time_password(runner, session, client):
    runner.invoke(args=["service", "create", "--slug", "east-bay", "--name", "East Bay BPS"])
    result = runner.invoke(args=["person", "create", "--email", "Lee@Example.org", "--role", "peer_supporter",
                                 "--service", "east-bay"])
    assert result.exit_code == 0, result.output
    password = result.output.split("One-time password: ")[1].strip()
    assert len(password) >= 12
    response = client.post("/login", data={"email": "lee@example.org", "password": password})
    assert response.status_code == 302


def test_person_create_refuses_duplicates_and_bad_values(runner, session):
    runner.invoke(args=["service", "create", "--slug", "east-bay", "--name", "East Bay BPS"])
    args = ["person", "create", "--email", "lee@example.org", "--role", "supervisor", "--service", "east-bay"]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=args)
    assert again.exit_code == 1 and "already exists" in again.output
    no_service = runner.invoke(args=["person", "create", "--email", "x@example.org", "--role", "supervisor",
                                     "--service", "nowhere"])
    assert no_service.exit_code == 1 and "no service" in no_service.output
    bad_role = runner.invoke(args=["person", "create", "--email", "y@example.org", "--role", "boss",
                                   "--service", "east-bay"])
    assert bad_role.exit_code != 0 and "boss" in bad_role.output
    bad_email = runner.invoke(args=["person", "create", "--email", "not-an-email", "--role", "supervisor",
                                    "--service", "east-bay"])
    assert bad_email.exit_code == 1 and "e-mail" in bad_email.output
    assert _count(session, Person) == 1


def test_password_is_stored_as_an_argon2_hash(runner, session):
    runner.invoke(args=["service", "create", "--slug", "east-bay", "--name", "East Bay BPS"])
    result = runner.invoke(args=["person", "create", "--email", "a@example.org", "--role", "commissioner",
                                 "--service", "east-bay"])
    password = result.output.split("One-time password: ")[1].strip()
    stored = session.scalar(select(Person.password_hash))
    assert stored.startswith("$argon2id$") and password not in stored


def test_long_and_malformed_values_are_refused_cleanly(runner, session):
    long_name = runner.invoke(args=["service", "create", "--slug", "east", "--name", "x" * 250])
    assert long_name.exit_code == 1 and "200 characters" in long_name.output
    short_slug = runner.invoke(args=["service", "create", "--slug", "q", "--name", "Q"])
    assert short_slug.exit_code == 1 and "give one" in short_slug.output
    runner.invoke(args=["service", "create", "--slug", "east-bay", "--name", "East Bay BPS"])
    for email in ("a@b@c", "x" * 300 + "@example.org"):
        result = runner.invoke(args=["person", "create", "--email", email, "--role", "supervisor",
                                     "--service", "east-bay"])
        assert result.exit_code == 1 and "Error:" in result.output and "Traceback" not in result.output
    assert _count(session, Person) == 0
