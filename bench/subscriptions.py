"""Live updates under load: one API process holding many open subscriptions.

Starts ``pressroom serve`` (one worker) on the given database, opens SUBSCRIBERS
subscriptions to one published article (each on its own WebSocket, or its own SSE stream),
(open once each has received a probe edit), then edits the article ROUNDS times through
the API. Prints the server's resident memory
before and with the subscriptions open, and how long each edit took to reach every
subscriber, measured from just before the mutation was sent (so it includes the write):
p50, p99 and max over all deliveries.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import resource
import secrets
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import connect

from bench.run import Options as RunOptions
from bench.run import machine, pressroom_server
from publishing.access import Role
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine, create_sessionmaker
from publishing.tokens.service import create_token

QUERY = (
    "subscription($id: ID!) { articleChanged(id: $id) { changeId kind article { title version } } }"
)
FIRST = "{ articles(first: 1) { edges { node { id version } } } }"
UPDATE = """mutation($input: UpdateArticleInput!) { updateArticle(input: $input) {
  __typename ... on UpdateArticleSuccess { article { version } } } }"""
# Connections opened at once while setting up.
_OPENING = 50


@dataclass
class Options:
    database_url: str
    subscribers: int
    rounds: int
    transport: str
    port: int = 8766


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no memory figures for process {pid}")


async def _token(database_url: str) -> str:
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            issued = await create_token(
                session, f"bench-{secrets.token_hex(3)}", Role.EDITOR, now=SYSTEM_CLOCK.now()
            )
    finally:
        await engine.dispose()
    return issued.token


class Tally:
    """Which titles every subscriber has received."""

    def __init__(self, subscribers: int) -> None:
        self.subscribers = subscribers
        self.counts: Counter[str] = Counter()
        self.complete: defaultdict[str, asyncio.Event] = defaultdict(asyncio.Event)

    def count(self, title: str) -> None:
        self.counts[title] += 1
        if self.counts[title] == self.subscribers:
            self.complete[title].set()


class Subscriber:
    """One subscription; ``arrivals`` maps each change's title to when it arrived."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.arrivals: dict[str, float] = {}
        # Set once its subscription is sent (WebSocket) or its stream answered (SSE).
        self.sent = asyncio.Event()
        self.ready = asyncio.Event()

    def arrived(self, payload: dict[str, Any]) -> None:
        if "errors" in payload:
            raise SystemExit(f"a subscription failed: {payload['errors']}")
        title = payload["data"]["articleChanged"]["article"]["title"]
        self.arrivals[title] = time.perf_counter()
        self.tally.count(title)
        self.ready.set()


async def _over_websocket(
    url: str, variables: dict[str, Any], subscriber: Subscriber, opening: asyncio.Semaphore
) -> None:
    address = url.replace("http://", "ws://")
    protocols: Any = ["graphql-transport-ws"]
    async with contextlib.AsyncExitStack() as stack:
        async with opening:
            ws = await stack.enter_async_context(
                connect(address, subprotocols=protocols, open_timeout=None, ping_interval=None)
            )
            await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            await ws.recv()
            payload = {"query": QUERY, "variables": variables}
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
            subscriber.sent.set()
        async for raw in ws:
            message = json.loads(raw)
            if message["type"] == "ping":
                await ws.send(json.dumps({"type": "pong"}))
            elif message["type"] == "next":
                subscriber.arrived(message["payload"])


async def _over_sse(
    http: httpx.AsyncClient,
    url: str,
    variables: dict[str, Any],
    subscriber: Subscriber,
    opening: asyncio.Semaphore,
) -> None:
    body = {"query": QUERY, "variables": variables}
    headers = {"Accept": "text/event-stream"}
    async with contextlib.AsyncExitStack() as stack:
        async with opening:
            stream = http.stream("POST", url, json=body, headers=headers)
            response = await stack.enter_async_context(stream)
            subscriber.sent.set()
        event = ""
        async for line in response.aiter_lines():
            if line.startswith("event:"):
                event = line.partition(":")[2].strip()
            elif line.startswith("data:") and event == "next":
                subscriber.arrived(json.loads(line.partition(":")[2]))


@contextlib.asynccontextmanager
async def _subscribed(
    options: Options, url: str, variables: dict[str, Any], probe: Callable[[str], Awaitable[None]]
) -> AsyncIterator[list[Subscriber]]:
    tally = Tally(options.subscribers)
    subscribers = [Subscriber(tally) for _ in range(options.subscribers)]
    limits = httpx.Limits(max_connections=options.subscribers + 10)
    async with httpx.AsyncClient(timeout=None, limits=limits) as http:
        opening = asyncio.Semaphore(_OPENING)

        async def follow(subscriber: Subscriber) -> None:
            # At most _OPENING handshakes at once; then each stays open on its own.
            if options.transport == "sse":
                await _over_sse(http, url, variables, subscriber, opening)
            else:
                await _over_websocket(url, variables, subscriber, opening)

        tasks = [asyncio.create_task(follow(s)) for s in subscribers]
        try:
            sent = asyncio.gather(*(s.sent.wait() for s in subscribers))
            done, _ = await asyncio.wait([sent, *tasks], return_when=asyncio.FIRST_COMPLETED)
            if sent not in done:
                next(iter(done)).result()  # a subscription that failed to open: its error
                raise SystemExit("a subscription ended")
            # Open once each has received a change: a probe edit, sent again (rarely) if
            # some subscription was not in place yet when one went out.
            for attempt in range(5):
                title = f"bench: probe {attempt}"
                await probe(title)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(30):
                        await tally.complete[title].wait()
                if all(s.ready.is_set() for s in subscribers):
                    break
            else:
                raise SystemExit("the subscriptions did not all open")
            yield subscribers
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


async def _measure(options: Options, base: str, pid: int) -> dict[str, Any]:
    url = f"{base}/graphql"
    token = await _token(options.database_url)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(timeout=60) as http:
        first = (await http.post(url, json={"query": FIRST})).json()
        edges = first["data"]["articles"]["edges"]
        if not edges:
            raise SystemExit("the database holds no published article: run `pressroom seed-demo`")
        article = edges[0]["node"]

        async def edit(title: str) -> None:
            variables = {
                "input": {
                    "id": article["id"],
                    "expectedVersion": article["version"],
                    "title": title,
                }
            }
            answer = (
                await http.post(
                    url, json={"query": UPDATE, "variables": variables}, headers=headers
                )
            ).json()
            if (
                answer.get("data", {}).get("updateArticle", {}).get("__typename")
                != "UpdateArticleSuccess"
            ):
                raise SystemExit(f"the edit failed: {answer}")
            article["version"] = answer["data"]["updateArticle"]["article"]["version"]

        idle_mb = rss_mb(pid)
        variables = {"id": article["id"]}
        opened = time.perf_counter()
        async with _subscribed(options, url, variables, edit) as subscribers:
            opening_s = time.perf_counter() - opened
            await asyncio.sleep(1)
            held_mb = rss_mb(pid)
            latencies: list[float] = []
            for round_ in range(options.rounds):
                title = f"bench: round {round_}"
                sent = time.perf_counter()
                await edit(title)
                async with asyncio.timeout(60):
                    await subscribers[0].tally.complete[title].wait()
                latencies.extend(s.arrivals[title] - sent for s in subscribers)
                await asyncio.sleep(0.5)
    latencies.sort()
    return {
        "subscribers": options.subscribers,
        "transport": options.transport,
        "rounds": options.rounds,
        "opening_s": round(opening_s, 2),
        "rss_idle_mb": round(idle_mb, 1),
        "rss_with_subscriptions_mb": round(held_mb, 1),
        "rss_delta_mb": round(held_mb - idle_mb, 1),
        "latency_p50_ms": round(statistics.median(latencies) * 1000, 1),
        "latency_p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "latency_max_ms": round(latencies[-1] * 1000, 1),
    }


def main(options: Options) -> None:
    # Each subscription is a socket on both sides.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, options.subscribers * 2 + 256))
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    server = RunOptions(database_url=options.database_url, port=options.port)
    environment = {
        "PRESSROOM_LIVE_MAX_PER_TOKEN": str(options.subscribers + 10),
        "PRESSROOM_WEBHOOKS_DISPATCHER": "false",
        "PRESSROOM_RATE_LIMIT": "false",
    }
    with pressroom_server(server, cached=False, environment=environment) as (base, pid):
        assert pid is not None
        figures = asyncio.run(_measure(options, base, pid))
    print(json.dumps({"machine": machine(), **figures}, indent=2))
