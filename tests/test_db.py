"""Atomic operations: a refused operation leaves nothing it flushed in the session."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from ecotool.capture.models import ContactAttempt, Observation
from ecotool.capture.operations import log_contact_with_note
from ecotool.db import atomic
from ecotool.errors import OperationError
from ecotool.services.models import Service
from ecotool.services.operations import create_service


def _services(session) -> int:
    return session.scalar(select(func.count()).select_from(Service))


@atomic
def _create_then_refuse(session, slug: str) -> None:
    create_service(session, None, slug, "A service that will be refused")
    raise OperationError("Refused after writing.", "name")


@atomic
def _outer(session) -> None:
    create_service(session, None, "outer", "Outer")
    _create_then_refuse(session, "inner")


def test_a_refused_operation_leaves_nothing_flushed(session, team):
    before = _services(session)
    with pytest.raises(OperationError):
        _create_then_refuse(session, "refused")
    assert _services(session) == before
    # The session is still good for the next piece of work, which is kept.
    create_service(session, None, "kept", "Kept")
    session.commit()
    assert _services(session) == before + 1


def test_a_refusal_deep_inside_undoes_the_whole_outer_operation(session, team):
    before = _services(session)
    with pytest.raises(OperationError):
        _outer(session)
    assert _services(session) == before


def test_a_contact_with_a_bad_note_keeps_neither(session, team, make_case, framework):
    case = make_case(team["service"], team["supporter"])
    counts = lambda: [session.scalar(select(func.count()).select_from(m)) for m in (ContactAttempt, Observation)]  # noqa: E731
    with pytest.raises(OperationError) as error:
        log_contact_with_note(session, team["supporter"].id, case, at=datetime.utcnow() - timedelta(hours=1),
                              channel="phone", outcome="no answer", note_text="Call 07700 900123",
                              note_domain_id=framework.domains[0].id)
    assert error.value.field == "note_text"
    assert counts() == [0, 0]
