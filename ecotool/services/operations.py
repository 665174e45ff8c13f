"""Setting up services and their pathways."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool import audit
from ecotool.db import atomic, claim
from ecotool.errors import OperationError
from ecotool.clock import format_day, local_today
from ecotool.services.models import PREFIX_PATTERN, SLUG_PATTERN, Pathway, Population, Service, TargetRule
from ecotool.vocab import QUINTILES, DisclosureRule

SLUG = re.compile(SLUG_PATTERN)
PREFIX = re.compile(PREFIX_PATTERN)
DEFAULT_PATHWAYS = ("Midwife referral", "Self-referral")


@atomic
def create_service(
    session: Session, actor_id: int | None, slug: str, name: str, case_prefix: str | None = None,
    pathways: tuple[str, ...] = DEFAULT_PATHWAYS,
) -> Service:
    """Create a service with its pathways; refuse a bad or duplicate slug."""
    slug, name = slug.strip().lower(), name.strip()
    if not SLUG.match(slug) or len(slug) > 60:
        raise OperationError("Use up to 60 lowercase letters, digits and single hyphens, e.g. north-shore.", "slug")
    if not name or len(name) > 200:
        raise OperationError("Give the service a name of up to 200 characters.", "name")
    if session.scalar(select(Service.id).where(Service.slug == slug)):
        raise OperationError(f"A service with the slug {slug!r} already exists.", "slug")
    names = _pathway_names(pathways)
    prefix = (case_prefix or _prefix_from(slug)).upper()
    if not PREFIX.match(prefix):
        field = "case_prefix" if case_prefix else "slug"
        raise OperationError("The case prefix is 2 to 4 capital letters; give one, as the slug has too few letters."
                             if not case_prefix else "The case prefix is 2 to 4 capital letters.", field)
    service = Service(slug=slug, name=name.strip(), case_prefix=prefix)
    service.pathways = [Pathway(name=p) for p in names]
    session.add(service)
    session.flush()
    audit.record(session, actor_id, "service.create", service)
    return service


@atomic
def add_pathway(session: Session, actor_id: int | None, service: Service, name: str) -> Pathway:
    """Add a pathway to a service; refuse a blank, overlong or duplicate name."""
    (name,) = _pathway_names((name,))
    if name.lower() in {p.name.lower() for p in service.pathways}:
        raise OperationError(f"{service.slug} already has a pathway called {name!r}.", "name")
    pathway = Pathway(name=name)
    service.pathways.append(pathway)
    session.flush()
    audit.record(session, actor_id, "pathway.create", pathway)
    return pathway


@atomic
def change_target_rule(
    session: Session, actor_id: int | None, service: Service, *, quintile_max: int | None, under_20: bool,
    from_day: date, seen_version: int | None = None,
) -> TargetRule:
    """Judge cases referred from `from_day` on by a new target rule; the rule in force until then is kept, so
    cases referred before stay judged by it. Returns the kept rule."""
    claim(session, service, seen_version)
    if quintile_max is not None and not 1 <= quintile_max <= 5:
        raise OperationError("The quintile limit is from 1 to 5, or none.", "quintile_max")
    if (quintile_max, under_20) == (service.target_quintile_max, service.target_under_20):
        raise OperationError("That is the rule in force already.", "quintile_max")
    if from_day > local_today():
        raise OperationError("A new rule starts today or on an earlier day.", "from_day")
    last_change = max((r.ends_on for r in service.past_target_rules), default=None)
    if last_change is not None and from_day <= last_change:
        raise OperationError(f"The rule last changed on {format_day(last_change)}: a new one starts after that.",
                             "from_day")
    kept = TargetRule(service_id=service.id, starts_on=last_change, ends_on=from_day,
                      quintile_max=service.target_quintile_max, under_20=service.target_under_20,
                      changed_by_id=actor_id)
    session.add(kept)
    service.target_quintile_max, service.target_under_20 = quintile_max, under_20
    session.flush()
    session.expire(service, ["past_target_rules"])
    audit.record(session, actor_id, "service.target_rule", service)
    return kept


@atomic
def update_settings(
    session: Session, actor_id: int | None, service: Service, *, name: str, engaged_threshold: int,
    failed_attempt_threshold: int, disclosure_rule: str, disclosure_threshold: int, min_cell_count: int,
    retention_months: int | None = None, seen_version: int | None = None,
) -> Service:
    """Change a service's name and the rules its figures follow: contacts that make a woman engaged, failed
    attempts in a row that raise a prompt, the small-number rule of briefs, and the fewest women per group for
    an effect verdict. Audited."""
    claim(session, service, seen_version)
    name = name.strip()
    if not name or len(name) > 200:
        raise OperationError("Give a name of up to 200 characters.", "name")
    for field, value, top in (("engaged_threshold", engaged_threshold, 20),
                              ("failed_attempt_threshold", failed_attempt_threshold, 20),
                              ("disclosure_threshold", disclosure_threshold, 20), ("min_cell_count", min_cell_count, 1000)):
        if not 1 <= value <= top:
            raise OperationError(f"A whole number from 1 to {top}.", field)
    retention_months = service.retention_months if retention_months is None else retention_months
    if not 1 <= retention_months <= 600:
        raise OperationError("A whole number of months from 1 to 600.", "retention_months")
    if disclosure_rule not in DisclosureRule.values():
        raise OperationError("Choose a small-number rule from the list.", "disclosure_rule")
    service.name, service.engaged_threshold = name, engaged_threshold
    service.failed_attempt_threshold, service.min_cell_count = failed_attempt_threshold, min_cell_count
    service.disclosure_rule, service.disclosure_threshold = disclosure_rule, disclosure_threshold
    service.retention_months = retention_months
    session.flush()
    audit.record(session, actor_id, "service.update", service)
    return service


@atomic
def set_pathway_active(session: Session, actor_id: int | None, pathway: Pathway, active: bool) -> Pathway:
    """Close a pathway to new cases (its cases keep it) or open it again."""
    pathway.active = active
    session.flush()
    audit.record(session, actor_id, "pathway.open" if active else "pathway.close", pathway)
    return pathway


@atomic
def set_min_cell_count(session: Session, actor_id: int | None, service: Service, count: int) -> Service:
    """Set the fewest women per group and window for a decision's effect to be judged."""
    if not 1 <= count <= 1000:
        raise OperationError("The minimum is a whole number from 1 to 1000.", "min_cell_count")
    service.min_cell_count = count
    session.flush()
    audit.record(session, actor_id, "service.min_cell_count", service)
    return service


@atomic
def set_population(session: Session, actor_id: int | None, service: Service, start: date, end: date,
                   births: list[int]) -> list[Population]:
    """Enter (or correct) the births per quintile, 1 to 5, in the service's area over a period. A period may be
    entered again with new figures; one that overlaps another entered period is refused, so no birth is
    counted twice."""
    if start > end:
        raise OperationError("The period must start on or before its end.", "period_start")
    if len(births) != len(QUINTILES) or any(n < 0 for n in births):
        raise OperationError("Give the births in each of the five quintiles, 0 or more.", "births")
    entered = session.scalars(select(Population).where(Population.service_id == service.id)).all()
    clash = next((p for p in entered if p.period_start <= end and start <= p.period_end
                  and (p.period_start, p.period_end) != (start, end)), None)
    if clash is not None:
        raise OperationError(f"This overlaps the figures entered for {format_day(clash.period_start)} to "
                             f"{format_day(clash.period_end)}: correct that period or choose one that does not "
                             "overlap it.", "period_start")
    for old in entered:
        if (old.period_start, old.period_end) == (start, end):
            session.delete(old)
    session.flush()
    rows = [Population(service_id=service.id, period_start=start, period_end=end, quintile=q, births=n,
                       entered_by_id=actor_id) for q, n in zip(QUINTILES, births)]
    session.add_all(rows)
    session.flush()
    audit.record(session, actor_id, "service.population", service)
    return rows


def _pathway_names(names: tuple[str, ...]) -> list[str]:
    """The names stripped; an import matches pathways in any case, so two may not differ only in case."""
    cleaned = [n.strip() for n in names]
    if any(not n or len(n) > 120 for n in cleaned):
        raise OperationError("Give each pathway a name of up to 120 characters.", "name")
    if len({n.lower() for n in cleaned}) < len(cleaned):
        raise OperationError("A pathway is named twice; each pathway of a service needs its own name.", "name")
    return cleaned


def _prefix_from(slug: str) -> str:
    """Initials of the slug's words (north-shore -> NS), or its first two letters."""
    initials = "".join(w[0] for w in slug.split("-") if w[0].isalpha())[:4]
    letters = "".join(ch for ch in slug if ch.isalpha())
    return initials if len(initials) >= 2 else letters[:2]
