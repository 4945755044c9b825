"""Rich text fields: each client picks Markdown, sanitised HTML or plain text."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import strawberry

from publishing.footnotes.references import NumberingStyle, render_body
from publishing.text import render_markdown


# Rendering is pure, and the same texts are asked for again and again: cache across requests.
@lru_cache(maxsize=2048)
def _markdown(markdown: str) -> tuple[str, str]:
    rendered = render_markdown(markdown)
    return rendered.html, rendered.text


@lru_cache(maxsize=2048)
def _body(markdown: str, keys: frozenset[str], style: NumberingStyle) -> tuple[str, str]:
    rendered = render_body(markdown, keys, style)
    return rendered.html, rendered.text


@strawberry.type(description="Text written in Markdown, offered in three forms.")
class RichText:
    markdown: str = strawberry.field(description="The stored Markdown source.")
    _render: strawberry.Private[Callable[[], tuple[str, str]]]

    @strawberry.field(description="Sanitised HTML; safe to insert into a page as it is.")
    def html(self) -> str:
        return self._render()[0]

    @strawberry.field(description="Plain text without markup, e.g. for previews and meta tags.")
    def text(self) -> str:
        return self._render()[1]

    @classmethod
    def of(cls, markdown: str) -> RichText:
        return cls(markdown=markdown, _render=lambda: _markdown(markdown))

    @classmethod
    def of_body(
        cls, markdown: str, footnote_keys: frozenset[str], style: NumberingStyle
    ) -> RichText:
        """An article body: footnote references become numbered links to their notes."""
        return cls(markdown=markdown, _render=lambda: _body(markdown, footnote_keys, style))
