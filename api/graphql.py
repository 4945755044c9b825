"""The GraphQL endpoint: Strawberry's ASGI app with a per-request context."""

from __future__ import annotations

import asyncio
import functools
import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from api.auth import Unauthenticated, actor_for
from api.edge_http import is_event_stream, is_upload
from api.envelope import INVALID_REQUEST, EnvelopeError, read_upload
from api.faults import release_deadline, request_deadline
from api.ratelimit import Budgets, ClientBudget, client_key
from publishing.tokens.service import authenticate
from schema.context import Context
from schema.fairness import OVERLOADED, THROTTLED
from schema.live.feed import LiveAccess

# Key in the request's state of the Outcome a caller wants filled in.
_OUTCOME = "graphql_outcome"
# Key in the request's state marking an answer many readers may get (the response cache's):
# it reports no client's budget.
_SHARED = "graphql_shared_answer"
# HTTP statuses of answers refused before execution for want of capacity (schema.fairness).
_REFUSAL_STATUS = {THROTTLED: 429, OVERLOADED: 503}


@dataclass
class Outcome:
    """What executing the operation gave, for a caller to judge the answer by (the caching
    edge decides what to store from it, never from the serialised bytes)."""

    executed: bool = False
    errors: bool = False
    # A root field answered null: a lookup that found nothing.
    empty_root: bool = False

    def record(self, result: ExecutionResult) -> None:
        self.executed = True
        self.errors = bool(result.errors)
        self.empty_root = result.data is None or any(v is None for v in result.data.values())


def expect_outcome(scope: Scope, *, shared: bool = False) -> tuple[Scope, Outcome]:
    """``scope`` for one run of the endpoint, with an Outcome it fills in once the operation
    has a result (it stays unexecuted when the request never got that far). ``shared``: the
    answer may go to other readers too, so it reports no client's budget."""
    outcome = Outcome()
    state = {**scope.get("state", {}), _OUTCOME: outcome, _SHARED: shared}
    return {**scope, "state": state}, outcome


def refusal(result: ExecutionResult) -> tuple[int, int] | None:
    """(HTTP status, Retry-After seconds) of an operation refused for want of capacity."""
    for error in result.errors or ():
        code = (error.extensions or {}).get("code")
        if code in _REFUSAL_STATUS:
            return _REFUSAL_STATUS[code], int((error.extensions or {}).get("retryAfter", 1))
    return None


# Headers a browser cannot add to a cross-site request without a CORS preflight: a form that
# carries one was not posted by another site's page (multipart forms are "simple" requests).
PREFLIGHT_HEADERS = ("graphql-require-preflight", "apollo-require-preflight")


def upload_refusal(request: Request) -> Response | None:
    """Why a multipart request is refused before its body is read, if it is: no preflight
    header (cross-site request forgery), or no token (only editors upload)."""
    if not any(name in request.headers for name in PREFLIGHT_HEADERS):
        return _refused(
            "Uploads need a 'GraphQL-Require-Preflight: 1' (or 'Apollo-Require-Preflight') header.",
            "PREFLIGHT_HEADER_MISSING",
        )
    if getattr(request.state, "actor", None) is None:
        return _refused(
            "Uploads need a token: send 'Authorization: Bearer <token>'.", "UNAUTHENTICATED"
        )
    return None


def _refused(message: str, code: str) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return Response(orjson.dumps(body), 400, media_type="application/json")


class GraphQLEndpoint(GraphQL[Context, None]):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope, receive)
            try:
                # Resolved before any GraphQL work, so a bad token never reaches a resolver.
                # Past the deadline this raises TimeoutError: a 503 (api.faults).
                async with asyncio.timeout_at(request_deadline(scope)):
                    request.state.actor = await actor_for(request, request.state.sessionmaker)
            except Unauthenticated as refused:
                await refused.response()(scope, receive, send)
                return
            if is_event_stream(scope):
                # A subscription stream lasts as long as its client wants: it is not bound by
                # the request deadline (each of its reads is, by the statement timeout).
                release_deadline(scope)
            if is_upload(scope):
                refusal = upload_refusal(request)
                if refusal is not None:
                    await refusal(scope, receive, send)
                    return
            try:
                await super().__call__(scope, receive, send)
            except EnvelopeError as refused:
                # An upload's form, read here rather than at the edge (api.envelope).
                response = Response(refused.body(), refused.status, media_type="application/json")
                await response(scope, receive, send)
            finally:
                # The context's read session goes back to the pool once the answer is sent.
                context: Context | None = getattr(request.state, "context", None)
                if context is not None:
                    await context.close()
                # An upload's files, spooled to disk by the form parser, are closed (removed).
                parsed: Request | None = getattr(request.state, "graphql_request", None)
                if parsed is not None:
                    await parsed.close()
            return
        if scope["type"] == "websocket":
            connection = HTTPConnection(scope)
            try:
                # A token on the upgrade request (clients that can set headers); browsers
                # send theirs in connection_init (on_ws_connect).
                connection.state.actor = await actor_for(connection, connection.state.sessionmaker)
            except Unauthenticated:
                await WebSocket(scope, receive, send).close(code=4401)
                return
        await super().__call__(scope, receive, send)

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        outcome = request.scope.get("state", {}).get(_OUTCOME)
        if isinstance(outcome, Outcome):
            outcome.record(result)
        refused = refusal(result) if result.data is None else None
        sub_response: Response | None = getattr(request.state, "sub_response", None)
        if refused is not None and sub_response is not None:
            status, retry_after = refused
            sub_response.status_code = status
            sub_response.headers["retry-after"] = str(retry_after)
        return await super().process_result(request, result)

    async def parse_multipart(self, request: Any) -> dict[str, Any]:
        """An upload's operation, read and checked as the edge reads JSON bodies."""
        try:
            form = await request.get_form_data()
        except ValueError:
            raise EnvelopeError(
                "The multipart body cannot be read as a form.", INVALID_REQUEST
            ) from None
        fields = form.form
        return read_upload(fields.get("operations"), fields.get("map"), form.files)

    async def on_ws_connect(self, context: Context) -> dict[str, object] | None:
        """A WebSocket client's token comes in connection_init's payload (browsers cannot set
        headers on a WebSocket): ``{"Authorization": "Bearer <token>"}``. A wrong one closes
        the connection (4403), as a wrong header gets 401 over HTTP."""
        params = context.connection_params
        header = None
        if isinstance(params, dict):
            header = params.get("Authorization") or params.get("authorization")
        if header is None:
            return None  # a header on the upgrade request, or none: a public reader
        scheme, _, token = str(header).strip().partition(" ")
        actor = None
        if scheme.lower() == "bearer" and token.strip():
            async with context.reads.session() as session:
                actor = await authenticate(session, token.strip())
        if actor is None:
            raise ConnectionRejectionError(
                {"message": "The token is not valid: it is unknown, mistyped or revoked."}
            )
        context.actor = actor
        if context.live is not None:
            # Counted as the same token's subscriptions over HTTP are (api.ratelimit.client_key).
            context.live.holder = (
                "token:" + hashlib.sha256(str(header).strip().encode()).hexdigest()[:32]
            )
        return None

    def encode_json(self, data: object) -> bytes:
        # orjson: several times faster than the standard library on large answers.
        return orjson.dumps(data)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        state: Any = request.state
        budgets: Budgets | None = getattr(state, "budgets", None)
        context = Context(
            sessionmaker=state.sessionmaker,
            write_sessionmaker=state.write_sessionmaker,
            clock=state.clock,
            actor=getattr(state, "actor", None),
            webhooks_allow_private=state.settings.webhooks_allow_private,
            media_storage=state.media.storage,
            media_limits=state.media.limits,
            # Past it, the operation answers UNAVAILABLE in-band (schema.deadline).
            deadline=request_deadline(request.scope),
            media_key=functools.partial(state.media.secret, request),
            media_widths=state.media.widths,
            origin=str(request.base_url).rstrip("/"),
            budget=None if budgets is None else ClientBudget(budgets, client_key(request.scope)),
            report_budget=not request.scope.get("state", {}).get(_SHARED, False),
            heavy_lane=getattr(state, "heavy_lane", None),
            machine_translation=state.settings.machine_translation_provider,
            live=_live_access(state, request.scope),
        )
        state.context = context  # for __call__ to close
        if isinstance(response, Response):
            state.sub_response = response  # where process_result sets a refusal's status
        if isinstance(request, Request):
            state.graphql_request = request  # the one that parsed the body, for __call__
        return context


def _live_access(state: Any, scope: Scope) -> LiveAccess | None:
    live = getattr(state, "live", None)
    if live is None:
        return None
    return LiveAccess(
        live, holder=client_key(scope), max_per_connection=state.settings.live_max_per_connection
    )
