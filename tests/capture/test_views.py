"""Capture pages through the Flask test client."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from ecotool.capture.models import Case, ContactAttempt, Observation
from tests.conftest import row_counts


def _case_form(team, **overrides):
    data = {"imd_quintile": "1", "age_band": "under 20", "first_time": "yes", "language_support": "no",
            "pathway_id": str(team["service"].pathways[0].id), "referral_date": date.today().isoformat(),
            "journey_stage": "antenatal"}
    data.update(overrides)
    return data


def test_supporter_creates_a_case(client, team, login, session):
    login(team["supporter"])
    response = client.post("/cases/new", data=_case_form(team))
    assert response.status_code == 302
    case = session.query(Case).one()
    assert (case.imd_quintile, case.age_band, case.supporter_id) == (1, "under 20", team["supporter"].id)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert case.reference in page and "Target" in page


def test_bad_case_input_gets_messages_next_to_fields_and_no_rows(client, team, login):
    login(team["supporter"])
    future = (date.today() + timedelta(days=3)).isoformat()
    response = client.post("/cases/new", data=_case_form(team, imd_quintile="", age_band="teen",
                                                         referral_date=future, pathway_id=""))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="imd_quintile-error"' in html
    assert 'id="age_band-error"' in html and "Not a valid choice" in html
    assert 'id="referral_date-error"' in html and "future" in html
    assert 'id="pathway_id-error"' in html
    assert 'aria-describedby="referral_date-help referral_date-error"' in html
    assert row_counts(Case) == {"Case": 0}


def test_contact_attempt_and_observation_pages(client, team, login, make_case, framework, session):
    case = make_case(team["service"], team["supporter"])
    login(team["supporter"])
    when = (datetime.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/cases/{case.id}/contact", data={"channel": "text", "outcome": "no answer", "at": when})
    assert response.status_code == 302
    domain = next(d for d in framework.domains if d.code == "micro.household-gatekeeping")
    response = client.post(f"/cases/{case.id}/observe?level=micro", data={
        "level": "micro", "domain_id": str(domain.id), "journey_stage": "first-days", "kind": "barrier",
        "source": "call", "text": "Her partner picks up the phone and says she is out.",
    })
    assert response.status_code == 302
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "No answer" in page and "Her partner picks up the phone" in page and domain.name in page
    assert session.query(Observation).one().framework_version_id == framework.id


def test_bad_contact_and_observation_input_writes_nothing(client, team, login, make_case):
    case = make_case(team["service"], team["supporter"])
    login(team["supporter"])
    response = client.post(f"/cases/{case.id}/contact", data={"channel": "pigeon", "outcome": "", "at": "yesterday"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="channel-error"' in html and 'id="outcome-error"' in html and 'id="at-error"' in html
    response = client.post(f"/cases/{case.id}/observe?level=micro", data={
        "domain_id": "", "journey_stage": "", "kind": "barrier", "source": "call", "text": "   "})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="domain_id-error"' in html and 'id="text-error"' in html
    assert row_counts(ContactAttempt, Observation) == {"ContactAttempt": 0, "Observation": 0}


def test_failed_attempts_in_a_row_suggest_a_hand_over(client, team, login, make_case, make_attempt):
    case = make_case(team["service"], team["supporter"])
    for days in (3, 2, 1):
        make_attempt(case, "no answer", at=datetime.now() - timedelta(days=days))
    login(team["supporter"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "3 attempts in a row have not reached her" in page and "handing over" in page


def test_service_level_observation(client, team, login, framework, session):
    login(team["supporter"])
    domain = next(d for d in framework.domains if d.level == "macro")
    response = client.post(f"/services/{team['service'].id}/observe?level=macro", data={
        "domain_id": str(domain.id), "journey_stage": "birth-and-hospital", "kind": "barrier",
        "source": "team meeting", "text": "Discharge lists come without contact details.",
    })
    assert response.status_code == 302
    obs = session.query(Observation).one()
    assert obs.case_id is None and obs.service_id == team["service"].id


def test_access_to_cases_by_role(client, team, login, make_case, make_service, make_person):
    mine = make_case(team["service"], team["supporter"])
    theirs = make_case(team["service"], team["other_supporter"])
    elsewhere_service = make_service("south", "South service")
    elsewhere = make_case(elsewhere_service, make_person("peer_supporter", elsewhere_service))
    login(team["supporter"])
    assert client.get(f"/cases/{mine.id}").status_code == 200
    assert client.get(f"/cases/{theirs.id}").status_code == 404
    assert client.get(f"/cases/{elsewhere.id}").status_code == 404
    assert client.post(f"/cases/{theirs.id}/contact", data={}).status_code == 404
    caseload = client.get("/cases").get_data(as_text=True)
    assert mine.reference in caseload and theirs.reference not in caseload
    login(team["supervisor"])
    caseload = client.get("/cases").get_data(as_text=True)
    assert mine.reference in caseload and theirs.reference in caseload and elsewhere.reference not in caseload
    assert client.get(f"/cases/{elsewhere.id}").status_code == 404
    login(team["commissioner"])
    assert client.get(f"/cases/{mine.id}").status_code == 403


def test_referral_date_before_2000_is_refused(client, team, login):
    login(team["supporter"])
    response = client.post("/cases/new", data=_case_form(team, referral_date="1900-01-01"))
    assert response.status_code == 422
    assert "from 01 Jan 2000 on" in response.get_data(as_text=True)
    assert row_counts(Case) == {"Case": 0}
