"""A feed as every format writes it: titles, absolute URLs and dates, already chosen for the
feed's language, so the writers only escape and arrange."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "MAX_ITEMS",
    "Enclosure",
    "Feed",
    "FeedContent",
    "FeedFormat",
    "FeedItem",
    "FeedScope",
    "Person",
    "ScopeKind",
]

# Articles a feed lists, newest first.
MAX_ITEMS = 50


class FeedFormat(enum.StrEnum):
    """The formats, named as the last segment of their path."""

    RSS = "rss.xml"
    ATOM = "atom.xml"
    JSON = "feed.json"

    @property
    def media_type(self) -> str:
        return {
            FeedFormat.RSS: "application/rss+xml",
            FeedFormat.ATOM: "application/atom+xml",
            FeedFormat.JSON: "application/feed+json",
        }[self]


class FeedContent(enum.StrEnum):
    """What an item carries besides its summary."""

    SUMMARY = "summary"  # the excerpt (or the body's opening) only
    FULL = "full"  # also the whole body as HTML


class ScopeKind(enum.StrEnum):
    LANGUAGE = "language"  # every article in the language
    AUTHOR = "author"  # those an author is credited on
    TAG = "tag"  # those of stories carrying a tag
    SECTION = "section"  # those filed under a section or the sections below it


@dataclass(frozen=True, slots=True)
class FeedScope:
    """Which articles a feed lists: those in ``language``, narrowed by ``kind`` to the author
    or tag with ``slug``."""

    language: str
    kind: ScopeKind = ScopeKind.LANGUAGE
    slug: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Enclosure:
    """The featured image as a rendition: its absolute URL, media type and, when known, size
    in bytes (a rendition is made on its first request, so 0 until then)."""

    url: str
    media_type: str
    length: int = 0


@dataclass(frozen=True, slots=True)
class FeedItem:
    id: str  # permanent, whatever the article's slug or the site's address become
    url: str
    title: str
    summary: str | None  # plain text
    content_html: str | None  # the whole body, sanitised HTML (FeedContent.FULL only)
    published: dt.datetime
    updated: dt.datetime
    authors: Sequence[Person]
    categories: Sequence[tuple[str, str]]  # (slug, name in the feed's language)
    image: Enclosure | None


@dataclass(frozen=True, slots=True)
class Feed:
    id: str
    title: str
    description: str | None
    language: str
    home_url: str  # the page of the site the feed follows
    feed_urls: Mapping[FeedFormat, str]  # this feed in each format (self and alternates)
    updated: dt.datetime
    publisher: Person  # the feed's author, for items that credit none (Atom needs one)
    items: Sequence[FeedItem]
