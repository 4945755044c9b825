"""Read queries over articles: lookups, keyset listings, and batch loads for a page of them.

Batch functions take many keys and answer in one statement, so a page of 100 articles costs
what a page of 10 does. Lookups and listings answer for one kind of story, articles unless
told otherwise: a page is never an article's result (``publishing.pages`` lists pages).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager

from publishing.access import Actor, Permission, Role
from publishing.articles.models import (
    Article,
    ArticleRevision,
    ArticleStatus,
    ContributorCredit,
    CreditRole,
    Story,
    StoryKind,
    story_tags,
)
from publishing.articles.visibility import Visibility
from publishing.authors.models import Author
from publishing.authors.reading import AUTHOR_VIEW_COLUMNS, AuthorView
from publishing.changes.tracking import record
from publishing.footnotes.models import Footnote, Source
from publishing.sections.reading import filed_under
from publishing.surrogate import article_key, author_key, story_key
from publishing.tags.models import Tag


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    language: str | None = None
    author_slug: str | None = None
    tag_slug: str | None = None
    published_after: dt.datetime | None = None
    published_before: dt.datetime | None = None
    # Any of DRAFT, SCHEDULED, PUBLISHED, ARCHIVED; empty means all the reader may see.
    statuses: tuple[str, ...] = ()
    kind: StoryKind = StoryKind.ARTICLE
    # Filed under this section (primary or other), and under those below it when asked.
    section_id: int | None = None
    include_subsections: bool = False
    featured: bool | None = None  # only stories put forward (True) or only the others


@dataclass(frozen=True, slots=True)
class ListingKey:
    """Where a page ends: the sort time and id of its last article (a keyset cursor)."""

    at: dt.datetime
    id: int


def _with_story() -> Select[tuple[Article]]:
    # The story comes along in the same statement: isOriginal and credits need it.
    return select(Article).join(Article.story).options(contains_eager(Article.story))


def _sort_at(visibility: Visibility):  # type: ignore[no-untyped-def]
    # The public sees only published articles, whose published_at is set and indexed;
    # editorial readers also see drafts, which sort by when they were written.
    if visibility.include_unpublished:
        return func.coalesce(Article.published_at, Article.created_at)
    return Article.published_at


def _filtered(statement: Select, article_filter: ArticleFilter, visibility: Visibility) -> Select:
    """``statement`` (which joins the story) narrowed to what the filter and reader allow."""
    statement = statement.where(visibility.clause(), Story.kind == article_filter.kind)
    if article_filter.language:
        statement = statement.where(Article.language == article_filter.language)
    sort_at = _sort_at(visibility)
    if article_filter.published_after:
        statement = statement.where(sort_at >= article_filter.published_after)
    if article_filter.published_before:
        statement = statement.where(sort_at < article_filter.published_before)
    if article_filter.statuses:
        statement = statement.where(_status_clause(article_filter.statuses, visibility.now))
    if article_filter.author_slug:
        credited = (
            select(ContributorCredit.id)
            .join(Author, Author.id == ContributorCredit.author_id)
            .where(
                Author.slug == article_filter.author_slug,
                or_(
                    ContributorCredit.story_id == Article.story_id,
                    ContributorCredit.article_id == Article.id,
                ),
            )
            .exists()
        )
        statement = statement.where(credited)
    if article_filter.tag_slug:
        tagged = (
            select(story_tags.c.story_id)
            .join(Tag, Tag.id == story_tags.c.tag_id)
            .where(Tag.slug == article_filter.tag_slug, story_tags.c.story_id == Article.story_id)
            .exists()
        )
        statement = statement.where(tagged)
    if article_filter.featured is not None:
        statement = statement.where(Story.featured.is_(article_filter.featured))
    if article_filter.section_id is not None:
        statement = statement.where(
            filed_under(
                article_filter.section_id, include_subsections=article_filter.include_subsections
            )
        )
    return statement


def _status_clause(statuses: tuple[str, ...], now: dt.datetime) -> ColumnElement[bool]:
    published = Article.status == ArticleStatus.PUBLISHED
    clauses = {
        "DRAFT": Article.status == ArticleStatus.DRAFT,
        "ARCHIVED": Article.status == ArticleStatus.ARCHIVED,
        "PUBLISHED": and_(published, Article.published_at <= now),
        "SCHEDULED": and_(published, Article.published_at > now),
    }
    return or_(*(clauses[status] for status in statuses))


async def list_articles(
    session: AsyncSession,
    article_filter: ArticleFilter,
    visibility: Visibility,
    *,
    limit: int,
    after: ListingKey | None = None,
) -> list[tuple[Article, ListingKey]]:
    """Newest first; up to ``limit`` articles after ``after``, each with its own key."""
    sort_at = _sort_at(visibility)
    statement = _filtered(_with_story(), article_filter, visibility).add_columns(sort_at)
    if after is not None:
        statement = statement.where(tuple_(sort_at, Article.id) < tuple_(after.at, after.id))
    statement = statement.order_by(sort_at.desc(), Article.id.desc()).limit(limit)
    rows = (await session.execute(statement)).unique().all()
    return [(article, ListingKey(_aware(at), article.id)) for article, at in rows]


async def count_articles(
    session: AsyncSession, article_filter: ArticleFilter, visibility: Visibility
) -> int:
    statement = _filtered(
        select(func.count(Article.id)).select_from(Article).join(Article.story),
        article_filter,
        visibility,
    )
    return int(await session.scalar(statement) or 0)


def _aware(value: dt.datetime) -> dt.datetime:
    # coalesce() bypasses the column type on SQLite, so the offset may be missing.
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


async def article_by_slug(
    session: AsyncSession,
    language: str,
    slug: str,
    visibility: Visibility,
    kind: StoryKind = StoryKind.ARTICLE,
) -> Article | None:
    statement = _with_story().where(
        Article.language == language,
        Article.slug == slug,
        visibility.clause(),
        Story.kind == kind,
    )
    return await session.scalar(statement)


async def articles_by_id(
    session: AsyncSession,
    ids: Sequence[int],
    visibility: Visibility,
    kind: StoryKind = StoryKind.ARTICLE,
) -> dict[int, Article]:
    statement = _with_story().where(Article.id.in_(ids), visibility.clause(), Story.kind == kind)
    return {article.id: article for article in await session.scalars(statement)}


async def versions_by_story(
    session: AsyncSession, story_ids: Sequence[int]
) -> dict[int, list[Article]]:
    """Every language version of each story, in language order, whatever its status: callers
    filter with ``Visibility.allows`` (the original's revision matters even while hidden)."""
    statement = _with_story().where(Article.story_id.in_(story_ids)).order_by(Article.language)
    versions: dict[int, list[Article]] = defaultdict(list)
    for article in await session.scalars(statement):
        versions[article.story_id].append(article)
    return versions


async def footnotes_by_article(
    session: AsyncSession, article_ids: Sequence[int]
) -> dict[int, list[tuple[Footnote, Source | None]]]:
    statement = (
        select(Footnote, Source)
        .outerjoin(Source, Source.id == Footnote.source_id)
        .where(Footnote.article_id.in_(article_ids))
        .order_by(Footnote.article_id, Footnote.position, Footnote.id)
    )
    footnotes: dict[int, list[tuple[Footnote, Source | None]]] = defaultdict(list)
    for footnote, source in await session.execute(statement):
        footnotes[footnote.article_id].append((footnote, source))
    return footnotes


@dataclass(frozen=True, slots=True)
class Credit:
    role: CreditRole
    author: AuthorView


async def credits_by_article(
    session: AsyncSession, keys: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], list[Credit]]:
    """Credits of each (article id, story id): the story's first, then the version's own."""
    article_ids = {article_id for article_id, _ in keys}
    story_ids = {story_id for _, story_id in keys}
    # Plain rows: a page of 50 articles has a few hundred credits, and ORM objects for them
    # and their authors cost more than the statement.
    statement = (
        select(
            ContributorCredit.story_id,
            ContributorCredit.article_id,
            ContributorCredit.role,
            *AUTHOR_VIEW_COLUMNS,
        )
        .join(Author, Author.id == ContributorCredit.author_id)
        .where(
            or_(
                ContributorCredit.story_id.in_(story_ids),
                ContributorCredit.article_id.in_(article_ids),
            )
        )
        .order_by(ContributorCredit.position, ContributorCredit.id)
    )
    by_story: dict[int, list[Credit]] = defaultdict(list)
    by_article: dict[int, list[Credit]] = defaultdict(list)
    authors: dict[int, AuthorView] = {}
    read: set[str] = set()
    for story_id, article_id, role, author_id, slug, name, avatar_url in await session.execute(
        statement
    ):
        author = authors.get(author_id)
        if author is None:
            author = authors[author_id] = AuthorView(author_id, slug, name, avatar_url)
            read.add(author_key(author_id))
        if story_id is not None:
            by_story[story_id].append(Credit(role, author))
            read.add(story_key(story_id))
        elif article_id is not None:
            by_article[article_id].append(Credit(role, author))
            read.add(article_key(article_id))
    record(read)
    return {
        (article_id, story_id): by_story[story_id] + by_article[article_id]
        for article_id, story_id in keys
    }


# Revisions hold every draft and every earlier text: for editorial readers only.
READ_REVISIONS = Permission(Role.CONTRIBUTOR, "Reading revisions")


async def revisions_by_article(
    session: AsyncSession, article_ids: Sequence[int], reader: Actor | None
) -> dict[int, list[ArticleRevision]]:
    READ_REVISIONS.check(reader)
    statement = (
        select(ArticleRevision)
        .where(ArticleRevision.article_id.in_(article_ids))
        .order_by(ArticleRevision.article_id, ArticleRevision.version)
    )
    revisions: dict[int, list[ArticleRevision]] = defaultdict(list)
    for revision in await session.scalars(statement):
        revisions[revision.article_id].append(revision)
    return revisions
