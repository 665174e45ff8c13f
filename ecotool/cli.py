"""The `flask --app ecotool ...` commands; each calls the same operations as the pages."""
from __future__ import annotations

import functools
import sys

import click
from flask import Flask, current_app
from flask_migrate import upgrade
from sqlalchemy import select

from ecotool.auth.models import Person
from ecotool.auth.operations import create_person
from ecotool.auth.queries import services_of
from ecotool.admin.operations import run_retention
from ecotool.clock import format_day, local_today
from ecotool.reports import render
from ecotool.reports.operations import generate_brief, generate_region_brief
from ecotool.capture.deprivation import ENGLAND_AREAS
from ecotool.capture.deprivation import import_file as import_postcodes
from ecotool.capture.importing import IMPORTERS, ImportFailed
from ecotool.db import db
from ecotool.errors import OperationError
from ecotool.framework.loader import FrameworkError, read
from ecotool.framework.operations import load_directory
from ecotool.services.operations import (DEFAULT_PATHWAYS, add_pathway, change_target_rule, create_service,
                                        set_min_cell_count, set_population)
from ecotool.services.queries import get_service
from ecotool.vocab import ImportKind, Role


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _actor(email: str | None) -> int | None:
    """The administrator a command acts as (`--as`), or None: the system, as the audit log names it."""
    if not email:
        return None
    person = db.session.scalar(select(Person).where(Person.email == email.strip().lower()))
    if person is None or not person.active or person.role != Role.ADMIN:
        _fail(f"{email} is not an active administrator; give one with --as, or leave --as out to act as the system.")
    return person.id


def acting(command):
    """Give a command `--as EMAIL` (or ECOTOOL_AS): the administrator its changes are audited under."""
    @click.option("--as", "actor_email", default=None, envvar="ECOTOOL_AS", metavar="EMAIL",
                  help="E-mail of the administrator doing this, for the audit log (default: the system)")
    @functools.wraps(command)
    def run(*args, actor_email: str | None = None, **kwargs):
        return command(*args, actor_id=_actor(actor_email), **kwargs)

    return run


def _load_frameworks() -> None:
    try:
        for version, created in load_directory(db.session, current_app.config["FRAMEWORKS_DIR"]):
            state = "loaded as a new version" if created else "unchanged"
            click.echo(f"framework {version.key} v{version.declared_version} ({version.source_name}): {state}")
    except FrameworkError as error:
        db.session.rollback()
        _fail(f"{error.source}:\n  " + "\n  ".join(error.errors))
    db.session.commit()


@click.command("init")
def init_command() -> None:
    """Upgrade the database to the latest migration and load frameworks/."""
    upgrade()
    _load_frameworks()


framework_cli = click.Group("framework", help="Check and load framework files.")


@framework_cli.command("validate")
@click.argument("path", type=click.Path(dir_okay=False))
def framework_validate(path: str) -> None:
    """Check a framework file; exit 1 and list every error if it is bad."""
    try:
        data, sha = read(path)
    except FrameworkError as error:
        click.echo(f"{error.source}: {len(error.errors)} error(s)", err=True)
        for line in error.errors:
            click.echo(f"  {error.source}: {line}", err=True)
        sys.exit(1)
    click.echo(f"{path}: valid ({data['key']} v{data['version']}, {len(data['domains'])} domains, sha256 {sha[:12]})")


@framework_cli.command("load")
def framework_load() -> None:
    """Load every file in frameworks/ (unchanged files create nothing)."""
    _load_frameworks()


service_cli = click.Group("service", help="Set up services.")


@service_cli.command("create")
@click.option("--slug", required=True, help="Short name used in links, e.g. north-shore")
@click.option("--name", required=True, help="Full name of the service")
@click.option("--prefix", default=None, help="Case reference prefix, 2-4 capital letters")
@click.option("--pathway", "pathways", multiple=True,
              help=f"A way women reach the service; repeat for several (default: {', '.join(DEFAULT_PATHWAYS)})")
@acting
def service_create(slug: str, name: str, prefix: str | None, pathways: tuple[str, ...], actor_id: int | None) -> None:
    """Create a service with its pathways."""
    try:
        service = create_service(db.session, actor_id, slug, name, prefix, pathways or DEFAULT_PATHWAYS)
    except OperationError as error:
        _fail(error.message)
    db.session.commit()
    click.echo(f"Created service {service.slug} ({service.name}), case prefix {service.case_prefix}, "
               f"pathways: {', '.join(p.name for p in service.pathways)}")


def _service(slug: str):
    """The service with this slug, or a clean failure."""
    service = get_service(db.session, slug)
    if service is None:
        _fail(f"There is no service with the slug {slug!r}.")
    return service


@service_cli.command("target-rule")
@click.option("--service", "slug", required=True, help="Service slug")
@click.option("--quintile-max", required=True, type=click.Choice(["1", "2", "3", "4", "5", "none"]),
              help="Target women in IMD quintile 1 up to this one, or none by quintile")
@click.option("--under-20/--no-under-20", default=True, show_default=True, help="Target mothers aged under 20")
@click.option("--from", "from_day", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="First referral day judged by the new rule (YYYY-MM-DD, today or earlier)")
@acting
def service_target_rule(slug: str, quintile_max: str, under_20: bool, from_day, actor_id: int | None) -> None:
    """Change a service's target rule; cases referred before keep the rule in force then."""
    service = _service(slug)
    try:
        kept = change_target_rule(db.session, actor_id, service, under_20=under_20, from_day=from_day.date(),
                                  quintile_max=None if quintile_max == "none" else int(quintile_max))
    except OperationError as error:
        db.session.rollback()
        _fail(error.message)
    db.session.commit()
    click.echo(f"{service.slug}: cases referred from {format_day(from_day.date())} are target if "
               f"{service.describe_target_rule()}; before then, if {kept.describe()}")


@service_cli.command("population")
@click.option("--service", "slug", required=True, help="Service slug")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]), help="First day (YYYY-MM-DD)")
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Last day (YYYY-MM-DD)")
@click.option("--births", required=True, help="Births in quintiles 1 to 5, comma-separated, e.g. 820,610,540,480,400")
@acting
def service_population(slug: str, start, end, births: str, actor_id: int | None) -> None:
    """Enter the births per deprivation quintile in a service's area over a period (again to correct it)."""
    service = _service(slug)
    try:
        counts = [int(n) for n in births.split(",")]
    except ValueError:
        _fail("Give five whole numbers separated by commas.")
    try:
        set_population(db.session, actor_id, service, start.date(), end.date(), counts)
    except OperationError as error:
        db.session.rollback()
        _fail(error.message)
    db.session.commit()
    click.echo(f"Births saved for {service.slug}, {format_day(start.date())} to {format_day(end.date())}: {', '.join(map(str, counts))}")


@service_cli.command("min-cells")
@click.option("--service", "slug", required=True, help="Service slug")
@click.argument("count", type=int)
@acting
def service_min_cells(slug: str, count: int, actor_id: int | None) -> None:
    """Set the fewest women per group and window for a decision's effect to be judged (default 10)."""
    service = _service(slug)
    try:
        set_min_cell_count(db.session, actor_id, service, count)
    except OperationError as error:
        db.session.rollback()
        _fail(error.message)
    db.session.commit()
    click.echo(f"{service.slug}: an effect is judged with at least {count} women per group and window")


pathway_cli = click.Group("pathway", help="A service's pathways.")
service_cli.add_command(pathway_cli)


@pathway_cli.command("add")
@click.option("--service", "slug", required=True, help="Service slug")
@click.argument("name")
@acting
def pathway_add(slug: str, name: str, actor_id: int | None) -> None:
    """Add a pathway to a service."""
    service = _service(slug)
    try:
        pathway = add_pathway(db.session, actor_id, service, name)
    except OperationError as error:
        db.session.rollback()
        _fail(error.message)
    db.session.commit()
    click.echo(f"Added the pathway {pathway.name!r} to {service.slug}")


person_cli = click.Group("person", help="Set up people.")


@person_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(Role.values()))
@click.option("--service", "services", multiple=True, help="Service slug; repeat for several")
@click.option("--name", default=None, help="Name shown to colleagues")
@acting
def person_create(email: str, role: str, services: tuple[str, ...], name: str | None, actor_id: int | None) -> None:
    """Create a person and print a one-time password."""
    try:
        person, password = create_person(db.session, actor_id, email, role, list(services), name)
    except OperationError as error:
        _fail(error.message)
    db.session.commit()
    click.echo(f"Created {person.role_name.lower()} {person.email}")
    click.echo(f"One-time password: {password}")


deprivation_cli = click.Group("deprivation", help="The postcode -> IMD quintile lookup table.")


@deprivation_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--areas", default=ENGLAND_AREAS, show_default=True, type=click.IntRange(min=5),
              help="Number of ranked areas (32,844 LSOAs for England's IMD 2019)")
@acting
def deprivation_import(path: str, areas: int, actor_id: int | None) -> None:
    """Replace the lookup table from a CSV in the ONS postcode directory layout (pcds, imd)."""
    def progress(rows: int) -> None:
        click.echo(f"  {rows:,} rows read", err=True)

    try:
        report = import_postcodes(db.session, path, areas, progress, actor_id=actor_id)
    except OperationError as error:
        db.session.rollback()
        _fail(error.message)
    db.session.commit()
    click.echo(f"Imported {report.imported:,} postcodes from {report.rows:,} rows "
               f"({report.skipped:,} without an English IMD rank skipped"
               + (f", {report.unreadable:,} unreadable postcodes skipped" if report.unreadable else "") + ").")


import_cli = click.Group("import", help="Import existing case and contact records from CSV.")


def _import(kind: str, slug: str, path: str, actor_id: int | None) -> None:
    service = get_service(db.session, slug)
    if service is None:
        _fail(f"There is no service with the slug {slug!r}.")
    try:
        with open(path, encoding="utf-8-sig") as handle:
            report = IMPORTERS[kind](db.session, actor_id, service, handle.read())
    except UnicodeDecodeError:
        _fail("The file is not UTF-8 text; save it from the spreadsheet as CSV UTF-8.")
    except ImportFailed as failed:
        db.session.rollback()
        click.echo(f"Error: nothing was imported; {len(failed.errors)} problem(s):", err=True)
        for e in failed.errors:
            click.echo(f"  row {e.row}, column {e.column}: {e.message}", err=True)
        sys.exit(1)
    except OperationError as error:
        db.session.rollback()
        _fail(error.message)
    db.session.commit()
    click.echo(f"Imported {kind}: {report.rows} rows, {report.created} created, {report.unchanged} already there.")


@import_cli.command("cases")
@click.option("--service", "slug", required=True, help="Service slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@acting
def import_cases_command(slug: str, path: str, actor_id: int | None) -> None:
    """Import cases: ref, referral_date, imd_quintile, age_band, pathway, first_time, language_support, supporter_email."""
    _import(ImportKind.CASES, slug, path, actor_id)


@import_cli.command("contacts")
@click.option("--service", "slug", required=True, help="Service slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@acting
def import_contacts_command(slug: str, path: str, actor_id: int | None) -> None:
    """Import contact attempts: case_ref, when, channel, outcome."""
    _import(ImportKind.CONTACTS, slug, path, actor_id)


demo_cli = click.Group("demo", help="Demo data.")


@demo_cli.command("load")
def demo_load() -> None:
    """Load the demo service, people and cases (running it again changes nothing)."""
    from ecotool.demo import PEOPLE, load_demo

    lines = load_demo(db.session)
    db.session.commit()
    # load_demo ends with the logins; any line before them is something it created.
    if len(lines) == len(PEOPLE) + 1:
        click.echo("Demo data is already loaded; nothing was changed.")
    for line in lines:
        click.echo(line)


@click.command("brief")
@click.option("--service", "slugs", required=True, multiple=True,
              help="Service slug; give two or more for a regional brief comparing them")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]), help="First day (YYYY-MM-DD)")
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Last day (YYYY-MM-DD)")
@click.option("--format", "kind", type=click.Choice(["pdf", "html", "json"]), default="pdf", show_default=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True), help="File to write")
@click.option("--as", "email", required=True, help="E-mail of the person making it (who may see the services)")
def brief_command(slugs: tuple[str, ...], start, end, kind: str, out: str, email: str) -> None:
    """Make a brief for a service (or a regional brief for several) over a period, stored like one made in the
    app, and write it as PDF, HTML or JSON."""
    services = [_service(slug) for slug in dict.fromkeys(slugs)]
    person = db.session.scalar(select(Person).where(Person.email == email.strip().lower()))
    visible = {s.id for s in services_of(db.session, person)} if person is not None else set()
    for service in services:
        if service.id not in visible:
            _fail(f"{email} cannot make briefs for {service.slug}.")
    try:
        if len(services) > 1:
            stored = generate_region_brief(db.session, person.id, services, start.date(), end.date())
        else:
            stored = generate_brief(db.session, person.id, services[0], start.date(), end.date())
    except OperationError as error:
        db.session.rollback()
        _fail(error.message)
    db.session.commit()
    if kind == "pdf":
        content: bytes = stored.pdf
    else:
        text = (render.html(stored.data, stored.made_on, stored.created_by.display_name) if kind == "html"
                else render.as_json(stored.data, stored.made_on))
        content = text.encode()
    with open(out, "wb") as handle:
        handle.write(content)
    names = ", ".join(s.slug for s in services)
    click.echo(f"Wrote the {kind.upper()} brief for {names}, {format_day(start.date())} to {format_day(end.date())}, to {out} "
               f"(brief {stored.id})")


retention_cli = click.Group("retention", help="Erase closed cases past their service's retention period.")


@retention_cli.command("run")
@acting
def retention_run(actor_id: int | None) -> None:
    """Erase every closed case past its service's retention period, its words first (run it daily)."""
    erased = run_retention(db.session, actor_id, local_today())
    db.session.commit()
    for slug, count in erased.items():
        click.echo(f"{slug}: {count} closed {'case' if count == 1 else 'cases'} erased")


def register_cli(app: Flask) -> None:
    """Attach every command to the app."""
    for command in (init_command, framework_cli, service_cli, person_cli, deprivation_cli, import_cli, demo_cli,
                    brief_command, retention_cli):
        app.cli.add_command(command)
