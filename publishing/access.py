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
class Actor:
    """The editorial identity behind a change: a token's name and role, or a process."""

    name: str
    role: Role

    def require(self, role: Role, action: str) -> None:
        if self.role.rank < role.rank:
            raise ForbiddenError(
                f"{action} needs the {role.value.lower()} role; "
                f"this token has {self.role.value.lower()}."
            )


# Changes made by the system itself (demo content, imports) are recorded under these names.
SYSTEM = Actor("system", Role.ADMIN)
