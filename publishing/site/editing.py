"""Changing the site: its address, name, titles and permalink patterns (administrators).

Every URL the API answers depends on these, so a change drops every cached answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import Actor, Permission, Role
from publishing.errors import ConflictError, Issues, UnknownLanguageError
from publishing.events import site_changed
from publishing.languages.service import load_enabled_languages
from publishing.site.links import pattern_problem
from publishing.site.models import ArticleSchemaType, LinkKind, PermalinkPattern, Site, SiteText
from publishing.unset import UNSET, Unset
from publishing.weburls import web_url_problem

__all__ = ["CHANGE_SITE", "PatternData", "SiteTextData", "update_site"]

CHANGE_SITE = Permission(Role.ADMIN, "Changing the site's address, titles or permalinks")
MAX_NAME = 200
MAX_TITLE = 300
MAX_DESCRIPTION = 2000


class SiteTextData(NamedTuple):
    language: str
    title: str
    description: str | None


class PatternData(NamedTuple):
    kind: LinkKind
    # None: every language without a pattern of its own.
    language: str | None
    pattern: str


def _check_url(issues: Issues, url: str) -> None:
    problem = web_url_problem(url)
    if problem is None and any(p in url for p in ("?", "#")):
        problem = "The site URL is an address, with no query or fragment."
    if problem:
        issues.add(("url",), "INVALID_URL", problem)


async def update_site(
    session: AsyncSession,
    actor: Actor,
    *,
    expected_version: int,
    now: dt.datetime,
    name: str | Unset = UNSET,
    url: str | Unset = UNSET,
    texts: Sequence[SiteTextData] | Unset = UNSET,
    permalinks: Sequence[PatternData] | Unset = UNSET,
    article_schema_type: ArticleSchemaType | Unset = UNSET,
) -> None:
    """Change what is given; ``texts`` and ``permalinks`` replace the whole list."""
    actor.require(CHANGE_SITE)
    issues = Issues()
    if name is not UNSET and not (0 < len(name.strip()) <= MAX_NAME):
        issues.add(("name",), "INVALID", f"A site name has 1 to {MAX_NAME} characters.")
    if url is not UNSET:
        _check_url(issues, url)
    enabled = await load_enabled_languages(session)
    languages: dict[int, str] = {}

    def resolve(path: tuple[str | int, ...], code: str) -> str | None:
        try:
            return enabled.resolve(code)
        except UnknownLanguageError as error:
            issues.add(path, "NOT_ENABLED", error.message)
            return None

    if texts is not UNSET:
        seen: set[str] = set()
        for index, text in enumerate(texts):
            tag = resolve(("texts", index, "language"), text.language)
            if tag is not None and tag in seen:
                issues.add(("texts", index, "language"), "DUPLICATE", f"{tag!r} is given twice.")
            if tag is not None:
                seen.add(tag)
                languages[index] = tag
            if not (0 < len(text.title.strip()) <= MAX_TITLE):
                issues.add(("texts", index, "title"), "INVALID", f"1 to {MAX_TITLE} characters.")
            if text.description is not None and len(text.description) > MAX_DESCRIPTION:
                issues.add(
                    ("texts", index, "description"),
                    "TOO_LONG",
                    f"A description has at most {MAX_DESCRIPTION:,} characters.",
                )
    patterns: dict[tuple[LinkKind, str | None], str] = {}
    if permalinks is not UNSET:
        for index, item in enumerate(permalinks):
            tag = None
            if item.language is not None:
                tag = resolve(("permalinks", index, "language"), item.language)
                if tag is None:
                    continue
            if (item.kind, tag) in patterns:
                issues.add(
                    ("permalinks", index),
                    "DUPLICATE",
                    f"A {item.kind.value} pattern for {tag or 'all languages'} is given twice.",
                )
            problem = pattern_problem(item.kind, item.pattern)
            if problem:
                issues.add(("permalinks", index, "pattern"), "INVALID_PATTERN", problem)
            patterns[(item.kind, tag)] = item.pattern
    issues.raise_if_any()

    # One guarded UPDATE: a concurrent change of the site makes it match no row.
    values: dict[str, object] = {"version": expected_version + 1, "updated_at": now}
    if name is not UNSET:
        values["name"] = name.strip()
    if url is not UNSET:
        values["url"] = url.rstrip("/")
    if article_schema_type is not UNSET:
        values["article_schema_type"] = article_schema_type
    updated = await session.execute(
        update(Site).where(Site.id == 1, Site.version == expected_version).values(**values)
    )
    if updated.rowcount != 1:  # type: ignore[attr-defined]
        current = await session.scalar(select(Site.version).where(Site.id == 1))
        raise ConflictError(expected_version, current or 0, subject="site")
    if texts is not UNSET:
        await session.execute(delete(SiteText))
        for index, text in enumerate(texts):
            session.add(
                SiteText(
                    language=languages[index],
                    title=text.title.strip(),
                    description=(text.description or "").strip() or None,
                )
            )
    if permalinks is not UNSET:
        await session.execute(delete(PermalinkPattern))
        for (kind, language), pattern in patterns.items():
            session.add(PermalinkPattern(kind=kind, language=language, pattern=pattern))
    await session.flush()
    await site_changed(session, now=now)
