"""One read session per request, used by one task at a time.

A session per DataLoader batch cost a pool checkout, a pre-ping, BEGIN and ROLLBACK for every
statement, and batches dispatched together took several connections at once, running the pool
past its size so that connections were opened and closed per request. Here the batches of a
request take its one session in turn (the lock keeps the AsyncSession trap shut: batches are
separate tasks) and keep its connection while another batch waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


class Reads:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._session: AsyncSession | None = None
        self._lock = asyncio.Lock()
        self._wanted = 0  # batches holding or waiting for the session
        self._closed = False

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """The request's read session, for one batch of statements. Never nest these: a task
        holding the session that waits for it again waits forever."""
        self._wanted += 1
        try:
            async with self._lock:
                if self._session is None:
                    self._session = self._sessionmaker()
                session = self._session
                try:
                    yield session
                except BaseException:
                    # A failed statement spoils the transaction for later reads: start over.
                    self._session = None
                    await session.close()
                    raise
                if self._wanted > 1 and not self._closed:
                    # Batches dispatched together run on one connection, one after another;
                    # like closed sessions, later ones load fresh objects, not earlier ones.
                    session.expunge_all()
                else:
                    # Nobody waits: the connection goes back to the pool while the request
                    # computes, so a burst of requests shares the pool as before.
                    await session.close()
        finally:
            self._wanted -= 1

    async def close(self) -> None:
        """Give the connection back; never waits. A batch still running (one cut off at the
        request's deadline, say) closes the session itself when it ends."""
        self._closed = True
        if self._lock.locked():
            return
        session, self._session = self._session, None
        if session is not None:
            await session.close()
