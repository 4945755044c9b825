"""Rich text as a document tree, for clients that render natively instead of showing HTML.

The tree is built from the markdown-it tokens the HTML is rendered from, after the same
plugins (tables, strikethrough, inline tags, embeds, and for article bodies footnote
references and ``media:`` figures), so the two never disagree. Links and image addresses
pass the HTML sanitiser's own rule (``publishing.text.sanitized_url``). The JSON Schema of
the tree is ``schema/document.schema.json``; README, "Rich text as a document tree", shows
it by example.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import unescape as unescape_entities
from typing import Any, Final

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from publishing.embeds import Embed
from publishing.global_ids import global_id
from publishing.media.figures import SCHEME, SIZES, Figures, asset_id_of
from publishing.text import CODE_LANGUAGE, parse_markdown, sanitized_url

__all__ = ["DOCUMENT_VERSION", "Node", "build_document", "markdown_document"]

DOCUMENT_VERSION: Final = 1

# A node of the tree: JSON, as the API returns it.
Node = dict[str, Any]

# Tag marks (publishing.text.INLINE_TAGS) by tag; <s> and <del> draw the same line through
# the text, <u> and <ins> the same line under it.
_TAG_MARKS: Final = {
    "sub": "subscript",
    "sup": "superscript",
    "s": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "mark": "highlight",
    "abbr": "abbreviation",
}
# The inline tag tokens as publishing.text writes them.
_TAG: Final = re.compile(r'<(/?)([a-z]+)(?: title="([^"]*)")?>')
_NESTED_MARKS: Final = {"em": "emphasis", "strong": "strong", "s": "strikethrough"}
_RENDERER: Final = RendererHTML()


@dataclass(slots=True)
class _Inlines:
    """The inline content of one block, as it is built: nodes, and where a figure cut it."""

    nodes: list[Node] = field(default_factory=list)
    marks: list[Node] = field(default_factory=list)  # open marks, outermost first

    def text(self, text: str, extra: Sequence[Node] = ()) -> None:
        if not text:
            return
        marks = [*self.marks, *extra]
        last = self.nodes[-1] if self.nodes else None
        if last is not None and last["type"] == "text" and last.get("marks", []) == marks:
            last["text"] += text
        else:
            # Plain text, most of any document, carries no "marks" at all: a tree is
            # read on slow networks too.
            self.nodes.append(
                {"type": "text", "text": text, "marks": marks}
                if marks
                else {"type": "text", "text": text}
            )

    def close(self, mark: Node) -> None:
        for index in range(len(self.marks) - 1, -1, -1):
            if self.marks[index] is mark:
                del self.marks[index]
                return

    def close_tag(self, mark_type: str) -> None:
        # An unmatched closing tag closes nothing, as the sanitiser drops it from the HTML.
        for index in range(len(self.marks) - 1, -1, -1):
            if self.marks[index]["type"] == mark_type:
                del self.marks[index]
                return


class _Builder:
    def __init__(self, footnotes: Mapping[str, tuple[int, str]], figures: Figures | None) -> None:
        self.footnotes = footnotes
        self.figures = figures  # None: the parser makes no figures (not an article body)

    # --- blocks ---------------------------------------------------------------------------

    def blocks(self, nodes: Sequence[SyntaxTreeNode]) -> list[Node]:
        out: list[Node] = []
        for node in nodes:
            out.extend(self.block(node))
        return out

    def block(self, node: SyntaxTreeNode) -> list[Node]:
        kind = node.type
        if kind == "paragraph":
            return self.paragraph(node)
        if kind == "heading":
            level = int(node.tag[1:])
            return [{"type": "heading", "level": level, "children": self.inline_of(node)}]
        if kind in ("bullet_list", "ordered_list"):
            return [self.list(node)]
        if kind == "list_item":
            return [{"type": "list_item", "children": self.blocks(node.children)}]
        if kind == "blockquote":
            return [{"type": "block_quote", "children": self.blocks(node.children)}]
        if kind in ("fence", "code_block"):
            return [self.code(node)]
        if kind == "hr":
            return [{"type": "horizontal_rule"}]
        if kind == "table":
            return [self.table(node)]
        if kind == "embed":
            embed: Embed = node.meta["embed"]
            return [
                {
                    "type": "embed",
                    "provider": embed.provider,
                    "url": embed.url,
                    "caption": embed.caption or None,
                }
            ]
        raise ValueError(f"no document node for the markdown-it block {kind!r}")

    def paragraph(self, node: SyntaxTreeNode) -> list[Node]:
        # A figure may not stand in a <p>: the HTML parser closes the paragraph before it and
        # opens another after it, and so does the tree.
        out: list[Node] = []
        run: list[Node] = []
        for child in self.inline_of(node):
            if child["type"] == "figure":
                if run:
                    out.append({"type": "paragraph", "children": run})
                    run = []
                out.append(child)
            else:
                run.append(child)
        if run:
            out.append({"type": "paragraph", "children": run})
        return out

    def list(self, node: SyntaxTreeNode) -> Node:
        ordered = node.type == "ordered_list"
        start = int(str(node.attrs.get("start", 1))) if ordered else None
        # markdown-it hides the paragraphs of a tight list's items (and those holding only a
        # figure, which are no paragraphs at all).
        paragraphs = [c for item in node.children for c in item.children if c.type == "paragraph"]
        tight = all(p.hidden for p in paragraphs)
        items = [self.block(item)[0] for item in node.children]
        return {
            "type": "list",
            "ordered": ordered,
            "start": start,
            "tight": tight,
            "children": items,
        }

    def code(self, node: SyntaxTreeNode) -> Node:
        language: str | None = None
        if node.type == "fence" and node.info:
            # The renderer's language: the info string's first word, kept by the sanitiser
            # only when it looks like one.
            info = unescape_entities(node.info).strip()
            first = info.split(maxsplit=1)[0] if info else ""
            language = first if CODE_LANGUAGE.fullmatch(first) else None
        return {"type": "code_block", "language": language, "text": node.content.removesuffix("\n")}

    def table(self, node: SyntaxTreeNode) -> Node:
        sections: dict[str, list[Node]] = {"thead": [], "tbody": []}
        for section in node.children:
            for row in section.children:
                cells = [
                    {
                        "type": "table_cell",
                        "align": cell.attrs.get("align"),
                        "children": self.inline_of(cell),
                    }
                    for cell in row.children
                ]
                sections[section.type].append({"type": "table_row", "children": cells})
        return {"type": "table", "head": sections["thead"], "body": sections["tbody"]}

    # --- inline content -------------------------------------------------------------------

    def inline_of(self, node: SyntaxTreeNode) -> list[Node]:
        inlines = _Inlines()
        for child in node.children:
            if child.type != "inline":
                raise ValueError(f"no document node for the markdown-it token {child.type!r}")
            self.inline(child.children, inlines)
        return inlines.nodes

    def inline(self, nodes: Sequence[SyntaxTreeNode], out: _Inlines) -> None:
        for node in nodes:
            kind = node.type
            if kind == "text":
                out.text(node.content)
            elif kind == "softbreak":
                out.text(" ")
            elif kind == "hardbreak":
                out.nodes.append({"type": "hard_break"})
            elif kind == "code_inline":
                out.text(node.content, [{"type": "code"}])
            elif kind in _NESTED_MARKS:
                self.marked(node, {"type": _NESTED_MARKS[kind]}, out)
            elif kind == "link":
                href = sanitized_url(str(node.attrs.get("href", "")))
                title = node.attrs.get("title")
                # An address the sanitiser refuses leaves an <a> that links nowhere: text.
                mark = None if href is None else {"type": "link", "href": href, "title": title}
                self.marked(node, mark, out)
            elif kind == "html_inline":
                self.tag(node.content, out)
            elif kind == "footnote_ref":
                self.footnote(node, out)
            elif kind == "image":
                self.image(node, out)
            else:
                raise ValueError(f"no document node for the markdown-it token {kind!r}")

    def marked(self, node: SyntaxTreeNode, mark: Node | None, out: _Inlines) -> None:
        if mark is None:
            self.inline(node.children, out)
            return
        out.marks.append(mark)
        self.inline(node.children, out)
        out.close(mark)

    def tag(self, content: str, out: _Inlines) -> None:
        match = _TAG.fullmatch(content)
        if match is None or match.group(2) not in _TAG_MARKS:
            raise ValueError(f"no document node for the inline tag {content!r}")
        closing, name, title = match.groups()
        mark_type = _TAG_MARKS[name]
        if closing:
            out.close_tag(mark_type)
        elif mark_type == "abbreviation":
            expansion = unescape_entities(title) if title else None
            out.marks.append({"type": mark_type, "title": expansion})
        else:
            out.marks.append({"type": mark_type})

    def footnote(self, node: SyntaxTreeNode, out: _Inlines) -> None:
        key: str = node.meta["key"]
        numbered = self.footnotes.get(key)
        if numbered is None:
            out.text(f"[^{key}]")  # no such footnote: shown as typed
            return
        number, label = numbered
        out.nodes.append(
            {"type": "footnote_reference", "key": key, "number": number, "label": label}
        )

    def image(self, node: SyntaxTreeNode, out: _Inlines) -> None:
        target = str(node.attrs.get("src", ""))
        # The text the HTML renderer writes into alt=, by the renderer's own function.
        alt = _RENDERER.renderInlineAsText(node.token.children if node.token else None, {}, {})
        title = str(node.attrs.get("title") or "") or None
        if self.figures is not None and target.startswith(SCHEME):
            figure = self.figures.get(target)
            asset_id = asset_id_of(target)
            if figure is None or asset_id is None:
                out.text(alt)  # not (or no longer) in the library: the alt text, as text
                return
            out.nodes.append(
                {
                    "type": "figure",
                    "assetId": global_id("Image", asset_id),
                    "alt": alt or figure.alt or "",
                    "caption": title or figure.caption,
                    "credit": figure.credit,
                    "rendition": {
                        "src": figure.src,
                        "srcset": figure.srcset,
                        "sizes": SIZES,
                        "width": figure.width,
                        "height": figure.height,
                    },
                }
            )
            return
        image: Node = {
            "type": "image",
            "src": sanitized_url(target, image=True),
            "alt": alt,
            "title": title,
        }
        if out.marks:
            image["marks"] = list(out.marks)
        out.nodes.append(image)


def build_document(
    tokens: Sequence[Token],
    *,
    footnotes: Mapping[str, tuple[int, str]] | None = None,
    figures: Figures | None = None,
) -> Node:
    """The document tree of a parsed text.

    ``footnotes`` numbers the references (key -> number and label) of a parser that knows
    them; ``figures`` are the ``media:`` figures of a parser that makes them (None for one
    that does not, whose ``media:`` images are plain images).
    """
    builder = _Builder(footnotes or {}, figures)
    root = SyntaxTreeNode(tokens)
    return {
        "type": "document",
        "version": DOCUMENT_VERSION,
        "children": builder.blocks(root.children),
    }


def markdown_document(markdown: str) -> Node:
    """The document tree of a rich text other than an article body (a bio, a footnote)."""
    return build_document(parse_markdown(markdown))
