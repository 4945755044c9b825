"""Changing what editors say about an asset (alt text and captions per language, credit,
focal point), and deleting assets nothing uses.

Each function runs inside the caller's transaction (one per mutation), checks the whole input
and writes nothing unless all of it is valid. Who may: editors and admins any asset;
contributors the assets they uploaded while only drafts use them (an asset's texts are part of
what every version showing it shows, and contributors change drafts only); deleting is for
editors.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from publishing import events
from publishing.access import Actor, Permission, Role
from publishing.articles.validation import check_text
from publishing.errors import (
    ConflictError,
    ForbiddenError,
    Issue,
    Issues,
    NotFoundError,
    UnknownLanguageError,
    ValidationFailed,
)
from publishing.languages.service import load_enabled_languages
from publishing.media.models import MediaAsset, MediaKind, MediaText
from publishing.unset import UNSET, Unset

__all__ = [
    "CHANGE_MEDIA",
    "DELETE_MEDIA",
    "CheckedChanges",
    "DeletedMedia",
    "FocalPoint",
    "MediaChanges",
    "MediaTextData",
    "Usage",
    "UsageFinder",
    "apply_changes",
    "check_changes",
    "delete_media",
    "get_media",
    "no_usages",
    "update_media",
]

# Contributors change only what they uploaded (checked in _may_change); deleting is for editors.
CHANGE_MEDIA = Permission(Role.CONTRIBUTOR, "Changing media")
DELETE_MEDIA = Permission(Role.EDITOR, "Deleting media")

MAX_ALT = 1_000
MAX_CAPTION = 2_000
MAX_CREDIT = 300


@dataclass(frozen=True, slots=True)
class FocalPoint:
    """Where a cover crop centres: fractions of the width and height, from the top left."""

    x: float
    y: float


@dataclass(frozen=True, slots=True)
class MediaTextData:
    """Alt text and caption in one language (None: the default language); UNSET leaves that
    one as it is, None removes it."""

    language: str | None
    alt: str | Unset | None = UNSET
    caption: str | Unset | None = UNSET


@dataclass(frozen=True, slots=True)
class MediaChanges:
    """A partial update: UNSET leaves a field as it is. ``texts`` changes only the languages
    it names."""

    texts: Sequence[MediaTextData] | Unset = UNSET
    credit: str | Unset | None = UNSET
    focal_point: FocalPoint | Unset | None = UNSET


@dataclass(frozen=True, slots=True)
class Usage:
    """Something that shows an asset: what (``article``, ``author``), which, where in it
    (``featuredImage``, ``body``, ``avatar``, ``attachments``) and a label for people."""

    kind: str
    id: int
    field: str
    label: str
    # An article or page version in draft: what it shows, contributors may change.
    draft: bool = False
    # The language whose texts it shows; None: texts in every language (an author's portrait).
    language: str | None = None


# Finds every usage of one asset; the schema passes the one that knows every place media can
# be used, so this module needs no knowledge of them.
UsageFinder = Callable[[AsyncSession, int], Awaitable[Sequence[Usage]]]


async def no_usages(_session: AsyncSession, _asset_id: int) -> Sequence[Usage]:
    """For callers where nothing can use media yet (and for tests of deletion itself)."""
    return ()


@dataclass(frozen=True, slots=True)
class DeletedMedia:
    """What a deletion leaves to do after commit: remove the files under ``key``."""

    id: int
    key: str


async def get_media(session: AsyncSession, asset_id: int, *, lock: bool = False) -> MediaAsset:
    statement = (
        select(MediaAsset).where(MediaAsset.id == asset_id).options(selectinload(MediaAsset.texts))
    )
    if lock:
        statement = statement.with_for_update(of=MediaAsset)
    asset = await session.scalar(statement)
    if asset is None:
        raise NotFoundError("media asset", asset_id)
    return asset


def _may_change(actor: Actor, asset: MediaAsset) -> None:
    actor.require(CHANGE_MEDIA)
    if actor.role is Role.CONTRIBUTOR and asset.uploaded_by != actor.name:
        raise ForbiddenError("Contributors change only the media they uploaded; ask an editor.")


async def _may_change_what_shows_it(
    session: AsyncSession,
    actor: Actor,
    asset: MediaAsset,
    changes: CheckedChanges,
    usages: UsageFinder,
) -> None:
    """Changing an asset changes what every version showing it shows, so the rule for
    versions applies: a contributor's change may reach drafts only. Texts reach the versions
    of their language; a credit or focal point every one."""
    if actor.role is not Role.CONTRIBUTOR:
        return
    everywhere = changes.credit is not UNSET or changes.focal_point is not UNSET
    languages = set(changes.texts)
    shown = [
        usage
        for usage in await usages(session, asset.id)
        if not usage.draft and (everywhere or usage.language is None or usage.language in languages)
    ]
    if shown:
        names = "; ".join(f"{u.kind} {u.label!r} ({u.field})" for u in shown[:5])
        more = f" and {len(shown) - 5} more" if len(shown) > 5 else ""
        raise ForbiddenError(
            f"{asset.file_name} is shown by {names}{more}, which contributors cannot change; "
            "ask an editor."
        )


def _clean(text: str | None) -> str | None:
    return (text.strip() or None) if text is not None else None


def _check_focal_point(issues: Issues, kind: MediaKind, point: FocalPoint | None) -> None:
    if point is None:
        return
    if kind is not MediaKind.IMAGE:
        issues.add(("focalPoint",), "NOT_AN_IMAGE", "Only images have a focal point.")
        return
    for name, value in (("x", point.x), ("y", point.y)):
        if not (math.isfinite(value) and 0.0 <= value <= 1.0):
            issues.add(
                ("focalPoint", name),
                "OUT_OF_RANGE",
                f"{name} is a fraction of the image's size, from 0 to 1; got {value!r}.",
            )


async def _check_texts(
    session: AsyncSession, issues: Issues, texts: Sequence[MediaTextData]
) -> dict[str, MediaTextData]:
    enabled = await load_enabled_languages(session)
    by_language: dict[str, MediaTextData] = {}
    seen: dict[str, int] = {}
    for index, item in enumerate(texts):
        if item.language is None:
            tag = enabled.default
        else:
            try:
                tag = enabled.resolve(item.language)
            except UnknownLanguageError as error:
                issues.add(("texts", index, "language"), "NOT_ENABLED", error.message)
                continue
        if tag in seen:
            issues.add(
                ("texts", index, "language"),
                "DUPLICATE",
                f"Language {tag!r} is already given at index {seen[tag]}.",
            )
            continue
        seen[tag] = index
        for field, value, limit, label in (
            ("alt", item.alt, MAX_ALT, "Alt text"),
            ("caption", item.caption, MAX_CAPTION, "A caption"),
        ):
            if isinstance(value, str):
                check_text(issues, value, ("texts", index, field), limit=limit, label=label)
        by_language[tag] = item
    return by_language


@dataclass(frozen=True, slots=True)
class CheckedChanges:
    """``MediaChanges`` found valid (``check_changes``), ready to apply: the credit cleaned,
    the texts by enabled language tag."""

    credit: str | Unset | None
    focal_point: FocalPoint | Unset | None
    texts: Mapping[str, MediaTextData]


async def check_changes(
    session: AsyncSession, kind: MediaKind, changes: MediaChanges
) -> CheckedChanges:
    """Check every part of ``changes`` for an asset of ``kind``; ValidationFailed lists every
    problem at once. Reads the enabled languages only when texts are given."""
    issues = Issues()
    credit = UNSET if changes.credit is UNSET else _clean(changes.credit)
    if isinstance(credit, str):
        check_text(issues, credit, ("credit",), limit=MAX_CREDIT, label="A credit")
    if changes.focal_point is not UNSET:
        _check_focal_point(issues, kind, changes.focal_point)
    texts: dict[str, MediaTextData] = {}
    if changes.texts is not UNSET and changes.texts:
        texts = await _check_texts(session, issues, changes.texts)
    issues.raise_if_any()
    return CheckedChanges(credit, changes.focal_point, texts)


def apply_changes(asset: MediaAsset, changes: CheckedChanges) -> None:
    """Write checked changes onto ``asset``: a new one (at ingest) or one loaded with its
    texts (``get_media``)."""
    if changes.credit is not UNSET:
        asset.credit = changes.credit
    if changes.focal_point is not UNSET:
        point = changes.focal_point
        asset.focal_x = None if point is None else point.x
        asset.focal_y = None if point is None else point.y
    existing = {text.language: text for text in asset.texts}
    for language, item in changes.texts.items():
        current = existing.get(language)
        alt = (current.alt if current else None) if item.alt is UNSET else _clean(item.alt)
        caption = (
            (current.caption if current else None)
            if item.caption is UNSET
            else _clean(item.caption)
        )
        if alt is None and caption is None:
            if current is not None:
                asset.texts.remove(current)
        elif current is None:
            asset.texts.append(MediaText(language=language, alt=alt, caption=caption))
        else:
            current.alt, current.caption = alt, caption


async def update_media(
    session: AsyncSession,
    actor: Actor,
    asset_id: int,
    expected_version: int,
    changes: MediaChanges,
    *,
    usages: UsageFinder,
    now: dt.datetime,
) -> MediaAsset:
    """Change an asset's texts, credit or focal point, if it is still at
    ``expected_version`` (else ConflictError with the current version). ``usages`` finds
    what shows the asset (a contributor's change of one shown beyond drafts is refused)."""
    asset = await get_media(session, asset_id, lock=True)
    _may_change(actor, asset)
    if asset.version != expected_version:
        raise ConflictError(expected_version, asset.version, "media asset")
    checked = await check_changes(session, asset.kind, changes)
    await _may_change_what_shows_it(session, actor, asset, checked, usages)
    apply_changes(asset, checked)
    # Bumped for any change, texts included (they live in rows of their own).
    asset.updated_at = now
    try:
        await session.flush()
    except StaleDataError:
        # Unreachable while get_media locks the row; a missed lock still ends as a conflict.
        raise ConflictError(expected_version, expected_version + 1, "media asset") from None
    await session.refresh(asset, ["texts"])
    await events.media_changed(session, asset.id, now=now)
    return asset


async def delete_media(
    session: AsyncSession,
    actor: Actor,
    asset_id: int,
    *,
    usages: UsageFinder,
    now: dt.datetime,
    expected_version: int | None = None,
) -> DeletedMedia:
    """Delete an asset's record; refused (``IN_USE``, listing the usages) while anything uses
    it. The caller removes the files after commit (``remove_files``), so a rolled-back
    deletion loses nothing."""
    actor.require(DELETE_MEDIA)
    asset = await get_media(session, asset_id, lock=True)
    if expected_version is not None and asset.version != expected_version:
        raise ConflictError(expected_version, asset.version, "media asset")
    found = await usages(session, asset.id)
    if found:
        _refuse_in_use(asset, found)
    key = asset.key
    await events.media_changed(session, asset.id, now=now, deleted=True)
    session.expunge(asset)
    try:
        # The texts go with the asset (ON DELETE CASCADE).
        async with session.begin_nested():
            await session.execute(delete(MediaAsset).where(MediaAsset.id == asset_id))
    except IntegrityError as error:
        # A reference made meanwhile, caught by its foreign key.
        raise ValidationFailed(
            [Issue(("id",), "IN_USE", "The asset was put to use meanwhile; it is kept.")]
        ) from error
    return DeletedMedia(asset_id, key)


def _refuse_in_use(asset: MediaAsset, found: Sequence[Usage]) -> None:
    shown = "; ".join(f"{u.kind} {u.label!r} ({u.field})" for u in found[:10])
    more = f" and {len(found) - 10} more" if len(found) > 10 else ""
    raise ValidationFailed(
        [
            Issue(
                ("id",),
                "IN_USE",
                f"{asset.file_name} is used by {shown}{more}; remove those uses first.",
            )
        ]
    )
