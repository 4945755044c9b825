"""What every mutation shares: one transaction, the acting editor, domain errors as data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from publishing.access import Actor
from publishing.errors import ForbiddenError, Issues, PublishingError
from schema.context import Context
from schema.usererrors import UserError, as_user_error

T = TypeVar("T")


async def run_mutation(
    info: Info[Context, None], work: Callable[[AsyncSession, Actor], Awaitable[T]]
) -> T | UserError:
    """Run ``work`` in one transaction; any domain error rolls all of it back and is returned
    as the matching error type, so a failed mutation writes nothing.

    ``work`` takes the time of its change from ``info.context.now``, read from the app's
    clock as the mutation starts."""
    context = info.context
    actor = context.actor
    try:
        if actor is None:
            raise ForbiddenError("Mutations need a token: send 'Authorization: Bearer <token>'.")
        context.now = context.clock.now()
        async with context.write_sessionmaker() as session, session.begin():
            result = await work(session, actor)
    except PublishingError as error:
        return as_user_error(error)
    # The result is read after the change: an article published "now" is not scheduled.
    context.now = context.clock.now()
    return result


def decode_id(
    issues: Issues, value: strawberry.ID, type_name: str, path: tuple[str | int, ...]
) -> int:
    """The database id inside a global ID of ``type_name``; an issue at ``path`` otherwise."""
    try:
        global_id = relay.GlobalID.from_id(str(value))
    except Exception:  # undecodable: reported with the path below
        global_id = None
    if global_id is None or global_id.type_name != type_name or not global_id.node_id.isdigit():
        issues.add(
            path, "INVALID_ID", f"Expected the id of a {type_name}; got {str(value)[:60]!r}."
        )
        return 0
    return int(global_id.node_id)


def decode_ids(
    values: dict[tuple[str | int, ...], tuple[strawberry.ID, str]],
) -> dict[tuple[str | int, ...], int]:
    """Decode several global IDs at once; every bad one is reported together."""
    issues = Issues()
    decoded = {path: decode_id(issues, value, kind, path) for path, (value, kind) in values.items()}
    issues.raise_if_any()
    return decoded
