"""Time that tests set: the app, its webhook dispatcher and its cache run on a clock that
stands still until a test moves it, so "later" costs no waiting and "not yet" is exact."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

from publishing.clock import SYSTEM_CLOCK, SettableClock
from tests.support.client import ApiClient, api_client


def settable_clock(start: dt.datetime | None = None) -> SettableClock:
    """A clock at ``start``, or at the real time to the whole second (so times read back from
    the database, or through a signature's Unix seconds, compare equal)."""
    return SettableClock(start or SYSTEM_CLOCK.now().replace(microsecond=0))


@contextlib.asynccontextmanager
async def clocked_client(
    database_url: str, clock: SettableClock | None = None, **settings: Any
) -> AsyncIterator[tuple[ApiClient, SettableClock]]:
    """The app on ``database_url`` with a clock the test moves (a new one unless given)."""
    clock = clock or settable_clock()
    async with api_client(database_url, clock=clock, **settings) as api:
        yield api, clock
