from __future__ import annotations

from html.parser import HTMLParser

import pytest

from publishing.footnotes.references import (
    KEY_PATTERN,
    NumberingStyle,
    Reference,
    anchor_id,
    find_references,
    first_reference_order,
    label,
    number_footnotes,
    reference_id,
    render_body,
)


def marker(key: str, label_text: str, occurrence: int = 1) -> str:
    ref = "fnref-" + key if occurrence == 1 else f"fnref-{key}-{occurrence}"
    return (
        f'<sup class="footnote-ref"><a href="#fn-{key}" id="{ref}" '
        f'rel="noopener noreferrer">{label_text}</a></sup>'
    )


def test_key_pattern() -> None:
    for key in ("a", "1", "note-1", "Note_2", "x" * 64):
        assert KEY_PATTERN.fullmatch(key)
    for key in ("", "-a", "_a", "a b", "a.b", "x" * 65, "ключ"):
        assert not KEY_PATTERN.fullmatch(key)


def test_first_reference_order_with_repeats() -> None:
    body = "One[^b] two[^a] three[^b] four[^c] five[^a]."
    assert first_reference_order(body) == ["b", "a", "c"]


def test_footnotes_are_numbered_by_their_first_reference() -> None:
    cited = ["b", "a", "b", "c"]
    numbers = number_footnotes(cited, ["a", "b", "c", "spare"], NumberingStyle.ROMAN)
    assert [(n.key, n.number, n.label, n.references) for n in numbers] == [
        ("b", 1, "i", 2),
        ("a", 2, "ii", 1),
        ("c", 3, "iii", 1),
        ("spare", 4, "iv", 0),  # never cited: after the cited ones, in stored order
    ]
    assert numbers[0].anchor_id == "fn-b"
    assert numbers[0].reference_ids == ("fnref-b", "fnref-b-2")
    assert numbers[3].reference_ids == ()


def test_the_footnote_list_and_the_body_markers_agree() -> None:
    # `x` has no footnote: it takes no number in the body, nor in the list.
    body = "One[^x] two[^b] three[^a]."
    numbers = number_footnotes(first_reference_order(body), ["a", "b"], NumberingStyle.ARABIC)
    assert [(n.key, n.label) for n in numbers] == [("b", "1"), ("a", "2")]
    html = render_body(body, {"a", "b"}, NumberingStyle.ARABIC).html
    assert marker("b", "1") in html and marker("a", "2") in html


def test_references_in_code_are_ignored() -> None:
    body = (
        "Real[^a] and `[^span]` and ``x [^span2] y``.\n"
        "\n"
        "```\n"
        "[^fenced]\n"
        "```\n"
        "\n"
        "~~~md\n"
        "[^tilde]\n"
        "~~~\n"
        "\n"
        "    [^indented]\n"
        "\n"
        "After[^b]\n"
    )
    assert [ref.key for ref in find_references(body)] == ["a", "b"]


def test_definitions_links_and_invalid_keys_are_not_references() -> None:
    body = (
        "[^a]: a definition typed into the body\n"
        "\n"
        "[see [^b]](https://example.org) \\[^c] [^bad key] [^-x] [^ok]\n"
    )
    assert first_reference_order(body) == ["ok"]


def test_reference_positions() -> None:
    body = (
        "Intro[^a] text\n"  # 1
        "\n"  # 2
        "> quoted [^b]\n"  # 3
        "\n"  # 4
        "- item\n"  # 5
        "  more [^c] and [^a]\n"  # 6
        "\n"  # 7
        "## Heading [^d] ##\n"  # 8
        "\n"  # 9
        "| x | [^e] |\n"  # 10
        "|---|---|\n"  # 11
        "| [^e] | y |\n"  # 12
    )
    assert find_references(body) == [
        Reference("a", 1, 6),
        Reference("b", 3, 10),
        Reference("c", 6, 8),
        Reference("a", 6, 17),
        Reference("d", 8, 12),
        Reference("e", 10, 7),
        Reference("e", 12, 3),
    ]


def test_reference_positions_with_windows_line_ends() -> None:
    assert find_references("a\r\n\r\nb [^k]") == [Reference("k", 3, 3)]


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, "i"),
        (2, "ii"),
        (3, "iii"),
        (4, "iv"),
        (5, "v"),
        (9, "ix"),
        (14, "xiv"),
        (40, "xl"),
        (49, "xlix"),
        (90, "xc"),
        (400, "cd"),
        (944, "cmxliv"),
        (1994, "mcmxciv"),
        (2024, "mmxxiv"),
        (3999, "mmmcmxcix"),
    ],
)
def test_roman_labels(number: int, expected: str) -> None:
    assert label(number, NumberingStyle.ROMAN) == expected


def test_arabic_labels_and_bad_numbers() -> None:
    assert [label(n, NumberingStyle.ARABIC) for n in (1, 2, 10)] == ["1", "2", "10"]
    with pytest.raises(ValueError):
        label(0, NumberingStyle.ROMAN)


def test_ids() -> None:
    assert anchor_id("src") == "fn-src"
    assert reference_id("src", 1) == "fnref-src"
    assert reference_id("src", 2) == "fnref-src-2"
    assert reference_id("src", 10) == "fnref-src-10"


def test_render_body_markers() -> None:
    body = "First[^b] then[^a], again[^b] and[^ghost]."
    rendered = render_body(body, {"a", "b", "unused"}, NumberingStyle.ARABIC)
    assert rendered.html == (
        f"<p>First{marker('b', '1')} then{marker('a', '2')}, "
        f"again{marker('b', '1', 2)} and[^ghost].</p>\n"
    )
    assert rendered.order == ("b", "a")
    assert dict(rendered.occurrences) == {"b": 2, "a": 1}
    assert rendered.text == "First then, again and[^ghost]."
    assert rendered.markdown == body


def test_render_body_roman_labels() -> None:
    keys = [f"k{n}" for n in range(1, 6)]
    body = " ".join(f"w[^{key}]" for key in keys)
    html = render_body(body, keys, NumberingStyle.ROMAN).html
    for key, roman in zip(keys, ("i", "ii", "iii", "iv", "v"), strict=True):
        assert marker(key, roman) in html


def test_render_body_without_footnotes_appends_no_list() -> None:
    rendered = render_body("Plain text[^a].", set(), NumberingStyle.ARABIC)
    assert rendered.html == "<p>Plain text[^a].</p>\n"
    assert rendered.order == ()
    assert "footnotes" not in render_body("x[^a]", {"a"}, NumberingStyle.ARABIC).html


def test_render_body_keeps_markdown_and_ignores_code() -> None:
    rendered = render_body("**Bold**[^a] `[^a]`", {"a"}, NumberingStyle.ARABIC)
    assert rendered.html == f"<p><strong>Bold</strong>{marker('a', '1')} <code>[^a]</code></p>\n"
    assert rendered.text == "Bold [^a]"


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.seen: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.extend((tag, name, value or "") for name, value in attrs)
        self.seen.append((tag, "", ""))


def test_render_body_xss_does_not_survive() -> None:
    body = (
        "<script>alert(1)</script>[^a] [a](javascript:alert(1)) "
        "<img src=x onerror=alert(1)> ![i](data:text/html;base64,AAAA)"
    )
    html = render_body(body, {"a"}, NumberingStyle.ARABIC).html
    parser = _Attributes()
    parser.feed(html)
    assert {tag for tag, _, _ in parser.seen} == {"p", "sup", "a"}
    assert all(not name.startswith("on") for _, name, _ in parser.seen)
    assert [value for _, name, value in parser.seen if name == "href"] == ["#fn-a"]
    assert "&lt;script&gt;" in html
