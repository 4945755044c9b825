"""Drives the real ASGI app over HTTP, the way clients do."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import event
from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from api.app import create_app
from api.settings import Settings
from publishing.clock import SYSTEM_CLOCK, Clock

# Seconds; see api_client.
TEST_DATABASE_TIMEOUT = 30.0


@dataclass
class StatementCounter:
    statements: list[str] = field(default_factory=list)

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)

    def reset(self) -> None:
        self.statements.clear()


@dataclass
class ApiClient:
    http: httpx.AsyncClient
    state: dict[str, Any]
    counter: StatementCounter

    async def query(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """POST a GraphQL operation; returns the whole JSON response (data and errors)."""
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    async def data(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        """Like ``query`` but insists there were no errors, and returns ``data``."""
        result = await self.query(query, variables, **kw)
        assert "errors" not in result, result["errors"]
        return result["data"]


def _with_state(app: Starlette, state: dict[str, Any]) -> Any:
    # httpx's transport does not run the lifespan protocol; hand the state over as a server would.
    async def asgi(scope: Scope, receive: Receive, send: Send) -> None:
        scope["state"] = dict(state)
        await app(scope, receive, send)

    return asgi


@contextlib.asynccontextmanager
async def api_client(
    database_url: str, *, clock: Clock = SYSTEM_CLOCK, **settings: Any
) -> AsyncIterator[ApiClient]:
    """The app on ``database_url``, on ``clock`` (see tests.support.clock for one to set).

    The database deadline is generous unless a test sets its own: a shared test machine's
    PostgreSQL can stall for seconds (a checkpoint while other tests copy databases), which
    the production default of 5 s would report as UNAVAILABLE in tests about other things."""
    settings.setdefault("database_timeout", TEST_DATABASE_TIMEOUT)
    app = create_app(Settings(database_url=database_url, **settings), clock=clock)
    async with app.router.lifespan_context(app) as state:
        counter = StatementCounter()
        # Heavy queries execute through engines of their own (api.heavy): counted alike.
        for engine in {state["engine"], state["heavy_executor"].engine}:
            event.listen(engine.sync_engine, "before_cursor_execute", counter)
        transport = httpx.ASGITransport(app=_with_state(app, state))
        async with httpx.AsyncClient(transport=transport, base_url="http://pressroom.test") as http:
            yield ApiClient(http, state, counter)
