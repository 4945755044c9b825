"""An unreachable database, at the HTTP edge: a clear 503, and waits bounded by a timeout.

Inside GraphQL execution, resolvers' connection failures become UNAVAILABLE errors (see
schema.unavailable); this covers what runs before it, such as reading the caller's token.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schema.unavailable import MESSAGE, UNAVAILABLE, is_unavailable


def unavailable_response() -> JSONResponse:
    """Shaped like GraphQL's errors, so clients handle it like one."""
    return JSONResponse(
        {"errors": [{"message": MESSAGE, "extensions": {"code": UNAVAILABLE}}]},
        status_code=503,
        headers={"Retry-After": "5"},
    )


def bound_statement_time(engine: AsyncEngine, seconds: float) -> None:
    """Make every PostgreSQL statement of ``engine`` give up after ``seconds``.

    Connecting and waiting for a pooled connection are bounded already (the engine's
    timeouts); this bounds a server that accepts connections but stops answering, so a
    request fails as unavailable instead of hanging.
    """
    if engine.dialect.name != "postgresql":
        return  # SQLite waits for locks up to its busy timeout, the same setting

    @event.listens_for(engine.sync_engine, "do_connect")
    def _command_timeout(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
        params.setdefault("command_timeout", seconds)


class DatabaseFaults:
    """ASGI middleware: a request that fails because the database cannot be reached ends with
    503 UNAVAILABLE instead of a 500, wherever the failure surfaced."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as error:
            if started or not is_unavailable(error):
                raise
            await unavailable_response()(scope, receive, send)
