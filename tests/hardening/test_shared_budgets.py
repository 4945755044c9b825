"""Rate limits across API processes: two `pressroom serve` processes sharing Redis keep one
budget per client between them; the client is the X-Forwarded-For address only when the
connection comes from a trusted proxy. Isolation across them: with both processes' heavy
lanes taken and queued, each answers light queries and refuses heavy ones past its queue."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from api.ratelimit import REDIS_PREFIX
from tests.hardening.servers import ApiServer, running_server

# A database of its own on the shared Redis: no other test's keys, and none of ours in theirs.
REDIS_URL = "redis://127.0.0.1:6379/11"
QUERY = "{ languages { code } }"
POINTS = 1_000
# Next to nothing comes back while the test runs (it is on the real clock).
RATE = 0.001


@pytest.fixture
def redis_url() -> Iterator[str]:
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    # Budgets refill so slowly here that they would outlive the test: none is left behind
    # (the untrusting process charges 127.0.0.1 itself).
    budgets = f"{REDIS_PREFIX}*"
    client.delete(*client.keys(budgets) or [REDIS_PREFIX])
    yield REDIS_URL
    client.delete(*client.keys(budgets) or [REDIS_PREFIX])
    client.close()


def _ask(server: ApiServer, address: str) -> httpx.Response:
    return httpx.post(
        server.graphql_url,
        json={"query": QUERY},
        headers={"X-Forwarded-For": address},
        timeout=30,
    )


def _available(response: httpx.Response) -> Any:
    return response.json()["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]


def test_two_processes_share_each_clients_budget(
    fresh_demo_url: str, redis_url: str, tmp_path: Path
) -> None:
    # Addresses no other run uses (documentation prefix, random): budgets of their own.
    client, other = (f"2001:db8::{uuid.uuid4().hex[:4]}:{n}" for n in (1, 2))
    settings = {
        "redis_url": redis_url,
        "response_cache": False,
        "rate_limit_points": POINTS,
        "rate_limit_restore_rate": RATE,
    }
    with (
        running_server(fresh_demo_url, tmp_path, **settings) as first,
        running_server(fresh_demo_url, tmp_path, **settings) as second,
        running_server(
            fresh_demo_url, tmp_path, **settings, trusted_proxies="10.0.0.0/8"
        ) as untrusting,
    ):
        opening = _ask(first, client)
        assert opening.status_code == 200, opening.text
        cost = opening.json()["extensions"]["cost"]["requested"]
        admitted, spent = 1, cost
        assert _available(opening) == POINTS - spent
        # Turn about between the processes: each charge lands on the one budget.
        servers = (second, first)
        while True:
            response = _ask(servers[admitted % 2], client)
            if response.status_code != 200:
                break
            admitted += 1
            spent += cost
            assert _available(response) == POINTS - spent
        assert admitted == POINTS // cost
        assert response.status_code == 429
        assert response.json()["errors"][0]["extensions"]["code"] == "THROTTLED"
        # Refused by both processes now.
        for server in (first, second):
            assert _ask(server, client).status_code == 429

        # Another address (as the trusted proxy on 127.0.0.1 tells it) has its own budget.
        fresh = _ask(second, other)
        assert fresh.status_code == 200
        assert _available(fresh) == POINTS - cost

        # A process that does not trust 127.0.0.1 as a proxy ignores X-Forwarded-For: the
        # exhausted address it names is not the one charged.
        ignored = _ask(untrusting, client)
        assert ignored.status_code == 200, ignored.text


# Reads the tags table (cost 41: heavy above the threshold below); the light one does not.
HEAVY = "{ tags { slug name } }"
LIGHT = "{ site { name } }"
HEAVY_COST = 30


async def _send(
    http: httpx.AsyncClient, server: ApiServer, query: str, address: str
) -> httpx.Response:
    return await http.post(
        server.graphql_url, json={"query": query}, headers={"X-Forwarded-For": address}
    )


async def _lock_waiters(engine: AsyncEngine, count: int) -> None:
    """Until ``count`` statements wait for a lock: the heavy queries holding their processes'
    places are blocked on the test's lock, mid-execution. Asked outside a transaction, which
    would see one snapshot of pg_stat_activity throughout."""
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock'"
    )
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        for _ in range(600):
            if await connection.scalar(waiting) >= count:
                return
            await asyncio.sleep(0.1)
    raise AssertionError(f"{count} statements never waited for the lock")


@pytest.mark.postgres
@pytest.mark.anyio
async def test_two_processes_isolate_heavy_queries_and_share_the_budget(
    postgres_demo_copy: str, redis_url: str, tmp_path: Path
) -> None:
    """The heavy queries hold their places deterministically: each blocks on a lock the test
    holds on the table it reads (as the in-process tests hold the lane's place themselves)."""
    client = f"2001:db8::{uuid.uuid4().hex[:4]}:1"
    settings = {
        "redis_url": redis_url,
        "response_cache": False,
        "rate_limit_points": POINTS * 10,
        "rate_limit_restore_rate": RATE,
        "heavy_cost": HEAVY_COST,
        "heavy_concurrency": 1,
        "heavy_queue": 1,
        # Longer than the test holds the lock: no heavy query reaches its deadline.
        "database_timeout": 120,
    }
    holder = create_async_engine(postgres_demo_copy)
    try:
        with (
            running_server(postgres_demo_copy, tmp_path, **settings) as first,
            running_server(postgres_demo_copy, tmp_path, **settings) as second,
        ):
            servers = (first, second)
            async with (
                httpx.AsyncClient(timeout=120) as http,
                holder.connect() as locking,
            ):
                await locking.execute(text("LOCK TABLE tags IN ACCESS EXCLUSIVE MODE"))
                # One heavy query of the client's takes each process's one place and blocks.
                holding = [
                    asyncio.create_task(_send(http, server, HEAVY, client)) for server in servers
                ]
                await _lock_waiters(holder, 2)
                queued: list[asyncio.Task[httpx.Response]] = []
                lights: list[httpx.Response] = []
                for number, server in enumerate(servers):
                    # Two more from other clients: one takes the queue's place, the other
                    # finds it full and is refused at once (which is which is the race's).
                    others = {
                        asyncio.create_task(_send(http, server, HEAVY, f"{client}{number}{n}"))
                        for n in (1, 2)
                    }
                    done, pending = await asyncio.wait(others, return_when=asyncio.FIRST_COMPLETED)
                    [refused] = [task.result() for task in done]
                    assert refused.status_code == 503, refused.text
                    assert refused.headers["retry-after"] == "1"
                    [error] = refused.json()["errors"]
                    assert error["extensions"] == {"code": "OVERLOADED", "retryAfter": 1}
                    queued.extend(pending)
                    # The light query is answered while the heavy ones hold and wait.
                    light = await _send(http, server, LIGHT, client)
                    assert light.status_code == 200 and "errors" not in light.json()
                    lights.append(light)
                    assert not any(task.done() for task in (*holding, *queued))
                assert len(queued) == 2
                await locking.rollback()  # the heavy queries go on
                answers = await asyncio.gather(*holding, *queued)
            for answer in answers:
                assert answer.status_code == 200 and "errors" not in answer.json()
                assert answer.json()["data"]["tags"]
            # One budget for the client across both processes: each light answer reports it
            # after both heavy queries and the light ones before it, wherever they ran.
            heavy = answers[0].json()["extensions"]["cost"]["requested"]
            light_cost = lights[0].json()["extensions"]["cost"]["requested"]
            assert heavy > HEAVY_COST >= light_cost
            assert [_available(light) for light in lights] == [
                POINTS * 10 - 2 * heavy - light_cost,
                POINTS * 10 - 2 * heavy - 2 * light_cost,
            ]
    finally:
        await holder.dispose()
