"""Markdown to sanitised HTML and plain text, and reading time."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from html import unescape as unescape_entities
from html.parser import HTMLParser
from typing import Final

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from publishing.embeds import PROVIDER, embed_plugin

__all__ = [
    "CODE_LANGUAGE",
    "RenderedText",
    "html_to_text",
    "markdown_html",
    "new_markdown_parser",
    "parse_markdown",
    "reading_time_minutes",
    "render_markdown",
    "sanitize_html",
    "sanitized_url",
]


@dataclass(frozen=True, slots=True)
class RenderedText:
    markdown: str
    html: str
    text: str


# --- Markdown -------------------------------------------------------------------------------

_ALIGN: Final = re.compile(r"text-align:(left|center|right)")


def _table_align(state: StateCore) -> None:
    # markdown-it aligns cells with inline styles, which the sanitiser drops; use `align`.
    for token in state.tokens:
        if token.type in ("th_open", "td_open"):
            style = token.attrs.pop("style", None)
            match = _ALIGN.fullmatch(str(style)) if style is not None else None
            if match:
                token.attrs["align"] = match.group(1)


# Inline formatting Markdown has no syntax for, written as these tags (an ``abbr`` may carry
# its expansion); any other HTML in Markdown stays text.
INLINE_TAGS: Final = frozenset({"sub", "sup", "abbr", "mark", "ins", "u", "s", "del"})
_INLINE_TAG: Final = re.compile(
    r"<(/?)(sub|sup|abbr|mark|ins|u|s|del)(?:\s+title=\"([^\"<>]{0,300})\")?\s*>",
    re.IGNORECASE,
)


def _inline_tag(state: StateInline, silent: bool) -> bool:
    match = _INLINE_TAG.match(state.src, state.pos, state.posMax)
    if match is None:
        return False
    closing, name, title = match.group(1), match.group(2).lower(), match.group(3)
    if title is not None and (closing or name != "abbr"):
        return False
    if not silent:
        token = state.push("html_inline", "", 0)
        expansion = f' title="{escapeHtml(unescape_entities(title))}"' if title else ""
        token.content = f"<{closing}{name}{expansion if not closing else ''}>"
    state.pos = match.end()
    return True


def new_markdown_parser() -> MarkdownIt:
    """A fresh parser with the house configuration: CommonMark, tables, strikethrough, embeds
    (see ``publishing.embeds``) and the inline tags above; no other HTML.

    Other raw HTML is escaped rather than passed through; the output is sanitised all the same.
    """
    md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": False})
    md.enable(["table", "strikethrough"])
    md.inline.ruler.before("html_inline", "inline_tag", _inline_tag)
    md.core.ruler.push("table_align", _table_align)
    embed_plugin(md)
    return md


_PARSER: Final = new_markdown_parser()


def parse_markdown(markdown: str) -> list[Token]:
    """The tokens ``markdown_html`` renders (publishing.document builds its tree from them)."""
    return _PARSER.parse(markdown)


def markdown_html(markdown: str) -> str:
    """Sanitised HTML only, for callers that never want the plain text."""
    return sanitize_html(_PARSER.render(markdown))


def render_markdown(markdown: str) -> RenderedText:
    html = markdown_html(markdown)
    return RenderedText(markdown=markdown, html=html, text=html_to_text(html))


# --- Sanitising -----------------------------------------------------------------------------

_ANCHORED: Final = frozenset({"id", "class"})
# A fenced block's language hint, which the renderer writes as class="language-…".
CODE_LANGUAGE: Final = re.compile(r"[A-Za-z0-9_+#.-]{1,40}")
_CODE_CLASS: Final = re.compile(rf"language-{CODE_LANGUAGE.pattern}")

# Body figures (publishing.media.figures): sizes from our own rendition URLs only.
_MEDIA_URL: Final = re.compile(r"/media/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+/[A-Za-z0-9._-]+")
_SRCSET: Final = re.compile(
    rf"{_MEDIA_URL.pattern} [0-9]{{1,5}}w(, {_MEDIA_URL.pattern} [0-9]{{1,5}}w)*"
)
_SIZES: Final = re.compile(r"[A-Za-z0-9 ():.,-]{1,200}")
_DIMENSION: Final = re.compile(r"[1-9][0-9]{0,4}")


# Browsers drop tabs and line breaks anywhere in a URL, trim leading controls and spaces, and
# read a backslash as "/" in http(s) URLs: "/\evil.example" is "//evil.example" to them.
_URL_IGNORED: Final = re.compile(r"[\t\n\r]")
_URL_LEADING: Final = "".join(chr(c) for c in range(0x21))
_PROTOCOL_RELATIVE: Final = re.compile(r"[/\\]{2,}")


def _absolute(url: str) -> str:
    """A protocol-relative URL (``//host/path``) made https; any other URL as it is.

    Such a URL takes its scheme from the page that shows it, and this HTML is shown by
    clients we do not know: a site on https makes it https, a site on http makes it http,
    an app's web view at file:// or its own scheme makes it a file share or an app link. The
    sanitiser's allow-list is about schemes, so the scheme is written out: https, which is
    what the author's readers get on any site served as it should be, and keeps the link
    working, where refusing it would silently break a link the author meant."""
    bare = _URL_IGNORED.sub("", url).lstrip(_URL_LEADING)
    match = _PROTOCOL_RELATIVE.match(bare)
    if match is None:
        return url
    return "https://" + bare[match.end() :]


def _allowed_value(tag: str, attr: str, value: str) -> str | None:
    if (tag, attr) in (("a", "href"), ("img", "src")):
        return _absolute(value)
    # Only the fenced-code language hint may ride on <code>, for client-side highlighting.
    if tag == "code":
        return value if _CODE_CLASS.fullmatch(value) else None
    if tag == "img":
        checks = {"srcset": _SRCSET, "sizes": _SIZES, "width": _DIMENSION, "height": _DIMENSION}
        if attr == "loading":
            return value if value == "lazy" else None
        pattern = checks.get(attr)
        if pattern is not None:
            return value if pattern.fullmatch(value) else None
    if tag == "figure":
        # A media figure (publishing.media.figures) or an embed (publishing.embeds).
        if attr == "class":
            return value if value in ("media", "embed") else None
        return value if PROVIDER.fullmatch(value) else None
    return value


_CLEANER: Final = nh3.Cleaner(
    tags={
        *("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("strong", "em", "del", "s", "code", "pre", "blockquote"),
        *("ul", "ol", "li", "a", "img", "sup", "sub", "section", "span"),
        *("abbr", "mark", "ins", "u"),
        *("table", "thead", "tbody", "tr", "th", "td"),
        *("figure", "figcaption"),
    },
    attributes={
        "a": {"href", "title", *_ANCHORED},
        "abbr": {"title"},
        "img": {"src", "alt", "title", "srcset", "sizes", "width", "height", "loading"},
        "figure": {"class", "data-provider"},
        "ol": {"start"},
        "code": {"class"},
        "td": {"colspan", "rowspan", "align"},
        "th": {"colspan", "rowspan", "align"},
        **{tag: set(_ANCHORED) for tag in ("sup", "section", "li", "span")},
    },
    attribute_filter=lambda tag, attr, value: _allowed_value(tag, attr, value),
    url_schemes={"http", "https", "mailto"},
    url_relative="pass_through",
    link_rel="noopener noreferrer",
)


def sanitize_html(html: str) -> str:
    """Reduce HTML to the prose allow-list: no scripts, styles, handlers or unsafe URLs."""
    return _CLEANER.clean(html)


_URL_ATTRIBUTE: Final = re.compile(r'(?:href|src)="([^"]*)"')


@lru_cache(maxsize=4096)
def sanitized_url(url: str, *, image: bool = False) -> str | None:
    """The address a link (or an image) keeps in sanitised HTML, or None where it keeps none:
    the sanitiser itself decides, so the document tree follows the HTML's rules exactly."""
    value = escapeHtml(url)
    html = f'<img src="{value}">' if image else f'<a href="{value}">x</a>'
    match = _URL_ATTRIBUTE.search(sanitize_html(html))
    return None if match is None else unescape_entities(match.group(1))


# --- Plain text -----------------------------------------------------------------------------

# How far apart two pieces of text stand, weakest first.
_CELL, _LINE, _PARAGRAPH = "\t", "\n", "\n\n"
_RANK: Final = {"": 0, _CELL: 1, _LINE: 2, _PARAGRAPH: 3}
_PARAGRAPH_TAGS: Final = frozenset(
    {
        *("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "table"),
        *("section", "div", "article", "header", "footer", "figure", "figcaption", "dl"),
    }
)
_LINE_TAGS: Final = frozenset({"li", "tr", "br", "dt", "dd", "caption"})
_CELL_TAGS: Final = frozenset({"td", "th"})
_LIST_TAGS: Final = frozenset({"ul", "ol"})
_HIDDEN_TAGS: Final = frozenset({"script", "style", "template", "noscript", "head", "title"})
_VOID_TAGS: Final = frozenset({"br", "hr", "img", "wbr", "input", "meta", "link", "source"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._buffer: list[str] = []
        self._gap = ""  # strongest break seen since the last piece of text
        self._hidden = 0
        self._pre = 0
        self._lists = 0

    def _break(self, gap: str) -> None:
        raw = "".join(self._buffer)
        self._buffer.clear()
        # Preformatted text keeps its lines and indentation; elsewhere whitespace collapses.
        text = raw.strip("\n").rstrip() if self._pre else " ".join(raw.split())
        if text:
            if self.pieces:
                self.pieces.append(self._gap)
            self.pieces.append(text)
            self._gap = ""
        if _RANK[gap] > _RANK[self._gap]:
            self._gap = gap

    def _tag(self, tag: str, opening: bool) -> None:
        step = 1 if opening else -1
        if tag in _HIDDEN_TAGS:
            self._hidden = max(self._hidden + step, 0)
        elif tag in _LIST_TAGS:
            # Nested lists continue their parent item's lines rather than open a paragraph.
            self._break(_LINE if self._lists > int(not opening) else _PARAGRAPH)
            self._lists = max(self._lists + step, 0)
        elif tag in _PARAGRAPH_TAGS:
            self._break(_PARAGRAPH)
            if tag == "pre":
                self._pre = max(self._pre + step, 0)
        elif tag in _LINE_TAGS:
            self._break(_LINE)
        elif tag in _CELL_TAGS and opening:
            self._break(_CELL)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, opening=True)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, opening=True)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID_TAGS:
            self._tag(tag, opening=False)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._break(_PARAGRAPH)


def html_to_text(html: str) -> str:
    """Readable plain text: blocks apart by blank lines, list items and rows by newlines."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return "".join(extractor.pieces)


# --- Reading time ---------------------------------------------------------------------------

# Scripts written without spaces count one word per character (close to reading speed there).
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD: Final = re.compile(rf"[{_UNSPACED}]|[^\s{_UNSPACED}]+")


def reading_time_minutes(text: str, words_per_minute: int = 220) -> int:
    """Minutes to read `text`, rounded up; 0 only when there is nothing to read."""
    if words_per_minute <= 0:
        raise ValueError("words_per_minute must be positive")
    words = sum(1 for _ in _WORD.finditer(text))
    return math.ceil(words / words_per_minute)
