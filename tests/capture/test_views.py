"""Capture pages through the Flask test client."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from ecotool.capture.models import Case, ContactAttempt, Observation
from tests.conftest import row_counts


def _case_form(team, **overrides):
    data = {"service_id": str(team["service"].id), "imd_quintile": "1", "age_band": "under 20", "first_time": "yes", "language_support": "no",
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
    assert "from 1 Jan 2000 on" in response.get_data(as_text=True)
    assert row_counts(Case) == {"Case": 0}


def _when(hours_ago: int = 1) -> str:
    return (datetime.now() - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M")


def test_contact_attempt_with_a_note_records_both(client, team, login, make_case, framework, session):
    case = make_case(team["service"], team["supporter"])
    domain = next(d for d in framework.domains if d.code == "micro.household-gatekeeping")
    login(team["supporter"])
    response = client.post(f"/cases/{case.id}/contact", data={
        "channel": "phone", "outcome": "someone else answered", "at": _when(),
        "note_domain_id": str(domain.id), "note_text": "Her partner picked up and would not pass the phone over.",
    })
    assert response.status_code == 302
    obs = session.query(Observation).one()
    assert (obs.case_id, obs.domain_id, obs.kind, obs.source, obs.shareable) == (case.id, domain.id, "barrier", "call", False)
    assert session.query(ContactAttempt).one().outcome == "someone else answered"


def test_contact_note_without_domain_or_with_a_phone_number_writes_nothing(client, team, login, make_case, framework):
    case = make_case(team["service"], team["supporter"])
    login(team["supporter"])
    response = client.post(f"/cases/{case.id}/contact", data={
        "channel": "phone", "outcome": "no answer", "at": _when(), "note_domain_id": "",
        "note_text": "Try her sister on 07700 900123"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Remove a phone number at word 5 before saving." in html
    assert 'id="note_domain_id-error"' in html
    # Drafts come back: the channel and outcome chosen are still ticked.
    assert '<input checked id="channel-0" name="channel" required type="radio" value="phone">' in html
    assert '<input checked id="outcome-1" name="outcome" required type="radio" value="no answer">' in html
    assert row_counts(ContactAttempt, Observation) == {"ContactAttempt": 0, "Observation": 0}


def test_contact_form_offers_the_last_channel_used(client, team, login, make_case, make_attempt):
    case = make_case(team["service"], team["supporter"])
    make_attempt(case, "no answer", channel="text")
    login(team["supporter"])
    html = client.get(f"/cases/{case.id}/contact").get_data(as_text=True)
    assert '<input checked id="channel-1" name="channel" required type="radio" value="text">' in html


def test_observation_asks_for_the_level_first_then_shows_its_domains_and_prompts(client, team, login, make_case,
                                                                                  framework):
    case = make_case(team["service"], team["supporter"])
    login(team["supporter"])
    first = client.get(f"/cases/{case.id}/observe").get_data(as_text=True)
    assert "?level=macro" in first and "?level=micro" in first and 'name="text"' not in first
    micro = client.get(f"/cases/{case.id}/observe?level=micro").get_data(as_text=True)
    gate = next(d for d in framework.domains if d.code == "micro.household-gatekeeping")
    funding = next(d for d in framework.domains if d.code == "macro.funding-levels")
    assert gate.name in micro and gate.prompts_for("recording")[0] in micro
    assert funding.name not in micro
    assert 'id="shareable" name="shareable" type="checkbox" value="y">' in micro  # unticked by default


def test_domain_from_another_level_is_refused(client, team, login, make_case, framework):
    case = make_case(team["service"], team["supporter"])
    funding = next(d for d in framework.domains if d.code == "macro.funding-levels")
    login(team["supporter"])
    response = client.post(f"/cases/{case.id}/observe?level=micro", data={
        "level": "micro", "domain_id": str(funding.id), "journey_stage": "antenatal", "kind": "barrier",
        "source": "call", "text": "Only two visits are paid for."})
    assert response.status_code == 422
    assert row_counts(Observation) == {"Observation": 0}


def test_names_are_warned_about_and_saved_once_confirmed(client, team, login, make_case, framework, session):
    case = make_case(team["service"], team["supporter"])
    domain = next(d for d in framework.domains if d.level == "micro")
    login(team["supporter"])
    data = {"level": "micro", "domain_id": str(domain.id), "journey_stage": "antenatal", "kind": "context",
            "source": "visit", "text": "Sarah from next door helps with the older child."}
    response = client.post(f"/cases/{case.id}/observe?level=micro", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "These words look like names: Sarah." in html and 'name="confirm_names"' in html
    assert "Sarah from next door helps with the older child." in html  # the draft comes back
    assert row_counts(Observation) == {"Observation": 0}
    response = client.post(f"/cases/{case.id}/observe?level=micro", data={**data, "confirm_names": "y"})
    assert response.status_code == 302
    assert session.query(Observation).one().text == "Sarah from next door helps with the older child."


def test_staff_names_are_warned_about(client, team, login, make_case, framework):
    case = make_case(team["service"], team["supporter"])
    domain = next(d for d in framework.domains if d.level == "micro")
    colleague = team["other_supporter"].display_name.split()[0]
    login(team["supporter"])
    response = client.post(f"/cases/{case.id}/observe?level=micro", data={
        "level": "micro", "domain_id": str(domain.id), "journey_stage": "antenatal", "kind": "context",
        "source": "visit", "text": f"handed over to {colleague.lower()} for the evening visit"})
    assert response.status_code == 422
    assert "These words look like names" in response.get_data(as_text=True)


def test_each_role_sees_only_its_cases(client, team, login, make_case, make_service, make_person):
    mine = make_case(team["service"], team["supporter"])
    theirs = make_case(team["service"], team["other_supporter"])
    south = make_service("south", "South service")
    south_supervisor = make_person("supervisor", south)
    elsewhere = make_case(south, make_person("peer_supporter", south, south_supervisor))
    pages = lambda case: [f"/cases/{case.id}", f"/cases/{case.id}/contact", f"/cases/{case.id}/observe",  # noqa: E731
                          f"/cases/{case.id}/observe?level=micro"]
    expected = {
        "supporter": {mine: 200, theirs: 404, elsewhere: 404},
        "other_supporter": {mine: 404, theirs: 200, elsewhere: 404},
        "supervisor": {mine: 200, theirs: 200, elsewhere: 404},
        "commissioner": {mine: 403, theirs: 403, elsewhere: 403},
        "admin": {mine: 403, theirs: 403, elsewhere: 403},
    }
    for role, cases in expected.items():
        login(team[role])
        for case, status in cases.items():
            for url in pages(case):
                assert client.get(url).status_code == status, (role, url)
        if role in ("commissioner", "admin"):
            assert client.get("/cases").status_code == 403
    login(south_supervisor)
    assert client.get(f"/cases/{elsewhere.id}").status_code == 200
    assert client.get(f"/cases/{mine.id}").status_code == 404


def test_case_stage_close_and_hand_over(client, team, login, make_case, session):
    case = make_case(team["service"], team["supporter"])
    login(team["supporter"])
    response = client.post(f"/cases/{case.id}/edit", data={
        "journey_stage": "early-weeks", "supporter_id": str(team["supporter"].id)})
    assert response.status_code == 302
    assert "Early weeks" in client.get(f"/cases/{case.id}").get_data(as_text=True) or \
        session.get(Case, case.id).journey_stage == "early-weeks"
    response = client.post(f"/cases/{case.id}/edit", data={
        "journey_stage": "early-weeks", "supporter_id": str(team["commissioner"].id)})
    assert response.status_code == 422
    response = client.post(f"/cases/{case.id}/edit", data={
        "journey_stage": "early-weeks", "supporter_id": str(team["other_supporter"].id)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/cases")
    assert client.get(f"/cases/{case.id}").status_code == 404  # handed over: no longer hers
    login(team["other_supporter"])
    response = client.post(f"/cases/{case.id}/edit", data={
        "journey_stage": "later", "supporter_id": str(team["other_supporter"].id)})
    assert response.status_code == 302
    response = client.post(f"/cases/{case.id}/close", data={"reason": "moved away"})
    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Case, case.id)
    assert (stored.journey_stage, stored.status, stored.close_reason, stored.supporter_id) == (
        "later", "closed", "moved away", team["other_supporter"].id)
    caseload = client.get("/cases").get_data(as_text=True)
    assert f'<strong class="ref">{case.reference}</strong>' not in caseload  # the caseload lists open cases


def test_a_domain_without_a_note_is_pointed_out(client, team, login, make_case, framework):
    case = make_case(team["service"], team["supporter"])
    domain = framework.domains[0]
    login(team["supporter"])
    response = client.post(f"/cases/{case.id}/contact", data={
        "channel": "phone", "outcome": "no answer", "at": _when(), "note_domain_id": str(domain.id), "note_text": ""})
    assert response.status_code == 422
    assert "Write the note, or set" in response.get_data(as_text=True)
    assert row_counts(ContactAttempt) == {"ContactAttempt": 0}


def test_a_confirmation_of_names_does_not_carry_over_to_new_text(client, team, login, make_case, framework):
    case = make_case(team["service"], team["supporter"])
    domain = next(d for d in framework.domains if d.level == "micro")
    login(team["supporter"])
    data = {"level": "micro", "domain_id": str(domain.id), "journey_stage": "", "kind": "context",
            "source": "visit", "text": "Sarah helps.", "confirm_names": "y"}
    response = client.post(f"/cases/{case.id}/observe?level=micro", data=data)  # fails on the stage
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'name="confirm_names"' not in html  # the tick is dropped with the failed save
    assert "Not saved yet. Please check: Journey stage." in html
    response = client.post(f"/cases/{case.id}/observe?level=micro", data={**data, "journey_stage": "antenatal",
                                                                          "confirm_names": ""})
    assert response.status_code == 422 and "These words look like names: Sarah." in response.get_data(as_text=True)


def test_a_supporter_in_two_services_chooses_the_service(client, team, login, make_service, session):
    from ecotool.auth.models import Membership

    south = make_service("south", "South service")
    session.add(Membership(person_id=team["supporter"].id, service_id=south.id))
    session.commit()
    login(team["supporter"])
    page = client.get("/cases/new").get_data(as_text=True)
    assert 'name="service_id"' in page and "South service" in page
    response = client.post("/cases/new", data=_case_form(team, service_id=str(south.id),
                                                         pathway_id=str(south.pathways[0].id)))
    assert response.status_code == 302
    assert session.query(Case).one().service_id == south.id
    response = client.post("/cases/new", data=_case_form(team, service_id=str(south.id)))  # north's pathway
    assert response.status_code == 422 and "Choose one of this service" in response.get_data(as_text=True)


def test_a_note_over_its_limit_is_refused_for_length_before_the_guard_reads_it(client, team, login, make_case,
                                                                              framework, session):
    from ecotool.capture.models import Observation

    case = make_case(team["service"], team["supporter"])
    domain = next(d for d in framework.domains if d.level == "micro")
    login(team["supporter"])
    data = {"level": "micro", "domain_id": str(domain.id), "journey_stage": "antenatal", "kind": "context",
            "source": "visit", "text": "She lives at LS6 2BT. " + "x" * 2000}
    response = client.post(f"/cases/{case.id}/observe?level=micro", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "longer than 2000 characters" in html
    assert "Remove a UK postcode" not in html  # the guard never ran on the over-long text
    assert session.query(Observation).count() == 0


def test_a_huge_post_is_refused_whole(client, team, login, make_case):
    case = make_case(team["service"], team["supporter"])
    login(team["supporter"])
    response = client.post(f"/cases/{case.id}/observe?level=micro", data={"text": "x" * 300_000})
    assert response.status_code == 413
    assert "Too much to send" in response.get_data(as_text=True)


def test_the_not_names_tick_sits_under_the_warned_note(client, team, login, make_case, framework):
    case = make_case(team["service"], team["supporter"])
    domain = next(d for d in framework.domains if d.level == "micro")
    login(team["supporter"])
    response = client.post(f"/cases/{case.id}/observe?level=micro", data={
        "level": "micro", "domain_id": str(domain.id), "journey_stage": "antenatal", "kind": "context",
        "source": "visit", "text": "Mrs Patel's sister drives her to group"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "These words look like names: Patel." in html
    assert html.index('id="text-error"') < html.index('name="confirm_names"') < html.index('name="shareable"')
