"""A language crowded with related briefings: enough articles that lists fill up."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.search.writing import add, tag_ids, write

TOPICS = ("energy", "climate", "economics", "migration", "arms-control", "digital-rights")


async def _many(session: AsyncSession) -> None:
    for i in range(50):
        tags = await tag_ids(session, TOPICS[i % len(TOPICS)], TOPICS[(i + 1) % len(TOPICS)])
        await add(
            session,
            "en",
            f"briefing-{i}",
            f"Briefing {i}: {TOPICS[i % len(TOPICS)]} and markets",
            f"Notes on {TOPICS[i % len(TOPICS)]} for week {i}.",
            tag_ids=tags,
            days_ago=i / 10,
        )


@pytest.fixture
def crowded_url(fresh_demo_url: str) -> str:
    asyncio.run(write(fresh_demo_url, _many))
    return fresh_demo_url
