"""Setting up a deployment from a shell."""
from __future__ import annotations

from sqlalchemy import func, select

from ecotool.auth.models import Person
from ecotool.capture.models import Case
from ecotool.demo import RECENT, STORY_CASES
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
    # The seeded cases, the hand-written recent ones and the decisions' story.
    assert _count(session, Case) == cases == 120 + len(RECENT) + STORY_CASES


def test_target_rule_and_minimum_cells_are_set_from_the_shell(runner, session):
    from datetime import timedelta

    from ecotool.clock import local_today
    from ecotool.services.models import Service, TargetRule

    runner.invoke(args=["service", "create", "--slug", "east", "--name", "East"])
    day = (local_today() - timedelta(days=30)).isoformat()
    result = runner.invoke(args=["service", "target-rule", "--service", "east", "--quintile-max", "2", "--from", day])
    assert result.exit_code == 0, result.output
    assert "are target if IMD quintile 1 to 2 or aged under 20; before then, if IMD quintile 1 or aged under 20" \
        in result.output
    kept = session.query(TargetRule).one()
    assert (kept.starts_on, kept.ends_on, kept.quintile_max, kept.under_20) == (
        None, local_today() - timedelta(days=30), 1, True)
    again = runner.invoke(args=["service", "target-rule", "--service", "east", "--quintile-max", "3",
                                "--from", day])
    assert again.exit_code == 1 and "a new one starts after that" in again.output
    future = (local_today() + timedelta(days=1)).isoformat()
    assert "today or on an earlier day" in runner.invoke(args=[
        "service", "target-rule", "--service", "east", "--quintile-max", "3", "--from", future]).output
    assert session.query(TargetRule).count() == 1

    assert runner.invoke(args=["service", "min-cells", "--service", "east", "20"]).exit_code == 0
    session.expire_all()
    assert session.query(Service).filter_by(slug="east").one().min_cell_count == 20
    refused = runner.invoke(args=["service", "min-cells", "--service", "east", "0"])
    assert refused.exit_code == 1 and "from 1 to 1000" in refused.output
    assert "no service" in runner.invoke(args=["service", "min-cells", "--service", "west", "5"]).output
