"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse

from api.errors import describe_database_error


async def healthz(_request: Request) -> JSONResponse:
    """The process answers; says nothing about the database."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    """The database answers within the configured timeout: 200, else 503 with the reason."""
    engine = request.state.engine
    timeout: float = request.state.settings.database_timeout
    try:
        async with asyncio.timeout(timeout), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except TimeoutError:
        reason = f"the database did not answer within {timeout:g} s"
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
    except Exception as exc:  # any failure to reach the store means "not ready"
        reason = describe_database_error(exc)
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
    return JSONResponse({"status": "ok"})
