from __future__ import annotations

from html.parser import HTMLParser

import pytest

from publishing.text import html_to_text, reading_time_minutes, render_markdown, sanitize_html

ALLOWED_SCHEMES = ("http:", "https:", "mailto:")


class _Elements(HTMLParser):
    """Every (tag, attribute, value) in a fragment, to inspect what a browser would see."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)


def elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def assert_harmless(html: str) -> None:
    found = elements(html)
    assert not {"script", "svg", "iframe", "style", "math", "object"} & set(found.tags)
    for tag, name, value in found.attributes:
        assert not name.startswith("on"), (tag, name)
        assert name != "style", tag
        if name in ("href", "src"):
            scheme = value.split(":", 1)[0].lower() + ":" if ":" in value else ""
            assert not scheme or scheme in ALLOWED_SCHEMES, (tag, name, value)


MARKDOWN_ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle/></svg>",
    "<a href='javascript:alert(1)'>x</a>",
    '<p style="color:red">styled</p>',
    "<iframe src=//evil.example></iframe>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](<javascript:alert(1)>)",
    "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](data:image/svg+xml;base64,PHN2Zz4=)",
    "[ref]\n\n[ref]: javascript:alert(1)",
    '[t](https://example.org "x\\" onmouseover=\\"alert(1)")',
    "<javascript:alert(1)>",
]


@pytest.mark.parametrize("markdown", MARKDOWN_ATTACKS)
def test_markdown_attacks_come_out_harmless(markdown: str) -> None:
    assert_harmless(render_markdown(markdown).html)


def test_raw_html_in_markdown_is_escaped_not_interpreted() -> None:
    html = render_markdown("Hi <script>alert(1)</script> <b>bold</b>").html
    assert "&lt;script&gt;" in html
    assert "<b>" not in html
    assert elements(html).tags == ["p"]


HTML_ATTACKS = [
    '<p onclick="alert(1)" style="color:red">text</p>',
    "<script>alert(1)</script><p>kept</p>",
    '<a href="javascript:alert(1)">a</a>',
    '<a href="java&#x09;script:alert(1)">a</a>',
    '<a href=" JAVASCRIPT:alert(1)">a</a>',
    '<img src="data:image/png;base64,AAAA" onerror="alert(1)">',
    '<a href="vbscript:msgbox(1)">v</a>',
    "<svg><script>alert(1)</script></svg>",
    '<math><mi xlink:href="javascript:alert(1)">m</mi></math>',
    '<span style="background:url(javascript:alert(1))" onmouseover="x()">s</span>',
]


@pytest.mark.parametrize("html", HTML_ATTACKS)
def test_sanitize_html_removes_active_content(html: str) -> None:
    cleaned = sanitize_html(html)
    assert_harmless(cleaned)
    assert "alert" not in "".join(value for _, _, value in elements(cleaned).attributes)


def test_sanitize_keeps_prose_footnote_anchors_and_safe_links() -> None:
    html = (
        '<p><sup class="footnote-ref" id="s"><a href="#fn-a" id="fnref-a">1</a></sup>'
        '<a href="https://example.org" title="t">w</a><a href="mailto:a@example.org">m</a>'
        '<a href="../relative">r</a></p><ol start="3"><li id="fn-a">n</li></ol>'
        '<table><tr><td align="right" colspan="2">c</td></tr></table>'
    )
    cleaned = sanitize_html(html)
    assert '<sup class="footnote-ref" id="s">' in cleaned
    assert 'href="#fn-a" id="fnref-a"' in cleaned
    assert 'href="https://example.org"' in cleaned
    assert 'href="mailto:a@example.org"' in cleaned
    assert 'href="../relative"' in cleaned
    assert '<ol start="3"><li id="fn-a">' in cleaned
    assert '<td align="right" colspan="2">' in cleaned
    assert cleaned.count('rel="noopener noreferrer"') == 4


def test_links_get_rel_and_tables_use_align_not_style() -> None:
    html = render_markdown("[w](https://example.org)\n\n| a | b |\n|:-|-:|\n| 1 | 2 |").html
    assert '<a href="https://example.org" rel="noopener noreferrer">w</a>' in html
    assert '<th align="left">a</th>' in html
    assert '<td align="right">2</td>' in html
    assert "style" not in html


def test_code_keeps_only_language_class() -> None:
    assert '<code class="language-python">' in render_markdown("```python\nx\n```").html
    assert sanitize_html('<code class="x onclick">y</code>') == "<code>y</code>"


def test_text_of_a_small_document() -> None:
    rendered = render_markdown(
        "# Caf&eacute; &amp; *news*\n"
        "\n"
        "First   paragraph with [a link](https://example.org)\n"
        "over two lines.\n"
        "\n"
        "- one\n"
        "- two\n"
        "  - nested\n"
        "\n"
        "> Quoted <b>text</b>\n"
        "\n"
        "```\n"
        "def f():\n"
        "    return 1\n"
        "```\n"
        "\n"
        "| A | B |\n"
        "|---|---|\n"
        "| 1 | 2 |\n"
    )
    assert rendered.text == (
        "Café & news\n"
        "\n"
        "First paragraph with a link over two lines.\n"
        "\n"
        "one\ntwo\nnested\n"
        "\n"
        "Quoted <b>text</b>\n"
        "\n"
        "def f():\n    return 1\n"
        "\n"
        "A\tB\n1\t2"
    )
    assert rendered.markdown.startswith("# Caf&eacute;")


def test_html_to_text_skips_scripts_and_unescapes_entities() -> None:
    html = "<p>a &lt;b&gt; &amp; c&nbsp;d</p><script>hidden()</script><p>line<br>break</p>"
    assert html_to_text(html) == "a <b> & c d\n\nline\nbreak"


def test_empty_markdown() -> None:
    rendered = render_markdown("")
    assert (rendered.html, rendered.text) == ("", "")


@pytest.mark.parametrize(
    ("words", "minutes"),
    [(0, 0), (1, 1), (220, 1), (221, 2), (440, 2), (1000, 5)],
)
def test_reading_time(words: int, minutes: int) -> None:
    assert reading_time_minutes(" ".join(["word"] * words)) == minutes


def test_reading_time_edges() -> None:
    assert reading_time_minutes("   \n\t ") == 0
    assert reading_time_minutes("a b c d", words_per_minute=2) == 2
    # Unspaced scripts count per character.
    assert reading_time_minutes("日本語" * 100) == 2
    with pytest.raises(ValueError):
        reading_time_minutes("text", words_per_minute=0)


def test_inline_tags_markdown_has_no_syntax_for_render_and_nothing_else_does() -> None:
    html = render_markdown(
        'H<sub>2</sub>O, x<SUP>2</SUP>, <abbr title="World Health Organization">WHO</abbr>, '
        "<mark>m</mark> <ins>i</ins> <u>u</u> <s>s</s> <del>d</del>; "
        '<b>b</b> <abbr title="x" onclick="alert(1)">z</abbr> <sub onclick=alert(1)>q</sub> '
        '`<sub>in code</sub>` \\<sub>escaped <abbr title="a &amp; b">ab</abbr>'
    ).html
    for kept in (
        "H<sub>2</sub>O",
        "x<sup>2</sup>",
        '<abbr title="World Health Organization">WHO</abbr>',
        "<mark>m</mark> <ins>i</ins> <u>u</u> <s>s</s> <del>d</del>",
        "<code>&lt;sub&gt;in code&lt;/sub&gt;</code>",
        "&lt;sub&gt;escaped",
        "&lt;b&gt;b&lt;/b&gt;",
        '<abbr title="a &amp; b">ab</abbr>',
    ):
        assert kept in html
    assert_harmless(html)
    assert elements(html).tags.count("sub") == 1


def test_an_embed_line_renders_a_figure_with_a_link_and_no_frame() -> None:
    html = render_markdown(
        'Before.\n\n@[youtube](https://www.youtube.com/watch?v=M7lc1UVf-VE "Launch \\"day\\"")'
        "\n\n@[vimeo](https://vimeo.com/76979871)\n\nAfter."
    ).html
    assert (
        '<figure class="embed" data-provider="youtube"><a href="https://www.youtube.com/watch?'
        'v=M7lc1UVf-VE" rel="noopener noreferrer">Launch "day"</a></figure>'
    ) in html
    assert '<figure class="embed" data-provider="vimeo"><a href="https://vimeo.com/76979871"' in (
        html
    )
    assert html.startswith("<p>Before.</p>") and html.endswith("<p>After.</p>\n")
    assert render_markdown("@[vimeo](https://vimeo.com/1)").text == "https://vimeo.com/1"


@pytest.mark.parametrize(
    "markdown",
    [
        "@[youtube](javascript:alert(1))",
        "@[you tube](https://example.org/)",
        '@[youtube](https://example.org/ "x" onclick="y")',
        "text\n@[youtube](https://example.org/)",  # inside a paragraph: not an embed
        "    @[youtube](https://example.org/)",  # indented: code
    ],
)
def test_what_is_not_an_embed_line_is_not_a_figure(markdown: str) -> None:
    html = render_markdown(markdown).html
    assert "<figure" not in html
    assert_harmless(html)


def test_figures_other_than_embeds_lose_their_attributes() -> None:
    cleaned = sanitize_html(
        '<figure class="x" data-provider="a b" onclick="y"><iframe src="//e.example"></iframe>'
        '</figure><figure class="embed" data-provider="vimeo" data-x="1">v</figure>'
    )
    assert cleaned == '<figure></figure><figure class="embed" data-provider="vimeo">v</figure>'
