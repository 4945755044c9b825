"""Uniqueness races: what validation checked can be taken by another writer before commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.errors import Issue, ValidationFailed


@dataclass(frozen=True, slots=True)
class Race:
    """A unique constraint a concurrent writer may win, recognised by words in the error
    (constraint names on PostgreSQL, column names on SQLite), and how to report losing it."""

    words: tuple[str, ...]
    path: tuple[str, ...]
    code: str
    message: str


async def flush(session: AsyncSession, races: Sequence[Race]) -> None:
    """Flush; a lost race becomes the input problem it is, any other violation stays a bug."""
    try:
        await session.flush()
    except IntegrityError as error:
        text = str(error.orig).lower()
        for race in races:
            if all(word in text for word in race.words):
                raise ValidationFailed([Issue(race.path, race.code, race.message)]) from error
        raise
