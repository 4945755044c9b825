"""Who is acting, and what each editorial role may do."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from publishing.errors import ForbiddenError


class Role(enum.StrEnum):
    CONTRIBUTOR = "CONTRIBUTOR"  # writes and edits drafts
    EDITOR = "EDITOR"  # everything on content: publishing and deleting included
    ADMIN = "ADMIN"  # also authors, tags, languages and tokens

    @property
    def rank(self) -> int:
        return list(Role).index(self)


@dataclass(frozen=True, slots=True)
class Permission:
    """What one action needs. Declared once, next to the service that performs it: the
    service enforces it, and the schema declares the same object on its field to refuse a
    request before reading its input."""

    role: Role
    action: str  # "Publishing": the start of the message a refusal gives

    def check(self, actor: Actor | None) -> Actor:
        """The actor, when it may act; ForbiddenError otherwise (no token included)."""
        if actor is None:
            raise ForbiddenError(
                f"{self.action} needs a token with the {self.role.value.lower()} role: send "
                "'Authorization: Bearer <token>'."
            )
        actor.require(self)
        return actor


@dataclass(frozen=True, slots=True)
class Actor:
    """The editorial identity behind a change: a token's name and role, or a process."""

    name: str
    role: Role

    def require(self, permission: Permission) -> None:
        if self.role.rank < permission.role.rank:
            raise ForbiddenError(
                f"{permission.action} needs the {permission.role.value.lower()} role; "
                f"this token has {self.role.value.lower()}."
            )


# Changes made by the system itself (demo content, imports) are recorded under these names.
SYSTEM = Actor("system", Role.ADMIN)
