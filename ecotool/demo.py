"""Demo data: one service, a person in each role, a year of cases. Loading twice adds nothing."""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool.auth.models import Person
from ecotool.auth.operations import create_person
from ecotool.capture import operations as capture
from ecotool.capture.deprivation import import_file as import_postcodes
from ecotool.capture.models import Case, PostcodeQuintile
from ecotool.clock import local_today, to_local
from ecotool.decisions.models import Decision
from ecotool.decisions.operations import record_decision
from ecotool.framework.queries import current_version
from ecotool.services.operations import create_service
from ecotool.services.queries import get_service
from ecotool.vocab import AgeBand, Answer, Channel, DecisionStatus, Kind, Outcome, Role, Source

SLUG = "north-shore"
DEMO_POSTCODES = Path(__file__).parent / "capture" / "demo_postcodes.csv"
PASSWORD = "demo-password"
PEOPLE = [
    ("sam@demo.ecotool", Role.SUPERVISOR, "Sam (supervisor)", None),
    ("amina@demo.ecotool", Role.PEER_SUPPORTER, "Amina", "sam@demo.ecotool"),
    ("jo@demo.ecotool", Role.PEER_SUPPORTER, "Jo", "sam@demo.ecotool"),
    ("chris@demo.ecotool", Role.COMMISSIONER, "Chris (commissioner)", None),
    ("admin@demo.ecotool", Role.ADMIN, "Admin", None),
]
PATHWAYS = ("Midwife referral", "Text at 2-3 weeks", "Young mothers' pathway", "Self-referral")
# Reach falls with deprivation, as the studies found: the chance a case is ever reached, by quintile.
REACH = {1: 0.55, 2: 0.65, 3: 0.75, 4: 0.8, 5: 0.85, None: 0.6}
B, E, C = Kind.BARRIER, Kind.ENABLER, Kind.CONTEXT
OBSERVATIONS = [
    ("micro.household-gatekeeping", B, "Her partner picks up and says she is busy; she only answers when he is out at work."),
    ("micro.contactability", B, "Three calls with no answer; the number may be shared with a relative."),
    ("micro.transport-and-distance", B, "No bus runs to the group on the day it meets; a taxi costs too much."),
    ("meso.groups-and-venues", B, "The group starts at the same time as the nursery pick-up for her older child."),
    ("micro.language-and-culture", B, "English is her second language and the leaflet did not help; an interpreter would."),
    ("micro.money-food-housing", C, "Money is tight this month and food is the first worry, feeding questions come second."),
    ("meso.hospital-environment", B, "Felt the ward was too busy to ask for help with latching."),
    ("micro.family-feeding-attitudes", E, "Her mother breastfed and is keen to help; she came to the visit too."),
]
FAILURES = [outcome for outcome in Outcome if outcome.failed]  # declared order, so the seeded demo repeats
CHANNELS = [Channel.PHONE, Channel.PHONE, Channel.TEXT, Channel.HOME_VISIT]
# Service-level observations from team meetings: how many days ago each was observed, and what.
SERVICE_OBSERVATIONS = [
    (300, "macro.data-sharing-rules", B,
     "Discharge lists arrive without contact details, so the 48-hour call is often late."),
    (230, "meso.health-professional-links", B,
     "Health visitors in one team had not heard of the service, so few referrals came from them."),
    (150, "macro.funding-levels", C,
     "Funding covers two home visits per woman; more needs the coordinator's unpaid time."),
    (60, "meso.groups-and-venues", B,
     "The community centre closed for repairs and the group moved to a hall off the bus routes."),
]


def _people(session: Session, lines: list[str]) -> dict[str, Person]:
    people: dict[str, Person] = {}
    for email, role, name, supervisor in PEOPLE:
        person = session.scalar(select(Person).where(Person.email == email))
        if person is None:
            person, _ = create_person(
                session, None, email, role, [SLUG] if role != Role.ADMIN else [], name,
                people[supervisor].id if supervisor else None, PASSWORD,
            )
            lines.append(f"created {role} {email}")
        people[email] = person
    return people


def load_demo(session: Session, cases: int = 120, seed: int = 7) -> list[str]:
    """Create the demo service, people, cases, contacts, observations and a decision if missing."""
    lines: list[str] = []
    version = current_version(session)
    if version is None:
        raise RuntimeError("Load the frameworks first: flask --app ecotool init")
    if not session.scalar(select(PostcodeQuintile.postcode_hash).limit(1)):
        report = import_postcodes(session, DEMO_POSTCODES)
        lines.append(f"imported {report.imported} synthetic demo postcodes (e.g. NS1 1EZ, NS6 ...)")
    service = get_service(session, SLUG)
    if service is None:
        service = create_service(session, None, SLUG, "North Shore Breastfeeding Peer Support", "NS", PATHWAYS)
        lines.append(f"created service {SLUG}")
    people = _people(session, lines)
    supporters = [people["amina@demo.ecotool"], people["jo@demo.ecotool"]]
    domains = {d.code: d for d in version.domains}
    stages = [s["code"] for s in version.journey_stages]
    rng = random.Random(seed)
    today = local_today()
    made = 0
    for n in range(cases):
        reference = f"NS-D{n:03d}"
        quintile = rng.choices([1, 2, 3, 4, 5, None], weights=[34, 22, 16, 12, 10, 6])[0]
        age_band = rng.choices(list(AgeBand), weights=[10, 22, 28, 24, 14, 2])[0]
        referred = today - timedelta(days=rng.randint(5, 360))
        pathway = rng.choice(service.pathways)
        supporter = supporters[n % 2]
        reached = rng.random() < REACH[quintile]
        failures = rng.randint(0, 4)
        reached_contacts = rng.randint(1, 6) if reached else 0
        texts = rng.sample(OBSERVATIONS, k=rng.choice([0, 1, 1, 2, 3]))
        if session.scalar(select(Case.id).where(Case.service_id == service.id, Case.reference == reference)):
            continue
        case = capture.create_case(
            session, supporter.id, service, imd_quintile=quintile, age_band=age_band,
            first_time=rng.choice([Answer.YES, Answer.YES, Answer.NO, Answer.UNKNOWN]),
            language_support=rng.choices(list(Answer), weights=[12, 80, 8])[0],
            pathway_id=pathway.id, referral_date=referred, journey_stage=rng.choice(stages),
            supporter_id=supporter.id, reference=reference,
        )
        when = datetime.combine(referred, time(10, 0))
        outcomes = [rng.choice(FAILURES) for _ in range(failures)] + [Outcome.REACHED] * reached_contacts
        attempts = []
        for outcome in outcomes:
            when += timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 8))
            if to_local(when).date() >= today:
                break
            attempts.append(capture.log_contact_attempt(session, supporter.id, case, at=when,
                                                        channel=rng.choice(CHANNELS), outcome=outcome))
        # Each note was made at one of the case's contact attempts and is dated that day, so the notes
        # spread over the year as the referrals do; a woman never contacted has none.
        for code, kind, text in texts if attempts else []:
            attempt = rng.choice(attempts)
            capture.add_observation(session, supporter.id, service, case=case, domain_id=domains[code].id,
                                    journey_stage=case.journey_stage, kind=kind,
                                    source=Source.of_channel(attempt.channel), text=text,
                                    shareable=rng.random() < 0.5, observed_on=to_local(attempt.at).date())
        made += 1
    if made:
        lines.append(f"created {made} cases with their contact attempts and observations")
        for days_ago, code, kind, text in SERVICE_OBSERVATIONS:
            capture.add_observation(session, people["sam@demo.ecotool"].id, service, case=None,
                                    domain_id=domains[code].id, journey_stage=None, kind=kind,
                                    source=Source.TEAM_MEETING, text=text, shareable=True,
                                    observed_on=today - timedelta(days=days_ago))
    if not session.scalar(select(Decision.id).where(Decision.service_id == service.id)):
        record_decision(
            session, people["sam@demo.ecotool"].id, service,
            title="Text first, then call in the early evening",
            rationale="Many first calls were answered by someone else or not at all; women said evenings suit them.",
            response_type="change-contact-timing", target_group="imd-quintile-1",
            domain_ids=[domains["micro.household-gatekeeping"].id, domains["micro.contactability"].id],
            start_date=today - timedelta(days=120), review_date=today + timedelta(days=60), status=DecisionStatus.IN_EFFECT,
        )
        lines.append("created a decision")
    lines.append(f"demo logins, each with the password {PASSWORD}:")
    lines.extend(f"  {email:<22} {role}" for email, role, *_ in PEOPLE)
    return lines
