"""Demo data loads once, a second load changes nothing, and its observations spread over the past year."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ecotool.audit import AuditEvent
from ecotool.auth.models import Person
from ecotool.capture.models import Case, ContactAttempt, Observation
from ecotool.clock import local_today, to_local
from ecotool.decisions.models import Decision
from ecotool.demo import SLUG, load_demo
from ecotool.reports.brief import assemble
from ecotool.services.models import Service
from ecotool.services.queries import get_service
from ecotool.supervision.indicators import compute
from ecotool.vocab import Role
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


def test_demo_observations_spread_over_the_year_before_today(session):
    load_demo(session, cases=30)
    session.commit()
    today = local_today()
    rows = session.execute(select(Observation.observed_on, Case.referral_date)
                           .outerjoin(Case, Case.id == Observation.case_id)).all()
    days = [observed_on for observed_on, _ in rows]
    assert max(days) <= today and min(days) >= today - timedelta(days=365)
    assert all(referred is None or observed_on >= referred for observed_on, referred in rows)
    assert len({(day.year, (day.month - 1) // 3) for day in days}) >= 4
    # Each note on a case is dated the day of one of its contact attempts.
    attempt_days = {(case_id, to_local(at).date()) for case_id, at in
                    session.execute(select(ContactAttempt.case_id, ContactAttempt.at))}
    on_cases = session.execute(select(Observation.case_id, Observation.observed_on)
                               .where(Observation.case_id.is_not(None))).all()
    assert on_cases and all((case_id, day) in attempt_days for case_id, day in on_cases)
    assert session.scalars(select(Observation.journey_stage).where(Observation.case_id.is_(None))).all() == [None] * 4
    # So the last full quarter's brief has barriers, and four weeks of supervision see fewer than a year.
    service = get_service(session, SLUG)
    end = date(today.year, (today.month - 1) // 3 * 3 + 1, 1) - timedelta(days=1)
    start = date(end.year, (end.month - 1) // 3 * 3 + 1, 1)
    assert sum(assemble(session, service, start, end)["raw"]["barriers_by_level"].values()) > 0
    supporters = list(session.scalars(select(Person.id).where(Person.role == Role.PEER_SUPPORTER)))

    def barriers(days):
        return compute(session, service, supporters, today - timedelta(days=days - 1), today)["barrier_observations"]

    assert barriers(28).value < barriers(365).value
