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
- Answers are compressed as the client's ``Accept-Encoding`` asks (``api.compression``); a
  stored answer keeps its coded forms, so a hit compresses nothing.
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
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from api.access_log import record_of
from api.cache_policy import (
    BYPASS_CACHE_CONTROL,
    Decision,
    cacheable,
    decide,
    depends_on,
    read_operation,
)
from api.cache_store import Entry, LocalStore, RedisStore, Store, StoreUnavailable
from api.compression import Compression, etag_matches
from api.edge_http import (
    Captured,
    GraphQLRequest,
    etag,
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
from api.media_types import (
    GRAPHQL_RESPONSE_JSON,
    accepted,
    answering_as,
    representation_etag,
    without_body,
)
from api.metrics import Metrics
from api.persisted import (
    LocalDocuments,
    PersistedQueries,
    PersistedQueryError,
    RedisDocuments,
    load_manifest,
)
from api.ratelimit import CACHED_ANSWER_COST, refuse_cached_answer
from api.settings import Settings
from publishing.changes.tracking import tracking
from publishing.clock import Clock
from publishing.db import create_engine
from schema.unavailable import MESSAGE, UNAVAILABLE, is_unavailable

logger = logging.getLogger(__name__)

VARY = "Authorization, Accept, Accept-Encoding"
CACHE_STATUS = "x-pressroom-cache"
# What reading the change log fails with when the database is unreachable or unmigrated.
CHANGE_LOG_ERRORS = (SQLAlchemyError, OSError)
UNAVAILABLE_ERRORS = [{"message": MESSAGE, "extensions": {"code": UNAVAILABLE}}]
UNAVAILABLE_BODY = orjson.dumps({"data": None, "errors": UNAVAILABLE_ERRORS})
# In application/graphql-response+json, nothing ran: a request error, without `data`.
UNAVAILABLE_REQUEST_ERROR = orjson.dumps({"errors": UNAVAILABLE_ERRORS})


@dataclass
class Caching:
    """What the edge needs, made once per process by the lifespan."""

    settings: Settings
    persisted: PersistedQueries
    store: Store | None
    freshness: Freshness | None
    clock: Clock
    compression: Compression
    redis: Any = None


@contextlib.asynccontextmanager
async def open_caching(
    settings: Settings, clock: Clock, metrics: Metrics | None = None
) -> AsyncIterator[Caching]:
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
        if metrics is not None:
            metrics.watch_engine(log_engine, "change_log")
        freshness = Freshness(
            log_engine,
            clock=clock,
            interval=settings.response_cache_check_interval,
            on_check=None if metrics is None else metrics.change_log_checked,
        )
    try:
        yield Caching(
            settings,
            PersistedQueries(documents, trusted),
            store,
            freshness,
            clock,
            Compression(settings.compression_min_bytes),
            redis,
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
    caching: Caching, request: GraphQLRequest, entry: Entry, status: str, send: Send
) -> None:
    """A shareable answer: with its ETag and surrogate keys; public to HTTP caches by GET.
    One stored body serves both media types (it holds no error, so they answer it alike);
    each type has its own ETag, so an HTTP cache revalidating one never gets the other, and
    each coding of it one of its own (see api.compression)."""
    settings = caching.settings
    tag = representation_etag(entry.etag, accepted(request.headers))
    coded = caching.compression.code(request.headers, entry.body, tag, entry.encoded)
    headers = {**coded.headers(), "vary": VARY, CACHE_STATUS: status}
    if entry.keys:
        headers["surrogate-key"] = " ".join(sorted(entry.keys))
    if request.method == "GET":
        headers["cache-control"] = (
            f"public, max-age={settings.cache_max_age}, "
            f"stale-while-revalidate={settings.cache_stale_while_revalidate}"
        )
        if etag_matches(request.headers, tag):
            headers.pop("content-encoding", None)  # a 304 has no body to be coded
            await send_answer(send, 304, b"", headers, [])
            return
    await send_answer(send, 200, coded.body, headers)


async def answer_unshared(
    caching: Caching,
    request: GraphQLRequest,
    captured: Captured,
    cache_control: str | None,
    send: Send,
) -> None:
    coded = caching.compression.code(request.headers, captured.body)
    headers = {**coded.headers(), "vary": VARY, CACHE_STATUS: "bypass"}
    if cache_control is not None:
        headers["cache-control"] = cache_control
    await send_answer(send, captured.status, coded.body, headers, captured.headers)


# -- the edge --------------------------------------------------------------------------------


class CachingEdge:
    """ASGI wrapper around the GraphQL endpoint (see the module's docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            # Every JSON answer of the endpoint, its refusals included, in the negotiated type.
            send = answering_as(accepted(Headers(scope=scope)), send)
            if scope["method"] == "HEAD":
                # Answered as its GET would be, headers (coding and length) and all, minus
                # the body (RFC 9110), as the route's `Allow` promises.
                scope, send = {**scope, "method": "GET"}, without_body(send)
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
        record = record_of(scope)
        if record is not None:
            record.graphql = True
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
            if record is not None:
                record.error = refused.code  # answered with 200, as Apollo's clients expect
            headers = {"cache-control": "no-store", "vary": VARY}
            status = refused.status(accepted(request.headers))
            await send_answer(send, status, orjson.dumps(refused.body()), headers)
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
        record = record_of(request.scope)
        if record is not None:
            record.operation = None if operation is None else operation.name
            record.cache = None if caching.store is None else "bypass"
        decision = decide(operation, anonymous=request.anonymous)
        if decision is not Decision.PUBLIC or operation is None:
            captured = await run_captured(self.app, request.scope, request.receive())
            cache_control = BYPASS_CACHE_CONTROL.get(decision)
            await answer_unshared(caching, request, captured, cache_control, send)
            return

        key = request.cache_key(document)
        lookup = await look_up(caching, key)
        if record is not None and caching.store is not None:
            record.cache = "hit" if lookup.entry is not None else lookup.status
        if lookup.unavailable:
            # The database does not answer: say so now, rather than wait for it again.
            if record is not None:
                record.error = UNAVAILABLE
            headers = {"cache-control": "no-store", "vary": VARY, CACHE_STATUS: "bypass"}
            if accepted(request.headers) == GRAPHQL_RESPONSE_JSON:
                await send_answer(send, 503, UNAVAILABLE_REQUEST_ERROR, headers)
            else:
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
            if record is not None and request.scope.get("state", {}).get("budgets") is not None:
                record.cost = CACHED_ANSWER_COST
            await answer(caching, request, lookup.entry, "hit", send)
            return

        shared = lookup.store is not None or request.method == "GET"
        result = await run(self.app, request, caching.clock, shared=shared)
        if not cacheable(result.captured.status, result.outcome):
            await answer_unshared(caching, request, result.captured, "no-store", send)
            return
        freshness = caching.freshness
        listing_keys = freshness.listing_keys if freshness is not None else frozenset()
        page_keys = freshness.page_listing_keys if freshness is not None else frozenset()
        body = result.captured.body
        keys = depends_on(operation, result.outcome, result.read, listing_keys, page_keys)
        # Coded once, when kept: every hit is then sent as it is.
        encoded = caching.compression.encode_all(body) if lookup.store is not None else {}
        entry = Entry(body, etag(body), keys, lookup.seen, result.computed_at, encoded)
        await store(lookup, key, entry)
        await answer(caching, request, entry, lookup.status, send)
