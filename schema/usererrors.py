"""Errors as data: what a mutation can fail with, as types in its result union."""

from __future__ import annotations

import strawberry

from publishing import errors


@strawberry.interface(description="A problem the client can act on; never a crash.")
class UserError:
    message: str


@strawberry.type(description="One problem with the input.")
class InputIssue:
    path: list[str] = strawberry.field(
        description='Where: input field names and list indexes, e.g. ["footnotes", "2", "key"].'
    )
    code: str = strawberry.field(description="What, for programs: e.g. REQUIRED, TAKEN.")
    message: str = strawberry.field(description="What, for people.")


@strawberry.type(description="The input has problems; all of them are listed, nothing was saved.")
class ValidationError(UserError):
    issues: list[InputIssue]

    @classmethod
    def from_domain(cls, error: errors.ValidationFailed) -> ValidationError:
        return cls(
            message=error.message,
            issues=[
                InputIssue(path=[str(p) for p in i.path], code=i.code, message=i.message)
                for i in error.issues
            ],
        )

    @classmethod
    def single(cls, path: list[str], code: str, message: str) -> ValidationError:
        return cls(message=message, issues=[InputIssue(path=path, code=code, message=message)])


@strawberry.type(description="Someone changed the object since you read it; nothing was saved.")
class ConflictError(UserError):
    current_version: int

    @classmethod
    def from_domain(cls, error: errors.ConflictError) -> ConflictError:
        return cls(message=error.message, current_version=error.current)


@strawberry.type(description="The object does not exist, or is not visible to you.")
class NotFoundError(UserError):
    @classmethod
    def from_domain(cls, error: errors.NotFoundError) -> NotFoundError:
        return cls(message=error.message)


@strawberry.type(description="Your token's role does not allow this; nothing was saved.")
class ForbiddenError(UserError):
    issues: list[InputIssue] = strawberry.field(
        description="The input fields refused, each with its path as in ValidationError (e.g. "
        '["tagIds"] when a contributor may not change the tags that published versions '
        "show). Empty when the whole operation is refused."
    )

    @classmethod
    def from_domain(cls, error: errors.ForbiddenError) -> ForbiddenError:
        return cls(
            message=error.message,
            issues=[
                InputIssue(path=[str(p) for p in path], code="FORBIDDEN", message=error.message)
                for path in error.paths
            ],
        )


# Every error type; a mutation's result union names those it can return.
AnyUserError = ValidationError | ConflictError | NotFoundError | ForbiddenError
# The errors every change of one existing object under expectedVersion can meet.
CHANGE_ERRORS = (ValidationError, ConflictError, NotFoundError, ForbiddenError)


def as_user_error(error: errors.PublishingError) -> AnyUserError:
    """The schema type for a domain error (each mutation's union lists those it can return)."""
    if isinstance(error, errors.ValidationFailed):
        return ValidationError.from_domain(error)
    if isinstance(error, errors.ConflictError):
        return ConflictError.from_domain(error)
    if isinstance(error, errors.NotFoundError):
        return NotFoundError.from_domain(error)
    if isinstance(error, errors.ForbiddenError):
        return ForbiddenError.from_domain(error)
    if isinstance(error, errors.UnknownLanguageError):
        return ValidationError.single(["language"], "NOT_ENABLED", error.message)
    raise error
