"""Errors of the query side: bad arguments become precise top-level GraphQL errors."""

from __future__ import annotations

from graphql import GraphQLError

from publishing.errors import PublishingError
from schema.unavailable import is_unavailable

BAD_USER_INPUT = "BAD_USER_INPUT"


class UserInputError(Exception):
    """A query argument that cannot be served; the message says what is allowed."""

    def __init__(self, message: str, *, argument: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.argument = argument


def is_expected(error: GraphQLError) -> bool:
    """True for errors a client caused (validation, limits, bad arguments) and for an
    unreachable database (a clear "unavailable", see schema.unavailable): never masked."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return True
    return isinstance(original, UserInputError | PublishingError) or is_unavailable(original)
