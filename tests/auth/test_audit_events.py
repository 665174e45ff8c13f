"""Sign-ins (kept and refused), sign-outs, reads of a case and downloads of a brief leave audit entries with ids
only: never the e-mail typed or any other text."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

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
