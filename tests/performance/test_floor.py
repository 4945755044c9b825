"""The benchmark's floor answers exactly what Pressroom answers: otherwise the ratios compare
different work."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bench.floor import Floor
from bench.generate import generate
from bench.run import LISTING_QUERY, article_query
from publishing.articles.models import Article
from tests.support.client import api_client
from tests.support.databases import Databases
from tests.support.lookup import rows

pytestmark = pytest.mark.postgres


@pytest.fixture
def generated_url(databases: Databases) -> str:
    databases.require_postgres()  # the floor speaks asyncpg only
    url = databases.empty("postgres")
    asyncio.run(generate(url, 8, seed=5, progress=False))
    return url


@contextlib.asynccontextmanager
async def floor_client(url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The floor app, started through its lifespan as uvicorn starts it."""
    floor = Floor(url, similar=True, pool_size=2)
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    lifespan = asyncio.create_task(floor({"type": "lifespan"}, inbox.get, outbox.put))
    await inbox.put({"type": "lifespan.startup"})
    assert (await outbox.get())["type"] == "lifespan.startup.complete"
    try:
        transport = httpx.ASGITransport(app=floor)
        async with httpx.AsyncClient(transport=transport, base_url="http://floor.test") as http:
            yield http
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        await outbox.get()
        await lifespan


async def test_the_floor_answers_what_pressroom_answers(generated_url: str) -> None:
    requests: list[dict[str, Any]] = [
        {
            "query": article_query(similar=True),
            "operationName": "ArticlePage",
            "variables": {"language": language, "slug": slug},
        }
        for language, slug in await rows(
            generated_url, select(Article.language, Article.slug).order_by(Article.id)
        )
    ]
    requests += [
        {
            "query": LISTING_QUERY,
            "operationName": "Listing",
            "variables": {"language": language, "first": first, "before": None},
        }
        for language in ("en", "tr", "ru")
        for first in (3, 50)
    ]
    served = 0
    async with api_client(generated_url) as pressroom, floor_client(generated_url) as floor:
        for request in requests:
            ours = await pressroom.query(request["query"], request["variables"])
            theirs = (await floor.post("/graphql", json=request)).json()
            assert "errors" not in ours, ours
            # Pressroom adds extensions.cost; the data is what must match.
            assert theirs["data"] == ours["data"], request["variables"]
            served += bool(ours["data"].get("article") or ours["data"].get("articles"))
    # Drafts and scheduled versions answer null in both: most requests must show content.
    assert served >= len(requests) // 2, (served, len(requests))
