"""A new administrator sets up a service from nothing in the browser, on a phone and a desktop: her own two-factor
sign-in first, then the service, its rules and a pathway, a supervisor and a peer supporter, the audit log; then
the new supervisor's first sign-in (her own password, her own authenticator app). No page scrolls sideways and
axe-core finds nothing serious."""
from __future__ import annotations

import re

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe

from ecotool.auth.operations import create_person
from ecotool.db import db
from tests.e2e.conftest import serious, shows, sign_in

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-password-1"
CHOSEN = "harbour lantern copper orchard"


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def _set_up_two_factor(page) -> None:
    shows(page, "Set up two-factor sign-in")
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()
    shows(page, "Keep these recovery codes")
    assert page.locator("ul.codes li").count() == 10
    page.get_by_role("link", name="I have kept them: carry on").click()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 760}],
                         ids=["desktop", "phone"])
def test_an_administrator_sets_up_a_service_from_nothing(browser, live_app, viewport, shots):
    live_app.config["ECOTOOL_TWO_FACTOR_ROLES"] = "admin,supervisor,commissioner"
    with live_app.app_context():
        create_person(db.session, None, "admin@example.org", "admin", [], "Alex", None, PASSWORD)
        db.session.commit()
    base, tag = live_app.config["LIVE_URL"], "phone" if viewport["width"] < 500 else "desktop"
    page = browser.new_context(viewport=viewport, bypass_csp=True).new_page()
    axe, problems = Axe(), {}

    def check(name: str) -> None:
        _no_sideways_scroll(page)
        problems[name] = serious(axe.run(page))
        page.screenshot(path=str(shots / f"{tag}-admin-{name}.png"), full_page=True)

    sign_in(page, base, "admin@example.org", PASSWORD)
    check("two-factor")
    _set_up_two_factor(page)

    page.get_by_role("link", name="New service").click()
    page.get_by_label("Short name (slug)").fill("harbour")
    page.get_by_label("Name", exact=True).fill("Harbour Breastfeeding Peer Support")
    page.get_by_role("button", name="Create service").click()
    shows(page, "Service Harbour Breastfeeding Peer Support created.")
    page.get_by_role("link", name="Harbour Breastfeeding Peer Support").click()
    shows(page, "Rules its figures follow")
    page.get_by_label("Contacts that make a woman engaged").fill("4")
    page.get_by_role("button", name="Save settings").click()
    shows(page, "Settings saved.")
    page.get_by_label("New pathway").fill("Text at 2-3 weeks")
    page.get_by_role("button", name="Add pathway").click()
    shows(page, "Pathway Text at 2-3 weeks added.")
    check("service")

    page.goto(f"{base}/admin/people/new")
    page.get_by_label("E-mail").fill("sam@example.org")
    page.get_by_label("Name shown to colleagues").fill("Sam")
    page.get_by_label("Role").select_option("supervisor")
    page.get_by_label("Service").select_option("harbour")
    page.get_by_role("button", name="Create person").click()
    shows(page, "Sam can now sign in")
    one_time = page.locator("code.password").inner_text()
    page.goto(f"{base}/admin/people/new")
    page.get_by_label("E-mail").fill("pat@example.org")
    page.get_by_label("Name shown to colleagues").fill("Pat")
    page.get_by_label("Role").select_option("peer_supporter")
    page.get_by_label("Service").select_option("harbour")
    page.get_by_label("Supervisor").select_option(label="Sam")
    page.get_by_role("button", name="Create person").click()
    shows(page, "Pat can now sign in")
    page.get_by_role("link", name="Back to Pat").click()
    shows(page, "Deactivate")
    check("person")
    page.goto(f"{base}/admin/audit?action=service.create")
    shows(page, "service.create")
    check("audit")
    page.get_by_role("button", name="Sign out").click()
    shows(page, "You are signed out.")  # its response clears the cookie: the next sign-in must not race it

    # The new supervisor's first sign-in: the one-time password, her own password, her own app.
    sign_in(page, base, "sam@example.org", one_time)
    shows(page, "Choose your password")
    check("first-password")
    page.get_by_label("New password", exact=True).fill(CHOSEN)
    page.get_by_label("New password again").fill(CHOSEN)
    page.get_by_role("button", name="Save password").click()
    _set_up_two_factor(page)
    shows(page, "Supervision")
    assert re.search(r"/supervision/$", page.url)
    assert {name: found for name, found in problems.items() if found} == {}
