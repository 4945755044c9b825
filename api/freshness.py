"""Whether a cached answer may still be served: checked against the database's change log.

Every process reads the same log, whoever wrote to it (another API replica, a CLI import), so
each knows, per surrogate key, the id of the last change that touched it. An entry is good
while no change to any of its keys came after the id it was computed at, no scheduled article
became visible after it was computed, and the enabled languages are the same.

By default the log is checked before every cached read, so a write is visible on the very
next read, whichever process made it. The check is one indexed statement, and concurrent
requests share one: a request waits for a check that started after it arrived, never for an
older one, and the check it joins answers for everyone waiting. ``interval`` (seconds) lets a
process trust a check that recent instead, trading that much staleness for fewer statements.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from api.cache_store import Entry
from publishing.changes import log
from publishing.clock import Clock
from publishing.surrogate import listing_key, page_listing_key

# Changes read per check; past that (or past MAX_TRACKED keys) everything is dropped instead.
MAX_CHANGES = 1_000
# A key every change touches: answers that any write may change carry it (a lookup that found
# nothing, lists of authors or tags).
ANY_CHANGE = "changes:any"
MAX_TRACKED = 100_000


class Freshness:
    def __init__(
        self,
        engine: AsyncEngine,
        *,
        clock: Clock,
        interval: float = 0.0,
        on_check: Callable[[float], None] | None = None,
    ) -> None:
        # A bare connection, no session: the check is one small statement, and an ORM session
        # around it would cost more than the statement itself.
        self.engine = engine
        self.clock = clock
        self.interval = interval
        # Told how many seconds each completed check took (the metrics).
        self.on_check = on_check
        # Newest change id applied; None until the first check.
        self.seen: int | None = None
        # Entries computed before this change id are not trusted (startup, bulk loads).
        self.floor = 0
        # Surrogate key -> id of the last change that touched it (only those after `floor`).
        self.versions: dict[str, int] = {}
        # Entries computed before this Unix time are not trusted: a scheduled article went
        # public then.
        self.time_floor = 0.0
        self.next_publication: float | None = None
        self.languages: frozenset[str] = frozenset()
        self.checks = 0
        self._started = 0
        self._completed = 0
        self._last_check = 0.0
        self._inflight: asyncio.Future[None] | None = None

    @property
    def listing_keys(self) -> frozenset[str]:
        """The keys of every language's listings (what a newly visible article changes)."""
        return frozenset(listing_key(code) for code in self.languages)

    @property
    def page_listing_keys(self) -> frozenset[str]:
        """The keys of every language's page listings."""
        return frozenset(page_listing_key(code) for code in self.languages)

    async def sync(self) -> None:
        """Return once every change committed before this call is applied."""
        if self.interval and time.monotonic() - self._last_check < self.interval:
            return
        need = self._started + 1
        while self._completed < need:
            if self._inflight is None:
                self._started += 1
                self._inflight = asyncio.ensure_future(self._check(self._started))
                # When every request waiting on a check was cut off at its deadline, nobody
                # reads its failure; asyncio would log it as never retrieved.
                self._inflight.add_done_callback(_retrieve)
            await asyncio.shield(self._inflight)

    def valid(self, entry: Entry) -> bool:
        if self.seen is None or entry.seen < self.floor or entry.computed_at < self.time_floor:
            return False
        versions = self.versions
        return all(versions.get(key, 0) <= entry.seen for key in entry.keys)

    async def _check(self, number: int) -> None:
        try:
            self._last_check = started = time.monotonic()
            now = self.clock.now()
            try:
                mark, changes = await self._read(now)
            except DBAPIError as error:
                if not error.connection_invalidated:
                    raise
                # A pooled connection the database dropped (a restart): once more, on a new
                # one. The engine has no pre-ping, which would cost a round trip every check.
                mark, changes = await self._read(now)
            self._apply(mark, changes, now.timestamp())
            self.checks += 1
            if self.on_check is not None:
                self.on_check(time.monotonic() - started)
            self._completed = number
        finally:
            self._inflight = None

    async def _read(
        self, now: dt.datetime
    ) -> tuple[log.Watermark, list[tuple[int, frozenset[str]]]]:
        async with self.engine.connect() as connection:
            mark = await log.watermark(connection, now)
            changes: list[tuple[int, frozenset[str]]] = []
            if self.seen is None:
                # No history yet: entries another process stored (Redis) are good if
                # computed at the newest change and after the latest publication.
                latest = await log.last_publication(connection, now)
                self.time_floor = 0.0 if latest is None else latest.timestamp()
                self._reset(mark.newest, self.time_floor)
            elif mark.newest > self.seen:
                changes = await log.changes_since(connection, self.seen, limit=MAX_CHANGES + 1)
        return mark, changes

    def _apply(
        self, mark: log.Watermark, changes: list[tuple[int, frozenset[str]]], now: float
    ) -> None:
        if self.seen is None:
            pass  # the first check set the floors
        elif mark.newest < self.seen or mark.languages != self.languages:
            # A log that went backwards (a restored database) or other languages: nothing
            # cached before is trusted.
            self._reset(mark.newest, now)
        elif mark.newest > self.seen:
            expected = self.seen + 1
            if (
                len(changes) > MAX_CHANGES
                or not changes
                or changes[0][0] != expected
                or any(log.EVERYTHING in keys for _, keys in changes)
            ):
                # Too many, a gap (pruned rows, a rolled-back id) or a bulk load: start over.
                self._reset(mark.newest, now)
            else:
                for change_id, keys in changes:
                    for key in keys:
                        self.versions[key] = change_id
                    # A row with no keys is a draft's change, for subscribers: no answer a
                    # reader got can depend on it.
                    if keys:
                        self.versions[ANY_CHANGE] = change_id
                if len(self.versions) > MAX_TRACKED:
                    self._reset(mark.newest, now)
        self.seen = mark.newest
        self.languages = mark.languages
        if self.next_publication is not None and self.next_publication <= now:
            self.time_floor = max(self.time_floor, self.next_publication)
        upcoming = mark.next_publication
        self.next_publication = None if upcoming is None else upcoming.timestamp()

    def _reset(self, newest: int, now: float) -> None:
        # Both floors: the change id may not have moved (languages changed, or no log yet).
        self.floor = newest
        self.time_floor = max(self.time_floor, now)
        self.versions.clear()


def _retrieve(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()
