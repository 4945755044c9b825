"""Request limits enforced before any GraphQL work: body size, and one operation per request.

A body over the limit is refused with 413 as soon as its declared length or the bytes read so
far exceed it, so a client cannot make the server read (or hold) more than the limit. Bodies
within it are held, then handed to the application unchanged.

An upload (a ``multipart/form-data`` POST to the GraphQL endpoint) has a limit of its own, the
largest media file plus room for the form around it, and is passed on as it arrives, counted
but never held: the endpoint spools its file to disk.

Batches (a JSON array of operations) are refused: each operation in a batch would get the
full cost limit, so a batch multiplies what one request may cost; clients send operations one
per request (HTTP/2 and keep-alive make that cheap, and single GET queries can be cached).
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Error bodies have the GraphQL shape, so clients read them like any other error.
BODY_TOO_LARGE = "BODY_TOO_LARGE"
BATCH_NOT_SUPPORTED = "BATCH_NOT_SUPPORTED"
# Room for an upload's form beside its file: the operation, the map, part headers.
UPLOAD_OVERHEAD = 1_048_576


def _error(message: str, extensions: dict[str, object], status: int) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": extensions}]}, status)


def too_large(limit: int) -> JSONResponse:
    # Sent at once; the server discards the rest of the body without holding it (closing the
    # connection instead could reset it before the client reads this answer).
    return _error(
        f"The request body is larger than the limit of {limit:,} bytes.",
        {"code": BODY_TOO_LARGE, "limit": limit},
        413,
    )


def batch_refused() -> JSONResponse:
    return _error(
        "Batched operations are not accepted: send one operation per request, as a JSON "
        "object with `query` (and `variables`, `operationName`), not an array.",
        {"code": BATCH_NOT_SUPPORTED},
        400,
    )


class RequestLimits:
    """ASGI middleware: refuses oversized bodies (413) and batched GraphQL requests (400)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_upload_bytes: int | None = None,
        graphql_path: str = "/graphql",
    ):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes
        self.graphql_path = graphql_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if self.max_upload_bytes is not None and self._is_upload(scope, headers):
            await self._pass_upload(self.max_upload_bytes, scope, receive, send)
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await too_large(self.max_body_bytes)(scope, receive, send)
            return

        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break  # the client went away; let the application see it
            size += len(message.get("body", b""))
            if size > self.max_body_bytes:
                await too_large(self.max_body_bytes)(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

        if scope["path"] == self.graphql_path and _is_batch(messages):
            await batch_refused()(scope, receive, send)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    def _is_upload(self, scope: Scope, headers: Headers) -> bool:
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        return (
            scope["method"] == "POST"
            and scope["path"] == self.graphql_path
            and content_type == "multipart/form-data"
        )

    async def _pass_upload(self, limit: int, scope: Scope, receive: Receive, send: Send) -> None:
        """Hand the body on as it arrives; past ``limit``, answer 413 and end the body there
        (the application sees the client go, and its own answer is dropped)."""
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await too_large(limit)(scope, receive, send)
            return
        size = 0
        refused = False

        async def counted() -> Message:
            nonlocal size, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    refused = True
                    await too_large(limit)(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            if not refused:
                await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not refused:
                raise


def _is_batch(messages: list[Message]) -> bool:
    """A JSON array body: its first non-blank byte is '['."""
    for message in messages:
        chunk = message.get("body", b"").lstrip()
        if chunk:
            return chunk[:1] == b"["
    return False
