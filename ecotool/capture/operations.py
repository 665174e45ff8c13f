"""Recording cases, contact attempts and observations (writes only; reads are in queries.py)."""
from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import column, func, select, table
from sqlalchemy.orm import Session

from ecotool import audit
from ecotool.auth.models import Person
from ecotool.capture import definitions
from ecotool.capture.models import Case, ContactAttempt, Observation, ObservationComment
from ecotool.clock import EARLIEST, format_day, local_today, to_local, utcnow
from ecotool.db import atomic, claim
from ecotool.errors import OperationError
from ecotool.framework.models import Domain
from ecotool.framework.queries import current_version
from ecotool.privacy import require_clean
from ecotool.services.models import Pathway, Service
from ecotool.vocab import (QUINTILES, AgeBand, Answer, CaseStatus, Channel, CloseReason, Kind, Outcome, Source,
                           Vocabulary)


# No 0/O or 1/I: references are read out on the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _new_reference(session: Session, service: Service) -> str:
    """An unused case reference such as NS-4K7Q."""
    while True:
        ref = f"{service.case_prefix}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4))
        if not session.scalar(select(Case.id).where(Case.service_id == service.id, Case.reference == ref)):
            return ref


def _check_in(value: str, vocabulary: type[Vocabulary], field: str) -> str:
    if value not in vocabulary.values():
        raise OperationError(f"Choose one of: {', '.join(vocabulary.values())}.", field)
    return vocabulary(value).value


def _check_supporter(session: Session, service_id: int, supporter_id: int) -> None:
    active = definitions.active_supporters(service_id).where(Person.id == supporter_id)
    if session.scalar(active) is None:
        raise OperationError("Choose a peer supporter of this service.", "supporter_id")


@atomic
def create_case(
    session: Session, actor_id: int, service: Service, *, imd_quintile: int | None, age_band: str,
    first_time: str, language_support: str, pathway_id: int | None, referral_date: date,
    journey_stage: str, supporter_id: int, reference: str | None = None,
) -> Case:
    """Open a case for a mother, known only by a new reference."""
    if imd_quintile is not None and imd_quintile not in QUINTILES:
        raise OperationError("The quintile is 1 to 5, or unknown.", "imd_quintile")
    age_band = _check_in(age_band, AgeBand, "age_band")
    first_time = _check_in(first_time, Answer, "first_time")
    language_support = _check_in(language_support, Answer, "language_support")
    if pathway_id is not None:
        pathway = session.get(Pathway, pathway_id)
        if pathway is None or pathway.service_id != service.id:
            raise OperationError("Choose one of this service's pathways.", "pathway_id")
    if referral_date > local_today():
        raise OperationError("The referral date cannot be in the future.", "referral_date")
    case = Case(
        service_id=service.id, reference=reference or _new_reference(session, service),
        imd_quintile=imd_quintile, age_band=age_band, first_time=first_time,
        language_support=language_support, pathway_id=pathway_id, referral_date=referral_date,
        journey_stage=journey_stage, supporter_id=supporter_id,
    )
    session.add(case)
    session.flush()
    audit.record(session, actor_id, "case.create", case)
    return case


@atomic
def update_case(session: Session, actor_id: int, case: Case, *, journey_stage: str, supporter_id: int,
                seen_version: int | None = None) -> Case:
    """Move a case to another journey stage, or hand it to another supporter."""
    version = current_version(session)
    if version is None or journey_stage not in {s["code"] for s in version.journey_stages}:
        raise OperationError("Choose a journey stage from the framework.", "journey_stage")
    _check_supporter(session, case.service_id, supporter_id)
    claim(session, case, seen_version)
    case.journey_stage, case.supporter_id = journey_stage, supporter_id
    session.flush()
    audit.record(session, actor_id, "case.update", case)
    return case


@atomic
def hand_over_cases(session: Session, actor_id: int, leaving: Person, colleague_id: int) -> int:
    """Hand every open case of a supporter who is leaving to one colleague, an active peer supporter of each
    case's service; all or none. Return how many moved."""
    cases = list(session.scalars(select(Case).where(Case.supporter_id == leaving.id, Case.status == CaseStatus.OPEN)))
    if colleague_id == leaving.id:
        raise OperationError("Choose a colleague, not the person leaving.", "colleague_id")
    for service_id in {c.service_id for c in cases}:
        _check_supporter(session, service_id, colleague_id)
    for case in cases:
        claim(session, case, None)
        case.supporter_id = colleague_id
        audit.record(session, actor_id, "case.hand_over", case)
    session.flush()
    return len(cases)


@atomic
def close_case(session: Session, actor_id: int, case: Case, *, reason: str, seen_version: int | None = None) -> Case:
    """Close a case, saying why; it leaves the caseload and takes no more contact attempts until reopened."""
    reason = _check_in(reason, CloseReason, "reason")
    if case.status == CaseStatus.CLOSED:
        raise OperationError("This case is already closed.")
    claim(session, case, seen_version)
    case.status, case.close_reason, case.closed_on = CaseStatus.CLOSED, reason, local_today()
    session.flush()
    audit.record(session, actor_id, "case.close", case)
    return case


@atomic
def reopen_case(session: Session, actor_id: int, case: Case) -> Case:
    """Open a closed case again."""
    if case.status != CaseStatus.CLOSED:
        raise OperationError("This case is open already.")
    claim(session, case, None)
    case.status, case.close_reason, case.closed_on = CaseStatus.OPEN, None, None
    session.flush()
    audit.record(session, actor_id, "case.reopen", case)
    return case


@atomic
def log_contact_attempt(
    session: Session, actor_id: int, case: Case, *, at: datetime, channel: str, outcome: str,
    by_id: int | None = None,
) -> ContactAttempt:
    """Record one attempt to reach the mother of a case; `at` is in UTC; `by_id` defaults to the actor.
    The same attempt sent twice is kept once."""
    channel = _check_in(channel, Channel, "channel")
    outcome = _check_in(outcome, Outcome, "outcome")
    if case.status == CaseStatus.CLOSED:
        raise OperationError("This case is closed. Reopen it to log a contact attempt.")
    problem = case.contact_date_problem(at, by_hand=by_id is None)
    if problem:
        raise OperationError(problem, "at")
    same = session.scalar(select(ContactAttempt).where(
        ContactAttempt.case_id == case.id, ContactAttempt.at == at, ContactAttempt.channel == channel,
        ContactAttempt.outcome == outcome))
    if same is not None:
        return same
    attempt = ContactAttempt(case_id=case.id, at=at, channel=channel, outcome=outcome, by_id=by_id or actor_id)
    session.add(attempt)
    session.flush()
    audit.record(session, actor_id, "contact_attempt.create", attempt)
    return attempt


def _check_observed_on(observed_on: date, case: Case | None) -> None:
    if observed_on > local_today():
        raise OperationError("That date is in the future.", "observed_on")
    if observed_on < EARLIEST:
        raise OperationError(f"Use a date from {format_day(EARLIEST)} on.", "observed_on")
    if case is not None and observed_on < case.referral_date:
        raise OperationError(f"That is before the case was referred ({format_day(case.referral_date)}).",
                             "observed_on")


def _check_stage(domain: Domain, journey_stage: str | None, case: Case | None) -> str | None:
    # A service-level observation (no case) need not belong to a stage of one mother's journey.
    if case is None and not journey_stage:
        return None
    if journey_stage not in {s["code"] for s in domain.framework_version.journey_stages}:
        raise OperationError("Choose a journey stage from the framework.", "journey_stage")
    return journey_stage


@atomic
def add_observation(
    session: Session, actor_id: int, service: Service, *, case: Case | None, domain_id: int,
    journey_stage: str | None, kind: str, source: str, text: str, shareable: bool = False,
    observed_on: date | None = None, session_id: int | None = None,
) -> Observation:
    """Record a piece of context on the day it describes (today unless given), pinned to the framework
    version of its domain (and to the supervision session it was raised in, if any). The same observation
    sent twice is kept once."""
    domain = session.get(Domain, domain_id) if domain_id is not None else None
    if domain is None:
        raise OperationError("Choose a domain from the framework.", "domain_id")
    journey_stage = _check_stage(domain, journey_stage, case)
    kind = _check_in(kind, Kind, "kind")
    source = _check_in(source, Source, "source")
    if not text.strip():
        raise OperationError("Write what you noticed.", "text")
    require_clean(text, "text")
    observed_on = observed_on or local_today()
    _check_observed_on(observed_on, case)
    fields = dict(service_id=service.id, case_id=case.id if case else None, domain_id=domain.id, kind=kind,
                  text=text.strip(), observed_on=observed_on)
    same = session.scalar(select(Observation).filter_by(**fields))
    if same is not None:
        return same
    observation = Observation(
        **fields, framework_version_id=domain.framework_version_id, journey_stage=journey_stage, source=source,
        shareable=shareable, author_id=actor_id, session_id=session_id,
    )
    session.add(observation)
    session.flush()
    audit.record(session, actor_id, "observation.create", observation)
    return observation


def _check_may_change(session: Session, actor_id: int, observation: Observation) -> None:
    if not observation.may_be_changed_by(session.get(Person, actor_id)):
        raise OperationError("Only the person who wrote this observation, or her supervisor, can change it.")


@atomic
def update_observation(
    session: Session, actor_id: int, observation: Observation, *, kind: str, text: str, shareable: bool,
    observed_on: date, seen_version: int | None = None,
) -> Observation:
    """Correct an observation (its author or her supervisor); audited by id, never by text."""
    _check_may_change(session, actor_id, observation)
    kind = _check_in(kind, Kind, "kind")
    if not text.strip():
        raise OperationError("Write what you noticed.", "text")
    require_clean(text, "text")
    _check_observed_on(observed_on, observation.case)
    claim(session, observation, seen_version)
    observation.kind, observation.text, observation.shareable = kind, text.strip(), shareable
    observation.observed_on, observation.updated_at = observed_on, utcnow()
    session.flush()
    audit.record(session, actor_id, "observation.update", observation)
    return observation


# The decisions area's link to its evidence, named here rather than imported: capture sits below decisions.
_DECISION_EVIDENCE = table("decision_observation", column("observation_id"))


@atomic
def delete_observation(session: Session, actor_id: int, observation: Observation) -> None:
    """Remove an observation (its author or her supervisor); the audit keeps only its id. One a decision cites
    as its evidence stays."""
    _check_may_change(session, actor_id, observation)
    cited = select(func.count()).select_from(_DECISION_EVIDENCE).where(
        _DECISION_EVIDENCE.c.observation_id == observation.id)
    if session.scalar(cited):
        raise OperationError("A decision cites this observation as its evidence, so it stays. If its words are "
                             "wrong, correct them instead.")
    audit.record(session, actor_id, "observation.delete", observation)
    session.delete(observation)
    session.flush()


@atomic
def comment_on_observation(
    session: Session, actor_id: int, observation: Observation, text: str, session_id: int | None = None,
) -> ObservationComment:
    """A supervisor's comment on her supervisee's observation; the words pass the privacy guard."""
    actor = session.get(Person, actor_id)
    if actor is None or observation.author.supervisor_id != actor.id:
        raise OperationError("Only the supervisor of the person who wrote this observation can comment on it.")
    if not text.strip():
        raise OperationError("Write the comment.", "text")
    require_clean(text, "text")
    same = next((c for c in observation.comments if c.author_id == actor_id and c.text == text.strip()), None)
    if same is not None:  # the same words again (a second tap, or the same point in a later session)
        return same
    comment = ObservationComment(observation_id=observation.id, author_id=actor_id, text=text.strip(),
                                 session_id=session_id)
    session.add(comment)
    session.flush()
    audit.record(session, actor_id, "observation_comment.create", comment)
    return comment


@atomic
def log_contact_with_note(
    session: Session, actor_id: int, case: Case, *, at: datetime, channel: str, outcome: str,
    note_text: str = "", note_domain_id: int | None = None, note_kind: str | None = None,
) -> ContactAttempt:
    """Log an attempt and, if a note was written, keep it as an observation on the case, dated the day of
    the attempt (both or neither)."""
    attempt = log_contact_attempt(session, actor_id, case, at=at, channel=channel, outcome=outcome)
    if note_text.strip():
        try:
            add_observation(session, actor_id, case.service, case=case, domain_id=note_domain_id,
                            journey_stage=case.journey_stage, kind=note_kind or Kind.BARRIER,
                            source=Source.of_channel(channel), text=note_text, observed_on=to_local(at).date())
        except OperationError as error:
            # On the contact form the note's fields carry a prefix.
            raise OperationError(error.message, f"note_{error.field}" if error.field else None) from error
    return attempt


@atomic
def record_read(session: Session, actor_id: int, case: Case) -> None:
    """Audit that someone opened a case's page."""
    audit.record(session, actor_id, "case.read", case)
