"""The brief beside the previous period, its context section (distinct women, service notes as they are,
quotes that pass the guard again) and its cover, each worked out by hand."""
from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta

from pypdf import PdfReader
from sqlalchemy import update

from ecotool.capture.models import Observation
from ecotool.reports import brief as briefs
from ecotool.reports.models import Brief
from ecotool.reports.operations import generate_brief

END = date.today() - timedelta(days=1)
START = END - timedelta(days=89)
BEFORE = START - timedelta(days=90)


def test_the_previous_period_is_the_same_length_and_ends_the_day_before():
    # A quarter of 91 days is set beside the 91 days before it, not the calendar quarter of 90.
    assert briefs.previous_period(date(2026, 4, 1), date(2026, 6, 30)) == (date(2025, 12, 31), date(2026, 3, 31))
    assert briefs.previous_period(date(2026, 3, 1), date(2026, 3, 1)) == (date(2026, 2, 28), date(2026, 2, 28))


def test_every_row_has_the_previous_period_beside_it_and_the_change_from_published_rates(session, team, cohort):
    """Now: 40 women, 30 engaged (3 reached contacts), 10 never reached. Before: 40 women, 10 engaged, 30 never
    reached. All counts are multiples of 5 and above 7, so NHS Digital's rule shows them as they are. Engaged
    75% now against 25% before: +50 points. Newcombe's interval for 30/40 - 10/40, worked from the Wilson limits
    (30/40: 0.5980 to 0.8581; 10/40: 0.1419 to 0.4020): 0.5 - sqrt(0.152^2 + 0.152^2) = 0.285 and
    0.5 + sqrt(0.1081^2 + 0.1081^2) = 0.653, so the rate rose (+29 to +65 points)."""
    cohort(START + timedelta(days=3), 30, quintile=1, reached=3)
    cohort(START + timedelta(days=3), 10, quintile=1, reached=0)
    cohort(BEFORE + timedelta(days=3), 10, quintile=1, reached=3)
    cohort(BEFORE + timedelta(days=3), 30, quintile=1, reached=0)
    data = briefs.assemble(session, team["service"], START, END)
    assert data["previous_period"] == {"start": BEFORE.isoformat(), "end": (START - timedelta(days=1)).isoformat()}
    q1 = data["by_quintile"][0]
    assert (q1["referred"], q1["engaged"], q1["engaged_rate"]) == ("40", "30", "75%")
    assert (q1["prev"]["referred"], q1["prev"]["engaged"], q1["prev"]["engaged_rate"]) == ("40", "10", "25%")
    assert (q1["engaged_change"], q1["reached_change"]) == ("+50", "+50")
    # Effort before: 30 of 40 never reached = 75%; 30 failed attempts over 10 women reached = 3.0.
    assert (q1["prev"]["never_reached_share"], q1["prev"]["failed_per_reached"]) == ("75%", "3.0")
    assert data["by_quintile"][1]["engaged_change"] == "—"  # no women in quintile 2 in either period
    assert data["summary"][2] == ("The share of women engaged rose (75% against 25% in the previous 90 days; "
                                  "difference +50 points, 95% interval +29 to +65 points).")


def test_no_clear_change_is_said_when_the_interval_takes_in_none(session, team, cohort):
    """25 of 50 engaged now, 20 of 50 before (50% against 40%, +10 points; all multiples of 5, so NHS Digital's
    rule shows them as they are). Wilson limits: 25/50 0.3664 to 0.6336, 20/50 0.2761 to 0.5382; Newcombe:
    0.1 - sqrt(0.1336^2 + 0.1382^2) = -0.092 and 0.1 + sqrt(0.1336^2 + 0.1239^2) = 0.282, so the interval takes in
    no change and none is claimed."""
    cohort(START + timedelta(days=3), 25, quintile=2, reached=3)
    cohort(START + timedelta(days=3), 25, quintile=2, reached=0)
    cohort(BEFORE + timedelta(days=3), 20, quintile=2, reached=3)
    cohort(BEFORE + timedelta(days=3), 30, quintile=2, reached=0)
    sentence = briefs.assemble(session, team["service"], START, END)["summary"][2]
    assert sentence == ("The share of women engaged shows no clear change (50% against 40% in the previous 90 days; "
                        "difference +10 points, 95% interval −9 to +28 points).")


def _observations(team, make_case, make_observation):
    """Now: micro 'who answers the phone' barriers on 9 different women (one of them twice), a micro enabler
    on 2 women, 3 service-level meso barriers, and a context note. Before: the micro barrier on 8 women."""
    s, p = team["service"], team["supporter"]
    cases = [make_case(s, p, referral_date=BEFORE) for _ in range(9)]
    day = START + timedelta(days=10)
    for case in cases:
        make_observation(s, p, case=case, domain="micro.household-gatekeeping", observed_on=day)
    make_observation(s, p, case=cases[0], domain="micro.household-gatekeeping", observed_on=day + timedelta(days=1))
    for case in cases[:2]:
        make_observation(s, p, case=case, domain="micro.contactability", kind="enabler", observed_on=day,
                         text="A text the day before the call works well.")
    for week in range(3):
        make_observation(s, team["supervisor"], domain="meso.hospital-environment", observed_on=day,
                         source="team meeting", text=f"Ward visits stopped again, week {week + 1}.")
    make_observation(s, p, case=cases[1], domain="micro.money-food-housing", kind="context", observed_on=day,
                     text="Money is tight this month.")
    for case in cases[:8]:
        make_observation(s, p, case=case, domain="micro.household-gatekeeping",
                         observed_on=BEFORE + timedelta(days=5))
    return cases


def test_context_counts_distinct_women_under_the_rule_and_service_notes_as_they_are(
        session, team, make_case, make_observation):
    """Micro barriers: 9 different women now (10 observations), 8 before: NHS Digital's rule shows 10 and 10
    (9 and 8 round to 10), change 0. The micro enabler's 2 women are hidden, the 3 service-level meso barriers
    are shown as 3 (observations about the service count no one), against 0 before (+3). The context note is in
    no count."""
    _observations(team, make_case, make_observation)
    context = briefs.assemble(session, team["service"], START, END)["context"]
    levels = {row["level"]: row for row in context["by_level"]}
    assert levels["micro"]["barrier"] == {"cases": "10", "cases_before": "10", "cases_change": "0",
                                          "service": "0", "service_before": "0", "service_change": "0"}
    assert levels["micro"]["enabler"]["cases"] == "*" and levels["micro"]["enabler"]["cases_change"] == "—"
    assert levels["meso"]["barrier"] == {"cases": "0", "cases_before": "0", "cases_change": "0",
                                         "service": "3", "service_before": "0", "service_change": "+3"}
    domains = {row["code"]: row for row in context["by_domain"]}
    assert set(domains) == {"micro.household-gatekeeping", "micro.contactability", "meso.hospital-environment"}
    assert domains["micro.household-gatekeeping"]["barrier"]["cases"] == "10"
    raw = briefs.assemble(session, team["service"], START, END)["raw"]["context"]
    assert raw["by_level"]["micro.barrier"] == {"cases": 9, "service": 0}  # distinct women, not 10 observations


def test_the_threshold_rule_shows_exact_counts_of_women_above_it(session, team, make_case, make_observation):
    team["service"].disclosure_rule = "threshold"
    session.commit()
    _observations(team, make_case, make_observation)
    levels = {row["level"]: row for row in briefs.assemble(session, team["service"], START, END)["context"]["by_level"]}
    assert (levels["micro"]["barrier"]["cases"], levels["micro"]["barrier"]["cases_before"]) == ("9", "8")
    assert levels["micro"]["barrier"]["cases_change"] == "+1"
    assert levels["micro"]["enabler"]["cases"] == "*"  # 2 women: at or under the threshold of 4


def test_quotes_come_only_from_shareable_observations_that_pass_the_guard_again(
        session, team, make_case, make_observation):
    """Three shareable micro barriers, newest first: one whose text was changed behind the app's back to carry
    a phone number, one naming a woman, and a clean one. A fourth clean one is not shareable. Only the clean
    shareable one is quoted, with its domain and level and nothing else."""
    s, p = team["service"], team["supporter"]
    case = make_case(s, p, referral_date=BEFORE)
    day = START + timedelta(days=20)
    make_observation(s, p, case=case, domain="micro.household-gatekeeping", observed_on=day, shareable=True,
                     text="Her partner takes the phone and says she is asleep.")
    named = make_observation(s, p, case=case, domain="micro.household-gatekeeping", observed_on=day + timedelta(days=1),
                             shareable=True, text="Her partner says she is asleep again.")
    phoned = make_observation(s, p, case=case, domain="micro.household-gatekeeping",
                              observed_on=day + timedelta(days=2), shareable=True, text="She asked for a text.")
    make_observation(s, p, case=case, domain="micro.household-gatekeeping", observed_on=day + timedelta(days=3),
                     text="Not for sharing: she cried on the call.")
    session.execute(update(Observation).where(Observation.id == named.id)
                    .values(text="Her partner Jaspreet says she is asleep again."))
    session.execute(update(Observation).where(Observation.id == phoned.id)
                    .values(text="She asked for a text on 07700 900123."))
    session.commit()
    quotes = briefs.assemble(session, s, START, END)["context"]["quotes"]
    assert quotes == [{"level": "micro", "kind": "barrier", "domain": "Who answers the phone",
                       "text": "Her partner takes the phone and says she is asleep."}]


def test_the_pdf_cover_names_the_maker_framework_and_rule_and_the_stored_brief_reads_back(
        client, login, session, team, make_case, make_observation, framework):
    _observations(team, make_case, make_observation)
    stored = generate_brief(session, team["commissioner"].id, team["service"], START, END)
    session.commit()
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(stored.pdf)).pages))
    assert f"Made {date.today():%-d %b %Y} by {team['commissioner'].display_name}" in text
    assert f"Framework {framework.title} (version {framework.declared_version})" in text
    assert "Small numbers NHS Digital's rule (1 to 7 hidden, others rounded to the nearest 5)" in text
    assert "Micro: " in text and "Context: what stands in the way, and what helps" in text
    assert stored.framework_versions == [framework.id]
    login(team["commissioner"])
    page = client.get(f"/briefs/{stored.id}")
    assert page.status_code == 200 and b"Context: what stands in the way" in page.data
    published = json.loads(client.get(f"/briefs/{stored.id}.json").data)
    assert "raw" not in published
    assert published["context"]["by_level"][2]["barrier"]["cases"] == "10"
    listing = client.get("/briefs/").get_data(as_text=True)
    assert f"by {team['commissioner'].display_name}" in listing
    assert session.get(Brief, stored.id).data["context"] == published["context"]


def test_recurring_barriers_with_no_decision_yet(session, team, make_case, make_observation, make_decision):
    """'Who answers the phone' was recorded for 9 different women now: listed (10 under NHS Digital's rule). The
    enabler (2 women) and the service-level barriers (no woman) are not. A stopped decision does not answer it;
    one in effect does."""
    _observations(team, make_case, make_observation)
    s = team["service"]
    assert briefs.assemble(session, s, START, END)["context"]["unanswered"] == [
        {"level": "micro", "code": "micro.household-gatekeeping", "domain": "Who answers the phone", "women": "10"}]
    stopped = make_decision(start_date=START, title="Tried once", domain="micro.household-gatekeeping")
    from ecotool.decisions.operations import change_status
    change_status(session, team["supervisor"].id, stopped, "stopped", "It did not work.", START + timedelta(days=5))
    session.commit()
    assert len(briefs.assemble(session, s, START, END)["context"]["unanswered"]) == 1
    make_decision(start_date=START, title="Text before calling", domain="micro.household-gatekeeping")
    assert briefs.assemble(session, s, START, END)["context"]["unanswered"] == []


def test_reach_as_a_share_of_births_with_the_slope_index_weighted_by_births(session, team, cohort):
    """Births entered for a year that covers the period: 365 births a year in each quintile give the 90-day
    period 90 each. Women reached: 9, 18, 27, 36, 45 (each reached once; 10 women referred per quintile and
    published by NHS Digital's rule as 10, 20, 25, 35, 45). Shares of births from published counts:
    10/90 = 11%, 20/90 = 22%, 25/90 = 28%, 35/90 = 39%, 45/90 = 50%. The slope index per birth, from the
    published counts with equal births at rank midpoints 0.1 to 0.9 (-0.4 to +0.4 about the middle):
    (-0.4 x 10 - 0.2 x 20 + 0.2 x 35 + 0.4 x 45) / 90 / 0.4 = 17 / 90 / 0.4 = 0.472: 47 points in favour of the
    least deprived areas. Without births entered, the brief says so."""
    from ecotool.services.operations import set_population

    s = team["service"]
    assert briefs.assemble(session, s, START, END)["population"] is None
    for quintile, reached in zip(range(1, 6), (9, 18, 27, 36, 45)):
        cohort(START + timedelta(days=3), reached, quintile=quintile, reached=1)
    set_population(session, None, s, START - timedelta(days=100), END + timedelta(days=175), [365] * 5)
    session.commit()
    population = briefs.assemble(session, s, START, END)["population"]
    assert [row["births"] for row in population["rows"]] == ["90"] * 5
    assert [row["reached_share"] for row in population["rows"]] == ["11%", "22%", "28%", "39%", "50%"]
    assert population["gradient"].startswith(
        "Slope index of inequality for women reached per birth, weighted by births: a larger share of the mothers "
        "in the least deprived areas was reached, a gap of 47 points across the range")


def test_under_the_threshold_rule_a_level_hides_when_a_domain_under_it_hides(
        session, team, make_case, make_observation):
    """Micro barriers now: 'who answers the phone' for 8 women, 'money, food and housing' for 4 others: the micro
    level counts 12. Shown, 12 less the 8 would pin the hidden 4 (at least 4, at most the threshold of 4), so the
    level is hidden too, and its change."""
    s, p = team["service"], team["supporter"]
    s.disclosure_rule = "threshold"
    session.commit()
    day = START + timedelta(days=5)
    for n in range(12):
        case = make_case(s, p, referral_date=BEFORE)
        domain = "micro.household-gatekeeping" if n < 8 else "micro.money-food-housing"
        make_observation(s, p, case=case, domain=domain, observed_on=day, text=f"Barrier noted on call {n + 1}.")
    context = briefs.assemble(session, s, START, END)["context"]
    domains = {row["code"]: row["barrier"]["cases"] for row in context["by_domain"]}
    assert domains == {"micro.household-gatekeeping": "8", "micro.money-food-housing": "*"}
    micro = next(row for row in context["by_level"] if row["level"] == "micro")["barrier"]
    assert (micro["cases"], micro["cases_change"]) == ("*", "—")
    raw = briefs.assemble(session, s, START, END)["raw"]["context"]["by_level"]
    assert raw["micro.barrier"] == {"cases": 12, "service": 0}


def test_no_change_is_told_where_rounding_moved_a_rate(session, team, cohort):
    """Quintile 3 now: 9 of 12 reached, published as 10 of 10 (100%, marked †; exactly 75%). Before: 15 of 20
    (75%, as it is). The printed rates would say +25 points where there was none: the change is withheld."""
    cohort(START + timedelta(days=3), 9, quintile=3, reached=1)
    cohort(START + timedelta(days=3), 3, quintile=3, reached=0)
    cohort(BEFORE + timedelta(days=3), 15, quintile=3, reached=1)
    cohort(BEFORE + timedelta(days=3), 5, quintile=3, reached=0)
    q3 = briefs.assemble(session, team["service"], START, END)["by_quintile"][2]
    assert (q3["reached"], q3["referred"], q3["reached_rate"], q3["reached_distorted"]) == ("10", "10", "100%", True)
    assert (q3["prev"]["reached_rate"], q3["prev"]["reached_distorted"]) == ("75%", False)
    assert q3["reached_change"] == "—"


def test_a_recurring_barrier_for_too_few_women_to_show_is_counted_not_listed(
        session, team, make_case, make_observation):
    """'Who answers the phone' for 9 women (shown as 10) and 'transport and distance' for 3 (hidden): listing
    the second with * beside "3 or more" would say 3 to 7, so it is only counted."""
    _observations(team, make_case, make_observation)
    s, p = team["service"], team["supporter"]
    for n in range(3):
        make_observation(s, p, case=make_case(s, p, referral_date=BEFORE), domain="micro.transport-and-distance",
                         observed_on=START + timedelta(days=30), text=f"No bus on the day, call {n + 1}.")
    context = briefs.assemble(session, s, START, END)["context"]
    assert [row["code"] for row in context["unanswered"]] == ["micro.household-gatekeeping"]
    assert context["unanswered_hidden"] == 1
