"""Atom (RFC 4287): text constructs as escaped text or HTML, never as inline XHTML, so
nothing an editor writes can become markup of the feed itself."""

from __future__ import annotations

import datetime as dt

from publishing.feeds.model import Feed, FeedFormat, FeedItem, Person
from publishing.xml import xml_attribute, xml_text

__all__ = ["write_atom"]


def _date(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _person(person: Person, out: list[str]) -> None:
    out.append(f"<author><name>{xml_text(person.name)}</name>")
    if person.url:
        out.append(f"<uri>{xml_text(person.url)}</uri>")
    out.append("</author>")


def _link(rel: str, media_type: str, href: str, extra: str = "") -> str:
    return (
        f'<link rel="{rel}" type="{xml_attribute(media_type)}" href="{xml_attribute(href)}"'
        f"{extra}/>"
    )


def _entry(item: FeedItem, out: list[str]) -> None:
    out.append("<entry>")
    out.append(f"<id>{xml_text(item.id)}</id>")
    out.append(f'<title type="text">{xml_text(item.title)}</title>')
    out.append(_link("alternate", "text/html", item.url))
    out.append(f"<published>{_date(item.published)}</published>")
    out.append(f"<updated>{_date(item.updated)}</updated>")
    for person in item.authors:
        _person(person, out)
    out.extend(
        f'<category term="{xml_attribute(slug)}" label="{xml_attribute(name)}"/>'
        for slug, name in item.categories
    )
    if item.summary:
        out.append(f'<summary type="text">{xml_text(item.summary)}</summary>')
    if item.content_html is not None:
        out.append(f'<content type="html">{xml_text(item.content_html)}</content>')
    if item.image is not None:
        # Atom's length is advisory: left out while unknown.
        length = f' length="{item.image.length}"' if item.image.length else ""
        out.append(_link("enclosure", item.image.media_type, item.image.url, length))
    out.append("</entry>")


def write_atom(feed: Feed) -> bytes:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{xml_attribute(feed.language)}">',
        f"<id>{xml_text(feed.id)}</id>",
        f'<title type="text">{xml_text(feed.title)}</title>',
    ]
    if feed.description:
        out.append(f'<subtitle type="text">{xml_text(feed.description)}</subtitle>')
    out.append(f"<updated>{_date(feed.updated)}</updated>")
    out.append(_link("alternate", "text/html", feed.home_url))
    for feed_format, url in feed.feed_urls.items():
        rel = "self" if feed_format is FeedFormat.ATOM else "alternate"
        out.append(_link(rel, feed_format.media_type, url))
    # Entries without a byline take the publisher as their author (Atom wants one).
    _person(feed.publisher, out)
    out.append("<generator>Pressroom</generator>")
    for item in feed.items:
        _entry(item, out)
    out.append("</feed>")
    return "\n".join(out).encode()
