"""Social images in use: what each SEO override table's rows show, as media usages (so
deleteMedia is refused, naming them, while any override shows the asset)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles.models import Article, ArticleStatus
from publishing.authors.models import Author
from publishing.media.editing import Usage
from publishing.sections.models import SectionTranslation
from publishing.seo.models import ArticleSeo, AuthorSeo, SectionSeo, TagSeo
from publishing.tags.models import Tag

__all__ = ["FIELD", "seo_usages"]

# Where a usage shows the asset, as MediaUsage.field says it.
FIELD = "seo.socialImage"


async def seo_usages(session: AsyncSession, asset_ids: Collection[int]) -> list[tuple[int, Usage]]:
    """(asset, usage) for every article version, author, tag and section whose overrides show
    one of ``asset_ids``: four statements, however many assets."""
    ids = sorted(set(asset_ids))
    if not ids:
        return []
    found: list[tuple[int, Usage]] = []
    articles = await session.execute(
        select(
            ArticleSeo.social_image_id, Article.id, Article.title, Article.language, Article.status
        )
        .join(Article, Article.id == ArticleSeo.article_id)
        .where(ArticleSeo.social_image_id.in_(ids))
        .order_by(Article.id)
    )
    found += [
        (
            asset,
            Usage(
                "article",
                pk,
                FIELD,
                f"{title} ({language})",
                draft=status is ArticleStatus.DRAFT,
                language=language,
            ),
        )
        for asset, pk, title, language, status in articles
    ]
    authors = await session.execute(
        select(AuthorSeo.social_image_id, Author.id, Author.name, AuthorSeo.language)
        .join(Author, Author.id == AuthorSeo.author_id)
        .where(AuthorSeo.social_image_id.in_(ids))
        .order_by(Author.id, AuthorSeo.language)
    )
    found += [
        (asset, Usage("author", pk, FIELD, f"{name} ({language})", language=language))
        for asset, pk, name, language in authors
    ]
    tags = await session.execute(
        select(TagSeo.social_image_id, Tag.id, Tag.slug, TagSeo.language)
        .join(Tag, Tag.id == TagSeo.tag_id)
        .where(TagSeo.social_image_id.in_(ids))
        .order_by(Tag.id, TagSeo.language)
    )
    found += [
        (asset, Usage("tag", pk, FIELD, f"{slug} ({language})", language=language))
        for asset, pk, slug, language in tags
    ]
    # Labelled with the section's name in the overrides' language (it may have none there).
    sections = await session.execute(
        select(
            SectionSeo.social_image_id,
            SectionSeo.section_id,
            SectionSeo.language,
            SectionTranslation.name,
        )
        .outerjoin(
            SectionTranslation,
            (SectionTranslation.section_id == SectionSeo.section_id)
            & (SectionTranslation.language == SectionSeo.language),
        )
        .where(SectionSeo.social_image_id.in_(ids))
        .order_by(SectionSeo.section_id, SectionSeo.language)
    )
    found += [
        (
            asset,
            Usage(
                "section", pk, FIELD, f"{name or f'section {pk}'} ({language})", language=language
            ),
        )
        for asset, pk, language, name in sections
    ]
    return found
