"""Keyset cursors and the page-size rule shared by every connection."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import orjson

from schema.errors import UserInputError

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


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
