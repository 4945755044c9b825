"""Related articles pinned by editors: shown before the computed similar posts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import Actor, Permission, Role
from publishing.articles.editing import get_article
from publishing.articles.models import Article, Story, StoryKind
from publishing.errors import Issues
from publishing.events import ArticleEvent, article_changed
from publishing.similar.models import RelatedArticle

MAX_PINNED: Final = 20
PIN_RELATED = Permission(Role.EDITOR, "Pinning related articles")


async def set_related_articles(
    session: AsyncSession,
    actor: Actor,
    article_id: int,
    related_ids: Sequence[int],
    *,
    now: dt.datetime,
) -> Article:
    """Replace the article's pinned related articles with ``related_ids``, in that order.

    Pins are other stories' articles in the same language; any status may be pinned (a draft
    shows once it is published), since visibility is applied when reading."""
    actor.require(PIN_RELATED)
    article = await get_article(session, article_id)  # locked: concurrent pins queue
    issues = Issues()
    if len(related_ids) > MAX_PINNED:
        issues.add(
            ("relatedArticleIds",),
            "TOO_MANY",
            f"At most {MAX_PINNED} related articles; got {len(related_ids)}.",
        )
    found = {
        a.id: a
        for a in await session.scalars(
            select(Article)
            .join(Story, Story.id == Article.story_id)
            .where(Article.id.in_(set(related_ids)), Story.kind == StoryKind.ARTICLE)
        )
    }
    seen: set[int] = set()
    for index, related_id in enumerate(related_ids):
        path = ("relatedArticleIds", index)
        related = found.get(related_id)
        if related_id in seen:
            issues.add(path, "DUPLICATE", "This article is listed twice.")
        elif related is None:
            issues.add(path, "NOT_FOUND", f"No article with id {related_id}.")
        elif related.id == article.id:
            issues.add(path, "SELF", "An article cannot be related to itself.")
        elif related.story_id == article.story_id:
            issues.add(
                path,
                "SAME_STORY",
                "This is another language version of the same story: readers reach it "
                "through `translations`.",
            )
        elif related.language != article.language:
            issues.add(
                path,
                "OTHER_LANGUAGE",
                f"Related articles are in the article's language ({article.language}); "
                f"this one is {related.language}.",
            )
        seen.add(related_id)
    issues.raise_if_any()

    await session.execute(delete(RelatedArticle).where(RelatedArticle.article_id == article.id))
    if related_ids:
        await session.execute(
            insert(RelatedArticle),
            [
                {"article_id": article.id, "related_id": related_id, "position": position}
                for position, related_id in enumerate(related_ids)
            ],
        )
    # What the article's page shows has changed: caches, webhooks and the like follow.
    await article_changed(session, article, ArticleEvent.UPDATED, now=now)
    return article
