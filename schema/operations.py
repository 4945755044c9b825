"""Which operation of a document runs, as the GraphQL specification picks it (GetOperation).

Strawberry falls back to the document's first operation when the request names none, so a
document of two operations without ``operationName`` ran the first; and it reports an
unknown ``operationName`` outside the GraphQL response. Both are request errors: answered
here as GraphQL errors, before validation, like a syntax error, each with a code of
SELECTION_CODES (the HTTP edge answers them with a 400 in either media type).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from graphql import GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

NO_OPERATION: Final = "NO_OPERATION"
OPERATION_NAME_REQUIRED: Final = "OPERATION_NAME_REQUIRED"
UNKNOWN_OPERATION: Final = "UNKNOWN_OPERATION"
SELECTION_CODES: Final = frozenset({NO_OPERATION, OPERATION_NAME_REQUIRED, UNKNOWN_OPERATION})


class OperationChoice(SchemaExtension):
    requested: str | None = None

    def on_parse(self) -> Iterator[None]:
        # Read before the document is parsed: Strawberry's `operation_name` is then the name
        # the request gave, not one it picked from the document.
        self.requested = self.execution_context.operation_name
        yield
        document = self.execution_context.graphql_document
        if document is None:
            return
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if not operations:
            raise GraphQLError(
                "The document holds no operation: send a query or mutation "
                "(fragments alone run nothing).",
                extensions={"code": NO_OPERATION},
            )
        if self.requested is None:
            if len(operations) > 1:
                names = ", ".join(_name(o) for o in operations)
                raise GraphQLError(
                    f"The document holds {len(operations)} operations ({names}): name the one "
                    "to run in `operationName`.",
                    extensions={"code": OPERATION_NAME_REQUIRED},
                )
            return
        if not any(o.name is not None and o.name.value == self.requested for o in operations):
            names = ", ".join(_name(o) for o in operations)
            raise GraphQLError(
                f'Unknown operation named "{self.requested}": the document holds {names}.',
                extensions={"code": UNKNOWN_OPERATION},
            )


def _name(operation: OperationDefinitionNode) -> str:
    return f'"{operation.name.value}"' if operation.name is not None else "an unnamed operation"
