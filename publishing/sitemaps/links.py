"""Public URLs of content on the site (the frontend), built from permalink patterns.

The shape follows the site links the schema exposes (``Links.url(kind, language=, slug=,
published_at=)``): a site URL and one pattern per kind of content, with ``{language}``,
``{slug}``, ``{year}``, ``{month}`` and ``{day}`` filled in.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote


class LinkKind(enum.StrEnum):
    ARTICLE = "ARTICLE"
    PAGE = "PAGE"
    SECTION = "SECTION"
    AUTHOR = "AUTHOR"
    TAG = "TAG"


DEFAULT_PATTERNS: Mapping[LinkKind, str] = {
    LinkKind.ARTICLE: "/{language}/articles/{slug}",
    LinkKind.PAGE: "/{language}/{slug}",
    LinkKind.SECTION: "/{language}/sections/{slug}",
    LinkKind.AUTHOR: "/{language}/authors/{slug}",
    LinkKind.TAG: "/{language}/tags/{slug}",
}


@dataclass(frozen=True, slots=True)
class Links:
    site_url: str  # absolute, no trailing slash
    patterns: Mapping[LinkKind, str] = field(default_factory=lambda: dict(DEFAULT_PATTERNS))

    def url(
        self,
        kind: LinkKind,
        *,
        language: str,
        slug: str,
        published_at: dt.datetime | None = None,
    ) -> str:
        when = published_at or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
        path = self.patterns[kind].format(
            language=quote(language, safe=""),
            slug=quote(slug, safe=""),
            year=f"{when.year:04d}",
            month=f"{when.month:02d}",
            day=f"{when.day:02d}",
        )
        return self.site_url + path

    def home(self, language: str) -> str:
        return f"{self.site_url}/{quote(language, safe='')}"
