"""The audit log page: newest first, filtered by action, person (or the system), record and day; ids only."""
from __future__ import annotations

from datetime import timedelta

from ecotool import audit
from ecotool.clock import local_today
from tests.conftest import PASSWORD


def _rows(page: str) -> int:
    return page.count('<td data-label="Action">')


def test_the_audit_page_filters_by_action_person_record_and_day(client, login, session, team, make_case):
    case = make_case(team["service"], team["supporter"])
    session.commit()
    client.post("/login", data={"email": team["supporter"].email, "password": "not the password"})
    login(team["supporter"])
    client.get(f"/cases/{case.id}")
    login(team["admin"])
    everything = client.get("/admin/audit").get_data(as_text=True)
    assert _rows(everything) >= 5 and "<code>person.sign_in_failed</code>" in everything
    reads = client.get(f"/admin/audit?action=case.read&object_type=Case&object_id={case.id}").get_data(as_text=True)
    assert _rows(reads) == 1 and f"Case #{case.id}" in reads and team["supporter"].display_name in reads
    by_her = client.get(f"/admin/audit?actor={team['supporter'].id}").get_data(as_text=True)
    assert "<code>person.sign_in_failed</code>" not in by_her and "<code>case.read</code>" in by_her  # a refused sign-in has no actor
    system = client.get("/admin/audit?actor=system").get_data(as_text=True)
    assert "<code>person.sign_in_failed</code>" in system and "<code>case.read</code>" not in system
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    assert _rows(client.get(f"/admin/audit?end={yesterday}").get_data(as_text=True)) == 0


def test_bad_filters_are_ignored_not_a_500(client, login, team):
    login(team["admin"])
    for query in ("object_id=99999999999999", "start=not-a-day", "page=0", "object_type=Case;DROP", "actor=abc"):
        assert client.get(f"/admin/audit?{query}").status_code == 200, query


def test_the_log_pages_newest_first(client, login, session, team):
    for _ in range(audit.PAGE_SIZE + 5):
        audit.record(session, team["admin"].id, "person.read", team["supporter"])
    session.commit()
    login(team["admin"])
    first = client.get("/admin/audit").get_data(as_text=True)
    assert _rows(first) == audit.PAGE_SIZE and "Older" in first
    second = client.get("/admin/audit?page=2").get_data(as_text=True)
    assert _rows(second) >= 5 and "Newer" in second
    assert client.post("/login", data={"email": team["admin"].email, "password": PASSWORD}).status_code == 302
