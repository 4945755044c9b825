"""Reads straight from the store, for tests that need what the API does not show (hidden
objects' IDs, every row of a table)."""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import Select, select

from publishing.articles.models import Article
from publishing.db import create_engine


def global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


async def article_id(database_url: str, language: str, slug: str) -> int:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            found = await connection.scalar(
                select(Article.id).where(Article.language == language, Article.slug == slug)
            )
    finally:
        await engine.dispose()
    assert found is not None, (language, slug)
    return found


async def rows(database_url: str, statement: Select[Any]) -> list[tuple[Any, ...]]:
    """Every row ``statement`` selects, as plain tuples."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return [tuple(row) for row in await connection.execute(statement)]
    finally:
        await engine.dispose()
