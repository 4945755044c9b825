"""A marker for "left out" in partial updates, distinct from None ("set to null")."""

from __future__ import annotations

import enum
from typing import Final, Literal, TypeAlias, TypeVar

T = TypeVar("T")


class _Unset(enum.Enum):
    UNSET = "UNSET"

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset.UNSET
Unset: TypeAlias = Literal[_Unset.UNSET]
