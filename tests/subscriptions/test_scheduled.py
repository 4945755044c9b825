"""Live updates about publications no write marks: a scheduled article reaching its time is
announced once, whichever processes follow the log; and withdrawals reach readers without a
token only for articles they could see."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text

from api.live import LiveChanges
from publishing.access import Role
from publishing.db import create_engine, create_sessionmaker
from schema.live.feed import Delivery, Wanted
from tests.subscriptions.clients import PATIENCE, newest_change
from tests.support.client import ApiClient
from tests.support.clock import clocked_client
from tests.support.tokens import bearer, issue_token

pytestmark = pytest.mark.anyio

CREATE = """mutation($input: CreateArticleInput!) { createArticle(input: $input) {
  ... on CreateArticleSuccess { article { id version } } } }"""
PUBLISH = """mutation($input: PublishArticleInput!) { publishArticle(input: $input) {
  __typename ... on ArticleStatusSuccess { article { version } } } }"""
UNPUBLISH = """mutation($input: ArticleStatusInput!) { unpublishArticle(input: $input) {
  __typename } }"""
RETITLE = """mutation($input: UpdateArticleInput!) { updateArticle(input: $input) {
  __typename } }"""
# Readers without a token, of every language; editors.
READERS = Wanted(None, None, public_only=True)
DESK = Wanted(None, None, public_only=False)
# The follower polls once an hour: only wake-ups (a commit, the test's) make it read.
QUIET = {"live_poll_interval": 3600}


async def _draft(api: ApiClient, headers: dict[str, str], slug: str) -> dict[str, Any]:
    data = await api.data(
        CREATE, {"input": {"language": "en", "slug": slug, "title": slug}}, headers=headers
    )
    article: dict[str, Any] = data["createArticle"]["article"]
    return article


async def _mutate(
    api: ApiClient, headers: dict[str, str], query: str, **fields: Any
) -> dict[str, Any]:
    data = await api.data(query, {"input": fields}, headers=headers)
    result: dict[str, Any] = next(iter(data.values()))
    assert result["__typename"].endswith("Success"), data
    return result


async def _next(deliveries: AsyncIterator[Delivery]) -> Delivery:
    async with asyncio.timeout(PATIENCE):
        return await anext(deliveries)


def _local_id(global_id: str) -> int:
    from strawberry import relay

    return int(relay.GlobalID.from_id(global_id).node_id)


async def _published_rows(database_url: str, article_id: int) -> list[tuple[bool, Any]]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text(
                    "SELECT public, created_at FROM content_changes"
                    " WHERE article_id = :id AND event = 'PUBLISHED' ORDER BY id"
                ),
                {"id": article_id},
            )
            return [(bool(public), created_at) for public, created_at in rows]
    finally:
        await engine.dispose()


async def test_a_scheduled_article_is_published_to_subscribers_once_when_its_time_comes(
    fresh_demo_url: str,
) -> None:
    headers = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with clocked_client(fresh_demo_url, **QUIET) as (api, clock):
        live: LiveChanges = api.state["live"]
        # A second process's follower, on its own engine, on the same clock.
        engine = create_engine(fresh_demo_url)
        writes = create_engine(fresh_demo_url, for_writes=True)
        other = LiveChanges(
            engine,
            create_sessionmaker(engine),
            clock,
            write_sessions=create_sessionmaker(writes),
            max_subscriptions=10,
            max_per_holder=10,
            resume_limit=100,
            queue_size=100,
            poll_interval=3600,
        )
        try:
            article = await _draft(api, headers, "due-later")
            at = clock.now() + dt.timedelta(hours=1)
            async with live.listen(READERS, holder="reader", after=None) as reader:
                scheduled = await _mutate(
                    api, headers, PUBLISH, id=article["id"], publishAt=at.isoformat()
                )
                clock.advance(dt.timedelta(hours=2))
                # Both followers try at once; the claim lets one write the change.
                await asyncio.gather(live.announce_due(), other.announce_due())
                live.wake()
                published = await _next(reader)
                # Nothing more about it: the next change the reader hears is this edit.
                await _mutate(
                    api,
                    headers,
                    RETITLE,
                    id=article["id"],
                    title="Seen",
                    expectedVersion=scheduled["article"]["version"],
                )
                edited = await _next(reader)
        finally:
            await engine.dispose()
            await writes.dispose()
    article_id = _local_id(article["id"])
    subject = published.change.subject
    # Scheduling it said nothing to readers; its time coming did.
    assert (subject.article_id, subject.event, subject.public) == (article_id, "PUBLISHED", True)
    assert published.change.created_at == at
    assert published.article is not None and published.article.title == "due-later"
    assert (edited.change.subject.article_id, edited.change.subject.event) == (
        article_id,
        "UPDATED",
    )
    rows = await _published_rows(fresh_demo_url, article_id)
    assert [public for public, _ in rows] == [False, True]


async def test_the_follower_announces_a_publication_without_a_dispatcher(
    fresh_demo_url: str,
) -> None:
    headers = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with clocked_client(fresh_demo_url, webhooks_dispatcher=False, **QUIET) as (api, clock):
        live: LiveChanges = api.state["live"]
        article = await _draft(api, headers, "on-time")
        at = clock.now() + dt.timedelta(minutes=5)
        async with live.listen(READERS, holder="reader", after=None) as reader:
            await _mutate(api, headers, PUBLISH, id=article["id"], publishAt=at.isoformat())
            clock.advance(dt.timedelta(minutes=5))
            live.wake()
            published = await _next(reader)
    assert published.change.subject.event == "PUBLISHED"
    assert published.change.subject.article_id == _local_id(article["id"])


async def test_readers_hear_only_withdrawals_of_articles_they_could_see(
    fresh_demo_url: str,
) -> None:
    headers = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with clocked_client(fresh_demo_url, **QUIET) as (api, clock):
        live: LiveChanges = api.state["live"]
        hidden = await _draft(api, headers, "never-shown")
        shown = await _draft(api, headers, "shown")
        later = (clock.now() + dt.timedelta(days=1)).isoformat()
        await _mutate(api, headers, PUBLISH, id=hidden["id"], publishAt=later)
        # From here on, however far the follower has read.
        after = int(await newest_change(fresh_demo_url))
        async with (
            live.listen(READERS, holder="reader", after=after) as reader,
            live.listen(DESK, holder="desk", after=after) as desk,
        ):
            # Scheduled, never visible, then withdrawn: its id must not reach readers.
            await _mutate(api, headers, UNPUBLISH, id=hidden["id"])
            await _mutate(api, headers, PUBLISH, id=shown["id"])
            await _mutate(api, headers, UNPUBLISH, id=shown["id"])
            heard = [await _next(reader), await _next(reader)]
            editors = [await _next(desk) for _ in range(3)]
    hidden_id, shown_id = _local_id(hidden["id"]), _local_id(shown["id"])
    assert [(d.change.subject.article_id, d.change.subject.event) for d in heard] == [
        (shown_id, "PUBLISHED"),
        (shown_id, "UNPUBLISHED"),
    ]
    assert [(d.change.subject.article_id, d.change.subject.event) for d in editors] == [
        (hidden_id, "UNPUBLISHED"),
        (shown_id, "PUBLISHED"),
        (shown_id, "UNPUBLISHED"),
    ]
