"""Upgrading a database that already holds decisions: each gains a decided day, a window, and a first history row."""
from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from ecotool.db import db


def test_decisions_recorded_before_keep_their_status_as_the_first_step_of_their_history(
        app, session, team, make_decision):
    from datetime import date, timedelta
    make_decision(start_date=date.today() - timedelta(days=30))
    session.close()
    downgrade(revision="0e4216c7c80c")
    with db.engine.begin() as connection:
        assert connection.execute(text("SELECT status FROM decision")).scalars().all() == ["in effect"]
    upgrade()
    with db.engine.begin() as connection:
        rows = connection.execute(text(
            "SELECT d.decided_on, d.start_date, d.window_days, c.status, c.reason, c.changed_by_id, d.created_by_id "
            "FROM decision d JOIN decision_change c ON c.decision_id = d.id")).all()
    assert len(rows) == 1 and rows[0][0] == rows[0][1] and rows[0][2] == 90
    assert rows[0][3:6] == ("in effect", "Recorded before its history was kept.", rows[0][6])
