"""Reading services."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool.services.models import Population, Service
from ecotool.vocab import QUINTILES


def get_service(session: Session, slug: str) -> Service | None:
    """Find a service by its slug."""
    return session.scalar(select(Service).where(Service.slug == slug))


def all_services(session: Session) -> list[Service]:
    """Every service, by name."""
    return list(session.scalars(select(Service).order_by(Service.name)))


def population_periods(session: Session, service: Service) -> list[tuple[date, date, list[int]]]:
    """The periods the service's births were entered for, latest first, each with its births in quintiles 1 to 5."""
    periods: dict[tuple[date, date], list[int]] = {}
    for row in session.scalars(select(Population).where(Population.service_id == service.id)
                               .order_by(Population.period_start.desc(), Population.quintile)):
        periods.setdefault((row.period_start, row.period_end), []).append(row.births)
    return [(start, end, births) for (start, end), births in periods.items()]


def births_in(session: Session, service: Service, start: date, end: date) -> tuple[list[float], list[tuple]] | None:
    """Births in quintiles 1 to 5 over [start, end], from the entered periods that cover it, each counted for the
    share of its days that fall in it (a year's births give a quarter about a quarter of them); with the
    periods used. None when the entered periods leave a day of it uncovered."""
    rows = session.execute(
        select(Population.period_start, Population.period_end, Population.quintile, Population.births)
        .where(Population.service_id == service.id, Population.period_start <= end, Population.period_end >= start)
    ).all()
    covered = {(a, b) for a, b, _, _ in rows}
    days = sum((min(b, end) - max(a, start)).days + 1 for a, b in covered)
    if days < (end - start).days + 1:
        return None
    births = [0.0] * len(QUINTILES)
    for a, b, quintile, n in rows:
        births[quintile - 1] += n * ((min(b, end) - max(a, start)).days + 1) / ((b - a).days + 1)
    return births, sorted(covered)
