"""Each case definition means the same in the caseload, the supervision indicators and the brief.

A small service is built by hand; every figure below is worked out from the list of cases, not
from the code. The service sets its own thresholds (engaged at 2 reached contacts, stuck at 2
failures in a row) so a consumer that used the default of 3 would be caught.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from ecotool.capture import definitions, queries
from ecotool.capture.importing import ImportFailed, import_cases
from ecotool.capture.models import Case
from ecotool.capture.operations import update_case
from ecotool.errors import OperationError
from ecotool.reports import brief
from ecotool.supervision import indicators
from ecotool.supervision import queries as supervision_queries
from ecotool.vocab import Indicator

START = date.today() - timedelta(days=60)

# reference: (quintile, age band, outcomes in time order)
CASES = {
    "A": (1, "20-24", ["reached", "reached"]),                      # target (q1); engaged (2 >= 2)
    "B": (1, "25-29", ["no answer", "message left"]),               # target; never reached; 2 failures: stuck
    "C": (3, "under 20", ["reached", "no answer"]),                 # target (under 20); reached, not engaged; 1 failure
    "D": (5, "25-29", ["reached", "reached", "reached"]),           # other; engaged
    "E": (2, "30-34", []),                                          # other; never contacted
    "F": (None, "35+", ["someone else answered", "declined", "no answer"]),  # other; declined ends the run: 1 failure
}
EXPECTED = {  # reference: (target, reached contacts, reached, engaged, failed in a row, stuck)
    "A": (True, 2, True, True, 0, False),
    "B": (True, 0, False, False, 2, True),
    "C": (True, 1, True, False, 1, False),
    "D": (False, 3, True, True, 0, False),
    "E": (False, 0, False, False, 0, False),
    "F": (False, 0, False, False, 1, False),
}


@pytest.fixture
def service_by_hand(session, team, make_case, make_attempt):
    service = team["service"]
    service.target_quintile_max, service.target_under_20 = 1, True
    service.engaged_threshold, service.failed_attempt_threshold = 2, 2
    session.commit()
    cases = {}
    first = datetime.now() - timedelta(days=20)
    for ref, (quintile, age_band, outcomes) in CASES.items():
        case = make_case(service, team["supporter"], quintile=quintile, age_band=age_band,
                         referral_date=START + timedelta(days=1), reference=f"NO-{ref}")
        for k, outcome in enumerate(outcomes):
            make_attempt(case, outcome, at=first + timedelta(days=k))
        cases[ref] = case
    return cases


def test_the_caseload_shows_each_definition_per_case(session, team, service_by_hand):
    rows, total = queries.caseload(session, queries.visible_cases(team["supporter"]))
    assert total == 6
    got = {r.case.reference[-1]: (r.target, r.reached_contacts, r.reached, r.engaged, r.failed_in_a_row, r.stuck)
           for r in rows}
    assert got == EXPECTED
    refs = lambda rows: {r.case.reference[-1] for r in rows[0]}  # noqa: E731
    assert refs(queries.caseload(session, queries.visible_cases(team["supporter"]), target_only=True)) == {"A", "B", "C"}
    assert refs(queries.caseload(session, queries.visible_cases(team["supporter"]), not_reached=True)) == {"B", "E", "F"}
    assert queries.case_row(session, service_by_hand["B"]).stuck


def test_the_indicators_count_the_same_cases(session, team, service_by_hand):
    figures = indicators.compute(session, team["service"], [team["supporter"].id], START, date.today())
    pair = lambda name: (figures[name].count, figures[name].total)  # noqa: E731
    assert figures[Indicator.OPEN_CASES].value == 6
    assert pair(Indicator.TARGET_SHARE) == (3, 6)             # A, B, C
    assert pair(Indicator.REACHED_SHARE) == (3, 6)            # A, C, D
    assert pair(Indicator.UNREACHED_SHARE) == (3, 6)          # B, E, F
    assert pair(Indicator.ENGAGED_SHARE) == (2, 6)            # A, D
    assert pair(Indicator.TARGET_UNREACHED_SHARE) == (1, 3)   # B
    assert figures[Indicator.REPEATED_FAILURE_CASES].value == 1  # B


def test_the_brief_counts_the_same_cases(session, team, service_by_hand):
    rows = brief.assemble(session, team["service"], START, date.today())["raw"]["rows"]
    raw = {"rows": {name: {k: row[k] for k in brief.FIGURES} for name, row in rows.items()}}  # women, not attempts
    assert raw["rows"]["all"] == {"referred": 6, "reached": 3, "engaged": 2}
    assert raw["rows"]["target"] == {"referred": 3, "reached": 2, "engaged": 1}  # A, C reached; A engaged
    assert raw["rows"]["other"] == {"referred": 3, "reached": 1, "engaged": 1}   # D reached and engaged
    assert raw["rows"]["1"] == {"referred": 2, "reached": 1, "engaged": 1}       # A, B
    assert raw["rows"]["unknown"] == {"referred": 1, "reached": 0, "engaged": 0}  # F


def test_every_consumer_counts_as_at_the_end_of_a_past_period(session, team, service_by_hand, make_attempt):
    """A contact after the period changes nothing for that period, in the indicators or the brief."""
    end = date.today() - timedelta(days=1)
    # Today, after the period: five minutes ago, or midnight when that would fall on yesterday.
    make_attempt(service_by_hand["E"], "reached",
                 at=max(datetime.now() - timedelta(minutes=5), datetime.combine(date.today(), time())))
    figures = indicators.compute(session, team["service"], [team["supporter"].id], START, end)
    assert (figures[Indicator.UNREACHED_SHARE].count, figures[Indicator.REACHED_SHARE].count) == (3, 3)
    assert brief.assemble(session, team["service"], START, end)["raw"]["rows"]["all"]["reached"] == 3
    # Today it counts.
    figures = indicators.compute(session, team["service"], [team["supporter"].id], START, date.today())
    assert figures[Indicator.REACHED_SHARE].count == 4


def test_the_target_rule_is_each_services_own(session, team, make_service, make_person, make_case):
    """The same case values are target in one service and not in another."""
    south = make_service("south", "South service", target_quintile_max=2, target_under_20=False)
    supporter = make_person("peer_supporter", south)
    q2 = make_case(south, supporter, quintile=2, age_band="25-29")
    young = make_case(south, supporter, quintile=4, age_band="under 20")
    north_q2 = make_case(team["service"], team["supporter"], quintile=2, age_band="25-29")
    target = {c.id for c in session.scalars(queries.visible_cases(supporter).where(definitions.target()))}
    assert target == {q2.id}
    assert young.id not in target
    assert session.scalar(queries.visible_cases(team["supporter"]).where(definitions.target(), Case.id == north_q2.id)) is None


def test_active_supporters_mean_the_same_to_hand_over_supervision_and_import(
        session, team, make_person, make_service, make_case):
    """Active peer supporters of a service: not an inactive one, not another service's, not a supervisor."""
    service, supervisor = team["service"], team["supervisor"]
    resting = make_person("peer_supporter", service, supervisor)
    resting.active = False
    south = make_service("south", "South service")
    # A supervisor is only ever linked to supporters of her own service, so the other service has its own.
    elsewhere = make_person("peer_supporter", south, make_person("supervisor", south))
    session.commit()
    active = {team["supporter"].id, team["other_supporter"].id}
    assert {p.id for p in queries.supporters(session, service.id)} == active
    assert {p.id for p in supervision_queries.supervisees(session, supervisor, service.id)} == active
    case = make_case(service, team["supporter"])
    for person in (resting, elsewhere, supervisor):
        csv = ("ref,referral_date,imd_quintile,age_band,pathway,first_time,language_support,supporter_email\n"
               f"NO-X1,{date.today().isoformat()},1,20-24,{service.pathways[0].name},yes,no,{person.email}\n")
        with pytest.raises(ImportFailed) as failed:
            import_cases(session, None, service, csv)
        assert [e.column for e in failed.value.errors] == ["supporter_email"]
        with pytest.raises(OperationError) as error:
            update_case(session, supervisor.id, case, journey_stage="antenatal", supporter_id=person.id)
        assert error.value.field == "supporter_id"
    update_case(session, supervisor.id, case, journey_stage="antenatal", supporter_id=team["other_supporter"].id)
    assert case.supporter_id == team["other_supporter"].id


def test_a_case_is_target_by_the_rule_in_force_at_her_referral(session, team, make_case):
    """Quintile 2 was not target until the rule changed 30 days ago; the caseload (Service joined) and the
    indicators (Service looked up) agree case by case, and an earlier rule kept from the start covers old cases."""
    from ecotool.services.operations import change_target_rule

    service = team["service"]
    today = date.today()
    make_case(service, team["supporter"], quintile=2, referral_date=today - timedelta(days=40), reference="NO-OLD")
    make_case(service, team["supporter"], quintile=2, referral_date=today - timedelta(days=30), reference="NO-NEW")
    make_case(service, team["supporter"], quintile=5, age_band="under 20",
                      referral_date=today - timedelta(days=20), reference="NO-YNG")
    change_target_rule(session, None, service, quintile_max=2, under_20=False, from_day=today - timedelta(days=30))
    session.commit()
    rows, _ = queries.caseload(session, queries.visible_cases(team["supporter"]))
    assert {r.case.reference: r.target for r in rows} == {"NO-OLD": False, "NO-NEW": True, "NO-YNG": False}
    figures = indicators.compute(session, service, [team["supporter"].id], today - timedelta(days=60), today)
    assert (figures[Indicator.TARGET_SHARE].count, figures[Indicator.TARGET_SHARE].total) == (1, 3)
