"""Import existing case and contact records from CSV: all or nothing, and again without duplicates."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool import audit
from ecotool.capture import definitions, operations
from ecotool.capture.models import Case, ContactAttempt
from ecotool.clock import EARLIEST, local_today, to_utc, utcnow
from ecotool.db import atomic
from ecotool.errors import OperationError
from ecotool.framework.queries import current_version
from ecotool.privacy import problems
from ecotool.services.models import Service
from ecotool.vocab import QUINTILES, UNKNOWN, AgeBand, Answer, CaseStatus, Channel, ImportKind, Outcome, Vocabulary

CASE_COLUMNS = ("ref", "referral_date", "imd_quintile", "age_band", "pathway", "first_time", "language_support",
                "supporter_email")
CONTACT_COLUMNS = ("case_ref", "when", "channel", "outcome")
REF = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")
DELIMITERS = ",;\t|"
# Day first, as UK services write dates: 31/03/2026, 31/3/2026, 31-03-2026, with an optional time.
UK_DATE = re.compile(r"^(\d{1,2})([/-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:$|[ T])")
MISSING = "this column is missing"
NO_SUCH_DAY = "there is no such day; dates are read day first, as in 31/03/2026"


@dataclass(frozen=True)
class RowError:
    """One problem in an import file: the row number as a spreadsheet shows it, and the column."""

    row: int
    column: str
    message: str


class ImportFailed(Exception):
    """An import that changed nothing, with every problem found."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = sorted(errors, key=lambda e: e.row)  # stable: a row's problems keep their column order


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    rows: int
    created: int
    unchanged: int


def _delimiter(text: str) -> str:
    """The header line's delimiter (comma, semicolon, tab or bar), or a comma if it cannot be told."""
    try:
        return csv.Sniffer().sniff(text.partition("\n")[0], delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def _unreadable(number: int, error: csv.Error) -> RowError:
    # The csv module's own words ("field larger than field limit") mean nothing to a spreadsheet user.
    if "field larger than field limit" in str(error):
        return RowError(number, "-", f"a cell is longer than we can read ({csv.field_size_limit():,} "
                                     "characters at most)")
    return RowError(number, "-", "this row cannot be read as CSV; check its quotation marks")


def _header(cells: list[str], columns: tuple[str, ...]) -> tuple[dict[str, int], list[RowError]]:
    """Where each known column is, and the header's problems; a header cell is never repeated back."""
    names = [cell.strip().lower() for cell in cells]
    errors = [RowError(1, c, MISSING) for c in columns if c not in names]
    where: dict[str, int] = {}
    for index, name in enumerate(names):
        number = index + 1  # as a spreadsheet user counts columns
        # An unknown header may itself be a postcode or a phone number, so only its position is named.
        if name not in columns:
            errors.append(RowError(1, str(number), f"column {number} is not a column we import"
                                   + (" (its header is blank)" if not name else "")))
        elif name in where:
            errors.append(RowError(1, name, f"column {number} repeats this column"))
        else:
            where[name] = index
    return where, errors


def _read(text: str, columns: tuple[str, ...]) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """The rows of a CSV file, keeping the known columns that are present, and every problem found."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    try:
        header = next(reader, [])
    except csv.Error as error:
        return [], [_unreadable(1, error)]
    where, errors = _header(header, columns)
    rows: list[tuple[int, dict[str, str]]] = []
    number = 1
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            # The reader cannot be trusted past a broken record, so checking stops here.
            errors.append(_unreadable(number, error))
            break
        if not any(cell.strip() for cell in cells):
            continue  # blank lines and rows of empty cells, as spreadsheets export
        if any(cell.strip() for cell in cells[len(header):]):
            errors.append(RowError(number, "-", "this row has more cells than the header has columns"))
        rows.append((number, {name: cells[i].strip() if i < len(cells) else "" for name, i in where.items()}))
    if not rows and not any(e.row > 1 for e in errors):
        errors.append(RowError(1, "-", "the file has no rows under its header"))
    return rows, errors


def _choice(value: str, vocabulary: type[Vocabulary] | tuple[str, ...], default: str | None = None) -> str:
    allowed = vocabulary.values() if isinstance(vocabulary, type) else vocabulary
    word = value.lower() or (default or "")
    if word not in allowed:
        raise ValueError(f"must be one of: {', '.join(allowed)}")  # never repeat the cell: it may be a name
    return word


def _moment(value: str, example: str) -> datetime:
    """A day-first or ISO 8601 date, with or without a time (midnight if none)."""
    uk = UK_DATE.match(value)
    if uk:
        day, _, month, year, hour, minute, second = uk.groups()
        try:
            moment = datetime(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(NO_SUCH_DAY) from None
        try:
            return moment.replace(hour=int(hour or 0), minute=int(minute or 0), second=int(second or 0))
        except ValueError:
            raise ValueError("there is no such time of day; times are like 14:30") from None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        iso = ISO_DAY.match(value)
        if iso and not _is_day(iso.group(1)):
            raise ValueError(NO_SUCH_DAY) from None
        raise ValueError(f"must be {example}") from None


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _date(value: str) -> date:
    # A date column exported with a time (31/03/2026 00:00) is taken as its day.
    day = _moment(value, "a date like 31/03/2026 or 2026-03-31").date()
    if not EARLIEST <= day <= local_today():
        raise ValueError(f"the date must be from {EARLIEST.isoformat()} to today")
    return day


def _when(value: str) -> datetime:
    moment = _moment(value, "a date and time like 31/03/2026 14:30 or 2026-03-31T14:30")
    utc = (moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else to_utc(moment))
    if utc > utcnow() or utc.date() < EARLIEST:
        raise ValueError(f"the time must be from {EARLIEST.isoformat()} to now")
    return utc


def _check(errors: list[RowError], number: int, column: str, parse, row: dict[str, str]):
    if column not in row:  # a missing column is reported once, on the header
        return None
    try:
        return parse(row[column])
    except ValueError as exc:
        errors.append(RowError(number, column, str(exc)))
        return None


def _answer(value: str) -> str:
    return _choice(value, Answer, Answer.UNKNOWN)


def _quintile(value: str) -> int | None:
    return None if value.lower() in ("", UNKNOWN) else int(_choice(value, tuple(str(q) for q in QUINTILES)))


@atomic
def import_cases(session: Session, actor_id: int, service: Service, text: str) -> ImportReport:
    """Create the cases of a CSV file; existing identical references are left as they are."""
    version = current_version(session)
    if version is None:
        raise OperationError("No framework is loaded yet.")
    rows, errors = _read(text, CASE_COLUMNS)
    pathways = {p.name.lower(): p for p in service.pathways}
    supporters = {p.email.lower(): p for p in session.scalars(definitions.active_supporters(service.id))}
    parsed: list[dict] = []
    seen: set[str] = set()
    for number, row in rows:
        ref = row.get("ref", "").upper()
        if "ref" in row and (not REF.match(ref) or problems(ref)):
            errors.append(RowError(number, "ref", "a reference is 2 to 20 letters, digits and hyphens, "
                                                  "and never a phone, NHS number or postcode"))
        elif "ref" in row and ref in seen:
            errors.append(RowError(number, "ref", f"{ref} appears twice in the file"))
        seen.add(ref)
        values = {
            "reference": ref,
            "referral_date": _check(errors, number, "referral_date", _date, row),
            "imd_quintile": _check(errors, number, "imd_quintile", _quintile, row),
            "age_band": _check(errors, number, "age_band", lambda v: _choice(v, AgeBand), row),
            "first_time": _check(errors, number, "first_time", _answer, row),
            "language_support": _check(errors, number, "language_support", _answer, row),
        }
        pathway = pathways.get(row.get("pathway", "").lower())
        if pathway is None and "pathway" in row:
            errors.append(RowError(number, "pathway", "must be one of this service's pathways: "
                                                      + ", ".join(p.name for p in service.pathways)))
        supporter = supporters.get(row.get("supporter_email", "").lower())
        if supporter is None and "supporter_email" in row:
            errors.append(RowError(number, "supporter_email", "not a peer supporter of this service"))
        parsed.append({"number": number, **values, "pathway_id": pathway.id if pathway else None,
                       "supporter_id": supporter.id if supporter else None})
    if any(e.message == MISSING for e in errors):  # rows were checked, but cannot be compared or created
        raise ImportFailed(errors)
    existing = {c.reference: c for c in session.scalars(
        select(Case).where(Case.service_id == service.id, Case.reference.in_(seen)))}
    new = []
    for item in parsed:
        case = existing.get(item["reference"])
        if case is None:
            new.append(item)
        elif any(
                getattr(case, k) != item[k] for k in ("referral_date", "imd_quintile", "age_band", "first_time",
                                                      "language_support", "pathway_id", "supporter_id")):
            errors.append(RowError(item["number"], "ref", f"{item['reference']} already exists with other values"))
    if errors:
        raise ImportFailed(errors)
    stage = version.journey_stages[0]["code"]
    for item in new:
        operations.create_case(
            session, actor_id, service, imd_quintile=item["imd_quintile"], age_band=item["age_band"],
            first_time=item["first_time"], language_support=item["language_support"],
            pathway_id=item["pathway_id"], referral_date=item["referral_date"], journey_stage=stage,
            supporter_id=item["supporter_id"], reference=item["reference"],
        )
    audit.record(session, actor_id, "service.import_cases", service)
    return ImportReport(len(rows), len(new), len(rows) - len(new))


@atomic
def import_contacts(session: Session, actor_id: int, service: Service, text: str) -> ImportReport:
    """Create the contact attempts of a CSV file; an attempt already recorded is not added again."""
    rows, errors = _read(text, CONTACT_COLUMNS)
    refs = {row["case_ref"].upper() for _, row in rows if "case_ref" in row}
    cases = {c.reference: c for c in session.scalars(
        select(Case).where(Case.service_id == service.id, Case.reference.in_(refs)))}
    parsed = []
    for number, row in rows:
        case = cases.get(row.get("case_ref", "").upper())
        if case is None and "case_ref" in row:
            errors.append(RowError(number, "case_ref", "no case with this reference in this service"))
        at = _check(errors, number, "when", _when, row)
        channel = _check(errors, number, "channel", lambda v: _choice(v, Channel), row)
        outcome = _check(errors, number, "outcome", lambda v: _choice(v, Outcome), row)
        problem = case.contact_date_problem(at, by_hand=False) if case is not None and at is not None else None
        if problem:
            errors.append(RowError(number, "when", problem))
        if case is not None and case.status == CaseStatus.CLOSED:
            errors.append(RowError(number, "case_ref", "this case is closed; reopen it before importing its contacts"))
        parsed.append((case, at, channel, outcome))
    if errors:
        raise ImportFailed(errors)
    known = {tuple(row) for row in session.execute(
        select(ContactAttempt.case_id, ContactAttempt.at, ContactAttempt.channel, ContactAttempt.outcome)
        .where(ContactAttempt.case_id.in_([c.id for c in cases.values()])))}
    created = 0
    for case, at, channel, outcome in parsed:
        key = (case.id, at, channel, outcome)
        if key in known:
            continue
        known.add(key)
        operations.log_contact_attempt(session, actor_id, case, at=at, channel=channel, outcome=outcome,
                                       by_id=case.supporter_id)
        created += 1
    audit.record(session, actor_id, "service.import_contacts", service)
    return ImportReport(len(rows), created, len(rows) - created)


IMPORTERS = {ImportKind.CASES: import_cases, ImportKind.CONTACTS: import_contacts}
