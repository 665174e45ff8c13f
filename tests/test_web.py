"""The request edge: a request's work is committed only when its view succeeded."""
from __future__ import annotations

import shutil

from flask import flash, redirect
from sqlalchemy import func, select

from ecotool.auth.access import public
from ecotool.config import PROJECT_ROOT
from ecotool.db import db
from ecotool.framework.models import FrameworkVersion
from ecotool.services.models import Service
from ecotool.services.operations import create_service


def _services() -> int:
    return db.session.scalar(select(func.count()).select_from(Service))


def test_a_redirect_after_a_flashed_error_keeps_nothing(app, client):
    @app.post("/test-only/write-then-fail")
    @public
    def write_then_fail():
        create_service(db.session, None, "half-written", "Half written")
        flash("That did not work.", "error")
        return redirect("/login")

    @app.post("/test-only/write-and-succeed")
    @public
    def write_and_succeed():
        create_service(db.session, None, "written", "Written")
        flash("Done.", "success")
        return redirect("/login")

    before = _services()
    assert client.post("/test-only/write-then-fail").status_code == 302
    assert _services() == before
    assert client.post("/test-only/write-and-succeed").status_code == 302
    assert _services() == before + 1


def test_reloading_frameworks_with_a_broken_file_stores_no_version(app, client, login, team, tmp_path):
    shipped = PROJECT_ROOT / "frameworks" / "social-ecological.yaml"
    # "a" is valid and new (a changed title makes a new version); "b" is broken and loads after it.
    (tmp_path / "a.yaml").write_text(shipped.read_text().replace("title:", "title: Changed", 1))
    shutil.copy(shipped, tmp_path / "b.yaml")
    (tmp_path / "b.yaml").write_text("key: broken\nversion: 1\n")
    app.config["FRAMEWORKS_DIR"] = str(tmp_path)
    versions = lambda: db.session.scalar(select(func.count()).select_from(FrameworkVersion))  # noqa: E731
    before = versions()
    login(team["admin"])
    response = client.post("/admin/frameworks/reload")
    assert response.status_code == 302
    assert "b.yaml" in client.get("/admin/").get_data(as_text=True)
    assert versions() == before
    (tmp_path / "b.yaml").unlink()
    client.post("/admin/frameworks/reload")
    assert versions() == before + 1
