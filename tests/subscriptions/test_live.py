"""Live updates through a running server: subscriptions over WebSocket and SSE, fed by the
change log, with visibility checked per subscriber, resume with `after`, and limits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from publishing.access import Role
from tests.hardening.servers import ApiServer, running_server
from tests.subscriptions.clients import (
    ARTICLE_CHANGED,
    ARTICLES_CHANGED,
    event_stream,
    newest_change,
    socket,
)
from tests.support.tokens import bearer, issue_token

pytestmark = pytest.mark.anyio

FIRST_PUBLISHED = (
    """{ articles(language: "en", first: 1) { edges { node { id version title } } } }"""
)
CREATE = """mutation($input: CreateArticleInput!) { createArticle(input: $input) {
  __typename ... on CreateArticleSuccess { article { id version } } } }"""
UPDATE = """mutation($input: UpdateArticleInput!) { updateArticle(input: $input) {
  __typename ... on UpdateArticleSuccess { article { version } } } }"""
PUBLISH = """mutation($input: PublishArticleInput!) { publishArticle(input: $input) {
  __typename ... on ArticleStatusSuccess { article { version } } } }"""
DELETE = """mutation($input: ArticleStatusInput!) { deleteArticle(input: $input) { __typename } }"""


@pytest.fixture
def server(fresh_demo_url: str, tmp_path: Path) -> Iterator[ApiServer]:
    with running_server(fresh_demo_url, tmp_path, live_max_per_connection=2) as api:
        yield api


async def _run(url: str, query: str, variables: dict[str, Any], token: str | None = None) -> Any:
    async with httpx.AsyncClient(timeout=60) as http:
        response = await http.post(
            url,
            json={"query": query, "variables": variables},
            headers=bearer(token) if token else {},
        )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]


async def _first_published(url: str) -> dict[str, Any]:
    data = await _run(url, FIRST_PUBLISHED, {})
    node: dict[str, Any] = data["articles"]["edges"][0]["node"]
    return node


async def _retitle(url: str, article: dict[str, Any], title: str, token: str) -> dict[str, Any]:
    data = await _run(
        url,
        UPDATE,
        {"input": {"id": article["id"], "expectedVersion": article["version"], "title": title}},
        token,
    )
    assert data["updateArticle"]["__typename"] == "UpdateArticleSuccess", data
    return {**article, "version": data["updateArticle"]["article"]["version"], "title": title}


async def _create_draft(url: str, token: str, slug: str) -> dict[str, Any]:
    data = await _run(
        url, CREATE, {"input": {"language": "en", "slug": slug, "title": slug.title()}}, token
    )
    article: dict[str, Any] = data["createArticle"]["article"]
    return article


async def test_websocket_readers_hear_public_changes_editors_drafts_too(
    server: ApiServer, fresh_demo_url: str
) -> None:
    editor = await issue_token(fresh_demo_url, Role.EDITOR)
    after = await newest_change(fresh_demo_url)
    url = server.graphql_url
    async with socket(url) as reader, socket(url, editor) as desk:
        await reader.subscribe(ARTICLES_CHANGED, {"language": "en", "after": after})
        await desk.subscribe(ARTICLES_CHANGED, {"after": after})
        draft = await _create_draft(url, editor, "live-draft")
        published = await _run(url, PUBLISH, {"input": {"id": draft["id"]}}, editor)
        assert published["publishArticle"]["__typename"] == "ArticleStatusSuccess"

        created = await desk.change()
        assert (created["kind"], created["articleId"]) == ("CREATED", draft["id"])
        # The article as it is now: published by the time the event is read.
        assert created["article"]["title"] == "Live-Draft"
        assert (await desk.change())["kind"] == "PUBLISHED"
        # The reader never heard of the draft: its first event is the publication.
        heard = await reader.change()
        assert (heard["kind"], heard["articleId"]) == ("PUBLISHED", draft["id"])
        assert heard["article"] == {"title": "Live-Draft", "status": "PUBLISHED"}
        assert int(heard["changeId"]) > int(after)


async def test_a_deleted_article_arrives_as_its_id(server: ApiServer, fresh_demo_url: str) -> None:
    editor = await issue_token(fresh_demo_url, Role.EDITOR)
    url = server.graphql_url
    article = await _first_published(url)
    after = await newest_change(fresh_demo_url)
    async with socket(url) as reader:
        await reader.subscribe(ARTICLE_CHANGED, {"id": article["id"], "after": after})
        deleted = await _run(url, DELETE, {"input": {"id": article["id"]}}, editor)
        assert deleted["deleteArticle"]["__typename"] == "DeleteArticleSuccess", deleted
        change = await reader.change()
    assert change["kind"] == "DELETED"
    assert change["articleId"] == article["id"]
    assert change["article"] is None


async def test_sse_streams_changes_and_resumes_after_a_dropped_connection(
    server: ApiServer, fresh_demo_url: str
) -> None:
    editor = await issue_token(fresh_demo_url, Role.EDITOR)
    url = server.graphql_url
    article = await _first_published(url)
    after = await newest_change(fresh_demo_url)
    variables = {"id": article["id"], "after": after}
    async with httpx.AsyncClient(timeout=60) as http:
        async with event_stream(http, url, ARTICLE_CHANGED, variables) as stream:
            article = await _retitle(url, article, "First edit", editor)
            first = await stream.change()
        assert (first["kind"], first["article"]["title"]) == ("UPDATED", "First edit")
        # Disconnected: two edits go by unheard.
        article = await _retitle(url, article, "Second edit", editor)
        article = await _retitle(url, article, "Third edit", editor)
        resumed = {"id": article["id"], "after": first["changeId"]}
        async with event_stream(http, url, ARTICLE_CHANGED, resumed) as stream:
            second, third = await stream.change(), await stream.change()
    assert second["kind"] == third["kind"] == "UPDATED"
    assert int(first["changeId"]) < int(second["changeId"]) < int(third["changeId"])
    # Each event carries the article as it is when delivered.
    assert third["article"]["title"] == "Third edit"


async def test_resuming_from_a_change_the_log_no_longer_holds_says_refetch(
    server: ApiServer, fresh_demo_url: str
) -> None:
    newest = int(await newest_change(fresh_demo_url))
    variables = {"language": "en", "after": str(newest + 1000)}
    async with (
        httpx.AsyncClient(timeout=60) as http,
        event_stream(http, server.graphql_url, ARTICLES_CHANGED, variables) as stream,
    ):
        name, data = await stream.event()
        assert name == "next"
        assert data["errors"][0]["extensions"]["code"] == "RESUME_TOO_OLD"
        assert "Fetch the articles again" in data["errors"][0]["message"]
        assert (await stream.event())[0] == "complete"


async def test_limits_per_connection_and_bad_tokens(server: ApiServer, fresh_demo_url: str) -> None:
    url = server.graphql_url
    async with socket(url) as reader:
        for _ in range(2):
            await reader.subscribe(ARTICLES_CHANGED)
        third = await reader.subscribe(ARTICLES_CHANGED)
        refused = await reader.receive()
        ended = await reader.receive()
    # The refusal is the subscription's one result, then it completes; the others go on.
    assert (refused["type"], refused["id"]) == ("next", third)
    error = refused["payload"]["errors"][0]
    assert error["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"
    assert "at most 2 subscriptions" in error["message"]
    assert ended == {"type": "complete", "id": third}

    with pytest.raises(ConnectionClosed) as closed:
        async with socket(url, init={"Authorization": "Bearer not-a-token"}):
            pass
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_limit_per_token_across_connections(fresh_demo_url: str, tmp_path: Path) -> None:
    editor = await issue_token(fresh_demo_url, Role.EDITOR)
    with running_server(fresh_demo_url, tmp_path, live_max_per_token=2) as server:
        url = server.graphql_url
        article = await _first_published(url)
        before = await newest_change(fresh_demo_url)
        await _retitle(url, article, "Heard by all", editor)
        variables = {"id": article["id"], "after": before}
        async with socket(url, editor) as first, socket(url, editor) as second:
            await first.subscribe(ARTICLE_CHANGED, variables)
            await second.subscribe(ARTICLE_CHANGED, variables)
            # Each has its first change: both are counted.
            assert (await first.change())["kind"] == "UPDATED"
            assert (await second.change())["kind"] == "UPDATED"
            async with (
                httpx.AsyncClient(timeout=60) as http,
                event_stream(http, url, ARTICLE_CHANGED, variables, editor) as third,
            ):
                name, data = await third.event()
            # A reader without a token is another holder.
            async with socket(url) as reader:
                await reader.subscribe(ARTICLE_CHANGED, variables)
                assert (await reader.change())["kind"] == "UPDATED"
    assert name == "next"
    assert data["errors"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"
    assert "at most 2 subscriptions" in data["errors"][0]["message"]


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_a_change_through_one_process_reaches_subscribers_of_another(
    fresh_demo_url: str, tmp_path: Path
) -> None:
    editor = await issue_token(fresh_demo_url, Role.EDITOR)
    # No polling to speak of: only PostgreSQL's notifications can bring the change over.
    quiet = {"live_poll_interval": 3600}
    with (
        running_server(fresh_demo_url, tmp_path, **quiet) as listening,
        running_server(fresh_demo_url, tmp_path, **quiet) as writing,
    ):
        article = await _first_published(writing.graphql_url)
        before = await newest_change(fresh_demo_url)
        article = await _retitle(writing.graphql_url, article, "Read back", editor)
        async with socket(listening.graphql_url) as reader:
            await reader.subscribe(ARTICLE_CHANGED, {"id": article["id"], "after": before})
            # From the log: the subscription is in place once this arrives.
            assert (await reader.change())["article"]["title"] == "Read back"
            await _retitle(writing.graphql_url, article, "Sent live", editor)
            live = await reader.change()
    assert (live["kind"], live["article"]["title"]) == ("UPDATED", "Sent live")


@pytest.fixture
def redis_url() -> Iterator[str]:
    import redis

    # A database of its own (the channel is named after it); what the servers cached goes.
    url = "redis://127.0.0.1:6379/12"
    client = redis.Redis.from_url(url)
    client.ping()  # CI starts Redis (.ci/run): no Redis is a failure, not a skip
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_redis_carries_a_change_between_processes_on_one_sqlite_file(
    fresh_demo_url: str, tmp_path: Path, redis_url: str
) -> None:
    editor = await issue_token(fresh_demo_url, Role.EDITOR)
    # No polling to speak of: only Redis can bring the change over.
    quiet = {"live_poll_interval": 3600, "redis_url": redis_url}
    with (
        running_server(fresh_demo_url, tmp_path, **quiet) as listening,
        running_server(fresh_demo_url, tmp_path, **quiet) as writing,
    ):
        article = await _first_published(writing.graphql_url)
        before = await newest_change(fresh_demo_url)
        article = await _retitle(writing.graphql_url, article, "Read back", editor)
        async with socket(listening.graphql_url) as reader:
            await reader.subscribe(ARTICLE_CHANGED, {"id": article["id"], "after": before})
            # From the log: the subscription is in place once this arrives.
            assert (await reader.change())["article"]["title"] == "Read back"
            await _retitle(writing.graphql_url, article, "Sent live", editor)
            live = await reader.change()
    assert (live["kind"], live["article"]["title"]) == ("UPDATED", "Sent live")
