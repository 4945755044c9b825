"""Alembic environment: runs migrations over the app's async drivers."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from publishing.db import DEFAULT_DATABASE_URL, create_engine
from publishing.models import Base
from publishing.search.fts import is_index_table

config = context.config
target_metadata = Base.metadata


def _database_url() -> str:
    # Given by whoever runs the migrations in code; for the plain `alembic` command line, the
    # variable the API reads (or its default).
    url = config.attributes.get("database_url") or os.environ.get("PRESSROOM_DATABASE_URL")
    return str(url) if url else DEFAULT_DATABASE_URL


def _include_name(name: str | None, type_: str, _parents: object) -> bool:
    # SQLite's FTS5 search tables (virtual, with shadow tables) are made by a migration on
    # SQLite only; the models cannot describe them, so comparisons leave them out.
    return not (type_ == "table" and name is not None and is_index_table(name))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite alters tables by copying them; batch mode does that for us.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=_include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_engine(_database_url())
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_database_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_async())
