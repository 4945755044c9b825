"""Checks a real consumer would make: feedparser for the XML formats, and the required
fields and types of the JSON Feed 1.1 specification (https://www.jsonfeed.org/version/1.1/)
for JSON Feed, which feedparser does not read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import feedparser
import orjson


def parsed(body: bytes) -> Any:
    """The feed as feedparser reads it; fails on any bozo (malformed) flag."""
    result = feedparser.parse(body)
    assert not result.bozo, result.get("bozo_exception")
    return result


def _date(value: Any) -> None:
    assert isinstance(value, str)
    assert dt.datetime.fromisoformat(value).tzinfo is not None  # RFC 3339: with an offset


def _author(author: Any) -> None:
    assert isinstance(author, dict)
    assert author.keys() & {"name", "url", "avatar"}, "an author needs name, url or avatar"
    assert all(isinstance(v, str) for v in author.values())


def json_feed(body: bytes) -> dict[str, Any]:
    """The decoded feed, checked against JSON Feed 1.1's required fields and their types."""
    feed = orjson.loads(body)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    for name in ("home_page_url", "feed_url", "description", "language"):
        assert isinstance(feed.get(name, ""), str)
    for author in feed.get("authors", []):
        _author(author)
    assert isinstance(feed["items"], list)
    ids = [item["id"] for item in feed["items"]]
    assert all(isinstance(i, str) and i for i in ids)
    assert len(set(ids)) == len(ids)
    for item in feed["items"]:
        assert "content_html" in item or "content_text" in item
        for name in ("url", "title", "content_html", "content_text", "summary", "image"):
            assert isinstance(item.get(name, ""), str)
        for name in ("date_published", "date_modified"):
            if name in item:
                _date(item[name])
        for author in item.get("authors", []):
            _author(author)
        assert all(isinstance(tag, str) for tag in item.get("tags", []))
    return feed
