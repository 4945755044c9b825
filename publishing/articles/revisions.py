"""Revisions: a full snapshot of an article after every successful change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles.models import Article, ArticleRevision
from publishing.footnotes.models import Footnote, Source
from publishing.media.attaching import ArticleMedia


def snapshot(
    article: Article,
    footnotes: Sequence[tuple[Footnote, Source | None]],
    credits: Sequence[dict[str, Any]] = (),
    seo: dict[str, Any] | None = None,
    media: ArticleMedia | None = None,
) -> dict[str, Any]:
    """Everything needed to show or restore this version, as plain JSON. Media by database
    id, as credits' authors are; revisions made before media was kept have no media keys."""
    media = media or ArticleMedia(None, ())
    return {
        "language": article.language,
        "slug": article.slug,
        "title": article.title,
        "subtitle": article.subtitle,
        "excerpt": article.excerpt,
        "body": article.body,
        "numberingStyle": article.numbering_style.value,
        "status": article.status.value,
        "publishedAt": article.published_at.isoformat() if article.published_at else None,
        "sourceVersion": article.source_version,
        "footnotes": [
            {
                "key": footnote.key,
                "content": footnote.content,
                "source": None
                if source is None
                else {
                    "id": source.id,
                    "title": source.title,
                    "publisher": source.publisher,
                    "url": source.url,
                    "accessedOn": source.accessed_on.isoformat() if source.accessed_on else None,
                },
            }
            for footnote, source in footnotes
        ],
        "credits": list(credits),
        # The SEO overrides (publishing.seo.overrides.SeoData.snapshot).
        "seo": seo,
        "featuredImageId": media.featured_image_id,
        "attachmentIds": list(media.attachment_ids),
    }


async def record_revision(
    session: AsyncSession,
    article: Article,
    footnotes: Sequence[tuple[Footnote, Source | None]],
    *,
    by: str,
    credits: Sequence[dict[str, Any]] = (),
    seo: dict[str, Any] | None = None,
    media: ArticleMedia | None = None,
) -> ArticleRevision:
    revision = ArticleRevision(
        article_id=article.id,
        version=article.version,
        created_at=article.updated_at,
        created_by=by,
        snapshot=snapshot(article, footnotes, credits, seo, media),
    )
    session.add(revision)
    await session.flush()
    return revision
