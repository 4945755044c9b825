"""What an operation would cost, estimated before it runs, with its depth and alias count.

The estimate follows GitHub's and Shopify's: every field costs 1, and a list multiplies the
cost of what it contains by its length: `first` for a connection's edges and for lists that
take `first`, the number of `ids` asked for (either at most MAX_PAGE_SIZE, the most any list
serves), and UNBOUNDED_LIST_SIZE for lists without a bound (footnotes, translations, tags...).
Those lengths are the argument values execution will use: coerced by graphql-core from the
literals, the variables and the variables' defaults (`first: $n` with `{"n": 100.0}`, or
`$n: Int = 100` left out, asks for 100 items as `first: 100` does).
Introspection fields cost 1 each and count no depth: tools ask for the whole schema at once.

One walk measures all three, visiting each fragment once (per page size it is spread under),
so the time it takes grows with the document's length, not with what its fragments expand to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_argument_values,
    get_named_type,
    get_nullable_type,
)
from graphql.execution.values import VariableValues
from graphql.language.parser import MAX_NESTING_DEPTH

from schema.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

# What a list without a bound is assumed to hold.
UNBOUNDED_LIST_SIZE = 20
# Estimates stop growing here (JavaScript's largest safe integer), so every figure fits the
# JSON numbers clients parse; anything near it is refused anyway.
CEILING = 2**53 - 1
# Deeper nesting of selections and spreads is not walked (graphql-core parses no deeper).
MAX_NESTING = MAX_NESTING_DEPTH


@dataclass(frozen=True, slots=True)
class Estimate:
    cost: int = 0
    depth: int = 0
    aliases: int = 0

    def __add__(self, other: Estimate) -> Estimate:
        return Estimate(
            min(self.cost + other.cost, CEILING),
            max(self.depth, other.depth),
            min(self.aliases + other.aliases, CEILING),
        )


class NestedTooDeeply(Exception):
    """Selections and fragment spreads nest deeper than MAX_NESTING levels."""


class _Estimator:
    """One walk over an operation; fragments are measured once per context and remembered."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: VariableValues | None,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.known: dict[tuple[str, int | None, bool], Estimate] = {}
        self.entered: set[str] = set()

    def operation(self, operation: OperationDefinitionNode) -> Estimate:
        root = {
            OperationType.QUERY: self.schema.query_type,
            OperationType.MUTATION: self.schema.mutation_type,
            OperationType.SUBSCRIPTION: self.schema.subscription_type,
        }[operation.operation]
        return self.selections(operation.selection_set, root, None, False, 0)

    def selections(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLNamedType | None,
        edges: int | None,
        introspection: bool,
        nesting: int,
    ) -> Estimate:
        """``edges``: the page size of the connection these selections belong to, if any."""
        if nesting > MAX_NESTING:
            raise NestedTooDeeply
        total = Estimate()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, edges, introspection, nesting + 1)
            elif isinstance(selection, InlineFragmentNode):
                scope = self._type(selection.type_condition) or parent
                total += self.selections(
                    selection.selection_set, scope, edges, introspection, nesting + 1
                )
            elif isinstance(selection, FragmentSpreadNode):
                total += self.spread(selection.name.value, edges, introspection, nesting + 1)
        return total

    def spread(self, name: str, edges: int | None, introspection: bool, nesting: int) -> Estimate:
        key = (name, edges, introspection)
        if key in self.known:
            return self.known[key]
        fragment = self.fragments.get(name)
        # Unknown and cyclic spreads add nothing: validation refuses such documents.
        if fragment is None or name in self.entered:
            return Estimate()
        self.entered.add(name)
        try:
            found = self.selections(
                fragment.selection_set,
                self._type(fragment.type_condition),
                edges,
                introspection,
                nesting,
            )
        finally:
            self.entered.discard(name)
        self.known[key] = found
        return found

    def field(
        self,
        node: FieldNode,
        parent: GraphQLNamedType | None,
        edges: int | None,
        introspection: bool,
        nesting: int,
    ) -> Estimate:
        alias = 1 if node.alias else 0
        name = node.name.value
        if introspection or name.startswith("__"):
            inner = (
                self.selections(node.selection_set, None, None, True, nesting)
                if node.selection_set
                else Estimate()
            )
            return Estimate(min(1 + inner.cost, CEILING), 0, min(alias + inner.aliases, CEILING))

        definition = (
            parent.fields.get(name)
            if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
            else None
        )
        multiplier, inner_edges, inner_type = 1, None, None
        if definition is not None:
            inner_type = get_named_type(definition.type)
            size = self._size(node, definition)
            if isinstance(get_nullable_type(definition.type), GraphQLList):
                fallback = UNBOUNDED_LIST_SIZE if edges is None else edges
                multiplier = fallback if size is None else size
            elif "first" in definition.args:
                # A connection: its edges list holds `first` items.
                inner_edges = DEFAULT_PAGE_SIZE if size is None else size
        inner = (
            self.selections(node.selection_set, inner_type, inner_edges, False, nesting)
            if node.selection_set
            else Estimate()
        )
        return Estimate(
            min(1 + multiplier * inner.cost, CEILING),
            1 + inner.depth,
            min(alias + inner.aliases, CEILING),
        )

    def _size(self, node: FieldNode, definition: GraphQLField) -> int | None:
        """The length a list argument asks for: `first`, or how many `ids`; None if unsaid."""
        if "first" not in definition.args and "ids" not in definition.args:
            return None
        try:
            given = get_argument_values(definition, node, self.variables)
        except GraphQLError:
            # Arguments that cannot be coerced: validation or execution refuses them, so the
            # field never runs at any size.
            return None
        first = given.get("first")
        ids = given.get("ids")
        if isinstance(first, int) and not isinstance(first, bool):
            size = first
        elif isinstance(ids, list):
            size = len(ids)
        else:
            return None
        # No list serves more than MAX_PAGE_SIZE items (a larger `first` is refused with its
        # own error when the field runs), so the estimate counts no more.
        return min(max(size, 0), MAX_PAGE_SIZE)

    def _type(self, condition: NamedTypeNode | None) -> GraphQLNamedType | None:
        return None if condition is None else self.schema.get_type(condition.name.value)


def estimate(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: VariableValues | None,
) -> Estimate | None:
    """The estimate of the operation that would run, with its variables as coerced (None
    when they cannot be: then it never runs); None when no operation can be picked
    (execution reports that). Raises NestedTooDeeply for documents nested beyond what is
    walked."""
    operation = pick_operation(document, operation_name)
    if operation is None:
        return None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return _Estimator(schema, fragments, variables).operation(operation)


def pick_operation(
    document: DocumentNode, operation_name: str | None
) -> OperationDefinitionNode | None:
    """The operation of ``document`` that ``operation_name`` picks, as execution does; None
    when none or several match."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    return operations[0] if len(operations) == 1 else None
