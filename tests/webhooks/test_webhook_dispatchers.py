"""Dispatchers that die or compete: no event is lost, none is sent twice at the same time."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from publishing.access import Role
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine, create_sessionmaker
from publishing.webhooks.delivery import USER_AGENT
from publishing.webhooks.dispatcher import Dispatcher, DispatcherConfig
from tests.support.client import api_client
from tests.support.tokens import bearer, issue_token
from tests.webhooks.harness import (
    FAST,
    STALL,
    Receiver,
    create_webhook,
    retitle,
    signature_is_valid,
    wait_until_settled,
)

PRESSROOM = str(Path(sys.executable).with_name("pressroom"))
STORIES = [
    ("en", "turkiyes-gas-hub-ambition"),
    ("tr", "turkiyenin-gaz-merkezi-hedefi"),
    ("en", "the-future-of-nuclear-verification"),
    ("en", "arms-control-without-a-treaty"),
    ("en", "drought-on-the-anatolian-plateau"),
]


class CountingDispatcher(Dispatcher):
    """Counts the rounds it has finished, so a test can wait for more of them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rounds = 0
        self._finished = asyncio.Event()

    async def run_once(self) -> int:
        try:
            return await super().run_once()
        finally:
            self.rounds += 1
            self._finished.set()

    async def more_rounds(self, count: int, *, within: float = 20.0) -> None:
        """Once ``count`` more rounds have finished (each would send anything then due)."""
        target = self.rounds + count
        async with asyncio.timeout(within):
            while self.rounds < target:
                self._finished.clear()
                await self._finished.wait()


def _environment(database_url: str, **overrides: str) -> dict[str, str]:
    settings = {f"PRESSROOM_{name.upper()}": str(value) for name, value in FAST.items()}
    return {**os.environ, "PRESSROOM_DATABASE_URL": database_url, **settings, **overrides}


async def _worker(database_url: str, *args: str, **settings: str) -> asyncio.subprocess.Process:
    """`pressroom webhooks run` as an operator starts it, with quick test timings."""
    return await asyncio.create_subprocess_exec(
        PRESSROOM,
        "webhooks",
        "run",
        *args,
        env=_environment(database_url, **settings),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _stop(process: asyncio.subprocess.Process) -> str:
    """SIGTERM: the worker finishes its round and exits cleanly; returns its log."""
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0, stderr.decode()
    return stderr.decode()


async def test_a_worker_run_once_delivers_what_is_due_and_exits(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with Receiver() as receiver:
        async with api_client(fresh_demo_url, **FAST, webhooks_dispatcher=False) as api:
            await create_webhook(api, admin, receiver.url, ["ARTICLE_UPDATED"])
            await retitle(api, editor, STORIES[1], "Delivered by cron")
        once = await _worker(fresh_demo_url, "--once")
        stdout, stderr = await asyncio.wait_for(once.communicate(), 30)
    assert once.returncode == 0, stderr.decode()
    assert stdout.decode().strip() == "Attempted 1 deliveries."
    assert [r.json["article"]["title"] for r in receiver.requests] == ["Delivered by cron"]
    assert "delivered" in stderr.decode()  # one log line per delivery


def test_a_worker_refuses_a_lease_shorter_than_the_timeout() -> None:
    env = _environment(
        "sqlite+aiosqlite:///unused.db",
        PRESSROOM_WEBHOOKS_TIMEOUT="30",
        PRESSROOM_WEBHOOKS_LEASE="5",
    )
    result = subprocess.run(
        [PRESSROOM, "webhooks", "run"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "pressroom: The webhook lease (5 s) must be longer than the timeout (30 s)."
    ]


async def test_a_dispatcher_killed_mid_delivery_loses_nothing(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with Receiver() as receiver:
        async with api_client(fresh_demo_url, **FAST, webhooks_dispatcher=False) as api:
            created = await create_webhook(api, admin, receiver.url, ["ARTICLE_UPDATED"])
            await retitle(api, editor, STORIES[0], "Sent twice, received at least once")
        receiver.answer(STALL)  # the first attempt hangs until its sender dies

        # The test timings' lease (3 s): the second worker waits it out on the real clock. A
        # shorter one lapsed again under a loaded machine while the retry was being recorded.
        first = await _worker(fresh_demo_url)
        try:
            await receiver.wait_for(1)
        finally:
            first.kill()  # mid-delivery: claimed, sent, no answer recorded
            await first.communicate()

        second = await _worker(fresh_demo_url)
        try:
            # The first claim lapses (the lease), then the second worker retries.
            requests = await receiver.wait_for(2)
            async with api_client(fresh_demo_url, webhooks_dispatcher=False) as api:
                [delivery] = await wait_until_settled(api, admin, count=1)
        finally:
            log = await _stop(second)
    assert requests[0].body == requests[1].body  # the same event, byte for byte
    assert all(signature_is_valid(created["secret"], r) for r in requests)
    assert requests[1].json["article"]["title"] == "Sent twice, received at least once"
    assert (delivery["status"], delivery["attempts"]) == ("DELIVERED", 2)
    assert "Traceback" not in log


async def test_two_dispatchers_deliver_each_event_exactly_once(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    events = 30
    async with (
        Receiver(delay=0.02) as receiver,
        api_client(fresh_demo_url, **FAST, webhooks_dispatcher=False) as api,
    ):
        await create_webhook(api, admin, receiver.url, ["ARTICLE_UPDATED"])
        for n in range(events // 2):
            await retitle(api, editor, STORIES[n % len(STORIES)], f"Change {n}")

        # Two dispatchers, each with its own connections, as two processes would have;
        # small batches so their rounds interleave. Each names itself in its User-Agent.
        # A lease no stall on a shared machine outlasts: a lapsed claim is sent again by
        # design (at least once), which is not what this test is about.
        config = DispatcherConfig(
            timeout=5, lease=60, poll_interval=0.02, allow_private=True, batch_size=3
        )
        engines = [create_engine(fresh_demo_url, for_writes=True) for _ in range(2)]
        readers = [create_engine(fresh_demo_url) for _ in range(2)]
        stop = asyncio.Event()
        clients = [
            httpx.AsyncClient(trust_env=False, headers={"User-Agent": f"{USER_AGENT} #{i}"})
            for i in range(2)
        ]
        dispatchers = [
            CountingDispatcher(
                create_sessionmaker(readers[i]),
                create_sessionmaker(engines[i]),
                config,
                clients[i],
                clock=SYSTEM_CLOCK,
            )
            for i in range(2)
        ]
        runs = [asyncio.create_task(d.run(stop)) for d in dispatchers]
        try:
            # More events while both are busy.
            for n in range(events // 2, events):
                await retitle(api, editor, STORIES[n % len(STORIES)], f"Change {n}")
            await receiver.wait_for(events)
            found = await wait_until_settled(api, admin, count=events)
            # Three more rounds each, all with nothing due: a second sending of any event
            # would have gone out in one of them.
            await asyncio.gather(*(d.more_rounds(3) for d in dispatchers))
        finally:
            stop.set()
            await asyncio.gather(*runs)
            for client in clients:
                await client.aclose()
            for engine in engines + readers:
                await engine.dispose()

    sent = Counter(r.json["id"] for r in receiver.requests)
    assert len(sent) == events
    assert set(sent.values()) == {1}, [event for event, n in sent.items() if n > 1]
    assert {d["status"] for d in found} == {"DELIVERED"}
    assert {d["attempts"] for d in found} == {1}
    # Both took part: the work was really shared, not done by one while the other idled.
    senders = Counter(r.headers["user-agent"] for r in receiver.requests)
    assert set(senders) == {f"{USER_AGENT} #0", f"{USER_AGENT} #1"}, senders
