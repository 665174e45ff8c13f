"""Caseload figures and the prompts they trigger, checked against values worked out by hand."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from ecotool.supervision import indicators, prompts, queries


def _setup(team, make_case, make_attempt):
    """Four cases for one supporter:
    A: quintile 1 (target), reached once after one failure.
    B: quintile 1 (target), three failures (no answer, someone else answered x2), never reached.
    C: quintile 4, under 20 (target by age), language support yes, never contacted.
    D: quintile 5, reached.
    """
    s, p = team["service"], team["supporter"]
    now = datetime.now()
    a = make_case(s, p, quintile=1)
    make_attempt(a, "no answer", at=now - timedelta(days=5))
    make_attempt(a, "reached", at=now - timedelta(days=4))
    b = make_case(s, p, quintile=1)
    make_attempt(b, "no answer", at=now - timedelta(days=6))
    make_attempt(b, "someone else answered", at=now - timedelta(days=5))
    make_attempt(b, "someone else answered", at=now - timedelta(days=3))
    make_case(s, p, quintile=4, age_band="under 20", language="yes")
    d = make_case(s, p, quintile=5)
    make_attempt(d, "reached", at=now - timedelta(days=2))
    # Another supporter's case must not count.
    other = make_case(s, team["other_supporter"], quintile=1)
    make_attempt(other, "no answer", at=now - timedelta(days=1))


def test_figures_for_one_supervisee(session, team, make_case, make_attempt):
    _setup(team, make_case, make_attempt)
    figures = indicators.compute(session, team["service"], [team["supporter"].id],
                                 date.today() - timedelta(days=28), date.today())
    # 4 cases, 2 unreached (B, C) -> 50%; 6 attempts of which 4 failed; B has 3 failures in a row (>= 3);
    # targets A, B, C with B and C unreached -> 2/3; 2 "someone else answered"; 1 of 4 needs language support.
    assert (figures["open_cases"].value, figures["unreached_share"].count, figures["unreached_share"].total) == (4, 2, 4)
    assert figures["unreached_share"].value == 0.5
    assert (figures["failed_attempt_share"].count, figures["failed_attempt_share"].total) == (4, 6)
    assert figures["repeated_failure_cases"].value == 1
    assert (figures["target_unreached_share"].count, figures["target_unreached_share"].total) == (2, 3)
    assert figures["someone_else_answered"].value == 2
    assert (figures["language_support_share"].count, figures["language_support_share"].total) == (1, 4)
    assert figures["barrier_observations"].value == 0
    assert figures["unreached_share"].text() == "50%"


def test_triggers_fire_on_the_figures_and_fill_their_placeholders(session, team, make_case, make_attempt, framework):
    _setup(team, make_case, make_attempt)
    figures = indicators.compute(session, team["service"], [team["supporter"].id],
                                 date.today() - timedelta(days=28), date.today())
    drafts = prompts.build(framework, figures, [])
    fired = [d for d in drafts if d.origin == "trigger"]
    by_indicator = {d.figures["indicator"]: d for d in fired}
    # The shipped file asks about reach when a quarter or more are unreached: 50% must fire.
    assert "unreached_share" in by_indicator
    unreached = by_indicator["unreached_share"]
    assert unreached.figures["count"] == 2 and unreached.figures["total"] == 4
    assert "{" not in unreached.text and "}" not in unreached.text
    assert {d.domain.level for d in drafts} == {"macro", "meso", "micro"}


def test_fill_is_plain_substitution():
    figure = indicators.Figure(0.25, 1, 4)
    assert prompts.fill("{value} of cases ({count} of {total}); {__class__} stays", figure) == \
        "25% of cases (1 of 4); {__class__} stays"


def test_empty_caseload_triggers_no_share_prompt(session, team, framework):
    figures = indicators.compute(session, team["service"], [team["supporter"].id],
                                 date.today() - timedelta(days=28), date.today())
    drafts = prompts.build(framework, figures, [])
    shares = {"unreached_share", "failed_attempt_share", "target_unreached_share", "language_support_share"}
    assert not [d for d in drafts if d.origin == "trigger" and d.figures["indicator"] in shares]


def test_barriers_count_in_the_period_they_were_observed_not_saved(session, team, make_case, make_observation,
                                                                   framework):
    """All saved today. Three months ago: a transport barrier on the old period's first day and a
    contactability barrier on its last, an enabler, and another supporter's barrier. Today: one
    household barrier. The old period [-91, -62] has 2 barriers, the last 4 weeks [-27, 0] has 1."""
    s, p, other = team["service"], team["supporter"], team["other_supporter"]
    today = date.today()
    old_start, old_end = today - timedelta(days=91), today - timedelta(days=62)
    case = make_case(s, p, referral_date=today - timedelta(days=120))
    make_observation(s, p, case=case, domain="micro.transport-and-distance", observed_on=old_start)
    make_observation(s, p, case=case, observed_on=old_end)
    make_observation(s, p, case=case, kind="enabler", domain="micro.family-feeding-attitudes",
                     observed_on=old_start, text="Her mother is keen to help.")
    make_observation(s, other, case=make_case(s, other, referral_date=today - timedelta(days=120)),
                     observed_on=old_start)
    make_observation(s, p, case=case, domain="micro.household-gatekeeping")
    domains = {d.code: d.id for d in framework.domains}

    def barriers(start, end):
        return (indicators.compute(session, s, [p.id], start, end)["barrier_observations"].value,
                dict(queries.barrier_domains(session, s.id, [p.id], framework.id, start, end)))

    assert barriers(old_start, old_end) == (
        2, {domains["micro.transport-and-distance"]: 1, domains["micro.contactability"]: 1})
    assert barriers(today - timedelta(days=27), today) == (1, {domains["micro.household-gatekeeping"]: 1})
    # The days just outside the old period hold none of them.
    assert barriers(old_start - timedelta(days=10), old_start - timedelta(days=1)) == (0, {})
    assert barriers(old_end + timedelta(days=1), today - timedelta(days=28)) == (0, {})
