"""The Starlette application."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import TypedDict

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.routing import Route

from api.graphql import GraphQLEndpoint
from api.health import healthz, readyz
from api.settings import Settings
from publishing.db import create_engine, create_sessionmaker
from schema import build_schema


class State(TypedDict):
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    write_sessionmaker: async_sessionmaker[AsyncSession]


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[State]:
        url, timeout = settings.database_url, settings.database_timeout
        engine = create_engine(url, timeout=timeout)
        # SQLite writers need transactions that take the write lock first; PostgreSQL does not.
        write_engine = (
            create_engine(url, timeout=timeout, for_writes=True)
            if url.startswith("sqlite")
            else engine
        )
        try:
            yield {
                "settings": settings,
                "engine": engine,
                "sessionmaker": create_sessionmaker(engine),
                "write_sessionmaker": create_sessionmaker(write_engine),
            }
        finally:
            await engine.dispose()
            await write_engine.dispose()

    graphql = GraphQLEndpoint(
        build_schema(production=settings.production),
        graphql_ide=None if settings.production else "graphiql",
        allow_queries_via_get=True,
    )
    routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def create_app_from_environment() -> Starlette:
    """Factory for uvicorn workers: each reads settings from the environment."""
    return create_app(Settings())
