"""RSS 2.0 (https://www.rssboard.org/rss-specification), with the content module for full
bodies, Dublin Core for bylines and an Atom self link, as feed validators ask."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime

from publishing.feeds.model import Feed, FeedFormat, FeedItem
from publishing.xml import xml_attribute, xml_text

__all__ = ["write_rss"]

NAMESPACES = (
    'xmlns:atom="http://www.w3.org/2005/Atom" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)


def _date(value: dt.datetime) -> str:
    return format_datetime(value.astimezone(dt.UTC), usegmt=True)


def _item(item: FeedItem, out: list[str]) -> None:
    out.append("<item>")
    out.append(f"<title>{xml_text(item.title)}</title>")
    out.append(f"<link>{xml_text(item.url)}</link>")
    out.append(f'<guid isPermaLink="false">{xml_text(item.id)}</guid>')
    out.append(f"<pubDate>{_date(item.published)}</pubDate>")
    # RSS's own <author> wants an e-mail address, which bylines do not have.
    out.extend(f"<dc:creator>{xml_text(person.name)}</dc:creator>" for person in item.authors)
    out.extend(f"<category>{xml_text(name)}</category>" for _, name in item.categories)
    if item.summary:
        out.append(f"<description>{xml_text(item.summary)}</description>")
    if item.content_html is not None:
        out.append(f"<content:encoded>{xml_text(item.content_html)}</content:encoded>")
    if item.image is not None:
        image = item.image
        out.append(
            f'<enclosure url="{xml_attribute(image.url)}" length="{image.length}" '
            f'type="{xml_attribute(image.media_type)}"/>'
        )
    out.append("</item>")


def write_rss(feed: Feed) -> bytes:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<rss version="2.0" {NAMESPACES}>',
        "<channel>",
        f"<title>{xml_text(feed.title)}</title>",
        f"<link>{xml_text(feed.home_url)}</link>",
        # Required: the title stands in when the site has no description.
        f"<description>{xml_text(feed.description or feed.title)}</description>",
        f"<language>{xml_text(feed.language)}</language>",
        f"<lastBuildDate>{_date(feed.updated)}</lastBuildDate>",
        "<generator>Pressroom</generator>",
        f'<atom:link rel="self" type="{FeedFormat.RSS.media_type}" '
        f'href="{xml_attribute(feed.feed_urls[FeedFormat.RSS])}"/>',
    ]
    for item in feed.items:
        _item(item, out)
    out.append("</channel>")
    out.append("</rss>")
    return "\n".join(out).encode()
