"""``wpautop`` as WordPress runs it on classic posts, checked on the cases its own tests pin."""

from __future__ import annotations

import pytest

from publishing.imports.wordpress.autop import wpautop

BLOCKS = [
    "table",
    "thead",
    "tfoot",
    "caption",
    "col",
    "colgroup",
    "tbody",
    "tr",
    "td",
    "th",
    "div",
    "dl",
    "dd",
    "dt",
    "ul",
    "ol",
    "li",
    "pre",
    "form",
    "map",
    "area",
    "address",
    "style",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "fieldset",
    "legend",
    "section",
    "article",
    "aside",
    "hgroup",
    "header",
    "footer",
    "nav",
    "figure",
    "details",
    "menu",
    "summary",
]
INLINES = [
    "a",
    "em",
    "strong",
    "small",
    "s",
    "cite",
    "q",
    "dfn",
    "abbr",
    "data",
    "time",
    "code",
    "var",
    "samp",
    "kbd",
    "sub",
    "sup",
    "i",
    "b",
    "u",
    "mark",
    "span",
    "del",
    "ins",
    "noscript",
    "select",
]


def autop(text: str) -> str:
    return wpautop(text).strip()


def test_nothing_in_nothing_out() -> None:
    assert wpautop("") == ""
    assert wpautop(" \n\t") == ""


def test_blank_lines_make_paragraphs_and_single_newlines_breaks() -> None:
    text = "First paragraph,\nsecond line.\n\nSecond paragraph.\n\n\n\nThird."
    assert autop(text) == (
        "<p>First paragraph,<br />\nsecond line.</p>\n<p>Second paragraph.</p>\n<p>Third.</p>"
    )


def test_a_post_with_some_paragraphs_typed_keeps_the_others() -> None:
    # One <p> anywhere must not stop the rest from getting their paragraphs.
    text = "this is a test\n<p>and it works</p>\n\nand so does this"
    assert autop(text) == "<p>this is a test</p>\n<p>and it works</p>\n<p>and so does this</p>"


def test_lists_between_paragraphs_are_not_wrapped() -> None:
    text = "First things first:\n<ul>\n<li>One</li>\n<li>Two</li>\n</ul>\nAfter the list."
    assert autop(text) == (
        "<p>First things first:</p>\n<ul>\n<li>One</li>\n<li>Two</li>\n</ul>\n"
        "<p>After the list.</p>"
    )


def test_pre_is_left_as_typed() -> None:
    code = "function f() {\n\n    return 1;&lt;br&gt;\n}"
    assert autop(f"<pre>{code}</pre>") == f"<pre>{code}</pre>"
    assert autop(f"Look at this code\n\n<pre>{code}</pre>\n\nIsn't that cool?") == (
        f"<p>Look at this code</p>\n<pre>{code}</pre>\n<p>Isn't that cool?</p>"
    )
    typed = "<pre>Line1<br />Line2<br>Line3<br/>Line4\nActual Line 2\nActual Line 3</pre>"
    assert autop(f"Look\n\n{typed}\n\nCool") == f"<p>Look</p>\n{typed}\n<p>Cool</p>"


def test_block_elements_are_blocks_with_or_without_space_between() -> None:
    elements = [f"<{tag}>foo</{tag}>" for tag in BLOCKS]
    assert autop("\n\n".join(elements)) == "\n".join(elements)
    assert autop("".join(elements)) == "\n".join(elements)
    with_attributes = [f"<{tag} attr='value'>foo</{tag}>" for tag in BLOCKS]
    assert autop("".join(with_attributes)) == "\n".join(with_attributes)
    empty = [f"<{tag}/>" for tag in BLOCKS]
    assert autop("".join(empty)) == "\n".join(empty)


def test_inline_elements_are_inline() -> None:
    elements = [f"<{tag}>foo</{tag}>" for tag in INLINES]
    assert autop("\n\n".join(elements)) == "\n".join(f"<p>{e}</p>" for e in elements)


def test_a_blockquote_gets_paragraphs_inside_not_around() -> None:
    assert autop("<blockquote>foo</blockquote>") == "<blockquote><p>foo</p></blockquote>"


def test_text_before_a_block_is_a_paragraph() -> None:
    assert autop("a<div>b</div>") == "<p>a</p>\n<div>b</div>"


def test_a_rule_is_not_wrapped() -> None:
    assert autop("paragraph1<hr>paragraph2") == "<p>paragraph1</p>\n<hr>\n<p>paragraph2</p>"


def test_typed_breaks_are_not_doubled_and_two_of_them_end_a_paragraph() -> None:
    assert autop("line 1<br>\nline 2<br/>\nline 3<br />\nline 4\nline 5\n") == (
        "<p>line 1<br />\nline 2<br />\nline 3<br />\nline 4<br />\nline 5</p>"
    )
    assert autop("line 1<br>\n<br/>\nline 2<br/>\n<br />\n") == "<p>line 1</p>\n<p>line 2</p>"


def test_no_break_before_the_end_of_a_paragraph_or_item() -> None:
    assert autop("<ul>\n<li>one\n</li>\n<li>two</li>\n</ul>") == (
        "<ul>\n<li>one\n</li>\n<li>two</li>\n</ul>"
    )
    assert autop("<p>Typed\n</p>") == "<p>Typed</p>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello <a\nhref='world'>", "<p>Hello <a\nhref='world'></p>\n"),
        ("Hello <!-- a\nhref='world' -->", "<p>Hello <!-- a\nhref='world' --></p>\n"),
        (
            "Hello <!-- <object>\n<param>\n<param>\n<embed>\n</embed>\n</object>\n -->",
            "<p>Hello <!-- <object>\n<param>\n<param>\n<embed>\n</embed>\n</object>\n --></p>\n",
        ),
        (
            "Hello <![CDATA[ a\nhttps://youtu.be/x\n ]]>",
            "<p>Hello <![CDATA[ a\nhttps://youtu.be/x\n ]]></p>\n",
        ),
    ],
)
def test_newlines_inside_tags_and_comments_are_not_breaks(text: str, expected: str) -> None:
    assert wpautop(text) == expected


def test_a_figure_keeps_its_caption_without_a_stray_paragraph() -> None:
    assert autop('<figure><img src="a.jpg" /><figcaption>Caption</figcaption></figure>') == (
        '<figure><img src="a.jpg" /><figcaption>Caption</figcaption></figure>'
    )
    assert autop('<figure>\n<img src="a.jpg" />\n<figcaption>Caption</figcaption>\n</figure>') == (
        '<figure>\n<img src="a.jpg" /><figcaption>Caption</figcaption></figure>'
    )


def test_scripts_svg_and_media_sources_keep_their_newlines() -> None:
    script = '<script type="text/javascript">\n\tvar dummy = 1;\n</script>'
    assert autop(script) == f"<p>{script}</p>"
    svg = '<svg xmlns="http://www.w3.org/2000/svg">\n<circle cx="5" r="3"/>\n</svg>'
    assert autop(svg) == f"<p>{svg}</p>"
    video = '<video controls>\n\n<source type="video/mp4" src="a.mp4" />\n\n</video>'
    assert autop(f"One.\n\n{video}\n\nTwo.") == (
        '<p>One.</p>\n<p><video controls><source type="video/mp4" src="a.mp4" /></video></p>\n'
        "<p>Two.</p>"
    )


def test_objects_and_selects_are_not_broken_into_lines() -> None:
    obj = '<object width="4">\n\t<param name="src" value="x" />\n\n\t<embed src="x" />\n</object>'
    assert autop(f"One.\n\n{obj}\n\nTwo.") == (
        '<p>One.</p>\n<p><object width="4"><param name="src" value="x" /><embed src="x" />'
        "</object></p>\n<p>Two.</p>"
    )
    select = 'Country: <select id="s"><option value="1">A</option><option value="2">B</option>'
    assert autop(select + "</select>") == f"<p>{select}</select></p>"


def test_a_no_break_space_is_text_not_a_gap() -> None:
    assert autop("one\n\u00a0\ntwo") == "<p>one<br />\n\u00a0<br />\ntwo</p>"
