"""The Starlette application."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import TypedDict

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route, WebSocketRoute
from strawberry.subscriptions import GRAPHQL_SSE_PROTOCOL, GRAPHQL_TRANSPORT_WS_PROTOCOL

from api.access_log import redact_access_log
from api.caching import Caching, CachingEdge, open_caching
from api.cors import cors_middleware
from api.faults import DatabaseFaults, bound_database_waits, open_engines
from api.feeds import feed_routes
from api.graphiql import graphiql_routes
from api.graphql import GraphQLEndpoint
from api.health import healthz, readyz
from api.heavy import HeavyLoop
from api.limits import UPLOAD_OVERHEAD, RequestLimits
from api.live import LiveChanges
from api.media import MediaState, media_routes, open_media
from api.metrics import Metrics, Observe, metrics_endpoint, metrics_server, operation_names
from api.persisted import load_manifest
from api.ratelimit import Budgets, open_budgets
from api.settings import Settings
from api.sitemaps import sitemap_routes
from api.webhooks import start_webhook_dispatcher
from publishing.clock import SYSTEM_CLOCK, Clock
from publishing.db import create_engine, create_sessionmaker
from schema import build_schema
from schema.fairness import HeavyLane
from schema.guards import QueryLimits


class State(TypedDict):
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    write_sessionmaker: async_sessionmaker[AsyncSession]
    caching: Caching
    # Where requests, mutations, the cache and the webhook dispatcher take the time from.
    clock: Clock
    media: MediaState
    # Budgets of cost points per client (None: rate limiting off), and the heavy lane.
    budgets: Budgets | None
    heavy_lane: HeavyLane
    heavy_executor: HeavyLoop
    # None when metrics are off.
    metrics: Metrics | None
    # The feed behind subscriptions (None: live updates off).
    live: LiveChanges | None


def create_app(settings: Settings | None = None, *, clock: Clock = SYSTEM_CLOCK) -> Starlette:
    settings = settings or Settings()
    redact_access_log()
    metrics = (
        Metrics(known_operations=trusted_operation_names(settings)) if settings.metrics else None
    )

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[State]:
        # Files first: a media URL that cannot be used stops the start before anything runs.
        media = open_media(
            settings, on_rendition=None if metrics is None else metrics.rendition_made
        )
        url, timeout = settings.database_url, settings.database_timeout
        # SQLite writers need transactions that take the write lock first; PostgreSQL does not.
        engine, write_engine = open_engines(url, timeout)
        if metrics is not None:
            metrics.watch_engine(engine, "requests")
            if write_engine is not engine:
                metrics.watch_engine(write_engine, "writes")
        # Delivers webhook events from this process; stopped before the engines close.
        webhook_dispatcher = start_webhook_dispatcher(settings, clock)
        # Where heavy queries execute, apart from this loop (api.heavy).
        heavy_executor = HeavyLoop(url, timeout)
        heavy_executor.start()
        live: LiveChanges | None = None
        try:
            if settings.live_updates:
                # An engine of its own: the follower's reads never take a request's place in
                # the pool, nor hold one while the database is away.
                live_engine = create_engine(url, timeout=timeout)
                bound_database_waits(live_engine, timeout)
                # Its announcements of due publications (rare) write on a pool of their own
                # too, taking SQLite's write lock up front.
                live_writes = create_engine(url, timeout=timeout, for_writes=True)
                bound_database_waits(live_writes, timeout)
                live = LiveChanges(
                    live_engine,
                    create_sessionmaker(live_engine),
                    clock,
                    write_sessions=create_sessionmaker(live_writes),
                    max_subscriptions=settings.live_max_subscriptions,
                    max_per_holder=settings.live_max_per_token,
                    resume_limit=settings.live_resume_limit,
                    queue_size=settings.live_queue,
                    poll_interval=settings.live_poll_interval,
                    redis_url=settings.redis_url,
                )
                await live.start()
            # The response cache and persisted queries (in memory, or in Redis when set).
            async with (
                open_caching(settings, clock, metrics) as caching,
                _metrics_port(settings, metrics, engine, clock),
            ):
                budgets = (
                    open_budgets(
                        maximum=settings.rate_limit_points,
                        rate=settings.rate_limit_restore_rate,
                        clock=clock,
                        redis=caching.redis,
                    )
                    if settings.rate_limit
                    else None
                )
                yield {
                    "settings": settings,
                    "engine": engine,
                    "sessionmaker": create_sessionmaker(engine),
                    "write_sessionmaker": create_sessionmaker(write_engine),
                    "caching": caching,
                    "clock": clock,
                    "media": media,
                    "budgets": budgets,
                    "heavy_lane": heavy_lane,
                    "heavy_executor": heavy_executor,
                    "metrics": metrics,
                    "live": live,
                }
        finally:
            if live is not None:
                await live.aclose()
                await live.engine.dispose()
                await live_writes.dispose()
            await media.aclose()
            if webhook_dispatcher is not None:
                await webhook_dispatcher.stop()
            await heavy_executor.aclose()
            await engine.dispose()
            await write_engine.dispose()

    # One per process: at most heavy_concurrency expensive operations at once.
    heavy_lane = HeavyLane(
        threshold=settings.heavy_cost,
        concurrency=settings.heavy_concurrency,
        queue=settings.heavy_queue,
    )
    limits = QueryLimits(
        max_depth=settings.max_depth,
        max_aliases=settings.max_aliases,
        max_tokens=settings.max_tokens,
        max_cost=settings.max_cost,
    )
    graphql = GraphQLEndpoint(
        build_schema(
            production=settings.production,
            limits=limits,
            introspection=settings.introspection_enabled,
        ),
        graphql_ide=None if settings.production else "graphiql",
        allow_queries_via_get=True,
        # Uploads (createMedia); GraphQLEndpoint refuses a form no browser could send
        # cross-site without a preflight, and one without a token.
        multipart_uploads_enabled=True,
        # Subscriptions: graphql-transport-ws over WebSocket, graphql-sse (distinct
        # connections) over HTTP with `Accept: text/event-stream`.
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_SSE_PROTOCOL],
    )
    routes = [
        Route("/graphql", CachingEdge(graphql), methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        *media_routes(),
        *feed_routes(),
        *sitemap_routes(),
        # The IDE's own files, where the IDE is on (GraphQLEndpoint serves its page).
        *([] if settings.production else graphiql_routes()),
    ]
    if metrics is not None and settings.metrics_port is None:
        routes.append(Route("/metrics", metrics_endpoint, methods=["GET"]))
    middleware = [
        # Outermost: times the whole answer; its log line and metrics see every refusal.
        Middleware(Observe, metrics=metrics),
        # CORS next, so browsers can read even the refusals below.
        *cors_middleware(settings.cors_origins),
        Middleware(
            RequestLimits,
            max_body_bytes=settings.max_body_bytes,
            max_upload_bytes=settings.media_max_bytes + UPLOAD_OVERHEAD,
        ),
        Middleware(DatabaseFaults, timeout=settings.database_timeout),
    ]
    return Starlette(routes=routes, lifespan=lifespan, middleware=middleware)


def trusted_operation_names(settings: Settings) -> frozenset[str]:
    """Operation names the metrics always label by: those of the trusted documents."""
    if not settings.trusted_documents:
        return frozenset()
    return operation_names(load_manifest(settings.trusted_documents).values())


@contextlib.asynccontextmanager
async def _metrics_port(
    settings: Settings, metrics: Metrics | None, engine: AsyncEngine, clock: Clock
) -> AsyncIterator[None]:
    if metrics is None or settings.metrics_port is None:
        yield
        return

    async def scrape() -> bytes:
        return await metrics.exposition(engine, clock)

    async with metrics_server(settings.host, settings.metrics_port, scrape):
        yield


def create_app_from_environment() -> Starlette:
    """Factory for uvicorn workers: each reads settings from the environment."""
    return create_app(Settings())
