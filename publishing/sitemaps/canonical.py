"""Which rows a sitemap lists, decided inside the query that reads them.

A sitemap lists canonical, indexable URLs only: a version, author or tag whose SEO overrides
say ``noindex``, or name a canonical URL other than its own, is left out. Its own URL is built
by the database from the permalink pattern ``Links.url`` fills in Python (slugs are plain
``[a-z0-9-]``, so they need no escaping; dates are the UTC publication date's), so the plan's
counts and the keyset pages of a file use one predicate, and no override is read row by row.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, String, case, func, literal, or_

from publishing.site.links import LinkKind, Links, pattern_parts

__all__ = ["listed", "own_url"]

_POSTGRES_DATE = {"year": "YYYY", "month": "MM", "day": "DD"}
_SQLITE_DATE = {"year": "%Y", "month": "%m", "day": "%d"}


def _text(value: str) -> ColumnElement[str]:
    return literal(value, String)


def _date_part(published_at: ColumnElement[object], part: str, dialect: str) -> ColumnElement[str]:
    """The zero-padded UTC year, month or day, as ``Links.url`` writes it."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", published_at), _text(_POSTGRES_DATE[part]))
    # SQLite keeps UTC timestamps as ISO text (publishing.db.UTCDateTime).
    return func.strftime(_text(_SQLITE_DATE[part]), published_at)


def _url_in(
    links: Links,
    kind: LinkKind,
    pattern_language: str | None,
    language: ColumnElement[str],
    slug: ColumnElement[str],
    published_at: ColumnElement[object] | None,
    dialect: str,
) -> ColumnElement[str]:
    url = _text(links.site_url)
    for index, part in enumerate(pattern_parts(links.pattern(kind, pattern_language))):
        if index % 2 == 0:
            if part:
                url = url + _text(part)
        elif part == "language":
            url = url + language
        elif part == "slug":
            url = url + slug
        elif published_at is not None:  # only articles' patterns have dates
            url = url + _date_part(published_at, part, dialect)
    return url


def own_url(
    links: Links,
    kind: LinkKind,
    *,
    language: str | ColumnElement[str],
    slug: ColumnElement[str],
    published_at: ColumnElement[object] | None = None,
    dialect: str,
) -> ColumnElement[str]:
    """The URL ``Links.url`` gives a row, as an SQL expression. ``language`` is one code, or
    a column (then the languages with a pattern of their own are told apart in a CASE)."""
    if isinstance(language, str):
        return _url_in(links, kind, language, _text(language), slug, published_at, dialect)
    own = sorted({code for k, code in links.patterns if k == kind and code is not None})
    every = _url_in(links, kind, None, language, slug, published_at, dialect)
    if not own:
        return every
    whens = [
        (language == code, _url_in(links, kind, code, _text(code), slug, published_at, dialect))
        for code in own
    ]
    return case(*whens, else_=every)


def listed(
    noindex: ColumnElement[bool], canonical_url: ColumnElement[str | None], url: ColumnElement[str]
) -> ColumnElement[bool]:
    """Whether a row with these overrides (outer-joined: NULL when it has none) and this own
    URL belongs in a sitemap."""
    return (noindex.is_not(True)) & or_(canonical_url.is_(None), canonical_url == url)
