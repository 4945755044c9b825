"""The site as readers' URLs, feeds and structured data need it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.languages.models import Language
from publishing.site.links import Links
from publishing.site.models import ArticleSchemaType, PermalinkPattern, Site, SiteText

__all__ = ["SiteProfile", "load_site"]


@dataclass(frozen=True, slots=True)
class SiteProfile:
    name: str
    links: Links
    default_language: str
    version: int
    updated_at: dt.datetime
    # Title and description by language.
    texts: Mapping[str, tuple[str, str | None]]
    # What articles' structured data says they are.
    article_schema_type: ArticleSchemaType = ArticleSchemaType.NEWS_ARTICLE

    def title(self, language: str) -> str:
        """The title in ``language``, else in the default language, else the name."""
        found = self.texts.get(language) or self.texts.get(self.default_language)
        return found[0] if found else self.name

    def description(self, language: str) -> str | None:
        found = self.texts.get(language) or self.texts.get(self.default_language)
        return found[1] if found else None


async def load_site(session: AsyncSession) -> SiteProfile:
    """The site, its texts and patterns, and the default language: three statements."""
    row = (
        await session.execute(
            select(
                Site.name,
                Site.url,
                Site.version,
                Site.updated_at,
                Site.article_schema_type,
                select(Language.code)
                .where(Language.is_default.is_(True))
                .limit(1)
                .scalar_subquery()
                .label("default_language"),
            ).where(Site.id == 1)
        )
    ).one()
    patterns = {
        (kind, language): pattern
        for kind, language, pattern in await session.execute(
            select(PermalinkPattern.kind, PermalinkPattern.language, PermalinkPattern.pattern)
        )
    }
    texts = {
        language: (title, description)
        for language, title, description in await session.execute(
            select(SiteText.language, SiteText.title, SiteText.description)
        )
    }
    return SiteProfile(
        name=row.name,
        links=Links(row.url.rstrip("/"), patterns),
        default_language=row.default_language or "en",
        version=row.version,
        updated_at=row.updated_at,
        texts=texts,
        article_schema_type=row.article_schema_type,
    )
