"""The character contract: no argument carries a character that no store keeps.

Those are U+0000 (PostgreSQL text cannot hold it; SQLite can, so both refuse it, and a text
one store keeps is never refused by the other) and lone UTF-16 surrogates (no UTF-8 encoding
exists for them, so no driver can send them). Every string an operation passes to a field,
in a literal or a variable, in nested input objects and lists alike, is checked once per
field in the document, on the argument values as graphql-core coerced them, before the
field's resolver runs:

- a field whose result union has ``ValidationError`` (every mutation) answers one, with an
  issue per bad string: its input path (inside ``input`` when that is the only argument, as
  mutations report their own checks) and the code ``INVALID_CHARACTER``;
- any other field answers a GraphQL error at its place in the response, with the code
  ``INVALID_CHARACTER`` and the argument's path in ``extensions.argumentPath``.

Literal strings cannot hold lone surrogates (the parser refuses them), and the HTTP edge
refuses both characters everywhere in a request but its variables (``api.envelope``).

This is an executor (Strawberry's ``execution_context_class``) because the executor sees
each field with its coerced arguments and its place in the response; a field without
arguments costs one attribute test, so large listings pay nothing measurable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLUnionType,
    get_argument_values,
    get_named_type,
    get_nullable_type,
)
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.usererrors import InputIssue, ValidationError

INVALID_CHARACTER: Final = "INVALID_CHARACTER"
_UNSTORABLE: Final = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class BadString:
    """A string argument value breaking the contract: where (argument name first) and why."""

    path: tuple[str, ...]
    problem: str

    @property
    def message(self) -> str:
        return f"`{'.'.join(self.path)}` contains {self.problem}, which no text can hold."


def describe(value: str) -> str | None:
    """What breaks the contract in ``value`` (its first such character), or None."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    character = found.group()
    if character == "\x00":
        return "a NUL character (U+0000)"
    return f"a lone surrogate (U+{ord(character):04X})"


def bad_strings(field: GraphQLField, arguments: dict[str, Any]) -> list[BadString]:
    """Every string in the coerced ``arguments`` of ``field`` that breaks the contract."""
    found: list[BadString] = []
    for name, definition in field.args.items():
        key = definition.out_name or name
        if key in arguments:
            found.extend(_walk(arguments[key], definition.type, (name,)))
    return found


def _walk(value: Any, type_: GraphQLInputType, path: tuple[str, ...]) -> Iterator[BadString]:
    if value is None or value is Undefined:
        return
    nullable = get_nullable_type(type_)
    if isinstance(nullable, GraphQLList) and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, nullable.of_type, (*path, str(index)))
    elif isinstance(nullable, GraphQLInputObjectType) and isinstance(value, dict):
        for name, field in nullable.fields.items():
            key = field.out_name or name
            if key in value:
                yield from _walk(value[key], field.type, (*path, name))
    else:
        # Scalars and enums; a custom scalar may hold JSON of its own.
        yield from _untyped(value, path)


def _untyped(value: Any, path: tuple[str, ...]) -> Iterator[BadString]:
    if isinstance(value, str):
        problem = describe(value)
        if problem is not None:
            yield BadString(path, problem)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _untyped(item, (*path, str(key)))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _untyped(item, (*path, str(index)))


def answers_validation_error(field: GraphQLField) -> bool:
    """Whether the field's result can be a ValidationError (a mutation's result union)."""
    result = get_named_type(field.type)
    return isinstance(result, GraphQLUnionType) and any(
        member.name == "ValidationError" for member in result.types
    )


def as_validation_error(field: GraphQLField, found: list[BadString]) -> ValidationError:
    # A mutation's issues are paths inside its one `input` argument, as its own checks give.
    inside_input = list(field.args) == ["input"]
    issues = [
        InputIssue(
            path=list(bad.path[1:] if inside_input else bad.path),
            code=INVALID_CHARACTER,
            message=bad.message,
        )
        for bad in found
    ]
    return ValidationError(message="; ".join(i.message for i in issues), issues=issues)


def as_field_error(found: list[BadString], nodes: list[FieldNode], path: Path) -> GraphQLError:
    first = found[0]
    return GraphQLError(
        first.message,
        nodes=nodes,
        path=path.as_list(),
        extensions={"code": INVALID_CHARACTER, "argumentPath": list(first.path)},
    )


@dataclass(frozen=True, slots=True)
class _RootField:
    """A root field's details as the executor's field collection gives them (a root field
    has no fragment variables)."""

    node: FieldNode
    fragment_variable_values: None = None


class CheckedExecution(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, refusing arguments that break the contract (see above)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Per field node of the document (fixed while it executes): what breaks the contract
        # in its arguments; each node is checked once however many times it runs.
        self._checked: dict[int, list[BadString]] = {}

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        details = field_details_list[0]
        node: FieldNode = details.node
        if node.arguments:
            found = self._bad_strings(parent_type, details)
            if found:
                return self._refuse(parent_type, field_details_list, path, found, position_context)
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def build_resolve_info(
        self,
        field_def: GraphQLField,
        field_nodes: list[FieldNode],
        parent_type: GraphQLObjectType,
        path: Path,
    ) -> GraphQLResolveInfo:
        # A subscription's root field opens its event stream without execute_field (graphql-
        # core's execute_subscription), but asks for its resolve info first: refused here,
        # the error is the subscription's answer before any stream is opened.
        if parent_type is self.schema.subscription_type and field_nodes[0].arguments:
            found = self._bad_strings(parent_type, _RootField(field_nodes[0]))
            if found:
                raise as_field_error(found, field_nodes, path)
        return super().build_resolve_info(field_def, field_nodes, parent_type, path)

    def _bad_strings(self, parent_type: GraphQLObjectType, details: Any) -> list[BadString]:
        node: FieldNode = details.node
        key = id(node)
        found = self._checked.get(key)
        if found is None:
            found = []
            field = self.schema.get_field(parent_type, node.name.value)
            if field is not None:
                try:
                    arguments = get_argument_values(
                        field,
                        node,
                        self.variable_values,
                        details.fragment_variable_values,
                        self.hide_suggestions,
                    )
                except GraphQLError:
                    arguments = {}  # the field reports that itself when it runs
                found = bad_strings(field, arguments)
            self._checked[key] = found
        return found

    def _refuse(
        self,
        parent_type: GraphQLObjectType,
        field_details_list: Any,
        path: Path,
        found: list[BadString],
        position_context: Any,
    ) -> Any:
        field = self.schema.get_field(parent_type, field_details_list[0].node.name.value)
        assert field is not None  # found is only non-empty for a known field
        nodes = [details.node for details in field_details_list]
        if answers_validation_error(field):
            info = self.build_resolve_info(field, nodes, parent_type, path)
            return self.complete_value(
                field.type,
                field_details_list,
                info,
                path,
                as_validation_error(field, found),
                position_context,
            )
        self.handle_field_error(
            as_field_error(found, nodes, path), field.type, field_details_list, path
        )
        return None
