"""Isolation: heavy operations wait in a lane of their own, light ones never do; heavy queries
execute on an event loop of their own; PostgreSQL bounds every statement by the request
deadline. Orders and counts, never timings."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import create_async_engine

from api.faults import bound_database_waits
from api.heavy import HeavyLoop
from publishing.db import create_engine
from schema import build_schema
from schema.fairness import HeavyLane, Overloaded
from tests.support.client import api_client
from tests.support.clock import settable_clock

pytestmark = pytest.mark.anyio

# 1 + 20 * (1 + 1): above the threshold the tests set.
HEAVY = "{ languages { code name } }"
LIGHT = "{ site { name } }"


async def _until(condition: object) -> None:
    """Let the event loop run until ``condition()`` holds (the requests under test are on
    this loop: each turn lets them advance)."""
    for _ in range(10_000):
        if condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0)
    raise AssertionError("the condition never held")


async def test_the_lane_serves_in_order_and_refuses_past_its_queue() -> None:
    lane = HeavyLane(threshold=10, concurrency=1, queue=2)
    assert lane.is_heavy(11) and not lane.is_heavy(10)
    order: list[str] = []
    release = asyncio.Event()

    async def operation(name: str) -> None:
        async with lane.place():
            order.append(name)
            await release.wait()

    first = asyncio.create_task(operation("first"))
    await _until(lambda: lane.running == 1)
    second = asyncio.create_task(operation("second"))
    third = asyncio.create_task(operation("third"))
    await _until(lambda: lane.waiting == 2)
    assert lane.full
    with pytest.raises(Overloaded):
        async with lane.place():
            pass
    release.set()
    await asyncio.gather(first, second, third)
    assert order == ["first", "second", "third"]
    assert lane.running == 0 and lane.waiting == 0


async def test_a_wait_cut_off_gives_its_place_up() -> None:
    lane = HeavyLane(threshold=10, concurrency=1, queue=2)
    release = asyncio.Event()

    async def hold() -> None:
        async with lane.place():
            await release.wait()

    holder = asyncio.create_task(hold())
    await _until(lambda: lane.running == 1)
    waiter = asyncio.create_task(hold())
    await _until(lambda: lane.waiting == 1)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert lane.waiting == 0
    release.set()
    await holder
    assert lane.running == 0
    async with lane.place():  # the place is free again
        assert lane.running == 1


async def test_an_operation_the_lane_refuses_is_never_charged() -> None:
    lane = HeavyLane(threshold=10, concurrency=1, queue=1)
    charged: list[str] = []
    answering = asyncio.Event()  # the budget's store answers when set
    release = asyncio.Event()

    def paying(name: str) -> Callable[[], Coroutine[Any, Any, None]]:
        async def pay() -> None:
            charged.append(name)
            await answering.wait()

        return pay

    async def operation(name: str) -> None:
        async with lane.place(first=paying(name)):
            await release.wait()

    first = asyncio.create_task(operation("first"))
    await _until(lambda: charged == ["first"])
    # Queued while its charge is still under way: the queue is full already.
    second = asyncio.create_task(operation("second"))
    await _until(lambda: charged == ["first", "second"])
    with pytest.raises(Overloaded):
        async with lane.place(first=paying("third")):
            pass
    assert charged == ["first", "second"]
    answering.set()
    release.set()
    await asyncio.gather(first, second)
    assert lane.running == 0 and lane.waiting == 0


async def test_a_refused_charge_gives_the_place_up() -> None:
    lane = HeavyLane(threshold=10, concurrency=1, queue=1)

    async def throttled() -> None:
        raise RuntimeError("throttled")

    with pytest.raises(RuntimeError):
        async with lane.place(first=throttled):
            pass
    assert lane.running == 0 and lane.waiting == 0
    async with lane.place():
        assert lane.running == 1


async def _post(http: httpx.AsyncClient, query: str) -> httpx.Response:
    return await http.post("/graphql", json={"query": query})


async def test_light_operations_pass_heavy_ones_waiting_for_the_lane(demo_url: str) -> None:
    async with api_client(
        demo_url,
        response_cache=False,
        clock=settable_clock(),
        rate_limit_points=1_000,
        rate_limit_restore_rate=1,
        heavy_cost=30,
        heavy_concurrency=1,
        heavy_queue=1,
    ) as api:
        lane: HeavyLane = api.state["heavy_lane"]
        async with lane.place():  # the lane's one place is taken
            queued = asyncio.create_task(_post(api.http, HEAVY))
            await _until(lambda: lane.waiting == 1)
            # A light operation is answered while the heavy one still waits.
            light = await _post(api.http, LIGHT)
            assert light.status_code == 200 and "errors" not in light.json()
            assert light.json()["extensions"]["cost"]["requested"] <= 30
            assert lane.waiting == 1 and not queued.done()
            # With the queue full, the next heavy operation is refused at once.
            refused = await _post(api.http, HEAVY)
            assert refused.status_code == 503
            assert refused.headers["retry-after"] == "1"
            [error] = refused.json()["errors"]
            assert error["extensions"] == {"code": "OVERLOADED", "retryAfter": 1}
            assert "throttleStatus" not in refused.json()["extensions"]["cost"]
        answered = await queued
        assert answered.status_code == 200 and "errors" not in answered.json()
        assert lane.running == 0 and lane.waiting == 0
        # The refused operation cost the client nothing: the budget paid for the others only.
        last = await _post(api.http, LIGHT)
        heavy = answered.json()["extensions"]["cost"]["requested"]
        light_cost = last.json()["extensions"]["cost"]["requested"]
        status = last.json()["extensions"]["cost"]["throttleStatus"]
        assert status["currentlyAvailable"] == 1_000 - heavy - 2 * light_cost


async def test_waiting_for_the_lane_counts_against_the_deadline(demo_url: str) -> None:
    async with api_client(
        demo_url,
        response_cache=False,
        rate_limit=False,
        heavy_cost=30,
        heavy_concurrency=1,
        database_timeout=0.5,
    ) as api:
        lane: HeavyLane = api.state["heavy_lane"]
        async with lane.place():
            response = await _post(api.http, HEAVY)
        assert response.status_code == 200
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "UNAVAILABLE"
        assert lane.waiting == 0


def _threads_reading(engine: Any) -> set[str]:
    """Names of the threads ``engine`` runs statements from, filled in as they run."""
    names: set[str] = set()

    def seen(*_: Any) -> None:
        names.add(threading.current_thread().name)

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    return names


def _heavy_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "pressroom-heavy"]


async def test_a_heavy_query_executes_apart_and_answers_as_it_would_here(demo_url: str) -> None:
    async with api_client(demo_url, response_cache=False, rate_limit=False) as api:
        here = await _post(api.http, HEAVY)  # light at the default threshold
    async with api_client(
        demo_url, response_cache=False, clock=settable_clock(), heavy_cost=30
    ) as api:
        executor: HeavyLoop = api.state["heavy_executor"]
        assert len(_heavy_threads()) == 1
        serving = _threads_reading(api.state["engine"])
        apart = _threads_reading(executor.engine)
        heavy = await _post(api.http, HEAVY)
        assert apart == {"pressroom-heavy"} and not serving
        light = await _post(api.http, LIGHT)
        assert serving == {threading.current_thread().name} and apart == {"pressroom-heavy"}
        assert light.status_code == 200 and "errors" not in light.json()
        # The same answer; the cost reported, and charged, as for any operation.
        assert heavy.status_code == 200
        assert heavy.json()["data"] == here.json()["data"]
        cost = heavy.json()["extensions"]["cost"]
        assert cost["requested"] == here.json()["extensions"]["cost"]["requested"] > 30
        status = cost["throttleStatus"]
        assert status["currentlyAvailable"] == status["maximumAvailable"] - cost["requested"]
    # Stopped with the app: no thread, loop or engine left behind.
    assert not _heavy_threads()


async def test_no_extension_hooks_into_resolvers() -> None:
    # A heavy query executes apart without Strawberry's resolver middleware
    # (schema.fairness.execute_apart): an extension with a `resolve` hook would be skipped.
    for production in (False, True):
        extensions = build_schema(production=production).get_extensions()
        assert extensions and not any(e._implements_resolve() for e in extensions)


# A statement that waits for a lock the test holds: only PostgreSQL readers wait for writers.
@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_a_heavy_query_cut_off_at_the_deadline_stops_apart(demo_url: str) -> None:
    holder = create_async_engine(demo_url)
    try:
        async with (
            api_client(demo_url, response_cache=False, heavy_cost=30, database_timeout=1) as api,
            holder.connect() as locking,
        ):
            await locking.execute(text("LOCK TABLE languages IN ACCESS EXCLUSIVE MODE"))
            response = await _post(api.http, HEAVY)
            assert response.status_code == 200
            [error] = response.json()["errors"]
            assert error["extensions"]["code"] == "UNAVAILABLE"
            assert response.json()["data"] is None
            await locking.rollback()
            # The lane is free again and the executor answers the next heavy query.
            answered = await _post(api.http, HEAVY)
            assert answered.status_code == 200 and "errors" not in answered.json()
            assert api.state["heavy_lane"].running == 0
    finally:
        await holder.dispose()


# SQLite has no statement timeout: its statements are interrupted (the test below).
@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_postgresql_bounds_each_statement_by_the_request_deadline(demo_url: str) -> None:
    async with (
        api_client(demo_url, database_timeout=2.5) as api,
        api.state["engine"].connect() as connection,
    ):
        assert await connection.scalar(text("SHOW statement_timeout")) == "2500ms"


# Counts to ROWS, calling tick() once a row: the ticks say how far it got.
ROWS = 200_000_000
COUNTING = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < :rows) "
    "SELECT count(tick()) FROM c"
)


# PostgreSQL stops it by statement_timeout (the test above).
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_sqlite_statement_cut_off_at_the_deadline_stops(demo_url: str) -> None:
    ticks = [0]
    workers: list[threading.Thread] = []

    def tick() -> int:
        ticks[0] += 1
        if not workers:
            workers.append(threading.current_thread())  # aiosqlite's thread
        return 1

    engine = create_engine(demo_url, timeout=5)
    bound_database_waits(engine, 5)

    @event.listens_for(engine.sync_engine, "connect")
    def _functions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.create_function("tick", 0, tick)

    try:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.3), engine.connect() as connection:
                await connection.execute(text(COUNTING), {"rows": ROWS})
        assert workers, "the statement never started"
        await asyncio.to_thread(workers[0].join)  # the connection's thread has ended
        assert 0 < ticks[0] < ROWS  # the statement stopped where it was
    finally:
        await engine.dispose()
