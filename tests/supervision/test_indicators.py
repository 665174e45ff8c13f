"""Every supervision indicator, checked against figures worked out by hand (the caseload is in conftest.py)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from ecotool.clock import format_day
from ecotool.supervision import indicators, prompts
from ecotool.supervision.indicators import Holder
from tests.supervision.conftest import E, S, noon


def _figures(session, caseload, ids="p", holder=Holder()):
    supporter_ids = None if ids is None else [caseload[ids].id]
    return indicators.compute(session, caseload["service"], supporter_ids, S, E, holder)


def test_every_indicator_for_one_supervisee(session, caseload):
    f = _figures(session, caseload)
    got = {str(k): (v.count, v.total) for k, v in f.items()}
    assert got == {
        "open_cases": (7, None),  # A B C D I J L (G closed in the period)
        "target_share": (6, 8),  # A B C I J L of the 8 held
        "unreached_share": (3, 8),  # B C I
        "target_unreached_share": (3, 6),
        "repeated_failure_cases": (1, 7),  # B, of the 7 open at the end
        "someone_else_answered": (1, 11),  # of the 11 attempts in the period
        "declined_cases": (1, 8),  # D
        "quiet_cases": (5, 7),  # B C I J L: no attempt since E-14 (A and D tried on S+20)
        "target_reached_share": (3, 6),  # A J L
        "target_engaged_share": (2, 6),  # A J
        "other_reached_share": (2, 2),  # D G
        "other_engaged_share": (0, 2),
        "reached_share": (5, 8),
        "engaged_share": (2, 8),
        "failed_attempt_share": (4, 11),  # B x3, G x1
        "failed_per_reached_case": (4, 5),  # 4 failed, 5 cases reached in the period (A D G J L)
        "language_support_share": (1, 8),  # C
        "early_gap_share": (3, 4),  # first 14 days ended in the period: B C I L; L was reached in them
        "macro_observations": (1, None),
        "meso_observations": (1, None),
        "micro_observations": (5, None),  # 4 contactability barriers and the enabler
        "barrier_observations": (6, None),
        "recurring_barrier_domains": (1, None),  # contactability in A, B and C
    }
    assert f["failed_per_reached_case"].value == pytest.approx(0.8)
    assert f["failed_per_reached_case"].text() == "0.8 for each case reached"
    assert f["unreached_share"].text() == "38%"


def test_the_whole_service_counts_every_supporter(session, caseload):
    f = _figures(session, caseload, ids=None, holder=indicators.SERVICE)
    assert (f["unreached_share"].count, f["unreached_share"].total) == (4, 9)  # K joins, never reached
    assert f["barrier_observations"].count == 8  # q's note about the service and K's barrier join
    assert f["recurring_barrier_domains"].count == 1
    assert f["unreached_share"].of() == f"of the 9 cases the service held from {format_day(S)} to {format_day(E)}"


def test_each_figure_names_its_population_and_one_population_has_one_total(session, caseload):
    f = _figures(session, caseload)
    period = f"from {format_day(S)} to {format_day(E)}"
    assert f["unreached_share"].of() == f"of the 8 cases you held {period}"
    assert f["repeated_failure_cases"].of() == f"of the 7 cases you had open on {format_day(E)}"
    assert f["open_cases"].of() == f"cases you had open on {format_day(E)}"
    assert f["someone_else_answered"].of() == f"of the 11 contact attempts made on your cases {period}"
    assert f["failed_per_reached_case"].of() == f"over the 5 cases reached by you {period}"
    assert f["early_gap_share"].of() == (f"of the 4 target cases you held whose first 14 days after referral "
                                         f"ended {period}")
    sizes = indicators.sizes(f)
    assert sizes == {"held": 8, "open": 7, "target": 6, "other": 2, "attempts": 11, "reached": 5, "first_days": 4}
    for figure in f.values():
        if figure.total is not None:
            assert figure.total == sizes[figure.population_key], figure.indicator
    named = _figures(session, caseload, holder=Holder.named("Amina"))
    assert named["unreached_share"].of() == f"of the 8 cases Amina held {period}"


def test_a_contact_after_the_period_changes_nothing_in_it(session, caseload, make_attempt):
    before = {k: (v.count, v.total) for k, v in _figures(session, caseload).items()}
    make_attempt(caseload["cases"]["B"], "reached", at=noon(E + timedelta(days=1)))
    after = {k: (v.count, v.total) for k, v in _figures(session, caseload).items()}
    assert after == before


def test_barriers_behind_a_domain_name_their_cases_and_count_times(session, caseload):
    rows = indicators.barrier_rows(session, caseload["service"], [caseload["p"].id], S, E)
    found = {b.code: b for b in prompts.BarrierDomain.from_rows(rows)}
    contact = found["micro.contactability"]
    refs = sorted(caseload["cases"][x].reference for x in "ABC")
    assert [c["reference"] for c in contact.as_dict()["cases"]] == refs
    assert contact.summary() == "Recorded as a barrier 4 times in the period, in 3 cases (3 of them target cases)"
    assert found["meso.groups-and-venues"].summary() == "Recorded as a barrier 1 time in the period, in 1 case (0 of them target cases)"
    assert found["macro.funding-levels"].summary() == "Recorded as a barrier 1 time in the period; 1 about the service as a whole"
    assert list(found) == ["micro.contactability", "meso.groups-and-venues", "macro.funding-levels"]
    assert indicators.recurring_codes(rows) == ["micro.contactability"]


def test_failed_attempts_with_no_case_reached_are_the_heaviest_load_not_a_silence():
    none_reached = indicators.Figure("failed_per_reached_case", 17, 0, "cases reached by Jo", indicators.RATIO)
    assert none_reached.value == 17 and none_reached.text() == "no case reached"
    assert none_reached.of() == "with no cases reached by Jo"
    assert none_reached.summary() == "17 failed, no case reached"
    nothing = indicators.Figure("failed_per_reached_case", 0, 0, "cases reached by Jo", indicators.RATIO)
    assert nothing.value is None
    share_of_nothing = indicators.Figure("unreached_share", 0, 0, "cases Jo held", indicators.SHARE)
    assert share_of_nothing.value is None


def test_fill_is_plain_substitution():
    figure = indicators.Figure("unreached_share", 1, 4, "cases you held", indicators.SHARE)
    assert prompts.fill("{value}: {count} {of}; {times}; {__class__} stays", figure) == \
        "25%: 1 of the 4 cases you held; 1 time; {__class__} stays"
    assert indicators.times(2) == "2 times" and indicators.times(1) == "1 time"


def _last_spring_forward(before: date) -> date:
    """The latest day before `before` on which the clocks went forward where the service is."""
    from ecotool.clock import zone

    day = before
    while True:
        day -= timedelta(days=1)
        earlier = datetime.combine(day - timedelta(days=1), time(12), zone()).utcoffset()
        if datetime.combine(day, time(12), zone()).utcoffset() > earlier:
            return day


def test_quiet_counts_local_days_across_a_change_of_the_clocks(session, make_service, make_person, make_case,
                                                               make_attempt):
    """The period ends 4 days after the clocks went forward; a case last tried at 23:30 on the day 14 days
    before the end has had no contact for 14 days, one tried at 00:30 the next day has not."""
    from ecotool.clock import to_utc

    end = _last_spring_forward(date.today()) + timedelta(days=4)
    service = make_service("dst", "Clock change service")
    supporter = make_person("peer_supporter", service, make_person("supervisor", service))
    late = make_case(service, supporter, referral_date=end - timedelta(days=30))
    early = make_case(service, supporter, referral_date=end - timedelta(days=30))
    make_attempt(late, "no answer", at=to_utc(datetime.combine(end - timedelta(days=14), time(23, 30))))
    make_attempt(early, "no answer", at=to_utc(datetime.combine(end - timedelta(days=13), time(0, 30))))
    figure = indicators.compute(session, service, [supporter.id], end - timedelta(days=28), end)["quiet_cases"]
    assert (figure.count, figure.total) == (1, 2)
