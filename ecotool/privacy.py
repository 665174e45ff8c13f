"""The privacy guard for every free-text field: identifying details are refused, names warned about.

It is a safety net, not a guarantee. What it looks for, and how it was measured, is in
docs/privacy.md; tests/privacy_corpus/ holds the sentences it is measured on and
bench/privacy.py prints the figures.

Every pattern here has bounded repetition and is anchored where a match can start, so the guard's
time grows in step with the text; and it never reads past `MAX_TEXT` characters (a field's own
limit is checked before it runs). Maintained packages check what the patterns find: phone numbers
with `phonenumbers` (Google's libphonenumber data), NHS numbers with `python-stdnum` (checksum),
postcodes with `uk-postcodes-parsing`; first names come from the list shipped in `gender-guesser`,
with `pyspellchecker`'s English word counts to tell "Said she..." from a name. None of them
downloads anything at run time.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import phonenumbers
from stdnum.gb import nhs
from uk_postcodes_parsing.postcode_utils import is_valid as is_postcode

from ecotool.errors import OperationError

MAX_TEXT = 4000  # the longest free-text field; nothing past it is read

LABELS = {
    "postcode": "a UK postcode",
    "phone": "a phone number",
    "email": "an e-mail address",
    "nhs_number": "an NHS number",
    "date_of_birth": "a full date with a year (it could be a date of birth; write the month, or '3 weeks ago')",
    "address": "a street address",
    "handle": "a social media handle",
}

# -- Postcodes: written plainly, run together, with dots or hyphens, or one character at a time.
#    Letter O typed for the inward code's zero counts ("sw1a oaa").
POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Za-z]{1,2}\d[A-Za-z\d]?[ .\-]{0,2}[\dOo][A-Za-z]{2}"
    r"|[A-Za-z] (?:[A-Za-z] )?\d (?:[A-Za-z\d] )?[ ]?\d [A-Za-z] [A-Za-z])(?![A-Za-z0-9])")
# Royal Mail's rules for where letters may stand (a bus route "X10 2am" breaks them).
_NOT_FIRST, _NOT_SECOND, _NOT_INWARD = set("QVX"), set("IJZ"), set("CIKMOV")

# -- Phone numbers: a UK number (0..., +44..., 0044...) or any number written with its country code.
#    Letter O and small l typed for 0 and 1 inside a run of digits count as digits.
_DIGITISH = re.compile(r"(?<![A-Za-z0-9])[OoIl]{0,4}\d[0-9OoIl]*(?![A-Za-z])")
_AS_DIGITS = str.maketrans("OoIl", "0011")
_PHONE_GAP = r"[ .\-()]{0,2}"
PHONE = re.compile(
    rf"(?<![\d+])(?:(?:\+|00)[ ]?44[ ]?(?:\(0\)[ ]?)?|\(?0)(?:{_PHONE_GAP}\d){{8,10}}(?!\d)"
    rf"|(?<![\d+])(?:\+|00)[ ]?[1-9]\d{{0,2}}(?:{_PHONE_GAP}\d){{6,12}}(?!\d)")
NHS_CANDIDATE = re.compile(r"(?<![\d.])\d(?:[ .\-]?\d){9}(?!\d)")  # 10 digits in any grouping

# -- E-mail addresses, with @ or spelled out: "jane.doe at example dot com", "jane (at) example.com".
_AT = r"(?:[ ]{0,2}@[ ]{0,2}|[ ]{0,2}[(\[{][ ]?at[ ]?[)\]}][ ]{0,2}| at )"
_DOT = r"(?:[ ]{0,2}\.[ ]{0,2}|[ ]{0,2}[(\[{][ ]?dot[ ]?[)\]}][ ]{0,2}| dot )"
EMAIL = re.compile(rf"(?<![\w.+-])(?P<local>[\w.+-]{{1,64}})(?P<at>{_AT})(?P<domain>[\w-]{{1,63}}(?:{_DOT}[\w-]{{1,63}}){{1,4}})",
                   re.I)
# When "at" is spelled out, the address must end in a known top-level domain: "met at the clinic" is not one.
_TLDS = frozenset("com org net uk co ac gov nhs io me info edu biz pl ro de fr es it ie lt lv sk cz hu bg pk in ng so "
                  "ae sa tr nl be pt us ca au eu".split())
HANDLE = re.compile(r"(?<![\w@])@(?P<gap>[ ]?)(?P<handle>[A-Za-z0-9_]{1,30}(?:\.[A-Za-z0-9_]{1,30}){0,3})(?![\w@])")
# A handle without its @ after the app's name ("on snap, janedoe_xx"), or a profile's address.
PLATFORM = re.compile(r"\b(?:insta(?:gram)?|ig|snap(?:chat)?|tik ?tok|facebook|fb|twitter|threads)\b[ :,-]{1,3}"
                      r"(?:(?:is|on|name|handle|as) ){0,2}(?P<handle>[A-Za-z0-9_]{1,30}(?:\.[A-Za-z0-9_]{1,30}){0,3})"
                      r"(?![\w@])", re.I)
PROFILE = re.compile(r"\b(?:facebook|fb|instagram|tiktok|twitter|x|snapchat|threads)\.(?:com|net)/[\w.@-]{2,60}", re.I)
# A handle written without its @ or with a space after it must look made up: an underscore or dot inside,
# or digits after letters ("mumof3"); "@ 2pm" and "@ group" are not handles.
_HANDLE_MARK = re.compile(r"[_.]|[A-Za-z]\d")

# -- Dates with a year, any of which may be a date of birth; two-digit years only where unambiguous.
_MONTHS = ("jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_MONTH_NUMBER = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_D = r"(?P<d>[0-3]?\d)"
_M = r"(?P<m>[01]?\d)"
_Y4 = r"(?P<y>(?:19|20)\d\d)"
_ORD = r"(?:st|nd|rd|th)?"
_SEP = r"(?:[ ]?[/.\-][ ]?|[ ])"
DATES = [
    re.compile(rf"(?<![\d.:/£$-]){_D}{_SEP}{_M}{_SEP}{_Y4}(?!\d)"),
    re.compile(rf"(?<![\d.:/£$-]){_Y4}{_SEP}{_M}{_SEP}{_D}(?![\d/:]|\.\d)"),
    re.compile(rf"(?<!\d){_D}{_ORD}[ /.\-]{{1,2}}(?:of )?(?P<mon>{_MONTHS})\.?,?[ /.\-]{{1,2}}(?:{_Y4}|'(?P<yy>\d\d))(?!\d)", re.I),
    re.compile(rf"\b(?P<mon>{_MONTHS})\.?[ ]{{1,2}}{_D}{_ORD},?[ ]{{1,2}}{_Y4}(?!\d)", re.I),
    re.compile(r"(?<![\d.:/£$-])(?P<a>\d\d)(?P<b>\d\d)(?P<c>\d{4})(?![\d.:/])"),  # 03041990 or 19900403
]
# Two-digit years (04/07/98, 4.7.98, 3-Apr-98), the same mark between each part; a full stop may end the sentence.
SHORT_DATES = [
    re.compile(r"(?<![\d.:/£$-])(?P<d>[0-3]?\d)(?P<s>[/.\-])(?P<m>[01]?\d)(?P=s)(?P<y>\d\d)(?![\d/:\-]|\.\d)"),
    re.compile(rf"(?<![\d.:/£$-])(?P<d>[0-3]?\d)(?P<s>[/.\-])(?P<mon>{_MONTHS})(?P=s)(?P<y>\d\d)(?!\d)", re.I),
]
# After "DOB", "born", "date of birth": a day and month is enough, and any year.
BIRTH_WORDS = re.compile(r"\b(?:d\.?o\.?b|date of birth|birth ?date|birthday|b'?day|born(?: on)?)\b\W{0,3}", re.I)
BIRTH_DATE = re.compile(rf"{_D}{_ORD}(?:{_SEP}|[ ]?(?:of )?)(?:{_M}|(?P<mon>{_MONTHS}))(?:{_SEP}\d{{2,4}})?(?![\d:])",
                        re.I)
EARLIEST_BIRTH_YEAR = 1920

# -- Street addresses: a house number, up to three words of a name, a kind of street.
_ALWAYS_STREETS = ("street|st|road|rd|avenue|ave|lane|ln|crescent|cres|terrace|mews|gardens|gdns|grove|"
                   "boulevard|drive|dr")
_ALSO_WORDS = "close|way|walk|row|view|place|park|court|hill|rise|parade|square|green|vale|croft|fold|wynd|end|bank"
_STREETS = frozenset(_ALWAYS_STREETS.split("|"))
ADDRESS = re.compile(
    rf"(?<![\w£$.:/-])(?:no\.? ?)?(?P<number>\d{{1,4}}[a-z]?),? (?P<name>(?:[A-Za-z'’-]{{2,20}} ){{1,3}})"
    rf"(?P<kind>{_ALWAYS_STREETS}|{_ALSO_WORDS})\b", re.I)
# Words that show a number and a street word are a count or a distance ("10 minutes down the road").
_NOT_STREET_NAMES = frozenset(
    "the a an each every per in on at to of up down her his my our their your this that from by and or with for is was "
    "min mins minute minutes hour hours hr hrs mile miles km times time weeks week days day months month years year "
    "older younger children kids buses bus stops stop am pm more less other same next last whole long short big small "
    "little steep new old nice quiet busy main local nearest first second bad good lovely quick slow fast huge tiny "
    "real proper very too so bed bedroom room star floor flight".split())


@dataclass(frozen=True)
class Finding:
    """One identifying detail found in a text, with where it starts and ends."""

    kind: str
    start: int
    end: int

    def describe(self, text: str) -> str:
        """Say what was found and where, by word number, without repeating it."""
        return f"{LABELS[self.kind]} at word {_word_number(text, self.start)}"


def _word_number(text: str, offset: int) -> int:
    return len(text[:offset].split()) + 1


def _plain(text: str) -> str:
    # Full-width and other compatibility forms (＠, ０７７００) read as their plain letters and digits.
    return unicodedata.normalize("NFKC", text[:MAX_TEXT])


def _postcodes(text: str) -> list[Finding]:
    found = []
    for m in POSTCODE.finditer(text):
        code = re.sub(r"[ .\-]", "", m.group()).upper()
        code = code[:-3] + code[-3:].replace("O", "0", 1)
        inward, outward = code[-3:], code[:-3]
        if (is_postcode(code) and outward[0] not in _NOT_FIRST and not set(inward[1:]) & _NOT_INWARD
                and (not outward[1].isalpha() or outward[1] not in _NOT_SECOND)):
            found.append(Finding("postcode", m.start(), m.end()))
    return found


def _as_digits(text: str) -> str:
    """The text with O and l typed for digits inside digit runs read as 0 and 1; offsets unchanged."""
    return _DIGITISH.sub(lambda m: m.group().translate(_AS_DIGITS), text)


def _phones(digits: str) -> list[Finding]:
    found = []
    for m in PHONE.finditer(digits):
        try:
            number = phonenumbers.parse(m.group(), "GB")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            found.append(Finding("phone", m.start(), m.end()))
    return found


def _nhs_numbers(digits: str) -> list[Finding]:
    return [Finding("nhs_number", m.start(), m.end()) for m in NHS_CANDIDATE.finditer(digits)
            if nhs.is_valid(re.sub(r"\D", "", m.group()))]


def _emails(text: str) -> list[Finding]:
    found = []
    for m in EMAIL.finditer(text):
        # A bare "@" is an e-mail; "@" with spaces or "at" spelled out needs a known ending ("tiktok @x.y.z" is not).
        plain = m.group("at") == "@"
        tld = re.split(r"\W+", m.group("domain").lower())[-1]
        if plain or tld in _TLDS:
            found.append(Finding("email", m.start(), m.end()))
    return found


def _real_date(day: int, month: int, year: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _month(m: re.Match) -> int:
    return _MONTH_NUMBER[m.group("mon")[:3].lower()] if m.groupdict().get("mon") else int(m.group("m"))


def _dates_of_birth(text: str) -> list[Finding]:
    this_year = date.today().year
    found = []
    for pattern in DATES[:4]:
        for m in pattern.finditer(text):
            year = int(m.group("y")) if m.group("y") else 2000 + int(m.group("yy"))
            if EARLIEST_BIRTH_YEAR <= year <= this_year and _real_date(int(m.group("d")), _month(m), year):
                found.append(Finding("date_of_birth", m.start(), m.end()))
    for m in DATES[4].finditer(text):
        a, b, c = m.group("a"), m.group("b"), m.group("c")
        for day, month, year in ((a, b, c), (c[2:], c[:2], a + b)):
            if EARLIEST_BIRTH_YEAR <= int(year) <= this_year and _real_date(int(day), int(month), int(year)):
                found.append(Finding("date_of_birth", m.start(), m.end()))
                break
    for pattern in SHORT_DATES:
        for m in pattern.finditer(text):
            if _real_date(int(m.group("d")), _month(m), 2000):
                found.append(Finding("date_of_birth", m.start(), m.end()))
    for word in BIRTH_WORDS.finditer(text):
        m = BIRTH_DATE.match(text, word.end())
        if m and _real_date(int(m.group("d")), _month(m), 2000):
            found.append(Finding("date_of_birth", m.start(), m.end()))
    return found


def _addresses(text: str) -> list[Finding]:
    found = []
    for m in ADDRESS.finditer(text):
        words, kind = m.group("name").split(), m.group("kind")
        counted = any(w.lower() in _NOT_STREET_NAMES for w in words)
        titled = all(w[0].isupper() for w in words) and kind[0].isupper()
        # In lower case "16 willow walk" is an address but "3 mums walk" is not: a street's name is not a plural.
        plain = not any(w.lower() in _STREETS for w in words) and (
            kind.lower() in _STREETS or not any(w.lower().endswith("s") for w in words))
        if not counted and (titled or plain):
            found.append(Finding("address", m.start(), m.end()))
    return found


def _handles(text: str) -> list[Finding]:
    found = [Finding("handle", m.start(), m.end()) for m in PROFILE.finditer(text)]
    for pattern in (HANDLE, PLATFORM):
        for m in pattern.finditer(text):
            handle = m.group("handle")
            if (pattern is HANDLE and not m.group("gap") and len(handle) >= 3) or _HANDLE_MARK.search(handle):
                found.append(Finding("handle", m.start(), m.end()))
    return found


def problems(text: str) -> list[Finding]:
    """Every identifying detail that must be removed before the text may be saved (first MAX_TEXT characters)."""
    text = _plain(text)
    digits = _as_digits(text)
    found = _postcodes(text) + _emails(text) + _nhs_numbers(digits)
    taken = [(f.start, f.end) for f in found]
    found += [f for f in _phones(digits) if not any(s < f.end and f.start < e for s, e in taken)]
    found += _dates_of_birth(text) + _addresses(text)
    found += _handles(text)
    return _first_of_each_place(found)


def _first_of_each_place(found: list[Finding]) -> list[Finding]:
    # Two detectors can find one detail; keep the first that starts there, and drop any inside it.
    kept: list[Finding] = []
    for f in sorted(set(found), key=lambda f: (f.start, -f.end)):
        if not kept or f.start >= kept[-1].end:
            kept.append(f)
    return kept


# -- Names.
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+|-[^\W\d_]+)*")
POSSESSIVE = re.compile(r"['’]s$", re.I)
# How common (in pyspellchecker's English word counts) a listed first name may be, as a plain word, and
# still be taken for a name: capitalised mid-sentence, first in a sentence, in lower case (or all capitals)
# with nothing around it that says "person", and in lower case next to a word that does ("spoke to",
# "said"). Below RARE hardly any English word is also a first name.
COMMON_ANYWHERE = 1_000_000
COMMON_AT_START = 15_000
COMMON_LOWER_IN_CONTEXT = 5_000
RARE = 500
# After a title or a family word, a capitalised word is a name unless it is this common.
COMMON_AFTER_CUE = 200_000
# Capitalised words the name list holds that, in a supporter's note, are dates, places or parts of a service.
NOT_NAMES = frozenset(
    "January February March April May June July August September October November December Jan Feb Mar Apr Jun "
    "Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu "
    "Thur Thurs Fri Sat Sun Ward Lane Kent Chelsea Sure Start Nan Christmas Easter Eid Diwali Ramadan Sky".split())
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof"})
FAMILY = frozenset(
    "mum mom mother mam mummy dad father daddy partner husband wife boyfriend girlfriend fiance fiancé baby son "
    "daughter sister brother sis bro aunt auntie aunty uncle nan nana nanna gran granny grandma grandmother grandad "
    "grandfather grandpa cousin niece nephew friend neighbour neighbor ex stepdad stepmum twin child "
    "carer".split())
# Words either side of a lower-case word that show it is a person: "spoke to fatima", "sarah said".
PERSON_BEFORE = frozenset("to with and called named call text texted ask asked told tell met visited".split())
PERSON_AFTER = frozenset(
    "said says asked came comes is was has had will wants wanted told rang texted called phoned missed went feels "
    "felt thinks thought didn't doesn't can't isn't wasn't answered replied picked prefers likes loves needs got "
    "gets did does would could should might seems seemed sounded agreed decided managed tried started stopped left "
    "moved lives lived works worked brought took mentioned explained shared cried struggled found finds knows knew "
    "hopes hoped messaged".split())


@lru_cache(maxsize=1)
def _names():
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=True)


@lru_cache(maxsize=1)
def _english():
    from spellchecker import SpellChecker

    return SpellChecker(language="en").word_frequency


def _titled(word: str) -> bool:
    """Capitalised as a name is: "Sarah", "O'Brien", "Mary-Jane", "Ionuț"; not "NICU" or "WhatsApp"."""
    parts = re.split(r"['’-]", word)
    return all(part and part[0].isupper() and part[1:] == part[1:].lower() for part in parts)


def _frequency(word: str) -> int:
    """How common a word is in English, trying its stem and US spelling where the word itself is unknown
    ("Texted", "Centre", "recognised")."""
    lower = word.lower()
    english = _english()
    if english[lower]:
        return english[lower]
    variants = [lower.replace("ise", "ize").replace("our", "or"), re.sub(r"re$", "er", lower),
                re.sub(r"(ed|es|s|ing)$", "", lower), re.sub(r"(d|ing)$", "", lower) + "e" * lower.endswith("ing")]
    return max(english[v] for v in variants)


def _listed(word: str) -> bool:
    return word.title() not in NOT_NAMES and _names().get_gender(word.title()) != "unknown"


def _looks_like_a_name(word: str, at_start: bool, before: str, next_word: str, owns: bool) -> bool:
    """A word on its own reads as a name: a listed first name not common as a plain word, or a capitalised
    word that is no English word at all ("Oluwaseun", "Hodan"). `before` is the word before, in lower
    case; `next_word` the word after, as written; `owns`: the word was written with 's."""
    frequency = _frequency(word)
    after = next_word.lower()
    if _titled(word):
        if word in NOT_NAMES:
            return False
        if "-" in word:  # Mary-Jane, Anna-Maria
            return any(_listed(part) for part in word.split("-"))
        if frequency == 0 and len(word) > 2:
            return True
        if at_start and frequency >= COMMON_LOWER_IN_CONTEXT:
            # "Holly and tinsel", "Frank chat", "Amber flag": a word that is also a name opens a sentence
            # as a name only when a person's verb follows ("Holly said") or it owns something ("Holly's").
            named_next = bool(next_word) and _titled(next_word) and _listed(next_word)  # "Anna Maria", "Grace Okafor"
            return _listed(word) and frequency < COMMON_AT_START and (after in PERSON_AFTER or owns or named_next)
        return _listed(word) and frequency < (COMMON_AT_START if at_start else COMMON_ANYWHERE)
    if (word.islower() or word.isupper()) and len(word) > 2 and _listed(word):
        if before in PERSON_BEFORE or after in PERSON_AFTER or after == "and":
            return frequency < COMMON_LOWER_IN_CONTEXT
        return word.islower() and frequency < RARE  # in capitals, a rare word is more often an acronym (NICU)
    return False


def _after_cue(word: str) -> bool:
    """A word straight after a title or a family word ("Mrs Patel", "her sister aaliyah") that reads as a name."""
    lower = word.lower().replace("’", "'")
    if len(word) < 2 or lower in FAMILY or lower in TITLES or word in NOT_NAMES:
        return False
    frequency = _frequency(word)
    if _titled(word):
        return frequency < COMMON_AFTER_CUE or "'" in lower
    return frequency < COMMON_LOWER_IN_CONTEXT and _listed(word)


def _name_parts(display_name: str) -> list[str]:
    """The parts of a colleague's display name that are names: "Sam (supervisor)" -> ["Sam"]."""
    outside = re.sub(r"\([^)]*\)", " ", display_name)
    return [part for part in re.findall(r"[^\W\d_]+", outside)
            if len(part) > 1 and (part[0].isupper() or _listed(part))]


def possible_names(text: str, staff_names: tuple[str, ...] = (), colleagues: tuple[str, ...] = ()) -> list[str]:
    """Words that look like personal names: listed first names, unknown capitalised words, words after a
    title or a family word, and `staff_names`; never the names of `colleagues` (supervision notes and
    decisions name them by design)."""
    text = text[:MAX_TEXT]
    staff = {part.lower() for name in staff_names for part in _name_parts(name)}
    allowed = {part.lower() for name in colleagues for part in _name_parts(name)}
    words = list(WORD.finditer(text))
    seen: list[str] = []
    cue, at_start, last, before = False, True, 0, ""
    for i, match in enumerate(words):
        between = text[last:match.start()]
        if re.search(r"[.!?;:\n]", between):
            at_start, cue = True, False
        elif between.strip(" \t'\"(") not in ("", ","):
            cue = False
        raw = match.group()
        word = POSSESSIVE.sub("", raw)
        lower = word.lower()
        following = POSSESSIVE.sub("", words[i + 1].group()) if i + 1 < len(words) else ""
        if lower not in allowed and (lower in staff or (cue and _after_cue(word))
                                     or _looks_like_a_name(word, at_start, before, following, raw != word)):
            if word not in seen:
                seen.append(word)
        # "her sister in law Jaspreet": the family word still leads to the name. "her mum's rose bush": a
        # possessive family word is followed by a thing, not a name.
        if not (cue and lower in ("in", "law", "in-law")):
            cue = raw == word and (lower.rstrip(".") in TITLES or lower in FAMILY)
        at_start, last, before = False, match.end(), lower
    return seen


def quotable(text: str, staff_names: tuple[str, ...] = ()) -> bool:
    """Whether words marked shareable may leave the app now (a brief's quote, a research export): the guard finds
    nothing in them, not even a word that may be a name (a colleague's included)."""
    return not problems(text) and not possible_names(text, staff_names)


def explain(text: str, found: list[Finding]) -> str:
    """One sentence naming each identifying detail found and where."""
    text = _plain(text)
    return "Remove " + "; ".join(f.describe(text) for f in found[:5]) + (
        f" (and {len(found) - 5} more)" if len(found) > 5 else "") + " before saving."


def name_warning(names: list[str]) -> str:
    """The warning shown when a text holds words that look like names."""
    return (f"These words look like names: {', '.join(names)}. Write a role instead (her partner, "
            "her mother, the health visitor), or tick the box below if they are not people's names.")


def too_long(limit: int) -> str:
    """The message for text over a field's limit."""
    return f"Keep this to {limit:,} characters or fewer."


def require_clean(text: str, field: str, limit: int = MAX_TEXT) -> None:
    """Refuse text over `limit` or with identifying details (the check operations make whatever the caller)."""
    if len(text) > limit:
        raise OperationError(too_long(limit), field)
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
    FreeText("observation.text", "ecotool.capture.forms:ObservationEditForm.text",
             "ecotool.capture.operations:update_observation", "text"),
    FreeText("session_prompt.note", "ecotool.supervision.forms:NotesForm.notes",
             "ecotool.supervision.operations:record_notes", "notes"),
    FreeText("supervision_session.agreed", "ecotool.supervision.forms:NotesForm.agreed",
             "ecotool.supervision.operations:record_notes", "agreed"),
    FreeText("observation.text", "ecotool.supervision.forms:RaisedObservationForm.text",
             "ecotool.supervision.operations:raise_observation", "text"),
    FreeText("observation_comment.text", "ecotool.supervision.forms:CommentForm.text",
             "ecotool.capture.operations:comment_on_observation", "text"),
    FreeText("decision.title", "ecotool.decisions.forms:DecisionForm.title",
             "ecotool.decisions.operations:record_decision", "title"),
    FreeText("decision.rationale", "ecotool.decisions.forms:DecisionForm.rationale",
             "ecotool.decisions.operations:record_decision", "rationale"),
    FreeText("decision.title", "ecotool.decisions.forms:DecisionForm.title",
             "ecotool.decisions.operations:edit_decision", "title"),
    FreeText("decision_change.reason", "ecotool.decisions.forms:StatusForm.reason",
             "ecotool.decisions.operations:change_status", "reason"),
    FreeText("decision_review.reason", "ecotool.decisions.forms:ReviewForm.reason",
             "ecotool.decisions.operations:review_decision", "reason"),
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
    "brief.content_sha256": "hash of the figures a brief was made from",
    "submission.token": "a random one-time form token", "submission.location": "a path inside the app",
    "ecotool.forms:SentOnce.once": "a random one-time form token, checked against a pattern",
    "audit_event.action": "a fixed action name", "audit_event.object_type": "a model's class name",
    "ecotool.admin.forms:AuditFilterForm.object_type": "a model's class name, letters only, to filter by",
    "ecotool.admin.forms:PathwayForm.name": "see pathway.name",
    "ecotool.admin.forms:PersonEditForm.display_name": "see PersonForm.display_name",
    "ecotool.admin.forms:ServiceSettingsForm.name": "see ServiceForm.name",
    "ecotool.auth.forms:CodeForm.code": "six digits from an authenticator app, or a recovery code; never stored",
    "ecotool.auth.forms:PasswordForm.current": "a password, checked and never stored",
    "ecotool.auth.forms:TwoFactorForm.current": "a password, checked and never stored",
    "ecotool.auth.forms:PasswordForm.password": "a password, stored only as an argon2 hash",
    "ecotool.auth.forms:PasswordForm.confirm": "the same password again, compared and never stored",
    "ecotool.forms:Versioned.version": "a record's version number, digits only",
    "ecotool.admin.forms:EraseForm.reference": "a case reference, letters, digits and hyphens only",
    "ecotool.admin.forms:EraseForm.confirm": "the same case reference, carried to the confirmation",
    "ecotool.admin.forms:FrameworkConfirmForm.content": "an uploaded framework file (base64), parsed and checked again",
    "ecotool.admin.forms:FrameworkConfirmForm.name": "the uploaded framework file's name, made safe",
    "ecotool.admin.forms:FrameworkConfirmForm.sha256": "the SHA-256 of the framework file compared",
    "person.totp_secret": "a random authenticator-app secret (base32)",
    "recovery_code.code_hash": "SHA-256 of a random recovery code", "sign_in.token_hash": "SHA-256 of a random token",
    "sign_in.ended_why": "a fixed word: why a signed-in session ended",
}
