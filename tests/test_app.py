"""The app factory, configuration, routes and the schema coming from migrations."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ecotool import create_app
from ecotool.config import INSTANCE_DIR
from ecotool.db import db


def test_default_database_is_a_sqlite_file_under_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{INSTANCE_DIR / 'ecotool.sqlite'}"
    assert (INSTANCE_DIR / "secret_key").exists()
    assert app.config["SECRET_KEY"] == (INSTANCE_DIR / "secret_key").read_text().strip()


def test_postgres_url_from_environment_gets_the_psycopg_driver(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.example/eco")
    assert create_app().config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/eco"


def test_production_requires_a_secret_key(monkeypatch):
    monkeypatch.setenv("ECOTOOL_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_routes_command_lists_every_area(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}"}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "ecotool", "routes"],
                            capture_output=True, text=True, env=env, check=True)
    for blueprint in ("auth.", "capture.", "supervision.", "decisions.", "reports.", "admin."):
        assert blueprint in result.stdout


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []


def test_security_headers(client):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
