"""Cases closed and reopened, records corrected, forms sent twice or left open for hours."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ecotool.audit import AuditEvent
from ecotool.capture.models import Case, ContactAttempt, Observation
from ecotool.submissions import Submission
from tests.conftest import row_counts

TOKEN = "0123456789abcdef0123456789abcdef"


def _when(days: float = 0) -> str:
    """Five minutes before this moment `days` ago, kept on that day (just after midnight, five minutes earlier
    would be the day before, before a case referred today)."""
    moment = datetime.now() - timedelta(days=days)
    return max(moment - timedelta(minutes=5), datetime.combine(moment.date(), time())).strftime("%Y-%m-%dT%H:%M")


def _observation(framework, level="micro", **overrides):
    domain = next(d for d in framework.domains if d.level == level)
    data = {"level": level, "domain_id": str(domain.id), "journey_stage": "antenatal", "kind": "barrier",
            "source": "call", "text": "The bus does not run on Sundays.",
            "observed_on": date.today().isoformat()}
    data.update(overrides)
    return data


def test_a_case_closes_with_a_reason_refuses_contacts_and_reopens(client, team, login, make_case, session):
    case = make_case(team["service"], team["supporter"])
    login(team["supporter"])
    response = client.post(f"/cases/{case.id}/close", data={})
    assert response.status_code == 422 and 'id="reason-error"' in response.get_data(as_text=True)
    assert session.get(Case, case.id).status == "open"

    assert client.post(f"/cases/{case.id}/close", data={"reason": "moved away"}).status_code == 302
    session.expire_all()
    stored = session.get(Case, case.id)
    assert (stored.status, stored.close_reason, stored.closed_on) == ("closed", "moved away", date.today())
    assert f'href="/cases/{case.id}"' not in client.get("/cases").get_data(as_text=True)
    closed = client.get("/cases/closed").get_data(as_text=True)
    assert case.reference in closed and "moved away" in closed and f"/cases/{case.id}/reopen" in closed
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Reopen the case" in page and f"/cases/{case.id}/contact" not in page

    for response in (client.get(f"/cases/{case.id}/contact"),
                     client.post(f"/cases/{case.id}/contact", data={"channel": "phone", "outcome": "reached",
                                                                   "at": _when()})):
        assert response.status_code == 409
        assert f"/cases/{case.id}/reopen" in response.get_data(as_text=True)
    assert row_counts(ContactAttempt) == {"ContactAttempt": 0}

    assert client.post(f"/cases/{case.id}/reopen").status_code == 302
    session.expire_all()
    assert (session.get(Case, case.id).status, session.get(Case, case.id).close_reason) == ("open", None)
    assert client.post(f"/cases/{case.id}/contact", data={"channel": "phone", "outcome": "reached",
                                                         "at": _when()}).status_code == 302
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == case.id,
                                                              AuditEvent.object_type == "Case")).all()
    assert "case.close" in actions and "case.reopen" in actions


def test_a_contact_before_the_referral_or_over_a_year_back_is_refused(client, team, login, make_case):
    case = make_case(team["service"], team["supporter"], referral_date=date.today() - timedelta(days=3))
    login(team["supporter"])
    response = client.post(f"/cases/{case.id}/contact", data={"channel": "phone", "outcome": "reached",
                                                              "at": _when(days=5)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="at-error"' in html and "before the case was referred" in html
    old = make_case(team["service"], team["supporter"], referral_date=date.today() - timedelta(days=800))
    response = client.post(f"/cases/{old.id}/contact", data={"channel": "phone", "outcome": "reached",
                                                             "at": _when(days=400)})
    assert response.status_code == 422 and "more than a year ago" in response.get_data(as_text=True)
    assert row_counts(ContactAttempt) == {"ContactAttempt": 0}


def test_an_observation_is_dated_and_cannot_be_dated_before_the_referral_or_ahead(client, team, login, make_case,
                                                                                framework, session):
    case = make_case(team["service"], team["supporter"], referral_date=date.today() - timedelta(days=30))
    login(team["supporter"])
    url = f"/cases/{case.id}/observe?level=micro"
    for day, message in ((date.today() + timedelta(days=1), "in the future"),
                         (date.today() - timedelta(days=31), "before the case was referred")):
        response = client.post(url, data=_observation(framework, observed_on=day.isoformat()))
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert row_counts(Observation) == {"Observation": 0}
    ten_days_ago = date.today() - timedelta(days=10)
    assert client.post(url, data=_observation(framework, observed_on=ten_days_ago.isoformat())).status_code == 302
    assert session.scalar(select(Observation.observed_on)) == ten_days_ago


def test_a_service_observation_needs_no_journey_stage(client, team, login, framework, session):
    login(team["supporter"])
    response = client.post(f"/services/{team['service'].id}/observe?level=macro",
                           data=_observation(framework, level="macro", journey_stage=""))
    assert response.status_code == 302
    assert session.scalar(select(Observation.journey_stage)) is None


def test_a_note_on_a_text_is_recorded_as_a_text(client, team, login, make_case, framework, session):
    case = make_case(team["service"], team["supporter"])
    domain = next(d for d in framework.domains if d.level == "micro")
    login(team["supporter"])
    client.post(f"/cases/{case.id}/contact", data={
        "channel": "text", "outcome": "no answer", "at": _when(days=2), "note_domain_id": str(domain.id),
        "note_kind": "barrier", "note_text": "Her phone is often out of credit."})
    note = session.scalars(select(Observation)).one()
    assert (note.source, note.observed_on) == ("text", (datetime.now() - timedelta(days=2, minutes=5)).date())


def test_the_author_and_her_supervisor_correct_and_delete_an_observation(client, team, login, make_case, framework,
                                                                           session):
    case = make_case(team["service"], team["supporter"])
    login(team["supporter"])
    client.post(f"/cases/{case.id}/observe?level=micro", data=_observation(framework))
    note = session.scalars(select(Observation)).one()
    assert f"/observations/{note.id}/edit" in client.get(f"/cases/{case.id}").get_data(as_text=True)
    yesterday = date.today() - timedelta(days=1)
    response = client.post(f"/observations/{note.id}/edit", data={
        "kind": "enabler", "observed_on": yesterday.isoformat(), "text": "A neighbour drives her on Sundays.",
        "shareable": "y"})
    assert response.status_code == 302
    session.expire_all()
    note = session.get(Observation, note.id)
    assert (note.kind, note.observed_on, note.text, note.shareable) == (
        "enabler", yesterday, "A neighbour drives her on Sundays.", True)
    response = client.post(f"/observations/{note.id}/edit", data={
        "kind": "enabler", "observed_on": yesterday.isoformat(), "text": "She moved to LS6 2BT."})
    assert response.status_code == 422
    session.expire_all()
    assert session.get(Observation, note.id).text == "A neighbour drives her on Sundays."

    login(team["other_supporter"])  # not hers: she cannot even see it
    assert client.get(f"/observations/{note.id}/edit").status_code == 404
    assert client.post(f"/observations/{note.id}/delete").status_code == 404

    login(team["supervisor"])
    response = client.post(f"/observations/{note.id}/edit", data={
        "kind": "enabler", "observed_on": yesterday.isoformat(), "text": "A neighbour drives her on Sundays.",
        "shareable": ""})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Observation, note.id).shareable is False
    assert client.post(f"/observations/{note.id}/delete").status_code == 302
    assert row_counts(Observation) == {"Observation": 0}
    events = session.execute(select(AuditEvent.action, AuditEvent.object_id, AuditEvent.actor_id)
                             .where(AuditEvent.object_type == "Observation")).all()
    assert [(a, i) for a, i, _ in events] == [("observation.create", note.id), ("observation.update", note.id),
                                              ("observation.update", note.id), ("observation.delete", note.id)]
    assert events[-1][2] == team["supervisor"].id


def test_a_form_sent_twice_saves_once_and_leads_to_the_same_page(client, team, login, make_case, framework,
                                                                  session):
    login(team["supporter"])
    first = client.post("/cases/new", data={**_case_form(team), "once": TOKEN})
    again = client.post("/cases/new", data={**_case_form(team), "once": TOKEN})
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert row_counts(Case) == {"Case": 1}
    assert "saved already" in client.get(again.headers["Location"]).get_data(as_text=True)

    case = session.scalars(select(Case)).one()
    contact = {"channel": "phone", "outcome": "no answer", "at": _when()}
    for token in ("a" * 32, "b" * 32):  # a resend, and the same attempt from a form opened again
        assert client.post(f"/cases/{case.id}/contact", data={**contact, "once": token}).status_code == 302
    assert row_counts(ContactAttempt) == {"ContactAttempt": 1}
    for token in ("c" * 32, "c" * 32, "d" * 32):
        response = client.post(f"/cases/{case.id}/observe?level=micro", data={**_observation(framework), "once": token})
        assert response.status_code == 302
    assert row_counts(Observation) == {"Observation": 1}
    assert session.scalar(select(Submission.location).where(Submission.token == TOKEN)).endswith(f"/cases/{case.id}")


def test_a_failed_submission_leaves_its_token_free(client, team, login):
    login(team["supporter"])
    bad = client.post("/cases/new", data={**_case_form(team, age_band=""), "once": TOKEN})
    assert bad.status_code == 422 and row_counts(Submission) == {"Submission": 0}
    assert client.post("/cases/new", data={**_case_form(team), "once": TOKEN}).status_code == 302
    assert row_counts(Case, Submission) == {"Case": 1, "Submission": 1}


def test_a_form_left_open_until_its_token_expired_comes_back_with_what_was_typed(app, client, team, login,
                                                                                  make_case, framework):
    case = make_case(team["service"], team["supporter"])
    login(team["supporter"])
    app.config["WTF_CSRF_ENABLED"] = True
    typed = "Partner works nights; she sleeps in the day and misses the calls."
    response = client.post(f"/cases/{case.id}/observe?level=micro",
                           data={**_observation(framework, text=typed), "csrf_token": "expired"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert typed in html and "nothing was saved yet" in html
    assert row_counts(Observation) == {"Observation": 0}
    fresh = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post(f"/cases/{case.id}/observe?level=micro",
                           data={**_observation(framework, text=typed), "csrf_token": fresh})
    assert response.status_code == 302 and row_counts(Observation) == {"Observation": 1}
    # A button with no form behind it (reopening a case) still gets the plain refusal.
    assert client.post(f"/cases/{case.id}/reopen", data={"csrf_token": "expired"}).status_code == 400


def _case_form(team, **overrides):
    data = {"service_id": str(team["service"].id), "imd_quintile": "1", "age_band": "under 20", "first_time": "yes",
            "language_support": "no", "pathway_id": str(team["service"].pathways[0].id),
            "referral_date": date.today().isoformat(), "journey_stage": "antenatal"}
    data.update(overrides)
    return data
