"""An unreachable database, at the HTTP edge: a clear 503, and waits bounded by a deadline.

Every request gets a deadline ``database_timeout`` seconds after it arrives. Whatever it still
waits for then is cancelled: the GraphQL endpoint answers an operation cut off so with an
UNAVAILABLE error (see schema.unavailable), this middleware answers 503 for whatever ran
outside an operation (reading the caller's token, the response cache's check). Connections
are made so that abandoning them never holds the answer up (``bound_database_waits``).

A route whose database work is over before its slow part (``/media`` making a rendition:
CPU work holding no connection) lifts the deadline with ``release_deadline``, so a first
request for a large rendition is answered rather than cut off.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from publishing.db import create_engine
from schema.unavailable import MESSAGE, UNAVAILABLE, is_unavailable


def unavailable_response() -> JSONResponse:
    """Shaped like GraphQL's errors, so clients handle it like one."""
    return JSONResponse(
        {"errors": [{"message": MESSAGE, "extensions": {"code": UNAVAILABLE}}]},
        status_code=503,
        headers={"Retry-After": "5"},
    )


# Key of the request's deadline in its state (seconds on the event loop's clock), and of the
# timeout enforcing it.
_DEADLINE = "database_deadline"
_BOUND = "database_deadline_bound"
# The endpoint answers an operation cut off at the deadline itself, in-band; the middleware
# waits this much longer before it answers 503 for whatever is still running.
_ANSWER_GRACE = 0.25


def request_deadline(scope: Scope) -> float | None:
    """When the request's work on the database must be over (``loop.time()``); None outside
    ``DatabaseFaults``."""
    deadline = scope.get("state", {}).get(_DEADLINE)
    return deadline if isinstance(deadline, float) else None


def release_deadline(scope: Scope) -> None:
    """The request is done with the database: what remains (making a rendition, say) holds
    no connection and is no longer cut off at the deadline."""
    state = scope.get("state", {})
    bound = state.get(_BOUND)
    if isinstance(bound, asyncio.Timeout) and not bound.expired():
        bound.reschedule(None)
        state[_DEADLINE] = None


def open_engines(url: str, timeout: float) -> tuple[AsyncEngine, AsyncEngine]:
    """The engines a process reads and writes ``url`` through, their waits bounded by
    ``timeout``: one for both on PostgreSQL; on SQLite a second for writers, whose
    transactions take the write lock first."""
    engine = create_engine(url, timeout=timeout)
    bound_database_waits(engine, timeout)
    if not url.startswith("sqlite"):
        return engine, engine
    write_engine = create_engine(url, timeout=timeout, for_writes=True)
    bound_database_waits(write_engine, timeout)
    return engine, write_engine


def bound_database_waits(engine: AsyncEngine, seconds: float) -> None:
    """Make every PostgreSQL statement of ``engine`` give up after ``seconds``, and make
    connections safe to abandon at a request's deadline.

    Connecting and waiting for a pooled connection are bounded already (the engine's
    timeouts); this bounds a server that accepts connections but stops answering, so a
    request fails as unavailable instead of hanging.
    """
    if engine.dialect.name == "sqlite":
        # SQLite waits for locks up to its busy timeout, the same setting; a statement runs
        # in aiosqlite's thread, where cancelling the request's wait does not reach it.
        _interrupt_when_abandoned(engine)
        return
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine.sync_engine, "do_connect")
    def _bounded(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
        params.setdefault("command_timeout", seconds)
        # The server's own bound: a statement its request gave up on (the client only
        # drops the connection, which PostgreSQL notices when it next writes to it) cannot
        # run on for longer than a whole request may take. One setting per connection, so
        # no statement more per request.
        server_settings = params.setdefault("server_settings", {})
        server_settings.setdefault("statement_timeout", str(max(1, round(seconds * 1000))))
        # SQLAlchemy's asyncpg adapter calls this instead of asyncpg.connect.
        params.setdefault("async_creator_fn", _connect_to_completion)

    @event.listens_for(engine.sync_engine, "invalidate")
    def _terminate(dbapi_connection: Any, _record: Any, _error: BaseException | None) -> None:
        # SQLAlchemy then closes an invalidated (timed out, cancelled, reset) connection
        # politely, waiting up to two more seconds for a server that may not answer at all;
        # dropping it here first makes that close immediate. PostgreSQL rolls back whatever
        # transaction the connection had open.
        dbapi_connection.driver_connection.terminate()


def _interrupt_when_abandoned(engine: AsyncEngine) -> None:
    """Stop the statement of a SQLite connection its request gave up on.

    A request cut off at its deadline has SQLAlchemy invalidate the connection; closing it
    then waits in line behind the statement still running in aiosqlite's thread, which
    without this runs to its end (a long one held the request well past its deadline and
    the connection with it). ``sqlite3.Connection.interrupt`` may be called from any thread:
    the statement stops at its next step with "interrupted".
    """

    @event.listens_for(engine.sync_engine, "invalidate")
    def _interrupt(dbapi_connection: Any, _record: Any, _error: BaseException | None) -> None:
        driver = getattr(dbapi_connection, "driver_connection", None)
        # aiosqlite's own interrupt() is a coroutine doing just this; here no await is
        # possible, and the close that follows must find the statement stopped.
        raw = getattr(driver, "_connection", None)
        if raw is not None:
            raw.interrupt()


async def _connect_to_completion(*args: Any, **kwargs: Any) -> Any:
    """``asyncpg.connect``, left to finish by itself when its caller is cancelled.

    asyncpg cancelled just as its socket connects leaves an error no one retrieves (asyncio
    logs "Future exception was never retrieved"); a request cut off at its deadline gives up
    the attempt instead, which ends within the connect timeout and drops its connection.
    """
    import asyncpg  # only PostgreSQL engines get here

    attempt = asyncio.ensure_future(asyncpg.connect(*args, **kwargs))
    try:
        return await asyncio.shield(attempt)
    except asyncio.CancelledError:
        attempt.add_done_callback(_drop_connection)
        raise


def _drop_connection(attempt: asyncio.Future[Any]) -> None:
    if not attempt.cancelled() and attempt.exception() is None:
        attempt.result().terminate()


class DatabaseFaults:
    """ASGI middleware: gives each request its deadline, and a request that fails because the
    database cannot be reached (or is still waiting on it past the deadline) ends with 503
    UNAVAILABLE instead of a 500 or a hang, wherever the failure surfaced."""

    def __init__(self, app: ASGIApp, *, timeout: float) -> None:
        self.app = app
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline = asyncio.get_running_loop().time() + self.timeout
        started = False
        bound = asyncio.timeout_at(deadline + _ANSWER_GRACE)
        state = scope.setdefault("state", {})
        state[_DEADLINE], state[_BOUND] = deadline, bound

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start" and not started:
                started = True
                if not bound.expired():
                    bound.reschedule(None)  # the answer is under way: never cut it short
            await send(message)

        try:
            async with bound:
                await self.app(scope, receive, sending)
        except Exception as error:  # a TimeoutError from ``bound`` is unavailable too
            if started or not is_unavailable(error):
                raise
            await unavailable_response()(scope, receive, send)
