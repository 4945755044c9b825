"""Inline content of a segment: text and the codes that stand for inline Markdown, read from
markdown-it tokens and written back as Markdown (see publishing.translations.segments)."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from publishing.footnotes.references import install_references
from publishing.text import new_markdown_parser

__all__ = [
    "PARSER",
    "Code",
    "CodeInfo",
    "CodeKind",
    "ImageParts",
    "Inline",
    "InlineBuilder",
    "Pair",
    "Text",
    "image_markdown",
    "plain_text",
    "render_markdown",
    "start_safe",
]


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
    image: ImageParts | None = None

    @property
    def paired(self) -> bool:
        return self.kind in _PAIRED


_PAIRED: Final = frozenset(
    {CodeKind.LINK, CodeKind.EMPHASIS, CodeKind.STRONG, CodeKind.STRIKETHROUGH}
)


@dataclass(frozen=True, slots=True)
class ImageParts:
    destination: str  # the source's link destination, as written
    alt_segment: str | None
    caption_segment: str | None
    alt: str
    caption: str


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


PARSER: Final = _parser()


class InlineBuilder:
    """Turns one inline token's children into content and codes."""

    def __init__(self, src: str) -> None:
        self.src = src  # the inline token's source, which recorded spans point into
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
        alt = _plain_text_of_tokens(token.children or [])
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
            image=ImageParts(destination, None, None, alt, caption),
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


def _plain_text_of_tokens(tokens: Sequence[Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "text_special", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(_plain_text_of_tokens(token.children or []))
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


def render_markdown(
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
        inner = render_markdown(item.content, codes, images)
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


def image_markdown(info: CodeInfo, alt: str, caption: str) -> str:
    parts = info.image
    assert parts is not None
    title = ""
    if caption.strip():
        escaped = _SPACE.sub(" ", caption.strip()).replace("\\", "\\\\").replace('"', '\\"')
        title = f' "{escaped}"'
    return f"![{_escape(alt.strip())}]({parts.destination}{title})"


def start_safe(markdown: str) -> str:
    # "1. ", "# ", "- " or "> " opening a paragraph would make it a list, heading or quote.
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", markdown, count=1)
