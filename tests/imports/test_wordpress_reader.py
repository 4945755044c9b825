"""Reading WXR files as a stream, PHP-serialised Polylang groups, and HTML into Markdown."""

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path

import pytest

from publishing.imports.wordpress.body import wordpress_soup
from publishing.imports.wordpress.markdown import html_to_markdown
from publishing.imports.wordpress.phpserial import PhpSerialError, unserialize
from publishing.imports.wordpress.reader import (
    Site,
    WxrAuthor,
    WxrError,
    WxrItem,
    WxrTerm,
    read_wxr,
)
from publishing.text import render_markdown
from tests.imports.conftest import MERIDIAN_EXPORT, write_wxr, wxr_item


def test_entries_come_in_file_order_with_their_fields() -> None:
    entries = list(read_wxr(MERIDIAN_EXPORT))
    assert Site("base_site_url", "https://meridian-archive.example") in entries
    authors = [e for e in entries if isinstance(e, WxrAuthor)]
    assert [a.login for a in authors] == ["elif.kaya", "dmitri", "jmorgan", "selin"]
    assert authors[0].display_name == "Elif Kaya"
    assert "energy programme" in authors[0].description
    terms = [e for e in entries if isinstance(e, WxrTerm)]
    assert ("post_translations", "pll_67c2f1a0b3d41") in {(t.taxonomy, t.slug) for t in terms}
    items = [e for e in entries if isinstance(e, WxrItem)]
    assert len(items) == 15
    first = items[0]
    assert (first.post_id, first.status, first.creator) == (101, "publish", "elif.kaya")
    assert first.post_date_gmt is not None and first.post_date_gmt.isoformat() == (
        "2025-03-01T07:30:00+00:00"
    )
    assert first.excerpt.startswith("Pipelines, terminals")
    assert "footnotes" in first.meta
    assert [(t.domain, t.nicename) for t in first.terms_in("author")] == [("author", "cap-jmorgan")]
    drafts = [i for i in items if i.status == "draft"]
    assert all(i.post_date_gmt is None for i in drafts)


def test_reading_reports_progress_in_bytes() -> None:
    seen: list[int] = []
    for _ in read_wxr(MERIDIAN_EXPORT, seen.append):
        pass
    assert seen and seen[-1] == MERIDIAN_EXPORT.stat().st_size
    assert seen == sorted(seen)


def test_a_large_export_is_read_without_holding_it(tmp_path: Path) -> None:
    items = [wxr_item(n, f"Post {n}", "<p>" + "text " * 1000 + "</p>") for n in range(1, 401)]
    path = write_wxr(tmp_path / "big.xml", *items)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        seen = sum(1 for entry in read_wxr(path) if isinstance(entry, WxrItem))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == 400
    # Each item is dropped once handed out; holding the tree would take more than the file.
    assert peak < size / 4, (peak, size)


def test_a_malformed_file_names_the_place(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text("<rss><channel>\n<item><title>x</item>", encoding="utf-8")
    with pytest.raises(WxrError, match=r"line 2, column \d+: mismatched tag"):
        list(read_wxr(path))


def test_phpserial_reads_polylang_groups_with_byte_lengths() -> None:
    assert unserialize('a:2:{s:2:"en";i:12;s:2:"tr";i:14;}') == {"en": 12, "tr": 14}
    assert unserialize('a:1:{s:8:"русс";s:4:"ай";}') == {"русс": "ай"}
    with pytest.raises(PhpSerialError):
        unserialize('O:8:"stdClass":0:{}')


def test_html_becomes_markdown_that_renders_the_same() -> None:
    html = (
        "<p>A <strong>bold</strong> and <em>light</em> claim - with a "
        '<a href="https://example.org">link</a>, 1. not a list, C# & co.</p>'
        "<h2>A heading</h2><ul><li>one</li><li>two</li></ul>"
        "<blockquote><p>A quote.</p></blockquote>"
        '<figure><img src="https://example.org/i.jpg" alt="An image"/></figure>'
        "<p># not a heading</p><p>12. not a list either</p>"
    )
    markdown = html_to_markdown(wordpress_soup(html))
    assert markdown.splitlines()[0] == (
        "A **bold** and *light* claim - with a [link](https://example.org), 1. not a list, C# & co."
    )
    for kept in ("## A heading", "- one", "> A quote.", "![An image](https://example.org/i.jpg)"):
        assert kept in markdown
    rendered = render_markdown(markdown).html
    assert "<h1>" not in rendered and "<ol" not in rendered
    assert "<p># not a heading</p>" in rendered
    assert "<p>12. not a list either</p>" in rendered


def test_classic_editor_posts_get_their_paragraphs_and_captioned_images() -> None:
    html = (
        "First line\nsame paragraph.\n\n"
        '[caption id="attachment_7" width="300"]<img src="https://x.org/a.jpg" alt="A" /> '
        "The caption[/caption]\n\nAn array index [1] stays."
    )
    assert html_to_markdown(wordpress_soup(html)) == (
        "First line\\\nsame paragraph.\n\n![A](https://x.org/a.jpg)\n\nThe caption\n\n"
        "An array index \\[1\\] stays."
    )


# -- namespaces and versions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("namespace", "version"),
    [
        ("http://wordpress.org/export/1.0/", "1.0"),
        ("http://wordpress.org/export/1.1/", "1.1"),
        ("http://wordpress.org/export/1.2/", "1.2"),
        # What current WordPress and WordPress.com write.
        ("https://wordpress.org/export/1.2/", "1.2"),
    ],
)
def test_every_namespace_wordpress_writes_is_read(
    tmp_path: Path, namespace: str, version: str
) -> None:
    path = write_wxr(
        tmp_path / "x.xml",
        wxr_item(7, "Seven", "<p>Text.</p>", status="draft"),
        namespace=namespace,
        version=version,
    )
    [item] = [e for e in read_wxr(path) if isinstance(e, WxrItem)]
    assert (item.post_id, item.post_type, item.status, item.creator) == (
        7,
        "post",
        "draft",
        "editor",
    )
    assert Site("wxr_version", version) in list(read_wxr(path))


def test_elements_of_a_rebound_prefix_are_not_wordpress_fields(tmp_path: Path) -> None:
    hijacked = wxr_item(8, "Hijacked", "<p>x</p>").replace(
        "<item>", '<item xmlns:wp="http://example.com/not-wordpress/">'
    )
    path = write_wxr(tmp_path / "x.xml", wxr_item(7, "Real", "<p>x</p>"), hijacked)
    items = [e for e in read_wxr(path) if isinstance(e, WxrItem)]
    assert [(i.post_id, i.title) for i in items] == [(7, "Real"), (0, "Hijacked")]


@pytest.mark.parametrize(
    ("version", "namespace", "message"),
    [
        (None, "http://wordpress.org/export/1.2/", "no <wp:wxr_version>"),
        ("abc", "http://wordpress.org/export/1.1/", "WXR version 'abc' is not one"),
        ("2.0", "http://wordpress.org/export/1.2/", "WXR version '2.0' is not one"),
        ("1.2", "http://example.com/export/", "no <wp:wxr_version>"),
    ],
)
def test_a_file_without_a_version_wordpress_writes_is_refused(
    tmp_path: Path, version: str | None, namespace: str, message: str
) -> None:
    path = write_wxr(
        tmp_path / "x.xml", wxr_item(1, "A", "<p>x</p>"), version=version, namespace=namespace
    )
    with pytest.raises(WxrError, match=re.escape(message)):
        list(read_wxr(path))


def test_wxr_1_0_tags_are_read_once_each(tmp_path: Path) -> None:
    terms = (
        "<category><![CDATA[Alpha]]></category>"
        '<category domain="category" nicename="alpha"><![CDATA[Alpha]]></category>'
        '<category domain="tag"><![CDATA[news]]></category>'
        '<category domain="tag" nicename="news"><![CDATA[news]]></category>'
        '<category domain="tag"><![CDATA[Only a name]]></category>'
    )
    path = write_wxr(
        tmp_path / "x.xml",
        wxr_item(1, "A", "<p>x</p>", extra=terms),
        namespace="http://wordpress.org/export/1.0/",
        version="1.0",
    )
    [item] = [e for e in read_wxr(path) if isinstance(e, WxrItem)]
    assert [(t.domain, t.nicename, t.name) for t in item.terms] == [
        ("category", "alpha", "Alpha"),
        ("post_tag", "news", "news"),
        ("post_tag", "", "Only a name"),
    ]


def test_items_without_an_id_are_known_by_their_guid(tmp_path: Path) -> None:
    numbered = wxr_item(3, "Numbered", "<p>x</p>")
    unnumbered = (
        wxr_item(0, "By guid", "<p>x</p>")
        .replace("<wp:post_id>0</wp:post_id>", "")
        .replace("<item>", "<item><guid>https://small.example/?p=19</guid>")
    )
    path = write_wxr(tmp_path / "x.xml", numbered, unnumbered)
    items = [e for e in read_wxr(path) if isinstance(e, WxrItem)]
    assert [(i.post_id, i.external_id) for i in items] == [
        (3, "3"),
        (-1, "guid:https://small.example/?p=19"),
    ]
