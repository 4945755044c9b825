"""The access log: one line per request, as JSON or as text, and never a secret.

``RequestRecord`` follows a request through the app: the layers that learn something about it
(the caching edge, the GraphQL endpoint) fill it in, ``api.metrics.Observe`` times it and
hands it to ``log_request`` and to the metrics. The line holds the method, the path without
its query string (GET queries carry documents and variables, and those may hold preview
tokens), the operation's name, the status, the duration, the response cache's outcome, the
cost charged and the client: a token's public id, never the token.

``pressroom serve`` writes it to stdout as JSON when stdout is not a terminal (a log
collector reads it) or ``PRESSROOM_LOG_FORMAT=json``, as text on a terminal or with ``text``;
uvicorn's own access log, which holds none of this, is off then.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Any, Literal

import orjson
from starlette.types import Scope

ACCESS_LOGGER = "uvicorn.access"
# The logger of the request lines, and the key of a request's record in its scope's state.
REQUEST_LOGGER = "pressroom.access"
_RECORD = "request_record"

LogFormat = Literal["auto", "json", "text"]


@dataclass(slots=True)
class RequestRecord:
    """What is known of one request once it is answered."""

    method: str
    path: str
    started: float  # time.perf_counter()
    status: int = 0
    duration_ms: float = 0.0
    # The operation's name; None for an unnamed one or outside GraphQL.
    operation: str | None = None
    graphql: bool = False  # the request carried a GraphQL operation
    trusted: bool = False  # its document is one of the trusted documents' manifest
    cache: str | None = None  # "hit", "miss", "bypass"; None where the cache plays no part
    cost: int | None = None  # points charged to the client's budget
    error: str | None = None  # the code of the answer's first error
    client: str = "anonymous"  # a token's public id

    def fields(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "operation": self.operation,
            "status": self.status,
            "duration_ms": round(self.duration_ms, 2),
            "cache": self.cache,
            "cost": self.cost,
            "client": self.client,
        }


def start_record(scope: Scope, started: float) -> RequestRecord:
    """A record for the request, put where the layers below find it (``record_of``)."""
    record = RequestRecord(scope.get("method", ""), scope.get("path", ""), started)
    scope.setdefault("state", {})[_RECORD] = record
    return record


def record_of(scope: Scope) -> RequestRecord | None:
    record = scope.get("state", {}).get(_RECORD)
    return record if isinstance(record, RequestRecord) else None


_logger = logging.getLogger(REQUEST_LOGGER)


def log_request(record: RequestRecord) -> None:
    if _logger.isEnabledFor(logging.INFO):
        _logger.info("%s %s %s", record.method, record.path, record.status, extra={"req": record})


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        request = getattr(record, "req", None)
        if isinstance(request, RequestRecord):
            return orjson.dumps(request.fields()).decode()
        return orjson.dumps({"level": record.levelname, "message": record.getMessage()}).decode()


class TextLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        request = getattr(record, "req", None)
        if not isinstance(request, RequestRecord):
            return record.getMessage()
        parts = [
            f"{request.method} {request.path} {request.status}",
            f"{request.duration_ms:.1f} ms",
        ]
        if request.operation:
            parts.append(f"op={request.operation}")
        if request.cache:
            parts.append(f"cache={request.cache}")
        if request.cost is not None:
            parts.append(f"cost={request.cost}")
        parts.append(f"client={request.client}")
        return "  ".join(parts)


def resolved_format(log_format: LogFormat) -> Literal["json", "text"]:
    """``auto``: text for a person at a terminal, JSON for anything reading a pipe or file."""
    if log_format == "auto":
        return "text" if sys.stdout.isatty() else "json"
    return log_format


def logging_config(log_format: LogFormat, *, access_log: bool) -> dict[str, Any]:
    """uvicorn's logging configuration, with the request lines on stdout in the format asked
    for (each worker process applies it)."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = {
        **LOGGING_CONFIG,
        "formatters": {**LOGGING_CONFIG["formatters"]},
        "handlers": {**LOGGING_CONFIG["handlers"]},
        "loggers": {**LOGGING_CONFIG["loggers"]},
    }
    formatter = JsonLines if resolved_format(log_format) == "json" else TextLines
    config["formatters"]["pressroom_requests"] = {"()": f"{__name__}.{formatter.__name__}"}
    config["handlers"]["pressroom_requests"] = {
        "formatter": "pressroom_requests",
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
    }
    config["loggers"][REQUEST_LOGGER] = {
        "handlers": ["pressroom_requests"],
        "level": "INFO" if access_log else "WARNING",
        "propagate": False,
    }
    return config


class WithoutQueryStrings(logging.Filter):
    """Uvicorn logs (client, method, path with query, HTTP version, status); keep the path,
    and only the names of the query parameters. For uvicorn run without ``pressroom serve``,
    whose access log stays on then."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            path, _, query = args[2].partition("?")
            if query:
                names = "&".join(part.partition("=")[0] for part in query.split("&"))
                record.args = (*args[:2], f"{path}?{names}", *args[3:])
        return True


def redact_access_log() -> None:
    """Install the filter on uvicorn's access logger, once per process."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, WithoutQueryStrings) for f in logger.filters):
        logger.addFilter(WithoutQueryStrings())
