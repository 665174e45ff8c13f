"""Cases, contact attempts, observations: rules in code and constraints in the database."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from ecotool.capture import operations, queries
from ecotool.capture.models import Case
from ecotool.errors import OperationError


def test_case_reference_uses_service_prefix(team, make_case):
    case = make_case(team["service"], team["supporter"])
    assert team["service"].case_prefix == "NO"  # from the slug "north"
    assert case.reference.startswith("NO-")
    assert len(case.reference.split("-")[1]) == 4
    assert not set(case.reference.split("-")[1]) & set("01IO")


@pytest.mark.parametrize("field,value", [
    ("imd_quintile", 6), ("age_band", "nineteen"), ("first_time", "maybe"), ("language_support", "si"),
])
def test_create_case_refuses_bad_values(session, team, field, value):
    values = dict(imd_quintile=1, age_band="20-24", first_time="yes", language_support="no",
                  pathway_id=None, referral_date=date.today(), journey_stage="antenatal",
                  supporter_id=team["supporter"].id)
    values[field] = value
    with pytest.raises(OperationError) as error:
        operations.create_case(session, team["supporter"].id, team["service"], **values)
    assert error.value.field == field


def test_database_check_constraints_hold_on_every_backend(session, team, make_case):
    case = make_case(team["service"], team["supporter"])
    for statement in (
        'UPDATE "case" SET imd_quintile = 6 WHERE id = :id',
        "UPDATE \"case\" SET age_band = 'teen' WHERE id = :id",
        "UPDATE \"case\" SET status = 'lost' WHERE id = :id",
    ):
        with pytest.raises(IntegrityError):
            session.execute(text(statement), {"id": case.id})
            session.flush()
        session.rollback()
    with pytest.raises(IntegrityError):
        session.execute(text("INSERT INTO contact_attempt (case_id, at, channel, outcome, by_id, created_at) "
                             "VALUES (:c, :at, 'pigeon', 'reached', :by, :at)"),
                        {"c": case.id, "at": datetime.now(), "by": team["supporter"].id})
        session.flush()
    session.rollback()


def test_unknown_quintile_is_stored_as_null(session, team, make_case):
    case = make_case(team["service"], team["supporter"], quintile=None)
    assert session.get(Case, case.id).imd_quintile is None
    assert case.quintile_label == "unknown"


def test_pathway_must_belong_to_the_service(session, team, make_service):
    other = make_service("south", "South service")
    with pytest.raises(OperationError) as error:
        operations.create_case(session, team["supporter"].id, team["service"], imd_quintile=2, age_band="35+",
                               first_time="no", language_support="no", pathway_id=other.pathways[0].id,
                               referral_date=date.today(), journey_stage="antenatal", supporter_id=team["supporter"].id)
    assert error.value.field == "pathway_id"


def test_case_state_counts_failures_in_a_row_since_the_last_reached(team, make_case, make_attempt, session):
    case = make_case(team["service"], team["supporter"])
    start = datetime.now() - timedelta(days=10)
    outcomes = ["no answer", "reached", "no answer", "message left", "someone else answered"]
    for i, outcome in enumerate(outcomes):
        make_attempt(case, outcome, at=start + timedelta(days=i))
    state = queries.case_row(session, case)
    # Worked out by hand: 5 attempts, 1 reached, 3 failures after it, last one someone else answered.
    assert (state.attempts, state.reached_contacts, state.failed_in_a_row) == (5, 1, 3)
    assert state.reached and state.last_outcome == "someone else answered"


def test_case_state_of_a_case_never_reached(team, make_case, make_attempt, session):
    case = make_case(team["service"], team["supporter"])
    make_attempt(case, "no answer", at=datetime.now() - timedelta(days=2))
    make_attempt(case, "wrong number", at=datetime.now() - timedelta(days=1))
    state = queries.case_row(session, case)
    assert (state.attempts, state.reached_contacts, state.failed_in_a_row, state.reached) == (2, 0, 2, False)


def test_attempt_in_the_future_is_refused(session, team, make_case):
    case = make_case(team["service"], team["supporter"])
    with pytest.raises(OperationError) as error:
        operations.log_contact_attempt(session, team["supporter"].id, case, at=datetime.now() + timedelta(hours=2),
                                       channel="phone", outcome="reached")
    assert error.value.field == "at"


def test_observation_keeps_its_framework_version(session, team, make_case, framework):
    case = make_case(team["service"], team["supporter"])
    domain = framework.domains[0]
    obs = operations.add_observation(session, team["supporter"].id, team["service"], case=case, domain_id=domain.id,
                                     journey_stage="antenatal", kind="context", source="visit", text="Some context")
    assert obs.framework_version_id == framework.id and obs.domain.level == domain.level
    assert obs.shareable is False


def test_observation_refuses_unknown_stage(session, team, framework):
    with pytest.raises(OperationError) as error:
        operations.add_observation(session, team["supporter"].id, team["service"], case=None,
                                   domain_id=framework.domains[0].id, journey_stage="teenage-years", kind="barrier",
                                   source="call", text="x")
    assert error.value.field == "journey_stage"
