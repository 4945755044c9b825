"""An operation still running at its request's deadline is cut off and answers UNAVAILABLE.

Whoever serves the operation puts the deadline in the context (the HTTP edge gives every
request one, see api.faults). Whatever the operation still waits for then (a pooled
connection, connecting, a statement) is cancelled, a transaction it had open is rolled back
with its connection, and the client gets an UNAVAILABLE error in the response, as for any
other unreachable database, rather than a 503 from outside GraphQL.

This uses two things Strawberry documents or tests, not its HTTP view's internals: the
``on_operation`` lifecycle hook runs in the task that executes the operation, around all of
it; and an exception a hook raises becomes the operation's one error, with no data.
tests/api/test_deadline.py fails if an upgrade of Strawberry changes either.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from schema.unavailable import MESSAGE, UNAVAILABLE


class OperationDeadline(SchemaExtension):
    """Bounds the operation by ``context.deadline`` (``loop.time()`` seconds), when set."""

    async def on_operation(self) -> AsyncIterator[None]:
        deadline: float | None = getattr(self.execution_context.context, "deadline", None)
        if deadline is None:
            yield
            return
        bound = asyncio.timeout_at(deadline)
        try:
            async with bound:
                yield
        except TimeoutError as cut_off:
            if not bound.expired():
                raise  # a timeout of the operation's own, not the request's deadline
            # The TimeoutError as original error: logged and never masked as "unavailable".
            raise GraphQLError(
                MESSAGE, extensions={"code": UNAVAILABLE}, original_error=cut_off
            ) from None
