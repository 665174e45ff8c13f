"""A decision's life: proposed, edited, agreed, in effect, reviewed with its figures kept, stopped; who, when, why."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from ecotool.clock import local_today
from ecotool.decisions import effect as measured
from ecotool.decisions.models import Decision, DecisionChange, DecisionReview
from ecotool.decisions.operations import change_status, edit_decision, review_decision
from ecotool.errors import OperationError
from tests.conftest import row_counts

TODAY = local_today()
START = TODAY - timedelta(days=150)


def _edit(decision, **changes):
    fields = dict(title=decision.title, rationale=decision.rationale, response_type=decision.response_type,
                  target_group=decision.target_group, domain_ids=[d.id for d in decision.domains],
                  start_date=decision.start_date, review_date=decision.review_date)
    return {**fields, **changes}


def test_only_a_proposal_can_be_edited(session, team, make_decision):
    decision = make_decision(start_date=START, status="proposed")
    edit_decision(session, team["supervisor"].id, decision, **_edit(decision, title="Text at three weeks"))
    assert decision.title == "Text at three weeks"
    change_status(session, team["supervisor"].id, decision, "agreed", "The team agreed on Tuesday.")
    with pytest.raises(OperationError, match="only a proposal can be edited"):
        edit_decision(session, team["supervisor"].id, decision, **_edit(decision, title="Something else"))


def test_the_lifecycle_allows_only_its_next_steps_and_keeps_who_when_why(session, team, make_decision):
    decision = make_decision(start_date=START, status="proposed")
    who = team["supervisor"].id
    with pytest.raises(OperationError, match="From proposed it can move to agreed or stopped"):
        change_status(session, who, decision, "in effect", "Started.")
    with pytest.raises(OperationError, match="Say why"):
        change_status(session, who, decision, "agreed", "   ")
    with pytest.raises(OperationError, match="a UK postcode"):
        change_status(session, who, decision, "agreed", "Agreed for SW1A 1AA")
    change_status(session, who, decision, "agreed", "Agreed at the team meeting.")
    change_status(session, who, decision, "in effect", "Texts went out from the start date.")
    with pytest.raises(OperationError, match="only a decision in effect"):
        review_decision(session, who, make_decision(start_date=START, title="Other", status="agreed"), "keep", "Fine.")
    assert [(c.status, c.reason, c.changed_by_id) for c in decision.changes] == [
        ("proposed", "Recorded.", who), ("agreed", "Agreed at the team meeting.", who),
        ("in effect", "Texts went out from the start date.", who)]


def test_a_future_start_cannot_be_in_effect_yet(session, team, make_decision):
    decision = make_decision(start_date=TODAY + timedelta(days=3), status="agreed")
    with pytest.raises(OperationError, match="mark it in effect from then"):
        change_status(session, team["supervisor"].id, decision, "in effect", "Early.")


def test_stopping_sets_the_day_it_stopped_and_nothing_follows(session, team, make_decision):
    decision = make_decision(start_date=START, status="in effect")
    with pytest.raises(OperationError, match="today or earlier"):
        change_status(session, team["supervisor"].id, decision, "stopped", "Ended.", TODAY + timedelta(days=1))
    change_status(session, team["supervisor"].id, decision, "stopped", "The texting service ended.",
                  START + timedelta(days=30))
    assert decision.stopped_on == START + timedelta(days=30)
    with pytest.raises(OperationError, match="nothing: it has stopped"):
        change_status(session, team["supervisor"].id, decision, "agreed", "Again.")


def test_a_review_keeps_the_figures_of_its_day_even_when_the_records_change(session, team, make_decision, cohort):
    for day in (START - timedelta(days=90), START + timedelta(days=89)):
        cohort(day, 12, quintile=4, reached=3)
        cohort(day, 12, quintile=1, reached=1)
    decision = make_decision(start_date=START, status="in effect", review_date=TODAY - timedelta(days=2))
    assert decision.review_due(TODAY)
    review = review_decision(session, team["supervisor"].id, decision, "keep", "It works for most women.",
                             next_review=TODAY + timedelta(days=90))
    session.commit()
    assert decision.status == "reviewed" and decision.review_date == TODAY + timedelta(days=90)
    assert not decision.review_due(TODAY)
    stored = measured.Effect.from_dict(review.figures)
    assert stored.cells["other"]["after"] == {"referred": 12, "reached": 12, "engaged": 12}
    cohort(START + timedelta(days=10), 5, quintile=4, reached=0)  # records added after the review
    session.expire_all()
    assert measured.measure(session, decision, TODAY).cells["other"]["after"]["referred"] == 17
    assert measured.Effect.from_dict(session.get(DecisionReview, review.id).figures) == stored

    review_decision(session, team["supervisor"].id, decision, "stop", "Target women gained nothing.")
    assert decision.status == "stopped" and decision.stopped_on == TODAY
    with pytest.raises(OperationError, match="only a decision in effect"):
        review_decision(session, team["supervisor"].id, decision, "keep", "Again.")


def test_a_stop_has_no_next_review(session, team, make_decision):
    decision = make_decision(start_date=START, status="in effect")
    with pytest.raises(OperationError, match="A next review is after today"):
        review_decision(session, team["supervisor"].id, decision, "stop", "Ended.", TODAY + timedelta(days=3))
    with pytest.raises(OperationError, match="A next review is after today"):
        review_decision(session, team["supervisor"].id, decision, "keep", "Goes on.", TODAY)


def test_a_supervisor_takes_a_decision_from_proposal_to_review_through_its_pages(
        client, login, team, framework, session, cohort):
    for day in (START - timedelta(days=90), START + timedelta(days=89)):
        cohort(day, 12, quintile=4, reached=3)
        cohort(day, 12, quintile=1, reached=1)
    login(team["supervisor"])
    domain = next(d for d in framework.domains if d.code == "micro.contactability")
    response = client.post("/decisions/new", data={
        "service_id": str(team["service"].id), "title": "Text every mother at 2-3 weeks",
        "rationale": "First calls go unanswered.", "domain_ids": [str(domain.id)],
        "response_type": "change-contact-timing", "target_group": "imd-quintile-1", "pathway_id": "",
        "decided_on": (START - timedelta(days=7)).isoformat(), "start_date": START.isoformat(),
        "review_date": (TODAY - timedelta(days=1)).isoformat(), "window_days": "90", "status": "proposed"})
    assert response.status_code == 302
    decision = session.query(Decision).one()
    url = f"/decisions/{decision.id}"
    assert decision.decided_on == START - timedelta(days=7) and decision.window_days == 90

    # Edit while proposed; a bad window is refused next to its field, with nothing changed.
    page = client.get(f"{url}/edit").get_data(as_text=True)
    assert 'value="Text every mother at 2-3 weeks"' in page
    assert re.findall(r'<input checked[^>]*value="(\d+)"', page) == [str(domain.id)]
    bad = client.post(f"{url}/edit", data={"title": "Text at three weeks", "rationale": "Unanswered calls.",
                                           "domain_ids": [str(domain.id)], "response_type": "change-contact-timing",
                                           "target_group": "imd-quintile-1", "start_date": START.isoformat(),
                                           "window_days": "5"})
    assert bad.status_code == 422 and 'id="window_days-error"' in bad.get_data(as_text=True)
    session.expire_all()
    assert session.get(Decision, decision.id).title == "Text every mother at 2-3 weeks"
    ok = client.post(f"{url}/edit", data={"title": "Text at three weeks", "rationale": "Unanswered calls.",
                                          "domain_ids": [str(domain.id)], "response_type": "change-contact-timing",
                                          "target_group": "imd-quintile-1", "start_date": START.isoformat(),
                                          "review_date": (TODAY - timedelta(days=1)).isoformat(),
                                          "window_days": "90"})
    assert ok.status_code == 302

    # Agree, then in effect; a missing reason is refused next to its field.
    assert client.get(f"{url}/status?to=agreed").status_code == 200
    missing = client.post(f"{url}/status", data={"status": "agreed", "reason": ""})
    assert missing.status_code == 422 and 'id="reason-error"' in missing.get_data(as_text=True)
    assert client.post(f"{url}/status", data={"status": "agreed", "reason": "Agreed by the team."}).status_code == 302
    assert client.post(f"{url}/status", data={"status": "in effect", "reason": "Texts went out."}).status_code == 302
    assert client.get(f"{url}/edit").status_code == 409

    # Its review is due: on the dashboard and in the filtered list.
    dashboard = client.get("/supervision/").get_data(as_text=True)
    assert "Decisions to review" in dashboard and "Text at three weeks" in dashboard
    due = client.get("/decisions/?due=y").get_data(as_text=True)
    assert "Text at three weeks" in due and "Review due since" in due

    # The page shows its effect and chart; reviewing keeps the figures with the outcome.
    shown = client.get(url).get_data(as_text=True)
    assert "Effect so far" in shown and f'src="/decisions/{decision.id}/effect.svg"' in shown
    assert client.get(f"{url}/effect.svg").headers["Content-Type"].startswith("image/svg+xml")
    no_outcome = client.post(f"{url}/review", data={"reason": "Looked at it."})
    assert no_outcome.status_code == 422 and 'id="outcome-error"' in no_outcome.get_data(as_text=True)
    assert client.post(f"{url}/review", data={"outcome": "keep", "reason": "Engagement rose for other women.",
                                              "next_review": (TODAY + timedelta(days=60)).isoformat()}
                       ).status_code == 302
    review = session.query(DecisionReview).one()
    assert review.outcome == "keep" and review.figures["cells"]["target"]["after"]["referred"] == 12
    shown = client.get(url).get_data(as_text=True)
    assert "Keep" in shown and "Engagement rose for other women." in shown
    assert client.get(f"{url}/effect.svg?review={review.id}").status_code == 200
    assert client.get(f"{url}/effect.svg?review={review.id + 100}").status_code == 404
    assert [c.status for c in session.query(DecisionChange).order_by(DecisionChange.id)] == [
        "proposed", "agreed", "in effect", "reviewed"]
    assert "Decisions to review" not in client.get("/supervision/").get_data(as_text=True)


def test_the_list_filters_by_status_level_domain_and_pathway(client, login, team, make_decision, session):
    from ecotool.services.operations import add_pathway
    texts = add_pathway(session, None, team["service"], "Text at 2-3 weeks")
    session.commit()
    make_decision(start_date=START, title="Evening calls", status="agreed", domain="micro.household-gatekeeping")
    make_decision(start_date=START, title="Bus fares", domain="micro.transport-and-distance", pathway_id=texts.id,
                  status="proposed")
    login(team["supervisor"])
    titles = lambda q: re.findall(r"<strong>([^<]+)</strong>", client.get(f"/decisions/?{q}").get_data(as_text=True))  # noqa: E731
    assert titles("") == ["Bus fares", "Evening calls"]
    assert titles("status=agreed") == ["Evening calls"]
    assert titles("domain=micro.transport-and-distance") == ["Bus fares"]
    assert titles("level=meso") == []
    assert titles(f"pathway_id={texts.id}") == ["Bus fares"]
    assert client.get("/decisions/?status=magic").status_code == 400


def test_supporters_see_the_decisions_that_change_their_work(client, login, team, make_decision):
    make_decision(start_date=START, title="Evening calls", status="in effect")
    make_decision(start_date=START, title="Still an idea", status="proposed")
    login(team["supporter"])
    page = client.get("/decisions/mine").get_data(as_text=True)
    assert "Evening calls" in page and "Still an idea" not in page
    assert client.get("/decisions/").status_code == 403


def test_a_refused_step_changes_nothing(client, login, team, make_decision, session):
    decision = make_decision(start_date=START, status="proposed")
    login(team["supervisor"])
    before = row_counts(Decision, DecisionChange, DecisionReview)
    response = client.post(f"/decisions/{decision.id}/status", data={"status": "agreed", "reason": "For SW1A 1AA"})
    assert response.status_code == 422 and "a UK postcode" in response.get_data(as_text=True)
    assert client.post(f"/decisions/{decision.id}/review", data={"outcome": "keep", "reason": "x"}).status_code == 409
    assert row_counts(Decision, DecisionChange, DecisionReview) == before


def test_a_stop_day_fits_what_happened(session, team, make_decision):
    """One that ran stopped after its start and not before its last review; one that never ran stops today."""
    decision = make_decision(start_date=START, review_date=TODAY - timedelta(days=5))
    review_decision(session, team["supervisor"].id, decision, "keep", "Fine so far.")
    who = team["supervisor"].id
    with pytest.raises(OperationError, match="it stopped after that day"):
        change_status(session, who, decision, "stopped", "Typo.", START)
    with pytest.raises(OperationError, match="it stopped on or after that day"):
        change_status(session, who, decision, "stopped", "Too early.", TODAY - timedelta(days=1))
    change_status(session, who, decision, "stopped", "The texts ended.", TODAY)
    assert decision.stopped_on == TODAY

    idea = make_decision(start_date=START, title="An idea", status="proposed")
    change_status(session, who, idea, "stopped", "Not taken up.", START - timedelta(days=300))
    assert idea.stopped_on == TODAY and not idea.ran


def test_only_a_decision_in_effect_is_due_for_review(session, team, make_decision):
    from ecotool.decisions.queries import reviews_due
    agreed = make_decision(start_date=TODAY + timedelta(days=2), title="Agreed", review_date=TODAY + timedelta(days=2))
    running = make_decision(start_date=START, title="Running", review_date=TODAY - timedelta(days=1))
    assert not agreed.review_due(TODAY + timedelta(days=3)) and running.review_due(TODAY)
    assert [d.title for d in reviews_due(session, [team["service"].id], TODAY + timedelta(days=3))] == ["Running"]


def test_an_observation_a_decision_cites_cannot_be_deleted(client, login, session, team, make_case, make_observation,
                                                           make_decision):
    case = make_case(team["service"], team["supporter"])
    cited = make_observation(team["service"], team["supporter"], case=case)
    loose = make_observation(team["service"], team["supporter"], case=case, text="The bus was late again.")
    make_decision(start_date=START, observation_ids=[cited.id])
    login(team["supporter"])
    refused = client.post(f"/observations/{cited.id}/delete")
    assert refused.headers["Location"].endswith(f"/observations/{cited.id}/edit")
    assert "A decision cites this observation as its evidence" in client.get(refused.headers["Location"]).get_data(
        as_text=True)
    session.expire_all()
    assert session.get(type(cited), cited.id) is not None
    assert len(session.query(Decision).one().observations) == 1
    assert client.post(f"/observations/{loose.id}/delete").status_code in (302, 303)
    session.expire_all()
    assert session.get(type(loose), loose.id) is None


def test_an_expired_form_on_a_page_she_may_not_use_is_refused_not_an_error(app, client, login, team, make_decision):
    """With the CSRF token expired, the page is run again to keep what was typed; a role or an id it refuses is a
    403 or 404, never a 500."""
    decision = make_decision(start_date=START)
    login(team["supporter"])
    app.config["WTF_CSRF_ENABLED"] = True
    for path in (f"/decisions/{decision.id}/status", f"/decisions/{decision.id}/review"):
        assert client.post(path, data={"reason": "x", "csrf_token": "expired"}).status_code == 403
    app.config["WTF_CSRF_ENABLED"] = False
    login(team["supervisor"])
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/decisions/99999/status", data={"csrf_token": "expired"}).status_code == 404
