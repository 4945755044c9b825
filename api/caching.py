"""The caching edge in front of the GraphQL endpoint.

- Persisted queries are resolved first (``api.persisted``), so everything below sees the
  document, GETs by hash included.
- Anonymous queries are answered from the response cache when what they hold has not changed
  since (``api.freshness``); otherwise they run, and the surrogate keys of every row read are
  recorded with the answer.
- GET answers for anonymous readers are public: ``Cache-Control`` with max-age and
  stale-while-revalidate, an ``ETag`` (``304`` on ``If-None-Match``) and ``Surrogate-Key``
  naming the content, so a CDN can purge exactly what a write changed. A token, a preview
  token or a mutation makes an answer ``private, no-store``.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson
from graphql import FieldNode, GraphQLError, OperationDefinitionNode, parse
from graphql.language import Visitor, visit
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.cache_store import Entry, LocalStore, RedisStore, Store
from api.errors import describe_database_error
from api.faults import bound_database_waits
from api.freshness import ANY_CHANGE, Freshness
from api.persisted import (
    LocalDocuments,
    PersistedQueries,
    PersistedQueryError,
    RedisDocuments,
    load_manifest,
)
from api.settings import Settings
from publishing.changes.tracking import tracking
from publishing.clock import Clock
from publishing.db import create_engine
from schema.unavailable import MESSAGE, UNAVAILABLE, is_unavailable

logger = logging.getLogger(__name__)

# Fields whose answer changes when any article in a language becomes visible or goes away,
# not only the ones it shows: listings, similar posts, search.
LISTING_FIELDS = frozenset({"articles", "similar", "search"})
# Root fields listing what any write may add to: a new author or tag is in no key yet.
COLLECTION_ROOTS = frozenset({"authors", "tags", "search"})
# Fields that are never public, whoever asks.
PRIVATE_FIELDS = frozenset({"articlePreview"})
VARY = "Authorization, Accept"
CACHE_STATUS = "x-pressroom-cache"


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


# -- the request -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Operation:
    kind: str  # "query", "mutation", "subscription"
    root_keys: tuple[str, ...]  # response keys of the root fields (aliases included)
    lists: bool  # selects a listing, similar posts or search somewhere
    collections: bool  # a root field lists authors or tags
    private: bool


@lru_cache(maxsize=512)
def _operation(document: str, operation_name: str | None) -> Operation | None:
    """What the edge must know of an operation; None when it does not parse or is ambiguous
    (the endpoint then reports the problem)."""
    try:
        ast = parse(document)
    except GraphQLError:
        return None
    operations = [d for d in ast.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        return None
    names: set[str] = set()

    class Fields(Visitor):
        def enter_field(self, node: FieldNode, *_args: Any) -> None:
            names.add(node.name.value)

    visit(ast, Fields())
    operation = operations[0]
    roots = [s for s in operation.selection_set.selections if isinstance(s, FieldNode)]
    root_keys = tuple((s.alias or s.name).value for s in roots)
    return Operation(
        kind=operation.operation.value,
        root_keys=root_keys,
        lists=bool(names & LISTING_FIELDS),
        collections=any(s.name.value in COLLECTION_ROOTS for s in roots),
        private=bool(names & PRIVATE_FIELDS),
    )


@dataclass
class _Request:
    scope: Scope
    body: bytes
    params: dict[str, Any] | None
    headers: Headers = field(init=False)

    def __post_init__(self) -> None:
        self.headers = Headers(scope=self.scope)

    @property
    def method(self) -> str:
        return str(self.scope["method"])


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _params(scope: Scope, body: bytes) -> dict[str, Any] | None:
    """The GraphQL parameters of a GET or JSON POST; None for anything else (the endpoint
    answers those as it always does)."""
    try:
        if scope["method"] == "GET":
            raw = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            params: dict[str, Any] = dict(raw)
            for name in ("variables", "extensions"):
                if raw.get(name):
                    params[name] = orjson.loads(raw[name])
            return params
        content_type = Headers(scope=scope).get("content-type", "")
        if scope["method"] == "POST" and content_type.startswith("application/json"):
            decoded = orjson.loads(body)
            return decoded if isinstance(decoded, dict) else None
    except (orjson.JSONDecodeError, UnicodeDecodeError):
        return None
    return None


def _with_document(request: _Request, document: str) -> tuple[Scope, bytes]:
    """The request as the endpoint must see it: with the persisted document filled in."""
    assert request.params is not None
    params = {**request.params, "query": document}
    scope = dict(request.scope)
    if request.method == "GET":
        encoded = {
            k: v if isinstance(v, str) else orjson.dumps(v).decode() for k, v in params.items()
        }
        scope["query_string"] = urlencode(encoded).encode("latin-1")
        return scope, request.body
    body = orjson.dumps(params)
    headers = MutableHeaders(scope=scope)
    headers["content-length"] = str(len(body))
    return scope, body


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _cache_key(document: str, params: dict[str, Any]) -> str:
    variables = params.get("variables") or {}
    digest = hashlib.sha256(document.encode())
    digest.update(b"\0" + str(params.get("operationName") or "").encode() + b"\0")
    digest.update(orjson.dumps(variables, option=orjson.OPT_SORT_KEYS))
    return digest.hexdigest()


def _etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def _etag_matches(headers: Headers, etag: str) -> bool:
    wanted = headers.get("if-none-match")
    if wanted is None:
        return False
    tags = {t.strip().removeprefix("W/") for t in wanted.split(",")}
    return "*" in tags or etag in tags


# -- responses -------------------------------------------------------------------------------


@dataclass
class _Captured:
    status: int = 500
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)


async def _run_captured(app: ASGIApp, scope: Scope, body: bytes) -> _Captured:
    captured = _Captured()

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            captured.status = message["status"]
            captured.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            captured.chunks.append(message.get("body", b""))

    await app(scope, _replay(body), send)
    return captured


async def _send(
    send: Send, status: int, body: bytes, headers: dict[str, str], base: list[tuple[bytes, bytes]]
) -> None:
    names = {name.lower().encode("latin-1") for name in headers}
    raw = [(k, v) for k, v in base if k.lower() not in names and k.lower() != b"content-length"]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    if status != 304:
        raw.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": b"" if status == 304 else body})


JSON_HEADERS = [(b"content-type", b"application/json")]


class CachingEdge:
    """ASGI wrapper around the GraphQL endpoint (see the module's docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        caching: Caching | None = scope.get("state", {}).get("caching")
        if scope["type"] != "http" or caching is None or scope["method"] not in ("GET", "POST"):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive) if scope["method"] == "POST" else b""
        request = _Request(scope, body, _params(scope, body))
        if request.params is None or not (
            request.params.get("query")
            or request.params.get("extensions")
            or request.params.get("documentId")
        ):
            # Not a GraphQL operation this edge reads (the IDE page, a form post, bad JSON).
            await self.app(scope, _replay(body), send)
            return
        try:
            document = await caching.persisted.resolve(request.params)
        except PersistedQueryError as refused:
            headers = {"cache-control": "no-store", "vary": VARY}
            await _send(send, 200, orjson.dumps(refused.body()), headers, JSON_HEADERS)
            return
        if document is None:
            await self.app(scope, _replay(body), send)
            return
        if document != request.params.get("query"):
            scope, body = _with_document(request, document)
            request = _Request(scope, body, {**request.params, "query": document})
        await self._answer(caching, request, document, send)

    async def _answer(self, caching: Caching, request: _Request, document: str, send: Send) -> None:
        assert request.params is not None
        operation = _operation(document, request.params.get("operationName"))
        anonymous = "authorization" not in request.headers
        public = (
            anonymous
            and operation is not None
            and operation.kind == "query"
            and not operation.private
        )
        if not public or operation is None:
            captured = await _run_captured(self.app, request.scope, request.body)
            headers = {"vary": VARY, CACHE_STATUS: "bypass"}
            if not anonymous or (operation is not None and operation.private):
                headers["cache-control"] = "private, no-store"
            elif operation is not None and operation.kind != "query":
                headers["cache-control"] = "no-store"
            await _send(send, captured.status, captured.body, headers, captured.headers)
            return

        store, freshness = caching.store, caching.freshness
        key = _cache_key(document, request.params)
        status = "miss"
        if store is not None and freshness is not None:
            try:
                await freshness.sync()
            except Exception as error:
                if is_unavailable(error):
                    # The database does not answer: say so now, rather than wait for it again.
                    body = {
                        "data": None,
                        "errors": [{"message": MESSAGE, "extensions": {"code": UNAVAILABLE}}],
                    }
                    headers = {"cache-control": "no-store", "vary": VARY, CACHE_STATUS: "bypass"}
                    await _send(send, 200, orjson.dumps(body), headers, JSON_HEADERS)
                    return
                # The change log cannot be read (an unmigrated database, say): like an
                # unreachable store, that only costs the cache. The query may still answer, or
                # fail with an error the GraphQL layer reports (masked in production).
                logger.warning(
                    "response cache bypassed: change log unreadable (%s)",
                    describe_database_error(error),
                )
                store, status = None, "bypass"
        if store is not None and freshness is not None:
            try:
                entry = await store.get(key)
            except Exception:  # an unreachable Redis only costs the cache: answer uncached
                store, entry, status = None, None, "bypass"
            if entry is not None and freshness.valid(entry):
                await self._send_entry(caching, request, entry, send, "hit")
                return

        seen = freshness.seen if freshness is not None and freshness.seen is not None else -1
        computed_at = caching.clock.now().timestamp()
        with tracking() as keys:
            captured = await _run_captured(self.app, request.scope, request.body)
        answer = captured.body
        if captured.status != 200 or b'"errors":' in answer:
            headers = {"vary": VARY, "cache-control": "no-store", CACHE_STATUS: "bypass"}
            await _send(send, captured.status, answer, headers, captured.headers)
            return
        if operation.lists and freshness is not None:
            # Any article becoming visible or going away in any language may change a listing.
            keys |= freshness.listing_keys
        if operation.collections or any(
            f'"{k}":null'.encode() in answer for k in operation.root_keys
        ):
            # A lookup that found nothing, or a list of authors or tags: any write may change it.
            keys.add(ANY_CHANGE)
        entry = Entry(answer, _etag(answer), frozenset(keys), seen, computed_at)
        if store is not None:
            with contextlib.suppress(Exception):  # an unreachable store only costs a miss
                await store.put(key, entry)
        await self._send_entry(caching, request, entry, send, status)

    async def _send_entry(
        self, caching: Caching, request: _Request, entry: Entry, send: Send, status: str
    ) -> None:
        headers = {"vary": VARY, "etag": entry.etag, CACHE_STATUS: status}
        if entry.keys:
            headers["surrogate-key"] = " ".join(sorted(entry.keys))
        if request.method == "GET":
            settings = caching.settings
            headers["cache-control"] = (
                f"public, max-age={settings.cache_max_age}, "
                f"stale-while-revalidate={settings.cache_stale_while_revalidate}"
            )
            if _etag_matches(request.headers, entry.etag):
                await _send(send, 304, b"", headers, [])
                return
        await _send(send, 200, entry.body, headers, JSON_HEADERS)
