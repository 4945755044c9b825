"""How resolvers reach what media URLs need: the signing key and the widths offered."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from publishing.media.signing import signing_key

KeyProvider = Callable[[], Awaitable[bytes]]


class MediaAccess:
    """One per request. The key comes from ``provider`` (the API's, cached per process) or,
    without one (the CLI, scripts), from the database once per request."""

    def __init__(
        self,
        provider: KeyProvider | None,
        widths: tuple[int, ...],
        write_sessionmaker: async_sessionmaker[AsyncSession],
        now: dt.datetime,
    ) -> None:
        self.widths = widths
        self._provider = provider
        self._write_sessionmaker = write_sessionmaker
        self._now = now
        self._key: bytes | None = None
        self._lock = asyncio.Lock()

    async def signing_key(self) -> bytes:
        if self._key is None:
            async with self._lock:
                if self._key is None:
                    self._key = await (self._provider or self._from_database)()
        return self._key

    async def _from_database(self) -> bytes:
        # A writer's session: the key is made on first use.
        async with self._write_sessionmaker() as session, session.begin():
            return await signing_key(session, now=self._now)
