"""The demo's SEO overrides: a shorter search title and a description for one article, and an
author's page described per language; everything else shows the fallbacks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.authors.models import Author
from publishing.seo.models import AuthorSeo
from publishing.seo.overrides import SeoData

__all__ = ["ARTICLE_SEO", "seed_author_seo"]

# By (language, slug) of the version.
ARTICLE_SEO: dict[tuple[str, str], SeoData] = {
    ("en", "turkiyes-gas-hub-ambition"): SeoData(
        title="Türkiye's gas hub: what it still lacks",
        description=(
            "Pipelines and LNG terminals are in place. A trading hub needs prices that "
            "traders outside Türkiye trust."
        ),
    ),
}

_AUTHOR_SEO: dict[str, dict[str, SeoData]] = {
    "irina-sokolova": {
        "en": SeoData(description="Irina Sokolova writes on arms control and nuclear policy."),
        "ru": SeoData(description="Ирина Соколова пишет о контроле над вооружениями."),
    }
}


async def seed_author_seo(session: AsyncSession) -> None:
    """Once: an administrator's later changes stay."""
    for slug, by_language in _AUTHOR_SEO.items():
        author_id = await session.scalar(select(Author.id).where(Author.slug == slug))
        if author_id is None:
            continue
        present = set(
            await session.scalars(
                select(AuthorSeo.language).where(AuthorSeo.author_id == author_id)
            )
        )
        for language, data in by_language.items():
            if language not in present:
                session.add(
                    AuthorSeo(
                        author_id=author_id,
                        language=language,
                        title=data.title,
                        description=data.description,
                        noindex=data.noindex,
                    )
                )
    await session.flush()
