"""The privacy guard for every free-text field: identifying details are refused, names warned about.

Detectors come from maintained packages where one exists: phone numbers from `phonenumbers`
(Google's libphonenumber data), NHS numbers from `python-stdnum` (checksum), postcodes in text
from `uk-postcodes-parsing`, first names from the list shipped in `gender-guesser` (with
`pyspellchecker`'s English word counts to tell "Said she..." from a name). None of them
downloads anything at run time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import phonenumbers
import uk_postcodes_parsing
from phonenumbers import Leniency
from stdnum.gb import nhs

from ecotool.errors import OperationError

LABELS = {
    "postcode": "a UK postcode",
    "phone": "a phone number",
    "email": "an e-mail address",
    "nhs_number": "an NHS number",
    "date_of_birth": "a full date with a year (it could be a date of birth; write the month, or '3 weeks ago')",
    "address": "a street address",
    "handle": "a social media handle",
}

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NHS_CANDIDATE = re.compile(r"(?<!\d)(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
_MONTHS = ("jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
DATES = [
    re.compile(r"(?<!\d)(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>\d{4})[/.-](?P<m>\d{1,2})[/.-](?P<d>\d{1,2})(?!\d)"),
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTHS})\.?,?\s+(?P<y>\d{{4}})(?!\d)", re.I),
    re.compile(rf"\b(?P<mon>{_MONTHS})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)", re.I),
]
# Two-digit years (04/07/98, 4.7.98): any such date may be a birth date.
SHORT_DATE = re.compile(r"(?<![\d.:/-])(?P<d>\d{1,2})([/.-])(?P<m>\d{1,2})\2(?P<y>\d{2})(?![\d.:/-])")
ADDRESS = re.compile(
    r"\b\d{1,4}[a-z]?,?\s+(?:[A-Za-z']+\s+){1,3}(?:street|st|road|rd|avenue|ave|lane|close|drive|court|crescent|"
    r"way|place|terrace|gardens|grove|hill|park|square|walk|view|row|mews|rise|parade)\b", re.I)
HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{3,30}\b")
EARLIEST_BIRTH_YEAR = 1920
CAPITALISED = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?")
WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")  # "Sarah's" yields "Sarah"
SENTENCE_END = re.compile(r"[.!?;:\n]\s*$")
# How common (in pyspellchecker's English word counts) a listed name may be, as a plain word,
# and still be taken for a name: mid-sentence with a capital, first in a sentence, in lower case.
COMMON_ANYWHERE = 1_000_000
COMMON_AT_START = 15_000
COMMON_LOWER = 10_000
# Capitalised words the name list holds that, in a supporter's note, are months, places or parts of a service.
NOT_NAMES = frozenset({"March", "April", "June", "August", "Ward", "Lane", "Kent", "Chelsea", "Sure", "Start", "Nan"})


@dataclass(frozen=True)
class Finding:
    """One identifying detail found in a text, with where it starts and ends."""

    kind: str
    start: int
    end: int

    def describe(self, text: str) -> str:
        """Say what was found and where, by word number, without repeating it."""
        word = len(text[: self.start].split()) + 1
        label = LABELS.get(self.kind, "a name")
        return f"{label} at word {word}"


@lru_cache(maxsize=1)
def _names():
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=True)


@lru_cache(maxsize=1)
def _english():
    from spellchecker import SpellChecker

    return SpellChecker(language="en").word_frequency


def _looks_like_a_name(word: str, at_start: bool) -> bool:
    if len(word) < 2:
        return False
    if word.isupper() and len(word) > 2:  # "LEE" typed in capitals
        word = word.title()
    if word.islower():
        limit, word = COMMON_LOWER, word.title()  # "sarah" typed on a phone
    elif CAPITALISED.fullmatch(word):
        limit = COMMON_AT_START if at_start else COMMON_ANYWHERE
    else:
        return False
    if word in NOT_NAMES or _names().get_gender(word) == "unknown":
        return False
    return _english()[word.lower()] < limit


def _postcodes(text: str) -> list[Finding]:
    found = []
    # "ns1-1ez" is written too; swapping hyphens for spaces keeps every offset in place.
    for postcode in uk_postcodes_parsing.parse_from_corpus(text.replace("-", " "), attempt_fix=False):
        compact = re.escape(postcode.original.replace(" ", "")) if postcode.original else None
        match = re.search(r"\s*".join(compact) if compact else re.escape(postcode.postcode), text, re.I)
        start, end = (match.start(), match.end()) if match else (0, 0)
        found.append(Finding("postcode", start, end))
    return found


def _phones(text: str) -> list[Finding]:
    found = []
    for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=Leniency.POSSIBLE):
        # POSSIBLE also matches short runs such as dates; a UK number has at least 10 digits.
        if sum(ch.isdigit() for ch in match.raw_string) >= 10 and not _is_date(match.raw_string):
            found.append(Finding("phone", match.start, match.end))
    return found


def _is_date(fragment: str) -> bool:
    return any(p.search(fragment) for p in DATES)


def _nhs_numbers(text: str) -> list[Finding]:
    return [Finding("nhs_number", m.start(), m.end()) for m in NHS_CANDIDATE.finditer(text)
            if nhs.is_valid("".join(m.groups()))]


def _dates_of_birth(text: str) -> list[Finding]:
    this_year = date.today().year
    found = []
    for pattern in DATES:
        for m in pattern.finditer(text):
            if EARLIEST_BIRTH_YEAR <= int(m.group("y")) <= this_year:
                found.append(Finding("date_of_birth", m.start(), m.end()))
    for m in SHORT_DATE.finditer(text):
        if 1 <= int(m.group("d")) <= 31 and 1 <= int(m.group("m")) <= 12:
            found.append(Finding("date_of_birth", m.start(), m.end()))
    return found


def problems(text: str) -> list[Finding]:
    """Every identifying detail that must be removed before the text may be saved."""
    found = _postcodes(text) + [Finding("email", m.start(), m.end()) for m in EMAIL.finditer(text)]
    found += _nhs_numbers(text)
    nhs_spans = {(f.start, f.end) for f in found if f.kind == "nhs_number"}
    found += [f for f in _phones(text) if (f.start, f.end) not in nhs_spans]
    found += _dates_of_birth(text)
    found += [Finding("address", m.start(), m.end()) for m in ADDRESS.finditer(text)]
    found += [Finding("handle", m.start(), m.end()) for m in HANDLE.finditer(text)
              if not any(f.kind == "email" and f.start <= m.start() < f.end for f in found)]
    return sorted(set(found), key=lambda f: f.start)


def _name_parts(display_name: str) -> list[str]:
    """The parts of a colleague's display name that are names: "Sam (supervisor)" -> ["Sam"]."""
    outside = re.sub(r"\([^)]*\)", " ", display_name)
    return [part for part in re.findall(r"[A-Za-z]+", outside)
            if len(part) > 1 and (part[0].isupper() or _names().get_gender(part.title()) != "unknown")]


def possible_names(text: str, staff_names: tuple[str, ...] = ()) -> list[str]:
    """Words that look like personal names: in the shipped name list or among the staff's names."""
    staff = {part.lower() for name in staff_names for part in _name_parts(name)}
    seen: list[str] = []
    for match in WORD.finditer(text):
        word = match.group()
        at_start = not text[: match.start()].strip() or bool(SENTENCE_END.search(text[: match.start()]))
        if (word.lower() in staff or _looks_like_a_name(word, at_start)) and word not in seen:
            seen.append(word)
    return seen


def explain(text: str, found: list[Finding]) -> str:
    """One sentence naming each identifying detail found and where."""
    return "Remove " + "; ".join(f.describe(text) for f in found) + " before saving."


def name_warning(names: list[str]) -> str:
    """The warning shown when a text holds words that look like names."""
    return (f"These words look like names: {', '.join(names)}. Write a role instead (her partner, "
            "her mother, the health visitor), or tick the box below if they are not people's names.")


def require_clean(text: str, field: str) -> None:
    """Refuse text with identifying details (the check operations make whatever the caller)."""
    found = problems(text)
    if found:
        raise OperationError(explain(text, found), field)


@dataclass(frozen=True)
class FreeText:
    """One way people's own words get into the database: the form field they type them in, the
    operation that keeps them (with the argument that carries them), and the column they end in.
    The form runs the guard through `forms.Guarded`; the operation through `require_clean`."""

    column: str  # table.column
    form_field: str  # module:Form.field
    operation: str  # module:function
    argument: str


# Every free-text field of every form and operation. tests/test_privacy_registry.py posts a postcode
# and a name into each through its page and through its operation, and fails on any text field or
# text column that is in neither this list nor STRUCTURED below.
FREE_TEXT: tuple[FreeText, ...] = (
    FreeText("observation.text", "ecotool.capture.forms:ObservationForm.text",
             "ecotool.capture.operations:add_observation", "text"),
    FreeText("observation.text", "ecotool.capture.forms:ContactAttemptForm.note_text",
             "ecotool.capture.operations:log_contact_with_note", "note_text"),
    FreeText("session_prompt.note", "ecotool.supervision.forms:NotesForm.notes",
             "ecotool.supervision.operations:record_notes", "notes"),
    FreeText("decision.title", "ecotool.decisions.forms:DecisionForm.title",
             "ecotool.decisions.operations:record_decision", "title"),
    FreeText("decision.rationale", "ecotool.decisions.forms:DecisionForm.rationale",
             "ecotool.decisions.operations:record_decision", "rationale"),
)

# Text fields and columns that are not free text about a mother, and why.
STRUCTURED: dict[str, str] = {
    "ecotool.auth.forms:LoginForm.email": "a member of staff's e-mail, never stored from this form",
    "ecotool.auth.forms:LoginForm.password": "a password, checked and never stored",
    "ecotool.capture.forms:CaseForm.postcode": "looked up, then blanked before any page or row sees it",
    "ecotool.capture.forms:ObservationForm.level": "a level code, checked against vocab.Level",
    "ecotool.admin.forms:ServiceForm.slug": "a service's short name, lowercase letters and hyphens",
    "ecotool.admin.forms:ServiceForm.name": "the name of a commissioned service",
    "ecotool.admin.forms:ServiceForm.case_prefix": "2 to 4 capital letters",
    "ecotool.admin.forms:PersonForm.email": "a member of staff's e-mail",
    "ecotool.admin.forms:PersonForm.display_name": "the name a member of staff is shown by",
    "service.slug": "see ServiceForm.slug", "service.name": "see ServiceForm.name",
    "service.case_prefix": "see ServiceForm.case_prefix", "pathway.name": "an access pathway, set up by an admin",
    "person.email": "staff e-mail", "person.display_name": "staff name", "person.password_hash": "argon2 hash",
    "case.reference": "a pseudonymous reference, checked by the importer's pattern and the guard",
    "case.journey_stage": "a framework code", "observation.journey_stage": "a framework code",
    "postcode_quintile.postcode_hash": "SHA-256 of a public postcode, never the postcode",
    "framework_version.key": "framework file content", "framework_version.declared_version": "framework file content",
    "framework_version.title": "framework file content", "framework_version.sha256": "hash of the file",
    "framework_version.source_name": "the framework file's name", "domain.code": "framework file content",
    "domain.name": "framework file content", "domain.description": "framework file content",
    "prompt.text": "framework file content", "trigger.indicator": "checked against vocab.Indicator on load",
    "trigger.prompt": "framework file content", "session_prompt.text": "a framework prompt with figures filled in",
    "decision.response_type": "a framework code", "decision.target_group": "a framework code",
    "brief.disclosure_rule": "a vocab.DisclosureRule word", "brief.sha256": "hash of the PDF",
    "audit_event.action": "a fixed action name", "audit_event.object_type": "a model's class name",
}
