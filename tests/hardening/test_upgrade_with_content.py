"""A database full of content at the previous revision upgrades to the newest with every row
intact. "Previous" is computed from the migration scripts, so the test follows new revisions.

The content is the demo publication, written by today's code at the newest revision and then
taken down to the previous one (the newest revisions' own tables go with it); that is the
database an operator has before running `pressroom migrate` after an update.
"""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, table, text
from sqlalchemy.sql import column

import migrations
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine
from publishing.demo.seed import seed_demo_content

Snapshot = dict[str, list[tuple[str, ...]]]


def previous_revisions(database_url: str) -> list[str]:
    """The revisions just before the current heads, without any that another one follows."""
    script = ScriptDirectory.from_config(migrations.alembic_config(database_url))
    before: set[str] = set()
    for head in script.get_heads():
        down = script.get_revision(head).down_revision
        before.update((down,) if isinstance(down, str) else (down or ()))

    def ancestors(revision: str) -> set[str]:
        return {r.revision for r in script.iterate_revisions(revision, "base")} - {revision}

    return sorted(r for r in before if not any(r in ancestors(o) for o in before if o != r))


async def layout(database_url: str) -> dict[str, list[str]]:
    """Each table's columns (the alembic bookkeeping table aside)."""

    def read(sync: Any) -> dict[str, list[str]]:
        inspector = inspect(sync)
        return {
            name: [c["name"] for c in inspector.get_columns(name)]
            for name in inspector.get_table_names()
            if name != "alembic_version"
        }

    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            found: dict[str, list[str]] = await connection.run_sync(read)
    finally:
        await engine.dispose()
    return found


async def snapshot(database_url: str, tables: dict[str, list[str]]) -> Snapshot:
    """Every row of ``tables`` (those columns only), as sorted text."""
    rows: Snapshot = {}
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            for name, columns in tables.items():
                query = select(*(column(c) for c in columns)).select_from(table(name))
                found = await connection.execute(query)
                rows[name] = sorted(tuple(_text(v) for v in row) for row in found)
    finally:
        await engine.dispose()
    return rows


def _text(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


async def revision_of(database_url: str) -> set[str]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            found = await connection.execute(text("SELECT version_num FROM alembic_version"))
            return set(found.scalars())
    finally:
        await engine.dispose()


def test_previous_revision_with_content_upgrades_with_every_row_intact(empty_url: str) -> None:
    config = migrations.alembic_config(empty_url)
    previous = previous_revisions(empty_url)
    assert previous, "there is only one revision: nothing to upgrade from"

    migrations.upgrade(empty_url)
    asyncio.run(seed_demo_content(empty_url, now=SYSTEM_CLOCK.now()))
    for revision in previous:
        command.downgrade(config, revision)
    assert asyncio.run(revision_of(empty_url)) == set(previous)

    tables = asyncio.run(layout(empty_url))
    before = asyncio.run(snapshot(empty_url, tables))
    assert len(before["articles"]) > 10, "the demo content is missing"
    assert sum(len(rows) for rows in before.values()) > 200

    migrations.upgrade(empty_url)
    heads = set(ScriptDirectory.from_config(config).get_heads())
    assert asyncio.run(revision_of(empty_url)) == heads
    now = asyncio.run(layout(empty_url))
    for name, columns in tables.items():
        assert name in now, f"the upgrade dropped table {name}"
        assert set(columns) <= set(now[name]), f"the upgrade dropped columns of {name}"
    assert asyncio.run(snapshot(empty_url, tables)) == before
