"""Time: stored in UTC, typed and shown in the deployment's local time (ECOTOOL_TIMEZONE).

The zone is set once by create_app, so operations and the CLI need no request or app context.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Europe/London"
# No record of this service can be older than this: typed dates before it are mistakes.
EARLIEST = date(2000, 1, 1)
_zone = ZoneInfo(DEFAULT_ZONE)


def set_zone(name: str) -> None:
    """Set the local time zone of this deployment (one zone per process)."""
    global _zone
    _zone = ZoneInfo(name)


def zone() -> ZoneInfo:
    """The local time zone of this deployment."""
    return _zone


def utcnow() -> datetime:
    """The current time in UTC, without tzinfo, as every timestamp is stored."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def local_now() -> datetime:
    """The current local wall-clock time to the minute, as a form shows it."""
    return datetime.now(zone()).replace(tzinfo=None, second=0, microsecond=0)


def local_today() -> date:
    """Today's date where the service is."""
    return datetime.now(zone()).date()


def to_utc(local: datetime) -> datetime:
    """Turn a local wall-clock time typed by a user into stored UTC."""
    return local.replace(tzinfo=zone()).astimezone(timezone.utc).replace(tzinfo=None)


def to_local(utc: datetime) -> datetime:
    """Turn a stored UTC time into local wall-clock time for display."""
    return utc.replace(tzinfo=timezone.utc).astimezone(zone()).replace(tzinfo=None)


def format_day(day: date) -> str:
    """A date as pages and documents write it: "1 Mar 2026" (no leading zero, the month in short)."""
    return f"{day.day} {day:%b %Y}"


def format_moment(utc: datetime) -> str:
    """A stored UTC time as pages write it, in local time: "1 Mar 2026, 14:05"."""
    local = to_local(utc)
    return f"{format_day(local.date())}, {local:%H:%M}"


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC instants that open the local day `start` and close the local day `end`."""
    return to_utc(datetime.combine(start, time.min)), to_utc(datetime.combine(end, time.max))
