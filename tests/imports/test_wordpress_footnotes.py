"""Footnotes out of WordPress HTML: block-editor notes and hand-typed endnotes."""

from __future__ import annotations

import datetime as dt
import json

from publishing.footnotes.references import NumberingStyle
from publishing.imports.report import ProblemKind
from publishing.imports.wordpress.convert import ConvertedPost, convert_post
from publishing.imports.wordpress.reader import WxrItem

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def convert(content: str, footnotes_meta: object = None, language: str = "en") -> ConvertedPost:
    meta = {} if footnotes_meta is None else {"footnotes": json.dumps(footnotes_meta)}
    item = WxrItem(
        post_id=1,
        post_type="post",
        status="publish",
        title="A post",
        slug="a-post",
        content=content,
        excerpt="",
        creator="someone",
        post_date=NOW,
        post_date_gmt=NOW,
        meta=meta,
    )
    return convert_post(item, language=language, now=NOW)


def marker(note_id: str, label: int) -> str:
    return (
        f'<sup data-fn="{note_id}" class="fn"><a href="#{note_id}" id="{note_id}-link">'
        f"{label}</a></sup>"
    )


def notes(post: ConvertedPost) -> list[tuple[str, str]]:
    return [(f.key, f.content) for f in post.footnotes]


def kinds(post: ConvertedPost) -> list[ProblemKind]:
    return [kind for kind, _ in post.problems]


# -- block editor ----------------------------------------------------------------------------


def test_block_editor_markers_become_references_numbered_by_first_use() -> None:
    post = convert(
        f"<p>First{marker('b', 1)} and second{marker('a', 2)}, first again{marker('b', 1)}.</p>"
        "<!-- wp:footnotes /-->",
        [{"id": "a", "content": "Note <em>A</em>."}, {"id": "b", "content": "Note B."}],
    )
    assert post.body == "First[^fn1] and second[^fn2], first again[^fn1]."
    assert notes(post) == [("fn1", "Note B."), ("fn2", "Note *A*.")]
    assert post.problems == []


def test_block_editor_marker_without_note_and_note_without_marker_are_reported() -> None:
    post = convert(
        f"<p>Kept{marker('a', 1)}, lost{marker('gone', 2)}.</p>",
        [{"id": "a", "content": "A."}, {"id": "spare", "content": "Never cited."}],
    )
    assert post.body == "Kept[^fn1], lost."
    assert notes(post) == [("fn1", "A.")]
    assert kinds(post) == [ProblemKind.MARKER_WITHOUT_NOTE, ProblemKind.NOTE_WITHOUT_MARKER]
    assert "Never cited." in post.problems[1][1]


def test_block_editor_notes_rendered_into_the_content_are_read_too() -> None:
    post = convert(
        f"<p>Claim{marker('x1', 1)}.</p>"
        '<ol class="wp-block-footnotes"><li id="x1">Rendered note. '
        '<a href="#x1-link">↩︎</a></li></ol>'
    )
    assert post.body == "Claim[^fn1]."
    assert notes(post) == [("fn1", "Rendered note.")]


# -- hand-typed ------------------------------------------------------------------------------


def test_mixed_arabic_and_roman_markers_meet_one_numbered_list() -> None:
    post = convert(
        "<p>One[1], two[ii], three<sup>3</sup>.</p>"
        "<h3>Notes</h3><ol><li>First.</li><li>Second.</li><li>Third.</li></ol>"
    )
    assert post.body == "One[^fn1], two[^fn2], three[^fn3]."
    assert notes(post) == [("fn1", "First."), ("fn2", "Second."), ("fn3", "Third.")]
    assert post.numbering_style is NumberingStyle.ARABIC
    assert post.problems == []


def test_roman_notes_typed_as_lines_make_the_article_roman() -> None:
    post = convert(
        "<p>Bir[i] iki[ii].</p><p><strong>Kaynaklar</strong></p>"
        "<p>i. Birinci not.<br />ii. İkinci not,<br />devamı.</p>",
        language="tr",
    )
    assert post.body == "Bir[^fni] iki[^fnii]."
    assert notes(post) == [("fni", "Birinci not."), ("fnii", "İkinci not, devamı.")]
    assert post.numbering_style is NumberingStyle.ROMAN


def test_an_arabic_and_a_roman_list_in_one_post_keep_their_own_notes() -> None:
    post = convert(
        "<p>Author's note[1], translator's note[i], author again[2].</p>"
        "<h2>Примечания</h2>"
        "<p>1. Author one.</p><p>2. Author two.</p><p>i. Translator one.</p>",
        language="ru",
    )
    assert post.body == "Author's note[^fn1], translator's note[^fni], author again[^fn2]."
    assert notes(post) == [
        ("fn1", "Author one."),
        ("fni", "Translator one."),
        ("fn2", "Author two."),
    ]


def test_word_style_links_and_bracketed_labels_are_understood() -> None:
    post = convert(
        '<p>Text<a href="#_ftn1" name="_ftnref1">[1]</a> more.</p>'
        "<h4>Footnotes</h4>"
        '<p><a href="#_ftnref1" name="_ftn1">[1]</a> The note, with '
        '<a href="https://example.org/x">a link</a>.</p>'
    )
    assert post.body == "Text[^fn1] more."
    assert notes(post) == [("fn1", "The note, with [a link](https://example.org/x).")]


def test_a_final_list_without_a_heading_counts_when_markers_point_to_it() -> None:
    post = convert("<p>Claim[1] and claim[2].</p><ol><li>Note one.</li><li>Note two.</li></ol>")
    assert notes(post) == [("fn1", "Note one."), ("fn2", "Note two.")]


def test_a_list_nothing_points_to_stays_in_the_text() -> None:
    content = "<p>Steps to take, in order.</p><ol><li>Plan.</li><li>Build.</li></ol>"
    post = convert(content)
    assert post.footnotes == []
    assert post.body == "Steps to take, in order.\n\n1. Plan.\n2. Build."


def test_a_bibliography_without_markers_stays_in_the_text() -> None:
    post = convert("<p>An essay.</p><h2>References</h2><p>1. A book, 2019.</p>")
    assert post.footnotes == []
    assert post.body == "An essay.\n\n## References\n\n1\\. A book, 2019."


def test_powers_and_code_are_not_markers() -> None:
    post = convert(
        "<p>An area of 10 km<sup>2</sup>, an index <code>a[1]</code>, a claim[1].</p>"
        "<h3>Notes</h3><ol><li>The note.</li><li>Unused.</li></ol>"
    )
    assert post.body == "An area of 10 km<sup>2</sup>, an index `a[1]`, a claim[^fn1]."
    assert kinds(post) == [ProblemKind.NOTE_WITHOUT_MARKER]


def test_markers_without_notes_are_removed_and_reported() -> None:
    post = convert("<p>Known[1], unknown[7].</p><h3>Notes</h3><ol><li>Only one.</li></ol>")
    assert post.body == "Known[^fn1], unknown."
    assert post.problems == [(ProblemKind.MARKER_WITHOUT_NOTE, "marker [7] has no note; removed")]


def test_a_citation_note_gets_its_source_and_an_unreadable_one_is_reported() -> None:
    post = convert(
        "<p>A[1] B[2].</p><h3>Notes</h3><ol>"
        "<li>“Gas Market Report”, International Energy Agency, "
        "https://www.iea.org/r (Accessed: 11.03.2025).</li>"
        "<li>“A Report”, accessed one rainy day.</li></ol>"
    )
    first, second = post.footnotes
    assert first.source is not None
    assert (first.source.title, first.source.publisher, first.source.url) == (
        "Gas Market Report",
        "International Energy Agency",
        "https://www.iea.org/r",
    )
    assert first.source.accessed_on == dt.date(2025, 3, 11)
    assert second.source is None
    assert post.problems == [
        (
            ProblemKind.CITATION_NOT_PARSED,
            "note 2: the access date could not be read: ““A Report”, accessed one rainy day.”",
        )
    ]


# -- notes typed after the text with no heading -----------------------------------------------

SEED_NOTES = (
    "<p>[i] “Gaz Piyasası Raporu”, Enerji Ajansı, (Erişim Tarihi: 24.07.2023).</p>"
    "<p>[ii] “Boru Hatları”, Haber Ajansı, (Erişim Tarihi: 25.07.2023).</p>"
)


def seed_notes(post: ConvertedPost) -> list[tuple[str, str, str | None, dt.date | None]]:
    return [
        (
            f.key,
            f.source.title if f.source else "",
            f.source.publisher if f.source else None,
            f.source.accessed_on if f.source else None,
        )
        for f in post.footnotes
    ]


SEED_EXPECTED = [
    ("fni", "Gaz Piyasası Raporu", "Enerji Ajansı", dt.date(2023, 7, 24)),
    ("fnii", "Boru Hatları", "Haber Ajansı", dt.date(2023, 7, 25)),
]


def test_marker_led_paragraphs_after_a_rule_are_notes() -> None:
    post = convert("<p>Hat tamamlandı.[i] İhracat arttı.[ii]</p><hr />" + SEED_NOTES, language="tr")
    assert post.body == "Hat tamamlandı.[^fni] İhracat arttı.[^fnii]"
    assert seed_notes(post) == SEED_EXPECTED
    assert post.numbering_style is NumberingStyle.ROMAN
    assert post.problems == []


def test_marker_led_paragraphs_with_nothing_before_them_are_notes() -> None:
    post = convert("<p>Hat tamamlandı.[i]</p><p>İhracat arttı.[ii]</p>" + SEED_NOTES, "tr")
    assert post.body == "Hat tamamlandı.[^fni]\n\nİhracat arttı.[^fnii]"
    assert seed_notes(post) == SEED_EXPECTED


def test_marker_led_lines_of_a_classic_post_are_notes() -> None:
    # No markup at all: one note a line after a blank line, or right under the last sentence.
    lines = (
        "[i] “Gaz Piyasası Raporu”, Enerji Ajansı, (Erişim Tarihi: 24.07.2023).\n"
        "[ii] “Boru Hatları”, Haber Ajansı, (Erişim Tarihi: 25.07.2023)."
    )
    for content in (
        f"Hat tamamlandı.[i]\n\nİhracat arttı.[ii]\n\n{lines}",
        f"Hat tamamlandı.[i]\n\nİhracat arttı.[ii]\n{lines}",
    ):
        post = convert(content, language="tr")
        assert post.body == "Hat tamamlandı.[^fni]\n\nİhracat arttı.[^fnii]", content
        assert seed_notes(post) == SEED_EXPECTED


def test_marker_led_paragraphs_nothing_points_to_stay_in_the_text() -> None:
    for content in (
        "<p>An essay.</p><p>[1] A book, 2019.</p><p>[2] Another book, 2020.</p>",
        "<p>An essay.</p><hr /><p>1. A book, 2019.</p>",
        "An essay.\n[1] A book, 2019.",
    ):
        post = convert(content)
        assert post.footnotes == [], content
        assert "A book, 2019." in post.body
    assert convert("<p>An essay.</p><hr /><p>1. A book, 2019.</p>").body == (
        "An essay.\n\n---\n\n1\\. A book, 2019."
    )
