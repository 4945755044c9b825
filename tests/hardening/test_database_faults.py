"""A failing PostgreSQL: the API says "unavailable" fast, recovers by itself, loses nothing and
half-writes nothing; SIGTERM lets in-flight requests finish.

The machine's PostgreSQL is shared, so it is never stopped: the API reaches it through a TCP
proxy (tests/hardening/tcp_proxy.py) that the tests break and mend.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text

from api.faults import bound_database_waits
from api.freshness import Freshness
from publishing.access import Role
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine
from publishing.models import Article, ArticleRevision, Footnote, Source, Story
from tests.hardening.servers import ApiServer, running_server
from tests.hardening.tcp_proxy import TcpProxy, proxy_to
from tests.support.client import ApiClient, api_client
from tests.support.lookup import article_id, global_id
from tests.support.tokens import bearer, issue_token

pytestmark = pytest.mark.postgres

# PRESSROOM_DATABASE_TIMEOUT in these tests, seconds: short, yet long enough that healthy
# requests on a busy machine (a new database, a cold API) are not cut off with the hung ones.
TIMEOUT = 3.0
# A request ends at most TIMEOUT + 0.25 s after it arrives (api.faults); the rest is slack
# for a busy test machine (the client, the proxy and the API share one event loop). A hung
# request without the deadline would wait on its stalled connection for good.
BOUND = TIMEOUT + 2.0
LISTING = '{ articles(language: "en", first: 3) { edges { node { slug authors { name } } } } }'
CREATE = """mutation($input: CreateArticleInput!) {
  createArticle(input: $input) {
    __typename ... on CreateArticleSuccess { article { id slug footnotes { key } } }
  }
}"""
TAG = """mutation($slug: String!) {
  createTag(input: {slug: $slug, names: [{language: "en", name: "Tag"}]}) { __typename }
}"""


async def within(seconds: float, request: Any) -> Any:
    """The answer to ``request``; fails the test if it takes longer than ``seconds``."""
    async with asyncio.timeout(seconds):
        return await request


async def in_waves(requests: list[Any], size: int = 10) -> list[Any]:
    """The answers to ``requests``, ``size`` at a time: healthy requests too must end within
    the short deadline of these tests, which forty at once on a busy machine may not."""
    answers = []
    try:
        for start in range(0, len(requests), size):
            answers += await asyncio.gather(*requests[start : start + size])
    finally:
        for request in requests:
            request.close()  # those a failure left unstarted (no "never awaited" warnings)
    return answers


async def _answer(api: ApiClient, query: str, headers: dict[str, str]) -> Any:
    """The JSON answer to ``query``: a 200, or a 503 when it was cut off (with a token, the
    cut-off comes while reading it, before GraphQL: an HTTP refusal)."""
    response = await api.http.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code in (200, 503), response.text
    return response.json()


async def all_answered(api: ApiClient, requests: list[tuple[str, dict[str, str]]]) -> list[Any]:
    """The answers to ``(query, headers)`` requests, sent in waves, each retried while it is cut
    off at the short deadline: on a busy machine a healthy request (a cold API opening its first
    connections) can miss it. Such a cut is UNAVAILABLE; any other error is the answer."""
    answers: list[Any] = [None] * len(requests)
    pending = list(range(len(requests)))
    for _ in range(4):
        got = await in_waves([_answer(api, *requests[i]) for i in pending])
        for i, answer in zip(pending, got, strict=True):
            answers[i] = answer
        pending = [i for i in pending if unavailable(answers[i])]
        if not pending:
            break
    return answers


async def timed(request: Any) -> tuple[float, Any]:
    """How long ``request`` took, and its answer."""
    started = time.monotonic()
    answer = await request
    return time.monotonic() - started, answer


async def _logged(server: ApiServer, line: str, *, within: float = 10.0) -> None:
    """Once ``line`` is in the server's log (polled: another process writes it); fails after
    ``within`` seconds."""
    deadline = time.monotonic() + within
    while line not in server.log():
        assert time.monotonic() < deadline, f"{line!r} not logged:\n{server.log()}"
        await asyncio.sleep(0.05)


def unavailable(result: dict[str, Any]) -> bool:
    errors = result.get("errors") or []
    return bool(errors) and all(e["extensions"]["code"] == "UNAVAILABLE" for e in errors)


async def ready(api: ApiClient) -> int:
    return (await api.http.get("/readyz")).status_code


async def test_a_stopped_database_is_unavailable_then_recovers(postgres_demo_copy: str) -> None:
    token = bearer(await issue_token(postgres_demo_copy, Role.EDITOR))
    new_tag = 'mutation { createTag(input: {slug: "after", names: [{language: "en", name: "A"}]}) '
    new_tag += "{ __typename } }"
    async with (
        proxy_to(postgres_demo_copy) as proxy,
        api_client(
            proxy.url_for(postgres_demo_copy),
            database_timeout=TIMEOUT,
            production=True,  # unavailability is not masked as a crash
            webhooks_dispatcher=False,
        ) as api,
    ):
        assert await ready(api) == 200
        assert "errors" not in await api.query(LISTING)

        await proxy.stop_database()
        assert await within(BOUND, ready(api)) == 503
        down = await within(BOUND, api.query(LISTING))
        assert down["data"] is None and unavailable(down)
        assert "database is unavailable" in down["errors"][0]["message"]
        # In application/graphql-response+json nothing ran: a 503 without `data`.
        newer = await within(
            BOUND,
            api.http.post(
                "/graphql",
                json={"query": LISTING},
                headers={"Accept": "application/graphql-response+json"},
            ),
        )
        assert newer.status_code == 503, newer.text
        assert "data" not in newer.json() and unavailable(newer.json())
        # Reading an editor's token needs the database too: a 503, not a 500.
        refused = await within(
            TIMEOUT + 2, api.http.post("/graphql", json={"query": LISTING}, headers=token)
        )
        assert refused.status_code == 503 and unavailable(refused.json())
        assert refused.headers["retry-after"]

        await proxy.start_database()
        # Back without a restart: the pool replaces its dead connections.
        assert await ready(api) == 200
        assert "errors" not in await api.query(LISTING)
        admin = bearer(await issue_token(postgres_demo_copy, Role.ADMIN))
        assert (await api.data(new_tag, headers=admin))["createTag"]["__typename"] == (
            "CreateTagSuccess"
        )


async def test_a_hung_database_fails_within_a_bounded_time(postgres_demo_copy: str) -> None:
    token = bearer(await issue_token(postgres_demo_copy, Role.ADMIN))  # admins create tags
    mutation = {"query": TAG, "variables": {"slug": "while-hung"}}
    async with (
        proxy_to(postgres_demo_copy) as proxy,
        api_client(
            proxy.url_for(postgres_demo_copy),
            database_timeout=TIMEOUT,
            production=True,
            webhooks_dispatcher=False,
        ) as api,
    ):
        # Pools full of connections that worked a moment ago.
        warm = await all_answered(api, [(LISTING, {})] * 20 + [(LISTING, token)] * 20)
        assert all("errors" not in answer for answer in warm), warm
        proxy.stall()

        # More requests than the pools hold: waiting for a connection, checking it and
        # connecting anew all count against one deadline.
        burst = [
            *(api.http.post("/graphql", json={"query": LISTING}) for _ in range(20)),
            *(api.http.post("/graphql", json=mutation, headers=token) for _ in range(30)),
            *(api.http.get("/readyz") for _ in range(10)),
        ]
        for took, response in await asyncio.gather(*(timed(r) for r in burst)):
            assert took < BOUND, (took, response.text)
            if response.url.path == "/readyz":
                assert response.status_code == 503
            else:
                assert response.status_code in (200, 503) and unavailable(response.json())

        # One at a time, each kind: a query answers in-band, as GraphQL errors do; with a
        # token, reading it is what waits, so a query or mutation gets a 503.
        assert await within(BOUND, ready(api)) == 503
        hung = await within(BOUND, api.query(LISTING))
        assert hung["data"] is None and unavailable(hung), hung
        for body in ({"query": LISTING}, mutation):
            refused = await within(BOUND, api.http.post("/graphql", json=body, headers=token))
            assert refused.status_code == 503 and unavailable(refused.json())

        proxy.resume()
        assert await ready(api) == 200
        # Nothing cancelled above left a broken connection in a pool: a burst of reads all
        # succeed (a broken connection is an error other than a deadline's UNAVAILABLE), a
        # write succeeds, and every connection is back in the pool after them.
        answers = await all_answered(api, [(LISTING, {})] * 20 + [(LISTING, token)] * 20)
        assert all("errors" not in answer for answer in answers), answers
        created = await api.data(TAG, {"slug": "after-hung"}, headers=token)
        assert created["createTag"]["__typename"] == "CreateTagSuccess"
        assert api.state["engine"].pool.checkedout() == 0


@contextlib.asynccontextmanager
async def behind_proxy(url: str) -> AsyncIterator[tuple[TcpProxy, ApiClient]]:
    """An API on ``url`` that reaches its database through a proxy the test can break."""
    async with (
        proxy_to(url) as proxy,
        api_client(proxy.url_for(url), database_timeout=TIMEOUT, webhooks_dispatcher=False) as api,
    ):
        yield proxy, api


async def counts(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return {
                model.__tablename__: await connection.scalar(
                    select(func.count()).select_from(model)
                )
                for model in (Story, Article, Footnote, Source, ArticleRevision)
            }
    finally:
        await engine.dispose()


NEW_ARTICLE = {
    "language": "en",
    "slug": "half-written",
    "title": "Half written?",
    "body": "One claim [^a]. Another [^b].",
    "footnotes": [
        {
            "key": "a",
            "content": "A note.",
            "source": {"title": "A new source", "url": "https://a.example"},
        },
        {"key": "b", "content": "Another note."},
    ],
}


@pytest.mark.parametrize(
    "cut_at",
    [
        b"INSERT INTO footnotes",
        b"DELETE FROM contributor_credits",
        b"INSERT INTO article_revisions",
    ],
)
async def test_a_connection_dying_mid_create_leaves_nothing(
    postgres_demo_copy: str, cut_at: bytes
) -> None:
    url = postgres_demo_copy
    token = bearer(await issue_token(url, Role.EDITOR))
    before = await counts(url)
    async with behind_proxy(url) as (proxy, api):
        proxy.cut_when_sent(cut_at)
        died = await within(10, api.query(CREATE, {"input": NEW_ARTICLE}, headers=token))
        assert proxy.cut_done.is_set(), "the connection was not cut"
        assert unavailable(died), died
        assert await counts(url) == before  # the article row was written, then rolled back

        # Nothing half-written blocks the retry: the slug is free, the result complete.
        again = await api.data(CREATE, {"input": NEW_ARTICLE}, headers=token)
    article = again["createArticle"]["article"]
    assert article["slug"] == "half-written"
    assert [f["key"] for f in article["footnotes"]] == ["a", "b"]


async def test_a_connection_dying_mid_update_changes_nothing(postgres_demo_copy: str) -> None:
    url = postgres_demo_copy
    token = bearer(await issue_token(url, Role.EDITOR))
    target = global_id("Article", await article_id(url, "en", "turkiyes-gas-hub-ambition"))
    state = """query($id: ID!) { node(id: $id) { ... on Article {
      version title body { markdown } footnotes { key content { markdown } } revisions { id }
    } } }"""
    async with api_client(url, webhooks_dispatcher=False) as direct:
        before = (await direct.data(state, {"id": target}, headers=token))["node"]
    update = (
        """mutation($input: UpdateArticleInput!) { updateArticle(input: $input) { __typename } }"""
    )
    changes = {
        "id": target,
        "expectedVersion": before["version"],
        "title": "Rewritten",
        "body": "Only one claim now [^only].",
        "footnotes": [{"key": "only", "content": "The only note."}],
    }
    async with behind_proxy(url) as (proxy, api):
        proxy.cut_when_sent(b"INSERT INTO article_revisions")
        died = await within(10, api.query(update, {"input": changes}, headers=token))
        assert proxy.cut_done.is_set() and unavailable(died), died
        after = (await api.data(state, {"id": target}, headers=token))["node"]
    assert after == before


async def test_a_database_hanging_mid_mutation_rolls_it_back_in_time(
    postgres_demo_copy: str,
) -> None:
    url = postgres_demo_copy
    token = bearer(await issue_token(url, Role.EDITOR))
    before = await counts(url)
    async with behind_proxy(url) as (proxy, api):
        # The token is read and the article row written; then the database stops answering.
        proxy.stall_when_sent(b"INSERT INTO footnotes")
        took, hung = await timed(api.query(CREATE, {"input": NEW_ARTICLE}, headers=token))
        assert proxy.holding.is_set(), "the mutation never reached the stalled statement"
        assert took < BOUND and hung["data"] is None and unavailable(hung), (took, hung)
        assert await counts(url) == before

        proxy.resume()  # the held statement reaches the server, on a connection given up
        again = await api.data(CREATE, {"input": NEW_ARTICLE}, headers=token)
    assert again["createArticle"]["article"]["slug"] == "half-written"
    after = await counts(url)
    assert after["articles"] == before["articles"] + 1
    assert after["footnotes"] == before["footnotes"] + 2


async def test_sigterm_lets_an_in_flight_request_finish(
    postgres_demo_copy: str, tmp_path: Path
) -> None:
    async with proxy_to(postgres_demo_copy) as proxy:
        with running_server(
            proxy.url_for(postgres_demo_copy), tmp_path, database_timeout=30
        ) as server:
            async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
                warm = await http.post("/graphql", json={"query": LISTING})
                assert warm.status_code == 200

                # The database stops answering, so the next request waits on it.
                proxy.stall()
                in_flight = asyncio.create_task(http.post("/graphql", json={"query": LISTING}))
                await asyncio.wait_for(proxy.holding.wait(), timeout=10)

                server.terminate()
                # It stops listening and waits for the request, rather than quitting.
                await _logged(server, "Waiting for connections to close")
                assert server.process.poll() is None, "the server quit with a request in flight"
                # It takes no new work meanwhile.
                with pytest.raises(httpx.TransportError):
                    await httpx.AsyncClient(timeout=2).get(f"{server.url}/healthz")

                proxy.resume()
                response = await asyncio.wait_for(in_flight, timeout=20)
            assert response.status_code == 200
            assert len(response.json()["data"]["articles"]["edges"]) == 3
            returncode = await asyncio.to_thread(server.wait, 20)
    # Uvicorn shuts down cleanly, then re-raises the signal so the exit status names it.
    assert returncode in (0, -signal.SIGTERM)
    log = server.log()
    for step in ("Waiting for connections to close", "Application shutdown complete"):
        assert step in log
    # The in-flight request was answered between the signal and the shutdown.
    answered = '"method":"POST","path":"/graphql","operation":null,"status":200'
    assert log.index(answered, log.index("Shutting down")) < log.index(
        "Application shutdown complete"
    )


async def test_the_proxy_reaches_the_database(postgres_demo_copy: str) -> None:
    """The faults above are the proxy's doing: through it, the database answers normally."""
    async with proxy_to(postgres_demo_copy) as proxy:
        engine = create_engine(proxy.url_for(postgres_demo_copy))
        try:
            async with engine.connect() as connection:
                assert await connection.scalar(text("SELECT 1")) == 1
        finally:
            await engine.dispose()


async def test_a_check_every_request_gave_up_on_fails_quietly(postgres_demo_copy: str) -> None:
    """The response cache's change-log check is shared by the requests waiting on it. When all
    of them were cut off at their deadline, its later failure has no one to read it: that must
    not surface as an unhandled error (asyncio's "exception was never retrieved")."""
    loop = asyncio.get_running_loop()
    unhandled: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: unhandled.append(context))
    try:
        async with proxy_to(postgres_demo_copy) as proxy:
            engine = create_engine(
                proxy.url_for(postgres_demo_copy), timeout=TIMEOUT, pool_pre_ping=False
            )
            bound_database_waits(engine, TIMEOUT)
            freshness = Freshness(engine, clock=SYSTEM_CLOCK)
            try:
                await freshness.sync()
                proxy.stall()
                with pytest.raises(TimeoutError):
                    async with asyncio.timeout(TIMEOUT / 4):  # the request's deadline
                        await freshness.sync()
                # The check itself gives up at the statement timeout, after the request did.
                # Waited for without reading its outcome (asyncio.wait reads none), then let go.
                stalled = freshness._inflight
                assert stalled is not None
                await asyncio.wait([stalled], timeout=TIMEOUT * 5)
                assert stalled.done(), "the stalled check never gave up"
                del stalled
                gc.collect()
                await asyncio.sleep(0)
                assert freshness.checks == 1  # the stalled check did not complete
            finally:
                proxy.resume()
                await engine.dispose()
    finally:
        loop.set_exception_handler(previous)
    assert not unhandled, [context.get("message") for context in unhandled]
