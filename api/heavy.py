"""Heavy queries execute on an event loop of their own, in a thread of their own.

A process serves its requests on one event loop. A heavy operation (schema.fairness) holds the
CPU for slices of work in which nothing else on its loop advances: on 1,000 generated stories
the heaviest listing allowed takes about 1.4 s of CPU in slices of up to ~130 ms (building the
ORM objects of a batch, resolving thousands of fields), and a light query arriving meanwhile
waited for whole slices. Here, heavy queries run on a second loop in a thread, so the serving
loop goes on between them: CPython hands the interpreter from one thread to another that
waits for it every ``sys.getswitchinterval()``, which the executor lowers from 5 ms to 1 ms
(``SWITCH_INTERVAL``), so a light request waits about a millisecond each time it needs it.

A thread rather than a process: the operation is executed with the request's own context
(its token's actor, clock reading, deadline, settings) and the same schema, its result comes
back as the object Strawberry goes on with, and cancelling the request's wait cancels it,
with nothing to serialise or ship across. The GIL still serialises the CPU work of both
threads; on two cores a process would take it elsewhere, at the price of all that shipping.

An async engine belongs to the loop its connections are used on, so the thread has engines
of its own, bounded like the serving loop's (api.faults). Started and stopped with the app.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine

from api.faults import open_engines
from publishing.db import create_sessionmaker
from schema.fairness import Sessionmaker

T = TypeVar("T")

# Seconds a thread may hold the interpreter while another waits for it (CPython's default is
# 0.005). A light request needs the interpreter back at each of its steps (reading its socket,
# each statement's answer); measured on 1,000 stories, 1 ms in place of 5 took its p95 beside
# the heavy clients from 113-126 to 75-93 ms on SQLite, from 174-189 to 92 ms on PostgreSQL.
SWITCH_INTERVAL = 0.001


class HeavyLoop:
    """An event loop in a thread, with its own engines on the app's database
    (schema.fairness.HeavyExecutor)."""

    def __init__(self, database_url: str, timeout: float) -> None:
        # Made here, connected only from the thread's loop.
        self.engine, self.write_engine = open_engines(database_url, timeout)
        self._read = create_sessionmaker(self.engine)
        self._write = create_sessionmaker(self.write_engine)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="pressroom-heavy", daemon=True
        )

    def start(self) -> None:
        # Process-wide, and never raised: the interval is the interpreter's, not this app's.
        if sys.getswitchinterval() > SWITCH_INTERVAL:
            sys.setswitchinterval(SWITCH_INTERVAL)
        self._thread.start()

    async def run(self, work: Callable[[Sessionmaker, Sessionmaker], Coroutine[Any, Any, T]]) -> T:
        # Cancelling the wrapped future cancels the concurrent one, which cancels the task on
        # the thread's loop: a request cut off at its deadline stops its work there.
        done = asyncio.run_coroutine_threadsafe(work(self._read, self._write), self._loop)
        return await asyncio.wrap_future(done)

    async def aclose(self) -> None:
        """Cancel what still runs there, close the engines, stop the loop and its thread."""
        if self._thread.is_alive():
            ended = asyncio.run_coroutine_threadsafe(self._wind_down(), self._loop)
            await asyncio.wrap_future(ended)
            self._loop.call_soon_threadsafe(self._loop.stop)
            await asyncio.to_thread(self._thread.join)
        else:
            await _dispose(self.engine, self.write_engine)
        self._loop.close()

    async def _wind_down(self) -> None:
        this = asyncio.current_task()
        left = [task for task in asyncio.all_tasks() if task is not this]
        for task in left:
            task.cancel()
        await asyncio.gather(*left, return_exceptions=True)
        await _dispose(self.engine, self.write_engine)
        await self._loop.shutdown_asyncgens()
        # asyncpg resolves host names in the loop's default executor.
        await self._loop.shutdown_default_executor()


async def _dispose(engine: AsyncEngine, write_engine: AsyncEngine) -> None:
    await engine.dispose()
    if write_engine is not engine:
        await write_engine.dispose()
