"""Units of work for an import: each post (or author) is written whole or not at all.

A real run gives every unit a transaction of its own, so a bad post is rolled back alone and
everything before it stays. A dry run runs every unit in a savepoint of one transaction that
is rolled back at the end: validation, lookups and later units see what earlier ones would
have written, and nothing is kept.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from publishing.db import create_sessionmaker
from publishing.events import defer_derived


class Units:
    """``deferred``: when given, article writes leave the search index and similar-post lists
    to the caller, adding their ids to it (see ``publishing.events.defer_derived``)."""

    def __init__(
        self, engine: AsyncEngine, *, dry_run: bool, deferred: set[int] | None = None
    ) -> None:
        self._sessionmaker = create_sessionmaker(engine)
        self.dry_run = dry_run
        self._deferred = deferred
        self._shared: AsyncSession | None = None

    def _session(self) -> AsyncSession:
        session = self._sessionmaker()
        if self._deferred is not None:
            defer_derived(session, self._deferred)
        return session

    async def __aenter__(self) -> Units:
        if self.dry_run:
            self._shared = self._session()
            await self._shared.begin()
        return self

    async def __aexit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        if self._shared is not None:
            await self._shared.rollback()
            await self._shared.close()
            self._shared = None

    @contextlib.asynccontextmanager
    async def unit(self) -> AsyncIterator[AsyncSession]:
        """A session for one unit; an exception rolls the unit back and propagates."""
        if self._shared is None:
            async with self._session() as session, session.begin():
                yield session
            return
        try:
            async with self._shared.begin_nested():
                yield self._shared
        finally:
            # Units share nothing through the identity map; keeps a long dry run small.
            self._shared.expunge_all()
