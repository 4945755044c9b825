"""Lists refreshed many at once (an import's catch-up, a rebuild) are the lists that writing
the same articles one by one leaves, for every published article (a draft's or archived
article's list is whatever it was when last written: nothing offers to it), up to which of
several equal scores at a full list's end stays (one by one, the first comer; at once, the
newest)."""

from __future__ import annotations

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from publishing.articles.models import Article, ArticleStatus
from publishing.db import create_engine
from publishing.similar.computing import rebuild, refresh_many
from publishing.similar.models import SimilarArticle

Lists = dict[int, dict[int, float]]


def _same(found: Lists, expected: Lists, published: set[int]) -> None:
    for owner in published:
        entries, wanted = found.get(owner, {}), expected.get(owner, {})
        assert sorted(entries.values()) == sorted(wanted.values()), owner
        lowest = min(wanted.values(), default=0.0)
        above = {i: s for i, s in wanted.items() if s > lowest}
        assert {i: s for i, s in entries.items() if s > lowest} == above, owner


async def _published(connection: AsyncConnection) -> set[int]:
    return set(
        await connection.scalars(
            select(Article.id).where(Article.status == ArticleStatus.PUBLISHED)
        )
    )


async def _lists(connection: AsyncConnection) -> Lists:
    found: Lists = {}
    rows = await connection.execute(
        select(SimilarArticle.article_id, SimilarArticle.similar_id, SimilarArticle.score)
    )
    for owner, similar_id, score in rows:
        found.setdefault(owner, {})[similar_id] = round(score, 6)
    return found


async def test_a_rebuild_leaves_the_lists_that_writes_left(crowded_url: str) -> None:
    engine = create_engine(crowded_url)
    try:
        async with engine.begin() as connection:
            written = await _lists(connection)
            visited = await connection.run_sync(rebuild)
            rebuilt = await _lists(connection)
            published = await _published(connection)
    finally:
        await engine.dispose()
    assert visited > 50 and sum(len(entries) for entries in written.values()) > 1000
    assert len(published) > 50
    _same(rebuilt, written, published)


async def test_refreshing_some_puts_them_back_in_every_list(crowded_url: str) -> None:
    engine = create_engine(crowded_url)
    try:
        async with engine.begin() as connection:
            written = await _lists(connection)
            some = list(
                await connection.scalars(
                    select(Article.id)
                    .where(Article.language == "en", Article.slug.like("briefing-%"))
                    .order_by(Article.id)
                    .limit(10)
                )
            )
            # As if they had been written with their follow-ups deferred: in no list at all.
            await connection.execute(
                delete(SimilarArticle).where(
                    or_(SimilarArticle.article_id.in_(some), SimilarArticle.similar_id.in_(some))
                )
            )
            assert await _lists(connection) != written
            await connection.run_sync(lambda c: refresh_many(c, some))
            refreshed = await _lists(connection)
            published = await _published(connection)
    finally:
        await engine.dispose()
    assert len(some) == 10 and all(written[i] for i in some)
    _same(refreshed, written, published)
