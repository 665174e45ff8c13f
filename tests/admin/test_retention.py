"""Erasure and retention: a case goes for good, its words first and every copy of them, on an administrator's request
or past its service's retention period; a decision's evidence stays counted; stored briefs keep their bytes."""
from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from ecotool.audit import AuditEvent
from ecotool.capture.models import Case, ContactAttempt, Observation, ObservationComment
from ecotool.capture.operations import add_observation, close_case, comment_on_observation, delete_observation
from ecotool.reports.operations import generate_brief
from ecotool.supervision.models import SupervisionSession
from ecotool.supervision.operations import close_session, open_session
from tests.conftest import columns_holding

WORDS = "Zephyrine waits for the late bus"  # distinctive words to search the whole database for
CITED = "Quillon calls go unanswered by day"
DELETED = "Thistlecombe visits were cancelled"  # raised in the session, deleted after it closed


def _story(session, team, make_case, make_attempt, make_decision, framework):
    """A case with attempts, a plain observation (commented on, raised in a closed supervision session) and one a
    decision cites."""
    case = make_case(team["service"], team["supporter"], referral_date=date.today() - timedelta(days=60))
    make_attempt(case, "no answer")
    make_attempt(case, "reached")
    domain = next(d for d in framework.domains if d.code == "micro.contactability")
    held = open_session(session, team["supervisor"], team["service"], [team["supporter"].id], date.today(),
                        date.today() - timedelta(days=28), date.today())
    plain = add_observation(session, team["supporter"].id, team["service"], case=case, domain_id=domain.id,
                            journey_stage="antenatal", kind="barrier", source="call", text=WORDS, session_id=held.id)
    comment_on_observation(session, team["supervisor"].id, plain, f"Ask about {WORDS}", session_id=held.id)
    gone = add_observation(session, team["supporter"].id, team["service"], case=case, domain_id=domain.id,
                           journey_stage="antenatal", kind="barrier", source="call", text=DELETED, session_id=held.id)
    close_session(session, team["supervisor"].id, held)
    delete_observation(session, team["supporter"].id, gone)
    cited = add_observation(session, team["supporter"].id, team["service"], case=case, domain_id=domain.id,
                            journey_stage="antenatal", kind="barrier", source="call", text=CITED)
    decision = make_decision(start_date=date.today())
    decision.observations.append(cited)
    session.commit()
    return case, held, cited, decision


def test_an_administrator_erases_one_case_on_request(client, login, session, team, make_case, make_attempt,
                                                     make_decision, framework):
    case, held, cited, decision = _story(session, team, make_case, make_attempt, make_decision, framework)
    brief = generate_brief(session, team["supervisor"].id, team["service"], date.today() - timedelta(days=90),
                           date.today())
    session.commit()
    pdf, case_id, reference = brief.pdf, case.id, case.reference
    assert columns_holding(WORDS) and columns_holding(DELETED)
    login(team["admin"])
    missing = client.post(f"/admin/services/{team['service'].id}/erase", data={"reference": "NO-0000"})
    assert missing.status_code == 422 and "has no case NO-0000" in missing.get_data(as_text=True)
    shown = client.post(f"/admin/services/{team['service'].id}/erase", data={"reference": reference.lower()})
    assert "cannot be undone" in shown.get_data(as_text=True) and session.get(Case, case_id) is not None
    done = client.post(f"/admin/services/{team['service'].id}/erase",
                       data={"reference": reference, "confirm": reference}, follow_redirects=True)
    assert f"Case {reference} is erased" in done.get_data(as_text=True)
    session.expire_all()
    assert session.get(Case, case_id) is None
    assert session.scalars(select(ContactAttempt).where(ContactAttempt.case_id == case_id)).all() == []
    assert session.scalars(select(ObservationComment)).all() == []
    kept = session.get(Observation, cited.id)
    assert (kept.text, kept.case_id, kept.shareable) == ("(erased)", None, False)
    assert [o.id for o in session.get(type(decision), decision.id).observations] == [cited.id]
    assert columns_holding(WORDS) == [] and columns_holding(CITED) == [] and columns_holding(DELETED) == []
    assert columns_holding(reference) == []
    record = session.get(SupervisionSession, held.id).closed_record
    assert record["observations"][0]["text"] == "(erased)" and record["comments"][0]["text"] == "(erased)"
    assert session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "Case",
                                                          AuditEvent.object_id == case_id)
                          .order_by(AuditEvent.id.desc()).limit(1)) == "case.erase_request"
    assert client.get(f"/briefs/{brief.id}.pdf").data == pdf  # a stored brief keeps its bytes


def test_the_retention_run_erases_closed_cases_past_the_period_only(runner, session, team, make_case, make_attempt):
    team["service"].retention_months = 12
    old = make_case(team["service"], team["supporter"], referral_date=date.today() - timedelta(days=800))
    recent = make_case(team["service"], team["supporter"], referral_date=date.today() - timedelta(days=800))
    still_open = make_case(team["service"], team["supporter"], referral_date=date.today() - timedelta(days=800))
    for case in (old, recent):
        make_attempt(case, "reached", at=None)
        close_case(session, team["admin"].id, case, reason="feeding ended")
    old.closed_on = date.today() - relativedelta(months=12) - timedelta(days=1)
    recent.closed_on = date.today() - relativedelta(months=12)
    session.commit()
    ids = (old.id, recent.id, still_open.id)
    result = runner.invoke(args=["retention", "run", "--as", team["admin"].email])
    assert result.exit_code == 0, result.output
    assert f"{team['service'].slug}: 1 closed case erased" in result.output
    session.expire_all()
    assert [session.get(Case, i) is not None for i in ids] == [False, True, True]
    assert session.scalar(select(AuditEvent.actor_id).where(AuditEvent.action == "case.erase_retention")) \
        == team["admin"].id
