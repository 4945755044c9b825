"""Footnote references (`[^key]`) in an article body, their numbers, labels and rendering.

Definitions are not part of the body: they are stored as separate records. A footnote's number
is the order of its first reference in the body.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from publishing.document import Node, build_document
from publishing.media import figures as media_figures
from publishing.text import html_to_text, new_markdown_parser, sanitize_html

__all__ = [
    "KEY_PATTERN",
    "FootnoteNumber",
    "NumberingStyle",
    "ParsedBody",
    "Reference",
    "RenderedBody",
    "anchor_id",
    "find_references",
    "first_reference_order",
    "install_references",
    "label",
    "number_footnotes",
    "reference_id",
    "render_body",
]

KEY_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


class NumberingStyle(enum.StrEnum):
    ARABIC = "ARABIC"
    ROMAN = "ROMAN"


@dataclass(frozen=True, slots=True)
class Reference:
    key: str
    line: int  # 1-based
    column: int  # 1-based


@dataclass(frozen=True, slots=True)
class RenderedBody:
    markdown: str
    html: str
    text: str
    order: tuple[str, ...]  # keys that have a footnote, in order of first reference
    occurrences: Mapping[str, int]  # references per key in `order`


# --- Labels and ids -------------------------------------------------------------------------

_ROMAN: Final = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def label(number: int, style: NumberingStyle) -> str:
    """The footnote's visible label: "1", "2"... or "i", "ii"..."""
    if number < 1:
        raise ValueError(f"footnote numbers start at 1, got {number}")
    if style is NumberingStyle.ARABIC:
        return str(number)
    # Past 3999 there is no standard form; repeating "m" stays readable and unambiguous.
    parts: list[str] = []
    for value, numeral in _ROMAN:
        count, number = divmod(number, value)
        parts.append(numeral * count)
    return "".join(parts)


def anchor_id(key: str) -> str:
    """The id of the footnote itself, which every reference links to."""
    return f"fn-{key}"


def reference_id(key: str, occurrence: int) -> str:
    """The id of the `occurrence`-th (1-based) reference to `key`, for links back."""
    if occurrence < 1:
        raise ValueError(f"occurrences start at 1, got {occurrence}")
    return f"fnref-{key}" if occurrence == 1 else f"fnref-{key}-{occurrence}"


@dataclass(frozen=True, slots=True)
class FootnoteNumber:
    """Where one footnote stands in its article, and the ids that link it with the body."""

    key: str
    number: int
    label: str
    references: int  # how often the body cites it

    @property
    def anchor_id(self) -> str:
        return anchor_id(self.key)

    @property
    def reference_ids(self) -> tuple[str, ...]:
        return tuple(reference_id(self.key, n) for n in range(1, self.references + 1))


def number_footnotes(
    references: Iterable[str], keys: Iterable[str], style: NumberingStyle
) -> list[FootnoteNumber]:
    """Number the footnotes ``keys`` (in stored order) by the body's ``references`` (the key
    of every reference, in body order), in number order.

    A footnote's number is the order of its first reference. References to keys without a
    footnote take no number (the body shows them as typed). A footnote the body never cites
    (validation refuses one; older content may hold it) follows the cited ones, in stored order.
    """
    stored = list(dict.fromkeys(keys))
    known = set(stored)
    cited: dict[str, int] = {}
    for key in references:
        if key in known:
            cited[key] = cited.get(key, 0) + 1
    ordered = [*cited, *(key for key in stored if key not in cited)]
    return [
        FootnoteNumber(key, number, label(number, style), cited.get(key, 0))
        for number, key in enumerate(ordered, start=1)
    ]


# --- Parsing --------------------------------------------------------------------------------

_REFERENCE: Final = re.compile(rf"\[\^({KEY_PATTERN.pattern})\]")
_TOKEN: Final = "footnote_ref"


def _footnote_ref(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    # Silent mode only measures link text. Declining there and inside links keeps
    # `[text [^a]](url)` a link (with the reference literal) instead of nesting links.
    if silent or state.linkLevel > 0 or not src.startswith("[^", pos):
        return False
    match = _REFERENCE.match(src, pos, state.posMax)
    if match is None:
        return False
    # `[^key]:` opening a line is a definition typed into the body, not a reference.
    line_start = src.rfind("\n", 0, pos) + 1
    if src.startswith(":", match.end()) and not src[line_start:pos].strip():
        return False
    token = state.push(_TOKEN, "", 0)
    token.meta = {"key": match.group(1), "offset": pos}
    state.pos = match.end()
    return True


_ENV: Final = "pressroom_footnotes"


@dataclass(frozen=True, slots=True)
class _Render:
    labels: Mapping[str, str]
    markers: bool  # False renders the body without its footnote markers


def _render_footnote_ref(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    key: str = token.meta["key"]
    render: _Render | None = env.get(_ENV)
    if render is None or key not in render.labels:
        return escapeHtml(f"[^{key}]")
    if not render.markers:
        return ""
    ref_id = reference_id(key, token.meta["occurrence"])
    return (
        f'<sup class="footnote-ref"><a href="#{anchor_id(key)}" id="{ref_id}">'
        f"{escapeHtml(render.labels[key])}</a></sup>"
    )


def install_references(md: MarkdownIt) -> None:
    """Teach ``md`` footnote references: ``footnote_ref`` tokens with ``meta["key"]`` (and
    ``meta["offset"]`` in the inline source), rendered as typed unless numbered."""
    md.inline.ruler.before("link", _TOKEN, _footnote_ref)


# Built once: parsing bodies is on the hot path.
_PARSER: Final = new_markdown_parser()
install_references(_PARSER)
_PARSER.add_render_rule(_TOKEN, _render_footnote_ref)
media_figures.install(_PARSER)


def _references(tokens: Sequence[Token]) -> Iterator[tuple[Token, Token]]:
    """(inline block token, reference token) pairs in body order.

    Image children are not visited: an image's alt text is not a place for a footnote.
    """
    for block in tokens:
        if block.type == "inline" and block.children:
            for child in block.children:
                if child.type == _TOKEN:
                    yield block, child


def _normalised_lines(body: str) -> list[str]:
    # The parser works on text with normalised line ends; positions refer to that text.
    return body.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def find_references(body: str) -> list[Reference]:
    """Every footnote reference in the body, in order; code, definitions and links excluded."""
    lines = _normalised_lines(body)
    cursors: dict[int, int] = {}  # per line: where the previous inline segment ended
    located: dict[tuple[int, int], int] = {}  # (block index, content line) -> column offset
    found: list[Reference] = []
    tokens = _PARSER.parse(body)
    block_index = {id(token): index for index, token in enumerate(tokens)}
    for block, ref in _references(tokens):
        content: str = block.content
        offset: int = ref.meta["offset"]
        row = content.count("\n", 0, offset)
        row_start = content.rfind("\n", 0, offset) + 1
        line_no = (block.map[0] if block.map else 0) + row
        source = lines[line_no] if line_no < len(lines) else ""
        place = (block_index[id(block)], row)
        if place not in located:
            # Block markup (`> `, list markers, indentation, table pipes) precedes the segment.
            segment = content[row_start:].split("\n", 1)[0]
            start = source.find(segment, cursors.get(line_no, 0)) if segment else -1
            located[place] = max(start, 0)
            if start >= 0:
                cursors[line_no] = start + len(segment)
        column = located[place] + offset - row_start
        text = f"[^{ref.meta['key']}]"
        if not source.startswith(text, column):
            # Tabs expanded by the parser can shift the segment; find the reference itself.
            nearby = source.find(text, located[place])
            column = nearby if nearby >= 0 else max(source.find(text), column)
        found.append(Reference(key=ref.meta["key"], line=line_no + 1, column=column + 1))
    return found


def first_reference_order(body: str) -> list[str]:
    """Distinct referenced keys, in order of first reference."""
    return list(dict.fromkeys(ref.meta["key"] for _, ref in _references(_PARSER.parse(body))))


class ParsedBody:
    """A body parsed once: its references and both renderings come from the same tokens, so
    a page that shows the body and its footnotes parses it once."""

    def __init__(self, markdown: str) -> None:
        self.markdown = markdown
        self._tokens = _PARSER.parse(markdown)

    def referenced_keys(self) -> list[str]:
        """The key of every reference, in body order (what ``find_references`` finds)."""
        return [ref.meta["key"] for _, ref in _references(self._tokens)]

    def _number(self, footnote_keys: Collection[str], style: NumberingStyle) -> _Numbering:
        known = frozenset(footnote_keys)
        occurrences: dict[str, int] = {}
        for _, ref in _references(self._tokens):
            key = ref.meta["key"]
            if key in known:
                occurrences[key] = occurrences.get(key, 0) + 1
                ref.meta["occurrence"] = occurrences[key]
        # Labels from the rule the footnote list follows, so a marker and its note agree.
        numbers = number_footnotes(self.referenced_keys(), occurrences, style)
        return _Numbering({n.key: n.label for n in numbers}, occurrences)

    def media_targets(self) -> list[str]:
        """Every ``media:`` image target, in body order (see publishing.media.figures)."""
        return media_figures.media_targets_of(self._tokens)

    def _render(
        self,
        labels: Mapping[str, str],
        *,
        markers: bool,
        figures: media_figures.Figures = MappingProxyType({}),
    ) -> str:
        env: dict[str, object] = {
            _ENV: _Render(labels, markers=markers),
            **media_figures.env(figures),
        }
        return sanitize_html(_PARSER.renderer.render(self._tokens, _PARSER.options, env))

    def html(
        self,
        footnote_keys: Collection[str],
        style: NumberingStyle,
        figures: media_figures.Figures = MappingProxyType({}),
    ) -> str:
        """Sanitised HTML with numbered footnote markers (see ``render_body``) and
        ``media:`` images as ``figures``."""
        labels = self._number(footnote_keys, style).labels
        return self._render(labels, markers=True, figures=figures)

    def text(
        self,
        footnote_keys: Collection[str],
        style: NumberingStyle,
        figures: media_figures.Figures = MappingProxyType({}),
    ) -> str:
        """Plain text without footnote markers (see ``render_body``)."""
        labels = self._number(footnote_keys, style).labels
        return html_to_text(self._render(labels, markers=False, figures=figures))

    def document(
        self,
        footnote_keys: Collection[str],
        style: NumberingStyle,
        figures: media_figures.Figures = MappingProxyType({}),
    ) -> Node:
        """The document tree (see ``publishing.document``): footnote references numbered as
        in ``html`` and ``media:`` images as ``figures``."""
        known = frozenset(footnote_keys)
        references = self.referenced_keys()
        cited = [key for key in dict.fromkeys(references) if key in known]
        numbers = number_footnotes(references, cited, style)
        return build_document(
            self._tokens, footnotes={n.key: (n.number, n.label) for n in numbers}, figures=figures
        )

    def render(self, footnote_keys: Collection[str], style: NumberingStyle) -> RenderedBody:
        numbering = self._number(footnote_keys, style)
        return RenderedBody(
            markdown=self.markdown,
            html=self._render(numbering.labels, markers=True),
            text=html_to_text(self._render(numbering.labels, markers=False)),
            order=tuple(numbering.occurrences),
            occurrences=MappingProxyType(numbering.occurrences),
        )


@dataclass(frozen=True, slots=True)
class _Numbering:
    labels: dict[str, str]
    occurrences: dict[str, int]


def render_body(
    markdown: str, footnote_keys: Collection[str], style: NumberingStyle
) -> RenderedBody:
    """Sanitised HTML with numbered footnote markers, and plain text without them.

    References to keys outside `footnote_keys` stay literal `[^key]` text and take no number.
    No footnote list is appended: clients build it from the footnote records.
    """
    return ParsedBody(markdown).render(footnote_keys, style)
