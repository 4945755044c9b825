"""Domain errors raised by services; the schema layer maps them to its error types."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NoReturn


class PublishingError(Exception):
    """Base of every expected failure: bad input, missing things, conflicts, permissions."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownLanguageError(PublishingError):
    def __init__(self, code: str, enabled: Sequence[str]) -> None:
        # A code is a few letters; echo no more than that of whatever was sent.
        shown = code if len(code) <= 20 else code[:20] + "..."
        super().__init__(
            f"Language {shown!r} is not enabled; enabled languages: {', '.join(enabled)}."
        )
        self.code = code
        self.enabled = tuple(enabled)


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem with an input: where (field path), what (code) and why (message)."""

    path: tuple[str | int, ...]
    code: str
    message: str


@dataclass(slots=True)
class Issues:
    """Collects every problem of one input, so a form can mark all bad fields at once."""

    items: list[Issue] = field(default_factory=list)

    def add(self, path: Sequence[str | int], code: str, message: str) -> None:
        self.items.append(Issue(tuple(path), code, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        """End the operation before anything is written when any problem was found."""
        if self.items:
            raise ValidationFailed(self.items)


def invalid(path: Sequence[str | int], code: str, message: str) -> NoReturn:
    """Fail with one input problem."""
    raise ValidationFailed([Issue(tuple(path), code, message)])


class ValidationFailed(PublishingError):
    def __init__(self, issues: Sequence[Issue]) -> None:
        super().__init__("; ".join(i.message for i in issues) or "Invalid input.")
        self.issues = tuple(issues)


class NotFoundError(PublishingError):
    def __init__(self, kind: str, ident: object, message: str | None = None) -> None:
        super().__init__(message or f"No {kind} with id {ident}.")
        self.kind = kind
        self.ident = ident


class ForbiddenError(PublishingError):
    """Not allowed to this actor; ``paths`` name the input fields refused, when the refusal is
    about some fields of an input rather than the whole operation."""

    def __init__(self, message: str, *, paths: Sequence[Sequence[str | int]] = ()) -> None:
        super().__init__(message)
        self.paths = tuple(tuple(path) for path in paths)


class ConflictError(PublishingError):
    """The object changed since the client read it; its current version is attached."""

    def __init__(self, expected: int, current: int, subject: str = "article") -> None:
        super().__init__(
            f"The {subject} was changed by someone else: you edited version {expected}, "
            f"the current version is {current}. Reload it and apply your change again."
        )
        self.expected = expected
        self.current = current
