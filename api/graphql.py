"""The GraphQL endpoint: Strawberry's ASGI app with a per-request context."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from api.auth import Unauthenticated, actor_for
from api.faults import request_deadline
from schema.context import Context
from schema.unavailable import unavailable_error

if TYPE_CHECKING:
    from cross_web import AsyncHTTPRequestAdapter  # Strawberry's request adapter type


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
            try:
                await super().__call__(scope, receive, send)
            finally:
                # The context's read session goes back to the pool once the answer is sent.
                context: Context | None = getattr(request.state, "context", None)
                if context is not None:
                    await context.close()
            return
        await super().__call__(scope, receive, send)

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        bound = asyncio.timeout_at(request_deadline(request.scope))
        try:
            async with bound:
                return await super().execute_single(
                    request, request_adapter, sub_response, context, root_value, request_data
                )
        except TimeoutError:
            if not bound.expired():
                raise
            # Cancelled at the request's deadline, still waiting on the database: any
            # transaction it had open was rolled back with its connection.
            return ExecutionResult(data=None, errors=[unavailable_error()])

    def encode_json(self, data: object) -> bytes:
        # orjson: several times faster than the standard library on large answers.
        return orjson.dumps(data)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        state: Any = request.state
        context = Context(
            sessionmaker=state.sessionmaker,
            write_sessionmaker=state.write_sessionmaker,
            clock=state.clock,
            actor=getattr(state, "actor", None),
            webhooks_allow_private=state.settings.webhooks_allow_private,
        )
        state.context = context  # for __call__ to close
        return context
