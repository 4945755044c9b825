"""Rate limits across API processes: two `pressroom serve` processes sharing Redis keep one
budget per client between them; the client is the X-Forwarded-For address only when the
connection comes from a trusted proxy."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

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
