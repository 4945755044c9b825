"""Similar posts of a page of articles, in one statement: pinned first, then computed.

Visibility is applied here, at read time: a scheduled article appears once its time comes,
and an unpublished one is gone at once, whatever the stored lists say.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Float, Integer, cast, exists, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager

from publishing.articles.models import Article, Story, StoryKind
from publishing.articles.visibility import Visibility
from publishing.similar.models import RelatedArticle, SimilarArticle


async def similar_by_article(
    session: AsyncSession, keys: Sequence[tuple[int, int]], visibility: Visibility
) -> dict[tuple[int, int], list[Article]]:
    """For each (article id, how many), that many visible similar articles, best first."""
    if not keys:
        return {}
    ids = sorted({article_id for article_id, _ in keys})
    limit = max(n for _, n in keys)
    pinned = select(
        RelatedArticle.article_id.label("owner"),
        RelatedArticle.related_id.label("target"),
        literal(0, Integer).label("tier"),
        RelatedArticle.position.label("position"),
        literal(0.0, Float).label("score"),
    ).where(RelatedArticle.article_id.in_(ids))
    also_pinned = exists().where(
        RelatedArticle.article_id == SimilarArticle.article_id,
        RelatedArticle.related_id == SimilarArticle.similar_id,
    )
    computed = select(
        SimilarArticle.article_id,
        SimilarArticle.similar_id,
        literal(1, Integer),
        literal(0, Integer),
        cast(SimilarArticle.score, Float),
    ).where(SimilarArticle.article_id.in_(ids), ~also_pinned)
    entries = union_all(pinned, computed).subquery("entries")
    # Numbered after the visibility filter, so hidden entries take no place in the list.
    ranked = (
        select(
            entries.c.owner,
            entries.c.target,
            func.row_number()
            .over(
                partition_by=entries.c.owner,
                order_by=(
                    entries.c.tier,
                    entries.c.position,
                    entries.c.score.desc(),
                    Article.published_at.desc(),
                    Article.id.desc(),
                ),
            )
            .label("place"),
        )
        .join(Article, Article.id == entries.c.target)
        .join(Story, Story.id == Article.story_id)
        # Pages never enter the lists (see computing); kept out here too, whatever is stored.
        .where(visibility.clause(), Story.kind == StoryKind.ARTICLE)
        .subquery("ranked")
    )
    statement = (
        select(Article, ranked.c.owner)
        .join(ranked, ranked.c.target == Article.id)
        .join(Article.story)
        .options(contains_eager(Article.story))
        .where(ranked.c.place <= limit)
        .order_by(ranked.c.owner, ranked.c.place)
    )
    lists: dict[int, list[Article]] = defaultdict(list)
    for article, owner in await session.execute(statement):
        lists[owner].append(article)
    return {(article_id, n): lists[article_id][:n] for article_id, n in keys}
