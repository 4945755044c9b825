"""Section ids given as query arguments (filters, `parent`)."""

from __future__ import annotations

import strawberry
from strawberry import relay

from schema.errors import UserInputError


def section_id(value: strawberry.ID, argument: str) -> int:
    """The database id inside a Section's global ID; a clear error naming ``argument``."""
    try:
        global_id = relay.GlobalID.from_id(str(value))
    except Exception:  # undecodable: the message below says what is wanted
        global_id = None
    if global_id is None or global_id.type_name != "Section" or not global_id.node_id.isdigit():
        raise UserInputError(
            f"`{argument}` must be the id of a Section; got {str(value)[:60]!r}.",
            argument=argument,
        )
    return int(global_id.node_id)
