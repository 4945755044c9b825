"""Where cached responses live: this process's memory by default, Redis when configured.

Entries are never trusted by themselves: each carries the change-log id and the time it was
computed at, and the surrogate keys of what it holds, and ``api.freshness`` decides on every
read whether a later change or publication spoiled it. So a store only keeps bytes; no
invalidation has to reach into it, and a stale entry is simply replaced.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson
from redis.exceptions import RedisError

from publishing.clock import Clock

REDIS_PREFIX = "pressroom:response:"


@dataclass(frozen=True, slots=True)
class Entry:
    body: bytes
    etag: str
    keys: frozenset[str]
    # The newest change-log id the process had seen before computing it.
    seen: int
    # Unix time the answer was computed at (before any database read of it), by the app's clock.
    computed_at: float
    # The answer's body in content codings (api.compression), made when it was stored, so a
    # hit is sent as it is. The identity (``body``) is kept as well: a client that takes no
    # coding costs no decompression, and sitemaps and feeds read it.
    encoded: dict[str, bytes] = field(default_factory=dict)

    @property
    def size(self) -> int:
        coded = sum(len(data) for data in self.encoded.values())
        return len(self.body) + coded + 40 * len(self.keys) + 200

    def encode(self) -> bytes:
        codings = [[coding, len(data)] for coding, data in self.encoded.items()]
        head = orjson.dumps([self.etag, sorted(self.keys), self.seen, self.computed_at, codings])
        return b"".join([head, b"\n", *self.encoded.values(), self.body])

    @classmethod
    def decode(cls, raw: bytes) -> Entry:
        head, _, rest = raw.partition(b"\n")
        etag, keys, seen, computed_at, codings = orjson.loads(head)
        encoded = {}
        for coding, length in codings:
            encoded[coding], rest = rest[:length], rest[length:]
        return cls(rest, etag, frozenset(keys), seen, computed_at, encoded)


class StoreUnavailable(Exception):
    """The store cannot be reached: that costs the cache (answers are computed, not kept),
    never the answer."""


class Store(Protocol):
    async def get(self, key: str) -> Entry | None: ...
    async def put(self, key: str, entry: Entry) -> None: ...
    async def close(self) -> None: ...


class LocalStore:
    """Least recently used entries go first once ``max_bytes`` is reached; none outlives
    ``ttl`` seconds (a backstop: freshness is checked on every read anyway)."""

    def __init__(self, *, max_bytes: int, ttl: float, clock: Clock) -> None:
        self.max_bytes = max_bytes
        self.ttl = ttl
        self.clock = clock
        self.bytes = 0
        self._entries: OrderedDict[str, Entry] = OrderedDict()

    async def get(self, key: str) -> Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.computed_at + self.ttl < self.clock.now().timestamp():
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry

    async def put(self, key: str, entry: Entry) -> None:
        if entry.size > self.max_bytes // 4:
            return  # one huge answer must not push out everything else
        self._drop(key)
        self._entries[key] = entry
        self.bytes += entry.size
        while self.bytes > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self.bytes -= evicted.size

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self.bytes -= entry.size

    def __len__(self) -> int:
        return len(self._entries)

    async def close(self) -> None:
        self._entries.clear()
        self.bytes = 0


class RedisStore:
    """Entries shared by every API process; Redis expires them after ``ttl`` seconds."""

    def __init__(self, redis: Any, *, ttl: float) -> None:
        self.redis = redis
        self.ttl = max(1, int(ttl))

    async def get(self, key: str) -> Entry | None:
        try:
            raw = await self.redis.get(REDIS_PREFIX + key)
        except (RedisError, OSError) as error:
            raise StoreUnavailable(str(error)) from error
        if raw is None:
            return None
        try:
            return Entry.decode(raw)
        except (ValueError, TypeError):
            return None  # not an entry this version wrote: computed again and replaced

    async def put(self, key: str, entry: Entry) -> None:
        try:
            await self.redis.set(REDIS_PREFIX + key, entry.encode(), ex=self.ttl)
        except (RedisError, OSError) as error:
            raise StoreUnavailable(str(error)) from error

    async def close(self) -> None:
        await self.redis.aclose()
