"""A renderer of document trees back to HTML, written apart from the code that builds them, as
a client would write one: the tests compare its text with the API's `text` and `html`."""

from __future__ import annotations

import json
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

import schema

SCHEMA_PATH = Path(schema.__file__).parent / "document.schema.json"


@cache
def validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))


def validate(tree: Any) -> None:
    validator().validate(tree)


def render(tree: dict[str, Any], *, markers: bool = True) -> str:
    assert tree["type"] == "document" and tree["version"] == 1
    return _blocks(tree["children"], markers=markers, tight=False)


def _blocks(blocks: list[dict[str, Any]], *, markers: bool, tight: bool) -> str:
    return "".join(_block(b, markers=markers, tight=tight) for b in blocks)


def _block(node: dict[str, Any], *, markers: bool, tight: bool) -> str:
    kind = node["type"]
    if kind == "paragraph":
        inline = _inlines(node["children"], markers=markers)
        return inline if tight else f"<p>{inline}</p>"
    if kind == "heading":
        level = node["level"]
        return f"<h{level}>{_inlines(node['children'], markers=markers)}</h{level}>"
    if kind == "list":
        tag = "ol" if node["ordered"] else "ul"
        items = "".join(
            f"<li>{_blocks(item['children'], markers=markers, tight=node['tight'])}</li>"
            for item in node["children"]
        )
        return f"<{tag}>{items}</{tag}>"
    if kind == "block_quote":
        return f"<blockquote>{_blocks(node['children'], markers=markers, tight=False)}</blockquote>"
    if kind == "code_block":
        return f"<pre><code>{escape(node['text'])}</code></pre>"
    if kind == "horizontal_rule":
        return "<hr>"
    if kind == "table":
        head = "".join(_row(r, "th", markers=markers) for r in node["head"])
        body = "".join(_row(r, "td", markers=markers) for r in node["body"])
        return f"<table><thead>{head}</thead><tbody>{body}</tbody></table>"
    if kind == "figure":
        return _figure(node)
    if kind == "embed":
        text = node["caption"] or node["url"]
        return f'<figure><a href="{escape(node["url"])}">{escape(text)}</a></figure>'
    raise AssertionError(f"unknown block {kind}")


def _row(row: dict[str, Any], tag: str, *, markers: bool) -> str:
    cells = "".join(
        f"<{tag}>{_inlines(c['children'], markers=markers)}</{tag}>" for c in row["children"]
    )
    return f"<tr>{cells}</tr>"


def _figure(node: dict[str, Any]) -> str:
    rendition = node["rendition"]
    caption = " ".join(escape(t) for t in (node["caption"], node["credit"]) if t)
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    image = f'<img src="{escape(rendition["src"])}" alt="{escape(node["alt"])}">'
    return f"<figure>{image}{figcaption}</figure>"


_TAGS = {
    "strong": "strong",
    "emphasis": "em",
    "code": "code",
    "subscript": "sub",
    "superscript": "sup",
    "strikethrough": "s",
    "underline": "u",
    "highlight": "mark",
    "abbreviation": "abbr",
}


def _marked(html: str, marks: list[dict[str, Any]]) -> str:
    for mark in reversed(marks):
        if mark["type"] == "link":
            html = f'<a href="{escape(mark["href"])}">{html}</a>'
        else:
            tag = _TAGS[mark["type"]]
            html = f"<{tag}>{html}</{tag}>"
    return html


def _inlines(nodes: list[dict[str, Any]], *, markers: bool) -> str:
    out: list[str] = []
    for node in nodes:
        kind = node["type"]
        if kind == "text":
            out.append(_marked(escape(node["text"]), node.get("marks", [])))
        elif kind == "hard_break":
            out.append("<br>")
        elif kind == "footnote_reference":
            if markers:
                out.append(f'<sup><a href="#fn-{node["key"]}">{escape(node["label"])}</a></sup>')
        elif kind == "image":
            src = f' src="{escape(node["src"])}"' if node["src"] else ""
            out.append(_marked(f'<img{src} alt="{escape(node["alt"])}">', node.get("marks", [])))
        elif kind == "figure":
            out.append(_figure(node))
        else:
            raise AssertionError(f"unknown inline {kind}")
    return "".join(out)


def links(tree: Any) -> list[str]:
    """Every href of a link mark and every src of an image in the tree."""
    found: list[str] = []
    if isinstance(tree, dict):
        if tree.get("type") == "link":
            found.append(tree["href"])
        if tree.get("type") == "image" and tree["src"] is not None:
            found.append(tree["src"])
        for value in tree.values():
            found.extend(links(value))
    elif isinstance(tree, list):
        for value in tree:
            found.extend(links(value))
    return found


def node_types(tree: Any) -> set[str]:
    """The type of every node and mark in the tree."""
    found: set[str] = set()
    if isinstance(tree, dict):
        if isinstance(tree.get("type"), str):
            found.add(tree["type"])
        for value in tree.values():
            found |= node_types(value)
    elif isinstance(tree, list):
        for value in tree:
            found |= node_types(value)
    return found


def words(text: str) -> str:
    return " ".join(text.split())
