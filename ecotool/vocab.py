"""Every word list of the product, once. Models, forms, the importer, the framework schema and the
templates all take their words from here; the database CHECK constraints are generated from them.

Each value is the word as stored. Changing a value changes stored data and needs a migration.
"""
from __future__ import annotations

from enum import StrEnum


class Vocabulary(StrEnum):
    """A closed list of words; each member compares equal to its stored string."""

    @property
    def label(self) -> str:
        """The word as a page shows it, with a capital letter."""
        return self.value[0].upper() + self.value[1:]

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """The stored words, in their declared order."""
        return tuple(member.value for member in cls)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs for a form's choices."""
        return [(member.value, member.label) for member in cls]


class Level(Vocabulary):
    """The three levels of the social-ecological framework."""

    MACRO = "macro"
    MESO = "meso"
    MICRO = "micro"

    @classmethod
    def closest_first(cls) -> tuple[Level, ...]:
        """Micro, meso, macro: the order a supporter thinks in, from the mother outwards."""
        return tuple(reversed(cls))


class Role(Vocabulary):
    """What a person with a login does."""

    PEER_SUPPORTER = "peer_supporter"
    SUPERVISOR = "supervisor"
    COMMISSIONER = "commissioner"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """The role in the users' words."""
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.PEER_SUPPORTER: "Peer supporter",
    Role.SUPERVISOR: "Supervisor",
    Role.COMMISSIONER: "Commissioner",
    Role.ADMIN: "Administrator",
}

# People who hold cases: a supporter her own, a supervisor her supervisees'.
CASEWORKERS = (Role.PEER_SUPPORTER, Role.SUPERVISOR)


class Channel(Vocabulary):
    """How a contact attempt was made."""

    PHONE = "phone"
    TEXT = "text"
    HOME_VISIT = "home visit"
    HOSPITAL_WARD = "hospital ward"
    CLINIC_DROP_IN = "clinic drop-in"
    GROUP = "group"
    ONLINE_MESSAGE = "online message"

    @property
    def in_person(self) -> bool:
        """Whether the attempt was made face to face."""
        return self in _IN_PERSON


_IN_PERSON = frozenset({Channel.HOME_VISIT, Channel.HOSPITAL_WARD, Channel.CLINIC_DROP_IN, Channel.GROUP})


class Outcome(Vocabulary):
    """What happened at a contact attempt."""

    REACHED = "reached"
    NO_ANSWER = "no answer"
    MESSAGE_LEFT = "message left"
    WRONG_NUMBER = "wrong number"
    NOT_AT_HOME = "not at home"
    POSTPONED = "postponed"
    DECLINED = "declined"
    SOMEONE_ELSE_ANSWERED = "someone else answered"

    @property
    def failed(self) -> bool:
        """The attempt did not get through to her."""
        return self in FAILED_OUTCOMES


# "Postponed" and "declined" are her answers, not failures to reach her.
FAILED_OUTCOMES = frozenset({
    Outcome.NO_ANSWER, Outcome.MESSAGE_LEFT, Outcome.WRONG_NUMBER, Outcome.NOT_AT_HOME,
    Outcome.SOMEONE_ELSE_ANSWERED,
})


class Reach(Vocabulary):
    """How far contact with a case has got: the state a caseload card shows."""

    ENGAGED = "engaged"
    REACHED = "reached"
    UNREACHED = "not yet reached"


class Kind(Vocabulary):
    """What an observation says about access."""

    BARRIER = "barrier"
    ENABLER = "enabler"
    CONTEXT = "context"


class Source(Vocabulary):
    """Where an observation was heard."""

    VISIT = "visit"
    CALL = "call"
    TEXT = "text"
    ONLINE_MESSAGE = "online message"
    SUPERVISION = "supervision"
    TEAM_MEETING = "team meeting"

    @classmethod
    def of_channel(cls, channel: str) -> Source:
        """The source of a note made with a contact attempt: a visit face to face, a text or online message
        as itself, otherwise a call."""
        if Channel(channel).in_person:
            return cls.VISIT
        return {Channel.TEXT: cls.TEXT, Channel.ONLINE_MESSAGE: cls.ONLINE_MESSAGE}.get(Channel(channel), cls.CALL)


class CaseStatus(Vocabulary):
    """Whether a case is still being worked."""

    OPEN = "open"
    CLOSED = "closed"


class CloseReason(Vocabulary):
    """Why a case was closed."""

    NO_LONGER_WANTED = "no longer wanted"
    MOVED_AWAY = "moved away"
    FEEDING_ENDED = "feeding ended"
    NOT_REACHED = "not reached"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The words shown for the reason."""
        return {"feeding ended": "Baby's feeding ended", "not reached": "Could not be reached"}.get(
            self.value, self.value.capitalize())


class DecisionStatus(Vocabulary):
    """Where a service-development decision is in its life."""

    PROPOSED = "proposed"
    AGREED = "agreed"
    IN_EFFECT = "in effect"
    REVIEWED = "reviewed"
    STOPPED = "stopped"

    @property
    def action(self) -> str:
        """The button that moves a decision to this status."""
        return {"agreed": "Agree it", "in effect": "Mark it in effect", "stopped": "Stop it"}.get(
            self.value, self.label)

    @property
    def running(self) -> bool:
        """Agreed, in effect or reviewed: the change is (or is about to be) part of the service's work."""
        return self in (DecisionStatus.AGREED, DecisionStatus.IN_EFFECT, DecisionStatus.REVIEWED)


class ReviewOutcome(Vocabulary):
    """What a review of a decision concluded."""

    KEEP = "keep"
    CHANGE = "change"
    STOP = "stop"


class AgeBand(Vocabulary):
    """The mother's age band; never her date of birth."""

    UNDER_20 = "under 20"
    FROM_20_TO_24 = "20-24"
    FROM_25_TO_29 = "25-29"
    FROM_30_TO_34 = "30-34"
    FROM_35 = "35+"
    UNKNOWN = "unknown"


# IMD quintiles, 1 the most deprived fifth of areas. A quintile not known is stored as NULL and
# typed and shown as UNKNOWN.
QUINTILES = (1, 2, 3, 4, 5)
UNKNOWN = "unknown"


class LookupStatus(Vocabulary):
    """What looking up a typed postcode found."""

    FOUND = "found"
    UNKNOWN = "unknown"  # a postcode, but not in the lookup table
    INVALID = "invalid"  # not a UK postcode at all


class ImportKind(Vocabulary):
    """What an import file holds."""

    CASES = "cases"
    CONTACTS = "contacts"

    @property
    def label(self) -> str:
        """The kind as the import page offers it."""
        return "Cases" if self is ImportKind.CASES else "Contact attempts"


class Answer(Vocabulary):
    """Yes, no or not known (first-time mother, needs language support)."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class PromptOrigin(Vocabulary):
    """Why a prompt was shown in a supervision session."""

    TRIGGER = "trigger"  # a figure crossed a framework trigger
    OBSERVED = "observed"  # barriers were recorded in the domain
    FRAMEWORK = "framework"  # to cover a level nothing else raised (sessions opened before "level" and "rotation")
    LEVEL = "level"  # nothing was observed at this level in the period
    ROTATION = "rotation"  # a domain not discussed in the supervisee's last sessions


class SessionStatus(Vocabulary):
    """Where a supervision session's record stands: notes may change while it is a draft, never once closed."""

    DRAFT = "draft"
    CLOSED = "closed"


class PromptPurpose(Vocabulary):
    """When a framework prompt is asked."""

    RECORDING = "recording"
    SUPERVISION = "supervision"


class TriggerOp(Vocabulary):
    """The comparisons a framework trigger may make."""

    AT_LEAST = ">="
    MORE_THAN = ">"
    AT_MOST = "<="
    LESS_THAN = "<"


class DisclosureRule(Vocabulary):
    """The small-number rules a service may choose for commissioner output."""

    NHS_DIGITAL = "nhs-digital"
    THRESHOLD = "threshold"

    @property
    def label(self) -> str:
        """The rule as the settings page offers it."""
        return _DISCLOSURE_LABELS[self]


_DISCLOSURE_LABELS = {
    DisclosureRule.NHS_DIGITAL: "NHS Digital's rule: counts of 1 to 7 hidden, others rounded to the nearest 5",
    DisclosureRule.THRESHOLD: "A threshold: small counts hidden (and any that could be worked out), others exact",
}


class Indicator(Vocabulary):
    """The caseload figures a framework trigger may name; supervision computes every one."""

    OPEN_CASES = "open_cases"
    UNREACHED_SHARE = "unreached_share"
    FAILED_ATTEMPT_SHARE = "failed_attempt_share"
    REPEATED_FAILURE_CASES = "repeated_failure_cases"
    TARGET_UNREACHED_SHARE = "target_unreached_share"
    SOMEONE_ELSE_ANSWERED = "someone_else_answered"
    LANGUAGE_SUPPORT_SHARE = "language_support_share"
    BARRIER_OBSERVATIONS = "barrier_observations"
    TARGET_SHARE = "target_share"
    REACHED_SHARE = "reached_share"
    ENGAGED_SHARE = "engaged_share"
    DECLINED_CASES = "declined_cases"
    QUIET_CASES = "quiet_cases"
    TARGET_REACHED_SHARE = "target_reached_share"
    TARGET_ENGAGED_SHARE = "target_engaged_share"
    OTHER_REACHED_SHARE = "other_reached_share"
    OTHER_ENGAGED_SHARE = "other_engaged_share"
    FAILED_PER_REACHED_CASE = "failed_per_reached_case"
    MACRO_OBSERVATIONS = "macro_observations"
    MESO_OBSERVATIONS = "meso_observations"
    MICRO_OBSERVATIONS = "micro_observations"
    RECURRING_BARRIER_DOMAINS = "recurring_barrier_domains"
    EARLY_GAP_SHARE = "early_gap_share"


VOCABULARIES: tuple[type[Vocabulary], ...] = (
    Level, Role, Channel, Outcome, Reach, Kind, Source, CaseStatus, CloseReason, DecisionStatus, ReviewOutcome, AgeBand, Answer,
    LookupStatus, ImportKind, PromptOrigin, SessionStatus, PromptPurpose, TriggerOp, DisclosureRule, Indicator,
)
