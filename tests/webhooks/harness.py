"""A local webhook receiver (raw asyncio HTTP on 127.0.0.1) for the end-to-end tests, and the
GraphQL calls every webhook test shares."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import time
from collections import deque
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from tests.support.client import ApiClient

STALL = 0  # as an answer: hold the request open, never answer

# Quick rounds for tests: private addresses allowed (the receiver is on 127.0.0.1).
FAST = {
    "webhooks_allow_private": True,
    "webhooks_poll_interval": 0.05,
    "webhooks_retry_delay": 0.1,
    "webhooks_timeout": 2.0,
    "webhooks_lease": 3.0,
}

RESULT = """
  __typename
  ... on UserError { message }
  ... on ValidationError { issues { path code message } }
"""
WEBHOOK_FIELDS = "id url events description active createdAt updatedAt"
DELIVERY_FIELDS = """id eventId eventType occurredAt status attempts lastStatusCode lastError
  nextAttemptAt lastAttemptAt deliveredAt createdAt"""
CREATE = f"""mutation($input: CreateWebhookInput!) {{ createWebhook(input: $input) {{
  {RESULT}
  ... on CreateWebhookSuccess {{ secret signingSecret webhook {{ {WEBHOOK_FIELDS} }} }}
}} }}"""
ARTICLE = """query($language: String!, $slug: String!) {
  article(language: $language, slug: $slug) { id version } }"""
UPDATE_ARTICLE = f"""mutation($input: UpdateArticleInput!) {{ updateArticle(input: $input) {{
  {RESULT} ... on UpdateArticleSuccess {{ article {{ id version }} }} }} }}"""
DELIVERIES = f"""query($first: Int!) {{ webhooks {{ {WEBHOOK_FIELDS}
  recentDeliveries(first: $first) {{ {DELIVERY_FIELDS} }} }} }}"""


@dataclass
class Received:
    headers: dict[str, str]  # lower-case names
    body: str

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Records every request; answers each with the next planned status (200 by default)."""

    requests: list[Received] = field(default_factory=list)
    planned: deque[int] = field(default_factory=deque)
    delay: float = 0.0  # seconds before each answer
    _server: asyncio.Server | None = None
    _release: asyncio.Event = field(default_factory=asyncio.Event)
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    @property
    def url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/hooks/pressroom"

    def answer(self, *codes: int) -> None:
        """The statuses of the next requests, in order (STALL holds one open)."""
        self.planned.extend(codes)

    async def __aenter__(self) -> Receiver:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._release.set()
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), 5)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            self.requests.append(Received(headers, body.decode()))
            self._arrived.set()
            code = self.planned.popleft() if self.planned else 200
            if code == STALL:
                await self._release.wait()
                return
            await asyncio.sleep(self.delay)
            writer.write(
                f"HTTP/1.1 {code} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode()
            )
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def wait_for(self, count: int, *, within: float = 20.0) -> list[Received]:
        """Once at least ``count`` requests have arrived; fails after ``within`` seconds."""
        try:
            async with asyncio.timeout(within):
                while len(self.requests) < count:
                    self._arrived.clear()
                    await self._arrived.wait()
        except TimeoutError:
            raise AssertionError(
                f"expected {count} webhook requests within {within:g} s, got "
                f"{len(self.requests)}: {[r.json['type'] for r in self.requests]}"
            ) from None
        return self.requests


def signature_is_valid(
    secret: str, request: Received, *, now: float | None = None, tolerance: int = 300
) -> bool:
    """What the README tells receivers to do, written out independently of the sender; ``now``
    is the receiver's Unix time (the real time unless given)."""
    parts = dict(item.split("=", 1) for item in request.headers["pressroom-signature"].split(","))
    timestamp = int(parts["t"])
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = hmac.new(
        secret.encode(), f"{timestamp}.{request.body}".encode(), hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


async def create_webhook(
    api: ApiClient, headers: dict[str, str], url: str, events: list[str], **fields: Any
) -> dict[str, Any]:
    result = await api.data(
        CREATE, {"input": {"url": url, "events": events, **fields}}, headers=headers
    )
    created: dict[str, Any] = result["createWebhook"]
    assert created["__typename"] == "CreateWebhookSuccess", created
    return created


async def deliveries(api: ApiClient, headers: dict[str, str], first: int = 50) -> list[Any]:
    """Every delivery of every webhook, newest first within each webhook."""
    data = await api.data(DELIVERIES, {"first": first}, headers=headers)
    return [d for hook in data["webhooks"] for d in hook["recentDeliveries"]]


async def wait_until_settled(
    api: ApiClient, headers: dict[str, str], *, count: int, within: float = 20.0
) -> list[Any]:
    """Polls until ``count`` deliveries exist and none is pending or in flight."""
    deadline = time.monotonic() + within
    while True:
        found = await deliveries(api, headers)
        settled = [d for d in found if d["status"] in ("DELIVERED", "FAILED")]
        if len(found) >= count and len(settled) == len(found):
            return found
        assert time.monotonic() < deadline, f"deliveries did not settle: {found}"
        await asyncio.sleep(0.05)


async def graphql(
    api: ApiClient, query: str, variables: dict[str, Any], headers: dict[str, str], name: str
) -> dict[str, Any]:
    """Runs a mutation and insists it succeeded; returns its result."""
    result: dict[str, Any] = (await api.data(query, variables, headers=headers))[name]
    assert result["__typename"].endswith("Success"), result
    return result


async def article_of(api: ApiClient, editor: dict[str, str], key: tuple[str, str]) -> Any:
    """The article's id and version, as an editor reads them."""
    data = await api.data(ARTICLE, {"language": key[0], "slug": key[1]}, headers=editor)
    return data["article"]


async def retitle(api: ApiClient, editor: dict[str, str], key: tuple[str, str], title: str) -> None:
    """An editor's change: one event for a visible article."""
    article = await article_of(api, editor, key)
    variables = {"id": article["id"], "expectedVersion": article["version"], "title": title}
    await graphql(api, UPDATE_ARTICLE, {"input": variables}, editor, "updateArticle")
