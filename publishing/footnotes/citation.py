"""A footnote source as one localised line: “Title”, Publisher, URL (Accessed: date)."""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import Final, NamedTuple, TypeVar

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, get_date_format, tokenize_pattern, untokenize_pattern

__all__ = ["accessed_label", "format_citation"]


class _Wording(NamedTuple):
    accessed: str
    # Languages whose phrase reads into the date ("consulté le 24/07/2023") take no colon.
    colon: bool = True
    separator: str = ", "


_WORDING: Final = {
    "en": _Wording("Accessed"),
    "tr": _Wording("Erişim Tarihi"),
    "ru": _Wording("дата обращения"),
    "de": _Wording("Abgerufen am", colon=False),
    "fr": _Wording("consulté le", colon=False),
    "es": _Wording("consultado el", colon=False),
    "pt": _Wording("acesso em"),
    "ar": _Wording("تاريخ الوصول", separator="، "),
}

# CLDR delimiters (quotationStart, quotationEnd); Babel does not ship them.
_QUOTES: Final = {
    "en": ("“", "”"),
    "tr": ("“", "”"),
    "ru": ("«", "»"),
    "de": ("„", "“"),
    "fr": ("«", "»"),
    "es": ("“", "”"),
    "pt": ("“", "”"),
    "ar": ("”", "“"),
}

_FALLBACK: Final = "en"
_T = TypeVar("_T")


def _candidates(language: str) -> list[str]:
    """The tag, then ever shorter prefixes of it: "pt-BR" -> ["pt-br", "pt"]."""
    subtags = language.strip().replace("_", "-").lower().split("-")
    return ["-".join(subtags[:end]) for end in range(len(subtags), 0, -1) if subtags[end - 1]]


def _lookup(table: dict[str, _T], language: str) -> _T:
    for candidate in _candidates(language):
        if candidate in table:
            return table[candidate]
    return table[_FALLBACK]


@lru_cache(maxsize=256)
def _locale(language: str) -> Locale:
    for candidate in _candidates(language):
        try:
            return Locale.parse(candidate, sep="-")
        except (ValueError, UnknownLocaleError):
            continue
    return Locale.parse(_FALLBACK)


@lru_cache(maxsize=256)
def _numeric_date_pattern(locale: Locale) -> str:
    """The locale's short date with full year and two-digit day and month ("dd.MM.y")."""
    widths = {"d": 2, "M": 2, "L": 2, "y": 1}
    tokens = [
        (kind, (value[0], widths[value[0]]))
        if kind == "field" and isinstance(value, tuple) and value[0] in widths and value[1] <= 2
        else (kind, value)
        for kind, value in tokenize_pattern(get_date_format("short", locale=locale).pattern)
    ]
    return untokenize_pattern(tokens)


def accessed_label(language: str) -> str:
    """The word for "accessed" in a BCP 47 language, falling back to its base, then English."""
    return _lookup(_WORDING, language).accessed


def format_citation(
    *,
    title: str | None,
    publisher: str | None,
    url: str | None,
    accessed_on: datetime.date | None,
    language: str,
) -> str:
    """One line such as `“Title”, Publisher, URL (Accessed: 07/24/2023)`; "" when empty."""
    wording = _lookup(_WORDING, language)
    opening, closing = _lookup(_QUOTES, language)
    title, publisher, url = (_one_line(part) for part in (title, publisher, url))
    parts = [f"{opening}{title}{closing}" if title else None, publisher, url]
    line = wording.separator.join(part for part in parts if part)
    if accessed_on is None:
        return line
    locale = _locale(language)
    date = format_date(accessed_on, _numeric_date_pattern(locale), locale=locale)
    accessed = f"{wording.accessed}{':' if wording.colon else ''} {date}"
    return f"{line} ({accessed})" if line else accessed


def _one_line(value: str | None) -> str:
    return " ".join(value.split()) if value else ""
