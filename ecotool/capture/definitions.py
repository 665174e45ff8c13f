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
from ecotool.services.models import Service, TargetRule
from ecotool.clock import day_bounds, to_local
from ecotool.db import days_after
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


def _attempts(until):
    """An alias of ContactAttempt and the conditions tying it to the case, up to `until` if given: a datetime
    (the end of a day, included) or a day from within_days_of_referral (its opening midnight, not included)."""
    attempt = aliased(ContactAttempt)
    conditions = [attempt.case_id == Case.id]
    if isinstance(until, datetime):
        conditions.append(attempt.at <= until)
    elif until is not None:
        # Strictly before: SQLite compares the stored text with "YYYY-MM-DD", PostgreSQL casts the date to its
        # midnight; with "<" both leave out a contact at exactly that midnight.
        conditions.append(attempt.at < until)
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


def _rule_matches(quintile_max, under_20) -> ColumnElement[bool]:
    """The case fits a target rule with these columns."""
    by_quintile = and_(quintile_max.is_not(None), Case.imd_quintile.is_not(None), Case.imd_quintile <= quintile_max)
    return or_(by_quintile, and_(under_20, Case.age_band == AgeBand.UNDER_20))


def target(service=None) -> ColumnElement[bool]:
    """The case is in her service's target group by the rule in force when she was referred: IMD quintile at
    or below the rule's limit, or (where the rule targets them) a mother aged under 20. An unknown quintile is
    never target by quintile. The rule in force is an earlier TargetRule whose days cover the referral date,
    else the service's current rule.

    `service`: the case's Service, if the query has joined it; otherwise it is looked up per case."""
    past = aliased(TargetRule)
    covers = and_(past.service_id == Case.service_id, past.ends_on > Case.referral_date,
                  or_(past.starts_on.is_(None), past.starts_on <= Case.referral_date))
    by_past_rule = exists().where(covers, _rule_matches(past.quintile_max, past.under_20)).correlate(Case)
    under_past_rule = exists().where(covers).correlate(Case)
    if service is not None:
        by_current_rule = _rule_matches(service.target_quintile_max, service.target_under_20)
    else:
        rule = aliased(Service)
        by_current_rule = exists().where(
            rule.id == Case.service_id, _rule_matches(rule.target_quintile_max, rule.target_under_20)
        ).correlate(Case)
    return or_(by_past_rule, and_(~under_past_rule, by_current_rule))


def within_days_of_referral(days: int) -> ColumnElement:
    """The end of her first `days` days after referral, as an `until` for the definitions below: a contact
    counts if made before midnight (UTC) opening the day after the last of them, so every case, whenever
    referred, is judged over the same length of follow-up. (The day edge is UTC, at most an hour from the
    local one, for every case alike.)"""
    return days_after(Case.referral_date, days + 1)


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
