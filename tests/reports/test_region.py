"""The regional brief: services a commissioner commissions side by side and combined, one disclosure rule over
all of it, no hidden count recoverable through the combined figures, and never a service that is not hers."""
from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta

from pypdf import PdfReader

from ecotool.reports import region
from ecotool.reports.models import Brief
from tests.reports.test_threshold import attack

END = date.today() - timedelta(days=1)
START = END - timedelta(days=89)


def _three(make_service, make_person, team, cohort):
    """North (the team's): 20 quintile-1 women reached 3 times, 10 quintile-4 women never reached. East: 15
    quintile-2 women reached once, 5 quintile-5 reached 3 times. South: 6 quintile-1 women reached once. A
    commissioner commissions North and East only."""
    east, south = make_service("east", "East peer support"), make_service("south", "South peer support")
    day = START + timedelta(days=5)
    cohort(day, 20, quintile=1, reached=3)
    cohort(day, 10, quintile=4, reached=0)
    cohort(day, 15, quintile=2, reached=1, service=east)
    cohort(day, 5, quintile=5, reached=3, service=east)
    cohort(day, 6, quintile=1, reached=1, service=south)
    commissioner = make_person("commissioner", services=(team["service"], east))
    return east, south, commissioner


def test_services_side_by_side_and_combined_worked_by_hand(session, team, make_service, make_person, cohort):
    """Combined: 50 women, 40 reached, 25 engaged (North 20 + East 5). NHS Digital's rule shows them as they are
    (multiples of 5); East's 5 engaged women are hidden, and so its engaged rate. North reached 20 of 30 (67%),
    East 20 of 20 (100%)."""
    east, _, _ = _three(make_service, make_person, team, cohort)
    data = region.assemble(session, [team["service"], east], START, END)
    assert [s["name"] for s in data["by_service"]] == ["East peer support", "North peer support"]
    totals = data["totals"]
    assert (totals["referred"], totals["reached"], totals["engaged"]) == ("50", "40", "25")
    assert (totals["reached_rate"], totals["engaged_rate"]) == ("80%", "50%")
    east_row, north_row = data["by_service"]
    assert (east_row["referred"], east_row["reached"], east_row["engaged"], east_row["engaged_rate"]) == (
        "20", "20", "*", "—")
    assert (north_row["referred"], north_row["reached"], north_row["reached_rate"]) == ("30", "20", "67%")
    q1 = data["by_quintile"][0]
    assert (q1["referred"], q1["reached"], q1["engaged"]) == ("20", "20", "20")
    assert data["summary"][1].startswith("The share of women reached ran from 67% (North peer support) to 100% "
                                         "(East peer support)")


def test_under_the_threshold_rule_no_hidden_count_comes_back_through_the_combined_rows(
        session, team, make_service, make_person, cohort):
    east, _, _ = _three(make_service, make_person, team, cohort)
    for s in (team["service"], east):
        s.disclosure_rule, s.disclosure_threshold = "threshold", 5
    session.commit()
    services = sorted([team["service"], east], key=lambda s: s.name)
    rows = region._combined_rows(session, services, START, END)
    table = region._table(rows, services)
    shown = region.disclosure.publish("threshold", table, 5)
    hidden = [name for name, s in shown.items() if s.published is None]
    assert "s%d.engaged" % east.id in hidden  # 5 engaged women at East: at the threshold
    assert attack(table, set(hidden)) == {}  # every margin and subset tried: nothing worked out
    # Hiding only the counts from 1 to 5 would give East's 5 engaged women away: 25 combined minus North's 20.
    primary = {name for name, n in table.cells.items() if 1 <= n <= 5}
    assert attack(table, primary).get(f"s{east.id}.engaged") == 5
    for name, s in shown.items():
        assert s.published is None or s.published == table.cells[name]


def test_a_commissioner_compares_only_her_own_services(client, login, session, team, make_service, make_person,
                                                       cohort):
    east, south, commissioner = _three(make_service, make_person, team, cohort)
    login(commissioner)
    page = client.get("/briefs/").get_data(as_text=True)
    assert "East peer support" in page and "South peer support" not in page
    form = {"region-period_start": START.isoformat(), "region-period_end": END.isoformat()}
    refused = client.post("/briefs/region", data={**form, "region-service_ids": [str(team["service"].id),
                                                                                 str(south.id)]})
    assert refused.status_code == 422 and session.query(Brief).count() == 0
    assert "is not a valid choice" in refused.get_data(as_text=True)
    alone = client.post("/briefs/region", data={**form, "region-service_ids": [str(east.id)]})
    assert alone.status_code == 422 and "Choose two or more services to compare." in alone.get_data(as_text=True)
    made = client.post("/briefs/region", data={**form, "region-service_ids": [str(team["service"].id),
                                                                              str(east.id)]})
    assert made.status_code == 302
    stored = session.query(Brief).one()
    assert sorted(stored.region_service_ids) == sorted([team["service"].id, east.id])
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(stored.pdf)).pages))
    assert "REGIONAL CONTEXT BRIEF" in text and "East peer support" in text and "South peer support" not in text
    assert "All Now 50 40 80%" in text
    published = json.loads(client.get(f"/briefs/{stored.id}.json").data)
    assert published["totals"]["referred"] == "50" and "raw" not in published
    # A supervisor of North only sees North's briefs: never the regional one, which covers East too.
    login(team["supervisor"])
    assert client.get(f"/briefs/{stored.id}.pdf").status_code == 404
    assert f"brief-{stored.id}" not in client.get("/briefs/").get_data(as_text=True)
