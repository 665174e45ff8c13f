"""A published trial's flow, imported as a service's records, comes out of the brief's JSON.

The Belfast peer-mentoring trial for first-time mothers in areas of socio-economic disadvantage
(ISRCTN55055030; Murphy et al., BMC Health Services Research 2008, 8:46) allocated 172 women to peer mentoring:
129 (75%) had at least one visit from a mentor and 85 (49%) had three or more. Here each woman is a case
referred in the period, a visit that took place is a contact that got through, and the service counts a woman
as engaged at 3 contacts, so the trial's flow is referred 172, reached 129, engaged 85."""
from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pytest

from ecotool.reports.models import Brief

ALLOCATED, ONE_VISIT, THREE_VISITS = 172, 129, 85
END = date.today() - timedelta(days=1)
START = END - timedelta(days=119)


def _files(supporter_email: str) -> tuple[str, str]:
    """The trial's women as a cases file and their visits as a contacts file: 85 women with 3 visits, 22 with 2,
    22 with 1 (129 visited at least once), and 43 with one attempt that did not get through."""
    cases, contacts = ["ref,referral_date,imd_quintile,age_band,pathway,first_time,language_support,supporter_email"], \
        ["case_ref,when,channel,outcome"]
    visits = [3] * THREE_VISITS + [2] * 22 + [1] * (ONE_VISIT - THREE_VISITS - 22) + [0] * (ALLOCATED - ONE_VISIT)
    for n, made in enumerate(visits):
        ref, referred = f"BT-{n + 1:03d}", START + timedelta(days=n % 60)
        cases.append(f"{ref},{referred.isoformat()},1,20-24,Midwife referral,yes,no,{supporter_email}")
        for k in range(made):
            contacts.append(f"{ref},{datetime.combine(referred + timedelta(days=2 + 7 * k), time(11)):%Y-%m-%dT%H:%M},"
                            "home visit,reached")
        if not made:
            contacts.append(f"{ref},{datetime.combine(referred + timedelta(days=2), time(11)):%Y-%m-%dT%H:%M},"
                            "phone,no answer")
    return "\n".join(cases) + "\n", "\n".join(contacts) + "\n"


@pytest.mark.parametrize("rule, expected", [
    # Exact figures above the threshold: the trial's own 172, 129 (75%) and 85 (49%).
    ("threshold", {"referred": "172", "reached": "129", "engaged": "85", "reached_rate": "75%",
                   "engaged_rate": "49%", "reached_distorted": False, "engaged_distorted": False}),
    # NHS Digital's rule rounds to 5: 170, 130 (130/170 = 76%), 85 (85/170 = 50%), and marks both rates moved.
    ("nhs-digital", {"referred": "170", "reached": "130", "engaged": "85", "reached_rate": "76%",
                     "engaged_rate": "50%", "reached_distorted": True, "engaged_distorted": True}),
])
def test_the_trial_flow_comes_out_in_the_json(runner, session, team, tmp_path, rule, expected):
    service = team["service"]
    service.disclosure_rule = rule
    session.commit()
    cases, contacts = _files(team["supporter"].email)
    (tmp_path / "cases.csv").write_text(cases)
    (tmp_path / "contacts.csv").write_text(contacts)
    for kind in ("cases", "contacts"):
        result = runner.invoke(args=["import", kind, "--service", service.slug, str(tmp_path / f"{kind}.csv")])
        assert result.exit_code == 0, result.output
    out = tmp_path / "brief.json"
    result = runner.invoke(args=["brief", "--service", service.slug, "--from", START.isoformat(), "--to",
                                 END.isoformat(), "--format", "json", "--out", str(out),
                                 "--as", team["commissioner"].email])
    assert result.exit_code == 0, result.output
    published = json.loads(out.read_text())
    totals = published["totals"]
    assert {key: totals[key] for key in expected} == expected
    assert published["by_quintile"][0]["referred"] == expected["referred"]  # every woman lived in quintile 1
    # Attempts: 85 x 3 + 22 x 2 + 22 x 1 visits and 43 calls unanswered = 364; 364 / 85 engaged = 4.3.
    assert session.query(Brief).one().data["raw"]["rows"]["all"] == {
        "referred": ALLOCATED, "reached": ONE_VISIT, "engaged": THREE_VISITS, "attempts": 364}
    assert totals["contacts_per_engaged"] == "4.3"
