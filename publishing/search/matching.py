"""Which published articles of a language mention any of some words: the newest first.

For similar posts, which need candidates sharing words with an article, not a ranking; the
newest are kept when there are many, since similar posts prefer newer ones on ties anyway.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Integer, cast, func, literal, select, text
from sqlalchemy.dialects.postgresql import REGCONFIG

from publishing.articles.models import Article, ArticleStatus
from publishing.search import fts
from publishing.search.indexing import Executor, dialect_name
from publishing.search.languages import SQLITE_PLAIN, config_for
from publishing.search.models import ArticleSearch
from publishing.search.query import ParsedQuery, Term


def newest_mentioning(
    executor: Executor, language: str, words: Sequence[str], *, limit: int
) -> list[int]:
    """Ids of published (or scheduled) articles in ``language`` with any of ``words``."""
    if not words:
        return []
    query = ParsedQuery(required=(tuple(Term(word, phrase=False) for word in words),), excluded=())
    dialect = dialect_name(executor)
    config = config_for(dialect, language)
    statement = select(Article.id).where(
        Article.language == language, Article.status == ArticleStatus.PUBLISHED
    )
    if dialect == "postgresql":
        tsquery = func.websearch_to_tsquery(
            cast(literal(config), REGCONFIG), literal(query.websearch())
        )
        statement = statement.join(ArticleSearch, ArticleSearch.article_id == Article.id).where(
            ArticleSearch.document.bool_op("@@")(tsquery)
        )
    else:
        table = fts.TABLES[config]
        matches = (
            text(f"SELECT rowid AS id FROM {table} WHERE {table} MATCH :match")
            .bindparams(match=query.fts5(prefixes=config == SQLITE_PLAIN))
            .columns(id=Integer)
            .subquery("matches")
        )
        statement = statement.join(matches, matches.c.id == Article.id)
    return list(executor.scalars(statement.order_by(Article.id.desc()).limit(limit)))
