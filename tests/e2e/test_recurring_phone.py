"""The recurring-barriers page and the drafted decision form at 360 px in Chromium: no sideways scrolling,
nothing serious for axe-core, and one tap from a recurring barrier to a saved proposal."""
from __future__ import annotations

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe

from ecotool.auth.operations import create_person
from ecotool.capture import operations
from ecotool.clock import local_today
from ecotool.db import db
from ecotool.decisions.models import Decision
from ecotool.framework.queries import current_version
from ecotool.services.operations import create_service
from tests.e2e.conftest import serious, sign_in, shows

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-password-1"


def _setup(app) -> None:
    """A supervisor, and a barrier in "Who answers the phone" on three cases."""
    with app.app_context():
        service = create_service(db.session, None, "harbour", "Harbour Breastfeeding Peer Support", "HB")
        supervisor, _ = create_person(db.session, None, "sup@example.org", "supervisor", ["harbour"], "Sam", None, PASSWORD)
        peer, _ = create_person(db.session, None, "peer@example.org", "peer_supporter", ["harbour"], "Pat",
                                supervisor.id, PASSWORD)
        domain = next(d for d in current_version(db.session).domains if d.code == "micro.household-gatekeeping")
        for quintile in (1, 2, 3):
            case = operations.create_case(db.session, peer.id, service, imd_quintile=quintile, age_band="25-29",
                                          first_time="yes", language_support="no", pathway_id=service.pathways[0].id,
                                          referral_date=local_today() - timedelta(days=20),
                                          journey_stage="first-days", supporter_id=peer.id)
            operations.add_observation(db.session, peer.id, service, case=case, domain_id=domain.id,
                                       journey_stage="first-days", kind="barrier", source="call",
                                       text="Her partner answers and says she is asleep.")
        db.session.commit()


def test_recurring_barriers_on_a_phone(browser, live_app):
    _setup(live_app)
    base = live_app.config["LIVE_URL"]
    context = browser.new_context(viewport={"width": 360, "height": 760}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, base, "sup@example.org", PASSWORD)
    axe, problems = Axe(), {}
    for path in ("/decisions/", "/decisions/recurring", "/decisions/recurring?period_start=nonsense"):
        page.goto(base + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        problems[path] = serious(axe.run(page))
    page.goto(f"{base}/decisions/recurring")
    shows(page, "3 cases (1 target, 33%)")
    page.get_by_role("link", name="Draft a proposal for Who answers the phone").click()
    shows(page, "Drafted from recurring barriers")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    problems["draft"] = serious(axe.run(page))
    page.get_by_label("What changes").fill("Text first, call in the evening")
    page.get_by_role("checkbox", name="Who answers the phone", exact=True).check()  # nothing is ticked: she chooses
    page.get_by_label("Response type").select_option(index=1)
    page.get_by_label("Aimed at").select_option(index=1)
    for box in page.locator('input[name="observation_ids"]').all():
        box.check()
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url(lambda url: "/decisions/new" not in url)
    shows(page, "Decision recorded.")
    assert {path: found for path, found in problems.items() if found} == {}
    with live_app.app_context():
        assert len(db.session.query(Decision).one().observations) == 3
    context.close()
