"""What uses a media asset: the UsageFinder that knows every place media is shown.

Featured images, author portraits and attachments are rows of their own tables (see
``publishing.media.models``), so each is one indexed lookup by asset. Their foreign keys
RESTRICT deletion too: a use added between this check and the deletion still stops it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles.models import Article
from publishing.authors.models import Author
from publishing.media.editing import Usage
from publishing.media.models import ArticleAttachment, ArticleFeaturedImage, AuthorAvatar

__all__ = ["find_usages"]


async def find_usages(session: AsyncSession, asset_id: int) -> Sequence[Usage]:
    """Every article version and author showing ``asset_id``, in a stable order."""
    found: list[Usage] = []
    for link, field in (
        (ArticleFeaturedImage, "featuredImage"),
        (ArticleAttachment, "attachments"),
    ):
        rows = await session.execute(
            select(Article.id, Article.title, Article.language)
            .join(link, link.article_id == Article.id)
            .where(link.asset_id == asset_id)
            .order_by(Article.id)
        )
        found += [
            Usage("article", pk, field, f"{title} ({language})") for pk, title, language in rows
        ]
    authors = await session.execute(
        select(Author.id, Author.name)
        .join(AuthorAvatar, AuthorAvatar.author_id == Author.id)
        .where(AuthorAvatar.asset_id == asset_id)
        .order_by(Author.id)
    )
    found += [Usage("author", pk, "avatar", name) for pk, name in authors]
    return found
