from __future__ import annotations

from enum import Enum

import strawberry
from strawberry.types import Info

from schema.context import Context


@strawberry.enum(description="What a token may do.")
class Role(Enum):
    CONTRIBUTOR = "CONTRIBUTOR"
    EDITOR = "EDITOR"
    ADMIN = "ADMIN"


@strawberry.type(description="Who the request's token belongs to.")
class Viewer:
    name: str
    role: Role


@strawberry.type
class AccessQueries:
    @strawberry.field(description="The token's holder; null for a reader without a token.")
    def viewer(self, info: Info[Context, None]) -> Viewer | None:
        actor = info.context.actor
        return None if actor is None else Viewer(name=actor.name, role=Role(actor.role.value))
