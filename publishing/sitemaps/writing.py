"""Sitemap XML, written piece by piece so a file is streamed as it is read.

Every value goes through ``text``/``attribute``: markup characters escaped, and characters
XML 1.0 cannot carry at all (most control characters, lone surrogates) dropped, so no title
or slug can end an element early or make the document unreadable.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from publishing.sitemaps.news import NewsEntry
from publishing.sitemaps.reading import UrlEntry

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
IMAGE_NS = "http://www.google.com/schemas/sitemap-image/1.1"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
CONTENT_TYPE = "application/xml; charset=utf-8"

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def text(value: str) -> str:
    value = _NOT_XML.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attribute(value: str) -> str:
    return text(value).replace('"', "&quot;")


def w3c_datetime(value: dt.datetime) -> str:
    """W3C Datetime (what ``lastmod`` and ``publication_date`` take), in UTC, to the second."""
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def news_language(tag: str) -> str:
    """Google News wants an ISO 639 code, with ``zh-cn``/``zh-tw`` for the two scripts."""
    parts = tag.lower().replace("_", "-").split("-")
    if parts[0] == "zh":
        traditional = {"hant", "tw", "hk", "mo"} & set(parts[1:])
        return "zh-tw" if traditional else "zh-cn"
    return parts[0]


URLSET_OPEN = (
    f'{DECLARATION}<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}" '
    f'xmlns:image="{IMAGE_NS}">\n'
)
URLSET_CLOSE = "</urlset>\n"


def url_element(entry: UrlEntry) -> str:
    parts = ["<url><loc>", text(entry.loc), "</loc>"]
    if entry.lastmod is not None:
        parts += ["<lastmod>", w3c_datetime(entry.lastmod), "</lastmod>"]
    for alternate in entry.alternates:
        parts.append(
            f'<xhtml:link rel="alternate" hreflang="{attribute(alternate.hreflang)}" '
            f'href="{attribute(alternate.url)}"/>'
        )
    for image in entry.images:
        parts += ["<image:image><image:loc>", text(image), "</image:loc></image:image>"]
    parts.append("</url>\n")
    return "".join(parts)


def sitemap_index(files: Iterable[tuple[str, dt.datetime | None]]) -> str:
    """The index: one ``<sitemap>`` per file (its URL and when its content last changed)."""
    parts = [DECLARATION, f'<sitemapindex xmlns="{SITEMAP_NS}">\n']
    for loc, lastmod in files:
        parts += ["<sitemap><loc>", text(loc), "</loc>"]
        if lastmod is not None:
            parts += ["<lastmod>", w3c_datetime(lastmod), "</lastmod>"]
        parts.append("</sitemap>\n")
    parts.append("</sitemapindex>\n")
    return "".join(parts)


def news_sitemap(entries: Sequence[NewsEntry], publication: str) -> str:
    """The news sitemap of ``entries``: at least one, since the schema wants a ``<url>`` in
    every ``<urlset>`` (with none, there is no news sitemap: the edge answers 404)."""
    if not entries:
        raise ValueError("A news sitemap lists at least one article.")
    parts = [DECLARATION, f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n']
    name = text(publication)
    for entry in entries:
        parts += [
            "<url><loc>",
            text(entry.loc),
            "</loc><news:news><news:publication><news:name>",
            name,
            "</news:name><news:language>",
            text(news_language(entry.language)),
            "</news:language></news:publication><news:publication_date>",
            w3c_datetime(entry.published_at),
            "</news:publication_date><news:title>",
            text(entry.title),
            "</news:title></news:news></url>\n",
        ]
    parts.append("</urlset>\n")
    return "".join(parts)
