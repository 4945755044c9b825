"""Prometheus metrics, at ``/metrics`` when ``PRESSROOM_METRICS`` is on.

Every request is timed by ``Observe`` (the outermost layer) and counted by endpoint, operation
and outcome. Operation labels stay a bounded set whatever clients send: the names of the
trusted documents' operations, then the first ``max_operations`` other names this process
sees, then "(other)"; an unnamed operation is "(anonymous)". What changes between scrapes
without a request (the database pools, the webhook queue) is read when scraped.

With several worker processes (``pressroom serve --workers N``), ``serve`` gives them a
directory of their own (PROMETHEUS_MULTIPROC_DIR) where each process writes its counters, and
a scrape, whichever worker answers it, adds up every worker's; the pools and the queue are
those the answering worker sees (the queue is the database's, the same for all).

``PRESSROOM_METRICS_PORT``: the metrics are served on that port instead, by a small server of
each worker's (sharing the port), and the API's port has no ``/metrics``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, parse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from api.access_log import RequestRecord, log_request, start_record
from publishing.clock import Clock
from publishing.webhooks.models import DeliveryStatus, WebhookDelivery
from schema.fairness import OVERLOADED, THROTTLED
from schema.unavailable import UNAVAILABLE

logger = logging.getLogger(__name__)

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
ANONYMOUS = "(anonymous)"
OTHER = "(other)"
NO_OPERATION = "(none)"
# Distinct operation names a process labels, besides the trusted documents'.
MAX_OPERATIONS = 100
# Seconds a scrape waits for the webhook queue's figures before leaving them out.
WEBHOOK_STATS_TIMEOUT = 1.0
# First path segments with an endpoint label of their own; the rest is "other".
_ENDPOINTS = {
    "graphql": "graphql",
    "media": "media",
    "feeds": "feeds",
    "sitemap.xml": "sitemaps",
    "sitemaps": "sitemaps",
    "healthz": "health",
    "readyz": "health",
    "metrics": "metrics",
}
# Seconds: from a cached read (a millisecond) to the slowest the database deadline allows.
_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def operation_names(documents: Iterable[str]) -> frozenset[str]:
    """The names of the operations in ``documents`` (a trusted documents' manifest)."""
    names: set[str] = set()
    for document in documents:
        try:
            ast = parse(document)
        except GraphQLError:
            continue
        for definition in ast.definitions:
            if isinstance(definition, OperationDefinitionNode) and definition.name:
                names.add(definition.name.value)
    return frozenset(names)


@dataclass
class OperationLabels:
    """Names to label operations by: known ones, then the first ``limit`` others seen."""

    known: frozenset[str] = frozenset()
    limit: int = MAX_OPERATIONS
    seen: set[str] = field(default_factory=set)

    def label(self, name: str | None) -> str:
        if name is None:
            return ANONYMOUS
        if name in self.known or name in self.seen:
            return name
        if len(self.seen) < self.limit:
            self.seen.add(name)
            return name
        return OTHER


def outcome(record: RequestRecord) -> str:
    status, error = record.status, record.error
    if status == 429 or error == THROTTLED:
        return "throttled"
    if error == OVERLOADED:
        return "overloaded"
    if error == UNAVAILABLE or status == 503:
        return "unavailable"
    if status >= 500:
        return "server_error"
    if status >= 400:
        return "refused"  # a request that could not be read, a bad token, too large a body
    return "error" if error else "ok"


def endpoint(path: str) -> str:
    return _ENDPOINTS.get(path.lstrip("/").partition("/")[0], "other")


def multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROCESS_DIR))


class Metrics:
    """The metrics of one app (one per process)."""

    def __init__(self, *, known_operations: frozenset[str] = frozenset()) -> None:
        self.registry = registry = CollectorRegistry(auto_describe=False)
        self.operations = OperationLabels(known_operations)
        self.requests = Counter(
            "pressroom_requests",
            "Requests answered, by endpoint, GraphQL operation name and outcome.",
            ["endpoint", "operation", "outcome"],
            registry=registry,
        )
        self.duration = Histogram(
            "pressroom_request_duration_seconds",
            "Time from a request's arrival to its answer's last byte.",
            ["endpoint", "operation"],
            buckets=_BUCKETS,
            registry=registry,
        )
        # With several workers, one series per process (label pid): who answered what.
        self.process_requests = Gauge(
            "pressroom_process_requests",
            "Requests answered by this worker process.",
            registry=registry,
            multiprocess_mode="all",
        )
        self.cache = Counter(
            "pressroom_response_cache",
            "Response cache lookups by outcome: hit, miss, bypass.",
            ["outcome"],
            registry=registry,
        )
        self.change_log_check = Histogram(
            "pressroom_change_log_check_seconds",
            "Time one check of the change log took (the response cache's freshness).",
            buckets=_BUCKETS,
            registry=registry,
        )
        self.statements = Counter(
            "pressroom_sql_statements",
            "SQL statements sent, by engine: requests, writes (SQLite), change_log.",
            ["engine"],
            registry=registry,
        )
        self.cost = Counter(
            "pressroom_cost_points",
            "Cost points charged to clients' budgets (estimated cost of admitted operations).",
            registry=registry,
        )
        self.throttled = Counter(
            "pressroom_throttled_requests",
            "Requests refused for want of budget (429 THROTTLED).",
            registry=registry,
        )
        self.renditions = Counter(
            "pressroom_media_renditions",
            "Media renditions made (not found stored).",
            registry=registry,
        )
        self._engines: dict[str, AsyncEngine] = {}

    # -- recording -------------------------------------------------------------------------

    def observe(self, record: RequestRecord) -> None:
        where = endpoint(record.path)
        operation = self.operations.label(record.operation) if record.graphql else NO_OPERATION
        kind = outcome(record)
        self.requests.labels(where, operation, kind).inc()
        self.duration.labels(where, operation).observe(record.duration_ms / 1000)
        self.process_requests.inc()
        if record.cache is not None:
            self.cache.labels(record.cache).inc()
        if kind == "throttled":
            self.throttled.inc()
        elif record.cost:
            self.cost.inc(record.cost)

    def rendition_made(self) -> None:
        self.renditions.inc()

    def change_log_checked(self, seconds: float) -> None:
        self.change_log_check.observe(seconds)

    def watch_engine(self, engine: AsyncEngine, name: str) -> None:
        """Count the engine's statements, and report its pool when scraped."""
        counter = self.statements.labels(name)

        def count(*_args: Any) -> None:
            counter.inc()

        event.listen(engine.sync_engine, "before_cursor_execute", count)
        self._engines[name] = engine

    # -- scraping --------------------------------------------------------------------------

    async def exposition(self, engine: AsyncEngine, clock: Clock) -> bytes:
        queue = await webhook_queue(engine, clock)
        registry = CollectorRegistry(auto_describe=False)
        if multiprocess():
            MultiProcessCollector(registry)
        else:
            registry.register(self.registry)
        registry.register(_AtScrape(self._engines, queue))
        return generate_latest(registry)


@dataclass(frozen=True, slots=True)
class WebhookQueue:
    by_status: dict[str, int]
    oldest_due_age: float  # seconds; 0 when nothing is due


async def webhook_queue(engine: AsyncEngine, clock: Clock) -> WebhookQueue | None:
    """The deliveries by status, and how long the oldest due one has waited; None when the
    database does not answer quickly (a scrape must not hang on it)."""
    now = clock.now()
    by_status = select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)
    oldest = select(func.min(WebhookDelivery.next_attempt_at)).where(
        WebhookDelivery.status == DeliveryStatus.PENDING,
        WebhookDelivery.next_attempt_at <= now,
    )
    try:
        async with asyncio.timeout(WEBHOOK_STATS_TIMEOUT), engine.connect() as connection:
            counts = {str(status): int(n) for status, n in await connection.execute(by_status)}
            due: dt.datetime | None = await connection.scalar(oldest)
    except Exception as error:  # any failure only costs these figures
        logger.debug("webhook queue not measured: %s", error)
        return None
    age = 0.0 if due is None else max(0.0, (now - due).total_seconds())
    return WebhookQueue(counts, age)


class _AtScrape:
    """Figures read when scraped: the pools of this process, the webhook queue."""

    def __init__(self, engines: dict[str, AsyncEngine], queue: WebhookQueue | None) -> None:
        self.engines = engines
        self.queue = queue

    def collect(self) -> Iterator[Metric]:
        pid = str(os.getpid())
        in_use = GaugeMetricFamily(
            "pressroom_db_pool_in_use",
            "Pooled connections checked out, by engine, in the process answering the scrape.",
            labels=["engine", "pid"],
        )
        waiting = GaugeMetricFamily(
            "pressroom_db_pool_waiting",
            "Requests waiting for a pooled connection, by engine.",
            labels=["engine", "pid"],
        )
        for name, engine in self.engines.items():
            pool: Any = engine.sync_engine.pool
            in_use.add_metric([name, pid], float(_call(pool, "checkedout")))
            waiting.add_metric([name, pid], float(_waiters(pool)))
        yield in_use
        yield waiting
        up = GaugeMetricFamily(
            "pressroom_webhook_queue_up", "Whether the webhook queue could be read just now."
        )
        up.add_metric([], 0.0 if self.queue is None else 1.0)
        yield up
        if self.queue is None:
            return
        deliveries = GaugeMetricFamily(
            "pressroom_webhook_deliveries", "Webhook deliveries kept, by status.", labels=["status"]
        )
        for status in DeliveryStatus:
            deliveries.add_metric([status.value], float(self.queue.by_status.get(status, 0)))
        yield deliveries
        depth = GaugeMetricFamily(
            "pressroom_webhook_queue_depth", "Webhook deliveries waiting for an attempt."
        )
        depth.add_metric([], float(self.queue.by_status.get(DeliveryStatus.PENDING, 0)))
        yield depth
        age = GaugeMetricFamily(
            "pressroom_webhook_oldest_due_seconds",
            "How long the oldest delivery that is due has waited for its attempt.",
        )
        age.add_metric([], self.queue.oldest_due_age)
        yield age


def _call(pool: Any, name: str) -> int:
    method = getattr(pool, name, None)
    return int(method()) if callable(method) else 0


def _waiters(pool: Any) -> int:
    # SQLAlchemy counts no waiters; its async queue pool waits on an asyncio.Queue, whose
    # getters are the waiting checkouts. A pool without one (SQLite's NullPool) has none.
    queue = getattr(getattr(pool, "_pool", None), "_queue", None)
    return len(getattr(queue, "_getters", ()))


# -- the HTTP side -------------------------------------------------------------------------


class Observe:
    """Times and records every request: its log line, and its metrics when on."""

    def __init__(self, app: ASGIApp, metrics: Metrics | None = None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        record = start_record(scope, time.perf_counter())

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            record.duration_ms = (time.perf_counter() - record.started) * 1000
            if record.status == 0:
                record.status = 500  # the error middleware outside answers it
            if self.metrics is not None:
                self.metrics.observe(record)
            log_request(record)


async def metrics_endpoint(request: Request) -> Response:
    state: Any = request.state
    body = await state.metrics.exposition(state.engine, state.clock)
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"cache-control": "no-store"})


@contextlib.asynccontextmanager
async def metrics_server(
    host: str, port: int, scrape: Callable[[], Any]
) -> AsyncIterator[asyncio.Server]:
    """A minimal HTTP server answering ``GET /metrics`` on ``port``; every worker process
    binds it (SO_REUSEPORT), so whichever the kernel picks answers with everyone's figures."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(10):
                head = await reader.readuntil(b"\r\n\r\n")
                method, _, rest = head.partition(b" ")
                target = rest.partition(b" ")[0].partition(b"?")[0]
                if method in (b"GET", b"HEAD") and target == b"/metrics":
                    body: bytes = await scrape()
                    status, kind = b"200 OK", CONTENT_TYPE_LATEST.encode()
                else:
                    body, status, kind = b"Not Found\n", b"404 Not Found", b"text/plain"
                writer.write(
                    b"HTTP/1.1 " + status + b"\r\ncontent-type: " + kind
                    + b"\r\ncache-control: no-store\r\nconnection: close\r\ncontent-length: "
                    + str(len(body)).encode() + b"\r\n\r\n"
                    + (body if method != b"HEAD" else b"")
                )  # fmt: skip
                await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
            pass
        finally:
            writer.close()

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server = await asyncio.start_server(handle, host, port, family=family, reuse_port=True)
    try:
        yield server
    finally:
        server.close()
        await server.wait_closed()
