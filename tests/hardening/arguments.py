"""Operations generated from the committed SDL that put one string into every string argument
of the schema: each root field's, and each nested field's, reached from a root field without
naming an object (through listings, by their first item; ``routes`` lists the ways, a test
picks one that finds an object).

Every String and ID in an argument gets the string, in nested input objects and lists too;
other arguments get a plain valid value when they are required and are left out otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    ast_from_value,
    build_schema,
    get_named_type,
    get_nullable_type,
    is_required_argument,
    is_required_input_field,
    print_ast,
)

from schema import SDL_PATH

STRING_SCALARS = frozenset({"String", "ID"})
# Plain valid values of the other scalars.
SAMPLES: dict[str, Any] = {
    "Int": 1,
    "Float": 1.0,
    "Boolean": False,
    "DateTime": "2026-01-01T00:00:00+00:00",
    "Date": "2026-01-01",
    "JSON": {},
    "Upload": "file",  # in JSON variables a string stands in for a file
}
# Arguments a path to a nested field may fill in; other required arguments end the path.
PATH_ARGUMENTS = {"language": "en", "first": 1}
MAX_PATH = 6  # fields from the root to a nested field


def sdl_schema() -> GraphQLSchema:
    return build_schema(SDL_PATH.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Case:
    """One operation: ``field`` (``Type.field``) gets ``value`` in every string of one of its
    arguments, ``leaves`` (argument paths, the argument's name first)."""

    field: str
    argument: str
    operation: str  # query, mutation or subscription
    document: str
    variables: dict[str, Any]
    leaves: frozenset[tuple[str, ...]]
    path: tuple[str | int, ...]  # the field's place in the answer; lists by their first item
    union_result: bool  # answers a ValidationError as data
    inside_input: bool  # its only argument is `input`: issue paths start inside it


def carries_strings(type_: GraphQLInputType, seen: frozenset[str] = frozenset()) -> bool:
    named = get_named_type(type_)
    if isinstance(named, GraphQLScalarType):
        return named.name in STRING_SCALARS
    if isinstance(named, GraphQLInputObjectType) and named.name not in seen:
        return any(carries_strings(f.type, seen | {named.name}) for f in named.fields.values())
    return False


def fill(
    type_: GraphQLInputType,
    value: str,
    path: tuple[str, ...],
    leaves: set[tuple[str, ...]],
    seen: frozenset[str] = frozenset(),
) -> Any:
    """A value of ``type_`` with ``value`` in every string (their paths added to ``leaves``)."""
    nullable = get_nullable_type(type_)
    if isinstance(nullable, GraphQLList):
        return [fill(nullable.of_type, value, (*path, "0"), leaves, seen)]
    if isinstance(nullable, GraphQLInputObjectType):
        filled: dict[str, Any] = {}
        for name, field in nullable.fields.items():
            required = is_required_input_field(field)
            # A recursive input (a menu item's children) is followed once.
            if carries_strings(field.type, seen | {nullable.name}) or required:
                filled[name] = fill(
                    field.type, value, (*path, name), leaves, seen | {nullable.name}
                )
        return filled
    if isinstance(nullable, GraphQLEnumType):
        return next(iter(nullable.values))
    assert isinstance(nullable, GraphQLScalarType)
    if nullable.name in STRING_SCALARS:
        leaves.add(path)
        return value
    return SAMPLES[nullable.name]


def sample(type_: GraphQLInputType) -> Any:
    """A plain valid value of a required argument that gets no bad string."""
    return fill(type_, "x", (), set())


def _selection(field: GraphQLField) -> str:
    named = get_named_type(field.type)
    if isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return ""
    if answers_validation_error(field):
        return " { __typename ... on ValidationError { issues { path code message } } }"
    return " { __typename }"


def answers_validation_error(field: GraphQLField) -> bool:
    named = get_named_type(field.type)
    return isinstance(named, GraphQLUnionType) and any(
        t.name == "ValidationError" for t in named.types
    )


def _argument_cases(
    schema: GraphQLSchema,
    parent: str,
    name: str,
    field: GraphQLField,
    value: str,
    literal: bool,
    wrap: tuple[str, str],
    path: tuple[str | int, ...],
    operation: str,
) -> Iterator[Case]:
    """One case per string-bearing argument of ``field``; ``wrap`` is the selection around it
    (before, after) when it is nested."""
    union = answers_validation_error(field)
    for argument_name, argument in field.args.items():
        if not carries_strings(argument.type):
            continue
        leaves: set[tuple[str, ...]] = set()
        bad = fill(argument.type, value, (argument_name,), leaves)
        arguments, declared, variables = [], [], {}
        for other_name, other in field.args.items():
            if other_name == argument_name:
                given: Any = bad
            elif _required(other):
                given = sample(other.type)
            else:
                continue
            if literal:
                node = ast_from_value(given, other.type)
                assert node is not None
                arguments.append(f"{other_name}: {print_ast(node)}")
            else:
                declared.append(f"${other_name}: {other.type}")
                arguments.append(f"{other_name}: ${other_name}")
                variables[other_name] = given
        header = f"{operation}({', '.join(declared)})" if declared else operation
        selection = f"{name}({', '.join(arguments)}){_selection(field)}"
        document = f"{header} {{ {wrap[0]}{selection}{wrap[1]} }}"
        yield Case(
            f"{parent}.{name}",
            argument_name,
            operation,
            document,
            variables,
            frozenset(leaves),
            (*path, name),
            union,
            list(field.args) == ["input"],
        )


def _required(argument: GraphQLArgument) -> bool:
    return is_required_argument(argument)


@dataclass(frozen=True)
class Route:
    """A selection reaching a type from the root: the text before and after the fields
    selected on it, and where its first object is in the answer."""

    before: str
    after: str
    path: tuple[str | int, ...]

    def probe(self) -> str:
        return f"query {{ {self.before}__typename{self.after} }}"

    def found_in(self, data: Any) -> bool:
        """Whether an answer to ``probe`` holds an object at ``path``."""
        for step in self.path:
            if isinstance(step, int):
                data = data[step] if isinstance(data, list) and len(data) > step else None
            else:
                data = data.get(step) if isinstance(data, dict) else None
            if data is None:
                return False
        return True


def cases(value: str, reach: dict[str, Route], *, literal: bool = False) -> list[Case]:
    """Every string argument of the schema, given ``value`` (as a literal or in variables):
    those of the root fields, and of fields on the types ``reach`` has a route to."""
    schema = sdl_schema()
    found: list[Case] = []
    roots = (
        ("query", schema.query_type),
        ("mutation", schema.mutation_type),
        ("subscription", schema.subscription_type),
    )
    for operation, root in roots:
        assert root is not None
        for name, field in root.fields.items():
            found += _argument_cases(
                schema, root.name, name, field, value, literal, ("", ""), (), operation
            )
    for type_name, route in reach.items():
        target = schema.type_map[type_name]
        assert isinstance(target, GraphQLObjectType)
        for name, field in target.fields.items():
            found += _argument_cases(
                schema,
                type_name,
                name,
                field,
                value,
                literal,
                (route.before, route.after),
                route.path,
                "query",
            )
    return found


def routes(schema: GraphQLSchema, per_type: int = 20) -> dict[str, list[Route]]:
    """For each type below the root with fields taking strings, the selections reaching it
    from the root (filling only PATH_ARGUMENTS), shortest first."""
    assert schema.query_type is not None
    found: dict[str, list[Route]] = {}
    frontier: list[tuple[GraphQLObjectType, Route]] = [(schema.query_type, Route("", "", ()))]
    for _ in range(MAX_PATH):
        following = []
        for parent, route in frontier:
            for name, field in parent.fields.items():
                if any(
                    _required(a) and a_name not in PATH_ARGUMENTS
                    for a_name, a in field.args.items()
                ):
                    continue
                named = get_named_type(field.type)
                concrete: list[tuple[GraphQLObjectType, str, str]]
                if isinstance(named, GraphQLObjectType):
                    concrete = [(named, "", "")]
                elif isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
                    concrete = [
                        (t, f"... on {t.name} {{ ", " }") for t in schema.get_possible_types(named)
                    ]
                else:
                    continue
                given = [
                    f"{a_name}: {json.dumps(PATH_ARGUMENTS[a_name])}"
                    for a_name in field.args
                    if a_name in PATH_ARGUMENTS
                ]
                call = f"{name}({', '.join(given)})" if given else name
                listed = isinstance(get_nullable_type(field.type), GraphQLList)
                step: tuple[str | int, ...] = (name, 0) if listed else (name,)
                for target, open_, close in concrete:
                    known = found.setdefault(target.name, [])
                    if target is schema.query_type or len(known) >= per_type:
                        continue
                    inner = Route(
                        f"{route.before}{call} {{ {open_}",
                        f"{close} }}{route.after}",
                        (*route.path, *step),
                    )
                    known.append(inner)
                    following.append((target, inner))
        frontier = following
    return {
        name: found[name]
        for name in sorted(found)
        if any(
            carries_strings(a.type)
            for field in _object(schema, name).fields.values()
            for a in field.args.values()
        )
        and found[name]
    }


def _object(schema: GraphQLSchema, name: str) -> GraphQLObjectType:
    type_ = schema.type_map[name]
    assert isinstance(type_, GraphQLObjectType)
    return type_


def string_fields(schema: GraphQLSchema) -> set[str]:
    """``Type.field`` of every field below the root taking strings."""
    return {
        f"{type_name}.{name}"
        for type_name, type_ in schema.type_map.items()
        if isinstance(type_, GraphQLObjectType)
        and type_ not in (schema.query_type, schema.mutation_type, schema.subscription_type)
        and not type_name.startswith("__")
        for name, field in type_.fields.items()
        if any(carries_strings(a.type) for a in field.args.values())
    }
