"""Declarative base, column types, and the engine and session factory."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import os
import sqlite3
from pathlib import Path
from typing import Any, Final

from sqlalchemy import DateTime, Enum, MetaData, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# The embedded default: a SQLite file in the working directory, no server to install.
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./pressroom.db"

# Predictable constraint names on SQLite and PostgreSQL, so migrations can drop what they made.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def portable_enum(cls: type[enum.Enum], name: str, *, length: int = 20) -> Enum:
    """A VARCHAR with a named CHECK constraint rather than a PostgreSQL enum type: the same
    on both databases, and a new member is a constraint change rather than an ALTER TYPE."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [m.value for m in members],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on every backend.

    SQLite stores no offset; values are normalised to UTC on the way in and marked UTC on the
    way out, so comparisons never mix naive and aware datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC timestamp is required")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite leaves foreign keys off unless asked, per connection.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _sqlite_directory_exists(
    _dialect: Any, _record: Any, _args: Any, _params: dict[str, Any], *, directory: Path
) -> None:
    # Refused before aiosqlite tries: it reports a failed open from its worker thread, which
    # can outlive a short command's event loop and then print a traceback of its own.
    if not directory.is_dir():
        raise sqlite3.OperationalError(
            f"unable to open database file: directory {directory} does not exist"
        )


def _sqlite_manual_transactions(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event decide how a transaction starts (see below).
    dbapi_connection.isolation_level = None


def _sqlite_begin_immediate(connection: Any) -> None:
    # A writer takes the write lock when it begins, so two writers queue (busy_timeout)
    # instead of one failing when it upgrades a read snapshot that another writer moved on.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


# The stores and the asyncio driver each is used through (both installed with Pressroom).
ASYNC_DRIVERS: Final = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}
_STORE_NAMES: Final = {"sqlite": "sqlite", "postgresql": "postgresql", "postgres": "postgresql"}


def database_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a Pressroom database, naming the URL that would do; None when
    it names a store and driver Pressroom runs on (whether the database answers is another
    matter). ``postgresql://`` and ``sqlite:///`` name synchronous drivers the asyncio
    engine cannot use, and which are not installed."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return (
            "not a database URL; use sqlite+aiosqlite:///path/to/file.db or "
            "postgresql+asyncpg://user:password@host/database"
        )
    name, _, driver = parsed.drivername.partition("+")
    store = _STORE_NAMES.get(name.lower())
    if store is None:
        return (
            f"Pressroom does not run on {name!r}; use SQLite (sqlite+aiosqlite:///path/to/"
            "file.db) or PostgreSQL (postgresql+asyncpg://user:password@host/database)"
        )
    wanted = f"{store}+{ASYNC_DRIVERS[store]}"
    if parsed.drivername != wanted:
        given = f"{name}+{driver}" if driver else name
        fixed = parsed.set(drivername=wanted).render_as_string(hide_password=True)
        return f"{given}:// names a driver Pressroom does not use; write {wanted}:// ({fixed})"
    return None


def create_engine(
    url: str, *, timeout: float = 5.0, for_writes: bool = False, **kwargs: Any
) -> AsyncEngine:
    """An engine for ``url``; ``timeout`` bounds how long connecting may take (seconds).

    ``for_writes`` makes every SQLite transaction take the write lock at once; mutations use
    such an engine so concurrent writers wait their turn. PostgreSQL needs nothing special.
    A URL ``database_url_problem`` refuses raises ArgumentError with its reason.
    """
    problem = database_url_problem(url)
    if problem is not None:
        raise ArgumentError(problem)
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": timeout}, **kwargs)
        database = make_url(url).database
        if database and database != ":memory:" and not database.startswith("file:"):
            check = functools.partial(_sqlite_directory_exists, directory=Path(database).parent)
            event.listen(engine.sync_engine, "do_connect", check)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        if for_writes:
            event.listen(engine.sync_engine, "connect", _sqlite_manual_transactions)
            event.listen(engine.sync_engine, "begin", _sqlite_begin_immediate)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_timeout", timeout)
    return create_async_engine(url, connect_args={"timeout": timeout}, **kwargs)


# What a database that is down, unreachable or hung raises (through the pool, the driver or
# the SQLite directory check above), as opposed to an error in the code.
DATABASE_UNAVAILABLE: Final = (DBAPIError, OSError, TimeoutError, PoolTimeout, sqlite3.Error)


def describe_database_error(exc: BaseException) -> str:
    """The first line of what went wrong, without a traceback, for operators and probes."""
    if isinstance(exc, NoSuchModuleError | ArgumentError):
        return f"invalid database URL ({exc})"
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused: is the database server running and reachable?"
    if isinstance(exc, TimeoutError):
        return "the database did not answer in time"
    if isinstance(exc, OSError) and exc.errno and not exc.filename:
        return f"cannot connect: {os.strerror(exc.errno)}"
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return message


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
