"""The three writers on hostile text: whatever an editor typed, each feed parses, and says
exactly what was typed (less the characters XML 1.0 cannot carry at all)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from publishing.feeds.atom import write_atom
from publishing.feeds.jsonfeed import write_json_feed
from publishing.feeds.model import Enclosure, Feed, FeedFormat, FeedItem, Person
from publishing.feeds.rss import write_rss
from publishing.xml import xml_clean
from tests.feeds.validation import json_feed, parsed

HOSTILE = [
    "Ends a CDATA ]]> section",
    "<script>alert(1)</script>",
    "Fish & chips &amp; &#x26; &lt;",
    "Controls \x00\x01\x08\x0b\x0c\x1b\x1f and \x7f kept",
    "Lone \ud800 surrogate and \ufffe\uffff non-characters",
    "\"quotes\" and 'apostrophes' <![CDATA[x]]>",
    "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e 'boom'>]>&e;",
    "Right-to-left \u202e text, emoji 😀, Türkçe, Русский",
]
BODY = "<p>Body with ]]&gt; and <script>x</script> \x00 and &amp;</p>"
WHEN = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)


def _feed(title: str) -> Feed:
    items = [
        FeedItem(
            id=f"tag:example.org,2026-05-01:article:{index}",
            url=f"https://example.org/en/articles/a-{index}?x=1&y=<2>",
            title=text,
            summary=text,
            content_html=BODY + text,
            published=WHEN,
            updated=WHEN,
            authors=[Person(text, "https://example.org/en/authors/a&b")],
            categories=[("slug&<>", text)],
            image=Enclosure(
                "https://api.example.org/media/k/s/1200x-contain.jpg?a=1&b=2", "image/jpeg"
            ),
        )
        for index, text in enumerate(HOSTILE)
    ]
    return Feed(
        id="https://api.example.org/feeds/en/atom.xml",
        title=title,
        description=title,
        language="en",
        home_url="https://example.org/en/",
        feed_urls={f: f"https://api.example.org/feeds/en/{f.value}" for f in FeedFormat},
        updated=WHEN,
        publisher=Person(title, "https://example.org/en/"),
        items=items,
    )


@pytest.mark.parametrize("title", HOSTILE)
@pytest.mark.parametrize("write", [write_rss, write_atom], ids=["rss", "atom"])
def test_xml_feeds_parse_and_keep_every_text(write, title: str) -> None:
    body = write(_feed(title))
    ET.fromstring(body)  # well-formed XML 1.0, with no entity a parser must expand
    result = parsed(body)
    assert result.feed.title == xml_clean(title)
    assert [entry.title for entry in result.entries] == [xml_clean(t) for t in HOSTILE]
    for entry, text in zip(result.entries, HOSTILE, strict=True):
        assert entry.link.endswith("?x=1&y=<2>")
        assert entry.enclosures[0].href.endswith("?a=1&b=2")
        assert entry.enclosures[0].type == "image/jpeg"
        assert entry.author == xml_clean(text)
        # RSS names a category; Atom gives the slug as its term and the name as its label.
        names = {tag.term for tag in entry.tags} | {tag.get("label") for tag in entry.tags}
        assert xml_clean(text) in names
    # No element of an editor's making, anywhere: the only <script> is escaped text.
    assert b"<script>" not in body
    assert b"\x00" not in body


@pytest.mark.parametrize("title", HOSTILE)
def test_json_feed_keeps_every_text(title: str) -> None:
    feed = json_feed(write_json_feed(_feed(title)))
    assert feed["title"] == xml_clean(title)
    assert [item["title"] for item in feed["items"]] == [xml_clean(t) for t in HOSTILE]
    assert feed["items"][0]["content_html"].startswith("<p>Body with ]]&gt;")
    assert feed["items"][0]["image"].endswith("?a=1&b=2")


def test_full_content_reaches_readers_as_html_text() -> None:
    """The body is escaped HTML in the XML (never markup of the feed); feedparser gives the
    HTML back, sanitised by its own rules."""
    for write in (write_rss, write_atom):
        result = parsed(write(_feed("Site")))
        content = result.entries[0].content[0]
        assert content.type == "text/html"
        assert "Body with ]]&gt; and" in content.value
        assert "<script>" not in content.value  # feedparser's sanitiser, as readers' do
