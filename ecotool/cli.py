"""The `flask --app ecotool ...` commands; each calls the same operations as the pages."""
from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask_migrate import upgrade

from ecotool.auth.operations import create_person
from ecotool.capture.deprivation import ENGLAND_AREAS
from ecotool.capture.deprivation import import_file as import_postcodes
from ecotool.capture.importing import IMPORTERS, ImportFailed
from ecotool.db import db
from ecotool.errors import OperationError
from ecotool.framework.loader import FrameworkError, read
from ecotool.framework.operations import load_directory
from ecotool.services.operations import DEFAULT_PATHWAYS, add_pathway, create_service
from ecotool.services.queries import get_service
from ecotool.vocab import ImportKind, Role


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


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
def service_create(slug: str, name: str, prefix: str | None, pathways: tuple[str, ...]) -> None:
    """Create a service with its pathways."""
    try:
        service = create_service(db.session, None, slug, name, prefix, pathways or DEFAULT_PATHWAYS)
    except OperationError as error:
        _fail(error.message)
    db.session.commit()
    click.echo(f"Created service {service.slug} ({service.name}), case prefix {service.case_prefix}, "
               f"pathways: {', '.join(p.name for p in service.pathways)}")


pathway_cli = click.Group("pathway", help="A service's pathways.")
service_cli.add_command(pathway_cli)


@pathway_cli.command("add")
@click.option("--service", "slug", required=True, help="Service slug")
@click.argument("name")
def pathway_add(slug: str, name: str) -> None:
    """Add a pathway to a service."""
    service = get_service(db.session, slug)
    if service is None:
        _fail(f"There is no service with the slug {slug!r}.")
    try:
        pathway = add_pathway(db.session, None, service, name)
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
def person_create(email: str, role: str, services: tuple[str, ...], name: str | None) -> None:
    """Create a person and print a one-time password."""
    try:
        person, password = create_person(db.session, None, email, role, list(services), name)
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
def deprivation_import(path: str, areas: int) -> None:
    """Replace the lookup table from a CSV in the ONS postcode directory layout (pcds, imd)."""
    def progress(rows: int) -> None:
        click.echo(f"  {rows:,} rows read", err=True)

    try:
        report = import_postcodes(db.session, path, areas, progress)
    except OperationError as error:
        db.session.rollback()
        _fail(error.message)
    db.session.commit()
    click.echo(f"Imported {report.imported:,} postcodes from {report.rows:,} rows "
               f"({report.skipped:,} without an English IMD rank skipped"
               + (f", {report.unreadable:,} unreadable postcodes skipped" if report.unreadable else "") + ").")


import_cli = click.Group("import", help="Import existing case and contact records from CSV.")


def _import(kind: str, slug: str, path: str) -> None:
    service = get_service(db.session, slug)
    if service is None:
        _fail(f"There is no service with the slug {slug!r}.")
    try:
        with open(path, encoding="utf-8-sig") as handle:
            report = IMPORTERS[kind](db.session, None, service, handle.read())
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
def import_cases_command(slug: str, path: str) -> None:
    """Import cases: ref, referral_date, imd_quintile, age_band, pathway, first_time, language_support, supporter_email."""
    _import(ImportKind.CASES, slug, path)


@import_cli.command("contacts")
@click.option("--service", "slug", required=True, help="Service slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_contacts_command(slug: str, path: str) -> None:
    """Import contact attempts: case_ref, when, channel, outcome."""
    _import(ImportKind.CONTACTS, slug, path)


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


def register_cli(app: Flask) -> None:
    """Attach every command to the app."""
    for command in (init_command, framework_cli, service_cli, person_cli, deprivation_cli, import_cli, demo_cli):
        app.cli.add_command(command)
