"""Where the time comes from.

Services never read the time themselves: an operation takes ``now`` from its caller, and a
long-running loop (the webhook dispatcher, the response cache's freshness check) holds a
``Clock`` and reads it once per round. The HTTP app reads its clock once per request and once
per mutation; the CLI commands use the system clock. Tests hand the app a ``SettableClock``
and move time forward instead of sleeping until it comes.

Only domain time comes from here (publication times, retries, leases, signatures). Timeouts
on I/O and the pause between polls stay on the event loop's own clock: they bound real waits.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

__all__ = ["SYSTEM_CLOCK", "Clock", "SettableClock", "SystemClock"]


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


SYSTEM_CLOCK = SystemClock()


class SettableClock:
    """A clock that stands still until it is set or advanced."""

    def __init__(self, start: dt.datetime) -> None:
        self._now = _utc(start)

    def now(self) -> dt.datetime:
        return self._now

    def set(self, moment: dt.datetime) -> None:
        self._now = _utc(moment)

    def advance(self, by: dt.timedelta | float) -> dt.datetime:
        """Move forward by ``by`` (a timedelta, or seconds); returns the new time."""
        step = by if isinstance(by, dt.timedelta) else dt.timedelta(seconds=by)
        if step < dt.timedelta(0):
            raise ValueError("A clock only moves forward; use set() to go back.")
        self._now += step
        return self._now

    def __repr__(self) -> str:
        return f"SettableClock({self._now.isoformat()})"


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("A clock keeps timezone-aware times; got a naive datetime.")
    return moment.astimezone(dt.UTC)
