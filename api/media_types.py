"""The media type of GraphQL answers, negotiated from ``Accept`` (GraphQL over HTTP).

Two types carry a GraphQL response: ``application/graphql-response+json``, whose status code
tells a request error (4xx, no ``data``) from an executed operation (2xx), and the legacy
``application/json``, always 200 once the operation was read. Before the specification's
"legacy watershed", a server answers ``application/json`` to a client that sends no
``Accept``, or accepts anything (``*/*``): clients of that age cannot read the newer type.
A client naming the newer type gets it, unless it prefers ``application/json`` by its
q-values. An ``Accept`` naming neither is disregarded (``application/json``), as the
specification allows instead of a 406: a browser's ``Accept`` must not break a GET.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from starlette.types import Message, Send

GRAPHQL_RESPONSE_JSON: Final = "application/graphql-response+json"
JSON: Final = "application/json"

_WILDCARDS: Final = ("*/*", "application/*")
_JSON_BYTES: Final = JSON.encode()


def negotiate(accept: str | None) -> str:
    """GRAPHQL_RESPONSE_JSON or JSON, for a request with this ``Accept`` header."""
    if not accept:
        return JSON
    named: dict[str, float] = {}
    wildcard = 0.0
    for part in accept.split(","):
        media_type, *parameters = part.split(";")
        media_type = media_type.strip().lower()
        quality = _quality(parameters)
        if media_type in (GRAPHQL_RESPONSE_JSON, JSON):
            named[media_type] = max(named.get(media_type, 0.0), quality)
        elif media_type in _WILDCARDS:
            wildcard = max(wildcard, quality)
    # A type named outright takes its own q-value; otherwise a wildcard's (RFC 9110 12.5.1).
    newer = named.get(GRAPHQL_RESPONSE_JSON, wildcard)
    legacy = named.get(JSON, wildcard)
    if newer > legacy:
        return GRAPHQL_RESPONSE_JSON
    if newer == legacy > 0 and GRAPHQL_RESPONSE_JSON in named:
        # Equal weight ("application/graphql-response+json, application/json"): the type the
        # client named. Reached through a wildcard only, it is the legacy one.
        return GRAPHQL_RESPONSE_JSON
    return JSON


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value.strip()), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def accepted(headers: Mapping[str, str]) -> str:
    """The negotiated type of a request with these headers."""
    return negotiate(headers.get("accept"))


def answering_as(media_type: str, send: Send) -> Send:
    """``send`` with every JSON answer's ``Content-Type`` set to ``media_type``: refusals
    made before or beside GraphQL (a bad token, a bad envelope, a limit) are GraphQL
    responses too, in the type the client negotiated."""
    if media_type == JSON:
        return send
    value = media_type.encode("latin-1")

    async def send_as(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [_retyped(h, value) for h in message["headers"]]}
        await send(message)

    return send_as


def _retyped(header: tuple[bytes, bytes], value: bytes) -> tuple[bytes, bytes]:
    name, current = header
    if name.lower() == b"content-type" and current.split(b";")[0].strip().lower() == _JSON_BYTES:
        return name, value
    return header


def representation_etag(tag: str, media_type: str) -> str:
    """The ETag of one body served as ``media_type``: the same bytes under another
    Content-Type are another representation (RFC 9110 8.8.3), so they get another tag."""
    if media_type == JSON:
        return tag
    return tag[:-1] + '-gr"'


def without_body(send: Send) -> Send:
    """``send`` for a HEAD request: the headers of the GET answer, its body left out."""

    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return send_head
