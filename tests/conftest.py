"""Fixtures: an app on a fresh real database per test (SQLite file and PostgreSQL), and factories."""
from __future__ import annotations

import os
import shutil
import uuid
from datetime import date, datetime, time, timedelta
from pathlib import Path

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from ecotool import create_app
from ecotool.auth.operations import create_person
from ecotool.capture import operations as capture
from ecotool.clock import local_today, to_utc
from ecotool.decisions.operations import record_decision
from ecotool.db import db
from ecotool.framework.operations import load_directory
from ecotool.framework.queries import current_version
from ecotool.services.operations import create_service

PG_URL = os.environ.get("ECOTOOL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"
PASSWORD = "test-password-1"


def _config(url: str) -> dict:
    return {
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test", "RATELIMIT_ENABLED": False, "ECOTOOL_TWO_FACTOR_ROLES": "",
    }


def _migrate_and_load(url: str) -> None:
    app = create_app(_config(url))
    with app.app_context():
        upgrade()
        load_directory(db.session, app.config["FRAMEWORKS_DIR"])
        db.session.commit()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite"
    _migrate_and_load(f"sqlite:///{path}")
    return path


def _pg_admin_url() -> str:
    return PG_URL.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture(scope="session")
def postgres_url():
    """A throwaway PostgreSQL database for this test run, dropped at the end."""
    name = f"ecotool_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        admin = psycopg.connect(_pg_admin_url(), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI but not reachable at {PG_URL}: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    admin.execute(f'CREATE DATABASE "{name}"')
    base = _pg_admin_url().rsplit("/", 1)[0]
    url = f"{base.replace('postgresql://', 'postgresql+psycopg://')}/{name}"
    _migrate_and_load(url)
    yield url
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _reset_postgres(app) -> None:
    """Empty every table but the framework ones and Alembic's, then make sure only v1 is loaded."""
    keep = {"alembic_version"}
    tables = [t.name for t in db.metadata.sorted_tables if t.name not in keep]
    db.session.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    db.session.commit()
    load_directory(db.session, app.config["FRAMEWORKS_DIR"])
    db.session.commit()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    """The database backend a test runs on; model and flow tests run on both."""
    return request.param


@pytest.fixture
def app(backend, request, tmp_path):
    """An app with a fresh, migrated database holding the shipped framework."""
    if backend == "sqlite":
        path = tmp_path / "ecotool.sqlite"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
    app = create_app(_config(url))
    with app.app_context():
        if backend == "postgresql":
            _reset_postgres(app)
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def session(app):
    """The database session of the app under test."""
    return db.session


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def framework(app):
    """The loaded shipped framework version."""
    return current_version(db.session)


@pytest.fixture
def make_service(app):
    """Factory: a committed service."""
    def make(slug: str = "north", name: str = "North peer support", **rules):
        service = create_service(db.session, None, slug, name)
        for key, value in rules.items():
            setattr(service, key, value)
        db.session.commit()
        return service
    return make


@pytest.fixture
def make_person(app):
    """Factory: a committed person with the test password."""
    counter = iter(range(1, 10_000))

    def make(role: str, service=None, supervisor=None, email: str | None = None, services=()):
        email = email or f"{role}{next(counter)}@example.org"
        slugs = [service.slug] if service else [s.slug for s in services]
        person, _ = create_person(db.session, None, email, role, slugs,
                                  f"{role.title()} {email.split('@')[0]}", supervisor.id if supervisor else None,
                                  PASSWORD)
        db.session.commit()
        return person
    return make


@pytest.fixture
def make_case(app, framework):
    """Factory: a committed case."""
    def make(service, supporter, *, quintile=1, age_band="20-24", referral_date=None, language="no", **extra):
        case = capture.create_case(
            db.session, supporter.id, service, imd_quintile=quintile, age_band=age_band,
            first_time=extra.pop("first_time", "yes"), language_support=language,
            pathway_id=service.pathways[0].id, referral_date=referral_date or date.today() - timedelta(days=10),
            journey_stage="first-days", supporter_id=supporter.id, **extra,
        )
        db.session.commit()
        return case
    return make


@pytest.fixture
def make_attempt(app):
    """Factory: a committed contact attempt."""
    def make(case, outcome="reached", at=None, channel="phone"):
        attempt = capture.log_contact_attempt(
            db.session, case.supporter_id, case, at=at or datetime.now() - timedelta(days=1),
            channel=channel, outcome=outcome,
        )
        db.session.commit()
        return attempt
    return make


@pytest.fixture
def make_observation(app, framework):
    """Factory: a committed observation on a case or the service, saved now, observed today unless `observed_on`."""
    def make(service, author, *, case=None, domain="micro.contactability", kind="barrier", observed_on=None,
             text="The phone rang out again; she may share it.", source="call", shareable=False):
        domain_id = next(d.id for d in framework.domains if d.code == domain)
        observation = capture.add_observation(
            db.session, author.id, service, case=case, domain_id=domain_id,
            journey_stage=case.journey_stage if case else None, kind=kind, source=source, text=text,
            observed_on=observed_on, shareable=shareable,
        )
        db.session.commit()
        return observation
    return make


@pytest.fixture
def team(make_service, make_person):
    """A service with a supervisor, two supervisees, a commissioner and an admin."""
    service = make_service()
    supervisor = make_person("supervisor", service)
    return {
        "service": service,
        "supervisor": supervisor,
        "supporter": make_person("peer_supporter", service, supervisor),
        "other_supporter": make_person("peer_supporter", service, supervisor),
        "commissioner": make_person("commissioner", service),
        "admin": make_person("admin"),
    }


@pytest.fixture
def login(client):
    """Sign a person in through the real login page."""
    def do(person):
        client.post("/logout")
        response = client.post("/login", data={"email": person.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client
    return do


def row_counts(*models) -> dict[str, int]:
    """Count the rows of some models (used to prove nothing was half-written)."""
    from sqlalchemy import func, select

    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in models}


@pytest.fixture
def postcodes(app):
    """The synthetic demo postcode lookup table (same layout as the ONS postcode directory)."""
    from ecotool.capture.deprivation import import_file
    from ecotool.demo import DEMO_POSTCODES

    report = import_file(db.session, DEMO_POSTCODES)
    db.session.commit()
    return report


@pytest.fixture
def make_decision(app, framework, team):
    """Factory: a committed decision of the team's service answering one domain; unless told, in effect when its
    start has come (so it has an effect to measure), else agreed."""
    def make(*, start_date: date, title: str = "Text every mother at 2-3 weeks", status: str | None = None,
             domain: str = "micro.contactability", service=None, **extra):
        status = status or ("in effect" if start_date <= local_today() else "agreed")
        domain_id = next(d.id for d in framework.domains if d.code == domain)
        decision = record_decision(
            db.session, team["supervisor"].id, service or team["service"], title=title,
            rationale="Calls were missed in the first weeks.", response_type="change-contact-timing",
            target_group="imd-quintile-1", domain_ids=[domain_id], start_date=start_date, status=status, **extra)
        db.session.commit()
        return decision
    return make


@pytest.fixture
def cohort(app, team):
    """Factory: cases referred on a day, each with its reached contacts at days 1, 2, 3... after referral
    (or one failed attempt when none), committed at once. `reached_days` overrides the days of contact."""
    def make(referred: date, count: int, *, quintile: int | None, reached: int, age_band: str = "25-29",
             pathway=None, reached_days: list[int] | None = None, service=None):
        service = service or team["service"]
        supporter = team["supporter"]
        days = reached_days if reached_days is not None else list(range(1, reached + 1))
        for _ in range(count):
            case = capture.create_case(
                db.session, supporter.id, service, imd_quintile=quintile, age_band=age_band, first_time="yes",
                language_support="no", pathway_id=(pathway or service.pathways[0]).id, referral_date=referred,
                journey_stage="first-days", supporter_id=supporter.id)
            for day in days:
                if referred + timedelta(days=day) < local_today():
                    capture.log_contact_attempt(db.session, supporter.id, case, channel="phone", outcome="reached",
                                                at=to_utc(datetime.combine(referred + timedelta(days=day), time(11))))
            if not days:
                capture.log_contact_attempt(db.session, supporter.id, case, channel="phone", outcome="no answer",
                                            at=to_utc(datetime.combine(referred + timedelta(days=1), time(11))))
        db.session.commit()
    return make


def columns_holding(words: str) -> list[str]:
    """Every text or JSON column, of every table, that holds these words (as "table.column")."""
    from sqlalchemy import JSON, String, Text, cast, func, select

    return [f"{table.name}.{column.name}" for table in db.metadata.sorted_tables for column in table.columns
            if isinstance(column.type, (String, JSON)) and db.session.scalar(
                select(func.count()).select_from(table).where(cast(column, Text).like(f"%{words}%")))]
