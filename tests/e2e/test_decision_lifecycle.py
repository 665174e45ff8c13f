"""A new supervisor takes a decision from proposal to review in Chromium, on a phone and on a desktop: every page
fits the screen, axe-core finds nothing serious, the chart loads, and the review keeps its figures."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe

from ecotool.auth.operations import create_person
from ecotool.capture import operations
from ecotool.clock import local_today, to_utc
from ecotool.db import db
from ecotool.decisions.models import Decision, DecisionReview
from ecotool.services.operations import create_service
from tests.e2e.conftest import serious, sign_in, shows

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-password-1"
START = local_today() - timedelta(days=150)


def _setup(app) -> None:
    """A supervisor and 12 target and 12 other women referred on each side of the start date."""
    with app.app_context():
        service = create_service(db.session, None, "harbour", "Harbour Breastfeeding Peer Support", "HB")
        create_person(db.session, None, "sup@example.org", "supervisor", ["harbour"], "Sam", None, PASSWORD)
        peer, _ = create_person(db.session, None, "peer@example.org", "peer_supporter", ["harbour"], "Pat", None,
                                PASSWORD)
        for referred, engaged_other in ((START - timedelta(days=60), 4), (START + timedelta(days=30), 9)):
            for quintile, engaged in ((1, 4), (4, engaged_other)):
                for n in range(12):
                    case = operations.create_case(
                        db.session, peer.id, service, imd_quintile=quintile, age_band="25-29", first_time="yes",
                        language_support="no", pathway_id=service.pathways[0].id, referral_date=referred,
                        journey_stage="first-days", supporter_id=peer.id)
                    for day in range(1, 4 if n < engaged else 2):
                        operations.log_contact_attempt(
                            db.session, peer.id, case, channel="phone", outcome="reached",
                            at=to_utc(datetime.combine(referred + timedelta(days=day), time(11))))
        db.session.commit()


def _check(page, axe, problems: dict, name: str, shots, size: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
    problems[name] = serious(axe.run(page))
    page.screenshot(path=str(shots / f"decision-{size}-{name}.png"), full_page=True)


@pytest.mark.parametrize("size, viewport", [("phone", {"width": 360, "height": 760}),
                                            ("desktop", {"width": 1280, "height": 900})])
def test_a_decision_from_proposal_to_review(browser, live_app, shots, size, viewport):
    _setup(live_app)
    base = live_app.config["LIVE_URL"]
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    sign_in(page, base, "sup@example.org", PASSWORD)
    axe, problems = Axe(), {}

    page.goto(f"{base}/decisions/new")
    _check(page, axe, problems, "new", shots, size)
    page.get_by_label("What changes").fill("Text every mother at 2-3 weeks")
    page.get_by_label("Why").fill("First calls go unanswered for weeks.")
    page.locator("summary", has_text="(micro)").click()  # the micro domains' group starts closed
    page.get_by_role("checkbox", name="Who answers the phone", exact=True).check()
    page.get_by_label("Response type").select_option(index=1)
    page.get_by_label("Aimed at").select_option(index=1)
    page.get_by_label("Start date").fill(START.isoformat())
    page.get_by_label("Review date").fill((local_today() - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url(lambda url: "/decisions/new" not in url)
    shows(page, "Decision recorded.")

    for button, reason, status in (("Agree it", "Agreed at the team meeting.", "Agreed"),
                                   ("Mark it in effect", "Texts went out from the start date.", "In effect")):
        page.get_by_role("link", name=button).click()
        page.wait_for_url("**/status?to=*", wait_until="load")
        _check(page, axe, problems, f"status-{status.lower().replace(' ', '-')}", shots, size)
        page.get_by_label("Why").fill(reason)
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(lambda url: url.rstrip("/").split("/")[-1].isdigit())
        shows(page, f"It is now {status.lower()}.")

    page.goto(f"{base}/supervision/")
    shows(page, "Decisions to review")
    page.get_by_role("link", name="Text every mother at 2-3 weeks").click()
    page.wait_for_url(lambda url: url.rstrip("/").split("/")[-1].isdigit(), wait_until="load")
    shows(page, "Its review was due on")
    chart = page.get_by_role("img", name="Reached:")
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    _check(page, axe, problems, "show", shots, size)

    page.get_by_role("link", name="Review it").click()
    page.wait_for_url("**/review", wait_until="load")
    _check(page, axe, problems, "review", shots, size)
    page.get_by_label("Keep").check()
    page.get_by_label("Why").fill("Engagement rose for other women; keep it and look again.")
    page.get_by_role("button", name="Record the review").click()
    page.wait_for_url(lambda url: "/review" not in url)
    shows(page, "Review recorded")
    _check(page, axe, problems, "reviewed", shots, size)
    assert {name: found for name, found in problems.items() if found} == {}
    with live_app.app_context():
        decision = db.session.query(Decision).one()
        review = db.session.query(DecisionReview).one()
        assert decision.status == "reviewed" and [c.status for c in decision.changes] == [
            "proposed", "agreed", "in effect", "reviewed"]
        assert review.figures["cells"]["other"]["after"] == {"referred": 12, "reached": 12, "engaged": 9}
    context.close()
