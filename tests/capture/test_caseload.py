"""The caseload: figures per case, filters, and the order that puts action first."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from ecotool.capture.queries import visible_cases
from ecotool.capture import queries


def _cases(team, make_case, make_attempt):
    """Worked out by hand for a threshold of 3 failures and engagement at 3 reached contacts:
    stuck:   quintile 1, three failures in a row                -> first (stuck)
    never:   quintile 4, age 25-29, no attempts, referred 20 days ago -> not reached (and quiet)
    engaged: quintile 5, three reached contacts last week      -> engaged, last
    quiet:   quintile 3, under 20, reached once 30 days ago     -> quiet for 14+ days
    """
    s, p = team["service"], team["supporter"]
    now = datetime.now()
    stuck = make_case(s, p, quintile=1)
    for days in (3, 2, 1):
        make_attempt(stuck, "no answer", at=now - timedelta(days=days))
    never = make_case(s, p, quintile=4, age_band="25-29", referral_date=date.today() - timedelta(days=20))
    engaged = make_case(s, p, quintile=5)
    for days in (7, 6, 5):
        make_attempt(engaged, "reached", at=now - timedelta(days=days))
    quiet = make_case(s, p, quintile=3, age_band="under 20", referral_date=date.today() - timedelta(days=40))
    make_attempt(quiet, "reached", at=now - timedelta(days=30))
    other = make_case(s, team["other_supporter"], quintile=1)
    return stuck, never, engaged, quiet, other


def _load(session, person, **filters):
    rows, total = queries.caseload(session, visible_cases(person), **filters)
    assert total == len(rows)
    return rows


def test_figures_and_order(session, team, make_case, make_attempt):
    stuck, never, engaged, quiet, _ = _cases(team, make_case, make_attempt)
    rows = _load(session, team["supporter"])
    assert [r.case.id for r in rows] == [stuck.id, never.id, quiet.id, engaged.id]
    by_id = {r.case.id: r for r in rows}
    assert (by_id[stuck.id].failed_in_a_row, by_id[stuck.id].stuck, by_id[stuck.id].last_outcome) == (3, True, "no answer")
    assert (by_id[engaged.id].reached_contacts, by_id[engaged.id].engaged) == (3, True)
    assert (by_id[quiet.id].reached, by_id[quiet.id].engaged, by_id[quiet.id].target) == (True, False, True)
    assert by_id[never.id].attempts == 0 and by_id[never.id].last_at is None and not by_id[never.id].target


def test_filters(session, team, make_case, make_attempt):
    stuck, never, engaged, quiet, _ = _cases(team, make_case, make_attempt)
    ids = lambda rows: {r.case.id for r in rows}  # noqa: E731
    # Target rule: quintile 1 or under 20.
    assert ids(_load(session, team["supporter"], target_only=True)) == {stuck.id, quiet.id}
    assert ids(_load(session, team["supporter"], not_reached=True)) == {stuck.id, never.id}
    # Quiet: last contact (or referral, if none) 14+ days ago.
    assert ids(_load(session, team["supporter"], quiet=True)) == {never.id, quiet.id}


def test_supervisor_sees_each_supervisee(session, team, make_case, make_attempt, client, login):
    *mine, other = _cases(team, make_case, make_attempt)
    assert len(_load(session, team["supervisor"])) == 5
    only_other = _load(session, team["supervisor"], supporter_id=team["other_supporter"].id)
    assert [r.case.id for r in only_other] == [other.id]
    login(team["supervisor"])
    html = client.get(f"/cases?supporter={team['other_supporter'].id}").get_data(as_text=True)
    assert other.reference in html and mine[0].reference not in html


def test_caseload_page_shows_figures(client, login, team, make_case, make_attempt):
    stuck, never, engaged, quiet, other = _cases(team, make_case, make_attempt)
    login(team["supporter"])
    html = client.get("/cases").get_data(as_text=True)
    assert html.index(stuck.reference) < html.index(never.reference) < html.index(engaged.reference)
    assert "3 failed in a row" in html and "Engaged" in html and "Not yet reached" in html
    assert other.reference not in html
    html = client.get("/cases?target=y").get_data(as_text=True)
    assert stuck.reference in html and never.reference not in html


def test_a_long_caseload_comes_a_page_at_a_time(client, login, team, make_case):
    for _ in range(45):
        make_case(team["service"], team["supporter"])
    login(team["supporter"])
    first = client.get("/cases?target=y").get_data(as_text=True)
    assert "45 open cases" in first and first.count('<li class="card') == 40 and "Page 1 of 2" in first
    assert "page=2" in first and "target=y" in first
    second = client.get("/cases?target=y&page=2").get_data(as_text=True)
    assert second.count('<li class="card') == 5 and "Previous" in second


def test_postponed_and_declined_end_a_run_of_failures(session, team, make_case, make_attempt):
    case = make_case(team["service"], team["supporter"])
    now = datetime.now()
    for days, outcome in ((6, "no answer"), (5, "no answer"), (4, "declined"), (3, "no answer"), (2, "postponed")):
        make_attempt(case, outcome, at=now - timedelta(days=days))
    row = queries.case_row(session, case)
    # Worked out by hand: the last attempt (postponed) got through, so no failures in a row; never "reached".
    assert (row.attempts, row.failed_in_a_row, row.reached_contacts, row.stuck) == (5, 0, 0, False)
    make_attempt(case, "wrong number", at=now - timedelta(days=1))
    assert queries.case_row(session, case).failed_in_a_row == 1
