"""Postcode -> IMD quintile. The postcode is used for the lookup and then forgotten.

The lookup table is imported from the ONS postcode directory layout (postcode column `pcds`,
IMD rank column `imd`); it holds a SHA-256 of each postcode, never the postcode itself.
"""
from __future__ import annotations

import csv
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import uk_postcodes_parsing
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from ecotool import audit
from ecotool.capture.models import PostcodeQuintile
from ecotool.db import atomic
from ecotool.errors import OperationError
from ecotool.vocab import LookupStatus

# The parser logs unparsable input at WARNING, which would put a postcode in our logs.
logging.getLogger("uk_postcodes_parsing").setLevel(logging.CRITICAL + 1)

ENGLAND_AREAS = 32_844  # LSOAs ranked in the English Indices of Deprivation 2019
BATCH = 5_000


@dataclass(frozen=True)
class Lookup:
    """What a lookup found: status is found, unknown (not in the table) or invalid (not a postcode)."""

    status: LookupStatus
    quintile: int | None = None


def normalise(text: str) -> str | None:
    """Return the postcode in its standard form (e.g. 'LS6 2BT'), or None if it is not one."""
    compact = "".join(ch for ch in text if ch.isalnum()).upper()  # "NS1-1EZ.", "ns1 1ez" alike
    if not 5 <= len(compact) <= 7:
        return None
    parsed = uk_postcodes_parsing.parse(compact, attempt_fix=False)
    return parsed.postcode if parsed else None


def digest(postcode: str) -> str:
    """The key a normalised postcode is stored under."""
    return hashlib.sha256(("ecotool-postcode:" + postcode.replace(" ", "")).encode()).hexdigest()


def quintile_from_rank(rank: int, areas: int = ENGLAND_AREAS) -> int:
    """IMD quintile of a rank (1 = most deprived): the first fifth of ranks is quintile 1."""
    if not 1 <= rank <= areas:
        raise ValueError(f"rank {rank} is outside 1..{areas}")
    return (rank * 5 + areas - 1) // areas


def lookup(session: Session, text: str) -> Lookup:
    """Find the quintile of a typed postcode; the postcode itself is not kept anywhere."""
    postcode = normalise(text)
    if postcode is None:
        return Lookup(LookupStatus.INVALID)
    row = session.get(PostcodeQuintile, digest(postcode))
    return Lookup(LookupStatus.FOUND, row.quintile) if row else Lookup(LookupStatus.UNKNOWN)


@dataclass(frozen=True)
class ImportReport:
    """Counts from a lookup-table import."""

    rows: int
    imported: int
    skipped: int  # rows without an English IMD rank (Welsh, Scottish, terminated)
    unreadable: int = 0  # rows whose postcode column is not a postcode


@atomic
def import_file(
    session: Session, path: str | Path, areas: int = ENGLAND_AREAS,
    progress: Callable[[int], None] | None = None, actor_id: int | None = None,
) -> ImportReport:
    """Replace the lookup table with a CSV in the ONS postcode directory layout (all or nothing)."""
    rows = imported = skipped = unreadable = 0
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"pcds", "imd"} - set(reader.fieldnames or [])
        if missing:
            raise OperationError(f"The file has no column {', '.join(sorted(missing))}.")
        session.execute(delete(PostcodeQuintile))
        batch: dict[str, dict] = {}
        for line, record in enumerate(reader, start=2):
            rows += 1
            raw_rank = (record.get("imd") or "").strip()
            postcode = normalise(record.get("pcds") or "")
            if postcode is None:
                unreadable += 1
                continue
            if not raw_rank:
                skipped += 1  # Scottish, Welsh and terminated postcodes carry no English rank
                continue
            try:
                rank = int(raw_rank)
                key = digest(postcode)
                batch[key] = {"postcode_hash": key, "imd_rank": rank, "quintile": quintile_from_rank(rank, areas)}
            except ValueError as exc:
                raise OperationError(f"Row {line}, column imd: {exc}") from exc
            if len(batch) >= BATCH:
                imported += _flush(session, batch)
                if progress:
                    progress(rows)
        imported += _flush(session, batch)
    if progress:
        progress(rows)
    audit.record(session, actor_id, "postcode_quintile.import", PostcodeQuintile())
    return ImportReport(rows, imported, skipped, unreadable)


def _flush(session: Session, batch: dict[str, dict]) -> int:
    if batch:
        session.execute(insert(PostcodeQuintile), list(batch.values()))
    count = len(batch)
    batch.clear()
    return count
