"""Sign-ins (kept and refused), sign-outs, reads of a case and downloads of a brief leave audit entries with ids
only: never the e-mail typed or any other text."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from ecotool.audit import AuditEvent
from ecotool.reports.operations import generate_brief
from tests.conftest import PASSWORD


def _events(session) -> list[tuple]:
    session.expire_all()
    return [(e.action, e.actor_id, e.object_type, e.object_id)
            for e in session.scalars(select(AuditEvent).where(AuditEvent.action.not_like("%.create"))
                                     .order_by(AuditEvent.id))]


def test_sign_in_sign_out_and_refusals_are_audited(client, session, team):
    person = team["supporter"]
    assert client.post("/login", data={"email": person.email, "password": "wrong password!"}).status_code == 422
    assert client.post("/login", data={"email": "nobody@example.org", "password": "wrong password!"}).status_code == 422
    assert client.post("/login", data={"email": person.email, "password": PASSWORD}).status_code == 302
    assert client.post("/logout").status_code == 302
    assert _events(session) == [
        ("person.sign_in_failed", None, "Person", person.id),
        ("person.sign_in_failed", None, "Person", None),  # an unknown e-mail: no one, and not the e-mail
        ("person.sign_in", person.id, "Person", person.id),
        ("person.sign_out", person.id, "Person", person.id),
    ]


def test_reading_a_case_and_downloading_a_brief_are_audited(client, login, session, team, make_case):
    case = make_case(team["service"], team["supporter"])
    login(team["supervisor"])
    assert client.get(f"/cases/{case.id}").status_code == 200
    brief = generate_brief(session, team["supervisor"].id, team["service"], date.today() - timedelta(days=30),
                           date.today())
    session.commit()
    for path in (f"/briefs/{brief.id}.pdf", f"/briefs/{brief.id}", f"/briefs/{brief.id}.json"):
        assert client.get(path).status_code == 200
    reads = [e for e in _events(session) if e[0] in ("case.read", "brief.download", "brief.read")]
    who = team["supervisor"].id
    assert reads == [("case.read", who, "Case", case.id), ("brief.download", who, "Brief", brief.id),
                     ("brief.read", who, "Brief", brief.id), ("brief.download", who, "Brief", brief.id)]


def test_every_cli_change_names_its_actor_from_as_or_is_the_systems(runner, session, team, tmp_path):
    admin = team["admin"]
    acts = [
        ["service", "create", "--slug", "east-bay", "--name", "East Bay BPS", "--as", admin.email],
        ["service", "pathway", "add", "--service", "east-bay", "Health visitor", "--as", admin.email],
        ["service", "min-cells", "--service", "east-bay", "12"],  # no --as: the system
        ["person", "create", "--email", "lee@example.org", "--role", "peer_supporter", "--service", "east-bay",
         "--as", admin.email],
    ]
    for args in acts:
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    cases = tmp_path / "cases.csv"
    cases.write_text("ref,referral_date,imd_quintile,age_band,pathway,first_time,language_support,supporter_email\n"
                     "EB-0001,2026-01-05,1,20-24,Health visitor,yes,no,lee@example.org\n")
    result = runner.invoke(args=["import", "cases", "--service", "east-bay", str(cases), "--as", admin.email])
    assert result.exit_code == 0, result.output
    events = [(e.action, e.actor_id) for e in session.scalars(
        select(AuditEvent).where(AuditEvent.action.in_(
            ["service.create", "pathway.create", "service.min_cell_count", "person.create", "service.import_cases"]))
        .order_by(AuditEvent.id)) if e.action != "person.create" or e.actor_id == admin.id or e.actor_id is None]
    assert events[-5:] == [("service.create", admin.id), ("pathway.create", admin.id),
                           ("service.min_cell_count", None), ("person.create", admin.id),
                           ("service.import_cases", admin.id)]


def test_the_cli_refuses_to_act_as_someone_who_is_not_an_administrator(runner, session, team):
    for who in (team["supervisor"].email, "nobody@example.org"):
        result = runner.invoke(args=["service", "create", "--slug", "west", "--name", "West", "--as", who])
        assert result.exit_code == 1 and "not an active administrator" in result.output
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "service.create",
                                                   AuditEvent.object_id.is_not(None))
                          .order_by(AuditEvent.id.desc()).limit(1)).object_id == team["service"].id


def test_an_import_from_the_admin_page_is_audited(client, login, session, team):
    login(team["admin"])
    csv = ("ref,referral_date,imd_quintile,age_band,pathway,first_time,language_support,supporter_email\n"
           f"NO-0901,2026-01-05,2,25-29,{team['service'].pathways[0].name},no,no,{team['supporter'].email}\n")
    response = client.post("/admin/import", data={"kind": "cases", "service": team["service"].slug,
                                                  "file": (io.BytesIO(csv.encode()), "cases.csv")},
                           content_type="multipart/form-data")
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:400]
    assert ("service.import_cases", team["admin"].id, "Service", team["service"].id) in _events(session)


@pytest.mark.parametrize("change", [
    "UPDATE audit_event SET actor_id = NULL", "DELETE FROM audit_event",
])
def test_the_audit_log_is_append_only_in_the_database_itself(session, team, change):
    assert session.scalar(select(func.count()).select_from(AuditEvent)) > 0
    with pytest.raises(DatabaseError, match="append-only"):
        session.execute(text(change))
        session.flush()
    session.rollback()


def test_the_last_change_of_a_record_is_never_a_read_download_or_export(session, team):
    from ecotool import audit

    service = team["service"]
    changed = audit.record(session, team["admin"].id, "service.update", service)
    for action in ("service.read", "service.download", "service.export"):
        audit.record(session, team["commissioner"].id, action, service)
    session.flush()
    assert audit.last_change(session, service).id == changed.id
