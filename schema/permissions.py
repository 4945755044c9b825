"""Permissions declared on fields: the one place in the schema where access is checked.

A field names the ``Permission`` its service enforces (publishing declares each one next to
the service); ``Requires`` refuses a request without it before the resolver reads any input.
The services check again: the CLI, imports and the demo content call them too.

A field extension rather than a Strawberry permission class: those can only raise, and a
mutation reports a refusal as data (``ForbiddenError`` in its result union), as it reports
every other expected failure.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.types import Info

from publishing import errors
from publishing.access import Permission
from schema.context import Context
from schema.usererrors import ForbiddenError


class Requires(FieldExtension):
    def __init__(self, permission: Permission, *, as_data: bool = False) -> None:
        self.permission = permission
        # Mutations answer a refusal with a ForbiddenError object; query fields raise it, so
        # it reaches the response's top-level `errors` (never masked: it is expected).
        self.as_data = as_data

    def _refusal(self, info: Info[Context, None]) -> ForbiddenError | None:
        try:
            self.permission.check(info.context.actor)
        except errors.ForbiddenError as refused:
            if self.as_data:
                return ForbiddenError.from_domain(refused)
            raise
        return None

    def resolve(
        self, next_: Callable[..., Any], source: Any, info: Info[Context, None], **kwargs: Any
    ) -> Any:
        refused = self._refusal(info)
        return refused if refused is not None else next_(source, info, **kwargs)

    async def resolve_async(
        self,
        next_: Callable[..., Awaitable[Any]],
        source: Any,
        info: Info[Context, None],
        **kwargs: Any,
    ) -> Any:
        refused = self._refusal(info)
        return refused if refused is not None else await next_(source, info, **kwargs)
