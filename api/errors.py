"""One-line descriptions of infrastructure failures, for operators and probes."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from publishing.db import describe_database_error

__all__ = ["describe_database_error", "safe_url"]


def safe_url(url: str) -> str:
    """The URL with its password hidden, fit for logs and messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"
