"""The HTTP side of the caching edge: a GraphQL request as the edge reads it, the endpoint run
with its answer captured, and answers sent with the edge's headers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.envelope import dumps, read_envelope

JSON_HEADERS = [(b"content-type", b"application/json")]


def is_upload(scope: Scope) -> bool:
    """A multipart form (the GraphQL multipart request spec): the edge never reads it."""
    content_type = Headers(scope=scope).get("content-type", "")
    return content_type.split(";")[0].strip().lower() == "multipart/form-data"


def is_event_stream(scope: Scope) -> bool:
    """A request for a stream of Server-Sent Events (the graphql-sse protocol)."""
    accept = Headers(scope=scope).get("accept", "")
    return any(
        part.split(";")[0].strip().lower() == "text/event-stream" for part in accept.split(",")
    )


@dataclass(frozen=True)
class GraphQLRequest:
    """A GET or POST to the GraphQL endpoint, its body read once (the endpoint gets a copy)."""

    scope: Scope
    body: bytes
    # The GraphQL parameters; empty for a GET without any (the IDE page).
    params: dict[str, Any]

    @classmethod
    async def read(cls, scope: Scope, receive: Receive) -> GraphQLRequest:
        """The request with its envelope read; raises api.envelope.EnvelopeError when that
        cannot be read (the body is read all the same, so the answer can be sent)."""
        body = await _read_body(receive) if scope["method"] == "POST" else b""
        params = read_envelope(
            scope["method"],
            scope.get("query_string", b""),
            Headers(scope=scope).get("content-type", ""),
            body,
        )
        return cls(scope, body, params)

    @cached_property
    def headers(self) -> Headers:
        return Headers(scope=self.scope)

    @property
    def method(self) -> str:
        return str(self.scope["method"])

    @property
    def anonymous(self) -> bool:
        return "authorization" not in self.headers

    @property
    def names_an_operation(self) -> bool:
        """Whether it sends a document, or names a persisted one."""
        params = self.params
        return bool(params.get("query") or params.get("extensions") or params.get("documentId"))

    @property
    def operation_name(self) -> str | None:
        name = self.params.get("operationName")
        return name if isinstance(name, str) and name else None

    def receive(self, then: Receive | None = None) -> Receive:
        """The body again, for the endpoint to read; after it, ``then`` (the connection's
        own: a stream waits on it for the client to go), else at once a disconnect."""
        sent = False

        async def receive() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"} if then is None else await then()
            sent = True
            return {"type": "http.request", "body": self.body, "more_body": False}

        return receive

    def with_document(self, document: str) -> GraphQLRequest:
        """The request as the endpoint must see it: with the persisted document filled in."""
        params = {**self.params, "query": document}
        scope = dict(self.scope)
        if self.method == "GET":
            encoded = {k: v if isinstance(v, str) else dumps(v).decode() for k, v in params.items()}
            scope["query_string"] = urlencode(encoded).encode("latin-1")
            return GraphQLRequest(scope, self.body, params)
        body = dumps(params)
        MutableHeaders(scope=scope)["content-length"] = str(len(body))
        return GraphQLRequest(scope, body, params)

    def cache_key(self, document: str) -> str:
        """Same document, operation and variables, asked of the same origin: same answer (for
        the same viewer). The origin counts: absolute media URLs (structured data, social
        images) start with the address the request reached the API at."""
        variables = self.params.get("variables") or {}
        digest = hashlib.sha256(document.encode())
        digest.update(b"\0" + str(HTTPConnection(self.scope).base_url).encode())
        digest.update(b"\0" + (self.operation_name or "").encode() + b"\0")
        digest.update(dumps(variables, sort_keys=True))
        return digest.hexdigest()


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


@dataclass
class Captured:
    """An answer of the endpoint, held back so the edge can set its headers."""

    status: int = 500
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)


async def run_captured(app: ASGIApp, scope: Scope, receive: Receive) -> Captured:
    captured = Captured()

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            captured.status = message["status"]
            captured.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            captured.chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return captured


async def send_answer(
    send: Send,
    status: int,
    body: bytes,
    headers: dict[str, str],
    base: list[tuple[bytes, bytes]] = JSON_HEADERS,
) -> None:
    """``base`` headers (the endpoint's own, say) with ``headers`` set over them."""
    names = {name.lower().encode("latin-1") for name in headers}
    raw = [(k, v) for k, v in base if k.lower() not in names and k.lower() != b"content-length"]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    if status != 304:
        raw.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": b"" if status == 304 else body})


def etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
