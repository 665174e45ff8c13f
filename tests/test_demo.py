"""Demo data loads once and a second load changes nothing."""
from __future__ import annotations

from ecotool.audit import AuditEvent
from ecotool.auth.models import Person
from ecotool.capture.models import Case, ContactAttempt, Observation
from ecotool.decisions.models import Decision
from ecotool.demo import load_demo
from ecotool.services.models import Service
from tests.conftest import row_counts

MODELS = (Service, Person, Case, ContactAttempt, Observation, Decision, AuditEvent)


def test_demo_is_idempotent(session):
    load_demo(session, cases=30)
    session.commit()
    first = row_counts(*MODELS)
    assert first["Case"] == 30 and first["Person"] == 5 and first["Decision"] == 1
    lines = load_demo(session, cases=30)
    session.commit()
    assert row_counts(*MODELS) == first
    assert any("demo logins" in line for line in lines)
