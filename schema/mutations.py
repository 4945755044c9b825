"""What every mutation shares: its declaration, one transaction, the acting editor, domain
errors as data, and the shapes of results."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Awaitable, Callable
from typing import Annotated, Protocol, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info
from strawberry.types.field import StrawberryField

from publishing.access import Actor, Permission
from publishing.errors import Issues, PublishingError
from schema.context import Context
from schema.permissions import Requires
from schema.usererrors import AnyUserError, as_user_error

T = TypeVar("T")
S = TypeVar("S")


def mutation(result: object, *, needs: Permission, description: str) -> StrawberryField:
    """Declares a mutation: ``result`` is its union (``result_union``), ``needs`` the
    permission its service enforces; a request without it gets a ForbiddenError and nothing
    of its input is read.

    The resolver is annotated with what it returns in Python (``SomeSuccess | AnyUserError``);
    ``result`` says which of those errors the schema promises clients."""
    field: StrawberryField = strawberry.mutation(
        description=description, graphql_type=result, extensions=[Requires(needs, as_data=True)]
    )
    return field


async def run_mutation(
    info: Info[Context, None], work: Callable[[AsyncSession, Actor], Awaitable[T]]
) -> T | AnyUserError:
    """Run ``work`` in one transaction; any domain error rolls all of it back and is returned
    as the matching error type, so a failed mutation writes nothing.

    ``work`` takes the time of its change from ``info.context.now``, read from the app's
    clock as the mutation starts."""
    context = info.context
    actor = context.actor
    if actor is None:
        # `mutation` refuses a request without a token before this runs.
        raise RuntimeError("declare mutations with schema.mutations.mutation")
    try:
        context.now = context.clock.now()
        async with context.write_sessionmaker() as session, session.begin():
            result = await work(session, actor)
    except PublishingError as error:
        return as_user_error(error)
    # The result is read after the change: an article published "now" is not scheduled.
    context.now = context.clock.now()
    return result


def result_union(name: str, success: type, *errors: type) -> object:
    """A mutation's result: its success type or one of the errors it can return."""
    members = functools.reduce(operator.or_, errors, success)
    return Annotated[members, strawberry.union(name)]


def success_type(shape: type[S], name: str, description: str | None = None) -> type[S]:
    """``shape`` under the schema name ``name``. Mutations returning the same thing keep a
    success type each, so one can gain a field without touching the others' clients."""
    named = type(name, (shape,), {"__module__": shape.__module__})
    return strawberry.type(named, name=name, description=description)


@strawberry.type
class Deleted:
    """The shape of a deletion's success: the global ID of what is gone."""

    deleted_id: strawberry.ID


class Deletion(Protocol):
    """A service deleting one object by its database id, at the time of the mutation."""

    def __call__(
        self, session: AsyncSession, actor: Actor, object_id: int, /, *, now: dt.datetime
    ) -> Awaitable[object]: ...


async def run_deletion(
    info: Info[Context, None],
    success: type[Deleted],
    target: tuple[strawberry.ID, str],
    delete: Deletion,
) -> Deleted | AnyUserError:
    """``run_mutation`` for a deletion: ``delete`` the object ``target`` (a global ID and the
    type it must name) names; ``success`` gives that ID back."""
    global_id, type_name = target

    async def work(session: AsyncSession, actor: Actor) -> Deleted:
        await delete(session, actor, decode_one(global_id, type_name), now=info.context.now)
        return success(deleted_id=global_id)

    return await run_mutation(info, work)


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


def decode_media_ids(
    values: dict[tuple[str | int, ...], strawberry.ID],
) -> dict[tuple[str | int, ...], int]:
    """Decode several media ids at once (an Image's or a Document's: the service checks the
    kind, so a Document where an image belongs is WRONG_KIND, not INVALID_ID)."""
    issues = Issues()
    decoded: dict[tuple[str | int, ...], int] = {}
    for path, value in values.items():
        try:
            type_name = relay.GlobalID.from_id(str(value)).type_name
        except Exception:  # undecodable: decode_id reports it
            type_name = "Image"
        kind = "Document" if type_name == "Document" else "Image"
        decoded[path] = decode_id(issues, value, kind, path)
    issues.raise_if_any()
    return decoded


def decode_ids(
    values: dict[tuple[str | int, ...], tuple[strawberry.ID, str]],
) -> dict[tuple[str | int, ...], int]:
    """Decode several global IDs at once; every bad one is reported together."""
    issues = Issues()
    decoded = {path: decode_id(issues, value, kind, path) for path, (value, kind) in values.items()}
    issues.raise_if_any()
    return decoded


def decode_one(value: strawberry.ID, type_name: str, field: str = "id") -> int:
    """The database id inside the global ID at input field ``field``."""
    return decode_ids({(field,): (value, type_name)})[(field,)]
