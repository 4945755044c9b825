"""Lists as Relay connections with keyset cursors: the page-size rule, the cursors, and the
one connection type every list uses.

A resolver states how its list sorts (a ``Keyset``), reads the page the client asked for
(``Page.of``) with one row more than it shows, and hands the rows back
(``Page.connection``): edges, ``pageInfo`` and a ``totalCount`` counted only when asked.
Cursors are keyset cursors (the sort key of an item), never offsets.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson
import strawberry
from strawberry import relay

from schema.errors import UserInputError

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

K = TypeVar("K")  # a list's sort key
N = TypeVar("N")  # its node type
R = TypeVar("R")  # a row the store returns
E = TypeVar("E")  # an edge
C = TypeVar("C", bound="Connection[Any]")


def page_size(
    first: int | None, *, maximum: int = MAX_PAGE_SIZE, default: int = DEFAULT_PAGE_SIZE
) -> int:
    if first is None:
        return default
    if not 1 <= first <= maximum:
        raise UserInputError(
            f"`first` must be between 1 and {maximum}; got {first}.", argument="first"
        )
    return first


def encode_cursor(kind: str, *values: Any) -> str:
    """An opaque cursor: the list it belongs to and the sort key of one item."""
    raw = orjson.dumps([kind, *values])
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(kind: str, cursor: str) -> list[Any]:
    """The sort key inside ``cursor``; a clear error when it is malformed or from another list."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = orjson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        values = None
    if not isinstance(values, list) or not values:
        raise UserInputError(
            "`after` is not a valid cursor; pass the `cursor` of an edge or "
            "`pageInfo.endCursor` from this list.",
            argument="after",
        )
    if values[0] != kind:
        raise UserInputError(
            f"`after` is a cursor of another list ({values[0]!s:.40}), not of {kind}; "
            "pass a cursor this list returned.",
            argument="after",
        )
    return values[1:]


@strawberry.type
class Edge(Generic[N]):
    cursor: str
    node: N


@strawberry.type
class Connection(Generic[N]):
    """One page of a list. Each list names its own (``class ArticleConnection(
    Connection[Article])``): lists of the same node may differ (search results carry
    snippets), and a name can be reached lazily from modules that cannot import it."""

    edges: Sequence[Edge[N]]
    page_info: relay.PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list holds (all pages).")
    async def total_count(self) -> int:
        return await self._count()


@dataclass(frozen=True, slots=True)
class Keyset(Generic[K]):
    """How one list sorts: the name its cursors carry, and its sort key to and from the
    values inside a cursor."""

    kind: str
    values: Callable[[K], Sequence[Any]]
    # Raises TypeError or ValueError when the values are not a key of this list.
    key: Callable[[list[Any]], K]

    def cursor(self, key: K) -> str:
        return encode_cursor(self.kind, *self.values(key))

    def parse(self, cursor: str) -> K:
        values = decode_cursor(self.kind, cursor)
        try:
            return self.key(values)
        except (TypeError, ValueError) as exc:
            raise UserInputError(
                "`after` is not a valid cursor of this list.", argument="after"
            ) from exc


@dataclass(frozen=True, slots=True)
class Page(Generic[K]):
    """The page a client asked for: ``size`` items after ``after`` (None: from the start)."""

    keyset: Keyset[K]
    size: int
    after: K | None

    @classmethod
    def of(
        cls,
        keyset: Keyset[K],
        first: int | None,
        after: str | None,
        *,
        maximum: int = MAX_PAGE_SIZE,
        default: int = DEFAULT_PAGE_SIZE,
    ) -> Page[K]:
        size = page_size(first, maximum=maximum, default=default)
        return cls(keyset, size, keyset.parse(after) if after else None)

    @property
    def fetch(self) -> int:
        """How many rows to read: one past the page tells whether another page follows."""
        return self.size + 1

    def edges(
        self, rows: Sequence[R], key: Callable[[R], K], edge: Callable[[str, R], E]
    ) -> tuple[list[E], relay.PageInfo]:
        """The page's edges, made by ``edge`` from each row and its cursor, and its info."""
        shown = rows[: self.size]
        cursors = [self.keyset.cursor(key(row)) for row in shown]
        page_info = relay.PageInfo(
            has_next_page=len(rows) > self.size,
            has_previous_page=self.after is not None,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        )
        return [edge(cursor, row) for cursor, row in zip(cursors, shown, strict=True)], page_info

    def connection(
        self,
        kind: type[C],
        rows: Sequence[R],
        *,
        key: Callable[[R], K],
        node: Callable[[R], Any],
        count: Callable[[], Awaitable[int]],
    ) -> C:
        """The page as a ``kind`` of connection, of a ``node`` per row; ``count`` counts the
        whole list."""

        def edge(cursor: str, row: R) -> Edge[Any]:
            return Edge(cursor=cursor, node=node(row))

        edges, page_info = self.edges(rows, key, edge)
        return kind(edges=edges, page_info=page_info, _count=count)
