"""Budgets of cost points, kept per client: in this process, or in Redis for every process.

A budget is a token bucket: it holds at most ``maximum`` points, refills continuously at
``rate`` points a second by the app's clock, and an operation is admitted when the bucket
holds its estimated cost, which is then taken (schema.fairness). A cost above ``maximum`` is
counted as ``maximum``: such an operation needs a full budget, and is not refused forever.

Clients: a token (by a digest of it, never the secret itself) or, without one, the client's
address. ``pressroom serve`` takes that address from ``X-Forwarded-For`` only when the
connection comes from one of ``PRESSROOM_TRUSTED_PROXIES`` (uvicorn's proxy-headers
handling, given that setting): here it is ``scope["client"]`` as the server hands it over.

With Redis, one Lua script reads, refills, charges and writes a bucket in a single atomic
round trip, so processes sharing it share each client's budget exactly. Redis unreachable:
the request is admitted unlimited (fail-open) and a warning logged at most once a minute;
limiting resumes when Redis answers again. An API that stops answering because its limiter's
store is down would turn a Redis outage into an outage of the API.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import orjson
from redis.exceptions import RedisError
from starlette.types import Scope

from publishing.clock import Clock
from schema.fairness import Charge, ThrottleStatus, throttled

logger = logging.getLogger(__name__)

REDIS_PREFIX = "pressroom:budget:"
# What one answer from the response cache costs.
CACHED_ANSWER_COST = 1
# Seconds between two warnings that budgets cannot be kept.
_WARN_EVERY = 60.0


@dataclass(frozen=True, slots=True)
class Bucket:
    """The arithmetic of one budget; ``level`` and ``updated`` are its stored state."""

    maximum: int
    rate: float  # points a second

    def refilled(self, level: float, updated: float, now: float) -> float:
        return min(float(self.maximum), level + max(0.0, now - updated) * self.rate)

    def take(self, level: float, updated: float, now: float, cost: int) -> tuple[Charge, float]:
        """The charge, and the level to store at ``now``."""
        level = self.refilled(level, updated, now)
        wanted = min(cost, self.maximum)
        if wanted <= level:
            level -= wanted
            return Charge(True, self.status(level)), level
        return Charge(False, self.status(level), (wanted - level) / self.rate), level

    def status(self, level: float) -> ThrottleStatus:
        return ThrottleStatus(self.maximum, level, self.rate)


class LocalBudgets:
    """Budgets of this process; the least recently charged go first past ``max_clients``
    (a forgotten client comes back with a full budget)."""

    def __init__(self, bucket: Bucket, clock: Clock, *, max_clients: int = 100_000) -> None:
        self.bucket = bucket
        self.clock = clock
        self.max_clients = max_clients
        self._levels: OrderedDict[str, tuple[float, float]] = OrderedDict()

    async def charge(self, client: str, cost: int) -> Charge | None:
        now = self.clock.now().timestamp()
        level, updated = self._levels.pop(client, (float(self.bucket.maximum), now))
        charge, level = self.bucket.take(level, updated, now, cost)
        self._levels[client] = (level, now)
        while len(self._levels) > self.max_clients:
            self._levels.popitem(last=False)
        return charge


# KEYS[1]: the bucket; ARGV: maximum, rate, now (seconds), cost. One atomic step: refill,
# charge if it holds enough, store, expire once it would be full again anyway. Numbers go
# back as strings: Redis would truncate a Lua number to an integer.
_CHARGE = """
local maximum = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local wanted = math.min(tonumber(ARGV[4]), maximum)
local state = redis.call('HMGET', KEYS[1], 'level', 'updated')
local level = tonumber(state[1]) or maximum
local updated = tonumber(state[2]) or now
level = math.min(maximum, level + math.max(0, now - updated) * rate)
local admitted = 0
local wait = 0
if wanted <= level then
  level = level - wanted
  admitted = 1
else
  wait = (wanted - level) / rate
end
redis.call('HSET', KEYS[1], 'level', tostring(level), 'updated', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((maximum - level) / rate * 1000) + 1000)
return {admitted, tostring(level), tostring(wait)}
"""


class RedisBudgets:
    """Budgets shared by every process using the same Redis."""

    def __init__(self, redis: Any, bucket: Bucket, clock: Clock) -> None:
        self.bucket = bucket
        self.clock = clock
        self._script = redis.register_script(_CHARGE)
        self._warned_at = -_WARN_EVERY

    async def charge(self, client: str, cost: int) -> Charge | None:
        bucket = self.bucket
        now = self.clock.now().timestamp()
        try:
            admitted, level, wait = await self._script(
                keys=[REDIS_PREFIX + client], args=[bucket.maximum, bucket.rate, now, cost]
            )
        except (RedisError, OSError) as error:
            if time.monotonic() - self._warned_at >= _WARN_EVERY:
                self._warned_at = time.monotonic()
                logger.warning("rate limits not enforced: Redis unreachable (%s)", error)
            return None
        status = bucket.status(float(level))
        return Charge(bool(admitted), status, float(wait))


Budgets = LocalBudgets | RedisBudgets


def open_budgets(*, maximum: int, rate: float, clock: Clock, redis: Any | None) -> Budgets:
    bucket = Bucket(maximum, rate)
    return LocalBudgets(bucket, clock) if redis is None else RedisBudgets(redis, bucket, clock)


def client_key(scope: Scope) -> str:
    """Whose budget a request is charged to: its bearer token's, else its address's."""
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            return "token:" + hashlib.sha256(value.strip()).hexdigest()[:32]
    client = scope.get("client")
    return "address:" + (str(client[0]) if client else "unknown")


@dataclass(frozen=True, slots=True)
class ClientBudget:
    """The budget of the client behind one request (schema.fairness.Budget)."""

    budgets: Budgets
    client: str

    async def charge(self, cost: int) -> Charge | None:
        return await self.budgets.charge(self.client, cost)


async def refuse_cached_answer(scope: Scope, limit: int) -> tuple[bytes, str] | None:
    """Charge an answer from the response cache to the client's budget: None when admitted,
    else the 429's body and Retry-After."""
    budgets: Budgets | None = scope.get("state", {}).get("budgets")
    if budgets is None:
        return None
    charge = await budgets.charge(client_key(scope), CACHED_ANSWER_COST)
    if charge is None or charge.admitted:
        return None
    cost = {
        "requested": CACHED_ANSWER_COST,
        "limit": limit,
        "throttleStatus": charge.status.as_extension(),
    }
    body = {
        "data": None,
        "errors": [throttled(charge, CACHED_ANSWER_COST).formatted],
        "extensions": {"cost": cost},
    }
    return orjson.dumps(body), str(charge.retry_after)
