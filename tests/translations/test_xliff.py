from __future__ import annotations

import pytest

from publishing.translations.segments import ArticleText, Code, Pair, Text, segment_article
from publishing.translations.xliff import (
    UnitState,
    XliffError,
    XliffUnit,
    XliffVersion,
    document_original,
    read_xliff,
    write_xliff,
)

BODY = 'Cites[^a] a *short* [link](https://x.org "T") and `code`.\n\n- **Bold** item'


def document(version: XliffVersion, translated: bool) -> str:
    segmentation = segment_article(ArticleText("Title", body=BODY))
    units = [
        XliffUnit(s, s.content if translated else None, UnitState.TRANSLATED)
        for s in segmentation.segments
    ]
    return write_xliff(
        version,
        original=document_original("QXJ0aWNsZTox", 7),
        source_language="en",
        target_language="tr",
        units=units,
    )


@pytest.mark.parametrize("version", list(XliffVersion))
def test_targets_read_back_as_written_in_both_versions(version: XliffVersion) -> None:
    read = read_xliff(document(version, translated=True).encode())
    assert (read.article_ref, read.source_version) == ("QXJ0aWNsZTox", 7)
    assert (read.source_language, read.target_language) == ("en", "tr")
    segments = segment_article(ArticleText("Title", body=BODY)).segments
    assert read.targets == {s.id: s.content for s in segments}
    paragraph = read.targets[segments[1].id]
    assert paragraph is not None
    assert paragraph[1] == Code("1") and paragraph[3] == Pair("2", (Text("short"),))


def test_units_without_target_read_as_untranslated() -> None:
    read = read_xliff(document(XliffVersion.XLIFF_2_1, translated=False).encode())
    assert set(read.targets.values()) == {None}


def test_white_space_inside_text_is_kept_and_structure_is_indented() -> None:
    content = document(XliffVersion.XLIFF_2_1, translated=True)
    assert "<source>Cites<ph " in content
    assert '\n    <unit id="title" name="TITLE">' in content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<not-xml", "Not well-formed XML"),
        (b"<xliff/>", "Not an XLIFF"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
            "DOCTYPE",
        ),
        (
            b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en">'
            b'<file id="f" original="elsewhere"><unit id="u"><segment><source>x</source>'
            b"</segment></unit></file></xliff>",
            "does not name an article",
        ),
    ],
)
def test_what_cannot_be_read_says_why(data: bytes, message: str) -> None:
    with pytest.raises(XliffError, match=message):
        read_xliff(data)
