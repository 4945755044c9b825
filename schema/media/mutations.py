"""Media mutations: uploads (the GraphQL multipart request spec), URL ingest, describing an
asset, deleting one nothing uses. Every refusal of ingest is a ValidationError at the field
that brought the file (``file`` or ``url``)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.file_uploads import Upload
from strawberry.types import Info

from publishing.access import Actor
from publishing.errors import Issue, ValidationFailed, invalid
from publishing.media import editing
from publishing.media.editing import FocalPoint, MediaChanges, MediaTextData
from publishing.media.fetching import ingest_url
from publishing.media.ingest import UPLOAD_MEDIA, ingest
from publishing.media.renditions import remove_files
from publishing.media.sniffing import FILE_PATH
from publishing.media.storage import MediaStorage
from publishing.media.usage import find_usages
from publishing.unset import UNSET, Unset
from schema.context import Context
from schema.maybe import given
from schema.media.types import MediaAsset, media_node
from schema.media.usage import asset_id
from schema.mutations import Deleted, mutation, result_union, run_mutation, success_type
from schema.usererrors import (
    AnyUserError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    ValidationError,
)

# Read from Starlette's spooled file a piece at a time: an upload is never whole in memory.
CHUNK = 256 * 1024


@strawberry.input(description="Where a cover crop centres: fractions of width and height.")
class FocalPointInput:
    x: float = strawberry.field(description="0 is the left edge, 1 the right.")
    y: float = strawberry.field(description="0 is the top edge, 1 the bottom.")


@strawberry.input(description="Alt text and caption in one language; left out: unchanged.")
class MediaTextInput:
    language: str = strawberry.field(description='An enabled language, e.g. "en".')
    alt: strawberry.Maybe[str | None] = strawberry.field(description="Null removes it.")
    caption: strawberry.Maybe[str | None] = strawberry.field(description="Null removes it.")


@strawberry.input(
    description="A file and what to say about it, taken in as one change (version 1, one "
    "MEDIA_CREATED event). The same bytes uploaded before give the asset they made then, "
    "unchanged (`created: false`): it keeps its own alt text, caption, credit and focal "
    "point, and the ones given here are checked but not applied (change them with "
    "updateMedia)."
)
class CreateMediaInput:
    file: Upload = strawberry.field(
        description="The multipart request's file (its type is read from its bytes)."
    )
    alt: str | None = strawberry.field(default=None, description="In `language`.")
    caption: str | None = strawberry.field(default=None, description="In `language`.")
    language: str | None = strawberry.field(
        default=None, description="Of `alt` and `caption`; the default language when left out."
    )
    credit: str | None = strawberry.field(default=None, description='E.g. "Photo: AP".')
    focal_point: FocalPointInput | None = strawberry.field(
        default=None, description="Images only; the centre when left out."
    )


@strawberry.input(
    description="Like createMedia, the file fetched from a public http(s) URL; the same "
    "bytes fetched or uploaded before give their asset unchanged, as there."
)
class CreateMediaFromUrlInput:
    url: str
    alt: str | None = None
    caption: str | None = None
    language: str | None = None
    credit: str | None = None
    focal_point: FocalPointInput | None = None


@strawberry.input(description="Fields left out stay as they are.")
class UpdateMediaInput:
    id: strawberry.ID
    expected_version: int = strawberry.field(
        description="The version read; a newer one gives a ConflictError."
    )
    texts: strawberry.Maybe[list[MediaTextInput]] = strawberry.field(
        description="Changes the languages named only; at most one entry per language."
    )
    credit: strawberry.Maybe[str | None] = strawberry.field(description="Null removes it.")
    focal_point: strawberry.Maybe[FocalPointInput | None] = strawberry.field(
        description="Null: the centre."
    )


@strawberry.input
class DeleteMediaInput:
    id: strawberry.ID
    expected_version: int | None = strawberry.field(
        default=None, description="When given, a newer version gives a ConflictError."
    )


@strawberry.type
class CreateMediaSuccess:
    media: MediaAsset
    created: bool = strawberry.field(
        description="False: these bytes were uploaded before, and this is their asset."
    )


@strawberry.type
class MediaSuccess:
    media: MediaAsset


CreateMediaFromUrlSuccess = success_type(CreateMediaSuccess, "CreateMediaFromUrlSuccess")
UpdateMediaSuccess = success_type(MediaSuccess, "UpdateMediaSuccess")
DeleteMediaSuccess = success_type(Deleted, "DeleteMediaSuccess")

CreateMediaResult = result_union(
    "CreateMediaResult", CreateMediaSuccess, ValidationError, ForbiddenError
)
CreateMediaFromUrlResult = result_union(
    "CreateMediaFromUrlResult", CreateMediaFromUrlSuccess, ValidationError, ForbiddenError
)
UpdateMediaResult = result_union(
    "UpdateMediaResult",
    UpdateMediaSuccess,
    ValidationError,
    ConflictError,
    NotFoundError,
    ForbiddenError,
)
DeleteMediaResult = result_union(
    "DeleteMediaResult",
    DeleteMediaSuccess,
    ValidationError,
    ConflictError,
    NotFoundError,
    ForbiddenError,
)


def _focal(point: FocalPointInput | None) -> FocalPoint | None:
    return None if point is None else FocalPoint(point.x, point.y)


async def _chunks(upload: Upload) -> AsyncIterator[bytes]:
    read = getattr(upload, "read", None)
    if read is None:
        # A value where a file belongs (`"file": "x"` in JSON variables or the query).
        invalid(
            FILE_PATH,
            "NOT_A_FILE",
            "Send the file in a multipart request (the GraphQL multipart request spec).",
        )
    while chunk := await read(CHUNK):
        yield chunk


def _storage(info: Info[Context, None]) -> MediaStorage:
    storage = info.context.media_storage
    if storage is None:
        raise RuntimeError("the context has no media storage: run the schema through the app")
    return storage


def _description(input: CreateMediaInput | CreateMediaFromUrlInput) -> MediaChanges:
    """What the create input says about the file, as the partial update updateMedia makes
    (its texts in one language, the default one when none is given)."""
    texts: list[MediaTextData] | Unset = UNSET
    if input.alt is not None or input.caption is not None:
        alt = UNSET if input.alt is None else input.alt
        caption = UNSET if input.caption is None else input.caption
        texts = [MediaTextData(input.language, alt, caption)]
    return MediaChanges(
        texts=texts,
        credit=input.credit if input.credit is not None else UNSET,
        focal_point=_focal(input.focal_point) if input.focal_point is not None else UNSET,
    )


@contextlib.contextmanager
def _create_paths() -> Iterator[None]:
    """Problems of the description at the create input's own fields."""
    try:
        yield
    except ValidationFailed as error:
        raise ValidationFailed([_flatten(i) for i in error.issues]) from None


def _flatten(issue: Issue) -> Issue:
    # The create input has one language's alt and caption at its top level, not a list.
    if issue.path[:2] == ("texts", 0):
        return Issue(issue.path[2:], issue.code, issue.message)
    return issue


def _text_change(text: MediaTextInput) -> MediaTextData:
    return MediaTextData(text.language, given(text.alt), given(text.caption))


@strawberry.type
class MediaMutations:
    @mutation(
        CreateMediaResult,
        needs=UPLOAD_MEDIA,
        description="Upload a file (a multipart request; see the README) as a media asset.",
    )
    async def create_media(
        self, info: Info[Context, None], input: CreateMediaInput
    ) -> CreateMediaSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> CreateMediaSuccess:
            with _create_paths():
                ingested = await ingest(
                    session,
                    actor,
                    _storage(info),
                    _chunks(input.file),
                    getattr(input.file, "filename", None) or "upload",
                    now=info.context.now,
                    limits=info.context.media_limits,
                    description=_description(input),
                    reads=info.context.reads.session,
                )
            return CreateMediaSuccess(media=media_node(ingested.asset), created=ingested.created)

        return await run_mutation(info, work)

    @mutation(
        CreateMediaFromUrlResult,
        needs=UPLOAD_MEDIA,
        description="Fetch a file from a public http(s) URL as a media asset.",
    )
    async def create_media_from_url(
        self, info: Info[Context, None], input: CreateMediaFromUrlInput
    ) -> CreateMediaSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> CreateMediaSuccess:
            with _create_paths():
                ingested = await ingest_url(
                    session,
                    actor,
                    _storage(info),
                    input.url,
                    now=info.context.now,
                    limits=info.context.media_limits,
                    description=_description(input),
                    reads=info.context.reads.session,
                )
            return CreateMediaFromUrlSuccess(
                media=media_node(ingested.asset), created=ingested.created
            )

        return await run_mutation(info, work)

    @mutation(
        UpdateMediaResult,
        needs=editing.CHANGE_MEDIA,
        description="Change an asset's alt text and captions, credit or focal point.",
    )
    async def update_media(
        self, info: Info[Context, None], input: UpdateMediaInput
    ) -> MediaSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> MediaSuccess:
            changes = MediaChanges(
                texts=given(input.texts, lambda texts: [_text_change(t) for t in texts]),
                credit=given(input.credit),
                focal_point=given(input.focal_point, _focal),
            )
            asset = await editing.update_media(
                session,
                actor,
                asset_id(input.id),
                input.expected_version,
                changes,
                usages=find_usages,
                now=info.context.now,
            )
            return UpdateMediaSuccess(media=media_node(asset))

        return await run_mutation(info, work)

    @mutation(
        DeleteMediaResult,
        needs=editing.DELETE_MEDIA,
        description="Delete an asset nothing uses (a ValidationError IN_USE names the uses).",
    )
    async def delete_media(
        self, info: Info[Context, None], input: DeleteMediaInput
    ) -> Deleted | AnyUserError:
        storage = _storage(info)

        async def work(session: AsyncSession, actor: Actor) -> editing.DeletedMedia:
            return await editing.delete_media(
                session,
                actor,
                asset_id(input.id),
                usages=find_usages,
                now=info.context.now,
                expected_version=input.expected_version,
            )

        result = await run_mutation(info, work)
        if not isinstance(result, editing.DeletedMedia):
            return result
        # After commit: a rolled-back deletion keeps its files.
        await remove_files(storage, result.key)
        return DeleteMediaSuccess(deleted_id=input.id)
