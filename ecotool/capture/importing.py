"""Import existing case and contact records from CSV: all or nothing, and again without duplicates."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool.capture import definitions, operations
from ecotool.capture.models import Case, ContactAttempt
from ecotool.clock import EARLIEST, local_today, to_utc, utcnow
from ecotool.db import atomic
from ecotool.errors import OperationError
from ecotool.framework.queries import current_version
from ecotool.privacy import problems
from ecotool.services.models import Service
from ecotool.vocab import QUINTILES, UNKNOWN, AgeBand, Answer, Channel, ImportKind, Outcome, Vocabulary

CASE_COLUMNS = ("ref", "referral_date", "imd_quintile", "age_band", "pathway", "first_time", "language_support",
                "supporter_email")
CONTACT_COLUMNS = ("case_ref", "when", "channel", "outcome")
REF = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")


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
        self.errors = errors


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    rows: int
    created: int
    unchanged: int


def _read(text: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    errors = [RowError(1, c, "this column is missing") for c in columns if c not in header]
    # Refuse unknown columns: a stray "name" or "postcode" column must never slip in.
    errors += [RowError(1, c or "(blank)", "ecotool does not import this column") for c in header if c not in columns]
    if errors:
        raise ImportFailed(errors)
    reader.fieldnames = header
    rows, errors = [], []
    for number, row in enumerate(reader, start=2):
        if row.get(None):  # DictReader puts cells beyond the header under None
            errors.append(RowError(number, "-", "this row has more cells than the header has columns"))
        rows.append((number, {k: (v or "").strip() for k, v in row.items() if k}))
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed([RowError(1, "-", "the file has no rows under its header")])
    return rows


def _choice(value: str, vocabulary: type[Vocabulary] | tuple[str, ...], default: str | None = None) -> str:
    allowed = vocabulary.values() if isinstance(vocabulary, type) else vocabulary
    word = value.lower() or (default or "")
    if word not in allowed:
        raise ValueError(f"must be one of: {', '.join(allowed)}")  # never repeat the cell: it may be a name
    return word


def _date(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError("must be a date like 2026-03-31") from None
    if not EARLIEST <= day <= local_today():
        raise ValueError(f"the date must be from {EARLIEST.isoformat()} to today")
    return day


def _when(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("must be a date and time like 2026-03-31T14:30") from None
    utc = (moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else to_utc(moment))
    if utc > utcnow() or utc.date() < EARLIEST:
        raise ValueError(f"the time must be from {EARLIEST.isoformat()} to now")
    return utc


def _check(errors: list[RowError], number: int, column: str, parse, value: str):
    try:
        return parse(value)
    except ValueError as exc:
        errors.append(RowError(number, column, str(exc)))
        return None


@atomic
def import_cases(session: Session, actor_id: int, service: Service, text: str) -> ImportReport:
    """Create the cases of a CSV file; existing identical references are left as they are."""
    version = current_version(session)
    if version is None:
        raise OperationError("No framework is loaded yet.")
    rows = _read(text, CASE_COLUMNS)
    pathways = {p.name.lower(): p for p in service.pathways}
    supporters = {p.email.lower(): p for p in session.scalars(definitions.active_supporters(service.id))}
    errors: list[RowError] = []
    parsed: list[dict] = []
    seen: set[str] = set()
    for number, row in rows:
        ref = row["ref"].upper()
        if not REF.match(ref) or problems(ref):
            errors.append(RowError(number, "ref", "a reference is 2 to 20 letters, digits and hyphens, "
                                                  "and never a phone, NHS number or postcode"))
        elif ref in seen:
            errors.append(RowError(number, "ref", f"{ref} appears twice in the file"))
        seen.add(ref)
        quintile = _check(errors, number, "imd_quintile", lambda v: None if v.lower() in ("", UNKNOWN) else
                          int(_choice(v, tuple(str(q) for q in QUINTILES))), row["imd_quintile"])
        values = {
            "reference": ref,
            "referral_date": _check(errors, number, "referral_date", _date, row["referral_date"]),
            "imd_quintile": quintile,
            "age_band": _check(errors, number, "age_band", lambda v: _choice(v, AgeBand), row["age_band"]),
            "first_time": _check(errors, number, "first_time",
                                 lambda v: _choice(v, Answer, Answer.UNKNOWN), row["first_time"]),
            "language_support": _check(errors, number, "language_support",
                                       lambda v: _choice(v, Answer, Answer.UNKNOWN), row["language_support"]),
        }
        pathway = pathways.get(row["pathway"].lower())
        if pathway is None:
            errors.append(RowError(number, "pathway", "must be one of this service's pathways: "
                                                      + ", ".join(p.name for p in service.pathways)))
        supporter = supporters.get(row["supporter_email"].lower())
        if supporter is None:
            errors.append(RowError(number, "supporter_email", "not a peer supporter of this service"))
        parsed.append({"number": number, **values, "pathway_id": pathway.id if pathway else None,
                       "supporter_id": supporter.id if supporter else None})
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
    return ImportReport(len(rows), len(new), len(rows) - len(new))


@atomic
def import_contacts(session: Session, actor_id: int, service: Service, text: str) -> ImportReport:
    """Create the contact attempts of a CSV file; an attempt already recorded is not added again."""
    rows = _read(text, CONTACT_COLUMNS)
    refs = {row["case_ref"].upper() for _, row in rows}
    cases = {c.reference: c for c in session.scalars(
        select(Case).where(Case.service_id == service.id, Case.reference.in_(refs)))}
    errors: list[RowError] = []
    parsed = []
    for number, row in rows:
        case = cases.get(row["case_ref"].upper())
        if case is None:
            errors.append(RowError(number, "case_ref", "no case with this reference in this service"))
        at = _check(errors, number, "when", _when, row["when"])
        channel = _check(errors, number, "channel", lambda v: _choice(v, Channel), row["channel"])
        outcome = _check(errors, number, "outcome", lambda v: _choice(v, Outcome), row["outcome"])
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
    return ImportReport(len(rows), created, len(rows) - created)


IMPORTERS = {ImportKind.CASES: import_cases, ImportKind.CONTACTS: import_contacts}
