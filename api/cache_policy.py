"""What the caching edge may do with an answer: decided from the operation and the caller
before it runs, and from the execution's outcome after (never from the serialised bytes)."""

from __future__ import annotations

import enum
from collections.abc import Set
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import FieldNode, GraphQLError, OperationDefinitionNode, parse
from graphql.language import Visitor, visit

from api.freshness import ANY_CHANGE
from api.graphql import Outcome

# Fields whose answer changes when any article in a language becomes visible or goes away,
# not only the ones it shows: listings, similar posts, search.
LISTING_FIELDS = frozenset({"articles", "similar", "search"})
# The same for pages: page listings and page search.
PAGE_LISTING_FIELDS = frozenset({"pages", "searchPages"})
# Root fields listing what any write may add to: a new author or tag is in no key yet.
COLLECTION_ROOTS = frozenset({"authors", "tags", "search", "searchPages"})
# Fields that are never public, whoever asks.
PRIVATE_FIELDS = frozenset({"articlePreview", "pagePreview"})


@dataclass(frozen=True, slots=True)
class Operation:
    """What the edge must know of an operation before it runs."""

    kind: str  # "query", "mutation", "subscription"
    lists: bool  # selects a listing, similar posts or search somewhere
    collections: bool  # a root field lists authors or tags
    private: bool  # selects a field that is never public
    page_lists: bool = False  # selects a page listing or page search somewhere
    name: str | None = None  # None: an unnamed operation


@lru_cache(maxsize=512)
def read_operation(document: str, operation_name: str | None) -> Operation | None:
    """None when the document does not parse or names no single operation (the endpoint then
    reports the problem)."""
    try:
        ast = parse(document)
    except GraphQLError:
        return None
    operations = [d for d in ast.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        return None
    names: set[str] = set()

    class Fields(Visitor):
        def enter_field(self, node: FieldNode, *_args: Any) -> None:
            names.add(node.name.value)

    visit(ast, Fields())
    roots = [s for s in operations[0].selection_set.selections if isinstance(s, FieldNode)]
    return Operation(
        kind=operations[0].operation.value,
        lists=bool(names & LISTING_FIELDS),
        collections=any(s.name.value in COLLECTION_ROOTS for s in roots),
        private=bool(names & PRIVATE_FIELDS),
        page_lists=bool(names & PAGE_LISTING_FIELDS),
        name=operations[0].name.value if operations[0].name else None,
    )


class Decision(enum.Enum):
    """What the answer to an operation may be."""

    PUBLIC = "public"  # cached and shared; public to HTTP caches when asked by GET
    PRIVATE = "private"  # a token or a preview: for the caller's eyes only
    NOT_A_READ = "not a read"  # a mutation
    UNKNOWN = "unknown"  # no single operation the edge can read: the endpoint says why


# The Cache-Control of an answer that bypasses the cache; left out for the others.
BYPASS_CACHE_CONTROL = {Decision.PRIVATE: "private, no-store", Decision.NOT_A_READ: "no-store"}


def decide(operation: Operation | None, *, anonymous: bool) -> Decision:
    if not anonymous or (operation is not None and operation.private):
        return Decision.PRIVATE
    if operation is None:
        return Decision.UNKNOWN
    if operation.kind != "query":
        return Decision.NOT_A_READ
    return Decision.PUBLIC


def cacheable(status: int, outcome: Outcome) -> bool:
    """Only complete answers are kept: executed, with no errors."""
    return status == 200 and outcome.executed and not outcome.errors


def depends_on(
    operation: Operation,
    outcome: Outcome,
    read: Set[str],
    listing_keys: Set[str],
    page_listing_keys: Set[str] = frozenset(),
) -> frozenset[str]:
    """The surrogate keys of an answer: of every row it ``read``, and of what may change it
    without changing any of those rows."""
    keys = set(read)
    if operation.lists:
        # Any article becoming visible or going away in any language may change a listing.
        keys |= listing_keys
    if operation.page_lists:
        keys |= page_listing_keys
    if operation.collections or outcome.empty_root:
        # A lookup that found nothing, or a list of authors or tags: any write may change it.
        keys.add(ANY_CHANGE)
    return frozenset(keys)
