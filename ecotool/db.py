"""The declarative base, the shared db object, atomic operations and small column helpers."""
from __future__ import annotations

import sqlite3
from functools import wraps
from typing import Callable, Iterable, ParamSpec, TypeVar

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ColumnElement, Date, Engine, MetaData, case, event, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column
from sqlalchemy.orm.exc import StaleDataError

from ecotool.clock import utcnow  # noqa: F401  (models take their defaults from here)
from ecotool.errors import StaleEdit

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)


class Versioned:
    """A record two people may edit at once. Each save names the version it was read at (`claim`); the
    UPDATE also asks for that version, so of two saves racing in the same moment only one lands."""

    version: Mapped[int] = mapped_column(default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version, "version_id_generator": False}


def claim(session: Session, record: Versioned, seen: int | None) -> None:
    """Take a record for a change by someone who read it at version `seen` (None: a caller with no page, such
    as the CLI): refused with StaleEdit if it has changed since; otherwise the next version is written now."""
    if seen is not None and seen != record.version:
        raise StaleEdit(record)
    record.version = record.version + 1
    try:
        session.flush()
    except StaleDataError:
        raise StaleEdit(record) from None

P = ParamSpec("P")
R = TypeVar("R")
_DEPTH = "ecotool.atomic_depth"


def atomic(operation: Callable[P, R]) -> Callable[P, R]:
    """Run an operation inside a savepoint, so if it raises, nothing it flushed stays in the session.

    Every public function of an `operations.py` carries this. Only the outermost operation takes a
    savepoint: an import that creates a thousand cases costs one, and undoes all of them on failure.
    """

    @wraps(operation)
    def run(session: Session, *args: P.args, **kwargs: P.kwargs) -> R:
        depth = session.info.get(_DEPTH, 0)
        session.info[_DEPTH] = depth + 1
        try:
            if depth:
                return operation(session, *args, **kwargs)
            with session.begin_nested():
                return operation(session, *args, **kwargs)
        finally:
            session.info[_DEPTH] = depth

    run.atomic = True  # type: ignore[attr-defined]
    return run


@event.listens_for(Engine, "connect")
def _sqlite_manual_transactions(dbapi_connection, _record) -> None:
    # Python's sqlite3 driver starts and ends transactions on its own, which breaks SAVEPOINT;
    # SQLAlchemy's documented fix is to switch that off and emit BEGIN ourselves (below).
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    # A transaction that will write (IMMEDIATE, asked for with `write_first`) takes SQLite's write lock at its
    # start: one that read first and then wrote could find another writer had committed in between and fail
    # with "database is locked" instead of waiting its turn.
    if connection.dialect.name == "sqlite":
        immediate = connection.get_execution_options().get(IMMEDIATE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


IMMEDIATE = "sqlite_immediate"


def write_first(session) -> None:
    """Start the session's transaction as one that will write: on SQLite it waits for the write lock at once
    (two requests sent together then run one after the other); elsewhere it changes nothing."""
    if session.get_bind().dialect.name == "sqlite" and not session.in_transaction():
        session.connection(execution_options={IMMEDIATE: True})


def count_where(condition) -> ColumnElement[int]:
    """How many rows of a query meet a condition, as one SQL aggregate (0 over no rows)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def in_list(column: str, vocabulary: Iterable[str]) -> str:
    """Return SQL for a CHECK that a column holds one of a vocabulary's words."""
    quoted = ", ".join("'" + str(v).replace("'", "''") + "'" for v in vocabulary)
    return f"{column} IN ({quoted})"


class _DaysAfter(FunctionElement):
    """A date column plus a whole number of days, for SQLite and PostgreSQL alike (they share no date arithmetic)."""

    type = Date()
    inherit_cache = True


@compiles(_DaysAfter)
def _days_after_postgresql(element, compiler, **kw) -> str:
    day, days = element.clauses
    return f"({compiler.process(day, **kw)} + {compiler.process(days, **kw)})"


@compiles(_DaysAfter, "sqlite")
def _days_after_sqlite(element, compiler, **kw) -> str:
    day, days = element.clauses
    return f"date({compiler.process(day, **kw)}, '+' || {compiler.process(days, **kw)} || ' days')"


def days_after(day: ColumnElement, days: int) -> ColumnElement:
    """SQL for the date `days` days after a date column."""
    return _DaysAfter(day, int(days))
