"""Notes typed as citations, read into sources in English, Turkish and Russian."""

from __future__ import annotations

import datetime as dt

import pytest

from publishing.articles.validation import SourceData
from publishing.imports.wordpress.citations import CitationReading, read_citation

TODAY = dt.date(2026, 1, 1)


def read(text: str, language: str = "en", link: str | None = None) -> CitationReading:
    return read_citation(text, link=link, language=language, today=TODAY)


@pytest.mark.parametrize(
    ("language", "text", "source"),
    [
        (
            "en",
            "“Gas Market Report, Q1-2025”, International Energy Agency, "
            "https://www.iea.org/reports/q1 (Accessed: 11.03.2025).",
            SourceData(
                "Gas Market Report, Q1-2025",
                "International Energy Agency",
                "https://www.iea.org/reports/q1",
                dt.date(2025, 3, 11),
            ),
        ),
        (
            "en",
            "International Energy Agency, “Gas Market Report”, iea.org, accessed March 3, 2025.",
            SourceData(
                "Gas Market Report", "International Energy Agency", None, dt.date(2025, 3, 3)
            ),
        ),
        (
            "en",
            '"Report", U.S. Energy Information Administration, https://eia.gov/r '
            "(accessed 05/04/2025)",
            SourceData(
                "Report",
                "U.S. Energy Information Administration",
                "https://eia.gov/r",
                dt.date(2025, 5, 4),
            ),
        ),
        (
            "tr",
            "“Enerji Görünümü”, Enerji Bakanlığı, https://enerji.gov.tr/x "
            "(Erişim Tarihi: 2 Temmuz 2025)",
            SourceData(
                "Enerji Görünümü",
                "Enerji Bakanlığı",
                "https://enerji.gov.tr/x",
                dt.date(2025, 7, 2),
            ),
        ),
        (
            "tr",
            "“Rapor”, Yayıncı, https://x.org, 12.03.2025 tarihinde erişilmiştir.",
            SourceData("Rapor", "Yayıncı", "https://x.org", dt.date(2025, 3, 12)),
        ),
        (
            "ru",
            "«Ежегодник СИПРИ 2025» // Стокгольмский институт исследования проблем мира. "
            "URL: https://www.sipri.org/yearbook/2025 (дата обращения: 2 июля 2025 г.).",
            SourceData(
                "Ежегодник СИПРИ 2025",
                "Стокгольмский институт исследования проблем мира",
                "https://www.sipri.org/yearbook/2025",
                dt.date(2025, 7, 2),
            ),
        ),
        (
            "en",
            "Jane Doe, “Energy Futures”, Oxford University Press, 2019, pp. 12-14.",
            SourceData("Energy Futures", "Oxford University Press", None, None),
        ),
    ],
)
def test_citations_are_read_into_sources(language: str, text: str, source: SourceData) -> None:
    assert read(text, language) == CitationReading(source=source)


def test_the_first_link_of_the_note_is_its_url() -> None:
    reading = read("“Title”, Publisher, here (Accessed: 01.02.2025).", link="https://x.org/a")
    assert reading.source is not None and reading.source.url == "https://x.org/a"


@pytest.mark.parametrize(
    "text",
    [
        "The minister called it “a turning point”, and the markets agreed.",
        "Interview with a former inspector, Vienna, January 2025.",
        "See the discussion of pipelines on page 4 and the map at https://x.org for detail "
        "of every route.",
    ],
)
def test_commentary_stays_a_plain_note(text: str) -> None:
    assert read(text) == CitationReading()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("See https://example.org/report.", "no quoted title"),
        ("“A Report”, Publisher, accessed one rainy day.", "the access date could not be read"),
        ("“A Report”, https://x.org (Accessed: 31.02.2025)", "the access date could not be read"),
        ("“A Report”, https://x.org (Accessed: 01.02.2031)", "is in the future"),
    ],
)
def test_notes_that_look_like_citations_but_cannot_be_read_say_why(text: str, problem: str) -> None:
    reading = read(text)
    assert reading.source is None
    assert reading.problem is not None and problem in reading.problem


@pytest.mark.parametrize(
    "link",
    ["https://x.org/a report.pdf", "https://user:secret@x.org/a", 'https://x.org/a"b', None],
)
def test_a_link_no_reader_can_follow_leaves_the_note_without_a_source(link: str | None) -> None:
    # The source URL rule of the editors' forms (publishing.weburls), so the post imports.
    text = "“A Report”, Publisher, https://user@x.org/r (Accessed: 01.02.2025)."
    reading = read(text, link=link)
    assert reading.source is None
    assert reading.problem is not None and "not a URL readers can follow" in reading.problem
