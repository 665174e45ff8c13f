"""The commissioner's brief: a real PDF read back with pypdf, figures worked out by hand."""
from __future__ import annotations

import hashlib
import io
import re
from datetime import date, datetime, time, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from ecotool.audit import AuditEvent
from ecotool.decisions.operations import record_decision
from ecotool.reports import brief as briefs
from ecotool.reports.models import Brief
from ecotool.reports.operations import generate_brief
from tests.conftest import row_counts

START = date.today() - timedelta(days=90)
END = date.today() - timedelta(days=1)


def _build(session, team, make_case, make_attempt, framework):
    """Quintile 1: 20 referred, 13 reached, 8 of them engaged (3 reached contacts).
    Quintile 2: 5 referred, 3 reached. Plus a case referred before the period and a contact after it."""
    s, p = team["service"], team["supporter"]
    first_contact = datetime.combine(START + timedelta(days=5), time(10))
    for i in range(20):
        case = make_case(s, p, quintile=1, referral_date=START + timedelta(days=1))
        reached = 3 if i < 8 else (1 if i < 13 else 0)
        for k in range(reached):
            make_attempt(case, "reached", at=first_contact + timedelta(days=k))
        if reached == 0:
            make_attempt(case, "no answer", at=first_contact)
    for i in range(5):
        case = make_case(s, p, quintile=2, referral_date=START + timedelta(days=2))
        if i < 3:
            make_attempt(case, "reached", at=first_contact)
    make_case(s, p, quintile=1, referral_date=START - timedelta(days=3))
    late = make_case(s, p, quintile=3, referral_date=END)
    make_attempt(late, "reached", at=datetime.now() - timedelta(minutes=5))  # after the period: not reached
    domains = {d.code: d.id for d in framework.domains}
    record_decision(session, team["supervisor"].id, s, title="Evening calls after a text",
                    rationale="Partners answer daytime calls.", response_type="change-contact-timing",
                    target_group="imd-quintile-1", domain_ids=[domains["micro.household-gatekeeping"]],
                    start_date=START + timedelta(days=30), status="in effect")
    record_decision(session, team["supervisor"].id, s, title="Old decision before the period",
                    rationale="x", response_type="hand-over", target_group="all-women",
                    domain_ids=[domains["micro.contactability"]], start_date=START - timedelta(days=30))
    session.commit()


def test_assembled_figures(session, team, make_case, make_attempt, framework):
    _build(session, team, make_case, make_attempt, framework)
    data = briefs.assemble(session, team["service"], START, END)
    # Attempts by the end of the period: quintile 1, 8 x 3 + 5 x 1 reached and 7 failed = 36; quintile 2, 3; the
    # late case's contact came after the period: 0.
    assert data["raw"]["rows"]["1"] == {"referred": 20, "reached": 13, "engaged": 8, "attempts": 36}
    assert data["raw"]["rows"]["2"] == {"referred": 5, "reached": 3, "engaged": 0, "attempts": 3}
    assert data["raw"]["rows"]["3"] == {"referred": 1, "reached": 0, "engaged": 0, "attempts": 0}
    assert data["raw"]["rows"]["all"] == {"referred": 26, "reached": 16, "engaged": 8, "attempts": 39}
    # Contacts per woman engaged, over the 8 women engaged (their count is published, as 10): 36 / 8 and 39 / 8.
    assert data["by_quintile"][0]["contacts_per_engaged"] == "4.5" and data["totals"]["contacts_per_engaged"] == "4.9"
    assert data["by_quintile"][1]["contacts_per_engaged"] == "—"  # nobody engaged in quintile 2
    q1 = data["by_quintile"][0]
    # Published: 20 -> 20, 13 -> 15, 8 -> 10; rates 75% and 50% from the rounded figures.
    assert (q1["referred"], q1["reached"], q1["engaged"]) == ("20", "15", "10")
    assert (q1["reached_rate"], q1["reached_ci"], q1["engaged_rate"]) == ("75%", "53%–89%", "50%")
    q2 = data["by_quintile"][1]
    assert (q2["referred"], q2["reached"], q2["reached_rate"]) == ("*", "*", "—")
    assert data["by_quintile"][4]["referred"] == "0"
    totals = data["totals"]
    # 26 -> 25, 16 -> 15, 8 -> 10: rates 60% and 40%.
    assert (totals["referred"], totals["reached"], totals["engaged"]) == ("25", "15", "10")
    assert (totals["reached_rate"], totals["engaged_rate"]) == ("60%", "40%")
    assert [d["title"] for d in data["decisions"]] == ["Evening calls after a text"]


def test_brief_pdf_shows_the_figures(client, login, session, team, make_case, make_attempt, framework):
    _build(session, team, make_case, make_attempt, framework)
    login(team["commissioner"])
    response = client.post("/briefs/", data={"service_id": str(team["service"].id),
                                             "period_start": START.isoformat(), "period_end": END.isoformat()})
    assert response.status_code == 302
    stored = session.query(Brief).one()
    download = client.get(f"/briefs/{stored.id}.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert hashlib.sha256(download.data).hexdigest() == stored.sha256
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(download.data)).pages)
    flat = re.sub(r"\s+", " ", text)
    assert team["service"].name in flat
    # 13 of 20 reached is published as 15 of 20 (75%, exactly 65%), 8 engaged as 10 (50%, exactly 40%): both marked.
    assert "1 Now 20 15 75% † 53%–89% 10 50% † 30%–70% 4.5 — — 1 Before * 0 — 0 — —" in flat
    # Quintiles 1 and 2 together: 25 referred, 16 reached (published 15: 60%, exactly 64%), 8 engaged (10: 40%).
    assert "Most deprived two-fifths (quintiles 1 and 2) Now 25 15 60% † 41%–77% 10 40% † 23%–59% 4.9" in flat
    assert "20-24 Now 25 15 60% †" in flat  # every case is aged 20-24 (the late one is outside the period)
    # Every case came by the first pathway: its target women are quintile 1's 20; its other women 6 (hidden).
    assert ("Midwife referral Target group 20 15 75% † 10 50% † * — — Other women * * — 0 — 0 — — "
            "All 25 15 60% † 10 40% † * — —") in flat
    assert "Self-referral Target group 0 0 — 0 —" in flat
    # Effort, from published counts: quintile 1's 7 women never reached had one failed attempt each; 15 reached
    # published: 7 / 15 = 0.47; never reached (20 - 15) / 20 = 25%. Quintile 2's counts are hidden.
    assert "1 25% — 0.5 — 2 — — — —" in flat
    assert "the deprivation quintile is unknown for 0% of the women referred, and the age band for 0%" in flat
    assert "2 Now * * — 0 —" in flat  # 5 referred and 3 reached hidden; 0 engaged may be shown
    assert "All 25 15 60%" in flat
    assert "Evening calls after a text" in flat
    assert "Old decision before the period" not in flat
    assert "Partners answer daytime calls" not in flat  # rationale is free text: not in commissioner output
    # Dates as the app writes them ("1 Mar 2026"), never ISO.
    assert f"Women referred from {START.day} {START:%b %Y} to {END.day} {END:%b %Y}" in flat
    assert not re.search(r"\d{4}-\d{2}-\d{2}", flat)


def test_bad_period_is_refused_and_nothing_stored(client, login, team):
    login(team["commissioner"])
    response = client.post("/briefs/", data={"service_id": str(team["service"].id),
                                             "period_start": END.isoformat(), "period_end": START.isoformat()})
    assert response.status_code == 422
    assert 'id="period_end-error"' in response.get_data(as_text=True)
    assert row_counts(Brief) == {"Brief": 0}


def test_commissioner_of_another_service_gets_404(client, login, team, make_service, make_person, session):
    login(team["commissioner"])
    client.post("/briefs/", data={"service_id": str(team["service"].id),
                                  "period_start": START.isoformat(), "period_end": END.isoformat()})
    stored = session.query(Brief).one()
    other = make_service("south", "South service")
    login(make_person("commissioner", other))
    assert client.get(f"/briefs/{stored.id}.pdf").status_code == 404
    response = client.post("/briefs/", data={"service_id": str(team["service"].id),
                                             "period_start": START.isoformat(), "period_end": END.isoformat()})
    assert response.status_code == 422


def test_implausible_dates_are_refused(client, login, team):
    login(team["commissioner"])
    response = client.post("/briefs/", data={"service_id": str(team["service"].id),
                                             "period_start": "0001-01-01", "period_end": "9999-12-31"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="period_start-error"' in html and 'id="period_end-error"' in html
    assert row_counts(Brief) == {"Brief": 0}


def test_barriers_count_in_the_period_they_were_observed_not_saved(session, team, make_case, make_observation):
    """All saved today. Observed in the period (START = 90 days ago to yesterday): a micro barrier on its
    first day, a meso barrier and a service-level macro barrier later, and a context note. Observed today:
    a micro barrier. The period shows 1 of each level; the last four weeks only today's micro barrier; the
    single day START only its micro barrier (both ends inclusive)."""
    s, p = team["service"], team["supporter"]
    case = make_case(s, p, referral_date=START - timedelta(days=10))
    make_observation(s, p, case=case, observed_on=START)
    make_observation(s, p, case=case, domain="meso.groups-and-venues", observed_on=START + timedelta(days=20))
    make_observation(s, team["supervisor"], domain="macro.data-sharing-rules", observed_on=START + timedelta(days=40),
                     source="team meeting")
    make_observation(s, p, case=case, kind="context", domain="micro.money-food-housing",
                     observed_on=START + timedelta(days=20), text="Money is tight this month.")
    make_observation(s, p, case=case, domain="micro.transport-and-distance")

    def barriers(start, end):
        found = briefs.assemble(session, s, start, end)["raw"]["context"]["by_level"]
        return {level: sum(n for key, counts in found.items() if key == f"{level}.barrier" for n in counts.values())
                for level in ("macro", "meso", "micro")}

    assert barriers(START, END) == {"macro": 1, "meso": 1, "micro": 1}
    assert barriers(date.today() - timedelta(days=27), date.today()) == {"macro": 0, "meso": 0, "micro": 1}
    assert barriers(START, START) == {"macro": 0, "meso": 0, "micro": 1}


def test_the_same_brief_again_is_the_stored_one(session, team, make_case, make_attempt):
    """Two cases referred in the period, one reached. Made twice: one brief, one audit event. Once the
    other case is reached in the period the content differs, so a second brief is stored."""
    s, p, commissioner = team["service"], team["supporter"], team["commissioner"]
    reached = make_case(s, p, referral_date=START + timedelta(days=1))
    make_attempt(reached, "reached", at=datetime.combine(START + timedelta(days=3), time(10)))
    waiting = make_case(s, p, referral_date=START + timedelta(days=1))
    first = generate_brief(session, commissioner.id, s, START, END)
    session.commit()
    again = generate_brief(session, team["supervisor"].id, s, START, END)
    session.commit()
    assert again.id == first.id and len(first.content_sha256) == 64
    assert row_counts(Brief) == {"Brief": 1}
    assert session.scalar(select(func.count()).where(AuditEvent.action == "brief.create")) == 1
    make_attempt(waiting, "reached", at=datetime.combine(START + timedelta(days=4), time(10)))
    second = generate_brief(session, commissioner.id, s, START, END)
    session.commit()
    assert second.id != first.id and second.content_sha256 != first.content_sha256
    assert second.inputs["data"]["raw"]["rows"]["all"] == {"referred": 2, "reached": 2, "engaged": 0, "attempts": 2}
    assert first.inputs["data"]["raw"]["rows"]["all"] == {"referred": 2, "reached": 1, "engaged": 0, "attempts": 1}
    assert row_counts(Brief) == {"Brief": 2}
    assert session.scalar(select(func.count()).where(AuditEvent.action == "brief.create")) == 2


def test_the_threshold_rule_hides_small_counts_and_every_count_they_could_be_worked_out_from(
        session, team, make_case, make_attempt, framework):
    """Quintile 2 reached 3, quintile 3 referred 1, other women reached 3: hidden, with enough more that
    subtracting across the quintile rows, target + other and reached-within-referred recovers none."""
    from tests.reports.test_threshold import attack
    from ecotool.reports.disclosure import Table

    _build(session, team, make_case, make_attempt, framework)
    team["service"].disclosure_rule = "threshold"
    session.commit()
    data = briefs.assemble(session, team["service"], START, END)
    rows = ({r["quintile"]: r for r in data["by_quintile"]} | {r["group"]: r for r in data["by_target"]}
            | {r["group"]: r for r in data["collapsed"]}
            | {("unknown age" if r["band"] == "unknown" else r["band"]): r for r in data["by_age"]})
    rows["all"] = data["totals"]
    for p, path in zip(data["by_pathway"], (f"path{p.id}" for p in team["service"].pathways)):
        rows |= {path: p["rows"][2], f"{path}-target": p["rows"][0], f"{path}-other": p["rows"][1]}
    figures = ("referred", "reached", "engaged")
    # The counts worked out by hand from _build's docstring: quintile 3 is the case referred on the last day.
    truth = {"1": (20, 13, 8), "2": (5, 3, 0), "3": (1, 0, 0), "4": (0, 0, 0), "5": (0, 0, 0), "unknown": (0, 0, 0),
             "target": (20, 13, 8), "other": (6, 3, 0), "all": (26, 16, 8), "low": (25, 16, 8), "rest": (1, 0, 0),
             "20-24": (26, 16, 8)}  # every case of _build is aged 20-24
    for band in ("under 20", "25-29", "30-34", "35+", "unknown age"):
        truth[band] = (0, 0, 0)
    midwife, self_referral = (f"path{p.id}" for p in team["service"].pathways)
    truth |= {midwife: truth["all"], f"{midwife}-target": truth["target"], f"{midwife}-other": truth["other"],
              self_referral: (0, 0, 0), f"{self_referral}-target": (0, 0, 0), f"{self_referral}-other": (0, 0, 0)}
    cells = {f"{row}.{f}": n for row, counts in truth.items() for f, n in zip(figures, counts)}
    hidden = {f"{row}.{f}" for row in truth for f in figures if rows[row][f] == "*"}
    shown = {f"{row}.{f}": rows[row][f] for row in truth for f in figures if rows[row][f] != "*"}
    assert {"2.reached", "3.referred", "other.reached"} <= hidden
    assert all(int(text) == cells[c] for c, text in shown.items())  # shown counts are exact under this rule
    quintiles = ["1", "2", "3", "4", "5", "unknown"]
    sums = [(f"all.{f}", [f"{q}.{f}" for q in quintiles]) for f in figures]
    sums += [(f"all.{f}", [f"target.{f}", f"other.{f}"]) for f in figures]
    sums += [(f"all.{f}", [f"low.{f}", f"rest.{f}"]) for f in figures]
    sums += [(f"low.{f}", [f"1.{f}", f"2.{f}"]) for f in figures]
    ages = ["under 20", "20-24", "25-29", "30-34", "35+", "unknown age"]
    sums += [(f"all.{f}", [f"{a}.{f}" for a in ages]) for f in figures]
    paths = [midwife, self_referral]
    sums += [(f"all.{f}", [f"{p}.{f}" for p in paths]) for f in figures]
    sums += [(f"{p}.{f}", [f"{p}-target.{f}", f"{p}-other.{f}"]) for p in paths for f in figures]
    sums += [(f"{g}.{f}", [f"{p}-{g}.{f}" for p in paths]) for g in ("target", "other") for f in figures]
    subsets = [(f"{row}.{a}", f"{row}.{b}") for row in truth for a, b in (("reached", "referred"), ("engaged", "reached"))]
    assert attack(Table(cells, sums, subsets), hidden) == {}
    assert rows["2"]["reached_rate"] == "—" and rows["other"]["reached_rate"] == "—"


def test_the_brief_command_writes_pdf_html_and_json_with_the_same_published_figures(
        runner, session, team, make_case, make_attempt, framework, tmp_path):
    import json

    _build(session, team, make_case, make_attempt, framework)
    args = ["brief", "--service", team["service"].slug, "--from", START.isoformat(), "--to", END.isoformat(),
            "--as", team["commissioner"].email]
    for kind in ("pdf", "html", "json"):
        result = runner.invoke(args=args + ["--format", kind, "--out", str(tmp_path / f"brief.{kind}")])
        assert result.exit_code == 0, result.output
    assert session.query(Brief).count() == 1  # the same content is the same stored brief
    stored = session.query(Brief).one()
    assert (tmp_path / "brief.pdf").read_bytes() == stored.pdf
    published = json.loads((tmp_path / "brief.json").read_text())
    assert "raw" not in published  # the exact counts stay in the stored record
    first = next(r for r in published["by_quintile"] if r["quintile"] == "1")
    assert (first["referred"], first["reached"], first["reached_rate"], first["engaged"]) == ("20", "15", "75%", "10")
    assert next(r for r in published["by_quintile"] if r["quintile"] == "2")["referred"] == "*"
    assert "13" not in first.values() and "8" not in first.values()  # the exact counts, never published
    html_text = (tmp_path / "brief.html").read_text()
    assert "<td>20</td><td>15</td><td>75% †</td>" in html_text
    refused = runner.invoke(args=args[:-1] + ["nobody@example.org", "--format", "json", "--out", str(tmp_path / "x")])
    assert refused.exit_code == 1 and "cannot make briefs" in refused.output


def test_the_gradient_is_told_as_a_slope_index_or_withheld_with_the_reason(
        session, team, cohort, make_case, make_attempt, framework):
    """20 women in each quintile, reached 8, 10, 12, 14, 16 (40% to 80%): equal weights put the quintiles at rank
    midpoints 0.1 to 0.9, and the rate rises 10 points for each 0.2 of rank: a slope of 50 points across the
    whole range, from the most deprived end (0) to the least (1). The threshold rule shows these counts exactly;
    under NHS Digital's rule the slope is worked from the published 10, 10, 10, 15, 15 of 20: rates 0.5, 0.5,
    0.5, 0.75, 0.75 around a mean of 0.6, so (0.4 x 0.1 + 0.2 x 0.1 + 0.2 x 0.15 + 0.4 x 0.15) / (2 x 0.16 + 2 x
    0.04) = 0.15 / 0.4 = 0.375: 38 points."""
    team["service"].disclosure_rule = "threshold"
    session.commit()
    day = START + timedelta(days=5)
    for quintile, reached in zip(range(1, 6), (8, 10, 12, 14, 16)):
        cohort(day, reached, quintile=quintile, reached=1)
        cohort(day, 20 - reached, quintile=quintile, reached=0)
    data = briefs.assemble(session, team["service"], START, END)
    reached = next(g["text"] for g in data["gradient"] if g["figure"] == "reached")
    assert reached.startswith("Slope index of inequality for women reached: women in the least deprived areas were "
                              "reached more often, a gap of 50 points across the range (95% interval ")
    engaged = next(g["text"] for g in data["gradient"] if g["figure"] == "engaged")
    assert engaged.startswith("Slope index of inequality for women engaged: 0 points")  # nobody engaged: flat
    cohort(day, 5, quintile=None, reached=1)  # unknown quintile: not in the slope, which stays the same
    assert next(g["text"] for g in briefs.assemble(session, team["service"], START, END)["gradient"]
                if g["figure"] == "reached") == reached
    team["service"].disclosure_rule = "nhs-digital"
    session.commit()
    rounded = next(g["text"] for g in briefs.assemble(session, team["service"], START, END)["gradient"]
                   if g["figure"] == "reached")
    assert rounded.startswith("Slope index of inequality for women reached: women in the least deprived areas were "
                              "reached more often, a gap of 38 points across the range")


def test_the_gradient_is_withheld_where_a_quintile_is_small(session, team, make_case, make_attempt, framework):
    _build(session, team, make_case, make_attempt, framework)
    data = briefs.assemble(session, team["service"], START, END)
    assert data["gradient"][0]["text"] == ("The slope index of inequality is withheld: quintile 2, 3, 4, 5 had fewer "
                                           "than 10 women referred in the period, too few for a steady slope.")


def test_the_summary_is_told_from_published_figures_and_never_overstates(
        session, team, make_case, make_attempt, framework):
    _build(session, team, make_case, make_attempt, framework)
    summary = briefs.assemble(session, team["service"], START, END)["summary"]
    assert summary == [
        "25 women were referred in the period; 60% of them were reached and 40% engaged.",  # 26, 16, 8 rounded
        "Target and other women cannot be compared here: one group is too small to show.",  # 6 other women: *
        # One woman was referred in the previous 90 days: hidden, so no change is told.
        "The share of women engaged cannot be compared with the previous 90 days: one of the two periods has too "
        "few women to show.",
        "The slope index of inequality is withheld: quintile 2, 3, 4, 5 had fewer than 10 women referred in the "
        "period, too few for a steady slope.",
        "The pathway that brought in the most target women was Midwife referral (20).",
        "1 service-development decision was in effect in the period; each is listed below with its measured effect "
        "where there are enough women to show it.",
    ]


def test_the_summary_compares_target_and_other_women_with_an_interval(session, team, cohort):
    from tests.test_stats import _newcombe_by_hand

    day = START + timedelta(days=5)
    cohort(day, 20, quintile=1, reached=1)
    cohort(day, 20, quintile=1, reached=0)
    cohort(day, 30, quintile=4, reached=1)
    cohort(day, 10, quintile=4, reached=0)
    summary = briefs.assemble(session, team["service"], START, END)["summary"]
    difference, (low, high) = _newcombe_by_hand(20, 40, 30, 40)  # published counts: 40, 20, 40, 30
    assert difference == pytest.approx(-0.25) and high < 0
    assert summary[1] == (f"Target women were reached less often than other women (50% against 75%; difference "
                          f"−25 points, 95% interval −{round(-low * 100)} to −{round(-high * 100)} points).")
    cohort(day, 2, quintile=4, reached=1)  # 32 reached, still published as 30: the sentence rests on 30
    assert briefs.assemble(session, team["service"], START, END)["summary"][1] == summary[1]
