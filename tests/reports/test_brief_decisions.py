"""A brief shows the decisions in effect in its period with their effect (the same chart as the decision's page), and
never a count of a few women: an effect is shown only where every group has 10 or more in each window."""
from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader

from ecotool.clock import local_today
from ecotool.reports import brief as briefs
from ecotool.reports import render

TODAY = local_today()
START = TODAY - timedelta(days=150)
PERIOD = (START - timedelta(days=10), TODAY)


def _known_effect(cohort, small_pathway):
    """Other women engaged 5 of 20 before and 15 of 20 after; target women 5 of 20 both times. On another
    pathway, 3 target women in each window."""
    for day, engaged_other in ((START - timedelta(days=90), 5), (START + timedelta(days=89), 15)):
        cohort(day, engaged_other, quintile=4, reached=3)
        cohort(day, 20 - engaged_other, quintile=4, reached=1)
        cohort(day, 5, quintile=1, reached=3)
        cohort(day, 15, quintile=1, reached=1)
        cohort(day, 3, quintile=1, reached=3, pathway=small_pathway)


def test_the_brief_shows_a_judged_effect_with_its_chart_and_no_small_counts(session, team, cohort, make_decision):
    # Exact counts down to 3 (the threshold rule at 2), so the figures here are the measured ones.
    team["service"].disclosure_rule, team["service"].disclosure_threshold = "threshold", 2
    session.commit()
    small_pathway = team["service"].pathways[1]
    _known_effect(cohort, small_pathway)
    judged = make_decision(start_date=START, title="Text every mother at 2-3 weeks")
    make_decision(start_date=START + timedelta(days=5), title="Still an idea", status="proposed")
    small = make_decision(start_date=START + timedelta(days=3), title="Meet at the college", pathway_only=True,
                          pathway_id=small_pathway.id)
    data = briefs.assemble(session, team["service"], *PERIOD)
    shown = {d["title"]: d["effect"] for d in data["decisions"]}
    assert list(shown) == ["Text every mother at 2-3 weeks", "Meet at the college"]
    # Engaged: other +50 points (3/12 to 9/12), target 0: the other women's change is 50 points larger.
    assert shown[judged.title]["verdict"].startswith(
        "Engagement changed by 0 points for target women and by +50 points for other women: target women's change "
        "was 50 points smaller than other women's")
    assert shown[small.title] == {"verdict": "Too few women were referred around its start for its effect to be "
                                             "shown here.", "reach_verdict": None, "figures": None}

    pdf = render.pdf(data, TODAY)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    assert "Text every mother at 2-3 weeks" in flat and "50 points smaller than other women's" in flat
    assert "Target women" in flat and "Engaged" in flat  # the chart's own words, drawn from the SVG
    assert "Too few women were referred around its start" in flat
    assert "Still an idea" not in flat
    html = render.html(data, TODAY)
    assert html.count('src="data:image/svg+xml;base64,') == 2  # the gradient chart and the one judged decision's
    assert 'alt="Reached: target women 100%' in html


def test_the_brief_lists_the_decisions_in_effect_at_some_time_in_its_period(session, team, make_decision):
    from ecotool.decisions.operations import change_status

    before = make_decision(start_date=PERIOD[0] - timedelta(days=100), title="Started before, still running")
    ended = make_decision(start_date=PERIOD[0] - timedelta(days=100), title="Stopped before the period")
    change_status(session, team["supervisor"].id, ended, "stopped", "Ended.", PERIOD[0] - timedelta(days=1))
    during = make_decision(start_date=PERIOD[0] - timedelta(days=100), title="Stopped during the period")
    change_status(session, team["supervisor"].id, during, "stopped", "Ended.", PERIOD[0] + timedelta(days=1))
    make_decision(start_date=PERIOD[0] + timedelta(days=3), title="Agreed, never in effect", status="agreed")
    session.commit()
    titles = [d["title"] for d in briefs.assemble(session, team["service"], *PERIOD)["decisions"]]
    assert titles == [before.title, during.title]


def _effect_cohorts(cohort, other_after: int, target_engaged: int):
    """40 women per group and window, judged by the decision starting on START: other women engaged 10 before and
    `other_after` after; target women engaged `target_engaged` in both windows; the rest reached once."""
    for day, other in ((START - timedelta(days=60), 10), (START + timedelta(days=20), other_after)):
        cohort(day, other, quintile=4, reached=3)
        cohort(day, 40 - other, quintile=4, reached=1)
        cohort(day, target_engaged, quintile=1, reached=3)
        cohort(day, 40 - target_engaged, quintile=1, reached=1)


def test_under_nhs_digital_the_effect_is_worked_out_from_rounded_counts(session, team, cohort, make_decision):
    """Other women engaged 10 of 40 before and 28 of 40 after; NHS Digital's rule publishes 28 as 30, so the brief
    says +50 points (30/40 - 10/40), where the decision's own page says +45 (28/40 - 10/40). Target women 10 of 40
    in both windows: 0 points. The published counts never reach the JSON."""
    _effect_cohorts(cohort, other_after=28, target_engaged=10)
    decision = make_decision(start_date=START, title="Text every mother at 2-3 weeks")
    shown = briefs.assemble(session, team["service"], *PERIOD)["decisions"][0]["effect"]
    assert shown["figures"]["cells"]["other"]["after"] == {"referred": 40, "reached": 40, "engaged": 30}
    assert shown["verdict"].startswith("Engagement changed by 0 points for target women and by +50 points for "
                                       "other women")
    from ecotool.decisions import effect
    assert round(effect.measure(session, decision, TODAY).changes["other"]["engaged"][0], 6) == 0.45  # 28/40 - 10/40
    published = render.as_json(briefs.assemble(session, team["service"], *PERIOD), TODAY)
    assert '"cells"' not in published and '"referred": 40' not in published


def test_an_effect_resting_on_a_count_the_rule_hides_is_not_shown(session, team, cohort, make_decision):
    """Target women engaged 6 of 40 in each window: 6 is hidden under NHS Digital's rule, so no figure of the
    decision's effect is shown, and no count."""
    _effect_cohorts(cohort, other_after=30, target_engaged=6)
    make_decision(start_date=START, title="Text every mother at 2-3 weeks")
    shown = briefs.assemble(session, team["service"], *PERIOD)["decisions"][0]["effect"]
    assert shown == {"verdict": "Some of the counts behind its effect are too small to show here, so it is not "
                                "measured in this brief.", "reach_verdict": None, "figures": None}
