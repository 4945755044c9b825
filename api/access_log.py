"""Access log lines without query strings: GET queries carry GraphQL variables and documents,
and those may hold preview tokens, which must never reach a log."""

from __future__ import annotations

import logging

ACCESS_LOGGER = "uvicorn.access"


class WithoutQueryStrings(logging.Filter):
    """Uvicorn logs (client, method, path with query, HTTP version, status); keep the path,
    and only the names of the query parameters."""

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
