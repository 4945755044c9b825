"""The GraphQL endpoint: Strawberry's ASGI app with a per-request context."""

from __future__ import annotations

import asyncio
import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from cross_web import HTTPException
from graphql import GraphQLError
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError, MissingQueryError
from strawberry.http import GraphQLHTTPResponse
from strawberry.http.base import BaseRequestProtocol
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from api.access_log import RequestRecord, record_of
from api.auth import Unauthenticated, actor_for, token_public_id
from api.edge_http import is_event_stream, is_upload
from api.envelope import INVALID_REQUEST, EnvelopeError, read_upload
from api.faults import release_deadline, request_deadline
from api.graphiql import page_response
from api.media_types import GRAPHQL_RESPONSE_JSON, accepted
from api.ratelimit import Budgets, ClientBudget, client_key
from publishing.tokens.service import authenticate
from schema.context import Context
from schema.fairness import OVERLOADED, THROTTLED
from schema.live.feed import LiveAccess
from schema.operations import SELECTION_CODES
from schema.unavailable import UNAVAILABLE

# Key in the request's state of the Outcome a caller wants filled in.
_OUTCOME = "graphql_outcome"
# Key in the request's state marking an answer many readers may get (the response cache's):
# it reports no client's budget.
_SHARED = "graphql_shared_answer"
# HTTP statuses of answers refused before execution for want of capacity (schema.fairness).
_REFUSAL_STATUS = {THROTTLED: 429, OVERLOADED: 503}
# Of any other request error answered as application/graphql-response+json: a database that
# does not answer is the server's failure, everything else (syntax, validation, variables,
# limits) the client's.
_REQUEST_ERROR_STATUS = {UNAVAILABLE: 503}


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


def note_result(record: RequestRecord, result: ExecutionResult, *, charged: bool) -> None:
    """The access log's and the metrics' view of a result: its first error's code, and the
    cost charged when budgets are kept (none when refused for want of budget)."""
    first = result.errors[0] if result.errors else None
    if first is not None:
        record.error = str((first.extensions or {}).get("code") or "ERROR")
    cost = (result.extensions or {}).get("cost")
    if charged and isinstance(cost, dict) and record.error != THROTTLED:
        requested = cost.get("requested")
        record.cost = requested if isinstance(requested, int) else None


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


def _refused(
    message: str, code: str, status: int = 400, headers: dict[str, str] | None = None
) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return Response(orjson.dumps(body), status, headers, media_type="application/json")


def is_request_error(result: ExecutionResult) -> bool:
    """Whether the operation failed before it ran (it did not parse, validate, have its
    variables coerced, or fit the limits): GraphQL over HTTP's "request error", answered
    without `data`. An error raised while running carries the path of its field."""
    errors = result.errors or []
    return result.data is None and bool(errors) and all(error.path is None for error in errors)


def request_error_status(errors: list[GraphQLError]) -> int:
    for error in errors:
        code = _code(error)
        if code in _REQUEST_ERROR_STATUS:
            return _REQUEST_ERROR_STATUS[code]
    return 400


def _code(error: GraphQLError) -> object:
    return (error.extensions or {}).get("code")


def _http_refusal(refused: HTTPException, method: str) -> Response:
    """Strawberry's own refusals (plain text) as GraphQL-shaped JSON errors that say what to
    send instead."""
    cause = refused.__cause__
    if isinstance(cause, MissingQueryError):
        where = "in the query string (?query=...)" if method == "GET" else "as `query`"
        return _refused(
            f"The request names no operation: send the GraphQL document {where}, or a "
            "persisted query's hash.",
            INVALID_REQUEST,
        )
    if isinstance(cause, InvalidOperationTypeError):
        if cause.operation_type is OperationType.MUTATION and method == "GET":
            # GraphQL over HTTP: a mutation over GET is a 405, naming the method that works.
            return _refused(
                "Mutations are sent with POST: a GET request may only run a query.",
                "METHOD_NOT_ALLOWED",
                405,
                {"allow": "POST"},
            )
        return _refused(
            f"A {cause.operation_type.value} cannot run over {method}: subscriptions are "
            "not served over HTTP.",
            INVALID_REQUEST,
        )
    return _refused(refused.reason, INVALID_REQUEST, refused.status_code)


class TextFrames(ASGIWebSocketAdapter):
    """WebSocket messages as text frames, as graphql-transport-ws sends them: clients such as
    graphql-ws parse text, and a browser hands a binary frame over as a Blob it cannot read.
    (The endpoint's ``encode_json`` gives bytes, which Strawberry sends as binary.)"""

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await self.ws.send_text(orjson.dumps(message).decode())
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc


class GraphQLEndpoint(GraphQL[Context, None]):
    websocket_adapter_class = TextFrames  # type: ignore[assignment]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope, receive)
            try:
                # Resolved before any GraphQL work, so a bad token never reaches a resolver.
                # Past the deadline this raises TimeoutError: a 503 (api.faults).
                async with asyncio.timeout_at(request_deadline(scope)):
                    request.state.actor = await actor_for(request, request.state.sessionmaker)
                record = record_of(scope)
                if record is not None and request.state.actor is not None:
                    record.client = token_public_id(request.headers["authorization"])
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
                try:
                    response = await self.run(request)
                except HTTPException as refused:
                    response = _http_refusal(refused, request.method)
                except EnvelopeError as refused:
                    # An upload's form, read here rather than at the edge (api.envelope).
                    response = Response(
                        refused.body(), refused.status, media_type="application/json"
                    )
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

    async def render_graphql_ide(self, request: Request) -> Response:
        # Our page on our own copy of GraphiQL, not Strawberry's, which loads it from a CDN.
        return page_response()

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        outcome = request.scope.get("state", {}).get(_OUTCOME)
        if isinstance(outcome, Outcome):
            outcome.record(result)
        record = record_of(request.scope)
        if record is not None:
            record.graphql = True
            note_result(record, result, charged=getattr(request.state, "budgets", None) is not None)
        refused = refusal(result) if result.data is None else None
        sub_response: Response | None = getattr(request.state, "sub_response", None)
        if refused is not None and sub_response is not None:
            status, retry_after = refused
            sub_response.status_code = status
            sub_response.headers["retry-after"] = str(retry_after)
        processed = await super().process_result(request, result)
        if not is_request_error(result) or sub_response is None:
            return processed
        errors = result.errors or []
        if accepted(request.headers) == GRAPHQL_RESPONSE_JSON:
            # application/graphql-response+json: a request error has no `data` and a 4xx
            # (application/json keeps 200 and `data: null`, as its older clients expect).
            processed.pop("data", None)
            if refused is None:
                sub_response.status_code = request_error_status(errors)
        elif refused is None and any(_code(e) in SELECTION_CODES for e in errors):
            # No operation to run for the request's `operationName`: a 400 as before in
            # either type (Strawberry refused these with a 400 already).
            sub_response.status_code = 400
        return processed

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        # With the IDE off, a GET without a query is a request naming no operation (a JSON
        # 400), not a missing page.
        return self.graphql_ide is not None and super().should_render_graphql_ide(request)

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

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """A WebSocket client's token comes in connection_init's payload (browsers cannot set
        headers on a WebSocket): ``{"Authorization": "Bearer <token>"}``. A wrong one closes
        the connection (4403), as a wrong header gets 401 over HTTP."""
        params = context.connection_params
        header = None
        if isinstance(params, dict):
            header = params.get("Authorization") or params.get("authorization")
        # UNSET: connection_ack without a payload; graphql-ws's client refuses `"payload": null`.
        if header is None:
            return UNSET  # a header on the upgrade request, or none: a public reader
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
        return UNSET

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
            heavy_executor=getattr(state, "heavy_executor", None),
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
