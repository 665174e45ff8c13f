"""A framework version from the browser: checked (errors with their paths), compared with the version in use,
put in use only on confirmation; records keep their version; an unchanged file reloaded at start never undoes an
upload."""
from __future__ import annotations

import io
import re
from pathlib import Path

import yaml
from sqlalchemy import func, select

from ecotool.framework.models import FrameworkVersion
from ecotool.framework.operations import load_directory
from ecotool.framework.queries import current_version

SHIPPED = Path(__file__).resolve().parents[2] / "frameworks" / "social-ecological.yaml"


def _upload(client, text: str, name: str = "social-ecological.yaml"):
    return client.post("/admin/frameworks/upload", data={"file": (io.BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")


def _versions(session) -> int:
    return session.scalar(select(func.count()).select_from(FrameworkVersion))


def _changed() -> tuple[str, dict]:
    data = yaml.safe_load(SHIPPED.read_text())
    data["version"] = "2"
    first, second = data["domains"][0], data["domains"][1]
    first["name"] = "Benefits and money (renamed)"
    second["supervision_prompts"] = second["supervision_prompts"][:-1] + ["A new question to ask in supervision?"]
    removed = data["domains"].pop()
    data["triggers"] = [t for t in data.get("triggers", []) if t["domain"] != removed["code"]]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True), {"first": first, "removed": removed,
                                                                       "second": second}


def test_a_bad_file_lists_every_error_with_its_path_and_changes_nothing(client, login, session, team):
    login(team["admin"])
    before = _versions(session)
    data = yaml.safe_load(SHIPPED.read_text())
    data["domains"][2]["level"] = "mezzo"
    data["triggers"][0]["domain"] = "micro.nowhere"
    response = _upload(client, yaml.safe_dump(data))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "domains[2].level" in page and "triggers[0].domain" in page
    assert _upload(client, "key: [unclosed").status_code == 422
    assert _upload(client, "a: &a [x]\n" + "".join(f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
                                                       for p, c in zip("abcdefgh", "bcdefghi"))).status_code == 422
    assert _versions(session) == before


def test_a_valid_file_is_compared_then_put_in_use_only_on_confirmation(client, login, session, team, framework):
    login(team["admin"])
    text, changed = _changed()
    checked = _upload(client, text)
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200
    assert f"{changed['first']['code']}: " in page and "Benefits and money (renamed)" in page     # renamed
    assert f"{changed['removed']['code']}: {changed['removed']['name']}" in page                  # removed
    assert f"{changed['second']['code']}: 1 prompt added or reworded, 1 removed or reworded" in page
    assert current_version(session).id == framework.id  # nothing in use changed yet
    form = {k: re.search(rf'name="{k}" type="hidden" value="([^"]*)"', page).group(1) for k in ("content", "name",
                                                                                                 "sha256")}
    tampered = dict(form, sha256="0" * 64)
    assert client.post("/admin/frameworks/confirm", data=tampered).status_code == 302
    session.expire_all()
    assert current_version(session).id == framework.id
    done = client.post("/admin/frameworks/confirm", data=form, follow_redirects=True).get_data(as_text=True)
    assert "version 2 is in use" in done
    session.expire_all()
    now = current_version(session)
    assert now.declared_version == "2" and now.uploaded_by_id == team["admin"].id
    assert re.search(r"Social[^<]*<strong class=\"tag\">in use</strong></td><td data-label=\"Version\">2<", done)


def test_restarting_does_not_undo_an_upload_but_a_changed_file_on_disk_wins(app, client, login, session, team,
                                                                            framework, tmp_path):
    login(team["admin"])
    text, _ = _changed()
    page = _upload(client, text).get_data(as_text=True)
    form = {k: re.search(rf'name="{k}" type="hidden" value="([^"]*)"', page).group(1)
            for k in ("content", "name", "sha256")}
    client.post("/admin/frameworks/confirm", data=form)
    load_directory(session, app.config["FRAMEWORKS_DIR"])  # `flask init` at the next start: the unchanged file
    session.commit()
    assert current_version(session).declared_version == "2"
    data = yaml.safe_load(SHIPPED.read_text())
    data["version"] = "3"
    (tmp_path / "social-ecological.yaml").write_text(yaml.safe_dump(data))
    load_directory(session, tmp_path)  # new content shipped on disk
    session.commit()
    assert current_version(session).declared_version == "3"
