"""Ranked search over the articles (or the pages) of one language that a reader may see.

Visibility is applied when searching, never when indexing: drafts are indexed for editors,
and a scheduled article becomes findable the moment its time comes, with no job to run.
Pages follow a keyset of (score, id), highest score first; ties go to the newer id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    Subquery,
    and_,
    cast,
    func,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import REGCONFIG
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager

from publishing.articles.models import Article, Story, StoryKind
from publishing.articles.visibility import Visibility
from publishing.search import fts
from publishing.search.document import MARK_END, MARK_START
from publishing.search.languages import SQLITE_PLAIN, config_for
from publishing.search.models import ArticleSearch
from publishing.search.query import ParsedQuery
from publishing.search.snippets import has_mark, to_html

# ts_headline: up to two passages of about 12-30 words around the matches.
_HEADLINE_OPTIONS: Final = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxFragments=2, MaxWords=30, MinWords=12, "
    'FragmentDelimiter=" … "'
)
_SNIPPET_TOKENS: Final = 30
# Where a snippet is taken from, in order of preference: the body, then the lead, then notes.
_SNIPPET_COLUMNS: Final = (2, 1, 3)


@dataclass(frozen=True, slots=True)
class SearchKey:
    """Where a page ends: the score and id of its last result."""

    score: float
    id: int


@dataclass(frozen=True, slots=True)
class Hit:
    article: Article
    key: SearchKey
    snippet: str  # safe HTML: escaped text with <mark> around the matched words


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


# -- PostgreSQL ------------------------------------------------------------------------------


def _tsquery(config: str, query: ParsedQuery) -> ColumnElement[Any]:
    return func.websearch_to_tsquery(cast(literal(config), REGCONFIG), literal(query.websearch()))


def _postgres_matches(
    config: str, query: ParsedQuery, language: str, visibility: Visibility, kind: StoryKind
) -> Select[Any]:
    tsquery = _tsquery(config, query)
    score = func.ts_rank_cd(ArticleSearch.document, tsquery, 1)
    return (
        select(Article.id.label("id"), cast(score, Float).label("score"))
        .join(ArticleSearch, ArticleSearch.article_id == Article.id)
        .join(Story, Story.id == Article.story_id)
        .where(
            Story.kind == kind,
            ArticleSearch.document.bool_op("@@")(tsquery),
            # A query of exclusions only ("the -gas" once "the" is dropped as a stop word)
            # would match everything; querytree says so with 'T'.
            func.querytree(tsquery) != "T",
            Article.language == language,
            visibility.clause(),
        )
    )


def _headline(config: str, query: ParsedQuery) -> ColumnElement[str]:
    passage = func.concat_ws("\n", ArticleSearch.lead, ArticleSearch.body, ArticleSearch.notes)
    return func.ts_headline(
        cast(literal(config), REGCONFIG), passage, _tsquery(config, query), _HEADLINE_OPTIONS
    )


# -- SQLite ----------------------------------------------------------------------------------


def _fts_matches(config: str, query: ParsedQuery) -> Subquery:
    table = fts.TABLES[config]
    weights = ", ".join(str(w) for w in fts.WEIGHTS)
    # bm25 is lower for better matches; negated so both backends sort "higher is better".
    return (
        text(
            f"SELECT rowid AS id, -bm25({table}, {weights}) AS score "
            f"FROM {table} WHERE {table} MATCH :match"
        )
        .bindparams(match=query.fts5(prefixes=config == SQLITE_PLAIN))
        .columns(id=Integer, score=Float)
        .subquery("matches")
    )


def _sqlite_matches(
    config: str, query: ParsedQuery, language: str, visibility: Visibility, kind: StoryKind
) -> Select[Any]:
    matches = _fts_matches(config, query)
    return (
        select(Article.id.label("id"), matches.c.score.label("score"))
        .join(matches, matches.c.id == Article.id)
        .join(Story, Story.id == Article.story_id)
        .where(Article.language == language, visibility.clause(), Story.kind == kind)
    )


async def _sqlite_snippets(
    session: AsyncSession, config: str, query: ParsedQuery, ids: Sequence[int]
) -> dict[int, str]:
    if not ids:
        return {}
    table = fts.TABLES[config]
    columns = ", ".join(
        f"snippet({table}, {column}, :start, :end, '…', {_SNIPPET_TOKENS})"
        for column in _SNIPPET_COLUMNS
    )
    placeholders = ", ".join(f":id{i}" for i in range(len(ids)))
    statement = text(
        f"SELECT rowid, {columns} FROM {table} WHERE {table} MATCH :match "
        f"AND rowid IN ({placeholders})"
    )
    params: dict[str, Any] = {
        "match": query.fts5(prefixes=config == SQLITE_PLAIN),
        "start": MARK_START,
        "end": MARK_END,
        **{f"id{i}": article_id for i, article_id in enumerate(ids)},
    }
    snippets: dict[int, str] = {}
    for rowid, *candidates in await session.execute(statement, params):
        # The first passage with a match; a title-only match shows the lead or body start.
        snippets[rowid] = next(
            (c for c in candidates if has_mark(c)), next((c for c in candidates if c), "")
        )
    return snippets


# -- both ------------------------------------------------------------------------------------


def _matches(
    dialect: str, query: ParsedQuery, language: str, visibility: Visibility, kind: StoryKind
) -> Select[Any]:
    config = config_for(dialect, language)
    if dialect == "postgresql":
        return _postgres_matches(config, query, language, visibility, kind)
    return _sqlite_matches(config, query, language, visibility, kind)


async def search(
    session: AsyncSession,
    query: ParsedQuery,
    language: str,
    visibility: Visibility,
    *,
    limit: int,
    after: SearchKey | None = None,
    kind: StoryKind = StoryKind.ARTICLE,
) -> list[Hit]:
    """Up to ``limit`` results of ``kind`` after ``after``, best first, each with its
    snippet."""
    if not query.is_searchable:
        return []
    dialect = _dialect(session)
    config = config_for(dialect, language)
    matches = _matches(dialect, query, language, visibility, kind).subquery("ranked")
    page = select(matches.c.id, matches.c.score)
    if after is not None:
        page = page.where(
            or_(
                matches.c.score < after.score,
                and_(matches.c.score == after.score, matches.c.id < after.id),
            )
        )
    page_sq = (
        page.order_by(matches.c.score.desc(), matches.c.id.desc()).limit(limit).subquery("page")
    )
    statement = (
        select(Article, page_sq.c.score)
        .join(page_sq, page_sq.c.id == Article.id)
        .join(Article.story)
        .options(contains_eager(Article.story))
        .order_by(page_sq.c.score.desc(), page_sq.c.id.desc())
    )
    if dialect == "postgresql":
        # Computed for the page's rows only: the join comes after the LIMIT.
        statement = statement.join(
            ArticleSearch, ArticleSearch.article_id == Article.id
        ).add_columns(_headline(config, query))
        rows = (await session.execute(statement)).all()
        return [
            Hit(article, SearchKey(float(score), article.id), to_html(headline))
            for article, score, headline in rows
        ]
    rows = (await session.execute(statement)).all()
    snippets = await _sqlite_snippets(session, config, query, [a.id for a, _ in rows])
    return [
        Hit(article, SearchKey(float(score), article.id), to_html(snippets.get(article.id)))
        for article, score in rows
    ]


async def count(
    session: AsyncSession,
    query: ParsedQuery,
    language: str,
    visibility: Visibility,
    kind: StoryKind = StoryKind.ARTICLE,
) -> int:
    """How many visible articles (or pages) match, on all pages together."""
    if not query.is_searchable:
        return 0
    matches = _matches(_dialect(session), query, language, visibility, kind).subquery("ranked")
    return int(await session.scalar(select(func.count()).select_from(matches)) or 0)
