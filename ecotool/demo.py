"""Demo data: one service, a person in each role, a year of seeded cases, a few recent hand-written ones that
raise every supervision prompt, Amina's last three supervision sessions, and three decisions, two of them with
cases of their own that tell the studies' story. Loading twice adds nothing."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool.auth.models import Person
from ecotool.auth.operations import create_person
from ecotool.capture import operations as capture
from ecotool.capture.deprivation import import_file as import_postcodes
from ecotool.capture.models import Case, Observation, PostcodeQuintile
from ecotool.clock import local_today, to_local, to_utc
from ecotool.decisions.models import Decision
from ecotool.decisions.operations import change_status, record_decision
from ecotool.framework.queries import current_version
from ecotool.services.models import Service
from ecotool.services.operations import create_service
from ecotool.services.queries import get_service
from ecotool.supervision import operations as supervision
from ecotool.supervision.models import SupervisionSession
from ecotool.vocab import AgeBand, Answer, Channel, CloseReason, DecisionStatus, Kind, Outcome, Role, Source

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

# Jo has written no notes for five weeks: none of the seeded notes on her cases falls in these last days.
JO_SILENT_DAYS = 35

AMINA, JO = "amina@demo.ecotool", "jo@demo.ecotool"
PHONE, TEXT, VISIT = Channel.PHONE, Channel.TEXT, Channel.HOME_VISIT
REACHED, NO_ANSWER, MESSAGE_LEFT = Outcome.REACHED, Outcome.NO_ANSWER, Outcome.MESSAGE_LEFT
SOMEONE_ELSE, DECLINED = Outcome.SOMEONE_ELSE_ANSWERED, Outcome.DECLINED
LANGUAGE, TRANSPORT = "micro.language-and-culture", "micro.transport-and-distance"
# Notes about what goes on at home are never quoted in commissioner reports; the others may be.
PRIVATE_DOMAINS = {"micro.household-gatekeeping", "micro.money-food-housing", "micro.others-present"}


@dataclass(frozen=True)
class Recent:
    """A hand-written case, so the last weeks' supervision has something to say about each supervisee.

    Days are counted back from today. Each attempt is (days ago, local time, channel, outcome, note), the
    note (domain code, kind, text) or None; a note is dated the day of its attempt."""

    reference: str
    supporter: str
    referred: int
    quintile: int | None
    age_band: str
    language_support: str
    pathway: str
    stage: str
    attempts: tuple = ()
    closed: tuple[int, str] | None = None  # (days ago, reason)


# Amina: few target cases, many who need an interpreter, two who declined, and she writes a lot down
# (language keeps coming up). Her older cases, closed now, show transport coming up over the summer.
# Jo: mostly target cases she has not reached yet, someone else answering, and no notes for five weeks.
RECENT = [
    Recent("NS-R001", AMINA, 24, 3, AgeBand.FROM_30_TO_34, Answer.YES, "Midwife referral", "early-weeks", (
        (22, "09:40", PHONE, NO_ANSWER, None),
        (21, "18:10", PHONE, REACHED, (LANGUAGE, B, ("She understood little of the first call in English. We agreed "
                                                     "to use the telephone interpreter from now on."))),
        (14, "11:00", VISIT, REACHED, ("micro.confidence-and-help-seeking", E,
                                       ("With the interpreter on speaker she asked about expressing and showed how "
                                        "she holds the baby to feed. She is growing in confidence."))),
        (7, "10:30", PHONE, REACHED, None),
    )),
    Recent("NS-R002", AMINA, 20, 4, AgeBand.FROM_25_TO_29, Answer.YES, "Self-referral", "first-days", (
        (19, "10:15", PHONE, NO_ANSWER, None),
        (18, "17:45", PHONE, REACHED, (LANGUAGE, B, ("The leaflet we send is only in English, so a relative read it "
                                                     "to her over the phone and left parts out."))),
        (10, "12:00", PHONE, REACHED, None),
    )),
    Recent("NS-R003", AMINA, 16, 2, AgeBand.FROM_35, Answer.YES, "Midwife referral", "first-days", (
        (15, "10:00", PHONE, SOMEONE_ELSE, None),
        (14, "18:30", PHONE, REACHED, (LANGUAGE, B, ("Her partner translated on the call, so it was hard to tell what "
                                                     "she herself wanted to ask."))),
        (6, "14:00", VISIT, REACHED, ("micro.others-present", C,
                                      ("The visit went better with only the two of us and the interpreter; she "
                                       "asked about night feeds for the first time."))),
    )),
    Recent("NS-R004", AMINA, 12, 5, AgeBand.FROM_25_TO_29, Answer.YES, "Midwife referral", "first-days", (
        (11, "09:30", PHONE, REACHED, (LANGUAGE, E, ("Booked the interpreter the day before, so the call started on "
                                                     "time and she had her questions ready."))),
        (4, "10:45", PHONE, REACHED, None),
    )),
    Recent("NS-R005", AMINA, 26, 3, AgeBand.FROM_20_TO_24, Answer.NO, "Self-referral", "first-days", (
        (23, "17:20", PHONE, DECLINED, ("micro.interest-and-expectations", C,
                                        ("She is managing well and did not want more calls. She knows how to get "
                                         "back in touch if that changes."))),
    ), closed=(23, CloseReason.NO_LONGER_WANTED)),
    Recent("NS-R006", AMINA, 9, 4, AgeBand.FROM_30_TO_34, Answer.NO, "Midwife referral", "birth-and-hospital", (
        (8, "11:20", PHONE, DECLINED, ("meso.hospital-environment", B,
                                       ("The ward was so busy that nobody helped with feeding before she went home. "
                                        "She said she had had enough of advice for now."))),
    ), closed=(8, CloseReason.NO_LONGER_WANTED)),
    Recent("NS-R007", AMINA, 19, 2, AgeBand.FROM_25_TO_29, Answer.UNKNOWN, "Text at 2-3 weeks", "first-days", (
        (17, "10:30", PHONE, SOMEONE_ELSE, ("micro.household-gatekeeping", B,
                                            ("A man answered and said she was asleep. He would not take a message "
                                             "or say when to call back."))),
        (15, "15:00", PHONE, SOMEONE_ELSE, None),
        (12, "18:00", TEXT, NO_ANSWER, None),
        (8, "10:00", PHONE, NO_ANSWER, None),
    )),
    Recent("NS-R008", AMINA, 6, 3, AgeBand.FROM_30_TO_34, Answer.NO, "Midwife referral", "first-days", (
        (5, "10:10", PHONE, NO_ANSWER, None),
        (3, "16:40", PHONE, MESSAGE_LEFT, None),
    )),
    Recent("NS-R009", AMINA, 3, 4, AgeBand.FROM_35, Answer.YES, "Self-referral", "first-days", (
        (2, "11:30", PHONE, REACHED, (LANGUAGE, B, ("She wanted the first call in her own language, and the "
                                                    "interpreter line kept us waiting for twenty minutes."))),
    )),
    Recent("NS-R010", AMINA, 1, 5, AgeBand.FROM_20_TO_24, Answer.NO, "Midwife referral", "birth-and-hospital"),
    Recent("NS-R011", AMINA, 14, 3, AgeBand.FROM_25_TO_29, Answer.NO, "Text at 2-3 weeks", "early-weeks", (
        (13, "10:00", PHONE, REACHED, (TRANSPORT, B, ("The group is two buses away. She would come if someone went "
                                                      "with her the first time."))),
        (6, "13:30", Channel.GROUP, REACHED, ("meso.groups-and-venues", E,
                                              ("Met her at the bus stop and we went to the group together. She "
                                               "says she will go again next week."))),
        (2, "10:20", PHONE, REACHED, None),
    )),
    Recent("NS-R012", AMINA, 22, 4, AgeBand.FROM_30_TO_34, Answer.NO, "Midwife referral", "early-weeks", (
        (20, "11:00", PHONE, REACHED, ("meso.groups-and-venues", B,
                                       ("The hall the group moved to has steps at the door and no room inside for "
                                        "prams."))),
        (13, "18:15", TEXT, NO_ANSWER, None),
        (9, "17:50", PHONE, REACHED, ("macro.parental-leave-and-work", C,
                                      ("Her partner went back to work after three days, so she is on her own all "
                                       "day and evening calls suit her best."))),
    )),
    Recent("NS-R013", AMINA, 80, 2, AgeBand.FROM_25_TO_29, Answer.NO, "Midwife referral", "early-weeks", (
        (78, "10:00", PHONE, REACHED, None),
        (71, "14:30", VISIT, REACHED, (TRANSPORT, B, ("No bus from her side of town reaches the clinic before ten, so "
                                                      "she keeps missing the weighing drop-in."))),
        (60, "10:30", PHONE, REACHED, None),
    ), closed=(45, CloseReason.FEEDING_ENDED)),
    Recent("NS-R014", AMINA, 70, 1, AgeBand.FROM_20_TO_24, Answer.NO, "Midwife referral", "early-weeks", (
        (68, "09:50", PHONE, NO_ANSWER, None),
        (66, "17:30", PHONE, REACHED, (TRANSPORT, B, ("The group is free but the bus fare for her and the pram is "
                                                      "not. She walked there once and it took an hour."))),
        (55, "11:00", VISIT, REACHED, None),
        (47, "10:40", PHONE, REACHED, None),
    ), closed=(35, CloseReason.NO_LONGER_WANTED)),
    Recent("NS-R015", AMINA, 58, 3, AgeBand.FROM_30_TO_34, Answer.NO, "Midwife referral", "early-weeks", (
        (56, "10:20", PHONE, REACHED, None),
        (50, "12:10", PHONE, REACHED, (TRANSPORT, B, ("Since the group moved she cannot get there without a lift, "
                                                      "and her partner takes the car to work."))),
        (42, "10:00", PHONE, REACHED, None),
    ), closed=(31, CloseReason.FEEDING_ENDED)),
    Recent("NS-R016", JO, 45, 1, AgeBand.UNDER_20, Answer.NO, "Young mothers' pathway", "early-weeks", (
        (43, "10:00", PHONE, NO_ANSWER, None),
        (40, "16:00", TEXT, MESSAGE_LEFT, None),
        (37, "18:00", PHONE, NO_ANSWER, ("micro.contactability", B,
                                         ("The number on the referral rings out every time. I have asked the "
                                          "midwives to check it."))),
        (20, "11:00", PHONE, NO_ANSWER, None),
        (12, "17:30", PHONE, NO_ANSWER, None),
    )),
    Recent("NS-R017", JO, 40, 1, AgeBand.FROM_20_TO_24, Answer.NO, "Midwife referral", "first-days", (
        (38, "10:30", PHONE, SOMEONE_ELSE, ("micro.household-gatekeeping", B,
                                            ("Her mother answers and says she will pass the message on, but there "
                                             "has been no call back."))),
        (24, "14:00", PHONE, SOMEONE_ELSE, None),
        (17, "18:20", PHONE, SOMEONE_ELSE, None),
        (9, "10:10", PHONE, NO_ANSWER, None),
    )),
    Recent("NS-R018", JO, 27, 1, AgeBand.UNDER_20, Answer.UNKNOWN, "Young mothers' pathway", "first-days", (
        (25, "11:00", PHONE, NO_ANSWER, None),
        (22, "16:30", TEXT, MESSAGE_LEFT, None),
        (18, "14:00", VISIT, Outcome.NOT_AT_HOME, None),
        (5, "10:30", PHONE, NO_ANSWER, None),
    )),
    Recent("NS-R019", JO, 21, 1, AgeBand.FROM_25_TO_29, Answer.YES, "Midwife referral", "first-days", (
        (20, "10:00", PHONE, SOMEONE_ELSE, None),
        (16, "17:00", PHONE, NO_ANSWER, None),
        (11, "11:40", PHONE, NO_ANSWER, None),
    )),
    Recent("NS-R020", JO, 15, 1, AgeBand.FROM_30_TO_34, Answer.NO, "Text at 2-3 weeks", "first-days", (
        (14, "10:00", PHONE, Outcome.WRONG_NUMBER, None),
    )),
    Recent("NS-R021", JO, 8, 2, AgeBand.UNDER_20, Answer.NO, "Young mothers' pathway", "birth-and-hospital", (
        (7, "11:15", PHONE, NO_ANSWER, None),
        (4, "16:00", TEXT, MESSAGE_LEFT, None),
    )),
    Recent("NS-R022", JO, 4, 1, AgeBand.FROM_35, Answer.NO, "Midwife referral", "birth-and-hospital", (
        (3, "10:45", PHONE, NO_ANSWER, None),
    )),
    Recent("NS-R023", JO, 42, 1, AgeBand.FROM_20_TO_24, Answer.NO, "Midwife referral", "early-weeks", (
        (41, "09:30", PHONE, NO_ANSWER, None),
        (38, "17:40", PHONE, REACHED, ("micro.money-food-housing", C,
                                       ("Money is very tight and she is worried about the rent. Feeding questions "
                                        "can wait until that is sorted."))),
        (19, "11:00", PHONE, REACHED, None),
    )),
    Recent("NS-R024", JO, 31, 1, AgeBand.FROM_20_TO_24, Answer.NO, "Midwife referral", "first-days", (
        (29, "10:40", PHONE, NO_ANSWER, None),
        (26, "15:30", TEXT, MESSAGE_LEFT, None),
        (13, "18:10", PHONE, NO_ANSWER, None),
    )),
    Recent("NS-R025", JO, 18, 3, AgeBand.FROM_25_TO_29, Answer.NO, "Self-referral", "first-days", (
        (17, "10:20", PHONE, NO_ANSWER, None),
        (13, "15:10", PHONE, NO_ANSWER, None),
        (10, "18:00", PHONE, MESSAGE_LEFT, None),
    )),
    Recent("NS-R026", JO, 10, 4, AgeBand.FROM_30_TO_34, Answer.NO, "Midwife referral", "first-days", (
        (9, "10:00", PHONE, SOMEONE_ELSE, None),
        (6, "17:15", PHONE, NO_ANSWER, None),
    )),
]

# Sam's sessions with Amina: how many days ago, a note (and whether Amina may read it) against the first
# prompt about each of these domains, and the actions agreed.
PAST_SESSIONS = [
    (84, {
        "micro.contactability": (("Most of the women not reached had only had morning calls. We agreed to text first "
                                  "and then call in the early evening."), True),
        "macro.data-sharing-rules": (("Several referrals came without a working number; to raise with the midwife "
                                      "team."), False),
        "micro.supporter-morale": ("The run of unanswered calls has been tiring. Talking it through helped.", False),
    }, ("Text before every first call, and try an early evening call before a third morning one. Bring the "
        "referrals without a working number to the team meeting.")),
    (56, {
        "micro.transport-and-distance": (("Two women could not get to the group or the clinic by bus. Ask at the "
                                          "first visit how she would get there."), True),
        "micro.household-gatekeeping": (("When someone else answers, leave only the service's name and follow up "
                                         "with a text."), False),
    }, ("Ask how she would get to the group at the first visit, and note transport whenever it gets in the way. "
        "Find out whether the new hall can be reached by bus.")),
    (28, {
        "micro.transport-and-distance": (("Transport came up again. It keeps coming back, so it goes to the team "
                                          "meeting as a proposal rather than staying with one supporter."), True),
        "meso.groups-and-venues": ("The new hall is off the bus routes and has steps at the door.", False),
    }, ("Draft a proposal on getting to the group for the team meeting. Book the telephone interpreter ahead of "
        "first calls where language support is needed.")),
]


# The two studies' story, told by two decisions of the service and cases of their own (NS-E001 on), made the
# same way on every load. A text at two to three weeks, offered to every mother, raised engagement far more
# for women outside the target group than for target women, for whom it comes too late; a young mothers'
# pathway works with so few women that its change cannot yet be judged. Days are counted back from today.
MIDWIFE, TEXT_PATHWAY, YOUNG_PATHWAY = "Midwife referral", "Text at 2-3 weeks", "Young mothers' pathway"
TEXT_START = 210    # so its after window ends the day before "Text first, then call in the early evening" began
YOUNG_START = 150
STORY_WINDOW = 90


@dataclass(frozen=True)
class Cohort:
    """Women referred evenly over `days` days from `first` days ago, all target women or all others: how many
    were referred, and how many of them were reached and engaged in their first six weeks. Pathways are taken
    in turn from `pathways`; `young` women are under 20 (target) or 20 to 24 (other)."""

    first: int
    days: int
    target: bool
    referred: int
    reached: int
    engaged: int
    pathways: tuple[str, ...]
    young: bool = False


BEFORE_TEXT = (MIDWIFE,) * 7 + ("Self-referral",) * 3
AFTER_TEXT = (TEXT_PATHWAY,) * 3 + (MIDWIFE,)
STORY = [
    # Text at 2-3 weeks, measured over every case: 80 women in each group and window. With the default 120
    # seeded cases and the young mothers' in its windows, other women go from 28% engaged to 58% and target
    # women from 23% to 27%: a clear difference in favour of other women (with other seeds it may not be clear).
    Cohort(TEXT_START + STORY_WINDOW, STORY_WINDOW, True, 80, 38, 14, BEFORE_TEXT),
    Cohort(TEXT_START + STORY_WINDOW, STORY_WINDOW, False, 80, 46, 20, BEFORE_TEXT),
    Cohort(TEXT_START, STORY_WINDOW, True, 80, 42, 22, AFTER_TEXT),
    Cohort(TEXT_START, STORY_WINDOW, False, 80, 68, 47, AFTER_TEXT),
    # The young mothers' pathway, measured on its own cases: too few in every group and window.
    Cohort(YOUNG_START + STORY_WINDOW, STORY_WINDOW, True, 6, 3, 1, (YOUNG_PATHWAY,), young=True),
    Cohort(YOUNG_START + STORY_WINDOW, STORY_WINDOW, False, 2, 1, 0, (YOUNG_PATHWAY,), young=True),
    Cohort(YOUNG_START, STORY_WINDOW, True, 8, 6, 3, (YOUNG_PATHWAY,), young=True),
    Cohort(YOUNG_START, STORY_WINDOW, False, 3, 2, 1, (YOUNG_PATHWAY,), young=True),
]
STORY_CASES = sum(cohort.referred for cohort in STORY)
CLOCKS = [time(9, 30), time(10, 15), time(11, 0), time(14, 0), time(17, 30), time(18, 10)]


def _story_cases(session: Session, service: Service, supporters: list[Person], stages: list[str],
                 today: date) -> int:
    """The story's cases that are missing, with their contact attempts, each closed two weeks after its last
    attempt; how many were made. Every attempt falls in her first five weeks, so within her follow-up."""
    rng = random.Random("north-shore story")
    pathways = {p.name: p for p in service.pathways}
    existing = set(session.scalars(select(Case.reference).where(Case.service_id == service.id,
                                                                Case.reference.like(f"{service.case_prefix}-E%"))))
    number = made = 0
    for cohort in STORY:
        kinds = (["engaged"] * cohort.engaged + ["reached"] * (cohort.reached - cohort.engaged)
                 + ["not reached"] * (cohort.referred - cohort.reached))
        rng.shuffle(kinds)
        for n, kind in enumerate(kinds):
            number += 1
            reference = f"{service.case_prefix}-E{number:03d}"
            referred = today - timedelta(days=cohort.first - n * cohort.days // cohort.referred)
            pathway = pathways[cohort.pathways[n % len(cohort.pathways)]]
            if cohort.young:
                age_band = AgeBand.UNDER_20 if cohort.target else AgeBand.FROM_20_TO_24
                quintile = rng.choice([1, 2, 3] if cohort.target else [2, 3, 4])
            elif cohort.target:
                quintile, age_band = ((1, rng.choices(list(AgeBand)[1:5], weights=[30, 30, 25, 15])[0])
                                      if rng.random() < 0.85 else (rng.choice([2, 3]), AgeBand.UNDER_20))
            else:
                quintile = rng.choices([2, 3, 4, 5, None], weights=[25, 25, 22, 20, 8])[0]
                age_band = rng.choices(list(AgeBand)[1:5], weights=[15, 30, 35, 20])[0]
            reached = {"engaged": rng.choice([3, 3, 4]), "reached": rng.choice([1, 2]), "not reached": 0}[kind]
            outcomes = [rng.choice(FAILURES) for _ in range(rng.randint(0, 1) if reached else rng.randint(1, 3))]
            outcomes += [Outcome.REACHED] * reached
            day, attempts = referred + timedelta(days=rng.randint(1, 3)), []
            for outcome in outcomes:
                attempts.append((day, rng.choice(CLOCKS), rng.choice(CHANNELS), outcome))
                day += timedelta(days=rng.randint(2, 6))
            if pathway.name == TEXT_PATHWAY:  # the first contact is the text itself
                attempts[0] = (attempts[0][0], attempts[0][1], Channel.TEXT, attempts[0][3])
            supporter = supporters[number % 2]
            stage = "early-weeks" if pathway.name == TEXT_PATHWAY else rng.choice(stages[1:3])
            if reference in existing:
                continue
            case = capture.create_case(
                session, supporter.id, service, imd_quintile=quintile, age_band=age_band,
                first_time=rng.choice([Answer.YES, Answer.NO]), language_support=Answer.NO,
                pathway_id=pathway.id, referral_date=referred, journey_stage=stage, supporter_id=supporter.id,
                reference=reference,
            )
            for day, clock, channel, outcome in attempts:
                capture.log_contact_attempt(session, supporter.id, case, channel=channel, outcome=outcome,
                                            at=to_utc(datetime.combine(day, clock)))
            _close(session, supporter.id, case, attempts[-1][0] + timedelta(days=14),
                   CloseReason.FEEDING_ENDED if reached else CloseReason.NOT_REACHED, today)
            made += 1
    return made


def _backdate(decision: Decision, *days: date) -> None:
    """Date the decision's steps (recorded, then each status change) on these days, as if kept at the time."""
    for change, day in zip(decision.changes, days):
        change.changed_at = to_utc(datetime.combine(day, time(16, 0)))
    decision.created_at = decision.changes[0].changed_at


def _evidence(session: Session, service: Service, domains: list, before: date) -> list[int]:
    """The service's barrier observations in these domains, observed in the 90 days before a decision was made:
    what its page shows as the evidence behind it."""
    return list(session.scalars(
        select(Observation.id).where(Observation.service_id == service.id, Observation.kind == Kind.BARRIER,
                                     Observation.domain_id.in_([d.id for d in domains]),
                                     Observation.observed_on.between(before - timedelta(days=90), before))
    ))


def _decisions(session: Session, service: Service, sam: Person, domains: dict, today: date) -> int:
    """The service's three decisions, each made if no decision of the service has its title; how many were."""
    titles = set(session.scalars(select(Decision.title).where(Decision.service_id == service.id)))
    pathways = {p.name: p.id for p in service.pathways}
    made = 0
    title = "Text first, then call in the early evening"
    if title not in titles:
        record_decision(
            session, sam.id, service, title=title,
            rationale="Many first calls were answered by someone else or not at all; women said evenings suit them.",
            response_type="change-contact-timing", target_group="imd-quintile-1",
            domain_ids=[domains["micro.household-gatekeeping"].id, domains["micro.contactability"].id],
            decided_on=today - timedelta(days=134), start_date=today - timedelta(days=120),
            review_date=today + timedelta(days=60), status=DecisionStatus.IN_EFFECT,
            observation_ids=_evidence(session, service, [domains["micro.household-gatekeeping"],
                                                         domains["micro.contactability"]], today - timedelta(days=120)),
        )
        made += 1
    title = "Text every mother at 2-3 weeks"
    if title not in titles:
        decided, start = today - timedelta(days=TEXT_START + 14), today - timedelta(days=TEXT_START)
        decision = record_decision(
            session, sam.id, service, title=title,
            rationale=("Too many women were never reached by phone. A text at two to three weeks, offered to every "
                       "mother, is cheap and lets her reply when it suits her."),
            response_type="open-pathway", target_group="all-women",
            domain_ids=[domains["micro.contactability"].id, domains["meso.support-timing"].id],
            pathway_id=pathways[TEXT_PATHWAY], pathway_only=False, window_days=STORY_WINDOW,
            decided_on=decided, start_date=start, review_date=today - timedelta(days=10),
            status=DecisionStatus.AGREED,
            observation_ids=_evidence(session, service, [domains["micro.contactability"],
                                                         domains["meso.support-timing"]], decided),
        )
        change_status(session, sam.id, decision, DecisionStatus.IN_EFFECT, "Texts went out from the start date.")
        _backdate(decision, decided, start)
        made += 1
    title = "Meet young mothers at the college, not the clinic"
    if title not in titles:
        decided, start = today - timedelta(days=YOUNG_START + 10), today - timedelta(days=YOUNG_START)
        decision = record_decision(
            session, sam.id, service, title=title,
            rationale=("Young mothers came to the clinic only when something was already wrong. The college has a "
                       "creche and they are there every week."),
            response_type="transport-or-venue", target_group="under-20",
            domain_ids=[domains["meso.targeted-pathways"].id, domains["meso.contact-mode"].id],
            pathway_id=pathways[YOUNG_PATHWAY], pathway_only=True, window_days=STORY_WINDOW,
            decided_on=decided, start_date=start, review_date=today + timedelta(days=30),
            status=DecisionStatus.AGREED,
            observation_ids=_evidence(session, service, [domains["meso.targeted-pathways"],
                                                         domains["meso.contact-mode"]], decided),
        )
        change_status(session, sam.id, decision, DecisionStatus.IN_EFFECT,
                      "The first drop-in at the college was held on the start date.")
        _backdate(decision, decided, start)
        made += 1
    return made


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


def _close(session: Session, actor_id: int, case: Case, day: date, reason: str, today: date) -> None:
    """Close a case as of `day`, if that day has come (close_case dates it today, so the day is set after)."""
    if day <= today:
        capture.close_case(session, actor_id, case, reason=reason)
        case.closed_on = day
        session.flush()


def _recent_cases(session: Session, service: Service, people: dict[str, Person], domains: dict, today: date) -> int:
    """The hand-written cases of RECENT that are missing, with their attempts and notes; how many were made."""
    pathways = {p.name: p.id for p in service.pathways}
    made = 0
    for item in RECENT:
        if session.scalar(select(Case.id).where(Case.service_id == service.id, Case.reference == item.reference)):
            continue
        supporter = people[item.supporter]
        case = capture.create_case(
            session, supporter.id, service, imd_quintile=item.quintile, age_band=item.age_band,
            first_time=Answer.UNKNOWN, language_support=item.language_support,
            pathway_id=pathways[item.pathway], referral_date=today - timedelta(days=item.referred),
            journey_stage=item.stage, supporter_id=supporter.id, reference=item.reference,
        )
        for days_ago, clock, channel, outcome, note in item.attempts:
            day = today - timedelta(days=days_ago)
            capture.log_contact_attempt(session, supporter.id, case, channel=channel, outcome=outcome,
                                        at=to_utc(datetime.combine(day, time.fromisoformat(clock))))
            if note:
                code, kind, text = note
                capture.add_observation(session, supporter.id, service, case=case, domain_id=domains[code].id,
                                        journey_stage=case.journey_stage, kind=kind,
                                        source=Source.of_channel(channel), text=text,
                                        shareable=code not in PRIVATE_DOMAINS, observed_on=day)
        if item.closed:
            days_ago, reason = item.closed
            _close(session, supporter.id, case, today - timedelta(days=days_ago), reason, today)
        made += 1
    return made


def _past_sessions(session: Session, service: Service, people: dict[str, Person], today: date) -> int:
    """Sam's last three monthly sessions with Amina, each over the four weeks up to the day it was held, noted
    and closed; none if the service has any session already."""
    if session.scalar(select(SupervisionSession.id).where(SupervisionSession.service_id == service.id).limit(1)):
        return 0
    sam, amina = people["sam@demo.ecotool"], people[AMINA]
    for days_ago, notes, agreed in PAST_SESSIONS:
        held_on = today - timedelta(days=days_ago)
        record = supervision.open_session(session, sam, service, [amina.id], held_on,
                                          held_on - timedelta(days=28), held_on)
        texts, shared, noted = [], [], set()
        for prompt in record.prompts:  # each note against the first prompt about its domain; the rest empty
            code = prompt.domain.code
            note, share = notes[code] if code in notes and code not in noted else ("", False)
            noted.add(code)
            texts.append(note)
            shared.append(share)
        supervision.record_notes(session, sam.id, record, texts, shared, agreed)
        supervision.close_session(session, sam.id, record)
    return len(PAST_SESSIONS)


def load_demo(session: Session, cases: int = 120, seed: int = 7) -> list[str]:
    """Create the demo service, people, cases, contacts, observations and decisions if missing."""
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
        # The young mothers' pathway holds only the story's few cases, and the text began on its start day.
        if pathway.name == YOUNG_PATHWAY or (pathway.name == TEXT_PATHWAY
                                             and referred < today - timedelta(days=TEXT_START)):
            pathway = next(p for p in service.pathways if p.name == MIDWIFE)
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
            shareable, observed_on = rng.random() < 0.5, to_local(attempt.at).date()
            if supporter.email == JO and observed_on > today - timedelta(days=JO_SILENT_DAYS):
                continue
            capture.add_observation(session, supporter.id, service, case=case, domain_id=domains[code].id,
                                    journey_stage=case.journey_stage, kind=kind,
                                    source=Source.of_channel(attempt.channel), text=text,
                                    shareable=shareable, observed_on=observed_on)
        # Amina closes a case two weeks after her last try (four weeks after referral if she never tried);
        # Jo leaves hers open.
        if supporter.email == AMINA:
            last = to_local(attempts[-1].at).date() if attempts else None
            reached_her = any(a.outcome == Outcome.REACHED for a in attempts)
            _close(session, supporter.id, case, last + timedelta(days=14) if last else referred + timedelta(days=28),
                   CloseReason.FEEDING_ENDED if reached_her else CloseReason.NOT_REACHED, today)
        made += 1
    if made:
        lines.append(f"created {made} cases with their contact attempts and observations")
        for days_ago, code, kind, text in SERVICE_OBSERVATIONS:
            capture.add_observation(session, people["sam@demo.ecotool"].id, service, case=None,
                                    domain_id=domains[code].id, journey_stage=None, kind=kind,
                                    source=Source.TEAM_MEETING, text=text, shareable=True,
                                    observed_on=today - timedelta(days=days_ago))
    recent = _recent_cases(session, service, people, domains, today)
    if recent:
        lines.append(f"created {recent} recent cases (NS-R001 to NS-R{len(RECENT):03d}) for supervision")
    held = _past_sessions(session, service, people, today)
    if held:
        lines.append(f"created {held} closed supervision sessions of Sam's with Amina")
    story = _story_cases(session, service, supporters, stages, today)
    if story:
        lines.append(f"created {story} cases (NS-E001 to NS-E{STORY_CASES:03d}) around the decisions' start dates")
    decisions = _decisions(session, service, people["sam@demo.ecotool"], domains, today)
    if decisions:
        lines.append(f"created {decisions} decision{'s' if decisions > 1 else ''}")
    lines.append(f"demo logins, each with the password {PASSWORD}:")
    lines.extend(f"  {email:<22} {role}" for email, role, *_ in PEOPLE)
    return lines
