"""The case definitions, each written once as a SQL expression over Case.

The caseload, the supervision indicators and the brief all count cases with these (and so must
anything that counts cases next), so "reached" or "target" can never mean one thing on one page and
another in a report.
Each expression correlates with the `Case` of the query it is used in. Where a query has already
selected a count, or joined the case's Service, it can pass them in (the caseload does), so the
database works each out once per case instead of looking it up again.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from ecotool.auth.models import Membership, Person
from ecotool.capture.models import Case, ContactAttempt
from ecotool.services.models import Service
from ecotool.clock import day_bounds, to_local
from ecotool.vocab import FAILED_OUTCOMES, AgeBand, CaseStatus, Outcome, Role

# An open case with no contact for this many days is "quiet" and comes up for action.
QUIET_DAYS = 14
# The first days after referral, when feeding problems start: a target case not reached in them has a gap.
FIRST_DAYS = 14


def _setting(column, given=None) -> ColumnElement:
    """A setting of the case's own service: as given by the caller, else looked up by primary key."""
    if given is not None:
        return given
    return select(column).where(Service.id == Case.service_id).correlate(Case).scalar_subquery()


def _attempts(until: datetime | None):
    """An alias of ContactAttempt and the conditions tying it to the case, up to `until` if given."""
    attempt = aliased(ContactAttempt)
    conditions = [attempt.case_id == Case.id] + ([attempt.at <= until] if until is not None else [])
    return attempt, conditions


def open_on(day: date) -> ColumnElement[bool]:
    """The case was open at the end of `day`: referred by then and not closed by then."""
    still_open = and_(Case.status == CaseStatus.OPEN, Case.closed_on.is_(None))
    return and_(Case.referral_date <= day, or_(still_open, Case.closed_on > day))


def held(start: date, end: date) -> ColumnElement[bool]:
    """The case was on a caseload at some time from `start` to `end`: referred by the end, not closed before
    the start."""
    still_open = and_(Case.status == CaseStatus.OPEN, Case.closed_on.is_(None))
    return and_(Case.referral_date <= end, or_(still_open, Case.closed_on >= start))


def target(service=None) -> ColumnElement[bool]:
    """The case is in its service's target group: IMD quintile at or below the service's limit, or
    (where the service targets them) a mother aged under 20. An unknown quintile is never target by quintile.

    `service`: the case's Service, if the query has joined it; otherwise it is looked up per case."""
    rule = service if service is not None else aliased(Service)
    by_quintile = and_(rule.target_quintile_max.is_not(None), Case.imd_quintile.is_not(None),
                       Case.imd_quintile <= rule.target_quintile_max)
    by_age = and_(rule.target_under_20, Case.age_band == AgeBand.UNDER_20)
    if service is not None:
        return or_(by_quintile, by_age)
    return exists().where(rule.id == Case.service_id, or_(by_quintile, by_age)).correlate(Case)


def reached_contacts(until: datetime | None = None):
    """How many attempts reached her (up to `until`, if given)."""
    attempt, conditions = _attempts(until)
    return (select(func.count(attempt.id)).where(*conditions, attempt.outcome == Outcome.REACHED)
            .correlate(Case).scalar_subquery())


def reached(until: datetime | None = None, contacts=None) -> ColumnElement[bool]:
    """At least one attempt reached her by `until`; `contacts` is a reached_contacts() already selected."""
    if contacts is not None:
        return contacts >= 1
    attempt, conditions = _attempts(until)
    return exists().where(*conditions, attempt.outcome == Outcome.REACHED).correlate(Case)


def first_reached_at(until: datetime | None = None):
    """The time of the first attempt that reached her (up to `until`, if given; None if none did)."""
    attempt, conditions = _attempts(until)
    return (select(func.min(attempt.at)).where(*conditions, attempt.outcome == Outcome.REACHED)
            .correlate(Case).scalar_subquery())


def reached_in_first_days(referral_date: date, first_reached: datetime | None) -> bool:
    """She was reached within FIRST_DAYS days of referral (local days), given first_reached_at().

    Worked out per case in Python because SQLite and PostgreSQL share no date arithmetic in local time."""
    return first_reached is not None and to_local(first_reached).date() <= referral_date + timedelta(days=FIRST_DAYS)


def never_reached(until: datetime | None = None, contacts=None) -> ColumnElement[bool]:
    """No attempt has reached her by `until`."""
    return ~reached(until) if contacts is None else contacts == 0


def engaged(until: datetime | None = None, contacts=None, threshold=None) -> ColumnElement[bool]:
    """Reached at least as often as her service's engagement rule asks, by `until`."""
    contacts = reached_contacts(until) if contacts is None else contacts
    return contacts >= _setting(Service.engaged_threshold, threshold)


def failed_in_a_row(until: datetime | None = None):
    """How many attempts in a row, up to `until`, have failed since the last one that got through.

    A run of failures ends at an attempt that reached her, or that she answered by postponing or declining.
    """
    attempt, conditions = _attempts(until)
    last_made = (select(func.max(attempt.at)).where(*conditions, attempt.outcome.not_in(FAILED_OUTCOMES))
                 .correlate(Case).scalar_subquery())
    return (select(func.count(attempt.id))
            .where(*conditions, attempt.outcome.in_(FAILED_OUTCOMES), func.coalesce(attempt.at > last_made, True))
            .correlate(Case).scalar_subquery())


def stuck(until: datetime | None = None, failures=None, threshold=None) -> ColumnElement[bool]:
    """Failed attempts in a row have reached her service's threshold (a hand-over may help)."""
    failures = failed_in_a_row(until) if failures is None else failures
    return failures >= _setting(Service.failed_attempt_threshold, threshold)


def last_contact_at(until: datetime | None = None):
    """The time of her latest contact attempt, whatever its outcome (None if there is none)."""
    attempt, conditions = _attempts(until)
    return select(func.max(attempt.at)).where(*conditions).correlate(Case).scalar_subquery()


def quiet(now: datetime, last_at=None) -> ColumnElement[bool]:
    """No contact attempt for QUIET_DAYS or more local days: her last attempt (or, with none, her referral)
    was on or before the local day QUIET_DAYS before the day of `now` (UTC)."""
    last_at = last_contact_at() if last_at is None else last_at
    cutoff_day = to_local(now).date() - timedelta(days=QUIET_DAYS)
    _, end_of_cutoff_day = day_bounds(cutoff_day, cutoff_day)
    return or_(and_(last_at.is_(None), Case.referral_date <= cutoff_day), last_at <= end_of_cutoff_day)


def active_supporters(*service_ids: int) -> Select[tuple[Person]]:
    """The active peer supporters of these services, by name."""
    members = select(Membership.person_id).where(Membership.service_id.in_(service_ids))
    return (select(Person)
            .where(Person.id.in_(members), Person.role == Role.PEER_SUPPORTER, Person.active)
            .order_by(Person.display_name, Person.id))
