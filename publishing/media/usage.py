"""What uses a media asset: the UsageFinder that knows every place media is shown.

Featured images, author portraits and attachments are rows of their own tables (see
``publishing.media.models``), so each is one indexed lookup by asset. Their foreign keys
RESTRICT deletion too: a use added between this check and the deletion still stops it.
A body shows an image through a ``media:`` reference (see ``publishing.media.figures``):
a LIKE over the bodies finds the candidates, the body parser decides.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles.models import Article, Story, StoryKind
from publishing.authors.models import Author
from publishing.footnotes.references import ParsedBody
from publishing.media.editing import Usage
from publishing.media.figures import SCHEME, asset_id_of
from publishing.media.models import ArticleAttachment, ArticleFeaturedImage, AuthorAvatar

__all__ = ["find_usages"]


async def find_usages(session: AsyncSession, asset_id: int) -> Sequence[Usage]:
    """Every article or page version and author showing ``asset_id``, in a stable order."""
    found: list[Usage] = []
    for link, field in (
        (ArticleFeaturedImage, "featuredImage"),
        (ArticleAttachment, "attachments"),
    ):
        rows = await session.execute(
            select(Article.id, Article.title, Article.language, Story.kind)
            .join(link, link.article_id == Article.id)
            .join(Story, Story.id == Article.story_id)
            .where(link.asset_id == asset_id)
            .order_by(Article.id)
        )
        found += [
            Usage(_usage_kind(kind), pk, field, f"{title} ({language})")
            for pk, title, language, kind in rows
        ]
    found += await _body_usages(session, asset_id)
    authors = await session.execute(
        select(Author.id, Author.name)
        .join(AuthorAvatar, AuthorAvatar.author_id == Author.id)
        .where(AuthorAvatar.asset_id == asset_id)
        .order_by(Author.id)
    )
    found += [Usage("author", pk, "avatar", name) for pk, name in authors]
    return found


def _usage_kind(kind: StoryKind) -> str:
    return "page" if kind is StoryKind.PAGE else "article"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def _body_usages(session: AsyncSession, asset_id: int) -> list[Usage]:
    """Article and page versions whose body shows ``asset_id`` by its global or numeric id."""
    global_id = base64.b64encode(f"Image:{asset_id}".encode()).decode().rstrip("=")
    patterns = [f"%{_escape(SCHEME + form)}%" for form in (global_id, str(asset_id))]
    rows = await session.execute(
        select(Article.id, Article.title, Article.language, Article.body, Story.kind)
        .join(Story, Story.id == Article.story_id)
        .where(or_(*(Article.body.like(p, escape="\\") for p in patterns)))
        .order_by(Article.id)
    )
    return [
        Usage(_usage_kind(kind), pk, "body", f"{title} ({language})")
        for pk, title, language, body, kind in rows
        if asset_id in {asset_id_of(t) for t in ParsedBody(body).media_targets()}
    ]
