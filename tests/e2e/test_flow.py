"""The whole flow in headless Chromium: framework -> case -> contact -> observation -> supervision
-> decision -> commissioner brief PDF, on a phone-sized and a desktop window."""
from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from ecotool.auth.operations import create_person
from ecotool.capture.deprivation import import_file as import_postcodes
from ecotool.db import db
from ecotool.demo import DEMO_POSTCODES
from ecotool.services.operations import create_service
from tests.e2e.conftest import at_least, shows

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-password-1"
PHONE = {"width": 360, "height": 760}
DESKTOP = {"width": 1280, "height": 900}


def _people(app) -> None:
    with app.app_context():
        import_postcodes(db.session, DEMO_POSTCODES)
        service = create_service(db.session, None, "harbour", "Harbour Breastfeeding Peer Support", "HB")
        supervisor, _ = create_person(db.session, None, "sup@example.org", "supervisor", ["harbour"], "Sam", None, PASSWORD)
        create_person(db.session, None, "peer@example.org", "peer_supporter", ["harbour"], "Pat", supervisor.id, PASSWORD)
        create_person(db.session, None, "com@example.org", "commissioner", [service.slug], "Chris", None, PASSWORD)
        db.session.commit()


def _sign_in(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    shows(page, "You are signed out.")  # its response clears the cookie: the next sign-in must not race it


def _no_horizontal_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_whole_flow(browser, live_app, shots, viewport, server_log):
    _people(live_app)
    base = live_app.config["LIVE_URL"]
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    page = context.new_page()
    tag = "phone" if viewport is PHONE else "desktop"

    # Peer supporter: case from a postcode, three failed attempts and a reached one, an observation per level.
    _sign_in(page, base, "peer@example.org")
    page.get_by_role("link", name="New case", exact=True).first.click()
    page.get_by_label("Postcode (looked up, then forgotten)").fill("ns1 1ez")
    page.get_by_label("Age band").select_option("20-24")
    page.get_by_label("Access pathway").select_option(label="Midwife referral")
    page.get_by_label("Journey stage").select_option("first-days")
    _no_horizontal_scroll(page)
    page.screenshot(path=str(shots / f"{tag}-new-case.png"), full_page=True)
    page.get_by_role("button", name="Create case").click()
    shows(page, "IMD quintile 1 from the postcode (the postcode was not kept)")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("Case HB-") and "Target" in heading
    for outcome in ("No answer", "Message left", "Someone else answered"):
        page.get_by_role("link", name="Log contact attempt").click()
        page.get_by_label("Phone").check()
        page.get_by_label(outcome, exact=True).check()
        page.get_by_role("button", name="Log attempt").first.click()
        shows(page, "Contact attempt logged.")
    shows(page, "3 attempts in a row have not reached her")
    page.get_by_role("link", name="Log contact attempt").click()
    page.get_by_label("Text", exact=True).check()
    page.get_by_label("Reached", exact=True).check()
    _no_horizontal_scroll(page)
    page.screenshot(path=str(shots / f"{tag}-contact.png"), full_page=True)
    page.get_by_role("button", name="Log attempt").first.click()
    for level, domain, text in (
        ("micro", "Who answers the phone", "Her partner answers in the day; evenings work better."),
        ("meso", "Groups and venues", "The group clashes with the nursery run for her older child."),
    ):
        page.get_by_role("link", name="Add observation").click()
        page.locator(f"a.level-{level}").click()
        page.get_by_label(domain).check()
        page.get_by_label("Barrier").check()
        page.get_by_label("What you noticed").fill(text)
        _no_horizontal_scroll(page)
        page.screenshot(path=str(shots / f"{tag}-observation-{level}.png"), full_page=True)
        page.get_by_role("button", name="Save observation").click()
        shows(page, "Observation saved.")
    shows(page, "Her partner answers in the day", "nursery run")
    _no_horizontal_scroll(page)
    page.screenshot(path=str(shots / f"{tag}-case.png"), full_page=True)
    page.get_by_role("link", name="Caseload").click()
    page.get_by_role("link", name="Service context").click()
    page.get_by_role("link", name="Add observation").click()
    page.locator("a.level-macro").click()
    page.get_by_label("Data-sharing rules").check()
    page.get_by_label("What you noticed").fill("Discharge lists still come without contact details.")
    page.get_by_role("button", name="Save observation").click()
    shows(page, "Discharge lists still come")
    _sign_out(page)

    # Supervisor: the dashboard, a session with prompts, notes (one shared), an observation, a decision, closed.
    _sign_in(page, base, "sup@example.org")
    assert "Pat" in page.locator("table.figures thead").inner_text()
    shows(page, "Cases held in the period")
    _no_horizontal_scroll(page)
    page.screenshot(path=str(shots / f"{tag}-dashboard.png"), full_page=True)
    page.get_by_role("link", name="Start a session with Pat").click()
    assert page.get_by_label("Pat").is_checked()
    page.get_by_role("button", name="Open session").click()
    at_least(page.locator("li.prompt"), 3)
    page.get_by_label("Note on prompt 1").fill("Agreed to try texts before evening calls.")
    page.get_by_label("Show note 1 to Pat").check()
    page.get_by_label("Note on prompt 2").fill("Who else is at home when we call?")
    page.get_by_label("Actions agreed").fill("Pat texts first, then calls after six.")
    page.get_by_role("button", name="Save draft").click()
    shows(page, "Draft saved (3 changed).")
    assert page.get_by_label("Note on prompt 2").input_value() == "Who else is at home when we call?"
    assert page.get_by_label("Show note 1 to Pat").is_checked()
    _no_horizontal_scroll(page)
    page.screenshot(path=str(shots / f"{tag}-session.png"), full_page=True)
    session_url = page.url
    page.get_by_label("Note on prompt 3").fill("Typed, then straight on to an observation.")
    page.get_by_role("button", name="Record an observation").click()
    page.get_by_label("Domain").select_option(label="Who answers the phone")
    page.get_by_label("What was noticed").fill("Partners pick up most day-time calls across the caseload.")
    page.get_by_role("button", name="Save observation").click()
    expect(page.locator("#raised")).to_contain_text("Partners pick up most day-time calls")
    page.get_by_role("button", name="Propose a decision").click()
    page.get_by_label("What changes").fill("Text first, then call in the evening")
    page.get_by_label("Why").fill("Calls in the day reach partners, not mothers.")
    page.get_by_role("checkbox", name="Who answers the phone", exact=True).check()
    page.get_by_label("Response type").select_option("change-contact-timing")
    page.get_by_label("Aimed at").select_option("imd-quintile-1")
    _no_horizontal_scroll(page)
    page.screenshot(path=str(shots / f"{tag}-decision.png"), full_page=True)
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Text first, then call in the evening")
    # A brief lists the decisions in effect in its period: agree it, then put it in effect.
    for step, reason, now in (("Agree it", "The team agreed it at the meeting.", "agreed"),
                              ("Mark it in effect", "Texts go out from today.", "in effect")):
        page.get_by_role("link", name=step).click()
        page.get_by_label("Why").fill(reason)
        page.get_by_role("button", name="Save").click()
        shows(page, f"It is now {now}.")
    page.goto(session_url)
    assert page.get_by_label("Note on prompt 3").input_value() == "Typed, then straight on to an observation."
    page.get_by_label("Note on prompt 2").fill("Who else is at home when we call? Ask at the visit.")
    page.get_by_role("button", name="Save and close the session").click()
    shows(page, "Session closed.")
    assert page.get_by_label("Note on prompt 1").count() == 0
    shows(page, "Ask at the visit.")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the record (PDF)").click()
    record = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(info.value.path()).pages)
    for expected in ("Agreed to try texts before evening calls.", "Pat texts first, then calls after six.",
                     "Partners pick up most day-time calls", "Text first, then call in the evening"):
        assert expected in record, expected
    _sign_out(page)

    # The supervisee reads the record on her side: the shared note and the actions, not the private note.
    _sign_in(page, base, "peer@example.org")
    page.get_by_role("link", name="My supervision").click()
    page.locator(".card-link").first.click()
    shows(page, "Agreed to try texts before evening calls.")
    mine = page.content()
    assert "Agreed to try texts before evening calls." in mine and "Pat texts first, then calls after six." in mine
    assert "Who else is at home when we call?" not in mine and "Ask at the visit." not in mine
    _no_horizontal_scroll(page)
    page.screenshot(path=str(shots / f"{tag}-my-supervision.png"), full_page=True)
    _sign_out(page)

    # Commissioner: brief PDF.
    _sign_in(page, base, "com@example.org")
    page.get_by_role("button", name="Create brief").click()
    shows(page, "Brief ready")
    _no_horizontal_scroll(page)
    page.screenshot(path=str(shots / f"{tag}-briefs.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download PDF").first.click()
    pdf = open(info.value.path(), "rb").read()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Harbour Breastfeeding Peer Support" in text
    assert "Text first, then call in the evening" in text
    assert "Her partner answers" not in text  # not marked shareable, and briefs quote nothing yet
    context.close()
    assert server_log and any("POST /cases/new" in line for line in server_log)
    assert not [line for line in server_log if "NS1" in line.upper() or "1EZ" in line.upper()]
