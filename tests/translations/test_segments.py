from __future__ import annotations

from dataclasses import replace

from publishing.demo import content as demo
from publishing.footnotes.references import NumberingStyle, find_references, render_body
from publishing.translations.segments import (
    ArticleText,
    ChangeKind,
    Code,
    CodeKind,
    FootnoteText,
    ImageText,
    Inline,
    Pair,
    Segment,
    SegmentKind,
    Text,
    align_segments,
    check_target,
    diff_segments,
    segment_article,
)


def demo_article(key: str = "after-new-start") -> ArticleText:
    story = next(story for story in demo.STORIES if story.key == key)
    version = story.versions[0]
    return ArticleText(
        title=version.title,
        subtitle=version.subtitle,
        excerpt=version.excerpt,
        body=version.body,
        footnotes=tuple(FootnoteText(f.key, f.content, f.source) for f in version.footnotes),
    )


def by_kind(segments: tuple[Segment, ...], kind: SegmentKind) -> list[Segment]:
    return [segment for segment in segments if segment.kind is kind]


def test_every_kind_of_block_is_a_segment_and_markup_is_codes() -> None:
    body = (
        "# Heading\n\n"
        'A *b* **c** ~~d~~ `e` [f](https://x.org/a "t") <https://y.org> g[^n] <sup>2</sup>\n\n'
        "- item one\n- item two\n\n"
        "> quoted\n\n"
        "| h1 | h2 |\n|----|----|\n| c1 | c2 |\n\n"
        "```\nnot = translated\n```\n"
    )
    segmentation = segment_article(
        ArticleText(
            "T", "S", "E", body, (FootnoteText("n", "A note."),), ImageText("7", "alt", "cap")
        )
    )
    kinds = [segment.kind for segment in segmentation.segments]
    assert kinds == [
        SegmentKind.TITLE,
        SegmentKind.SUBTITLE,
        SegmentKind.EXCERPT,
        SegmentKind.HEADING,
        SegmentKind.PARAGRAPH,
        SegmentKind.LIST_ITEM,
        SegmentKind.LIST_ITEM,
        SegmentKind.QUOTE,
        *[SegmentKind.TABLE_CELL] * 4,
        SegmentKind.FOOTNOTE,
        SegmentKind.IMAGE_ALT,
        SegmentKind.IMAGE_CAPTION,
    ]
    paragraph = by_kind(segmentation.segments, SegmentKind.PARAGRAPH)[0]
    assert [info.kind for info in paragraph.codes.values()] == [
        CodeKind.EMPHASIS,
        CodeKind.STRONG,
        CodeKind.STRIKETHROUGH,
        CodeKind.CODE,
        CodeKind.LINK,
        CodeKind.AUTOLINK,
        CodeKind.FOOTNOTE_REFERENCE,
        CodeKind.TAG,
        CodeKind.TAG,
    ]
    assert paragraph.text == "A b c d  f  g 2"
    assert paragraph.source == body.split("\n\n")[1]
    assert paragraph.codes["5"].end == '](https://x.org/a "t")'
    assert segmentation.segments[-1].id == "image-7-caption"
    assert "not = translated" not in " ".join(s.source for s in segmentation.segments)


def test_ids_survive_a_paragraph_inserted_above_and_an_edit_elsewhere() -> None:
    article = demo_article()
    before = segment_article(article)
    paragraphs = article.body.split("\n\n")
    edited = [*paragraphs[:1], "A new paragraph.", *paragraphs[1:]]
    edited[-1] = edited[-1].replace("in good\nfaith", "in good faith, as ever,")
    after = segment_article(replace(article, body="\n\n".join(edited)))
    old_ids = [s.id for s in before.segments]
    new_ids = [s.id for s in after.segments]
    assert set(old_ids) - set(new_ids) == {by_kind(before.segments, SegmentKind.PARAGRAPH)[-1].id}
    assert len(set(new_ids) - set(old_ids)) == 2


def test_identical_blocks_get_distinct_ids() -> None:
    segments = segment_article(ArticleText("T", body="Same.\n\nSame.\n\nOther.")).segments
    ids = [s.id for s in segments if s.kind is SegmentKind.PARAGRAPH]
    assert ids[1] == f"{ids[0]}-2"
    assert len(set(ids)) == 3


def test_diff_reports_an_edited_paragraph_as_changed_with_both_texts() -> None:
    article = demo_article()
    before = segment_article(article)
    body = article.body.replace("were modest.", "were modest by any measure.")
    after = segment_article(replace(article, body=body + "\n\nA closing line.\n"))
    changes = diff_segments(before.segments, after.segments)
    assert [change.change for change in changes] == [ChangeKind.CHANGED, ChangeKind.ADDED]
    changed = changes[0]
    assert changed.old_source is not None and "were modest." in changed.old_source
    assert changed.new_source is not None and "modest by any measure" in changed.new_source
    assert changed.segment_id in {s.id for s in after.segments}
    assert changes[1].new_source == "A closing line."
    # Footnotes and fixed fields are compared too.
    notes = replace(article.footnotes[0], content="Changed.")
    third = segment_article(
        replace(article, title="New", footnotes=(notes, *article.footnotes[1:]))
    )
    kinds = {
        (c.change, c.new.kind if c.new else None)
        for c in diff_segments(before.segments, third.segments)
    }
    assert kinds == {
        (ChangeKind.CHANGED, SegmentKind.TITLE),
        (ChangeKind.CHANGED, SegmentKind.FOOTNOTE),
    }
    removed = diff_segments(after.segments, before.segments)
    assert ChangeKind.REMOVED in {c.change for c in removed}


def test_restore_keeps_structure_and_every_footnote_reference() -> None:
    article = demo_article()
    segmentation = segment_article(article)
    targets: dict[str, tuple[Inline, ...]] = {}
    for segment in segmentation.segments:
        # A "translation" that keeps every code and shouts the text.
        targets[segment.id] = _shout(segment.content)
        assert check_target(segment, targets[segment.id]) == []
    restored = segmentation.restore(targets)
    assert restored.title == article.title.upper()
    keys = [r.key for r in find_references(restored.body)]
    assert keys == [r.key for r in find_references(article.body)]
    html = render_body(
        restored.body, [f.key for f in restored.footnotes], NumberingStyle.ROMAN
    ).html
    assert html.count('class="footnote-ref"') == 6
    assert "<strong>DATA EXCHANGES</strong>" in html
    assert "<ol>" in html and "<h2>WHAT CAN SURVIVE</h2>" in html
    assert restored.footnotes[0].content == article.footnotes[0].content.upper()
    # Segmenting the result again gives blocks of the same kinds, pairing one to one.
    again = segment_article(restored)
    assert [s.kind for s in again.segments] == [s.kind for s in segmentation.segments]
    pairs = align_segments(segmentation.segments, again.segments)
    assert len(pairs) == len(segmentation.segments)


def _shout(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for item in content:
        if isinstance(item, Text):
            out.append(Text(item.text.upper()))
        elif isinstance(item, Pair):
            out.append(Pair(item.id, _shout(item.content)))
        else:
            out.append(item)
    return tuple(out)


def test_translated_text_cannot_inject_markup() -> None:
    segmentation = segment_article(ArticleText("T", body="Plain[^a] text."))
    segment = by_kind(segmentation.segments, SegmentKind.PARAGRAPH)[0]
    target = (Text("1. *not* [a](b) <i> # x_y_ !"), Code("1"), Text(" &amp;"))
    restored = segmentation.restore({segment.id: target}).body
    html = render_body(restored, ["a"], NumberingStyle.ARABIC).html
    assert "<em>" not in html and '<a href="b"' not in html and "<ol>" not in html
    assert 'href="#fn-a"' in html
    assert "&amp;amp;" in html


def test_check_target_names_missing_extra_duplicate_and_mismatched_codes() -> None:
    segmentation = segment_article(
        ArticleText("T", body="One[^a] *two* [three](https://x.org)[^b].")
    )
    segment = by_kind(segmentation.segments, SegmentKind.PARAGRAPH)[0]
    assert [info.kind for info in segment.codes.values()][:2] == [
        CodeKind.FOOTNOTE_REFERENCE,
        CodeKind.EMPHASIS,
    ]
    target = (Text("Bir"), Code("2"), Pair("3", (Text("üç"),)), Code("3"), Code("9"))
    problems = {(p.code_id, p.problem) for p in check_target(segment, target)}
    assert problems == {
        ("2", "MISMATCHED"),
        ("3", "DUPLICATE"),
        ("3", "MISMATCHED"),
        ("9", "EXTRA"),
        ("1", "MISSING"),
        ("4", "MISSING"),
    }
    missing = next(p for p in check_target(segment, target) if p.code_id == "4")
    assert missing.display == "[^b]"


def test_body_images_give_alt_and_caption_segments_rebuilt_from_their_translations() -> None:
    body = 'Before.\n\n![A chart of warheads](media:12 "Warheads, 2024")\n\nAfter.'
    segmentation = segment_article(ArticleText("T", body=body))
    alt, caption = (
        s
        for s in segmentation.segments
        if s.kind in (SegmentKind.IMAGE_ALT, SegmentKind.IMAGE_CAPTION)
    )
    assert (alt.text, caption.text) == ("A chart of warheads", "Warheads, 2024")
    restored = segmentation.restore(
        {
            alt.id: (Text("Savaş başlıkları grafiği"),),
            caption.id: (Text('"Savaş başlıkları", 2024'),),
        }
    ).body
    assert restored == (
        'Before.\n\n![Savaş başlıkları grafiği](media:12 "\\"Savaş başlıkları\\", 2024")\n\nAfter.'
    )


def test_align_pairs_a_hand_written_translation_by_structure() -> None:
    original = segment_article(
        ArticleText(
            "Title", body="One.\n\n## Two\n\nThree.", footnotes=(FootnoteText("a", "Note."),)
        )
    )
    translation = segment_article(
        ArticleText("Başlık", body="Bir.\n\n## İki\n\nÜç.", footnotes=(FootnoteText("a", "Not."),))
    )
    pairs = align_segments(original.segments, translation.segments)
    assert {original.by_id()[k].source: v.source for k, v in pairs.items()} == {
        "Title": "Başlık",
        "One.": "Bir.",
        "Two": "İki",
        "Three.": "Üç.",
        "Note.": "Not.",
    }
