"""Keeping the index in step: every article write re-indexes that article, in its transaction.

The work is synchronous SQL over one connection, so the same functions serve a request
(through ``AsyncSession.run_sync``), the migration that fills the index for existing
articles, and a full rebuild after bulk loads that bypass the services.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateIndex, DropIndex

from publishing.articles.models import Article
from publishing.footnotes.models import Footnote, Source
from publishing.search import fts
from publishing.search.document import NoteText, SearchText, search_text
from publishing.search.languages import config_for
from publishing.search.models import ArticleSearch

Executor = Connection | Session

# The weighted tsvector, A to D in the order of importance (see ArticleSearch.document).
_POSTGRES_UPSERT = text(
    """
    INSERT INTO article_search (article_id, config, title, lead, body, notes, document)
    VALUES (
        :article_id, :config, :title, :lead, :body, :notes,
        setweight(to_tsvector(CAST(:tsconfig AS regconfig), :title), 'A')
        || setweight(to_tsvector(CAST(:tsconfig AS regconfig), :lead), 'B')
        || setweight(to_tsvector(CAST(:tsconfig AS regconfig), :body), 'C')
        || setweight(to_tsvector(CAST(:tsconfig AS regconfig), :notes), 'D')
    )
    ON CONFLICT (article_id) DO UPDATE SET
        config = excluded.config, title = excluded.title, lead = excluded.lead,
        body = excluded.body, notes = excluded.notes, document = excluded.document
    """
)
_SQLITE_UPSERT = text(
    """
    INSERT INTO article_search (article_id, config, title, lead, body, notes)
    VALUES (:article_id, :config, :title, :lead, :body, :notes)
    ON CONFLICT (article_id) DO UPDATE SET
        config = excluded.config, title = excluded.title, lead = excluded.lead,
        body = excluded.body, notes = excluded.notes
    """
)

BATCH = 500


def dialect_name(executor: Executor) -> str:
    bind = executor.get_bind() if isinstance(executor, Session) else executor
    return bind.dialect.name


def _texts(executor: Executor, article_ids: Sequence[int]) -> dict[int, tuple[str, SearchText]]:
    """(language, text) of each article, from its fields, footnotes and their sources."""
    notes: dict[int, list[NoteText]] = defaultdict(list)
    rows = executor.execute(
        select(Footnote.article_id, Footnote.content, Source.title, Source.publisher)
        .outerjoin(Source, Source.id == Footnote.source_id)
        .where(Footnote.article_id.in_(article_ids))
        .order_by(Footnote.article_id, Footnote.position, Footnote.id)
    )
    for article_id, content, source_title, publisher in rows:
        notes[article_id].append(NoteText(content, source_title, publisher))
    articles = executor.execute(
        select(
            Article.id,
            Article.language,
            Article.title,
            Article.subtitle,
            Article.excerpt,
            Article.body,
        ).where(Article.id.in_(article_ids))
    )
    return {
        article_id: (
            language,
            search_text(
                title=title,
                subtitle=subtitle,
                excerpt=excerpt,
                body=body,
                notes=notes[article_id],
            ),
        )
        for article_id, language, title, subtitle, excerpt, body in articles
    }


def _indexed(executor: Executor, article_ids: Sequence[int]) -> list[dict[str, Any]]:
    rows = executor.execute(
        select(
            ArticleSearch.article_id,
            ArticleSearch.config,
            ArticleSearch.title,
            ArticleSearch.lead,
            ArticleSearch.body,
            ArticleSearch.notes,
        ).where(ArticleSearch.article_id.in_(article_ids))
    )
    return [dict(row._mapping) for row in rows]


def _forget_in_fts(executor: Executor, rows: list[dict[str, Any]]) -> None:
    by_config: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_config[row["config"]].append(row)
    for config, params in by_config.items():
        executor.execute(text(fts.delete_statement(config)), params)


def index_articles(executor: Executor, article_ids: Sequence[int]) -> None:
    """(Re)index these articles from their current rows; missing ids are skipped."""
    if not article_ids:
        return
    dialect = dialect_name(executor)
    texts = _texts(executor, article_ids)
    params = [
        {
            "article_id": article_id,
            "config": config_for(dialect, language),
            "title": doc.title,
            "lead": doc.lead,
            "body": doc.body,
            "notes": doc.notes,
        }
        for article_id, (language, doc) in texts.items()
    ]
    if not params:
        return
    if dialect == "postgresql":
        # The configuration again, as its own parameter: asyncpg types each one once.
        executor.execute(_POSTGRES_UPSERT, [{**p, "tsconfig": p["config"]} for p in params])
        return
    _forget_in_fts(executor, _indexed(executor, list(texts)))
    executor.execute(_SQLITE_UPSERT, params)
    by_config: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in params:
        by_config[row["config"]].append(row)
    for config, rows in by_config.items():
        executor.execute(text(fts.insert_statement(config)), rows)


def remove_articles(executor: Executor, article_ids: Sequence[int]) -> None:
    """Take articles out of the index (before their rows are deleted)."""
    if not article_ids:
        return
    if dialect_name(executor) == "sqlite":
        _forget_in_fts(executor, _indexed(executor, article_ids))
    executor.execute(delete(ArticleSearch).where(ArticleSearch.article_id.in_(article_ids)))


def _batches(executor: Executor, size: int) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(
            executor.scalars(
                select(Article.id).where(Article.id > last).order_by(Article.id).limit(size)
            )
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def clear_index(executor: Executor) -> None:
    if dialect_name(executor) == "sqlite":
        for table in fts.TABLES.values():
            executor.execute(text(f"INSERT INTO {table} ({table}) VALUES ('delete-all')"))
    executor.execute(delete(ArticleSearch))


def rebuild_index(executor: Executor, *, batch: int = BATCH) -> int:
    """Index every article afresh (after a bulk load that bypassed the services); returns
    how many were indexed. Run it in one transaction: readers see the old index until the
    new one is complete."""
    postgres = dialect_name(executor) == "postgresql"
    if not postgres:
        # A page cache of 256 MB for this connection: a transaction this large otherwise
        # spills the same FTS pages to the WAL again and again.
        executor.execute(text("PRAGMA cache_size = -262144"))
    clear_index(executor)
    document_index = next(
        index
        for index in ArticleSearch.__table__.indexes
        if index.name == "ix_article_search_document"
    )
    if postgres:
        # One GIN build at the end is much cheaper than growing the index row by row.
        executor.execute(DropIndex(document_index))
    count = 0
    for ids in _batches(executor, batch):
        index_articles(executor, ids)
        count += len(ids)
    if postgres:
        executor.execute(CreateIndex(document_index))
    return count


async def article_changed(session: AsyncSession, article_id: int, *, deleted: bool) -> None:
    """The follow-up of every article write (see publishing.events)."""
    if deleted:
        await session.run_sync(lambda s: remove_articles(s, [article_id]))
    else:
        await session.run_sync(lambda s: index_articles(s, [article_id]))
