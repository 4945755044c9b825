"""Public URLs: the site's address joined with a permalink pattern per kind and language.

A pattern is a path with placeholders: ``{language}`` and ``{slug}`` everywhere, and for
articles ``{year}``, ``{month}`` and ``{day}`` of the publication date (e.g.
``/{language}/analysis/{slug}`` or WordPress's ``/{year}/{month}/{slug}``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from publishing.site.models import LinkKind

__all__ = [
    "DEFAULT_PATTERNS",
    "Alternate",
    "LinkKind",
    "Links",
    "Version",
    "pattern_parts",
    "pattern_problem",
]

DEFAULT_PATTERNS: Mapping[LinkKind, str] = {
    LinkKind.ARTICLE: "/{language}/articles/{slug}",
    LinkKind.PAGE: "/{language}/{slug}",
    LinkKind.SECTION: "/{language}/sections/{slug}",
    LinkKind.AUTHOR: "/{language}/authors/{slug}",
    LinkKind.TAG: "/{language}/tags/{slug}",
}
_DATED = frozenset({LinkKind.ARTICLE})
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
MAX_PATTERN = 500  # the column's width


def pattern_problem(kind: LinkKind, pattern: str) -> str | None:
    """Why ``pattern`` cannot address ``kind``, or None when it can."""
    if len(pattern) > MAX_PATTERN:
        return f"A permalink pattern has at most {MAX_PATTERN} characters."
    if not pattern.startswith("/"):
        return "A permalink pattern is a path: it starts with '/'."
    if any(c in pattern for c in "?#\\ \t\r\n") or "//" in pattern:
        return "A permalink pattern is a plain path: no '?', '#', '\\', '//' or spaces."
    allowed = {"language", "slug"} | ({"year", "month", "day"} if kind in _DATED else set())
    names = _PLACEHOLDER.findall(pattern)
    unknown = sorted({n for n in names if n not in allowed})
    if unknown:
        return (
            f"Unknown placeholder {{{unknown[0]}}}; a {kind.value.lower()} pattern may use "
            + ", ".join(f"{{{n}}}" for n in sorted(allowed))
            + "."
        )
    if "slug" not in names:
        return "A permalink pattern must contain {slug}, or two items would share a URL."
    if _PLACEHOLDER.sub("", pattern).count("{") or _PLACEHOLDER.sub("", pattern).count("}"):
        return "A permalink pattern has an unmatched brace."
    return None


def pattern_parts(pattern: str) -> list[str]:
    """A pattern split into its literal text (even positions) and the names of its
    placeholders (odd positions), for building its URLs elsewhere (in SQL)."""
    return _PLACEHOLDER.split(pattern)


@dataclass(frozen=True, slots=True)
class Version:
    """What a URL needs of one language version."""

    language: str
    slug: str
    # The publication date, else the creation date (a draft's would-be URL).
    date: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Alternate:
    """One entry of a page's hreflang links."""

    language: str
    hreflang: str
    url: str


@dataclass(frozen=True, slots=True)
class Links:
    """Builds absolute URLs; ``patterns`` holds the overrides by (kind, language or None)."""

    site_url: str
    patterns: Mapping[tuple[LinkKind, str | None], str] = field(default_factory=dict)

    def pattern(self, kind: LinkKind, language: str | None) -> str:
        """The pattern of ``kind`` in ``language`` (None: the one for every language that
        has none of its own)."""
        return (
            self.patterns.get((kind, language))
            or self.patterns.get((kind, None))
            or DEFAULT_PATTERNS[kind]
        )

    def url(
        self,
        kind: LinkKind,
        *,
        language: str,
        slug: str,
        published_at: dt.datetime | None = None,
    ) -> str:
        """The absolute URL of one item. Dated patterns use ``published_at`` (callers give a
        draft's creation date instead); without any date, dated segments are left out."""
        values = {"language": language, "slug": quote(slug, safe="")}
        if published_at is not None:
            values |= {
                "year": f"{published_at.year:04d}",
                "month": f"{published_at.month:02d}",
                "day": f"{published_at.day:02d}",
            }
        path = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), self.pattern(kind, language))
        return self.site_url + re.sub("/{2,}", "/", path)

    def alternates(
        self, kind: LinkKind, versions: Sequence[Version], original_language: str
    ) -> list[Alternate]:
        """Every version (the page's own included, as search engines ask) by its language,
        then ``x-default``: the original's version, else the first one."""
        if not versions:
            return []
        found = [
            Alternate(
                v.language,
                v.language,
                self.url(kind, language=v.language, slug=v.slug, published_at=v.date),
            )
            for v in versions
        ]
        default = next((a for a in found if a.language == original_language), found[0])
        return [*found, Alternate(default.language, "x-default", default.url)]

    def home(self, language: str) -> str:
        return f"{self.site_url}/{language}/"
