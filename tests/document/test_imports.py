"""Bodies and footnotes imported from the WordPress fixtures make valid document trees that
read as their HTML does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from publishing.document import markdown_document
from publishing.footnotes.references import ParsedBody
from publishing.imports.wordpress.convert import IMPORTED_STATUSES, convert_post
from publishing.imports.wordpress.reader import WxrItem, read_wxr
from publishing.text import html_to_text, markdown_html
from tests.document.render import node_types, render, validate, words

FIXTURES = sorted((Path(__file__).parent.parent / "imports" / "fixtures").glob("*.xml"))
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize("export", FIXTURES, ids=lambda path: path.stem)
def test_imported_bodies_and_footnotes_make_valid_trees(export: Path) -> None:
    posts = [
        convert_post(item, language="en", now=NOW)
        for item in read_wxr(export)
        if isinstance(item, WxrItem) and item.post_type == "post"
        if item.status in IMPORTED_STATUSES
    ]
    assert posts
    seen: set[str] = set()
    for post in posts:
        parsed = ParsedBody(post.body)
        keys = frozenset(f.key for f in post.footnotes)
        tree = parsed.document(keys, post.numbering_style)
        validate(tree)
        html = parsed.html(keys, post.numbering_style)
        assert words(html_to_text(render(tree))) == words(html_to_text(html)), post.slug
        text = parsed.text(keys, post.numbering_style)
        assert words(html_to_text(render(tree, markers=False))) == words(text), post.slug
        seen |= node_types(tree)
        for footnote in post.footnotes:
            note = markdown_document(footnote.content)
            validate(note)
            expected = html_to_text(markdown_html(footnote.content))
            assert words(html_to_text(render(note))) == words(expected), post.slug
    assert {"paragraph", "text"} <= seen
