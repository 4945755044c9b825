"""The caching edge in front of the GraphQL endpoint.

- Persisted queries are resolved first (``api.persisted``), so everything below sees the
  document, GETs by hash included.
- Then each operation goes through five steps (``CachingEdge.serve``):
  *decide* whether its answer may be shared at all (``api.cache_policy``: anonymous queries
  only, no preview); *look up* an answer in the response cache, good while nothing it holds
  has changed since (``api.freshness``); else *run* it, recording the surrogate keys of
  every row it reads and what its execution gave (``api.graphql.Outcome``); *store* the
  answer when it is complete (no errors); *answer* with the headers below.
- GET answers for anonymous readers are public: ``Cache-Control`` with max-age and
  stale-while-revalidate, an ``ETag`` (``304`` on ``If-None-Match``) and ``Surrogate-Key``
  naming the content, so a CDN can purge exactly what a write changed. A token, a preview
  token or a mutation makes an answer ``private, no-store``.
- An unreachable Redis or an unreadable change log costs the cache, never the answer; a
  database that does not answer gets UNAVAILABLE at once.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Receive, Scope, Send

from api.cache_policy import (
    BYPASS_CACHE_CONTROL,
    Decision,
    cacheable,
    decide,
    depends_on,
    read_operation,
)
from api.cache_store import Entry, LocalStore, RedisStore, Store, StoreUnavailable
from api.edge_http import (
    Captured,
    GraphQLRequest,
    etag,
    etag_matches,
    is_event_stream,
    is_upload,
    run_captured,
    send_answer,
)
from api.envelope import INVALID_REQUEST, EnvelopeError
from api.errors import describe_database_error
from api.faults import bound_database_waits
from api.freshness import Freshness
from api.graphql import Outcome, expect_outcome
from api.persisted import (
    LocalDocuments,
    PersistedQueries,
    PersistedQueryError,
    RedisDocuments,
    load_manifest,
)
from api.ratelimit import refuse_cached_answer
from api.settings import Settings
from publishing.changes.tracking import tracking
from publishing.clock import Clock
from publishing.db import create_engine
from schema.unavailable import MESSAGE, UNAVAILABLE, is_unavailable

logger = logging.getLogger(__name__)

VARY = "Authorization, Accept"
CACHE_STATUS = "x-pressroom-cache"
# What reading the change log fails with when the database is unreachable or unmigrated.
CHANGE_LOG_ERRORS = (SQLAlchemyError, OSError)
UNAVAILABLE_BODY = orjson.dumps(
    {"data": None, "errors": [{"message": MESSAGE, "extensions": {"code": UNAVAILABLE}}]}
)


@dataclass
class Caching:
    """What the edge needs, made once per process by the lifespan."""

    settings: Settings
    persisted: PersistedQueries
    store: Store | None
    freshness: Freshness | None
    clock: Clock
    redis: Any = None


@contextlib.asynccontextmanager
async def open_caching(settings: Settings, clock: Clock) -> AsyncIterator[Caching]:
    redis = None
    if settings.redis_url:
        import redis.asyncio as redis_asyncio

        redis = redis_asyncio.from_url(settings.redis_url)
    local_documents = LocalDocuments()
    documents = local_documents if redis is None else RedisDocuments(redis, local_documents)
    trusted = load_manifest(settings.trusted_documents) if settings.trusted_documents else None
    store: Store | None = None
    freshness = None
    log_engine = None
    if settings.response_cache:
        ttl = settings.response_cache_ttl
        store = (
            RedisStore(redis, ttl=ttl)
            if redis is not None
            else LocalStore(max_bytes=settings.response_cache_max_bytes, ttl=ttl, clock=clock)
        )
        # The change log is read through a small engine of its own: the check never waits
        # behind the requests' pool, and reads of content are counted apart from it.
        log_engine = create_engine(
            settings.database_url,
            timeout=settings.database_timeout,
            pool_size=2,
            max_overflow=2,
            pool_pre_ping=False,
        )
        bound_database_waits(log_engine, settings.database_timeout)
        freshness = Freshness(
            log_engine, clock=clock, interval=settings.response_cache_check_interval
        )
    try:
        yield Caching(
            settings, PersistedQueries(documents, trusted), store, freshness, clock, redis
        )
    finally:
        if redis is not None:
            await redis.aclose()
        if log_engine is not None:
            await log_engine.dispose()


# -- the steps -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Lookup:
    """What the response cache gave for a request."""

    # x-pressroom-cache of an answer computed now: "miss", or "bypass" when the cache cannot
    # be used (that answer is not kept).
    status: str
    entry: Entry | None = None  # a fresh answer: a hit
    store: Store | None = None  # where an answer computed now is kept; None: nowhere
    seen: int = -1  # the change-log id such an answer is computed at
    unavailable: bool = False  # the database does not answer: nor would the operation


async def look_up(caching: Caching, key: str) -> Lookup:
    store, freshness = caching.store, caching.freshness
    if store is None or freshness is None:
        return Lookup("miss")  # the response cache is off
    try:
        await freshness.sync()
    except CHANGE_LOG_ERRORS as error:
        if is_unavailable(error):
            return Lookup("bypass", unavailable=True)
        # An unmigrated database, say: that only costs the cache. The query may still answer,
        # or fail with an error the GraphQL layer reports (masked in production).
        logger.warning(
            "response cache bypassed: change log unreadable (%s)", describe_database_error(error)
        )
        return Lookup("bypass")
    try:
        entry = await store.get(key)
    except StoreUnavailable:
        return Lookup("bypass")
    if entry is not None and freshness.valid(entry):
        return Lookup("hit", entry=entry)
    seen = freshness.seen if freshness.seen is not None else -1  # -1: no check completed yet
    return Lookup("miss", store=store, seen=seen)


@dataclass(frozen=True, slots=True)
class Run:
    """The endpoint's answer, with what producing it read and gave."""

    captured: Captured
    outcome: Outcome
    read: set[str]  # surrogate keys of every row loaded
    computed_at: float  # Unix time, taken before any read


async def run(app: ASGIApp, request: GraphQLRequest, clock: Clock, *, shared: bool) -> Run:
    """``shared``: the answer may reach other readers (the response cache keeps it, or HTTP
    caches may: a public GET), so it reports no client's budget."""
    computed_at = clock.now().timestamp()
    scope, outcome = expect_outcome(request.scope, shared=shared)
    with tracking() as read:
        captured = await run_captured(app, scope, request.receive())
    return Run(captured, outcome, read, computed_at)


async def store(lookup: Lookup, key: str, entry: Entry) -> None:
    if lookup.store is None:
        return
    with contextlib.suppress(StoreUnavailable):  # it only costs the next request a miss
        await lookup.store.put(key, entry)


async def answer(
    settings: Settings, request: GraphQLRequest, entry: Entry, status: str, send: Send
) -> None:
    """A shareable answer: with its ETag and surrogate keys; public to HTTP caches by GET."""
    headers = {"vary": VARY, "etag": entry.etag, CACHE_STATUS: status}
    if entry.keys:
        headers["surrogate-key"] = " ".join(sorted(entry.keys))
    if request.method == "GET":
        headers["cache-control"] = (
            f"public, max-age={settings.cache_max_age}, "
            f"stale-while-revalidate={settings.cache_stale_while_revalidate}"
        )
        if etag_matches(request.headers, entry.etag):
            await send_answer(send, 304, b"", headers, [])
            return
    await send_answer(send, 200, entry.body, headers)


async def answer_unshared(captured: Captured, cache_control: str | None, send: Send) -> None:
    headers = {"vary": VARY, CACHE_STATUS: "bypass"}
    if cache_control is not None:
        headers["cache-control"] = cache_control
    await send_answer(send, captured.status, captured.body, headers, captured.headers)


# -- the edge --------------------------------------------------------------------------------


class CachingEdge:
    """ASGI wrapper around the GraphQL endpoint (see the module's docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        caching: Caching | None = scope.get("state", {}).get("caching")
        if (
            scope["type"] != "http"
            or caching is None
            or scope["method"] not in ("GET", "POST")
            or is_upload(scope)
        ):
            # An upload is a mutation (never cached) and may be large: passed on unread.
            await self.app(scope, receive, send)
            return
        try:
            request = await GraphQLRequest.read(scope, receive)
            if not request.names_an_operation and request.method == "POST":
                raise EnvelopeError(
                    "The request names no operation: send `query` (or a persisted query's "
                    "hash in `extensions.persistedQuery` or `documentId`).",
                    INVALID_REQUEST,
                )
        except EnvelopeError as refused:
            headers = {"cache-control": "no-store", "vary": VARY}
            await send_answer(send, refused.status, refused.body(), headers)
            return
        if not request.names_an_operation:
            # A GET without parameters: the IDE page, where it is on.
            await self.app(scope, request.receive(), send)
            return
        try:
            document = await caching.persisted.resolve(request.params)
        except PersistedQueryError as refused:
            headers = {"cache-control": "no-store", "vary": VARY}
            await send_answer(send, 200, orjson.dumps(refused.body()), headers)
            return
        if document is None:
            await self.app(scope, request.receive(), send)
            return
        if document != request.params.get("query"):
            request = request.with_document(document)
        if is_event_stream(scope):
            # A subscription over SSE: a stream per client, nothing to cache or look up.
            await self.app(scope, request.receive(then=receive), send)
            return
        await self.serve(caching, request, document, send)

    async def serve(
        self, caching: Caching, request: GraphQLRequest, document: str, send: Send
    ) -> None:
        """Decide, look up, run, store, answer."""
        operation = read_operation(document, request.operation_name)
        decision = decide(operation, anonymous=request.anonymous)
        if decision is not Decision.PUBLIC or operation is None:
            captured = await run_captured(self.app, request.scope, request.receive())
            await answer_unshared(captured, BYPASS_CACHE_CONTROL.get(decision), send)
            return

        key = request.cache_key(document)
        lookup = await look_up(caching, key)
        if lookup.unavailable:
            # The database does not answer: say so now, rather than wait for it again.
            headers = {"cache-control": "no-store", "vary": VARY, CACHE_STATUS: "bypass"}
            await send_answer(send, 200, UNAVAILABLE_BODY, headers)
            return
        if lookup.entry is not None:
            # Cheap, not free: a client over its budget is refused these too.
            refused = await refuse_cached_answer(request.scope, caching.settings.max_cost)
            if refused is not None:
                body, retry_after = refused
                headers = {"cache-control": "no-store", "vary": VARY, "retry-after": retry_after}
                await send_answer(send, 429, body, headers)
                return
            await answer(caching.settings, request, lookup.entry, "hit", send)
            return

        shared = lookup.store is not None or request.method == "GET"
        result = await run(self.app, request, caching.clock, shared=shared)
        if not cacheable(result.captured.status, result.outcome):
            await answer_unshared(result.captured, "no-store", send)
            return
        freshness = caching.freshness
        listing_keys = freshness.listing_keys if freshness is not None else frozenset()
        page_keys = freshness.page_listing_keys if freshness is not None else frozenset()
        body = result.captured.body
        keys = depends_on(operation, result.outcome, result.read, listing_keys, page_keys)
        entry = Entry(body, etag(body), keys, lookup.seen, result.computed_at)
        await store(lookup, key, entry)
        await answer(caching.settings, request, entry, lookup.status, send)
