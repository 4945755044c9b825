"""The document tree of hand-written Markdown: every node and mark, exactly; the JSON Schema;
hostile links; the tree rendered back reads as the HTML does."""

from __future__ import annotations

import json
import random
import re
from html import unescape
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from publishing.document import markdown_document
from publishing.footnotes.references import NumberingStyle, ParsedBody
from publishing.global_ids import global_id
from publishing.media.figures import SIZES, Figure
from publishing.text import INLINE_TAGS, html_to_text, markdown_html
from tests.document.render import SCHEMA_PATH, links, node_types, render, validate, words

ASSET = global_id("Image", 7)
FIGURE = Figure(
    src="/media/k7/sig/960x-contain.auto",
    srcset="/media/k7/sig/320x-contain.auto 320w, /media/k7/sig/640x-contain.auto 640w",
    width=960,
    height=600,
    alt="The asset's alt",
    caption="The asset's caption",
    credit="Photo: Agency",
)
FIGURES = {f"media:{ASSET}": FIGURE}
RENDITION = {
    "src": FIGURE.src,
    "srcset": FIGURE.srcset,
    "sizes": SIZES,
    "width": 960,
    "height": 600,
}


def body_document(markdown: str, keys: frozenset[str] = frozenset({"a", "b"})) -> Any:
    return ParsedBody(markdown).document(keys, NumberingStyle.ROMAN, FIGURES)


def body_html(markdown: str, keys: frozenset[str] = frozenset({"a", "b"})) -> str:
    return ParsedBody(markdown).html(keys, NumberingStyle.ROMAN, FIGURES)


def t(text: str, *marks: dict[str, Any]) -> dict[str, Any]:
    return (
        {"type": "text", "text": text, "marks": list(marks)}
        if marks
        else {"type": "text", "text": text}
    )


def p(*children: dict[str, Any]) -> dict[str, Any]:
    return {"type": "paragraph", "children": list(children)}


STRONG, EM, CODE = {"type": "strong"}, {"type": "emphasis"}, {"type": "code"}

CASES: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "# One *two*\n\n###### Six",
        [
            {"type": "heading", "level": 1, "children": [t("One "), t("two", EM)]},
            {"type": "heading", "level": 6, "children": [t("Six")]},
        ],
    ),
    (
        "**b _be_** `c` ~~s~~ <del>d</del> <sub>2</sub><sup>n</sup> <u>u</u><ins>i</ins> "
        '<mark>m</mark> <abbr title="Fish &amp; Chips">F&C</abbr> <abbr>X</abbr>',
        [
            p(
                t("b ", STRONG),
                t("be", STRONG, EM),
                t(" "),
                t("c", CODE),
                t(" "),
                t("s", {"type": "strikethrough"}),
                t(" "),
                t("d", {"type": "strikethrough"}),
                t(" "),
                t("2", {"type": "subscript"}),
                t("n", {"type": "superscript"}),
                t(" "),
                t("ui", {"type": "underline"}),
                t(" "),
                t("m", {"type": "highlight"}),
                t(" "),
                t("F&C", {"type": "abbreviation", "title": "Fish & Chips"}),
                t(" "),
                t("X", {"type": "abbreviation", "title": None}),
            )
        ],
    ),
    (
        '[a **b**](https://example.org/x?y=1&z=2 "T") <https://example.org> '
        "[m](mailto:desk@example.org) [r](/about) [p](//cdn.example/x)",
        [
            p(
                t("a ", {"type": "link", "href": "https://example.org/x?y=1&z=2", "title": "T"}),
                t(
                    "b",
                    {"type": "link", "href": "https://example.org/x?y=1&z=2", "title": "T"},
                    STRONG,
                ),
                t(" "),
                t(
                    "https://example.org",
                    {"type": "link", "href": "https://example.org", "title": None},
                ),
                t(" "),
                t("m", {"type": "link", "href": "mailto:desk@example.org", "title": None}),
                t(" "),
                t("r", {"type": "link", "href": "/about", "title": None}),
                t(" "),
                # A protocol-relative address is written out as https, as in the HTML.
                t("p", {"type": "link", "href": "https://cdn.example/x", "title": None}),
            )
        ],
    ),
    (
        "Line one\nsoft  \nhard\\\nagain",
        [
            p(
                t("Line one soft"),
                {"type": "hard_break"},
                t("hard"),
                {"type": "hard_break"},
                t("again"),
            )
        ],
    ),
    (
        "Claim.[^b] More.[^a] Again.[^b] Unknown [^zz]. Code `[^a]`.",
        [
            p(
                t("Claim."),
                {"type": "footnote_reference", "key": "b", "number": 1, "label": "i"},
                t(" More."),
                {"type": "footnote_reference", "key": "a", "number": 2, "label": "ii"},
                t(" Again."),
                {"type": "footnote_reference", "key": "b", "number": 1, "label": "i"},
                t(" Unknown [^zz]. Code "),
                t("[^a]", CODE),
                t("."),
            )
        ],
    ),
    (
        '![A chart *of* water](https://img.example/c.png "Chart") [![x](/i.png)](https://e.org)',
        [
            p(
                {
                    "type": "image",
                    "src": "https://img.example/c.png",
                    "alt": "A chart of water",
                    "title": "Chart",
                },
                t(" "),
                {
                    "type": "image",
                    "src": "/i.png",
                    "alt": "x",
                    "title": None,
                    "marks": [{"type": "link", "href": "https://e.org", "title": None}],
                },
            )
        ],
    ),
    (
        f"![](media:{ASSET})\n\n"
        f'Before ![Written alt](media:{ASSET} "Written caption") after.\n\n'
        "![Gone](media:999)\n\n"
        f"## Heading ![h](media:{ASSET})",
        [
            {
                "type": "figure",
                "assetId": ASSET,
                "alt": "The asset's alt",
                "caption": "The asset's caption",
                "credit": "Photo: Agency",
                "rendition": RENDITION,
            },
            p(t("Before ")),
            {
                "type": "figure",
                "assetId": ASSET,
                "alt": "Written alt",
                "caption": "Written caption",
                "credit": "Photo: Agency",
                "rendition": RENDITION,
            },
            p(t(" after.")),
            # Not in the library: its alt text, as the HTML shows it.
            p(t("Gone")),
            {
                "type": "heading",
                "level": 2,
                "children": [
                    t("Heading "),
                    {
                        "type": "figure",
                        "assetId": ASSET,
                        "alt": "h",
                        "caption": "The asset's caption",
                        "credit": "Photo: Agency",
                        "rendition": RENDITION,
                    },
                ],
            },
        ],
    ),
    (
        '@[youtube](https://www.youtube.com/watch?v=M7lc1UVf-VE "Launch day")\n\n'
        "@[link](https://example.org/page)\n\n---\n\n***",
        [
            {
                "type": "embed",
                "provider": "youtube",
                "url": "https://www.youtube.com/watch?v=M7lc1UVf-VE",
                "caption": "Launch day",
            },
            {
                "type": "embed",
                "provider": "link",
                "url": "https://example.org/page",
                "caption": None,
            },
            {"type": "horizontal_rule"},
            {"type": "horizontal_rule"},
        ],
    ),
    (
        "```python title=x\nprint('<b>')\n\n```\n\n```not a *language*\nx\n```\n\n"
        "```\nplain\n```\n\n    indented\n    code",
        [
            {"type": "code_block", "language": "python", "text": "print('<b>')\n"},
            {"type": "code_block", "language": "not", "text": "x"},
            {"type": "code_block", "language": None, "text": "plain"},
            {"type": "code_block", "language": None, "text": "indented\ncode"},
        ],
    ),
    (
        "3. three\n4. four\n\n- tight\n  - nested\n- list\n\n* loose\n\n* list\n\n"
        "> quoted\n>\n> - in a list",
        [
            {
                "type": "list",
                "ordered": True,
                "start": 3,
                "tight": True,
                "children": [
                    {"type": "list_item", "children": [p(t("three"))]},
                    {"type": "list_item", "children": [p(t("four"))]},
                ],
            },
            {
                "type": "list",
                "ordered": False,
                "start": None,
                "tight": True,
                "children": [
                    {
                        "type": "list_item",
                        "children": [
                            p(t("tight")),
                            {
                                "type": "list",
                                "ordered": False,
                                "start": None,
                                "tight": True,
                                "children": [{"type": "list_item", "children": [p(t("nested"))]}],
                            },
                        ],
                    },
                    {"type": "list_item", "children": [p(t("list"))]},
                ],
            },
            {
                "type": "list",
                "ordered": False,
                "start": None,
                "tight": False,
                "children": [
                    {"type": "list_item", "children": [p(t("loose"))]},
                    {"type": "list_item", "children": [p(t("list"))]},
                ],
            },
            {
                "type": "block_quote",
                "children": [
                    p(t("quoted")),
                    {
                        "type": "list",
                        "ordered": False,
                        "start": None,
                        "tight": True,
                        "children": [{"type": "list_item", "children": [p(t("in a list"))]}],
                    },
                ],
            },
        ],
    ),
    (
        "| Left | Centre | Right | None |\n|:--|:-:|--:|---|\n| *a* | b | 1 | |\n",
        [
            {
                "type": "table",
                "head": [
                    {
                        "type": "table_row",
                        "children": [
                            {"type": "table_cell", "align": "left", "children": [t("Left")]},
                            {"type": "table_cell", "align": "center", "children": [t("Centre")]},
                            {"type": "table_cell", "align": "right", "children": [t("Right")]},
                            {"type": "table_cell", "align": None, "children": [t("None")]},
                        ],
                    }
                ],
                "body": [
                    {
                        "type": "table_row",
                        "children": [
                            {"type": "table_cell", "align": "left", "children": [t("a", EM)]},
                            {"type": "table_cell", "align": "center", "children": [t("b")]},
                            {"type": "table_cell", "align": "right", "children": [t("1")]},
                            {"type": "table_cell", "align": None, "children": []},
                        ],
                    }
                ],
            }
        ],
    ),
    (
        # Raw HTML other than the inline tags is text, as the HTML escapes it.
        '<script>alert(1)</script> <b onclick="x">b</b> &amp; &copy;\n\n<div>block</div>',
        [
            p(t('<script>alert(1)</script> <b onclick="x">b</b> & ©')),
            p(t("<div>block</div>")),
        ],
    ),
]


@pytest.mark.parametrize(("markdown", "children"), CASES)
def test_a_body_makes_exactly_this_tree(markdown: str, children: list[dict[str, Any]]) -> None:
    tree = body_document(markdown)
    assert tree == {"type": "document", "version": 1, "children": children}
    validate(tree)
    html = body_html(markdown)
    assert words(html_to_text(render(tree))) == words(html_to_text(html))
    text = ParsedBody(markdown).text({"a", "b"}, NumberingStyle.ROMAN, FIGURES)
    assert words(html_to_text(render(tree, markers=False))) == words(text)


def test_the_cases_cover_every_node_and_mark_of_the_schema() -> None:
    declared = set(re.findall(r'"(?:const|enum)": \[?"([a-z_]+)"', SCHEMA_PATH.read_text()))
    declared |= {"strong", "emphasis", "code", "subscript", "superscript"}
    declared |= {"strikethrough", "underline", "highlight"}
    declared -= {"left", "center", "right"}
    covered: set[str] = set()
    for markdown, _ in CASES:
        covered |= node_types(body_document(markdown))
    assert declared <= covered, declared - covered


def test_other_rich_text_has_no_footnotes_or_figures() -> None:
    # Bios and footnotes are not article bodies: `[^a]` is text, a media: image an image whose
    # address the sanitiser refuses (as in their HTML).
    tree = markdown_document(f"See [^a] and ![chart](media:{ASSET}).")
    assert tree["children"] == [
        p(
            t("See [^a] and "),
            {"type": "image", "src": None, "alt": "chart", "title": None},
            t("."),
        )
    ]
    validate(tree)
    assert "src=" not in markdown_html(f"![chart](media:{ASSET})")


def test_the_json_schema_is_a_valid_draft_2020_12_schema() -> None:
    document_schema = json.loads(SCHEMA_PATH.read_text())
    Draft202012Validator.check_schema(document_schema)
    assert document_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document_schema["$id"] == "urn:pressroom:schema:document:1"
    assert document_schema["version"] == 1
    # It refuses what it should: a tree is not anything at all.
    bad = {"type": "document", "version": 1, "children": [{"type": "paragraph"}]}
    assert not Draft202012Validator(document_schema).is_valid(bad)
    script = {"type": "link", "href": "javascript:alert(1)", "title": None}
    tree = {"type": "document", "version": 1, "children": [p(t("x", script))]}
    assert not Draft202012Validator(document_schema).is_valid(tree)


HOSTILE = [
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](java&#x73;cript:alert(1))",
    "[a](<javascript:alert(1)>)",
    "[a](\tjavascript:alert(1))",
    "[a](jav&#09;ascript:alert(1))",
    "[a](vbscript:msgbox(1))",
    "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[a](file:///etc/passwd)",
    "[a](ftp://example.org/x)",
    "<javascript:alert(1)>",
    "![i](javascript:alert(1))",
    "![i](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    '[a](https://example.org/" onmouseover="alert(1))',
    "[a](/\\evil.example)",
    "[a]\n\n[a]: javascript:alert(1)",
    "@[youtube](javascript:alert(1))",
]


@pytest.mark.parametrize("markdown", HOSTILE)
def test_hostile_links_keep_only_what_the_html_keeps(markdown: str) -> None:
    for tree, html in (
        (body_document(markdown), body_html(markdown)),
        (markdown_document(markdown), markdown_html(markdown)),
    ):
        validate(tree)
        found = links(tree)
        for href in found:
            squeezed = re.sub(r"[\x00-\x20]", "", href).lower()
            assert not squeezed.startswith(("javascript:", "vbscript:", "data:", "file:")), href
        # The same addresses as the sanitised HTML, no more and no fewer.
        in_html = [unescape(u) for u in re.findall(r'(?:href|src)="([^"]*)"', html)]
        assert found == in_html


MORE = [
    "- a\n\n  b\n- c",
    "> # h\n> ```\n> x\n> ```",
    "1) x\n2) y",
    "a <sub>b **c</sub> d** e",
    "<sup>unclosed",
    "</sub>x",
    f"| a |\n|---|\n| ![x](media:{ASSET}) y |",
    "*a **b* c**",
    "![a ![b](c)](d)",
    f"- ![x](media:{ASSET})",
    f"[![x](media:{ASSET})](https://example.org)",
    "&nbsp;&#0;x\u2028y",
    "Setext\n===",
    "[^a]: a definition typed into the body",
    "[link]: https://example.org\n\n[link]",
]


def test_mixtures_of_everything_validate_and_read_as_the_html() -> None:
    # A fixed seed: the same mixtures every run.
    rng = random.Random(5)
    pieces = [markdown for markdown, _ in CASES] + HOSTILE + MORE
    keys = frozenset({"a", "b"})
    for _ in range(150):
        separator = rng.choice(["\n\n", "\n", " "])
        markdown = separator.join(rng.choice(pieces) for _ in range(rng.randint(1, 5)))
        parsed = ParsedBody(markdown)
        tree = parsed.document(keys, NumberingStyle.ARABIC, FIGURES)
        validate(tree)
        html = parsed.html(keys, NumberingStyle.ARABIC, FIGURES)
        assert words(html_to_text(render(tree))) == words(html_to_text(html)), markdown
        text = parsed.text(keys, NumberingStyle.ARABIC, FIGURES)
        assert words(html_to_text(render(tree, markers=False))) == words(text), markdown
        other = markdown_document(markdown)
        validate(other)
        expected = words(html_to_text(markdown_html(markdown)))
        assert words(html_to_text(render(other))) == expected, markdown


@pytest.mark.parametrize("tag", sorted(INLINE_TAGS))
def test_every_inline_tag_the_html_keeps_is_a_mark(tag: str) -> None:
    tree = markdown_document(f"a <{tag}>b</{tag}> c")
    (paragraph,) = tree["children"]
    assert [node["text"] for node in paragraph["children"]] == ["a ", "b", " c"]
    assert paragraph["children"][1]["marks"], tag
