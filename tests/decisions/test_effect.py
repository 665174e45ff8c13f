"""A decision's measured effect, against cohorts whose outcomes are known and figures worked out by hand."""
from __future__ import annotations

from datetime import timedelta

import pytest

from ecotool.clock import local_today
from ecotool.db import db
from ecotool.decisions import effect as measured
from ecotool.decisions.effect import FOLLOW_UP_DAYS
from ecotool.decisions.operations import change_status
from ecotool.services.operations import add_pathway, change_target_rule
from tests.test_stats import _newcombe_by_hand, _wilson_by_hand

TODAY = local_today()
START = TODAY - timedelta(days=150)  # a 90-day after window ends 61 days ago: every case followed up 42 days
# The first day of the before window and the last of the after window: both in, and the records begin on BEFORE.
BEFORE, AFTER = START - timedelta(days=90), START + timedelta(days=89)


def _known_effect(cohort):
    """Other women (quintile 4): engaged 30/100 before and 50/100 after, reached 50 then 60.
    Target women (quintile 1): engaged 20/100 both times, reached 50 both times."""
    for day, engaged, once, none in ((BEFORE, 30, 20, 50), (AFTER, 50, 10, 40)):
        cohort(day, engaged, quintile=4, reached=3)
        cohort(day, once, quintile=4, reached=1)
        cohort(day, none, quintile=4, reached=0)
    for day in (BEFORE, AFTER):
        cohort(day, 20, quintile=1, reached=3)
        cohort(day, 30, quintile=1, reached=1)
        cohort(day, 50, quintile=1, reached=0)


def test_a_known_effect_gives_the_difference_in_differences_worked_by_hand(make_decision, cohort, session):
    _known_effect(cohort)
    decision = make_decision(start_date=START, status="in effect")
    effect = measured.measure(session, decision, TODAY)

    assert effect.days == 90 and effect.judged
    assert effect.before == ((START - timedelta(days=90)).isoformat(), (START - timedelta(days=1)).isoformat())
    assert effect.after == (START.isoformat(), (START + timedelta(days=89)).isoformat())
    assert effect.cells == {
        "target": {"before": {"referred": 100, "reached": 50, "engaged": 20},
                   "after": {"referred": 100, "reached": 50, "engaged": 20}},
        "other": {"before": {"referred": 100, "reached": 50, "engaged": 30},
                  "after": {"referred": 100, "reached": 60, "engaged": 50}},
    }
    assert effect.cell("other", "after").interval("engaged") == pytest.approx(_wilson_by_hand(50, 100))

    # Each group's change, Newcombe's interval written out by hand.
    assert effect.changes["other"]["engaged"][0] == pytest.approx(0.20)
    assert effect.changes["other"]["engaged"][1] == pytest.approx(_newcombe_by_hand(50, 100, 30, 100)[1])
    assert effect.changes["target"]["engaged"][0] == pytest.approx(0.0)

    # Target minus other: -0.20. MOVER, by hand: the target change is 0 with Newcombe limits (lt, ut); the other
    # change 0.2 with (lo, uo); lower = -0.2 - sqrt((0 - lt)^2 + (uo - 0.2)^2), upper = -0.2 + sqrt(ut^2 + (0.2 - lo)^2).
    _, (lt, ut) = _newcombe_by_hand(20, 100, 20, 100)
    _, (lo, uo) = _newcombe_by_hand(50, 100, 30, 100)
    low = -0.2 - ((0 - lt) ** 2 + (uo - 0.2) ** 2) ** 0.5
    high = -0.2 + (ut ** 2 + (0.2 - lo) ** 2) ** 0.5
    difference, interval = effect.differences["engaged"]
    assert difference == pytest.approx(-0.20)
    assert interval == pytest.approx([low, high])
    assert interval == pytest.approx([-0.3678, -0.0246], abs=5e-5)  # the same figures as tests/test_stats.py
    assert effect.verdict == (
        "Engagement changed by 0 points for target women and by +20 points for other women: "
        "target women's change was 20 points smaller than other women's (95% interval 2 to 37 points smaller).")

    # Reach: other +10, target 0; the interval of -0.10 spans zero.
    assert effect.differences["reached"][0] == pytest.approx(-0.10)
    assert effect.differences["reached"][1][0] < 0 < effect.differences["reached"][1][1]
    assert effect.reach_verdict.startswith("No clear difference between the groups: Reach changed by 0 points for "
                                           "target women and by +10 points for other women. Target women's change "
                                           "minus other women's, −10 points (95% interval −")


def test_the_stored_effect_reads_back_the_same(make_decision, cohort, session):
    cohort(BEFORE, 12, quintile=1, reached=3)
    decision = make_decision(start_date=START)
    effect = measured.measure(session, decision, TODAY)
    assert measured.Effect.from_dict(effect.as_dict()) == effect


def test_too_few_cases_to_judge_names_the_smallest_cell(make_decision, cohort, session, team):
    for day in (BEFORE, AFTER):
        cohort(day, 12, quintile=4, reached=3)
        cohort(day, 12, quintile=1, reached=3)
    cohort(AFTER, 3, quintile=1, reached=0)
    team["service"].min_cell_count = 13
    decision = make_decision(start_date=START)
    effect = measured.measure(session, decision, TODAY)
    assert not effect.judged
    assert effect.verdict == ("Too few cases to judge: each group needs at least 13 women referred in each window, "
                              "and only 12 target women were referred before the start.")
    team["service"].min_cell_count = 12
    assert measured.measure(session, decision, TODAY).judged


def test_each_case_is_judged_over_the_same_follow_up(make_decision, cohort, session, team):
    """A woman whose third contact falls on day 42 after referral is engaged; on day 43, not; and the after
    window ends where cases have not yet had 42 days."""
    team["service"].min_cell_count = 1
    cohort(BEFORE, 1, quintile=4, reached=3, reached_days=[1, 2, FOLLOW_UP_DAYS])
    cohort(BEFORE, 1, quintile=4, reached=3, reached_days=[1, 2, FOLLOW_UP_DAYS + 1])
    cohort(AFTER, 1, quintile=1, reached=1, reached_days=[FOLLOW_UP_DAYS + 1])
    decision = make_decision(start_date=START)
    effect = measured.measure(session, decision, TODAY)
    assert effect.cells["other"]["before"] == {"referred": 2, "reached": 2, "engaged": 1}
    assert effect.cells["target"]["after"] == {"referred": 1, "reached": 0, "engaged": 0}

    recent = make_decision(start_date=TODAY - timedelta(days=60), title="Call in the evening")
    cut = measured.measure(session, recent, TODAY)
    # A woman referred on day r is followed up to the end of day r + 42: the last complete one is TODAY - 43.
    last_followed = TODAY - timedelta(days=FOLLOW_UP_DAYS + 1)
    assert cut.days == (last_followed - recent.start_date).days + 1 == 60 - 43 + 1
    assert cut.after[1] == last_followed.isoformat()
    assert any(f"not {recent.window_days}" in note and "have not yet had their 42 days" in note for note in cut.notes)


def test_a_start_in_the_future_or_too_recent_has_nothing_to_measure(make_decision, cohort, session):
    """A start in the future cannot be in effect yet (the lifecycle refuses it), so there is nothing to measure;
    nor for a proposal, nor for a decision stopped before it was put in effect."""
    cohort(BEFORE, 20, quintile=4, reached=3)
    future = make_decision(start_date=TODAY + timedelta(days=10), title="Evening calls")
    effect = measured.measure(session, future, TODAY)
    assert future.status == "agreed" and effect.days == 0 and effect.cells == {} and not effect.judged
    assert effect.verdict == "Not in effect yet: its effect is measured once it is marked in effect."
    proposal = make_decision(start_date=START, title="An idea", status="proposed")
    assert measured.measure(session, proposal, TODAY).verdict.startswith("Not in effect yet")

    recent = make_decision(start_date=TODAY - timedelta(days=5), title="Morning calls")
    assert measured.measure(session, recent, TODAY).verdict.startswith("Too early to judge: women referred from ")
    # Started 42 days ago: its first women's 42nd day is today, not yet over; they can be judged tomorrow.
    edge = make_decision(start_date=TODAY - timedelta(days=FOLLOW_UP_DAYS), title="Noon calls")
    tomorrow = TODAY + timedelta(days=1)
    assert measured.measure(session, edge, TODAY).verdict.endswith(
        f"the first of them can be judged on {tomorrow.day} {tomorrow:%b %Y}.")
    assert measured.measure(session, edge, tomorrow).days == 1


def test_no_cases_after_and_all_cases_in_one_group(make_decision, cohort, session):
    cohort(BEFORE, 30, quintile=4, reached=3)
    decision = make_decision(start_date=START)
    effect = measured.measure(session, decision, TODAY)
    assert effect.cells["other"]["after"]["referred"] == 0 and effect.cells["target"]["before"]["referred"] == 0
    assert effect.changes["other"]["engaged"] is None and effect.differences["engaged"] is None
    assert effect.verdict.startswith("Too few cases to judge") and "and no target women were referred" in effect.verdict

    cohort(AFTER, 30, quintile=4, reached=1)
    effect = measured.measure(session, decision, TODAY)
    assert effect.changes["other"]["engaged"][0] == pytest.approx(-1.0)   # one group's change is still shown
    assert effect.changes["target"]["engaged"] is None
    assert effect.verdict == ("Too few cases to judge: each group needs at least 10 women referred in each window, "
                              "and no target women were referred before the start.")


def test_a_decision_stopped_early_ends_its_after_window_at_the_stop(make_decision, cohort, session):
    cohort(BEFORE, 10, quintile=4, reached=3)
    cohort(START + timedelta(days=5), 10, quintile=4, reached=3)
    cohort(START + timedelta(days=40), 10, quintile=4, reached=3)  # referred after the stop: not counted
    decision = make_decision(start_date=START, status="in effect")
    decision.status, decision.stopped_on = "stopped", START + timedelta(days=30)
    db.session.commit()
    effect = measured.measure(session, decision, TODAY)
    assert effect.days == 30
    assert effect.after == (START.isoformat(), (START + timedelta(days=29)).isoformat())
    assert effect.cells["other"]["after"]["referred"] == 10
    assert any("it stopped on" in note for note in effect.notes)

    never = make_decision(start_date=START, title="Never began", status="agreed")
    never.status, never.stopped_on = "stopped", START
    db.session.commit()
    assert measured.measure(session, never, TODAY).verdict == (
        "It was stopped before it was put in effect: there is no effect to measure.")


def test_other_decisions_that_ran_during_the_windows_are_said(make_decision, cohort, session, team):
    """Measured on every case, any other decision that was put in effect and ran during the windows is named;
    measured on its pathway only, those on another pathway are not. Proposals, decisions agreed but never put in
    effect or stopped before, and those outside the windows never are."""
    service = team["service"]
    texts = add_pathway(db.session, None, service, "Text at 2-3 weeks")
    other = add_pathway(db.session, None, service, "Young mothers' pathway")
    db.session.commit()
    cohort(BEFORE, 1, quintile=4, reached=1, pathway=texts)
    decision = make_decision(start_date=START, pathway_id=texts.id)
    later = START + timedelta(days=20)
    make_decision(start_date=later, title="Same pathway", pathway_id=texts.id)
    make_decision(start_date=later, title="Whole service")
    make_decision(start_date=later, title="Other pathway", pathway_id=other.id)
    make_decision(start_date=later, title="Only agreed", status="agreed")
    make_decision(start_date=later, title="Only proposed", status="proposed", pathway_id=texts.id)
    dropped = make_decision(start_date=later, title="Not taken up", status="proposed")
    change_status(db.session, team["supervisor"].id, dropped, "stopped", "Not taken up.")
    make_decision(start_date=START + timedelta(days=120), title="After the windows", pathway_id=texts.id)
    ended = make_decision(start_date=START - timedelta(days=200), title="Ended before", pathway_id=texts.id)
    change_status(db.session, team["supervisor"].id, ended, "stopped", "Ended.", START - timedelta(days=100))
    db.session.commit()
    notes = " ".join(measured.measure(session, decision, TODAY).notes)
    assert "“Same pathway” (on Text at 2-3 weeks, from " in notes and "“Whole service” (across the service" in notes
    assert "“Other pathway”" in notes
    for title in ("Only agreed", "Only proposed", "Not taken up", "After the windows", "Ended before"):
        assert title not in notes

    decision.pathway_only = True
    db.session.commit()
    notes = " ".join(measured.measure(session, decision, TODAY).notes)
    assert "“Same pathway”" in notes and "“Whole service”" in notes and "“Other pathway”" not in notes


def test_a_target_rule_change_between_the_windows_is_said_and_each_case_keeps_the_rule_at_referral(
        make_decision, cohort, session, team):
    service = team["service"]
    # Quintile 2 women are "other" before the change and "target" after it.
    cohort(BEFORE, 15, quintile=2, reached=3)
    cohort(AFTER, 15, quintile=2, reached=0)
    change_target_rule(db.session, None, service, quintile_max=2, under_20=True, from_day=START)
    db.session.commit()
    decision = make_decision(start_date=START)
    effect = measured.measure(session, decision, TODAY)
    assert effect.cells["other"]["before"] == {"referred": 15, "reached": 15, "engaged": 15}
    assert effect.cells["target"]["after"] == {"referred": 15, "reached": 0, "engaged": 0}
    assert effect.cells["target"]["before"]["referred"] == 0 and effect.cells["other"]["after"]["referred"] == 0
    assert any(note.startswith("The service's target rule changed on ") and "from IMD quintile 1 or aged under 20 to "
               "IMD quintile 1 to 2 or aged under 20" in note for note in effect.notes)


def test_the_effect_can_be_measured_on_the_decisions_pathway_only(make_decision, cohort, session, team):
    service = team["service"]
    young = add_pathway(db.session, None, service, "Young mothers' pathway")
    db.session.commit()
    for day in (BEFORE, AFTER):
        cohort(day, 4, quintile=3, age_band="under 20", reached=3, pathway=young)
        cohort(day, 40, quintile=4, reached=3)
    decision = make_decision(start_date=START, pathway_id=young.id, pathway_only=True)
    effect = measured.measure(session, decision, TODAY)
    assert effect.scope == "cases on the pathway “Young mothers' pathway”"
    assert effect.cells["target"]["before"]["referred"] == 4 and effect.cells["other"]["before"]["referred"] == 0
    assert effect.verdict.startswith("Too few cases to judge")
