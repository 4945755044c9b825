"""Reading a note typed as a citation into a source: quoted title, publisher, URL and the date
the URL was accessed ("Accessed", "Erişim Tarihi", "дата обращения" and their kin).

A note counts as a citation when it has an access date, a quoted title followed by a URL or a
year (a printed work), or is little more than a URL. Commentary that quotes a phrase or links
a page in passing is left a plain note.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Final

from babel import Locale

from publishing.articles.validation import MAX_PUBLISHER, MAX_SOURCE_TITLE, SourceData
from publishing.weburls import web_url_problem

__all__ = ["CitationReading", "read_citation"]

# Languages whose month names are understood in access dates.
_MONTH_LANGUAGES: Final = ("en", "tr", "ru", "de", "fr", "es", "pt", "it")

_N: Final = MAX_SOURCE_TITLE
_QUOTED: Final = re.compile(
    rf"“(?P<a>[^”]{{2,{_N}}})”|\"(?P<b>[^\"]{{2,{_N}}})\""
    rf"|«(?P<c>[^»]{{2,{_N}}})»|„(?P<d>[^“”]{{2,{_N}}})[“”]"
)
_URL: Final = re.compile(r"https?://[^\s<>\"”»]+", re.IGNORECASE)
_URL_TRAILING: Final = ".,;:)]"
# Words that announce an access date; matched on case-folded text.
_ACCESS_LABEL: Final = (
    r"(?:last\s+)?(?:accessed|retrieved|viewed|consulted)(?:\s+on)?"
    r"|(?:son\s+)?erişim(?:\s+tarihi)?"
    r"|дата\s+(?:обращения|доступа)|просмотрено"
)
_LABEL: Final = re.compile(_ACCESS_LABEL)
_LABEL_BEFORE: Final = re.compile(rf"(?:{_ACCESS_LABEL})\s*[:\-–—]?\s*$")
_TR_SUFFIX: Final = re.compile(r"\s*tarihinde\s+erişil")
_DOMAIN: Final = re.compile(r"(?:[\w-]+\.)+[a-z]{2,}(?:/\S*)?", re.IGNORECASE)
_BARE_WORDS: Final = 4  # "See https://...", "Source: https://..."
_YEAR: Final = re.compile(r"\b(?:1[5-9]\d\d|20\d\d)\b")
_SEPARATORS: Final = re.compile(r"\s*(?:[,;]|//|(?<!\b\w)\.(?:\s|$)|\s[-–—]\s)\s*")


@cache
def _months() -> dict[str, int]:
    """Case-folded month names and abbreviations (all forms) -> month number, from CLDR."""
    names: dict[str, int] = {}
    for language in _MONTH_LANGUAGES:
        months = Locale.parse(language).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in months[context][width].items():
                    names.setdefault(name.casefold().rstrip("."), number)
    return names


_MONTH_WORD: Final = r"[^\W\d_]{3,12}\.?"
_DATE: Final = re.compile(
    r"(?P<iso>(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2}))"
    r"|(?P<dots>(?P<dd>\d{1,2})\.(?P<dm>\d{1,2})\.(?P<dy>\d{4}))"
    r"|(?P<slash>(?P<s1>\d{1,2})/(?P<s2>\d{1,2})/(?P<sy>\d{4}))"
    rf"|(?P<dmy>(?P<nd>\d{{1,2}})\s+(?P<nm>{_MONTH_WORD})\s+(?P<ny>\d{{4}}))"
    rf"|(?P<mdy>(?P<mm>{_MONTH_WORD})\s+(?P<md>\d{{1,2}}),?\s+(?P<my>\d{{4}}))"
)


def _make_date(year: str, month: int | None, day: str) -> dt.date | None:
    if month is None:
        return None
    try:
        return dt.date(int(year), month, int(day))
    except ValueError:
        return None


def _month(word: str) -> int | None:
    return _months().get(word.casefold().rstrip("."))


def _parse_date(match: re.Match[str], language: str) -> dt.date | None:
    g = match.group
    if g("iso"):
        return _make_date(g("iy"), int(g("im")), g("id"))
    if g("dots"):
        return _make_date(g("dy"), int(g("dm")), g("dd"))
    if g("slash"):
        first, second = int(g("s1")), int(g("s2"))
        # Only English writes the month first; a first number past 12 settles it anyway.
        month_first = language.split("-")[0].lower() == "en" and first <= 12
        month, day = (first, second) if month_first else (second, first)
        return _make_date(g("sy"), month, str(day))
    if g("dmy"):
        return _make_date(g("ny"), _month(g("nm")), g("nd"))
    return _make_date(g("my"), _month(g("mm")), g("md"))


@dataclass(frozen=True, slots=True)
class CitationReading:
    """``source`` when the note was read as a citation; ``problem`` when it looks like one but
    could not be read (it then stays a plain note); neither for ordinary commentary."""

    source: SourceData | None = None
    problem: str | None = None


def _access_date(text: str, language: str) -> tuple[dt.date | None, tuple[int, int] | None, bool]:
    """(date, its span, whether an access label is present at all)."""
    folded = text.casefold()
    labelled = _LABEL.search(folded) is not None
    for match in _DATE.finditer(text):
        before = folded[max(0, match.start() - 40) : match.start()]
        after = folded[match.end() : match.end() + 30]
        if _LABEL_BEFORE.search(before) or _TR_SUFFIX.match(after):
            date = _parse_date(match, language)
            if date is not None:
                return date, match.span(), True
    return None, None, labelled


def _publisher(rest: str) -> str | None:
    """The first segment after the title that reads as a name (not a year, page or label)."""
    rest = re.sub(r"\bURL\s*:", " ", rest, flags=re.IGNORECASE)
    rest = re.sub(r"\((?:[^()]*)\)", " ", rest)  # parentheses hold dates and access notes
    for segment in _SEPARATORS.split(rest):
        candidate = segment.strip(" .:()[]\"'“”«»„")
        folded = candidate.casefold()
        if not re.search(r"[^\W\d_]", candidate):
            continue  # a year, a page number, punctuation
        if _LABEL.match(folded) or _DATE.search(candidate):
            continue
        if re.match(r"(?:pp?|vol|no|s|c|с|стр|ss)\.?\s*\d", folded):
            continue
        if _DOMAIN.fullmatch(candidate):
            continue  # a link's text ("iea.org") names the site, not who published it
        return candidate[:MAX_PUBLISHER]
    return None


def read_citation(text: str, *, link: str | None, language: str, today: dt.date) -> CitationReading:
    """Read ``text`` (a note as plain text; ``link`` the first link's target, if any)."""
    text = " ".join(text.split())
    url_match = _URL.search(text)
    url = link or (url_match.group(0).rstrip(_URL_TRAILING) if url_match else None)
    accessed, accessed_span, labelled = _access_date(text, language)
    quoted = _QUOTED.search(text)
    after_title = text[quoted.end() :] if quoted else ""
    printed = quoted is not None and _YEAR.search(after_title) is not None
    bare_reference = url is not None and len(_URL.sub(" ", text).split()) <= _BARE_WORDS
    if not (labelled or (quoted and (url or printed)) or bare_reference):
        return CitationReading()
    if quoted is None:
        return CitationReading(problem="no quoted title")
    if labelled and accessed is None:
        return CitationReading(problem="the access date could not be read")
    if accessed is not None and accessed > today:
        return CitationReading(problem=f"the access date {accessed.isoformat()} is in the future")
    if url is not None and web_url_problem(url) is not None:
        # A source URL is checked as one typed in (publishing.weburls): the note stays as
        # written, without a source, rather than failing its post.
        return CitationReading(problem=f"the link {url[:80]!r} is not a URL readers can follow")
    title = next(g for g in quoted.groups() if g is not None).strip().rstrip(",.;: ")
    rest = after_title
    if accessed_span is not None and accessed_span[0] >= quoted.end():
        cut = accessed_span[0] - quoted.end()
        rest = rest[:cut]
    rest = _URL.sub(" ", rest)
    rest = re.sub(rf"(?:{_ACCESS_LABEL})\s*[:\-–—]?\s*$", " ", rest, flags=re.IGNORECASE)
    # "Agency, “Title”, URL": an institution named before the title is its publisher.
    publisher = _publisher(rest) or _publisher(text[: quoted.start()])
    return CitationReading(
        source=SourceData(title=title, publisher=publisher, url=url, accessed_on=accessed)
    )
