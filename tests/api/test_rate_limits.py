"""Rate limiting by cost: the bucket's arithmetic, and budgets through the real app (429,
Retry-After, extensions.cost.throttleStatus) on a clock the tests move."""

from __future__ import annotations

import math
import uuid
from typing import Any

import httpx
import pytest
from redis.exceptions import RedisError

from api.ratelimit import REDIS_PREFIX, Bucket, LocalBudgets, RedisBudgets
from publishing.access import Role
from tests.support.clock import clocked_client, settable_clock
from tests.support.tokens import bearer, issue_token

pytestmark = pytest.mark.anyio

QUERY = "{ languages { code } }"
# A different document with the same cost: answered by execution, never by the cache.
OTHER = "{ languages { code } site: languages { name } }"


# -- the arithmetic --------------------------------------------------------------------------


def test_a_bucket_admits_what_it_holds_and_says_when_the_rest_is_back() -> None:
    bucket = Bucket(maximum=100, rate=10.0)
    charge, level = bucket.take(100.0, 0.0, 0.0, 30)
    assert charge.admitted and level == 70 and charge.status.available == 70
    charge, level = bucket.take(level, 0.0, 0.0, 70)
    assert charge.admitted and level == 0
    charge, level = bucket.take(level, 0.0, 0.0, 25)
    assert not charge.admitted and level == 0
    assert charge.wait == pytest.approx(2.5) and charge.retry_after == 3
    # 2.5 s later it holds exactly 25 points: admitted, and empty again.
    charge, level = bucket.take(level, 0.0, 2.5, 25)
    assert charge.admitted and level == pytest.approx(0)


def test_a_bucket_never_holds_more_than_its_maximum() -> None:
    bucket = Bucket(maximum=100, rate=10.0)
    assert bucket.refilled(0.0, 0.0, 3600.0) == 100
    assert bucket.refilled(40.0, 10.0, 12.0) == 60
    # A clock that went back refills nothing (and takes nothing away).
    assert bucket.refilled(40.0, 10.0, 5.0) == 40


def test_a_cost_above_the_maximum_needs_a_full_budget_not_forever() -> None:
    bucket = Bucket(maximum=100, rate=10.0)
    charge, level = bucket.take(99.0, 0.0, 0.0, 5_000)
    assert not charge.admitted and charge.retry_after == 1
    charge, level = bucket.take(level, 0.0, 0.1, 5_000)
    assert charge.admitted and level == 0


def test_a_whole_second_of_retry_is_not_rounded_up_to_two() -> None:
    charge, _ = Bucket(maximum=100, rate=10.0).take(0.0, 0.0, 0.0, 20)
    assert charge.wait == pytest.approx(2.0) and charge.retry_after == 2


async def test_local_budgets_are_kept_per_client_on_the_clock() -> None:
    clock = settable_clock()
    budgets = LocalBudgets(Bucket(maximum=10, rate=1.0), clock, max_clients=2)
    assert (await budgets.charge("a", 10)).admitted
    assert not (await budgets.charge("a", 1)).admitted
    assert (await budgets.charge("b", 10)).admitted  # another client, its own budget
    clock.advance(1)
    assert (await budgets.charge("a", 1)).admitted
    await budgets.charge("c", 1)  # a third client: the least recently charged ("b") goes
    assert (await budgets.charge("b", 10)).admitted  # forgotten: back with a full budget


# -- through the app -------------------------------------------------------------------------


async def _post(http: httpx.AsyncClient, query: str, **headers: str) -> httpx.Response:
    return await http.post("/graphql", json={"query": query}, headers=headers)


def _cost(response: httpx.Response) -> dict[str, Any]:
    cost: dict[str, Any] = response.json()["extensions"]["cost"]
    return cost


async def test_a_throttled_client_gets_429_at_its_budgets_arithmetic(demo_url: str) -> None:
    async with clocked_client(
        demo_url, response_cache=False, rate_limit_points=1_000, rate_limit_restore_rate=7
    ) as (api, clock):
        first = await _post(api.http, QUERY)
        assert first.status_code == 200
        cost = _cost(first)["requested"]
        assert 1 < cost < 1_000
        assert _cost(first)["throttleStatus"] == {
            "maximumAvailable": 1_000,
            "currentlyAvailable": 1_000 - cost,
            "restoreRate": 7,
        }
        admitted = 1_000 // cost
        for n in range(2, admitted + 1):
            response = await _post(api.http, QUERY)
            assert response.status_code == 200, response.text
            assert _cost(response)["throttleStatus"]["currentlyAvailable"] == 1_000 - n * cost

        refused = await _post(api.http, QUERY)
        left = 1_000 - admitted * cost
        wait = math.ceil((cost - left) / 7)
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == str(wait)
        body = refused.json()
        assert body["data"] is None
        [error] = body["errors"]
        assert error["extensions"] == {"code": "THROTTLED", "retryAfter": wait}
        assert body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == left

        # A refused operation takes nothing: one second short, it is still refused.
        clock.advance(wait - 1)
        assert (await _post(api.http, QUERY)).status_code == 429
        clock.advance(1)
        again = await _post(api.http, QUERY)
        assert again.status_code == 200, again.text
        assert "errors" not in again.json()


async def test_tokens_and_addresses_have_budgets_of_their_own(demo_url: str) -> None:
    token = await issue_token(demo_url, Role.CONTRIBUTOR)
    async with clocked_client(
        demo_url, response_cache=False, rate_limit_points=100, rate_limit_restore_rate=1
    ) as (api, _clock):
        while (await _post(api.http, QUERY)).status_code == 200:
            pass
        assert (await _post(api.http, QUERY)).status_code == 429
        with_token = await _post(api.http, QUERY, **bearer(token))
        assert with_token.status_code == 200
        status = _cost(with_token)["throttleStatus"]
        assert status["currentlyAvailable"] == 100 - _cost(with_token)["requested"]


async def test_mutations_are_charged_too(fresh_demo_url: str) -> None:
    token = await issue_token(fresh_demo_url, Role.ADMIN)
    mutation = """mutation {
      createTag(input: {slug: "budget", names: [{language: "en", name: "Budget"}]}) {
        ... on CreateTagSuccess { tag { id } }
      }
    }"""
    async with clocked_client(
        fresh_demo_url, rate_limit_points=1_000, rate_limit_restore_rate=1
    ) as (api, _clock):
        response = await _post(api.http, mutation, **bearer(token))
        assert response.status_code == 200, response.text
        assert "errors" not in response.json()
        cost = _cost(response)
        assert cost["throttleStatus"]["currentlyAvailable"] == 1_000 - cost["requested"]


async def test_a_cached_answer_costs_one_point_and_reports_no_budget(demo_url: str) -> None:
    async with clocked_client(demo_url, rate_limit_restore_rate=0.5) as (api, clock):
        miss = await _post(api.http, QUERY)
        assert miss.headers["x-pressroom-cache"] == "miss"
        # An answer other readers will get from the cache says nothing of this one's budget.
        assert set(_cost(miss)) == {"requested", "limit"}
    cost = _cost(miss)["requested"]
    async with clocked_client(
        demo_url, rate_limit_points=cost + 2, rate_limit_restore_rate=0.5
    ) as (api, clock):
        assert (await _post(api.http, QUERY)).headers["x-pressroom-cache"] == "miss"
        for _ in range(2):
            hit = await _post(api.http, QUERY)
            assert hit.status_code == 200 and hit.headers["x-pressroom-cache"] == "hit"
        refused = await _post(api.http, QUERY)
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "2"  # 1 point at 0.5 a second
        assert refused.headers["cache-control"] == "no-store"
        body = refused.json()
        assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
        assert body["extensions"]["cost"]["requested"] == 1
        clock.advance(2)
        assert (await _post(api.http, QUERY)).headers["x-pressroom-cache"] == "hit"


async def test_persisted_queries_go_through_the_same_budget(demo_url: str) -> None:
    import hashlib

    sha = hashlib.sha256(OTHER.encode()).hexdigest()
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": sha}}
    async with clocked_client(
        demo_url, response_cache=False, rate_limit_points=1_000, rate_limit_restore_rate=1
    ) as (api, _clock):
        registered = await api.http.post("/graphql", json={"query": OTHER, "extensions": persisted})
        cost = _cost(registered)["requested"]
        spent = cost
        while True:
            response = await api.http.post("/graphql", json={"extensions": persisted})
            if response.status_code != 200:
                break
            spent += cost
            assert _cost(response)["throttleStatus"]["currentlyAvailable"] == 1_000 - spent
        assert response.status_code == 429
        assert spent == (1_000 // cost) * cost


async def test_rate_limiting_can_be_turned_off(demo_url: str) -> None:
    async with clocked_client(
        demo_url, response_cache=False, rate_limit=False, rate_limit_points=1
    ) as (api, _clock):
        for _ in range(3):
            response = await _post(api.http, QUERY)
            assert response.status_code == 200
            assert "throttleStatus" not in _cost(response)


async def test_an_unreachable_redis_admits_requests_unlimited(demo_url: str) -> None:
    async with clocked_client(
        demo_url, redis_url="redis://127.0.0.1:1/0", response_cache=False, rate_limit_points=1
    ) as (api, _clock):
        for _ in range(3):
            response = await _post(api.http, QUERY)
            assert response.status_code == 200, response.text
            assert "throttleStatus" not in _cost(response)


async def test_redis_budgets_keep_the_same_arithmetic_for_every_process() -> None:
    redis_asyncio = pytest.importorskip("redis.asyncio")
    redis = redis_asyncio.from_url("redis://127.0.0.1:6379/11")
    try:
        await redis.ping()
    except (RedisError, OSError):
        await redis.aclose()
        pytest.skip("no Redis at 127.0.0.1:6379")
    clock = settable_clock()
    bucket = Bucket(maximum=100, rate=10.0)
    # Two processes' views of the same Redis; a client no other run uses.
    one, two = RedisBudgets(redis, bucket, clock), RedisBudgets(redis, bucket, clock)
    client = f"test:{uuid.uuid4().hex}"
    try:
        first = await one.charge(client, 30)
        assert first is not None and first.admitted and first.status.available == 70
        refused = await two.charge(client, 80)
        assert refused is not None and not refused.admitted
        assert refused.wait == pytest.approx(1.0) and refused.retry_after == 1
        clock.advance(1)
        admitted = await two.charge(client, 80)
        assert admitted is not None and admitted.admitted
        assert admitted.status.available == pytest.approx(0)
        assert await redis.pttl(REDIS_PREFIX + client) > 0  # it expires once full again
    finally:
        await redis.delete(REDIS_PREFIX + client)
        await redis.aclose()
