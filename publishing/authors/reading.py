"""Read queries over authors and their bios."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.authors.models import Author, AuthorBio
from publishing.changes.tracking import record
from publishing.surrogate import author_key


@dataclass(frozen=True, slots=True)
class AuthorView:
    """What a byline shows of an author, read as a plain row (see ``credits_by_article``)."""

    id: int
    slug: str
    name: str
    avatar_url: str | None


AUTHOR_VIEW_COLUMNS = (Author.id, Author.slug, Author.name, Author.avatar_url)


async def author_by_slug(session: AsyncSession, slug: str) -> Author | None:
    return await session.scalar(select(Author).where(Author.slug == slug))


async def authors_by_id(session: AsyncSession, ids: Sequence[int]) -> dict[int, Author]:
    return {a.id: a for a in await session.scalars(select(Author).where(Author.id.in_(ids)))}


async def list_authors(
    session: AsyncSession, *, limit: int, after: tuple[str, int] | None = None
) -> list[Author]:
    """Authors by name (then id, for a stable keyset order)."""
    statement = select(Author).order_by(Author.name, Author.id).limit(limit)
    if after is not None:
        statement = statement.where(tuple_(Author.name, Author.id) > tuple_(*after))
    return list(await session.scalars(statement))


async def count_authors(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count(Author.id))) or 0)


async def bios_by_author(
    session: AsyncSession, author_ids: Sequence[int]
) -> dict[int, dict[str, str]]:
    """Every bio of each author, by language."""
    # Plain rows: only the text is wanted, not ORM objects.
    statement = select(AuthorBio.author_id, AuthorBio.language, AuthorBio.markdown).where(
        AuthorBio.author_id.in_(author_ids)
    )
    bios: dict[int, dict[str, str]] = defaultdict(dict)
    for author_id, language, markdown in await session.execute(statement):
        bios[author_id][language] = markdown
    record(author_key(author_id) for author_id in bios)
    return bios
