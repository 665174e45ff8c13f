"""Shared set-up for benchmarks: a throwaway migrated SQLite app with the shipped framework."""
from __future__ import annotations

import tempfile
from contextlib import contextmanager

from flask_migrate import upgrade

from ecotool import create_app
from ecotool.db import db
from ecotool.framework.operations import load_directory


@contextmanager
def bench_app(**config):
    """Yield an app (inside its app context) on a fresh SQLite file in a temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite", "SECRET_KEY": "bench",
                          **config})
        with app.app_context():
            upgrade()
            load_directory(db.session, app.config["FRAMEWORKS_DIR"])
            yield app
            db.engine.dispose()
