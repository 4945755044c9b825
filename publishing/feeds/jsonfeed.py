"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson

from publishing.feeds.model import Feed, FeedFormat, FeedItem, Person
from publishing.xml import xml_clean

__all__ = ["VERSION", "write_json_feed"]

VERSION = "https://jsonfeed.org/version/1.1"


def _date(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def _person(person: Person) -> dict[str, str]:
    found = {"name": xml_clean(person.name)}
    if person.url:
        found["url"] = person.url
    return found


def _item(item: FeedItem) -> dict[str, Any]:
    # The same text as the XML formats give (control characters dropped), for one feed in
    # three forms.
    entry: dict[str, Any] = {
        "id": item.id,
        "url": item.url,
        "title": xml_clean(item.title),
    }
    if item.content_html is not None:
        entry["content_html"] = xml_clean(item.content_html)
    else:
        # One of content_html and content_text is required: the summary stands in.
        entry["content_text"] = xml_clean(item.summary or item.title)
    if item.summary:
        entry["summary"] = xml_clean(item.summary)
    if item.image is not None:
        entry["image"] = item.image.url
    entry["date_published"] = _date(item.published)
    entry["date_modified"] = _date(item.updated)
    if item.authors:
        entry["authors"] = [_person(person) for person in item.authors]
    if item.categories:
        entry["tags"] = [xml_clean(name) for _, name in item.categories]
    return entry


def write_json_feed(feed: Feed) -> bytes:
    document: dict[str, Any] = {
        "version": VERSION,
        "title": xml_clean(feed.title),
        "home_page_url": feed.home_url,
        "feed_url": feed.feed_urls[FeedFormat.JSON],
    }
    if feed.description:
        document["description"] = xml_clean(feed.description)
    document["language"] = feed.language
    document["authors"] = [_person(feed.publisher)]
    document["items"] = [_item(item) for item in feed.items]
    return orjson.dumps(document)
