"""Editors' SEO overrides: checked with every problem's path, and written.

An article version's overrides are one row keyed by the article (written by the article's
own mutations, so they are part of its version and revisions); an author's or a tag's are
rows per language, changed language by language like bios and names; so are a section's.
The per-language code is parameterised by the table, so a new owner adds a table, not code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from publishing.articles.validation import check_text
from publishing.errors import Issues, UnknownLanguageError
from publishing.languages.service import EnabledLanguages
from publishing.media.attaching import check_image
from publishing.seo.models import MAX_DESCRIPTION, MAX_TITLE, ArticleSeo, SeoColumns
from publishing.unset import UNSET, Unset
from publishing.weburls import web_url_problem

__all__ = [
    "LocalizedSeo",
    "PerLanguageTable",
    "SeoData",
    "check_localized_seo",
    "check_seo",
    "replace_localized_seo",
    "set_article_seo",
]

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class SeoData:
    """The whole set of overrides of one page; a field left empty (None, False) falls back."""

    title: str | None = None
    description: str | None = None
    canonical_url: str | None = None
    noindex: bool = False
    social_image_id: int | None = None

    def normalised(self) -> SeoData:
        """Surrounding blanks dropped; a blank text is no override."""
        return SeoData(
            title=_text(self.title),
            description=_text(self.description),
            canonical_url=_text(self.canonical_url),
            noindex=self.noindex,
            social_image_id=self.social_image_id,
        )

    @property
    def is_empty(self) -> bool:
        n = self.normalised()
        return not (n.title or n.description or n.canonical_url or n.noindex) and (
            n.social_image_id is None
        )

    def snapshot(self) -> dict[str, Any]:
        """As a revision keeps it (plain JSON)."""
        return {
            "title": self.title,
            "description": self.description,
            "canonicalUrl": self.canonical_url,
            "noindex": self.noindex,
            "socialImageId": self.social_image_id,
        }

    @classmethod
    def from_snapshot(cls, value: Mapping[str, Any]) -> SeoData:
        return cls(
            title=value.get("title"),
            description=value.get("description"),
            canonical_url=value.get("canonicalUrl"),
            noindex=bool(value.get("noindex")),
            social_image_id=value.get("socialImageId"),
        )

    @classmethod
    def of_row(cls, row: SeoColumns | None) -> SeoData:
        if row is None:
            return cls()
        return cls(row.title, row.description, row.canonical_url, row.noindex, row.social_image_id)


@dataclass(frozen=True, slots=True)
class LocalizedSeo:
    """The overrides of one language; ``seo=None`` deletes that language's (UNSET: the client
    left it out, which is reported)."""

    language: str
    seo: SeoData | Unset | None


def _text(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


async def check_seo(
    session: AsyncSession, issues: Issues, data: SeoData, path: Path = ("seo",)
) -> None:
    """Every problem of ``data``, each at its path under ``path`` (``seo.canonicalUrl``)."""
    check_text(issues, data.title, (*path, "title"), limit=MAX_TITLE, label="An SEO title")
    check_text(
        issues,
        data.description,
        (*path, "description"),
        limit=MAX_DESCRIPTION,
        label="An SEO description",
    )
    url = _text(data.canonical_url)
    if url is not None:
        problem = web_url_problem(url)
        if problem:
            issues.add((*path, "canonicalUrl"), "INVALID_URL", problem)
    await check_image(session, issues, data.social_image_id, (*path, "socialImageId"))


async def set_article_seo(session: AsyncSession, article_id: int, data: SeoData) -> None:
    """Replace an article version's overrides (checked) with ``data``."""
    await session.execute(delete(ArticleSeo).where(ArticleSeo.article_id == article_id))
    if not data.is_empty:
        session.add(ArticleSeo(article_id=article_id, **_columns(data)))
    await session.flush()


async def article_seo(session: AsyncSession, article_id: int) -> SeoData:
    """An article version's overrides as stored now."""
    row = await session.scalar(select(ArticleSeo).where(ArticleSeo.article_id == article_id))
    return SeoData.of_row(row)


def _columns(data: SeoData) -> dict[str, Any]:
    n = data.normalised()
    return {
        "title": n.title,
        "description": n.description,
        "canonical_url": n.canonical_url,
        "noindex": n.noindex,
        "social_image_id": n.social_image_id,
    }


# -- per language (authors, tags, sections) -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class PerLanguageTable:
    """A table of overrides per (owner, language): its model and its owner's column."""

    model: type[SeoColumns]
    owner: InstrumentedAttribute[int]

    @property
    def owner_name(self) -> str:
        return self.owner.key


async def check_localized_seo(
    session: AsyncSession,
    issues: Issues,
    enabled: EnabledLanguages,
    items: Sequence[LocalizedSeo],
    *,
    field: str = "seo",
    deletable: bool,
) -> dict[str, SeoData | None]:
    """Checks per-language overrides at ``field``; returns them by canonical language tag
    (None: delete that language's). Every problem is reported, each with its path."""
    found: dict[str, SeoData | None] = {}
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        language_path = (field, index, "language")
        try:
            tag = enabled.resolve(item.language)
        except UnknownLanguageError as error:
            issues.add(language_path, "NOT_ENABLED", error.message)
            tag = None
        if tag is not None and tag in seen:
            issues.add(
                language_path,
                "DUPLICATE",
                f"Language {tag!r} is already given at index {seen[tag]}.",
            )
            tag = None
        if tag is not None:
            seen[tag] = index
        if item.seo is UNSET or (item.seo is None and not deletable):
            issues.add(
                (field, index, "seo"),
                "REQUIRED",
                "The overrides are required"
                + ("; send null to delete them." if deletable else "."),
            )
            continue
        if item.seo is not None:
            await check_seo(session, issues, item.seo, (field, index, "seo"))
        if tag is not None:
            found[tag] = item.seo
    return found


async def replace_localized_seo(
    session: AsyncSession,
    table: PerLanguageTable,
    owner_id: int,
    changes: Mapping[str, SeoData | None],
) -> None:
    """Set (or, for None or empty overrides, delete) the languages named; others stay."""
    model: Any = table.model
    for language, data in changes.items():
        await session.execute(
            delete(model).where(table.owner == owner_id, model.language == language)
        )
        if data is not None and not data.is_empty:
            session.add(
                model(**{table.owner_name: owner_id, "language": language}, **_columns(data))
            )
    await session.flush()
