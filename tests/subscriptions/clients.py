"""Subscription clients for tests: graphql-transport-ws over WebSocket (the `websockets`
package) and graphql-sse's distinct connections mode over HTTP (httpx streaming)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
from sqlalchemy import text
from websockets.asyncio.client import ClientConnection, connect

from publishing.db import create_engine

# Seconds a test waits for a message before it fails (a bound, not a measurement).
PATIENCE = 60.0

CHANGE_FIELDS = "changeId kind articleId language article { title status }"
ARTICLES_CHANGED = (
    "subscription($language: String, $after: String) {"
    f" articlesChanged(language: $language, after: $after) {{ {CHANGE_FIELDS} }} }}"
)
ARTICLE_CHANGED = (
    "subscription($id: ID!, $after: String) {"
    f" articleChanged(id: $id, after: $after) {{ {CHANGE_FIELDS} }} }}"
)


async def newest_change(database_url: str) -> str:
    """The newest change id in the log: subscribing `after` it receives every later change,
    however long the subscription takes to start."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            newest = await connection.scalar(
                text("SELECT coalesce(max(id), 0) FROM content_changes")
            )
    finally:
        await engine.dispose()
    return str(newest)


class Socket:
    """One graphql-transport-ws connection."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.next_id = 0

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        self.next_id += 1
        operation = str(self.next_id)
        payload = {"query": query, "variables": variables or {}}
        await self.send({"id": operation, "type": "subscribe", "payload": payload})
        return operation

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def receive(self) -> dict[str, Any]:
        """The next message other than a ping (answered)."""
        async with _patience():
            while True:
                frame = await self.connection.recv()
                # Text frames only, as graphql-ws (and a browser, which hands a binary frame
                # over as a Blob) reads them.
                assert isinstance(frame, str), f"a binary frame: {frame!r}"
                message: dict[str, Any] = json.loads(frame)
                if message["type"] == "ping":
                    await self.send({"type": "pong"})
                    continue
                return message

    async def change(self) -> dict[str, Any]:
        """The next change delivered (a `next` message); fails on anything else."""
        message = await self.receive()
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message
        change: dict[str, Any] = message["payload"]["data"]
        return next(iter(change.values()))


@contextlib.asynccontextmanager
async def socket(
    graphql_url: str, token: str | None = None, *, init: dict[str, Any] | None = None
) -> AsyncIterator[Socket]:
    url = graphql_url.replace("http://", "ws://")
    async with connect(url, subprotocols=["graphql-transport-ws"]) as connection:  # type: ignore[list-item]
        client = Socket(connection)
        payload = (
            init if init is not None else ({"Authorization": f"Bearer {token}"} if token else {})
        )
        await client.send({"type": "connection_init", "payload": payload})
        ack = await client.receive()
        assert ack["type"] == "connection_ack", ack
        # graphql-ws's client refuses an acknowledgement whose payload is not an object.
        assert "payload" not in ack or isinstance(ack["payload"], dict), ack
        yield client


class EventStream:
    """One graphql-sse stream (distinct connections mode)."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.lines = response.aiter_lines()

    async def event(self) -> tuple[str, Any]:
        """The next event's name and data (JSON, or None when empty); comments skipped."""
        name, data = "", ""
        async with _patience():
            async for line in self.lines:
                if line.startswith(":"):
                    continue
                if line.startswith("event:"):
                    name = line.partition(":")[2].strip()
                elif line.startswith("data:"):
                    data += line.partition(":")[2].strip()
                elif not line and name:
                    return name, json.loads(data) if data else None
        raise AssertionError("the stream ended")

    async def change(self) -> dict[str, Any]:
        name, data = await self.event()
        assert name == "next", (name, data)
        assert "errors" not in data, data
        return next(iter(data["data"].values()))  # type: ignore[no-any-return]


@contextlib.asynccontextmanager
async def event_stream(
    http: httpx.AsyncClient,
    graphql_url: str,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
) -> AsyncIterator[EventStream]:
    headers = {"Accept": "text/event-stream"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = {"query": query, "variables": variables or {}}
    async with http.stream("POST", graphql_url, json=body, headers=headers) as response:
        assert response.status_code == 200, await response.aread()
        assert response.headers["content-type"].startswith("text/event-stream")
        yield EventStream(response)


def _patience() -> contextlib.AbstractAsyncContextManager[None]:
    import asyncio

    return asyncio.timeout(PATIENCE)
