"""Setting up a deployment from a shell."""
from __future__ import annotations

from sqlalchemy import func, select

from ecotool.auth.models import Person
from ecotool.capture.models import Case
from ecotool.demo import RECENT
from ecotool.services.models import Pathway, Service


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


def test_service_create_with_its_own_pathways_which_an_import_can_use(runner, session, tmp_path):
    created = runner.invoke(args=["service", "create", "--slug", "east-bay", "--name", "East Bay BPS",
                                  "--pathway", "Text at 2-3 weeks", "--pathway", " Young mothers' pathway "])
    assert created.exit_code == 0, created.output
    assert "pathways: Text at 2-3 weeks, Young mothers' pathway" in created.output
    assert sorted(session.scalars(select(Pathway.name))) == ["Text at 2-3 weeks", "Young mothers' pathway"]
    added = runner.invoke(args=["service", "pathway", "add", "--service", "east-bay", "Health visitor"])
    assert added.exit_code == 0, added.output
    assert "Added the pathway 'Health visitor' to east-bay" in added.output
    result = runner.invoke(args=["person", "create", "--email", "lee@example.org", "--role", "peer_supporter",
                                 "--service", "east-bay"])
    assert result.exit_code == 0, result.output
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "ref,referral_date,imd_quintile,age_band,pathway,first_time,language_support,supporter_email\n"
        "EB-1,31/03/2026,1,under 20,young mothers' pathway,yes,no,lee@example.org\n"
        "EB-2,01/04/2026,2,20-24,Health visitor,no,no,lee@example.org\n")
    imported = runner.invoke(args=["import", "cases", "--service", "east-bay", str(cases)])
    assert imported.exit_code == 0, imported.output
    assert {c.reference: c.pathway.name for c in session.scalars(select(Case))} == {
        "EB-1": "Young mothers' pathway", "EB-2": "Health visitor"}


def test_without_pathways_a_service_gets_the_default_ones(runner, session):
    assert runner.invoke(args=["service", "create", "--slug", "east-bay", "--name", "East Bay BPS"]).exit_code == 0
    assert sorted(session.scalars(select(Pathway.name))) == ["Midwife referral", "Self-referral"]


def test_pathway_refusals(runner, session):
    twice = runner.invoke(args=["service", "create", "--slug", "east-bay", "--name", "East Bay BPS",
                                "--pathway", "Ward", "--pathway", "ward"])
    assert twice.exit_code == 1
    assert "A pathway is named twice; each pathway of a service needs its own name." in twice.output
    assert _count(session, Service) == 0
    runner.invoke(args=["service", "create", "--slug", "east-bay", "--name", "East Bay BPS", "--pathway", "Ward"])
    runner.invoke(args=["service", "create", "--slug", "west-bay", "--name", "West Bay BPS"])
    duplicate = runner.invoke(args=["service", "pathway", "add", "--service", "east-bay", " WARD "])
    assert duplicate.exit_code == 1
    assert "Error: east-bay already has a pathway called 'WARD'." in duplicate.output
    blank = runner.invoke(args=["service", "pathway", "add", "--service", "east-bay", "  "])
    assert blank.exit_code == 1 and "Give each pathway a name of up to 120 characters." in blank.output
    nowhere = runner.invoke(args=["service", "pathway", "add", "--service", "nowhere", "Ward"])
    assert nowhere.exit_code == 1 and "There is no service with the slug 'nowhere'." in nowhere.output
    # The same name on another service is fine.
    assert runner.invoke(args=["service", "pathway", "add", "--service", "west-bay", "Ward"]).exit_code == 0
    assert sorted((p.service.slug, p.name) for p in session.scalars(select(Pathway))) == [
        ("east-bay", "Ward"), ("west-bay", "Midwife referral"), ("west-bay", "Self-referral"), ("west-bay", "Ward")]


def test_demo_load_says_when_the_demo_is_already_there(runner, session):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "created service north-shore" in first.output
    assert "already loaded" not in first.output
    cases = _count(session, Case)
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[:2] == ["Demo data is already loaded; nothing was changed.",
                                             "demo logins, each with the password demo-password:"]
    assert _count(session, Case) == cases == 120 + len(RECENT)  # the seeded cases and the hand-written recent ones
