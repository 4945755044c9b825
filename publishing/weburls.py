"""Absolute web addresses typed by editors (site URL, canonical URLs, menu links, avatars,
footnote sources): one rule for all of them."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from urllib.parse import urlsplit

from publishing.errors import Issues

__all__ = ["MAX_WEB_URL", "check_web_url", "web_url_problem"]

MAX_WEB_URL = 2_000

# Characters a URL never holds as typed (RFC 3986 has them percent-encoded) that end or bend
# it where it is written into HTML, Markdown, a feed or a header: quotes, angle brackets, the
# backquote, and the backslash browsers read as "/". The apostrophe is a legal URL character
# (Wikipedia titles hold it) and output escapes it, so it stays.
_UNTYPABLE = frozenset('"<>`\\')


def _is_blank_or_control(c: str) -> bool:
    return c.isspace() or unicodedata.category(c) == "Cc"


def web_url_problem(url: str, *, limit: int = MAX_WEB_URL) -> str | None:
    """Why ``url`` is not an absolute http(s) URL a browser can follow as written, or None:
    too long, blanks, line breaks, controls, quotes or angle brackets inside, another
    scheme, no host, a user name or password, a port that is no number."""
    if len(url) > limit:
        return f"A URL has at most {limit:,} characters."
    if any(_is_blank_or_control(c) or c in _UNTYPABLE for c in url):
        return (
            "A URL may not contain spaces, line breaks, control characters, quotes, angle "
            f"brackets, backquotes or backslashes (percent-encode them); got {url[:80]!r}."
        )
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return f"Must be an absolute http or https URL; got {url[:80]!r}."
    if "@" in parts.netloc:
        # user:pass@ hands credentials to whoever follows the link, and user@ is a way to
        # make one host look like another ("https://bank.example@evil.example/").
        return "A URL may not carry a user name or password (user:pass@host)."
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when asked
    except ValueError:
        return f"The port of {url[:80]!r} is not a number from 0 to 65535."
    return None


def check_web_url(
    issues: Issues,
    url: str | None,
    path: Sequence[str | int],
    *,
    limit: int = MAX_WEB_URL,
) -> None:
    """``web_url_problem`` as an issue at ``path``: TOO_LONG or INVALID_URL. None and the
    empty string are no URL, and fine."""
    if not url:
        return
    problem = web_url_problem(url, limit=limit)
    if problem is None:
        return
    code = "TOO_LONG" if len(url) > limit else "INVALID_URL"
    issues.add(path, code, problem)
