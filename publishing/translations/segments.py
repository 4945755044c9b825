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
A translated block is one line (soft line breaks become spaces), links and images keep their
destinations as written, emphasis is written ``*``/``**`` whichever delimiter the original
used, and translated text is escaped so it cannot open markup of its own. An embed's caption
(``@[provider](url "caption")``) is not a segment: the embed line is kept as it is.

The inline content and its codes live in publishing.translations.inline, what changed between
two versions in publishing.translations.changes; this module names them all.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Final

from publishing.translations.changes import (
    ChangeKind,
    SegmentChange,
    align_segments,
    diff_segments,
)
from publishing.translations.inline import (
    PARSER,
    Code,
    CodeInfo,
    CodeKind,
    Inline,
    InlineBuilder,
    Pair,
    Text,
    image_markdown,
    plain_text,
    render_markdown,
    start_safe,
)

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

_SPACE: Final = re.compile(r"\s+")


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


def source_markdown(segment: Segment, content: Sequence[Inline]) -> str:
    """``content`` (the segment's own, or a translation checked by ``check_target``) as the
    Markdown of one block, its codes as the original wrote them."""
    rendered = render_markdown(content, segment.codes, lambda info: info.markdown)
    if segment.kind in _PLAIN_KINDS:
        return _SPACE.sub(" ", plain_text(content)).strip()
    return start_safe(rendered.strip())


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
    tokens = PARSER.parse("\n".join(lines))
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
        builder = InlineBuilder(token.content)
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
            segment = segments.get(segment_id) if segment_id is not None else None
            if segment is None:
                return fallback  # no text to translate (white space only)
            return source_markdown(segment, targets.get(segment.id, segment.content))

        def markdown_field(name: str, original: str) -> str:
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
            body=markdown_field("body", text.body),
            footnotes=tuple(
                replace(note, content=markdown_field(f"footnote:{note.key}", note.content))
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

        def image(info: CodeInfo) -> str:
            parts = info.image
            assert parts is not None
            return image_markdown(
                info,
                translated(parts.alt_segment, parts.alt),
                translated(parts.caption_segment, parts.caption),
            )

        for block in source.blocks:
            if block.segment_id is not None:
                segment = segments[block.segment_id]
                content = tuple(targets.get(block.segment_id, segment.content))
            else:
                content = block.content
            rendered = start_safe(render_markdown(content, block.codes, image).strip())
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
