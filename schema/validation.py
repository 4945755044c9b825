"""Validation of each operation against the schema, cached, and without suggestions where
they would leak the schema.

graphql-core appends "Did you mean ...?" to errors for unknown fields, arguments, types and
enum values, which names parts of the schema a client was not shown; with introspection off
(production), ``hide_suggestions`` drops them. Strawberry's own ValidationCache cannot pass
that flag, so this takes its place, with the same rules Strawberry adds to every validation.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema, validate
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

# Distinct documents whose validation is remembered (parsed documents are cached as many).
CACHE_SIZE = 256


@lru_cache(maxsize=CACHE_SIZE)
def _validate(
    schema: GraphQLSchema,
    document: DocumentNode,
    rules: tuple[type[ASTValidationRule], ...],
    hide_suggestions: bool,
) -> list[GraphQLError]:
    return validate(
        schema,
        document,
        (*rules, MaybeNullValidationRule, OneOfInputValidationRule),
        hide_suggestions=hide_suggestions,
    )


class Validation(SchemaExtension):
    """Validates the operation (Strawberry then skips its own validation)."""

    def __init__(self, *, hide_suggestions: bool) -> None:
        self.hide_suggestions = hide_suggestions

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        context.pre_execution_errors = _validate(
            context.schema._schema,
            context.graphql_document,
            tuple(context.validation_rules),
            self.hide_suggestions,
        )
        yield
