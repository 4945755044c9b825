"""Absolute web addresses typed by editors (site URL, canonical URLs, menu links, avatars)."""

from __future__ import annotations

from urllib.parse import urlsplit


def web_url_problem(url: str, *, limit: int = 2000) -> str | None:
    """Why ``url`` is not an absolute http(s) URL a browser can follow, or None."""
    if len(url) > limit:
        return f"A URL has at most {limit:,} characters."
    parts = urlsplit(url)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or any(c.isspace() or ord(c) < 32 for c in url)
    ):
        return f"Must be an absolute http or https URL; got {url[:80]!r}."
    return None
