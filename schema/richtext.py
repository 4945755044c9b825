"""Rich text fields: each client picks Markdown, sanitised HTML, plain text or a document tree."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Generic, TypeVar

import strawberry
from strawberry.scalars import JSON

from publishing.document import Node, markdown_document
from publishing.footnotes.references import NumberingStyle, ParsedBody
from publishing.media.figures import Figure
from publishing.text import html_to_text, markdown_html

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Rendering is pure, and the same texts are asked for again and again: cache across requests.
# HTML, text and documents are cached apart, so a client asking for one never pays for another.
# A cached document is shared by every response that holds it: nothing may change it.
CACHE_SIZE = 2048


@lru_cache(maxsize=CACHE_SIZE)
def _markdown_html(markdown: str) -> str:
    return markdown_html(markdown)


@lru_cache(maxsize=CACHE_SIZE)
def _markdown_text(markdown: str) -> str:
    return html_to_text(_markdown_html(markdown))


@lru_cache(maxsize=CACHE_SIZE)
def _markdown_document(markdown: str) -> Node:
    return markdown_document(markdown)


class _Recent(Generic[K, V]):
    """A bounded cache whose misses are computed by the caller (an article body's parse is
    shared by several of its fields, which ``lru_cache`` cannot see)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K, compute: Callable[[], V]) -> V:
        try:
            self._values.move_to_end(key)
            return self._values[key]
        except KeyError:
            value = compute()
            self._values[key] = value
            if len(self._values) > self.size:
                self._values.popitem(last=False)
            return value


# A body's figures, by the ``media:`` target each renders (see publishing.media.figures).
FigureKey = tuple[tuple[str, Figure], ...]
BodyKey = tuple[str, frozenset[str], NumberingStyle, FigureKey]
_body_html: _Recent[BodyKey, str] = _Recent(CACHE_SIZE)
_body_text: _Recent[BodyKey, str] = _Recent(CACHE_SIZE)
_body_document: _Recent[BodyKey, Node] = _Recent(CACHE_SIZE)
_body_references: _Recent[str, tuple[str, ...]] = _Recent(CACHE_SIZE)
_body_media: _Recent[str, tuple[str, ...]] = _Recent(CACHE_SIZE)


class Body:
    """An article body within one request: parsed at most once, whether its html, its text,
    its document or its footnotes' numbers are asked for, and not at all when the caches
    above answer."""

    def __init__(self, markdown: str, style: NumberingStyle) -> None:
        self.markdown = markdown
        self.style = style
        self._parsed: ParsedBody | None = None

    def _parse(self) -> ParsedBody:
        if self._parsed is None:
            self._parsed = ParsedBody(self.markdown)
        return self._parsed

    def html(self, footnote_keys: frozenset[str], figures: FigureKey = ()) -> str:
        key = (self.markdown, footnote_keys, self.style, figures)
        return _body_html.get(
            key, lambda: self._parse().html(footnote_keys, self.style, dict(figures))
        )

    def text(self, footnote_keys: frozenset[str], figures: FigureKey = ()) -> str:
        key = (self.markdown, footnote_keys, self.style, figures)
        return _body_text.get(
            key, lambda: self._parse().text(footnote_keys, self.style, dict(figures))
        )

    def document(self, footnote_keys: frozenset[str], figures: FigureKey = ()) -> Node:
        key = (self.markdown, footnote_keys, self.style, figures)
        return _body_document.get(
            key, lambda: self._parse().document(footnote_keys, self.style, dict(figures))
        )

    def media_targets(self) -> tuple[str, ...]:
        """The target of every ``media:`` image, in body order."""
        return _body_media.get(self.markdown, lambda: tuple(self._parse().media_targets()))

    def referenced_keys(self) -> tuple[str, ...]:
        """The key of every footnote reference, in body order."""
        return _body_references.get(self.markdown, lambda: tuple(self._parse().referenced_keys()))


DOCUMENT_DESCRIPTION = (
    "The text as a JSON document tree, for clients that render natively (no web view): "
    "blocks (paragraphs, headings, lists, quotes, code, tables, figures, embeds, rules) and "
    "inline text with marks, footnote references numbered as in `html`. Made from the same "
    "parse as `html`, with the same link rules. Described by the JSON Schema "
    "`schema/document.schema.json` ($id `urn:pressroom:schema:document:1`); see the README, "
    '"Rich text as a document tree".'
)


@strawberry.type(description="Text written in Markdown, offered in four forms.")
class RichText:
    markdown: str = strawberry.field(description="The stored Markdown source.")
    _html: strawberry.Private[Callable[[], str]]
    _text: strawberry.Private[Callable[[], str]]
    _document: strawberry.Private[Callable[[], Node]]

    @strawberry.field(description="Sanitised HTML; safe to insert into a page as it is.")
    def html(self) -> str:
        return self._html()

    @strawberry.field(description="Plain text without markup, e.g. for previews and meta tags.")
    def text(self) -> str:
        return self._text()

    @strawberry.field(description=DOCUMENT_DESCRIPTION)
    def document(self) -> JSON:
        return self._document()

    @classmethod
    def of(cls, markdown: str) -> RichText:
        return cls(
            markdown=markdown,
            _html=lambda: _markdown_html(markdown),
            _text=lambda: _markdown_text(markdown),
            _document=lambda: _markdown_document(markdown),
        )

    @classmethod
    def of_body(
        cls, body: Body, footnote_keys: frozenset[str], figures: FigureKey = ()
    ) -> RichText:
        """An article body: footnote references become numbered links to their notes, and
        ``media:`` images figures."""
        return cls(
            markdown=body.markdown,
            _html=lambda: body.html(footnote_keys, figures),
            _text=lambda: body.text(footnote_keys, figures),
            _document=lambda: body.document(footnote_keys, figures),
        )
