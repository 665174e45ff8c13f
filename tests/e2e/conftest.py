"""A live server on a real SQLite file, and headless Debian Chromium driven by Playwright."""
from __future__ import annotations

import logging
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from ecotool import create_app
from ecotool.db import db
from tests.conftest import IN_CI, _config

CHROMIUM = os.environ.get("ECOTOOL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the e2e session (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_app(sqlite_template, tmp_path):
    """An app on its own SQLite file, served on a free loopback port."""
    path = tmp_path / "e2e.sqlite"
    shutil.copy(sqlite_template, path)
    app = create_app({**_config(f"sqlite:///{path}"), "WTF_CSRF_ENABLED": True})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def server_log():
    """Every log line written while the test runs (the server's access log included)."""
    handler = _Collect()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler.lines
    root.removeHandler(handler)
    root.setLevel(old_level)


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where screenshots go: ECOTOOL_SCREENSHOTS if set (to look at them), else a temp folder."""
    folder = Path(os.environ.get("ECOTOOL_SCREENSHOTS", tmp_path / "shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sign_in(page, base: str, email: str, password: str) -> None:
    """Sign in through the login page with the keyboard, and wait to leave it."""
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)


def shows(page, *texts: str) -> None:
    """Wait until the page's text holds each of texts (a click's new page may still be loading)."""
    from playwright.sync_api import expect

    for text in texts:
        expect(page.locator("body")).to_contain_text(text)


def at_least(locator, n: int):
    """Wait until locator matches at least n elements (a click's new page may still be loading); return it."""
    from playwright.sync_api import expect

    expect(locator.nth(n - 1)).to_be_attached()
    return locator


def serious(results) -> list[str]:
    """axe-core's serious and critical violations, one line each."""
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]
