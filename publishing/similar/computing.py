"""Computing similar posts when an article changes, in the writer's transaction.

An article's list holds up to KEEP published articles of its language from other stories,
scored by shared tags (each tag 1) plus word overlap (0 to TEXT_WEIGHT, below one tag).
Candidates come from indexed questions, so the cost is bounded however large the archive:
the articles sharing most tags with it, the newest mentioning its key words, and those
already in its list.

Scores are symmetric, so a published article is also offered to each candidate's list, where
it replaces the weakest entry when it scores higher: others' lists follow new publications
without being recomputed. Lists keep a few more entries than are ever shown, so that hiding
some at read time (scheduled, unpublished since) still leaves enough.
"""

from __future__ import annotations

import datetime as dt
import heapq
import zlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Final

from sqlalchemy import ColumnElement, delete, func, insert, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles.models import Article, ArticleStatus, Story, StoryKind, story_tags
from publishing.search.indexing import Executor, dialect_name
from publishing.search.matching import newest_mentioning
from publishing.similar.models import SimilarArticle
from publishing.similar.terms import Signature, cosine, signature

KEEP: Final = 30  # stored per article; at most 20 are ever shown
TEXT_WEIGHT: Final = 0.9
TAG_CANDIDATES: Final = 300
TEXT_CANDIDATES: Final = 200
QUERY_WORDS: Final = 6
_LOCK_SPACE: Final = 0x53494D  # the first key of this module's advisory locks ("SIM")


@dataclass(frozen=True, slots=True)
class _Article:
    id: int
    story_id: int
    language: str
    status: ArticleStatus
    published_at: dt.datetime | None
    signature: Signature


_COLUMNS = (
    Article.id,
    Article.story_id,
    Article.language,
    Article.status,
    Article.published_at,
    Article.title,
    Article.subtitle,
    Article.excerpt,
)


def _articles(executor: Executor, where: Sequence[ColumnElement[bool]]) -> list[_Article]:
    # Articles only: a page has no similar posts and is nobody's (candidates found by shared
    # words may be pages; they go here).
    rows = executor.execute(
        select(*_COLUMNS)
        .join(Story, Story.id == Article.story_id)
        .where(Story.kind == StoryKind.ARTICLE, *where)
    )
    return [
        _Article(
            id=row.id,
            story_id=row.story_id,
            language=row.language,
            status=row.status,
            published_at=row.published_at,
            signature=signature(row.title, row.subtitle, row.excerpt),
        )
        for row in rows
    ]


def _tag_ids(executor: Executor, story_id: int) -> list[int]:
    return list(
        executor.scalars(select(story_tags.c.tag_id).where(story_tags.c.story_id == story_id))
    )


def _candidates(executor: Executor, article: _Article, tag_ids: list[int]) -> list[int]:
    ids: set[int] = set()
    if tag_ids:
        shared = func.count(story_tags.c.tag_id)
        ids.update(
            executor.scalars(
                select(Article.id)
                .join(story_tags, story_tags.c.story_id == Article.story_id)
                .where(
                    story_tags.c.tag_id.in_(tag_ids),
                    Article.language == article.language,
                    Article.status == ArticleStatus.PUBLISHED,
                    Article.story_id != article.story_id,
                )
                .group_by(Article.id, Article.published_at)
                .order_by(shared.desc(), Article.published_at.desc(), Article.id.desc())
                .limit(TAG_CANDIDATES)
            )
        )
    words = article.signature.words[:QUERY_WORDS]
    ids.update(newest_mentioning(executor, article.language, words, limit=TEXT_CANDIDATES))
    # Those already in its list stay candidates: some arrived as offers, found from their
    # side, and a recomputation should not lose them for want of finding them from this one.
    ids.update(
        executor.scalars(
            select(SimilarArticle.similar_id).where(SimilarArticle.article_id == article.id)
        )
    )
    ids.discard(article.id)
    return sorted(ids)


def _shared_tags(executor: Executor, ids: list[int], tag_ids: list[int]) -> dict[int, int]:
    if not ids or not tag_ids:
        return {}
    rows = executor.execute(
        select(Article.id, func.count(story_tags.c.tag_id))
        .join(story_tags, story_tags.c.story_id == Article.story_id)
        .where(Article.id.in_(ids), story_tags.c.tag_id.in_(tag_ids))
        .group_by(Article.id)
    )
    return {article_id: int(n) for article_id, n in rows}


def _rank_key(
    score: float, published_at: dt.datetime | None, article_id: int
) -> tuple[float, float, int]:
    # Best first: higher score, then newer, then the later id.
    stamp = published_at.timestamp() if published_at is not None else float("-inf")
    return (-score, -stamp, -article_id)


def _scores(executor: Executor, article: _Article) -> dict[int, tuple[float, _Article]]:
    tag_ids = _tag_ids(executor, article.story_id)
    ids = _candidates(executor, article, tag_ids)
    if not ids:
        return {}
    candidates = _articles(
        executor,
        [
            Article.id.in_(ids),
            Article.status == ArticleStatus.PUBLISHED,
            Article.story_id != article.story_id,
            Article.language == article.language,
        ],
    )
    shared = _shared_tags(executor, ids, tag_ids)
    scored: dict[int, tuple[float, _Article]] = {}
    for candidate in candidates:
        score = shared.get(candidate.id, 0) + TEXT_WEIGHT * cosine(
            article.signature, candidate.signature
        )
        if score > 0:
            scored[candidate.id] = (round(score, 6), candidate)
    return scored


def _write_own_list(
    executor: Executor, article: _Article, scored: dict[int, tuple[float, _Article]]
) -> None:
    executor.execute(delete(SimilarArticle).where(SimilarArticle.article_id == article.id))
    best = sorted(scored.values(), key=lambda sc: _rank_key(sc[0], sc[1].published_at, sc[1].id))
    rows = [
        {"article_id": article.id, "similar_id": c.id, "score": score} for score, c in best[:KEEP]
    ]
    if rows:
        executor.execute(insert(SimilarArticle), rows)


def _offer(
    executor: Executor, article: _Article, scored: dict[int, tuple[float, _Article]]
) -> None:
    """Put ``article`` into each candidate's list where it beats the weakest entry."""
    if not scored:
        return
    stats = {
        owner: (int(n), float(low))
        for owner, n, low in executor.execute(
            select(
                SimilarArticle.article_id,
                func.count(),
                func.min(SimilarArticle.score),
            )
            .where(SimilarArticle.article_id.in_(list(scored)))
            .group_by(SimilarArticle.article_id)
        )
    }
    rows, full = [], {}
    for owner, (score, _) in scored.items():
        n, low = stats.get(owner, (0, 0.0))
        if n < KEEP or score > low:
            rows.append({"article_id": owner, "similar_id": article.id, "score": score})
            if n >= KEEP:
                full[owner] = low
    if rows:
        executor.execute(insert(SimilarArticle), rows)
    if full:
        _drop_weakest(executor, full)


def _drop_weakest(executor: Executor, lowest: dict[int, float]) -> None:
    """Each of these lists grew one past KEEP: drop its weakest entry, which scores the
    list's lowest score (given) and, among equals, is the oldest."""
    weakest: dict[int, tuple[tuple[float, float, int], int]] = {}
    for owner, similar_id, score, published_at in executor.execute(
        select(
            SimilarArticle.article_id,
            SimilarArticle.similar_id,
            SimilarArticle.score,
            Article.published_at,
        )
        .join(Article, Article.id == SimilarArticle.similar_id)
        .where(tuple_(SimilarArticle.article_id, SimilarArticle.score).in_(lowest.items()))
    ):
        rank = _rank_key(score, published_at, similar_id)
        if owner not in weakest or rank > weakest[owner][0]:
            weakest[owner] = (rank, similar_id)
    if weakest:
        executor.execute(
            delete(SimilarArticle).where(
                tuple_(SimilarArticle.article_id, SimilarArticle.similar_id).in_(
                    [(owner, similar_id) for owner, (_, similar_id) in weakest.items()]
                )
            )
        )


def refresh(executor: Executor, article_id: int) -> None:
    """Recompute ``article_id``'s list, and its place in other lists (only while published:
    a draft, archived or unpublished article leaves every other list)."""
    found = _articles(executor, [Article.id == article_id])
    if not found:
        return
    article = found[0]
    scored = _scores(executor, article)
    _write_own_list(executor, article, scored)
    executor.execute(delete(SimilarArticle).where(SimilarArticle.similar_id == article.id))
    if article.status is ArticleStatus.PUBLISHED:
        _offer(executor, article, scored)


def _lock_languages(executor: Executor, languages: Sequence[str]) -> None:
    """On PostgreSQL, one writer at a time maintains the lists of a language, until its
    transaction ends: a refresh rewrites rows of other articles' lists too, and two at once
    would collide on them (duplicate keys, deadlocks). Locks are taken in one order, so two
    stories' refreshes cannot wait for each other. SQLite writers already queue."""
    if dialect_name(executor) != "postgresql":
        return
    for language in sorted(set(languages)):
        key = zlib.crc32(language.encode()) - 2**31  # into PostgreSQL's int4 range
        executor.execute(select(func.pg_advisory_xact_lock(_LOCK_SPACE, key)))


def refresh_story(executor: Executor, article_id: int, *, versions: bool = True) -> None:
    """``refresh`` for the article and, with ``versions``, its other language versions: tags
    belong to the story, so a change made through one version moves the scores of all."""
    story_id = executor.scalar(select(Article.story_id).where(Article.id == article_id))
    if story_id is None:
        return
    statement = select(Article.id, Article.language).order_by(Article.id)
    if versions:
        statement = statement.where(Article.story_id == story_id)
    else:
        statement = statement.where(Article.id == article_id)
    found = executor.execute(statement).all()
    _lock_languages(executor, [language for _, language in found])
    for version_id, _ in found:
        refresh(executor, version_id)


def rebuild(executor: Executor) -> int:
    """Every list afresh; returns how many articles were visited."""
    executor.execute(delete(SimilarArticle))
    ids = list(executor.scalars(select(Article.id).order_by(Article.id)))
    refresh_many(executor, ids)
    return len(ids)


def forget(executor: Executor, article_id: int) -> None:
    """Remove a deleted article's list and its entries in other lists."""
    executor.execute(
        delete(SimilarArticle).where(
            or_(SimilarArticle.article_id == article_id, SimilarArticle.similar_id == article_id)
        )
    )


async def article_changed(
    session: AsyncSession, article_id: int, *, deleted: bool, edited: bool
) -> None:
    """The follow-up of every article write (see publishing.events). ``edited``: fields or
    tags may have changed (an update), so the story's other versions are refreshed too;
    creating a version or changing its status touches only its own scores."""
    if deleted:
        await session.run_sync(lambda s: forget(s, article_id))
    else:
        await session.run_sync(lambda s: refresh_story(s, article_id, versions=edited))


# -- many at once --------------------------------------------------------------------------
# An import's catch-up or a rebuild refreshes thousands of articles: one by one, each costs a
# dozen statements and its offers rewrite others' lists again and again. Here a language's
# articles, tags and lists are read once, scored in memory with the same candidate rules
# (text candidates from the words of titles, subtitles and excerpts, which are all a score
# reads), and only the lists that changed are written back.

_CHUNK: Final = 1_000  # ids per IN (...) list


@dataclass(slots=True)
class _Pool:
    """One language's articles as the scoring needs them."""

    articles: dict[int, _Article]
    tags: dict[int, frozenset[int]]  # story id -> tag ids
    by_tag: dict[int, list[int]]  # tag id -> published article ids
    by_key: dict[str, list[int]]  # stem key -> published article ids, newest (highest id) first
    lists: dict[int, dict[int, float]]  # owner -> {similar id: score}, as stored


def _pool(executor: Executor, language: str) -> _Pool:
    articles = {a.id: a for a in _articles(executor, [Article.language == language])}
    tags: dict[int, set[int]] = {}
    for story_id, tag_id in executor.execute(
        select(story_tags.c.story_id, story_tags.c.tag_id).where(
            story_tags.c.story_id.in_(select(Article.story_id).where(Article.language == language))
        )
    ):
        tags.setdefault(story_id, set()).add(tag_id)
    by_tag: dict[int, list[int]] = {}
    by_key: dict[str, list[int]] = {}
    for article in sorted(articles.values(), key=lambda a: -a.id):
        if article.status is not ArticleStatus.PUBLISHED:
            continue
        for tag_id in tags.get(article.story_id, ()):
            by_tag.setdefault(tag_id, []).append(article.id)
        for key in article.signature.weights:
            by_key.setdefault(key, []).append(article.id)
    lists: dict[int, dict[int, float]] = {}
    for owner, similar_id, score in executor.execute(
        select(SimilarArticle.article_id, SimilarArticle.similar_id, SimilarArticle.score).where(
            SimilarArticle.article_id.in_(select(Article.id).where(Article.language == language))
        )
    ):
        lists.setdefault(owner, {})[similar_id] = score
    return _Pool(articles, {k: frozenset(v) for k, v in tags.items()}, by_tag, by_key, lists)


def _pool_scores(pool: _Pool, article: _Article) -> dict[int, tuple[float, _Article]]:
    """``_scores`` from memory: the same three kinds of candidates, the same score."""
    tag_ids = pool.tags.get(article.story_id, frozenset())
    shared: dict[int, int] = {}
    for tag_id in tag_ids:
        for other in pool.by_tag.get(tag_id, ()):
            shared[other] = shared.get(other, 0) + 1
    articles = pool.articles

    def same_story(other: int) -> bool:
        return articles[other].story_id == article.story_id

    by_tags = sorted(
        (i for i in shared if not same_story(i)),
        key=lambda i: _rank_key(shared[i], articles[i].published_at, i),
    )[:TAG_CANDIDATES]
    ids = set(by_tags)
    newest = heapq.merge(
        *(pool.by_key.get(k, ()) for k in article.signature.top_keys(QUERY_WORDS)),
        key=lambda i: -i,
    )
    found = 0
    for other in newest:
        if found >= TEXT_CANDIDATES:
            break
        if other not in ids:
            ids.add(other)
            found += 1
    ids.update(pool.lists.get(article.id, ()))
    scored: dict[int, tuple[float, _Article]] = {}
    for other in ids:
        candidate = articles.get(other)
        if (
            candidate is None
            or candidate.id == article.id
            or candidate.status is not ArticleStatus.PUBLISHED
            or candidate.story_id == article.story_id
        ):
            continue
        score = shared.get(other, 0) + TEXT_WEIGHT * cosine(article.signature, candidate.signature)
        if score > 0:
            scored[other] = (round(score, 6), candidate)
    return scored


def _best(pool: _Pool, entries: dict[int, float]) -> dict[int, float]:
    articles = pool.articles
    ranked = sorted(
        ((i, s) for i, s in entries.items() if i in articles),
        key=lambda e: _rank_key(e[1], articles[e[0]].published_at, e[0]),
    )
    return dict(ranked[:KEEP])


def _refresh_language(executor: Executor, language: str, dirty: set[int]) -> None:
    pool = _pool(executor, language)
    dirty &= pool.articles.keys()
    new_lists = {
        owner: {i: s for i, s in entries.items() if i not in dirty}
        for owner, entries in pool.lists.items()
        if owner not in dirty
    }
    # Scores are symmetric: a published article enters the list of each article it scored,
    # dirty or not, as its writes' offers would have put it there (a candidate found only
    # from the other side still counts).
    offers: dict[int, dict[int, float]] = {}
    for article_id in sorted(dirty):
        article = pool.articles[article_id]
        scored = _pool_scores(pool, article)
        new_lists[article_id] = {i: s for i, (s, _) in scored.items()}
        if article.status is ArticleStatus.PUBLISHED:
            for owner, (score, _) in scored.items():
                offers.setdefault(owner, {})[article_id] = score
    for owner, offered in offers.items():
        new_lists[owner] = new_lists.get(owner, {}) | offered
    for article_id in dirty | offers.keys():
        new_lists[article_id] = _best(pool, new_lists[article_id])
    changed = sorted(o for o, entries in new_lists.items() if entries != pool.lists.get(o, {}))
    for start in range(0, len(changed), _CHUNK):
        owners = changed[start : start + _CHUNK]
        executor.execute(delete(SimilarArticle).where(SimilarArticle.article_id.in_(owners)))
        rows = [
            {"article_id": owner, "similar_id": similar_id, "score": score}
            for owner in owners
            for similar_id, score in new_lists[owner].items()
        ]
        if rows:
            executor.execute(insert(SimilarArticle), rows)


def refresh_many(executor: Executor, article_ids: Collection[int]) -> None:
    """``refresh`` of each of these articles, language by language, in memory: what one by
    one would leave, up to the order in which equal-scored offers arrive."""
    languages: dict[str, set[int]] = {}
    ids = sorted(article_ids)
    for start in range(0, len(ids), _CHUNK):
        for article_id, language in executor.execute(
            select(Article.id, Article.language).where(Article.id.in_(ids[start : start + _CHUNK]))
        ):
            languages.setdefault(language, set()).add(article_id)
    _lock_languages(executor, list(languages))
    for language, dirty in sorted(languages.items()):
        _refresh_language(executor, language, dirty)
