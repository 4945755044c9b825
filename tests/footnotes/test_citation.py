from __future__ import annotations

import datetime

import pytest

from publishing.footnotes.citation import accessed_label, format_citation

ACCESSED = datetime.date(2023, 7, 24)


def cite(language: str, **parts: object) -> str:
    fields: dict[str, object] = {
        "title": "Annual Report",
        "publisher": "Example Press",
        "url": "https://example.org/report",
        "accessed_on": ACCESSED,
    }
    fields.update(parts)
    return format_citation(language=language, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "“Annual Report”, Example Press, https://example.org/report (Accessed: 07/24/2023)",
        ),
        (
            "tr",
            "“Annual Report”, Example Press, https://example.org/report "
            "(Erişim Tarihi: 24.07.2023)",
        ),
        (
            "ru",
            "«Annual Report», Example Press, https://example.org/report "
            "(дата обращения: 24.07.2023)",
        ),
        (
            "de",
            "„Annual Report“, Example Press, https://example.org/report (Abgerufen am 24.07.2023)",
        ),
    ],
)
def test_full_citation(language: str, expected: str) -> None:
    assert cite(language) == expected


def test_dates_are_padded_with_full_year() -> None:
    assert cite("tr", accessed_on=datetime.date(2023, 1, 5)).endswith("(Erişim Tarihi: 05.01.2023)")
    assert cite("en", accessed_on=datetime.date(2023, 1, 5)).endswith("(Accessed: 01/05/2023)")


def test_region_falls_back_to_base_language() -> None:
    assert accessed_label("pt-BR") == "acesso em"
    assert accessed_label("tr-TR") == "Erişim Tarihi"
    assert cite("pt-BR") == (
        "“Annual Report”, Example Press, https://example.org/report (acesso em: 24/07/2023)"
    )


@pytest.mark.parametrize("language", ["xx", "", "not a tag", "123", "en-US-u-ca-buddhist"])
def test_unknown_language_falls_back_to_english(language: str) -> None:
    assert accessed_label(language) == "Accessed"
    assert cite(language) == cite("en")


def test_labels() -> None:
    assert accessed_label("en") == "Accessed"
    assert accessed_label("ru") == "дата обращения"
    assert accessed_label("fr") == "consulté le"
    assert accessed_label("es-MX") == "consultado el"
    assert accessed_label("ar") == "تاريخ الوصول"
    assert accessed_label("de") == "Abgerufen am"


def test_missing_parts() -> None:
    assert cite("en", title=None, publisher=None) == (
        "https://example.org/report (Accessed: 07/24/2023)"
    )
    assert cite("en", publisher=None, url=None) == "“Annual Report” (Accessed: 07/24/2023)"
    assert cite("en", accessed_on=None) == (
        "“Annual Report”, Example Press, https://example.org/report"
    )
    assert cite("ru", url=None, accessed_on=None) == "«Annual Report», Example Press"
    assert cite("tr", title=None, publisher=None, url=None) == "Erişim Tarihi: 24.07.2023"
    assert cite("en", title=None, publisher=None, url=None, accessed_on=None) == ""
    assert cite("en", title="", publisher="  ", url=None, accessed_on=None) == ""


def test_stays_on_one_line() -> None:
    line = cite("en", title="Two\nlines", publisher="Tabbed\tPress ")
    assert "\n" not in line
    assert line.startswith("“Two lines”, Tabbed Press, ")
