"""The commissioner's brief: a real PDF read back with pypdf, figures worked out by hand."""
from __future__ import annotations

import hashlib
import io
import re
from datetime import date, datetime, time, timedelta

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
    assert data["raw"]["by_quintile"]["1"] == {"referred": 20, "reached": 13, "engaged": 8}
    assert data["raw"]["by_quintile"]["2"] == {"referred": 5, "reached": 3, "engaged": 0}
    assert data["raw"]["by_quintile"]["3"] == {"referred": 1, "reached": 0, "engaged": 0}
    assert data["raw"]["totals"] == {"referred": 26, "reached": 16, "engaged": 8}
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
    assert "1 20 15 75% 53%–89% 10 50%" in flat
    assert "2 * * — 0 —" in flat  # 5 referred and 3 reached hidden; 0 engaged may be shown
    assert "All 25 15 60%" in flat
    assert "Evening calls after a text" in flat
    assert "Old decision before the period" not in flat
    assert "Partners answer daytime calls" not in flat  # rationale is free text: not in commissioner output


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
        return briefs.assemble(session, s, start, end)["raw"]["barriers_by_level"]

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
    assert second.inputs["raw"]["totals"] == {"referred": 2, "reached": 2, "engaged": 0}
    assert first.inputs["raw"]["totals"] == {"referred": 2, "reached": 1, "engaged": 0}
    assert row_counts(Brief) == {"Brief": 2}
    assert session.scalar(select(func.count()).where(AuditEvent.action == "brief.create")) == 2
