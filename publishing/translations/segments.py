"""Segments: an article's translatable text, split into units a translator works on.

An article's title, subtitle and excerpt are one segment each. Its Markdown (the body and each
footnote's content) is split into one segment per block of running text: a paragraph, heading,
list item, table cell or quoted paragraph. An image in the body gives a segment for its alt
text and one for its caption (the title of ``![alt](media:ID "caption")``); the featured
image's alt text and caption (media texts in the original's language) give one each.

Inline markup is not text to translate: footnote references (``[^key]``), links, emphasis,
strong, strikethrough, inline code, images, the inline tags (``<sup>``...) and hard line
breaks become *codes* inside a segment's content. A ``Code`` stands alone (a footnote
reference), a ``Pair`` encloses translated text (a link, emphasis). Codes carry only an id;
what they stand for (their Markdown) stays in ``Segment.codes``, taken from the original, so a
translation cannot change a link's address or lose a footnote reference without
``check_target`` saying so. XLIFF writes codes as ``<ph/>``/``<pc>`` (2.1) or ``<x/>``/``<g>``
(1.2).

Identity. A Markdown block's segment id is its field's prefix and a hash of its normalised
source (its Markdown with whitespace collapsed), with ``-2``, ``-3``... for repeats of the
same text in a field: ``body-k3v9q2ma``, ``fn-npt-4hx0c1rd``. A paragraph inserted above,
or a paragraph deleted, moved or edited elsewhere, leaves every other id as it was; only an
edited block gets a new id. Ids by position (``body-12``) would renumber everything below an
insertion, so a translator's stale list would be wrong exactly when it matters. The price of
hashing, that an edited block is "removed and added" by id, is paid back by ``diff_segments``,
which aligns the old and new sequences of a field and reports a block replaced in place as
``CHANGED`` with both texts. Single-valued fields keep fixed ids (``title``, ``subtitle``,
``excerpt``, ``image-REF-alt``, ``image-REF-caption``).

A translation is rebuilt (``Segmentation.restore``) on the original's Markdown: each block's
text is replaced by its translation and everything else (list markers, tables, code blocks,
embeds, reference definitions) is kept, so the translation has the original's structure.
"""

from __future__ import annotations

import base64
import difflib
import enum
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Final

from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from publishing.footnotes.references import install_references
from publishing.text import new_markdown_parser

__all__ = [
    "ArticleText",
    "ChangeKind",
    "Code",
    "CodeInfo",
    "CodeKind",
    "CodeProblem",
    "FootnoteText",
    "ImageText",
    "Inline",
    "Pair",
    "Segment",
    "SegmentChange",
    "SegmentKind",
    "Segmentation",
    "Text",
    "align_segments",
    "check_target",
    "diff_segments",
    "plain_text",
    "segment_article",
    "source_markdown",
]


class SegmentKind(enum.StrEnum):
    TITLE = "TITLE"
    SUBTITLE = "SUBTITLE"
    EXCERPT = "EXCERPT"
    PARAGRAPH = "PARAGRAPH"
    HEADING = "HEADING"
    LIST_ITEM = "LIST_ITEM"
    TABLE_CELL = "TABLE_CELL"
    QUOTE = "QUOTE"
    FOOTNOTE = "FOOTNOTE"
    IMAGE_ALT = "IMAGE_ALT"
    IMAGE_CAPTION = "IMAGE_CAPTION"


class CodeKind(enum.StrEnum):
    FOOTNOTE_REFERENCE = "FOOTNOTE_REFERENCE"
    LINK = "LINK"
    AUTOLINK = "AUTOLINK"
    EMPHASIS = "EMPHASIS"
    STRONG = "STRONG"
    STRIKETHROUGH = "STRIKETHROUGH"
    CODE = "CODE"
    IMAGE = "IMAGE"
    TAG = "TAG"  # an inline tag (<sup>, <abbr title="...">...), opening or closing
    LINE_BREAK = "LINE_BREAK"


# --- Content ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Code:
    """A standalone code (XLIFF ``<ph/>``, ``<x/>``)."""

    id: str


@dataclass(frozen=True, slots=True)
class Pair:
    """A code around text (XLIFF ``<pc>``, ``<g>``)."""

    id: str
    content: tuple[Inline, ...]


Inline = Text | Code | Pair


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """What a code stands for. ``markdown`` is a standalone code's Markdown; ``start`` and
    ``end`` a pair's. ``display`` is what a translation tool shows in place of the code."""

    id: str
    kind: CodeKind
    markdown: str = ""
    start: str = ""
    end: str = ""
    display: str = ""
    # An image with an alt text or caption segment: rebuilt from their translations.
    image: _ImageParts | None = None

    @property
    def paired(self) -> bool:
        return self.kind in _PAIRED


_PAIRED: Final = frozenset(
    {CodeKind.LINK, CodeKind.EMPHASIS, CodeKind.STRONG, CodeKind.STRIKETHROUGH}
)


@dataclass(frozen=True, slots=True)
class _ImageParts:
    destination: str  # the source's link destination, as written
    alt_segment: str | None
    caption_segment: str | None
    alt: str
    caption: str


@dataclass(frozen=True, slots=True)
class Segment:
    id: str
    kind: SegmentKind
    # Where it belongs: "title", "subtitle", "excerpt", "body", "footnote:KEY", "image:REF".
    field: str
    content: tuple[Inline, ...]
    codes: Mapping[str, CodeInfo] = field(default_factory=lambda: MappingProxyType({}))
    # Context for the translator (what a footnote cites, what an alt text is for).
    note: str | None = None

    @property
    def source(self) -> str:
        """The source as Markdown, codes included: what a translator compares."""
        return source_markdown(self, self.content)

    @property
    def text(self) -> str:
        """The source's plain text, codes left out."""
        return plain_text(self.content)


# --- What an article gives ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FootnoteText:
    key: str
    content: str  # Markdown
    source: str | None = None  # the cited source, for the translator's note


@dataclass(frozen=True, slots=True)
class ImageText:
    """An image's texts in one language; ``ref`` names the asset (its database id)."""

    ref: str
    alt: str | None
    caption: str | None


@dataclass(frozen=True, slots=True)
class ArticleText:
    """The translatable text of one article version (what ``segment_article`` splits, and
    what ``Segmentation.restore`` gives back in the target language)."""

    title: str
    subtitle: str | None = None
    excerpt: str | None = None
    body: str = ""
    footnotes: tuple[FootnoteText, ...] = ()
    featured_image: ImageText | None = None

    @classmethod
    def from_snapshot(
        cls, snapshot: Mapping[str, Any], featured_image: ImageText | None = None
    ) -> ArticleText:
        """From a revision's snapshot (publishing.articles.revisions.snapshot). Media texts
        are not in snapshots: they belong to the asset, so the caller passes them."""
        footnotes = []
        for footnote in snapshot.get("footnotes") or ():
            source = footnote.get("source")
            footnotes.append(
                FootnoteText(
                    key=footnote["key"],
                    content=footnote["content"],
                    source=_source_line(source) if source else None,
                )
            )
        return cls(
            title=snapshot.get("title") or "",
            subtitle=snapshot.get("subtitle"),
            excerpt=snapshot.get("excerpt"),
            body=snapshot.get("body") or "",
            footnotes=tuple(footnotes),
            featured_image=featured_image,
        )


def _source_line(source: Mapping[str, Any]) -> str:
    parts = [source.get("title"), source.get("publisher"), source.get("url")]
    return ", ".join(str(p) for p in parts if p)


# --- Parsing --------------------------------------------------------------------------------


def _recording(rule: Callable[[StateInline, bool], bool], types: frozenset[str]) -> Any:
    """Wrap an inline rule so its first token of ``types`` records where it stood in the
    source: codes are written back as the author wrote them, not as the parser normalised."""

    def recorded(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        label_end = -1
        if not silent and state.src.startswith("![" if "image" in types else "[", start):
            label_end = state.md.helpers.parseLinkLabel(
                state, start + (1 if "image" in types else 0), "image" not in types
            )
        if not rule(state, silent):
            return False
        if not silent:
            for token in state.tokens[count:]:
                if token.type in types:
                    token.meta = {
                        **(token.meta or {}),
                        "span": (start, state.pos),
                        "label_end": label_end,
                    }
                    break
        return True

    return recorded


def _parser() -> Any:
    from markdown_it.rules_inline.autolink import autolink
    from markdown_it.rules_inline.image import image
    from markdown_it.rules_inline.link import link

    md = new_markdown_parser()
    install_references(md)
    md.inline.ruler.at("link", _recording(link, frozenset({"link_open"})))
    md.inline.ruler.at("image", _recording(image, frozenset({"image"})))
    md.inline.ruler.at("autolink", _recording(autolink, frozenset({"link_open"})))
    return md


_PARSER: Final = _parser()


class _Builder:
    """Turns one inline token's children into content and codes."""

    def __init__(self, src: str, prefix: str, field_name: str) -> None:
        self.src = src
        self.prefix = prefix
        self.field = field_name
        self.codes: dict[str, CodeInfo] = {}
        self.images: list[tuple[str, CodeInfo]] = []

    def _id(self) -> str:
        return str(len(self.codes) + 1)

    def _add(self, info: CodeInfo) -> str:
        self.codes[info.id] = info
        return info.id

    def build(self, children: Sequence[Token]) -> tuple[Inline, ...]:
        stack: list[tuple[str, list[Inline]]] = [("", [])]
        skip_until = -1
        for index, token in enumerate(children):
            if index <= skip_until:
                continue
            out = stack[-1][1]
            kind = token.type
            if kind in ("text", "text_special"):
                out.append(Text(token.content))
            elif kind == "softbreak":
                out.append(Text(" "))
            elif kind == "hardbreak":
                out.append(
                    Code(self._add(CodeInfo(self._id(), CodeKind.LINE_BREAK, "\\\n", display="↵")))
                )
            elif kind == "footnote_ref":
                key = token.meta["key"]
                out.append(
                    Code(
                        self._add(
                            CodeInfo(
                                self._id(),
                                CodeKind.FOOTNOTE_REFERENCE,
                                f"[^{key}]",
                                display=f"[^{key}]",
                            )
                        )
                    )
                )
            elif kind == "code_inline":
                markdown = _code_span(token.content, token.markup)
                out.append(
                    Code(self._add(CodeInfo(self._id(), CodeKind.CODE, markdown, display=markdown)))
                )
            elif kind == "html_inline":
                out.append(
                    Code(
                        self._add(
                            CodeInfo(self._id(), CodeKind.TAG, token.content, display=token.content)
                        )
                    )
                )
            elif kind == "image":
                out.append(Code(self._image(token)))
            elif kind == "link_open" and token.markup == "autolink":
                start, end = token.meta["span"]
                markdown = self.src[start:end]
                out.append(
                    Code(
                        self._add(
                            CodeInfo(self._id(), CodeKind.AUTOLINK, markdown, display=markdown)
                        )
                    )
                )
                skip_until = _closing(children, index)
            elif kind in _OPENERS:
                code_kind, markup = _OPENERS[kind]
                if kind == "link_open":
                    start, end = token.meta["span"]
                    label_end = token.meta["label_end"]
                    info = CodeInfo(
                        self._id(),
                        CodeKind.LINK,
                        start="[",
                        end=self.src[label_end:end],
                        display=str(token.attrGet("href") or ""),
                    )
                else:
                    info = CodeInfo(self._id(), code_kind, start=markup, end=markup, display=markup)
                stack.append((self._add(info), []))
            elif kind in _CLOSERS and len(stack) > 1:
                code_id, content = stack.pop()
                stack[-1][1].append(Pair(code_id, tuple(_merge(content))))
        while len(stack) > 1:  # unbalanced (cannot happen with markdown-it): flatten
            code_id, content = stack.pop()
            stack[-1][1].append(Pair(code_id, tuple(_merge(content))))
        return tuple(_merge(stack[0][1]))

    def _image(self, token: Token) -> str:
        start, end = token.meta["span"]
        source = self.src[start:end]
        label_end = token.meta["label_end"]
        alt = plain_text_of_tokens(token.children or [])
        caption = str(token.attrGet("title") or "")
        destination = _inline_destination(self.src, label_end, end)
        code_id = self._id()
        if destination is None:
            # A reference-style image: its caption lives in the definition; kept as written.
            return self._add(CodeInfo(code_id, CodeKind.IMAGE, source, display=source))
        info = CodeInfo(
            code_id,
            CodeKind.IMAGE,
            source,
            display=source,
            image=_ImageParts(destination, None, None, alt, caption),
        )
        self._add(info)
        self.images.append((code_id, info))
        return code_id


_OPENERS: Final = {
    "link_open": (CodeKind.LINK, ""),
    "em_open": (CodeKind.EMPHASIS, "*"),
    "strong_open": (CodeKind.STRONG, "**"),
    "s_open": (CodeKind.STRIKETHROUGH, "~~"),
}
_CLOSERS: Final = frozenset({"link_close", "em_close", "strong_close", "s_close"})


def _closing(children: Sequence[Token], index: int) -> int:
    for position in range(index + 1, len(children)):
        if children[position].type == "link_close":
            return position
    return len(children) - 1


def _inline_destination(src: str, label_end: int, end: int) -> str | None:
    """The destination of ``![alt](destination "title")`` as written, or None for a
    reference-style image."""
    if label_end < 0 or not src.startswith("](", label_end):
        return None
    inner = src[label_end + 2 : end - 1].strip()
    if inner.startswith("<"):
        close = inner.find(">")
        return inner[: close + 1] if close > 0 else None
    return inner.split(None, 1)[0] if inner else ""


def _code_span(content: str, markup: str) -> str:
    pad = " " if content.startswith(("`", " ")) or content.endswith(("`", " ")) else ""
    return f"{markup}{pad}{content}{pad}{markup}"


def plain_text_of_tokens(tokens: Sequence[Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "text_special", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(plain_text_of_tokens(token.children or []))
    return "".join(parts)


def _merge(items: Iterable[Inline]) -> Iterator[Inline]:
    pending: list[str] = []
    for item in items:
        if isinstance(item, Text):
            pending.append(item.text)
            continue
        if pending and "".join(pending):
            yield Text("".join(pending))
        pending.clear()
        yield item
    if pending and "".join(pending):
        yield Text("".join(pending))


def plain_text(content: Sequence[Inline]) -> str:
    """The text of ``content`` without its codes."""
    parts: list[str] = []
    for item in content:
        if isinstance(item, Text):
            parts.append(item.text)
        elif isinstance(item, Pair):
            parts.append(plain_text(item.content))
    return "".join(parts)


# --- Markdown out ---------------------------------------------------------------------------

_ESCAPED: Final = re.compile(r"([\\`*_\[\]<>~|])")
_ENTITY: Final = re.compile(r"&(?=#?[A-Za-z0-9]{1,32};)")
_BLOCK_START: Final = re.compile(r"^(\s*)(#|>|[-+=]|\d{1,9}(?=[.)])|@)")
_SPACE: Final = re.compile(r"\s+")


def _escape(text: str) -> str:
    """Plain text made Markdown that shows it as typed (no accidental emphasis or links)."""
    text = _ESCAPED.sub(r"\\\1", _SPACE.sub(" ", text))
    text = _ENTITY.sub("\\&", text)
    return text[:-1] + "\\!" if text.endswith("!") else text


def _markdown(
    content: Sequence[Inline],
    codes: Mapping[str, CodeInfo],
    images: Callable[[CodeInfo], str],
) -> str:
    parts: list[str] = []
    for item in content:
        if isinstance(item, Text):
            parts.append(_escape(item.text))
            continue
        info = codes.get(item.id)
        if info is None:
            continue  # check_target refuses unknown codes; rendering skips them
        if isinstance(item, Code):
            parts.append(images(info) if info.image is not None else info.markdown)
            continue
        inner = _markdown(item.content, codes, images)
        if info.kind is CodeKind.LINK:
            parts.append(f"{info.start}{inner}{info.end}")
            continue
        # Emphasis cannot open or close next to a space: keep the spaces outside it.
        stripped = inner.strip()
        if not stripped:
            parts.append(inner)
            continue
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        parts.append(f"{lead}{info.start}{stripped}{info.end}{trail}")
    return "".join(parts)


def _image_markdown(info: CodeInfo, alt: str, caption: str) -> str:
    parts = info.image
    assert parts is not None
    title = ""
    if caption.strip():
        escaped = _SPACE.sub(" ", caption.strip()).replace("\\", "\\\\").replace('"', '\\"')
        title = f' "{escaped}"'
    return f"![{_escape(alt.strip())}]({parts.destination}{title})"


def source_markdown(segment: Segment, content: Sequence[Inline]) -> str:
    """``content`` (the segment's own, or a translation checked by ``check_target``) as the
    Markdown of one block, its codes as the original wrote them."""
    rendered = _markdown(
        content,
        segment.codes,
        lambda info: info.markdown,
    )
    if segment.kind in _PLAIN_KINDS:
        return _SPACE.sub(" ", plain_text(content)).strip()
    return _start_safe(rendered.strip())


def _start_safe(markdown: str) -> str:
    # "1. ", "# ", "- " or "> " opening a paragraph would make it a list, heading or quote.
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", markdown, count=1)


_PLAIN_KINDS: Final = frozenset(
    {
        SegmentKind.TITLE,
        SegmentKind.SUBTITLE,
        SegmentKind.EXCERPT,
        SegmentKind.IMAGE_ALT,
        SegmentKind.IMAGE_CAPTION,
    }
)


# --- Checking a translation ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CodeProblem:
    """A code of the source missing from a translation, or one the translation added,
    repeated or changed (a pair written as a standalone code, or the reverse)."""

    code_id: str
    problem: str  # "MISSING", "EXTRA", "DUPLICATE", "MISMATCHED"
    display: str


def _codes_in(content: Sequence[Inline]) -> Iterator[Code | Pair]:
    for item in content:
        if isinstance(item, Code):
            yield item
        elif isinstance(item, Pair):
            yield item
            yield from _codes_in(item.content)


def check_target(segment: Segment, target: Sequence[Inline]) -> list[CodeProblem]:
    """Every code of ``segment`` exactly once in ``target``, of the same form, and no other."""
    problems: list[CodeProblem] = []
    seen: set[str] = set()
    for item in _codes_in(target):
        info = segment.codes.get(item.id)
        if info is None:
            problems.append(CodeProblem(item.id, "EXTRA", ""))
            continue
        if item.id in seen:
            problems.append(CodeProblem(item.id, "DUPLICATE", info.display))
        seen.add(item.id)
        if isinstance(item, Pair) != info.paired:
            problems.append(CodeProblem(item.id, "MISMATCHED", info.display))
    for code_id, info in segment.codes.items():
        if code_id not in seen:
            problems.append(CodeProblem(code_id, "MISSING", info.display))
    return problems


# --- Markdown fields -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Block:
    content: tuple[Inline, ...]
    codes: Mapping[str, CodeInfo]
    segment_id: str | None  # None: no text of its own (an image alone), rebuilt all the same
    spans: tuple[tuple[int, int, int], ...]  # (line, start, end) of each content line
    continuation: str  # what a new line of this block starts with (for hard breaks)


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    lines: tuple[str, ...]
    blocks: tuple[_Block, ...]


def _block_kind(stack: Sequence[str], default: SegmentKind) -> SegmentKind:
    if default is SegmentKind.FOOTNOTE:
        return default
    if "th_open" in stack or "td_open" in stack:
        return SegmentKind.TABLE_CELL
    if stack and stack[-1] == "heading_open":
        return SegmentKind.HEADING
    for opener in reversed(stack):
        if opener == "list_item_open":
            return SegmentKind.LIST_ITEM
        if opener == "blockquote_open":
            return SegmentKind.QUOTE
    return SegmentKind.PARAGRAPH


def _locate(
    lines: Sequence[str], first: int, content: str, cursors: dict[int, int]
) -> tuple[tuple[int, int, int], ...] | None:
    spans: list[tuple[int, int, int]] = []
    for row, part in enumerate(content.split("\n")):
        line_no = first + row
        if line_no >= len(lines):
            return None
        line = lines[line_no]
        if row == 0:
            start = line.find(part, cursors.get(line_no, 0))
            if start < 0 and "|" in part:  # a table cell's escaped pipes are unescaped
                part = part.replace("|", "\\|")
                start = line.find(part, cursors.get(line_no, 0))
        else:
            start = line.rfind(part)
        if start < 0:
            return None
        spans.append((line_no, start, start + len(part)))
        cursors[line_no] = start + len(part)
    return tuple(spans)


def _hash(text: str) -> str:
    digest = hashlib.blake2b(text.encode(), digest_size=5).digest()
    return base64.b32encode(digest).decode().lower()


class _Ids:
    """Ids per field: prefix, content hash, and a repeat number for identical text."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def make(self, prefix: str, canonical: str) -> str:
        base = f"{prefix}-{_hash(_SPACE.sub(' ', canonical).strip())}"
        count = self._seen.get(base, 0) + 1
        self._seen[base] = count
        return base if count == 1 else f"{base}-{count}"


def _markdown_field(
    name: str,
    prefix: str,
    markdown: str,
    kind: SegmentKind | None,
    note: str | None,
    segments: list[Segment],
) -> _Field:
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    tokens = _PARSER.parse("\n".join(lines))
    ids = _Ids()
    stack: list[str] = []
    cursors: dict[int, int] = {}
    blocks: list[_Block] = []
    for token in tokens:
        if token.nesting == 1:
            stack.append(token.type)
        elif token.nesting == -1 and stack:
            stack.pop()
        if token.type != "inline" or token.map is None or not token.content.strip():
            continue
        spans = _locate(lines, token.map[0], token.content, cursors)
        if spans is None:
            continue  # not where the parser says (cannot happen for CommonMark): kept as is
        builder = _Builder(token.content, prefix, name)
        content = builder.build(token.children or [])
        block_kind = _block_kind(stack, kind or SegmentKind.PARAGRAPH)
        codes = dict(builder.codes)
        probe = Segment("", block_kind, name, content, MappingProxyType(codes))
        segment_id: str | None = None
        if plain_text(content).strip():
            segment_id = ids.make(prefix, source_markdown(probe, content))
        # Images: their alt text and caption are segments of their own, after the block's.
        extra: list[Segment] = []
        for code_id, info in builder.images:
            parts = info.image
            assert parts is not None
            alt_id = caption_id = None
            if parts.alt.strip():
                alt_id = ids.make(f"{prefix}-alt", parts.alt)
                extra.append(
                    Segment(alt_id, SegmentKind.IMAGE_ALT, name, (Text(parts.alt),), note=_ALT_NOTE)
                )
            if parts.caption.strip():
                caption_id = ids.make(f"{prefix}-caption", parts.caption)
                extra.append(
                    Segment(
                        caption_id,
                        SegmentKind.IMAGE_CAPTION,
                        name,
                        (Text(parts.caption),),
                        note=_CAPTION_NOTE,
                    )
                )
            codes[code_id] = replace(
                info, image=replace(parts, alt_segment=alt_id, caption_segment=caption_id)
            )
        frozen = MappingProxyType(codes)
        if segment_id is not None:
            segments.append(replace(probe, id=segment_id, codes=frozen, note=note))
        segments.extend(extra)
        first_line, first_start, _ = spans[0]
        if len(spans) > 1:
            continuation = lines[spans[1][0]][: spans[1][1]]
        else:
            continuation = re.sub(r"[^>\s]", " ", lines[first_line][:first_start])
        blocks.append(_Block(content, frozen, segment_id, spans, continuation))
    return _Field(name, tuple(lines), tuple(blocks))


_ALT_NOTE: Final = (
    "Alternative text of an image: read aloud to readers who cannot see it; describe the "
    "image, do not caption it."
)
_CAPTION_NOTE: Final = "Caption shown under the image."


# --- Segmentation ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segmentation:
    """An article's segments, in reading order, and what is needed to rebuild it."""

    text: ArticleText
    segments: tuple[Segment, ...]
    _fields: Mapping[str, _Field]

    def by_id(self) -> dict[str, Segment]:
        return {segment.id: segment for segment in self.segments}

    def restore(self, targets: Mapping[str, Sequence[Inline]]) -> ArticleText:
        """The article in the target language: each segment's translation from ``targets``
        (by segment id; a segment left out keeps its source text), the original's structure
        around them. Check targets with ``check_target`` first."""
        segments = self.by_id()

        def translated(segment_id: str | None, fallback: str) -> str:
            if segment_id is None:
                return fallback
            segment = segments[segment_id]
            return source_markdown(segment, targets.get(segment_id, segment.content))

        def field(name: str, original: str) -> str:
            return (
                self._restore_field(self._fields[name], segments, targets, translated) or original
            )

        text = self.text
        image = text.featured_image
        if image is not None:
            image = ImageText(
                image.ref,
                translated(f"image-{image.ref}-alt", image.alt or "") if image.alt else None,
                translated(f"image-{image.ref}-caption", image.caption or "")
                if image.caption
                else None,
            )
        return ArticleText(
            title=translated("title", text.title),
            subtitle=translated("subtitle", text.subtitle or "")
            if text.subtitle
            else text.subtitle,
            excerpt=translated("excerpt", text.excerpt or "") if text.excerpt else text.excerpt,
            body=field("body", text.body),
            footnotes=tuple(
                replace(note, content=field(f"footnote:{note.key}", note.content))
                for note in text.footnotes
            ),
            featured_image=image,
        )

    @staticmethod
    def _restore_field(
        source: _Field,
        segments: Mapping[str, Segment],
        targets: Mapping[str, Sequence[Inline]],
        translated: Callable[[str | None, str], str],
    ) -> str:
        lines: list[str | None] = list(source.lines)
        edits: dict[int, list[tuple[int, int, str]]] = {}
        for block in source.blocks:

            def image(info: CodeInfo) -> str:
                parts = info.image
                assert parts is not None
                return _image_markdown(
                    info,
                    translated(parts.alt_segment, parts.alt),
                    translated(parts.caption_segment, parts.caption),
                )

            if block.segment_id is not None:
                segment = segments[block.segment_id]
                content = tuple(targets.get(block.segment_id, segment.content))
            else:
                content = block.content
            rendered = _start_safe(_markdown(content, block.codes, image).strip())
            rendered = rendered.replace("\n", "\n" + block.continuation)
            line, start, end = block.spans[0]
            edits.setdefault(line, []).append((start, end, rendered))
            for later, _, _ in block.spans[1:]:
                lines[later] = None
        for line, changes in edits.items():
            current = lines[line]
            assert current is not None
            for start, end, rendered in sorted(changes, reverse=True):
                current = current[:start] + rendered + current[end:]
            lines[line] = current
        return "\n".join(line for line in lines if line is not None)


def segment_article(text: ArticleText) -> Segmentation:
    """Split ``text`` into segments (see the module's docstring for what and how)."""
    segments: list[Segment] = [
        Segment(
            "title", SegmentKind.TITLE, "title", (Text(text.title),), note="Title of the article."
        )
    ]
    if text.subtitle and text.subtitle.strip():
        segments.append(
            Segment(
                "subtitle",
                SegmentKind.SUBTITLE,
                "subtitle",
                (Text(text.subtitle),),
                note="Subtitle, shown under the title.",
            )
        )
    if text.excerpt and text.excerpt.strip():
        segments.append(
            Segment(
                "excerpt",
                SegmentKind.EXCERPT,
                "excerpt",
                (Text(text.excerpt),),
                note="Summary shown in listings, feeds and search results (plain text).",
            )
        )
    fields: dict[str, _Field] = {}
    fields["body"] = _markdown_field("body", "body", text.body, None, None, segments)
    for footnote in text.footnotes:
        name = f"footnote:{footnote.key}"
        note = f"Footnote [^{footnote.key}]." + (
            f" Cites: {footnote.source}" if footnote.source else ""
        )
        fields[name] = _markdown_field(
            name, f"fn-{footnote.key}", footnote.content, SegmentKind.FOOTNOTE, note, segments
        )
    image = text.featured_image
    if image is not None:
        name = f"image:{image.ref}"
        if image.alt and image.alt.strip():
            segments.append(
                Segment(
                    f"image-{image.ref}-alt",
                    SegmentKind.IMAGE_ALT,
                    name,
                    (Text(image.alt),),
                    note="Featured image. " + _ALT_NOTE,
                )
            )
        if image.caption and image.caption.strip():
            segments.append(
                Segment(
                    f"image-{image.ref}-caption",
                    SegmentKind.IMAGE_CAPTION,
                    name,
                    (Text(image.caption),),
                    note="Featured image. " + _CAPTION_NOTE,
                )
            )
    return Segmentation(text, tuple(segments), MappingProxyType(fields))


# --- What changed ----------------------------------------------------------------------------


class ChangeKind(enum.StrEnum):
    ADDED = "ADDED"
    CHANGED = "CHANGED"
    REMOVED = "REMOVED"


@dataclass(frozen=True, slots=True)
class SegmentChange:
    """One segment of the original added, changed or removed between two versions. A
    changed segment has the new version's id (what an export of it carries)."""

    segment_id: str
    change: ChangeKind
    old: Segment | None
    new: Segment | None

    @property
    def old_source(self) -> str | None:
        return self.old.source if self.old else None

    @property
    def new_source(self) -> str | None:
        return self.new.source if self.new else None


def _by_field(segments: Iterable[Segment]) -> dict[str, list[Segment]]:
    grouped: dict[str, list[Segment]] = {}
    for segment in segments:
        grouped.setdefault(segment.field, []).append(segment)
    return grouped


def diff_segments(old: Sequence[Segment], new: Sequence[Segment]) -> list[SegmentChange]:
    """What changed from ``old`` to ``new`` (two segmentations of one article), field by
    field in ``new``'s order, then fields only ``old`` has. Within a field the sequences are
    aligned by id and source, so a block edited in place is one ``CHANGED``, not a removal
    and an addition."""
    before, after = _by_field(old), _by_field(new)
    names = list(dict.fromkeys([*after, *before]))
    changes: list[SegmentChange] = []
    for name in names:
        olds, news = before.get(name, []), after.get(name, [])
        matcher = difflib.SequenceMatcher(
            None, [(s.id, s.source) for s in olds], [(s.id, s.source) for s in news], autojunk=False
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            removed, added = olds[i1:i2], news[j1:j2]
            paired = min(len(removed), len(added))
            for previous, current in zip(removed[:paired], added[:paired], strict=True):
                changes.append(SegmentChange(current.id, ChangeKind.CHANGED, previous, current))
            for current in added[paired:]:
                changes.append(SegmentChange(current.id, ChangeKind.ADDED, None, current))
            for previous in removed[paired:]:
                changes.append(SegmentChange(previous.id, ChangeKind.REMOVED, previous, None))
    return changes


def align_segments(source: Sequence[Segment], translation: Sequence[Segment]) -> dict[str, Segment]:
    """Pair the segments of an original with those of a translation of the same version
    (by field, then by the order of blocks of the same kind): source id -> translated
    segment. A translation built by ``Segmentation.restore`` pairs completely; one written
    by hand pairs as far as its structure follows the original's."""
    before, after = _by_field(source), _by_field(translation)
    pairs: dict[str, Segment] = {}
    for name, originals in before.items():
        translated = after.get(name, [])
        matcher = difflib.SequenceMatcher(
            None, [s.kind for s in originals], [s.kind for s in translated], autojunk=False
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
                for original, version in zip(originals[i1:i2], translated[j1:j2], strict=True):
                    pairs[original.id] = version
    return pairs
