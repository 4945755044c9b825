"""Post bodies as WordPress shows them, written as Markdown: the forms export, post by post."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from publishing.articles.models import ArticleStatus
from publishing.footnotes.references import render_body
from publishing.imports.report import ProblemKind
from publishing.imports.wordpress.blocks import Block, parse_blocks
from publishing.imports.wordpress.body import wordpress_soup
from publishing.imports.wordpress.convert import IMPORTED_STATUSES, ConvertedPost, convert_post
from publishing.imports.wordpress.findings import Findings
from publishing.imports.wordpress.footnotes import extract_footnotes
from publishing.imports.wordpress.markdown import html_to_markdown
from publishing.imports.wordpress.reader import WxrItem, read_wxr
from publishing.imports.wordpress.shortcodes import do_shortcodes
from publishing.text import html_to_text
from tests.imports.conftest import FORMS_EXPORT, MERIDIAN_EXPORT

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@cache
def items(path: Path) -> dict[int, WxrItem]:
    return {
        e.post_id: e
        for e in read_wxr(path)
        if isinstance(e, WxrItem) and e.post_type == "post" and e.status in IMPORTED_STATUSES
    }


def converted(post_id: int) -> ConvertedPost:
    return convert_post(items(FORMS_EXPORT)[post_id], language="en", now=NOW)


def test_a_classic_post_has_the_paragraphs_lists_tables_and_code_wordpress_shows() -> None:
    post = converted(201)
    assert post.body == (
        "The first paragraph was typed with its tags.\n\n"
        "The second paragraph has none,\\\nand a line break.\n\n"
        "The third paragraph runs straight into a list:\n\n"
        "- First item\n- Second item\n\n"
        "Text right above a table:\n\n"
        "| Year | Output |\n| --- | --- |\n| 2023 | 12 TWh |\n| 2024 | 15 TWh (estimate) |\n"
        "| Total | 27 TWh |\n\n"
        "A table without a head:\n\n"
        "| Ankara | 5.8 |\n| --- | --- |\n| İzmir | 4.4 |\n\n"
        '```\ndef hub():\n    return "gas"\n\n    # indented, after a blank line\n```\n\n'
        "The code\n\n```\nx = 1\ny = 2\n```\n\nspans two lines.\n\n"
        "Water is H<sub>2</sub>O and energy E = mc<sup>2</sup>; the "
        '<abbr title="International Energy Agency">IEA</abbr> says so. <ins>Added</ins>, '
        "<u>underlined</u>, ~~struck~~, <mark>marked</mark>.\n\n"
        "**Bold inside bold** and *one two*."
    )
    assert post.problems == []


def test_a_classic_post_renders_its_table_footer_last_and_its_inline_tags() -> None:
    html = render_body(converted(201).body, [], converted(201).numbering_style).html
    assert "<thead>\n<tr>\n<th>Year</th>" in html
    assert html.index("<td>Total</td>") > html.index("<td>2024</td>")
    assert "<th></th>" not in html and "---" not in html
    for kept in ("H<sub>2</sub>O", "mc<sup>2</sup>", "<ins>Added</ins>", "<mark>marked</mark>"):
        assert kept in html
    assert '<abbr title="International Energy Agency">IEA</abbr>' in html
    assert '<pre><code>def hub():\n    return "gas"\n\n    # indented' in html


def test_a_block_post_is_read_by_its_blocks() -> None:
    post = converted(202)
    assert post.body == (
        "A block paragraph\n\n## A heading\n\n- One\n- Two\n\n"
        "| Source | Share |\n| --- | --- |\n| Gas | 40% |\n| All | 100% |\n\nShares in 2024\n\n"
        "```\nif (ready) {\n    flow();\n}\n```\n\n"
        "A line of verse\\\n\u00a0\u00a0and one indented\n\n"
        "> A quoted sentence.\n>\n> *A Speaker*\n\n"
        "Left column.\n\nRight column.\n\n---\n\nThe last paragraph."
    )
    assert post.problems == [
        (ProblemKind.FLATTENED, "block wp:columns: laid out as one column"),
        (ProblemKind.NOT_CONVERTED, "dynamic block wp:latest-posts (made by WordPress when shown)"),
        (ProblemKind.NOT_CONVERTED, "dynamic block wp:archives (made by WordPress when shown)"),
    ]


def test_classic_embeds_and_shortcodes_become_embeds_figures_or_report_lines() -> None:
    post = converted(203)
    assert post.body == (
        "A video on its own line:\n\n"
        "@[vimeo](https://vimeo.com/76979871)\n\n"
        "@[youtube](https://www.youtube.com/watch?v=M7lc1UVf-VE)\n\n"
        "@[youtube](https://www.youtube.com/watch?v=aqz-KE-bpKQ)\n\n"
        "@[twitter](https://twitter.com/someone/status/123456789)\n\n"
        "@[youtube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n\n"
        "![A pipeline](https://forms.example/wp-content/uploads/2025/01/pipe.jpg)\n\n"
        "The pipeline at dawn\n\n"
        "@[audio](https://forms.example/wp-content/uploads/2025/01/talk.mp3)\n\n"
        "@[video](https://forms.example/wp-content/uploads/2025/01/clip.mp4)\n\n"
        "An aside \\[sic\\] in brackets stays, and so does \\[gallery\\] written about."
    )
    assert post.problems == [
        (ProblemKind.MEDIA, "shortcode [gallery] of attachments 7,8,9"),
        (ProblemKind.NOT_CONVERTED, "shortcode [contact-form-7]"),
        (ProblemKind.NOT_CONVERTED, "<iframe> from maps.example.com"),
    ]


def test_embed_blocks_become_embeds_and_dynamic_blocks_are_reported() -> None:
    post = converted(204)
    assert post.body == (
        '@[twitter](https://twitter.com/WordPress/status/1057136472321613824 "A tweet, wide")\n\n'
        "@[instagram](https://www.instagram.com/p/BpmueLLgEn_/)\n\n"
        "@[wordpress-tv](https://wordpress.tv/2018/10/14/how-we-made-it/)\n\n"
        "@[example-site](https://example.org/a-page/)\n\n"
        "@[audio](https://forms.example/wp-content/uploads/2025/01/talk.mp3)\n\n"
        "After the page break."
    )
    assert [kind for kind, _ in post.problems] == [
        ProblemKind.NOT_CONVERTED,
        ProblemKind.NOT_CONVERTED,
        ProblemKind.FLATTENED,
        ProblemKind.MEDIA,
    ]
    html = render_body(post.body, [], post.numbering_style).html
    assert (
        '<figure class="embed" data-provider="twitter"><a href="https://twitter.com/WordPress/'
        'status/1057136472321613824" rel="noopener noreferrer">A tweet, wide</a></figure>'
    ) in html
    assert "<iframe" not in html and "<script" not in html


def test_post_settings_become_statuses_titles_and_report_lines() -> None:
    protected = converted(205)
    assert (protected.status, protected.published_at) == (
        ArticleStatus.ARCHIVED,
        dt.datetime(2025, 2, 5, 7, tzinfo=dt.UTC),
    )
    assert [k for k, _ in protected.problems] == [ProblemKind.WITHHELD]
    private = converted(206)
    assert (private.status, private.published_at) == (
        ArticleStatus.ARCHIVED,
        dt.datetime(2025, 2, 6, 7, tzinfo=dt.UTC),
    )
    untitled = converted(207)
    assert untitled.title == "Nothing names this post, but its first words …"
    assert untitled.problems == [
        (ProblemKind.UNTITLED, f"no title in WordPress; titled “{untitled.title}”")
    ]
    marked = converted(208)
    assert marked.title == "H₂O, the Sea"
    assert marked.excerpt == "An excerpt with two paragraphs."
    assert marked.problems == [(ProblemKind.FLATTENED, "title markup <em> kept as text")]
    undated = converted(209)
    assert (undated.status, undated.published_at) == (ArticleStatus.PUBLISHED, None)
    assert undated.problems == [(ProblemKind.UNDATED, "no date in the export")]
    assert converted(210).problems == [
        (ProblemKind.MEDIA, "featured image (attachment 7)"),
    ]
    assert converted(212).problems == [(ProblemKind.FLATTENED, "3 pages (<!--nextpage-->) joined")]


def test_endnotes_typed_after_a_rule_become_footnotes_with_sources() -> None:
    post = converted(211)
    assert post.body == "Boru hattı 2023’te tamamlandı.[^fni] İhracat arttı.[^fnii]"
    assert [(f.key, f.source.title if f.source else None) for f in post.footnotes] == [
        ("fni", "Gaz Piyasası Raporu"),
        ("fnii", "Boru Hatları"),
    ]


def _words(text: str) -> Counter[str]:
    # <q> is written with quotation marks, which the browser adds to the source by itself.
    return Counter(re.sub(r"[\"“”]", "", text).split())


@pytest.mark.parametrize("export", [FORMS_EXPORT, MERIDIAN_EXPORT], ids=lambda p: p.name)
def test_every_body_reads_as_its_source_with_nothing_stray(export: Path) -> None:
    """The body's rendered text has the words of the source as WordPress shows it (its
    paragraph rules applied, its notes taken out), and nothing else: no stray backslash,
    pipe, rule or tag."""
    for post_id, item in items(export).items():
        post = convert_post(item, language="en", now=NOW)
        soup = wordpress_soup(item.content, Findings())
        extract_footnotes(soup, item.meta.get("footnotes"), lambda key: "")
        source = html_to_text(str(soup))
        rendered = render_body(post.body, [f.key for f in post.footnotes], post.numbering_style)
        assert _words(rendered.text) == _words(source), post_id
        lines = post.body.split("\n")
        for line, following in zip(lines, [*lines[1:], ""], strict=True):
            assert not (line.endswith("\\") and not following.strip()), (post_id, line)
        assert "<br" not in post.body, post_id


# -- the parts ---------------------------------------------------------------------------------


def test_blocks_parse_with_their_attributes_inner_blocks_and_the_html_between() -> None:
    parsed = parse_blocks(
        'Before.<!-- wp:group {"layout":{"type":"flex"}} --><div><!-- wp:paragraph -->'
        "<p>In.</p><!-- /wp:paragraph --></div><!-- /wp:group -->"
        '<!-- wp:latest-posts {"postsToShow":3} /--><!-- wp:jetpack/map /-->After.'
    )
    assert parsed[0] == "Before."
    group = parsed[1]
    assert isinstance(group, Block)
    assert (group.name, group.attrs) == ("core/group", {"layout": {"type": "flex"}})
    assert group.html == "<div></div>"
    [inner] = [c for c in group.children if isinstance(c, Block)]
    assert (inner.name, inner.html) == ("core/paragraph", "<p>In.</p>")
    assert [(b.name, b.attrs) for b in parsed[2:4] if isinstance(b, Block)] == [
        ("core/latest-posts", {"postsToShow": 3}),
        ("jetpack/map", {}),
    ]
    assert parsed[4] == "After."


@pytest.mark.parametrize(
    ("text", "expected", "reported"),
    [
        ("[[caption]] is how one writes it", "[caption] is how one writes it", []),
        ("A word [in brackets] and [sic].", "A word [in brackets] and [sic].", []),
        ('[note type="aside"]kept text[/note]', "kept text", ["shortcode [note]"]),
        ('[su_button url="https://x.example"]', "", ["shortcode [su_button]"]),
        ("[archives]", "", ["shortcode [archives]"]),
        (
            "[gallery]",
            '<div data-wp-gallery="shortcode [gallery]" data-ids=""></div>',
            ["shortcode [gallery]"],
        ),
        (
            "<pre>[gallery]</pre> <code>[audio]</code>",
            "<pre>[gallery]</pre> <code>[audio]</code>",
            [],
        ),
    ],
)
def test_shortcodes_run_as_wordpress_runs_them(
    text: str, expected: str, reported: list[str]
) -> None:
    findings = Findings()
    assert do_shortcodes(text, findings) == expected
    assert [what for _, what in findings.problems()] == reported


@pytest.mark.parametrize(
    ("shortcode", "provider", "url"),
    [
        ("[youtube https://youtu.be/abc]", "youtube", "https://youtu.be/abc"),
        ("[youtube=https://www.youtube.com/watch?v=abc]", "youtube", None),
        ("[vimeo 76979871]", "vimeo", "https://vimeo.com/76979871"),
        (
            "[tweet 1057136472321613824]",
            "twitter",
            "https://twitter.com/i/status/1057136472321613824",
        ),
        ("[instagram url=https://www.instagram.com/p/x/]", "instagram", None),
        ("[wpvideo bd2G0c0g]", "videopress", "https://videopress.com/v/bd2G0c0g"),
        ("[embed]https://wordpress.tv/2009/03/16/anatomy/[/embed]", "wordpress-tv", None),
        ("[embed]https://example.org/page/[/embed]", "link", None),
        ("[audio https://example.org/a.mp3]", "audio", None),
        ('[video mp4="https://example.org/v.mp4"][/video]', "video", None),
    ],
)
def test_every_embedding_shortcode_becomes_an_embed(
    shortcode: str, provider: str, url: str | None
) -> None:
    findings = Findings()
    html = do_shortcodes(shortcode, findings)
    assert f'data-pressroom-embed="{provider}"' in html
    if url:
        assert f'href="{url}"' in html
    assert findings.problems() == []


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        # A break at the end of a button's link, at either end of a quote's citation.
        ('<div class="wp-block-button"><a>Left aligned<br></a></div>', "Left aligned"),
        (
            "<blockquote><p>Quoted.</p><cite><br>A Speaker<br></cite></blockquote>",
            "> Quoted.\n>\n> *A Speaker*",
        ),
        # Around a code block a classic post wrote inside its paragraph.
        (
            "<p>Before:<br />\n<code>a = 1<br />\nb = 2</code><br />\nAfter.</p>",
            "Before:\n\n```\na = 1\nb = 2\n```\n\nAfter.",
        ),
        # Two breaks make two paragraphs; one inside a list item or a cell is kept or a space.
        ("<p>One<br><br>Two</p>", "One\n\nTwo"),
        ("<ul><li>a<br>b</li><li>c<br></li></ul>", "- a\\\n  b\n- c"),
        ("<table><tr><th>h</th></tr><tr><td>x<br>y</td></tr></table>", "| h |\n| --- |\n| x y |"),
        ("<p>&nbsp;</p><p>Text</p>", "Text"),
    ],
)
def test_line_breaks_that_show_nothing_leave_no_stray_backslash(html: str, markdown: str) -> None:
    assert html_to_markdown(BeautifulSoup(html, "html.parser")) == markdown
