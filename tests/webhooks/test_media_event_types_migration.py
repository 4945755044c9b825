"""The migration that adds media event types keeps every event and delivery already queued
(SQLite rebuilds the events table, which the deliveries reference with ON DELETE CASCADE)."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

import migrations
from publishing.db import create_engine

BEFORE_MEDIA_EVENTS = "0009"


def _run(url: str, *statements: str) -> list[tuple[object, ...]]:
    async def run() -> list[tuple[object, ...]]:
        engine = create_engine(url)
        rows: list[tuple[object, ...]] = []
        try:
            async with engine.begin() as connection:
                for statement in statements:
                    result = await connection.execute(text(statement))
                    if result.returns_rows:
                        rows = [tuple(row) for row in result]
        finally:
            await engine.dispose()
        return rows

    return asyncio.run(run())


def test_queued_deliveries_survive_and_media_events_fit(empty_url: str) -> None:
    migrations.upgrade(empty_url, BEFORE_MEDIA_EVENTS)
    _run(
        empty_url,
        "INSERT INTO webhooks (id, url, events, secret, active, created_at, updated_at) "
        "VALUES (1, 'https://example.org/hook', '[\"AUTHOR_UPDATED\"]', 's', true, "
        "'2026-05-01 09:00:00', '2026-05-01 09:00:00')",
        "INSERT INTO webhook_events (id, public_id, type, occurred_at, body) "
        "VALUES (1, 'evt_1', 'AUTHOR_UPDATED', '2026-05-01 09:00:00', '{}')",
        "INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, "
        "next_attempt_at, created_at) "
        "VALUES (1, 1, 'PENDING', 0, '2026-05-01 09:00:00', '2026-05-01 09:00:00')",
    )
    migrations.upgrade(empty_url)
    rows = _run(
        empty_url,
        "INSERT INTO webhook_events (id, public_id, type, occurred_at, body) "
        "VALUES (2, 'evt_2', 'MEDIA_UPDATED', '2026-05-01 09:00:00', '{}')",
        "SELECT e.public_id, d.status FROM webhook_deliveries d "
        "JOIN webhook_events e ON e.id = d.event_id",
    )
    assert rows == [("evt_1", "PENDING")]
    # Undone: the media events go, the rest stays.
    migrations.downgrade(empty_url, BEFORE_MEDIA_EVENTS)
    assert _run(empty_url, "SELECT public_id FROM webhook_events ORDER BY id") == [("evt_1",)]
