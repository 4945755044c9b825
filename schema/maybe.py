"""Partial updates: Strawberry's ``Maybe`` (a field left out, or ``Some(value)``) as the
services' ``UNSET`` or a value."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar, overload

from publishing.unset import UNSET, Unset

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
R = TypeVar("R")


class _Some(Protocol[T_co]):
    """``strawberry.Some``, read only: so ``Some[str]`` may fill a ``str | Unset`` field
    (``Some`` itself is invariant, and the type checker would refuse it)."""

    @property
    def value(self) -> T_co: ...


@overload
def given(value: _Some[T] | None) -> T | Unset: ...


@overload
def given(value: _Some[T] | None, convert: Callable[[T], R]) -> R | Unset: ...


def given(value: _Some[T] | None, convert: Callable[[T], R] | None = None) -> T | R | Unset:
    """UNSET when the client left the field out (``strawberry.Maybe`` is None); else its value
    (None too: "set to null"), passed through ``convert`` when one is given."""
    if value is None:
        return UNSET
    return value.value if convert is None else convert(value.value)
