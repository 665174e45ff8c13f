"""Reading cases, their contact figures and observations."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from ecotool.auth.models import Person
from ecotool.auth.queries import scope
from ecotool.capture import definitions
from ecotool.capture.models import Case, ContactAttempt, Observation
from ecotool.clock import utcnow
from ecotool.services.models import Service
from ecotool.vocab import CaseStatus, Reach


def visible_cases(person: Person) -> Select[tuple[Case]]:
    """A query for the cases this person may see (commissioners and admins: none)."""
    return select(Case).where(*scope(person, Case))


def sees(session: Session, person: Person, case_id: int) -> bool:
    """Whether this person may see a case (after a hand-over she may no longer)."""
    return session.scalar(visible_cases(person).where(Case.id == case_id).with_only_columns(Case.id)) is not None


def supporters(session: Session, *service_ids: int) -> list[Person]:
    """The active peer supporters of these services, by name."""
    return list(session.scalars(definitions.active_supporters(*service_ids)))


@dataclass(frozen=True)
class CaseRow:
    """A case with its contact figures and states, as the caseload and the case page show it."""

    case: Case
    attempts: int
    reached_contacts: int
    failed_in_a_row: int
    last_at: datetime | None
    last_outcome: str | None
    last_channel: str | None
    target: bool
    reached: bool
    engaged: bool
    stuck: bool

    @property
    def reach(self) -> Reach:
        """Engaged, reached or not yet reached, from the states worked out in SQL."""
        return Reach.ENGAGED if self.engaged else Reach.REACHED if self.reached else Reach.UNREACHED


def _figure_columns() -> list:
    """A case's contact figures as correlated aggregates over Case, with its service's settings
    (the query must join Service)."""
    attempt = aliased(ContactAttempt)
    of_case = attempt.case_id == Case.id
    latest = (select(attempt.id).where(of_case).order_by(attempt.at.desc(), attempt.id.desc()).limit(1)
              .correlate(Case).scalar_subquery())
    return [
        select(func.count(attempt.id)).where(of_case).correlate(Case).scalar_subquery().label("attempts"),
        definitions.reached_contacts().label("reached_contacts"),
        definitions.failed_in_a_row().label("failed_in_a_row"),
        definitions.last_contact_at().label("last_at"),
        select(ContactAttempt.outcome).where(ContactAttempt.id == latest).scalar_subquery().label("last_outcome"),
        select(ContactAttempt.channel).where(ContactAttempt.id == latest).scalar_subquery().label("last_channel"),
        definitions.target(Service).label("target"),
        Service.engaged_threshold.label("engaged_threshold"),
        Service.failed_attempt_threshold.label("failed_attempt_threshold"),
    ]


FIGURES = ("attempts", "reached_contacts", "failed_in_a_row", "last_at", "last_outcome", "last_channel")


def _figures(cases: Select) -> Select:
    """Each case of a query with its contact figures and its service's settings."""
    return (cases.join(Service, Service.id == Case.service_id)
            .with_only_columns(Case.id.label("case_id"), *_figure_columns()))


def _stuck(f):
    return definitions.stuck(failures=f.c.failed_in_a_row, threshold=f.c.failed_attempt_threshold)


def _with_states(f, *extra) -> Select:
    """The cases joined to figures already selected, with the states worked out from them (once each)."""
    states = [
        f.c.target,
        definitions.reached(contacts=f.c.reached_contacts).label("reached"),
        definitions.engaged(contacts=f.c.reached_contacts, threshold=f.c.engaged_threshold).label("engaged"),
        _stuck(f).label("stuck"),
    ]
    return select(Case, *[f.c[name] for name in FIGURES], *states, *extra).join(f, f.c.case_id == Case.id)


def _row(case_: Case, r) -> CaseRow:
    return CaseRow(case_, int(r.attempts), int(r.reached_contacts), int(r.failed_in_a_row), r.last_at,
                   r.last_outcome, r.last_channel, bool(r.target), bool(r.reached), bool(r.engaged), bool(r.stuck))


def case_row(session: Session, case_: Case) -> CaseRow:
    """One case with its contact figures and states."""
    row = session.execute(_with_states(_figures(select(Case).where(Case.id == case_.id)).subquery())).one()
    return _row(row[0], row)


def caseload(
    session: Session, cases: Select, *, target_only: bool = False, not_reached: bool = False,
    quiet: bool = False, supporter_id: int | None = None, page: int = 1, per_page: int = 40,
) -> tuple[list[CaseRow], int]:
    """One page of open cases from a visible-cases query, those needing action first, and the total.

    Filtering, ordering and paging all happen in the database, so a page costs the same however
    many cases a supervisor can see.
    """
    inner = cases.where(Case.status == CaseStatus.OPEN)
    if supporter_id is not None:
        inner = inner.where(Case.supporter_id == supporter_id)
    if target_only:
        inner = inner.where(definitions.target())
    figures = _figures(inner)
    now = utcnow()

    def cases_with(f, ordered: bool):
        """The filtered cases joined to their figures and states, those needing action first if `ordered`."""
        is_quiet = definitions.quiet(now, last_at=f.c.last_at)
        priority = case((_stuck(f), 0), (definitions.never_reached(contacts=f.c.reached_contacts), 1),
                        (is_quiet, 2), else_=3).label("priority")
        not_target = case((f.c.target, 0), else_=1).label("not_target")
        query = _with_states(f, priority, not_target)
        if not_reached:
            query = query.where(definitions.never_reached(contacts=f.c.reached_contacts))
        if quiet:
            query = query.where(is_quiet)
        if not ordered:
            return query
        # Ordered by the labels selected above, so each is worked out once per case.
        return query.order_by(priority, not_target, f.c.last_at.is_not(None), f.c.last_at,
                              Case.referral_date, Case.reference)

    # Counting from a plain subquery lets the database skip the figures no filter needs.
    total = session.scalar(select(func.count()).select_from(cases_with(figures.subquery(), ordered=False).subquery())) or 0
    # The page reads each figure several times: MATERIALIZED stops SQLite (and PostgreSQL 12+) from
    # folding the figures into every expression that reads them and counting the attempts over again.
    page_rows = session.execute(
        cases_with(figures.cte("figures").prefix_with("MATERIALIZED"), ordered=True)
        .options(selectinload(Case.service), selectinload(Case.supporter))
        .limit(per_page).offset((max(page, 1) - 1) * per_page)
    ).all()
    return [_row(r[0], r) for r in page_rows], total


def closed_cases(session: Session, person: Person) -> list[Case]:
    """The closed cases a person can see, most recently closed first."""
    return list(session.scalars(
        visible_cases(person).where(Case.status == CaseStatus.CLOSED)
        .order_by(Case.closed_on.desc().nulls_last(), Case.reference)
    ))


def timeline(case_: Case) -> list[tuple[str, datetime, object]]:
    """Contacts and observations of a case, newest first, as (kind, when, record); an observation stands
    on the day it describes, after that day's contacts."""
    items = [("contact", a.at, a) for a in case_.contact_attempts]
    items += [("observation", datetime.combine(o.observed_on, time.max), o) for o in case_.observations]
    # Times typed to the minute often tie; the order of entry breaks the tie.
    return sorted(items, key=lambda item: (item[1], item[2].created_at, item[2].id), reverse=True)


def service_observations(session: Session, service_id: int) -> list[Observation]:
    """Observations about a service as a whole, newest first."""
    return list(session.scalars(
        select(Observation).where(Observation.service_id == service_id, Observation.case_id.is_(None))
        .order_by(Observation.observed_on.desc(), Observation.id.desc())
    ))


def cases_held_by(session: Session, service_id: int, supporter_ids: list[int]) -> list[Case]:
    """The open cases these supporters hold in a service, by reference."""
    return list(session.scalars(
        select(Case).where(Case.service_id == service_id, Case.supporter_id.in_(supporter_ids),
                           Case.status == CaseStatus.OPEN)
        .order_by(Case.reference)
    ))


def open_cases_of(session: Session, supporter_id: int) -> int:
    """How many open cases a peer supporter holds."""
    return session.scalar(select(func.count()).select_from(Case).where(
        Case.supporter_id == supporter_id, Case.status == CaseStatus.OPEN)) or 0


def case_by_reference(session: Session, service_id: int, reference: str) -> Case | None:
    """A case of a service by its reference, typed in any case."""
    return session.scalar(select(Case).where(Case.service_id == service_id,
                                             func.upper(Case.reference) == reference.strip().upper()))
