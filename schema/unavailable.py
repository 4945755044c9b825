"""A database that cannot be reached is a clear, retryable error, not a masked crash.

Connection failures (refused, reset, timed out, the server shutting down, no pooled
connection free in time) reach resolvers as exceptions; this turns each into a GraphQL error
with ``extensions.code = "UNAVAILABLE"``, which production does not mask.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import ExecutionResult, GraphQLError
from sqlalchemy import exc as sa
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import ExecutionResult as StrawberryExecutionResult

UNAVAILABLE = "UNAVAILABLE"
MESSAGE = "The database is unavailable right now; nothing was changed. Try again shortly."

# SQLSTATEs of a lost or refused connection: class 08, the server shutting down or starting
# (57P01-57P03), too many connections (53300).
_SQLSTATES = ("57P01", "57P02", "57P03", "53300")


def is_unavailable(error: BaseException | None) -> bool:
    """True when ``error`` (or what caused it) means the database could not be reached."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, sa.TimeoutError | sa.DisconnectionError):
            return True  # no pooled connection in time; a connection found dead
        if isinstance(error, sa.DBAPIError) and error.connection_invalidated:
            return True
        if isinstance(error, OSError):
            return True  # refused, reset, unreachable; asyncio timeouts are OSErrors too
        sqlstate = getattr(error, "sqlstate", None)
        if isinstance(sqlstate, str) and (sqlstate.startswith("08") or sqlstate in _SQLSTATES):
            return True
        error = error.orig if isinstance(error, sa.DBAPIError) else error.__cause__
    return False


def unavailable_error(error: GraphQLError | None = None) -> GraphQLError:
    """The error clients get, at the place of ``error`` in the response."""
    return GraphQLError(
        MESSAGE,
        nodes=error.nodes if error else None,
        path=error.path if error else None,
        extensions={"code": UNAVAILABLE},
    )


class DatabaseUnavailable(SchemaExtension):
    """Replaces errors caused by an unreachable database with UNAVAILABLE ones."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if isinstance(result, ExecutionResult | StrawberryExecutionResult) and result.errors:
            result.errors = [
                unavailable_error(e) if is_unavailable(e.original_error) else e
                for e in result.errors
            ]
