"""Two saves sent together on SQLite wait their turn instead of failing on the lock: a transaction that will
write takes the write lock when it begins (db.write_first), so one that read first can't be overtaken."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from ecotool.db import db, write_first


def _read_then_write(engine, started: threading.Event, errors: list, immediate: bool, pause: float) -> None:
    """Read the table, pause (another request is served meanwhile), then write: what a form's POST does."""
    try:
        with Session(engine) as session:
            if immediate:
                write_first(session)
            session.execute(text("SELECT count(*) FROM lock_probe")).scalar()
            started.set()
            time.sleep(pause)
            session.execute(text("INSERT INTO lock_probe (n) VALUES (1)"))
            session.commit()
    except Exception as error:  # the failure is what this test looks for
        errors.append(error)
        started.set()


@pytest.mark.parametrize("immediate", [True, False], ids=["write-first", "read-first"])
def test_two_saves_at_once_on_sqlite(app, immediate):
    engine = db.engine
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's row locks already make the second writer wait")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE lock_probe (n INTEGER)"))
    errors: list = []
    first_started, second_started = threading.Event(), threading.Event()
    first = threading.Thread(target=_read_then_write, args=(engine, first_started, errors, immediate, 0.4))
    second = threading.Thread(target=_read_then_write, args=(engine, second_started, errors, immediate, 0.0))
    first.start()
    first_started.wait(5)
    second.start()
    first.join(10)
    second.join(10)
    with engine.connect() as connection:
        saved = connection.execute(text("SELECT count(*) FROM lock_probe")).scalar()
    if immediate:
        assert errors == [] and saved == 2
    else:  # the way it was: one of the two fails, and its save is lost
        assert errors and "locked" in str(errors[0]) and saved == 1
