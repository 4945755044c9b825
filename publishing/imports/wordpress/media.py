"""The import's media: every attachment of the export, and every upload of the site a post
shows that no attachment item describes, taken in as media assets before the posts are
written, so a post's unit only looks up what its images became.

Files come from their addresses, through ``publishing.media.fetching`` (the address checks
of ``createMediaFromUrl``: public addresses only, every redirect checked, the time and size
limits), or with ``folder`` from a copy of the site's ``uploads/`` folder, with no network at
all. Either way they go through the same ingest as an upload. A few are fetched at once.

What was taken in before (an ``ImportedMedia`` row with its asset) is not fetched again. A
file that cannot be had (unreachable, refused, missing from the folder) is kept as a pending
row with the reason; its images stay at their WordPress address, the report lists them, and
the next import tries again.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Protocol

import anyio
import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.errors import UnknownLanguageError, ValidationFailed, invalid
from publishing.imports.models import ImportedMedia
from publishing.imports.records import Origin
from publishing.imports.report import ImportReport, ProblemKind
from publishing.imports.units import Units
from publishing.imports.wordpress.body import plain_text
from publishing.imports.wordpress.context import IMPORTER
from publishing.imports.wordpress.index import ExportIndex
from publishing.imports.wordpress.library import MediaLibrary, Placed
from publishing.imports.wordpress.uploads import Attachment, Uploads, url_key
from publishing.languages.service import EnabledLanguages
from publishing.media.editing import MediaChanges, MediaTextData, update_media
from publishing.media.fetching import URL_PATH, fetched, new_client
from publishing.media.ingest import Received, ingest_received, receive
from publishing.media.limits import MediaLimits
from publishing.media.models import MediaAsset, MediaKind
from publishing.media.storage import MediaStorage
from publishing.media.usage import find_usages
from publishing.unset import UNSET

__all__ = ["MediaProgress", "MediaSource", "import_media"]

_CHUNK: Final = 256 * 1024
_MAX_FAILURE: Final = 500
# Refusals: the file was reached (or its address judged) and not taken. Anything else means
# it could not be had at all.
_REFUSALS: Final = frozenset(
    {
        *("PRIVATE_ADDRESS", "INVALID_URL", "TOO_LONG", "TOO_LARGE", "TOO_MANY_PIXELS"),
        *("UNSUPPORTED_TYPE", "EXTENSION_MISMATCH", "DAMAGED", "EMPTY", "TOO_MANY_REDIRECTS"),
    }
)


class MediaProgress(Protocol):
    def fetching(self, total: int) -> None: ...
    def advance(self, step: int = 1) -> None: ...


@dataclass(frozen=True, slots=True)
class MediaSource:
    """Where the import's files come from and where they go."""

    storage: MediaStorage
    limits: MediaLimits = field(default_factory=MediaLimits)
    folder: Path | None = None  # a copy of the site's uploads/ folder: read, never fetched
    transport: httpx.AsyncBaseTransport | None = None  # tests answer fetches themselves
    concurrency: int = 4


@dataclass(frozen=True, slots=True)
class _Target:
    external_id: str
    url: str
    label: str  # "attachment 611", or the address
    attachment: Attachment | None = None


def _url_id(key: str) -> str:
    return "url:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def _targets(index: ExportIndex) -> list[_Target]:
    uploads = index.uploads
    targets = [
        _Target(f"attachment:{a.post_id}", a.url, a.name, a)
        for a in uploads.attachments.values()
        if url_key(a.url) is not None
    ]
    seen: set[str] = set()
    for post in index.posts.values():
        for src in post.references.urls:
            key = url_key(src)
            if key is None or key in seen or not uploads.is_own(src):
                continue
            seen.add(key)
            if uploads.attachment_at(src) is None:
                targets.append(_Target(_url_id(key), src.strip(), src.strip()))
    return targets


async def _existing(
    session: AsyncSession, origin: Origin
) -> dict[str, tuple[ImportedMedia, MediaKind | None]]:
    rows = await session.execute(
        select(ImportedMedia, MediaAsset.kind)
        .outerjoin(MediaAsset, MediaAsset.id == ImportedMedia.asset_id)
        .where(ImportedMedia.system == origin.system, ImportedMedia.site == origin.site)
    )
    return {row.external_id: (row, kind) for row, kind in rows}


@contextlib.asynccontextmanager
async def _from_folder(
    folder: Path, relative: str | None, limits: MediaLimits
) -> AsyncIterator[tuple[Received, str]]:
    """The file at ``relative`` in the copied uploads folder (never outside it)."""
    root = await anyio.Path(folder).resolve()
    path = await (root / relative).resolve() if relative else root
    if path == root or not path.is_relative_to(root) or not await path.is_file():
        invalid(URL_PATH, "NOT_IN_FOLDER", f"{relative or 'the file'} is not in {folder}.")

    async def chunks() -> AsyncIterator[bytes]:
        async with await anyio.open_file(path, "rb") as file:
            while chunk := await file.read(_CHUNK):
                yield chunk

    async with receive(chunks(), max_bytes=limits.max_bytes) as received:
        yield received, path.name


def _reason(error: ValidationFailed) -> tuple[str, bool]:
    """The failure as one line, and whether it was a refusal."""
    text = " ".join(issue.message for issue in error.issues)[:_MAX_FAILURE]
    return text, any(issue.code in _REFUSALS for issue in error.issues)


@dataclass(slots=True)
class _Run:
    units: Units
    source: MediaSource
    client: httpx.AsyncClient | None
    origin: Origin
    enabled: EnabledLanguages
    default_language: str
    now: dt.datetime
    report: ImportReport
    uploads: Uploads

    def _received(
        self, target: _Target
    ) -> contextlib.AbstractAsyncContextManager[tuple[Received, str]]:
        folder = self.source.folder
        if folder is not None:
            relative = self.uploads.relative_path(target.url, target.attachment)
            return _from_folder(folder, relative, self.source.limits)
        assert self.client is not None
        return fetched(self.client, target.url, self.source.limits)

    def _language(self, attachment: Attachment) -> str:
        try:
            return self.enabled.resolve(attachment.language or self.default_language)
        except UnknownLanguageError:
            return self.default_language

    async def _describe(self, session: AsyncSession, asset: MediaAsset, target: _Target) -> None:
        """The attachment's alt text and caption on the asset it made (not on an asset
        someone uploaded before: theirs are kept)."""
        attachment = target.attachment
        if attachment is None:
            return
        alt = plain_text(attachment.alt) or None
        caption = plain_text(attachment.caption) or None
        if alt is None and caption is None:
            return
        text = MediaTextData(self._language(attachment), alt=alt or UNSET, caption=caption or UNSET)
        try:
            await update_media(
                session,
                IMPORTER,
                asset.id,
                asset.version,
                MediaChanges(texts=[text]),
                usages=find_usages,
                now=self.now,
            )
        except ValidationFailed as error:
            self.report.problem(
                ProblemKind.MEDIA, f"{target.label}: texts not kept: {_reason(error)[0]}"
            )

    async def _keep(
        self, session: AsyncSession, target: _Target, asset_id: int | None, failure: str | None
    ) -> None:
        row = await session.scalar(
            select(ImportedMedia).where(
                ImportedMedia.system == self.origin.system,
                ImportedMedia.site == self.origin.site,
                ImportedMedia.external_id == target.external_id,
            )
        )
        if row is None:
            row = ImportedMedia(
                system=self.origin.system,
                site=self.origin.site,
                external_id=target.external_id,
                attempts=0,
                imported_at=self.now,
            )
            session.add(row)
        row.url = target.url
        row.asset_id = asset_id
        row.failure = failure
        row.attempts = (row.attempts or 0) + (1 if failure else 0)
        row.updated_at = self.now
        await session.flush()

    async def take_in(self, target: _Target) -> Placed:
        try:
            async with (
                self._received(target) as (received, name),
                self.units.unit() as session,
            ):
                done = await ingest_received(
                    session,
                    IMPORTER,
                    self.source.storage,
                    received,
                    name,
                    now=self.now,
                    limits=self.source.limits,
                )
                if done.created:
                    await self._describe(session, done.asset, target)
                await self._keep(session, target, done.asset.id, None)
            self.report.media_taken_in += 1
            return Placed(target.url, done.asset.id, done.asset.kind)
        except ValidationFailed as error:
            failure, refused = _reason(error)
        except OSError as error:
            failure, refused = f"{type(error).__name__}: {error}"[:_MAX_FAILURE], False
        async with self.units.unit() as session:
            await self._keep(session, target, None, failure)
        if refused:
            self.report.media_refused += 1
        else:
            self.report.media_unreachable += 1
        return Placed(target.url, failure=failure)


async def import_media(
    units: Units,
    index: ExportIndex,
    source: MediaSource | None,
    *,
    origin: Origin,
    enabled: EnabledLanguages,
    default_language: str,
    now: dt.datetime,
    report: ImportReport,
    progress: MediaProgress | None = None,
) -> MediaLibrary:
    """Every file of the export taken in (or found taken in before); what each became."""
    library = MediaLibrary(index.uploads)
    targets = _targets(index)
    report.media_files = len(targets)
    async with units.unit() as session:
        existing = await _existing(session, origin)
    missing: list[_Target] = []
    for target in targets:
        row_kind = existing.get(target.external_id)
        if row_kind is not None and row_kind[0].asset_id is not None:
            report.media_here += 1
            _place(library, target, Placed(target.url, row_kind[0].asset_id, row_kind[1]))
        else:
            missing.append(target)
    if source is None or units.dry_run:
        # A dry run takes nothing in: its images stay where they are, unreported.
        for target in missing:
            _place(library, target, Placed(target.url))
        report.media_not_tried += len(missing)
        return library
    async with contextlib.AsyncExitStack() as stack:
        client = None
        if source.folder is None:
            client = await stack.enter_async_context(new_client(source.transport))
        run = _Run(
            units,
            source,
            client,
            origin,
            enabled,
            default_language,
            now,
            report,
            index.uploads,
        )
        queue = iter(missing)

        async def worker() -> None:
            for target in queue:
                _place(library, target, await run.take_in(target))
                if progress is not None:
                    progress.advance()

        if progress is not None:
            progress.fetching(len(missing))
        await asyncio.gather(*(worker() for _ in range(max(1, source.concurrency))))
    return library


def _place(library: MediaLibrary, target: _Target, placed: Placed) -> None:
    if target.attachment is not None:
        library.by_attachment[target.attachment.post_id] = placed
    else:
        key = url_key(target.url)
        if key is not None:
            library.by_url[key] = placed
