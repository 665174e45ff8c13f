"""Recording cases, contact attempts and observations."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, case, false, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from ecotool import audit
from ecotool.auth.models import Person
from ecotool.clock import local_today, utcnow
from ecotool.capture.models import (
    AGE_BANDS, CASE_STATUSES, CHANNELS, FAILED_OUTCOMES, KINDS, OUTCOMES, SOURCES, YES_NO_UNKNOWN, Case, ContactAttempt, Observation,
)
from ecotool.capture.privacy import require_clean
from ecotool.errors import OperationError
from ecotool.framework.loader import current_version
from ecotool.framework.models import Domain
from ecotool.services.models import Pathway, Service
from ecotool.services.operations import is_target, target_clause

# No 0/O or 1/I: references are read out on the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference(session: Session, service: Service) -> str:
    """Return an unused case reference such as NS-4K7Q."""
    while True:
        ref = f"{service.case_prefix}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4))
        if not session.scalar(select(Case.id).where(Case.service_id == service.id, Case.reference == ref)):
            return ref


def _check_in(value: str, allowed: tuple[str, ...], field: str) -> None:
    if value not in allowed:
        raise OperationError(f"Choose one of: {', '.join(allowed)}.", field)


def create_case(
    session: Session, actor_id: int, service: Service, *, imd_quintile: int | None, age_band: str,
    first_time: str, language_support: str, pathway_id: int | None, referral_date: date,
    journey_stage: str, supporter_id: int, reference: str | None = None,
) -> Case:
    """Open a case for a mother, known only by a new reference."""
    if imd_quintile is not None and not 1 <= imd_quintile <= 5:
        raise OperationError("The quintile is 1 to 5, or unknown.", "imd_quintile")
    _check_in(age_band, AGE_BANDS, "age_band")
    _check_in(first_time, YES_NO_UNKNOWN, "first_time")
    _check_in(language_support, YES_NO_UNKNOWN, "language_support")
    if pathway_id is not None:
        pathway = session.get(Pathway, pathway_id)
        if pathway is None or pathway.service_id != service.id:
            raise OperationError("Choose one of this service's pathways.", "pathway_id")
    if referral_date > local_today():
        raise OperationError("The referral date cannot be in the future.", "referral_date")
    case = Case(
        service_id=service.id, reference=reference or new_reference(session, service),
        imd_quintile=imd_quintile, age_band=age_band, first_time=first_time,
        language_support=language_support, pathway_id=pathway_id, referral_date=referral_date,
        journey_stage=journey_stage, supporter_id=supporter_id,
    )
    session.add(case)
    session.flush()
    audit.record(session, actor_id, "case.create", case)
    return case


def update_case(
    session: Session, actor_id: int, case: Case, *, journey_stage: str, status: str, supporter_id: int,
) -> Case:
    """Move a case to another journey stage, close or reopen it, or hand it to another supporter."""
    version = current_version(session)
    if version is None or journey_stage not in {s["code"] for s in version.journey_stages}:
        raise OperationError("Choose a journey stage from the framework.", "journey_stage")
    _check_in(status, CASE_STATUSES, "status")
    supporter = session.get(Person, supporter_id)
    if (supporter is None or supporter.role != "peer_supporter" or not supporter.active
            or case.service_id not in supporter.service_ids):
        raise OperationError("Choose a peer supporter of this service.", "supporter_id")
    case.journey_stage, case.status, case.supporter_id = journey_stage, status, supporter_id
    session.flush()
    audit.record(session, actor_id, "case.update", case)
    return case


def log_contact_attempt(
    session: Session, actor_id: int, case: Case, *, at: datetime, channel: str, outcome: str,
    by_id: int | None = None,
) -> ContactAttempt:
    """Record one attempt to reach the mother of a case; `at` is in UTC; `by_id` defaults to the actor."""
    _check_in(channel, CHANNELS, "channel")
    _check_in(outcome, OUTCOMES, "outcome")
    if at > utcnow():
        raise OperationError("The time of a contact attempt cannot be in the future.", "at")
    attempt = ContactAttempt(case_id=case.id, at=at, channel=channel, outcome=outcome, by_id=by_id or actor_id)
    session.add(attempt)
    session.flush()
    audit.record(session, actor_id, "contact_attempt.create", attempt)
    return attempt


def add_observation(
    session: Session, actor_id: int, service: Service, *, case: Case | None, domain_id: int,
    journey_stage: str, kind: str, source: str, text: str, shareable: bool = False,
) -> Observation:
    """Record a piece of context, pinned to the framework version of its domain."""
    domain = session.get(Domain, domain_id)
    if domain is None:
        raise OperationError("Choose a domain from the framework.", "domain_id")
    stages = {s["code"] for s in domain.framework_version.journey_stages}
    if journey_stage not in stages:
        raise OperationError("Choose a journey stage from the framework.", "journey_stage")
    _check_in(kind, KINDS, "kind")
    _check_in(source, SOURCES, "source")
    if not text.strip():
        raise OperationError("Write what you noticed.", "text")
    require_clean(text, "text")
    observation = Observation(
        service_id=service.id, case_id=case.id if case else None,
        framework_version_id=domain.framework_version_id, domain_id=domain.id,
        journey_stage=journey_stage, kind=kind, source=source, text=text.strip(),
        shareable=shareable, author_id=actor_id,
    )
    session.add(observation)
    session.flush()
    audit.record(session, actor_id, "observation.create", observation)
    return observation


QUIET_DAYS = 14


def timeline(case: Case) -> list[tuple[str, datetime, object]]:
    """Contacts and observations of a case, newest first, as (kind, when, record)."""
    items = [("contact", a.at, a) for a in case.contact_attempts]
    items += [("observation", o.created_at, o) for o in case.observations]
    # Times typed to the minute often tie; the order of entry breaks the tie.
    return sorted(items, key=lambda item: (item[1], item[2].created_at, item[2].id), reverse=True)


@dataclass(frozen=True)
class CaseRow:
    """A case with its contact figures, as the caseload and the case page show it."""

    case: Case
    attempts: int
    reached_contacts: int
    failed_in_a_row: int
    last_at: datetime | None
    last_outcome: str | None
    last_channel: str | None

    @property
    def reached(self) -> bool:
        """At least one attempt reached the mother."""
        return self.reached_contacts > 0

    @property
    def engaged(self) -> bool:
        """Reached at least as often as the service's engagement rule asks."""
        return self.reached_contacts >= self.case.service.engaged_threshold

    @property
    def target(self) -> bool:
        """The case matches the service's target rule."""
        return is_target(self.case.service, self.case.imd_quintile, self.case.age_band)

    @property
    def stuck(self) -> bool:
        """Failed attempts in a row have reached the service's threshold."""
        return self.failed_in_a_row >= self.case.service.failed_attempt_threshold


def failed_in_a_row(until: datetime | None = None):
    """Correlated count, per Case, of the failed attempts since the last one that got through.

    A run of failures ends at an attempt that reached her, or that she answered by postponing or
    declining. `until` ignores attempts after that time (for a past period).
    """
    attempt = aliased(ContactAttempt)
    in_time = [attempt.case_id == Case.id] + ([attempt.at <= until] if until is not None else [])
    last_made = (select(func.max(attempt.at)).where(*in_time, attempt.outcome.not_in(FAILED_OUTCOMES))
                 .correlate(Case).scalar_subquery())
    return (select(func.count(attempt.id))
            .where(*in_time, attempt.outcome.in_(FAILED_OUTCOMES), func.coalesce(attempt.at > last_made, True))
            .correlate(Case).scalar_subquery())


def reached_contacts(until: datetime | None = None):
    """Correlated count, per Case, of the attempts that reached her (up to `until`, if given)."""
    attempt = aliased(ContactAttempt)
    in_time = [attempt.case_id == Case.id] + ([attempt.at <= until] if until is not None else [])
    return (select(func.count(attempt.id)).where(*in_time, attempt.outcome == "reached")
            .correlate(Case).scalar_subquery())


def _figure_columns() -> list:
    """A case's contact figures as correlated aggregates over Case."""
    attempt = aliased(ContactAttempt)
    of_case = attempt.case_id == Case.id
    per_case = select(func.count(attempt.id)).where(of_case).correlate(Case)
    latest = (select(attempt.id).where(of_case).order_by(attempt.at.desc(), attempt.id.desc()).limit(1)
              .correlate(Case).scalar_subquery())
    return [
        per_case.scalar_subquery().label("attempts"),
        reached_contacts().label("reached_contacts"),
        failed_in_a_row().label("failed_in_a_row"),
        select(func.max(attempt.at)).where(of_case).correlate(Case).scalar_subquery().label("last_at"),
        select(ContactAttempt.outcome).where(ContactAttempt.id == latest).scalar_subquery().label("last_outcome"),
        select(ContactAttempt.channel).where(ContactAttempt.id == latest).scalar_subquery().label("last_channel"),
    ]


FIGURES = ("attempts", "reached_contacts", "failed_in_a_row", "last_at", "last_outcome", "last_channel")


def _row(case: Case, figures) -> CaseRow:
    return CaseRow(case, int(figures.attempts), int(figures.reached_contacts), int(figures.failed_in_a_row),
                   figures.last_at, figures.last_outcome, figures.last_channel)


def case_row(session: Session, case: Case) -> CaseRow:
    """One case with its contact figures."""
    row = session.execute(select(Case, *_figure_columns()).where(Case.id == case.id)).one()
    return _row(row[0], row)


def caseload(
    session: Session, cases: Select, services: list[Service], *, target_only: bool = False,
    not_reached: bool = False, quiet: bool = False, supporter_id: int | None = None,
    page: int = 1, per_page: int = 40,
) -> tuple[list[CaseRow], int]:
    """One page of open cases from a visible-cases query, those needing action first, and the total.

    Filtering, ordering and paging all happen in the database, so a page costs the same however
    many cases a supervisor can see.
    """
    is_target = or_(*[and_(Case.service_id == s.id, target_clause(s)) for s in services]) if services else false()
    inner = cases.where(Case.status == "open")
    if supporter_id is not None:
        inner = inner.where(Case.supporter_id == supporter_id)
    if target_only:
        inner = inner.where(is_target)
    f = inner.with_only_columns(
        Case.id.label("case_id"), Case.service_id, Case.referral_date, Case.reference,
        case((is_target, 0), else_=1).label("not_target"), *_figure_columns(),
    ).subquery()
    cutoff = utcnow() - timedelta(days=QUIET_DAYS)
    is_quiet = or_(and_(f.c.last_at.is_(None), f.c.referral_date <= cutoff.date()), f.c.last_at <= cutoff)
    threshold = select(Service.failed_attempt_threshold).where(Service.id == f.c.service_id).scalar_subquery()
    priority = case((f.c.failed_in_a_row >= threshold, 0), (f.c.reached_contacts == 0, 1), (is_quiet, 2), else_=3)
    query = select(Case, *[f.c[name] for name in FIGURES]).join(f, f.c.case_id == Case.id)
    if not_reached:
        query = query.where(f.c.reached_contacts == 0)
    if quiet:
        query = query.where(is_quiet)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ordered = query.order_by(priority, f.c.not_target, f.c.last_at.is_not(None), f.c.last_at, f.c.referral_date,
                             f.c.reference)
    page_rows = session.execute(
        ordered.options(selectinload(Case.service), selectinload(Case.supporter))
        .limit(per_page).offset((max(page, 1) - 1) * per_page)
    ).all()
    return [_row(r[0], r) for r in page_rows], total
