"""On a 360 x 800 phone in headless Chromium: every outcome of the contact form clear of the save bar, a
double tap that saves once, an observation corrected, a case closed, refused a contact, and reopened."""
from __future__ import annotations

import re

import pytest

from ecotool.db import db
from tests.e2e.test_flow import PASSWORD, _people, _sign_in
from tests.e2e.conftest import at_least, shows

pytestmark = pytest.mark.e2e
PHONE = {"width": 360, "height": 800}


def _overlap(a: dict, b: dict) -> bool:
    return a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def test_correct_close_and_reopen_on_a_phone(browser, live_app, shots, server_log):
    _people(live_app)
    assert PASSWORD
    base = live_app.config["LIVE_URL"]
    page = browser.new_context(viewport=PHONE).new_page()
    _sign_in(page, base, "peer@example.org")
    page.get_by_role("link", name="New case", exact=True).first.click()
    page.get_by_label("IMD quintile").select_option("2")
    page.get_by_label("Age band").select_option("25-29")
    page.get_by_label("Access pathway").select_option(label="Midwife referral")
    page.get_by_label("Journey stage").select_option("first-days")
    page.get_by_role("button", name="Create case").click()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    case_url = page.url

    page.get_by_role("link", name="Log contact attempt").click()
    bar = page.locator(".actions.sticky")
    outcomes = at_least(page.locator("fieldset", has_text="Outcome").locator("label.option"), 6)
    for i in range(outcomes.count()):
        option = outcomes.nth(i)
        option.scroll_into_view_if_needed()
        assert not _overlap(option.bounding_box(), bar.bounding_box()), option.inner_text()
    page.get_by_label("Phone").check()
    outcomes.last.click()  # the last outcome is reachable: the tap lands on it, not on the bar
    page.get_by_label("No answer", exact=True).check()
    page.screenshot(path=str(shots / "phone-contact-outcomes.png"), full_page=False)
    page.get_by_role("button", name="Log attempt").first.dblclick()
    page.wait_for_url(case_url)
    with live_app.app_context():
        from ecotool.capture.models import ContactAttempt
        assert db.session.query(ContactAttempt).count() == 1

    page.get_by_role("link", name="Add observation").click()
    page.locator("a.level-micro").click()
    page.get_by_label("Who answers the phone").check()
    page.get_by_label("What you noticed").fill("Her mum answers and says she is asleep.")
    page.get_by_role("button", name="Save observation").click()
    page.get_by_role("link", name="Correct or delete").click()
    page.get_by_label("What you noticed").fill("Her mum answers and says she is resting; try after 6.")
    page.get_by_label("May be quoted in commissioner reports").check()
    page.get_by_role("button", name="Save changes").click()
    shows(page, "Observation corrected.", "try after 6")

    page.get_by_role("link", name="Close the case").click()
    page.get_by_role("button", name="Close the case").click()
    shows(page, "Choose why the case is closing.")
    page.get_by_label("Moved away").check()
    page.get_by_role("button", name="Close the case").click()
    page.get_by_role("link", name="Closed cases").click()
    shows(page, "moved away")
    page.screenshot(path=str(shots / "phone-closed-cases.png"), full_page=True)
    page.goto(case_url + "/contact")
    shows(page, "is closed")
    page.get_by_role("button", name="Reopen the case").click()
    shows(page, "is open again")
    assert page.get_by_role("link", name="Log contact attempt").is_visible()
    assert not [line for line in server_log if "Traceback" in line or "\" 500 " in line]
