"""Webhooks delivered one round at a time: the app and a dispatcher share a clock the test
sets, and the dispatcher sends through httpx's MockTransport to a receiver in the test.

Nothing runs in the background: a round happens when the test calls ``run_once`` or
``drain``, at the time the test set. So "not yet" and "nothing more" are checked by running
the rounds that would send it, not by waiting to see whether something turns up.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from publishing.clock import SettableClock
from publishing.webhooks.dispatcher import Dispatcher, DispatcherConfig, dispatcher_for
from tests.support.client import ApiClient
from tests.support.clock import clocked_client
from tests.webhooks.harness import Received

HOOK = "https://hooks.example.test/pressroom"
STALL: Literal["stall"] = "stall"  # as an answer: never answer (the attempt times out)
Answer = int | httpx.TransportError | Literal["stall"]


@dataclass
class MockReceiver:
    """Records every request; answers each with the next planned answer (200 by default): a
    status, a transport error raised as the network's, or STALL."""

    requests: list[Received] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    planned: deque[Answer] = field(default_factory=deque)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def answer(self, *answers: Answer) -> None:
        self.planned.extend(answers)

    @property
    def types(self) -> list[str]:
        return [r.json["type"] for r in self.requests]

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(Received(dict(request.headers), request.content.decode()))
        self.urls.append(str(request.url))
        self.arrived.set()
        answer = self.planned.popleft() if self.planned else 200
        if answer == STALL:
            await asyncio.Event().wait()  # until the attempt's time limit cancels it
        if isinstance(answer, httpx.TransportError):
            raise answer
        assert isinstance(answer, int)
        return httpx.Response(answer)


@dataclass
class Stepped:
    api: ApiClient  # the app, with no dispatcher of its own
    clock: SettableClock  # the app's and the dispatcher's
    receiver: MockReceiver
    dispatcher: Dispatcher

    async def drain(self, *, limit: int = 50) -> int:
        """Rounds until one finds nothing due now; the number of deliveries attempted (and
        publications announced). Fails, rather than looping on, after ``limit`` busy rounds."""
        total = 0
        for _ in range(limit):
            attempted = await self.dispatcher.run_once()
            if not attempted:
                return total
            total += attempted
        raise AssertionError(f"the dispatcher still had work after {limit} rounds")

    async def later(self, by: dt.timedelta | float) -> int:
        """Move the clock on by ``by``, then run every round due by then."""
        self.clock.advance(by)
        return await self.drain()


@contextlib.asynccontextmanager
async def stepped(database_url: str, **config: Any) -> AsyncIterator[Stepped]:
    """The app and a dispatcher (``DispatcherConfig`` defaults, overridden by ``config``) on
    one settable clock. Private addresses are allowed unless ``config`` says otherwise, so
    webhooks may point anywhere (no DNS is asked: the receiver is in the test)."""
    settings = {"webhooks_dispatcher": False, "webhooks_allow_private": True}
    dispatcher_config = DispatcherConfig(**{"allow_private": True, **config})
    receiver = MockReceiver()
    async with (
        clocked_client(database_url, **settings) as (api, clock),
        dispatcher_for(
            database_url,
            dispatcher_config,
            clock=clock,
            transport=httpx.MockTransport(receiver.handle),
        ) as dispatcher,
    ):
        yield Stepped(api, clock, receiver, dispatcher)
