"""One-line descriptions of infrastructure failures, for operators and probes."""

from __future__ import annotations

import os

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError


def safe_url(url: str) -> str:
    """The URL with its password hidden, fit for logs and messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def describe_database_error(exc: BaseException) -> str:
    """The first line of what went wrong, without a traceback."""
    if isinstance(exc, NoSuchModuleError | ArgumentError):
        return f"invalid database URL ({exc})"
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused: is the database server running and reachable?"
    if isinstance(exc, TimeoutError):
        return "the database did not answer in time"
    if isinstance(exc, OSError) and exc.errno and not exc.filename:
        return f"cannot connect: {os.strerror(exc.errno)}"
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return message
