"""Creating, changing and deleting authors and their bios (administrators only).

Every function runs inside the caller's transaction (one per mutation): it checks the whole
input, reports every problem at once, and writes nothing unless all of it is valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NoReturn

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import Actor, Permission, Role
from publishing.articles.models import ContributorCredit
from publishing.articles.validation import check_slug, check_text
from publishing.authors.models import Author, AuthorBio
from publishing.errors import Issues, NotFoundError, UnknownLanguageError, ValidationFailed
from publishing.events import author_changed
from publishing.integrity import Race, flush
from publishing.languages.service import EnabledLanguages, load_enabled_languages
from publishing.media.attaching import check_image, set_avatar
from publishing.seo.overrides import LocalizedSeo, check_localized_seo, replace_localized_seo
from publishing.seo.reading import AUTHOR_SEO
from publishing.unset import UNSET, Unset
from publishing.weburls import check_web_url

__all__ = [
    "AuthorChanges",
    "BioData",
    "NewAuthor",
    "create_author",
    "delete_author",
    "update_author",
]

MAX_AUTHOR_SLUG = 100  # the column's width (article slugs may be longer)
MAX_NAME = 200
MAX_AVATAR_URL = 2_000
MAX_BIO = 50_000

CREATE_AUTHOR = Permission(Role.ADMIN, "Creating an author")
CHANGE_AUTHOR = Permission(Role.ADMIN, "Changing an author")
DELETE_AUTHOR = Permission(Role.ADMIN, "Deleting an author")


@dataclass(frozen=True, slots=True)
class BioData:
    """A bio in one language; in an update, ``markdown=None`` deletes that language's bio
    (UNSET: the client left it out, which is reported)."""

    language: str
    markdown: str | Unset | None


@dataclass(frozen=True, slots=True)
class NewAuthor:
    slug: str
    name: str
    avatar_url: str | None = None
    bios: Sequence[BioData] = ()
    avatar_id: int | None = None
    # The author's page's SEO overrides, per language.
    seo: Sequence[LocalizedSeo] = ()


@dataclass(frozen=True, slots=True)
class AuthorChanges:
    """A partial update: UNSET leaves a field as it is. ``bios`` changes only the languages it
    names (markdown sets that language's bio, None deletes it); the others stay."""

    slug: str | Unset = UNSET
    name: str | Unset = UNSET
    avatar_url: str | Unset | None = UNSET
    bios: Sequence[BioData] | Unset = UNSET
    # An image in the media library; None removes it.
    avatar_id: int | Unset | None = UNSET
    # Like ``bios``: the languages named change (None deletes one's overrides), others stay.
    seo: Sequence[LocalizedSeo] | Unset = UNSET


# -- checks ----------------------------------------------------------------------------------


def check_short_slug(issues: Issues, slug: str, *, limit: int = MAX_AUTHOR_SLUG) -> bool:
    """``check_slug`` within the column's width; True when the slug is well formed."""
    before = len(issues.items)
    if len(slug) > limit:
        issues.add(("slug",), "TOO_LONG", f"A slug has at most {limit} characters.")
    else:
        check_slug(issues, slug)
    return len(issues.items) == before


async def _check_slug_free(
    session: AsyncSession, issues: Issues, slug: str, author_id: int | None = None
) -> None:
    statement = select(Author.id).where(Author.slug == slug)
    if author_id is not None:
        statement = statement.where(Author.id != author_id)
    if await session.scalar(statement) is not None:
        issues.add(("slug",), "TAKEN", f"The slug {slug!r} is already used by another author.")


def _check_name(issues: Issues, name: str) -> None:
    check_text(issues, name, ("name",), limit=MAX_NAME, required=True, label="A name")


def _avatar_url(url: str | None) -> str | None:
    """Stored form: surrounding blanks dropped, an empty URL is no URL."""
    return (url.strip() or None) if url is not None else None


def _check_avatar_url(issues: Issues, url: str | None) -> None:
    check_web_url(issues, url, ("avatarUrl",), limit=MAX_AVATAR_URL)


def check_localised(
    issues: Issues,
    enabled: EnabledLanguages,
    items: Sequence[tuple[str, str | Unset | None]],
    *,
    field: str,
    text_field: str,
    limit: int,
    label: str,
    deletable: bool,
) -> dict[str, str | None]:
    """Checks per-language texts (``(language, text)`` pairs at ``field``); returns them by
    canonical language tag. With ``deletable``, None is allowed and means "delete"; UNSET
    (left out) is always reported."""
    by_language: dict[str, str | None] = {}
    seen: dict[str, int] = {}
    for index, (language, text) in enumerate(items):
        language_path = (field, index, "language")
        text_path = (field, index, text_field)
        try:
            tag = enabled.resolve(language)
        except UnknownLanguageError as error:
            issues.add(language_path, "NOT_ENABLED", error.message)
        else:
            if tag in seen:
                issues.add(
                    language_path,
                    "DUPLICATE",
                    f"Language {tag!r} is already given at index {seen[tag]}.",
                )
            else:
                seen[tag] = index
                if text is not UNSET:
                    by_language[tag] = text
        if text is UNSET:
            issues.add(text_path, "REQUIRED", f"{label} is required; send null to delete it.")
        elif text is None and deletable:
            pass
        elif text is not None and not text.strip() and deletable:
            issues.add(text_path, "REQUIRED", f"{label} cannot be empty; send null to delete it.")
        else:
            check_text(issues, text, text_path, limit=limit, required=True, label=label)
    return by_language


def _check_bios(
    issues: Issues, enabled: EnabledLanguages, bios: Sequence[BioData], *, deletable: bool
) -> dict[str, str | None]:
    return check_localised(
        issues,
        enabled,
        [(b.language, b.markdown) for b in bios],
        field="bios",
        text_field="markdown",
        limit=MAX_BIO,
        label="A bio",
        deletable=deletable,
    )


async def _flush(session: AsyncSession) -> None:
    await flush(
        session,
        [Race(("slug",), ("slug",), "TAKEN", "The slug was taken by another author meanwhile.")],
    )


async def get_author(session: AsyncSession, author_id: int) -> Author:
    author = await session.get(Author, author_id)
    if author is None:
        raise NotFoundError("author", author_id)
    return author


# -- the operations --------------------------------------------------------------------------


async def create_author(
    session: AsyncSession, actor: Actor, data: NewAuthor, *, now: dt.datetime
) -> Author:
    actor.require(CREATE_AUTHOR)
    issues = Issues()
    if check_short_slug(issues, data.slug):
        await _check_slug_free(session, issues, data.slug)
    _check_name(issues, data.name)
    avatar_url = _avatar_url(data.avatar_url)
    _check_avatar_url(issues, avatar_url)
    enabled = await load_enabled_languages(session)
    bios = _check_bios(issues, enabled, data.bios, deletable=False)
    await check_image(session, issues, data.avatar_id, ("avatarId",))
    seo = await check_localized_seo(session, issues, enabled, data.seo, deletable=False)
    issues.raise_if_any()

    author = Author(
        slug=data.slug,
        name=data.name.strip(),
        avatar_url=avatar_url,
        created_at=now,
        updated_at=now,
    )
    session.add(author)
    await _flush(session)
    for language, markdown in bios.items():
        assert markdown is not None
        session.add(AuthorBio(author_id=author.id, language=language, markdown=markdown))
    await session.flush()
    if data.avatar_id is not None:
        await set_avatar(session, author.id, data.avatar_id)
    await replace_localized_seo(session, AUTHOR_SEO, author.id, seo)
    await author_changed(session, author.id, now=now)
    return author


async def update_author(
    session: AsyncSession, actor: Actor, author_id: int, changes: AuthorChanges, *, now: dt.datetime
) -> Author:
    actor.require(CHANGE_AUTHOR)
    author = await get_author(session, author_id)
    issues = Issues()
    if changes.slug is not UNSET and check_short_slug(issues, changes.slug):
        await _check_slug_free(session, issues, changes.slug, author.id)
    if changes.name is not UNSET:
        _check_name(issues, changes.name)
    avatar_url = UNSET if changes.avatar_url is UNSET else _avatar_url(changes.avatar_url)
    if avatar_url is not UNSET:
        _check_avatar_url(issues, avatar_url)
    bios: dict[str, str | None] = {}
    if changes.bios is not UNSET:
        enabled = await load_enabled_languages(session)
        bios = _check_bios(issues, enabled, changes.bios, deletable=True)
    if changes.avatar_id is not UNSET:
        await check_image(session, issues, changes.avatar_id, ("avatarId",))
    seo = {}
    if changes.seo is not UNSET:
        seo = await check_localized_seo(
            session, issues, await load_enabled_languages(session), changes.seo, deletable=True
        )
    issues.raise_if_any()

    if changes.slug is not UNSET:
        author.slug = changes.slug
    if changes.name is not UNSET:
        author.name = changes.name.strip()
    if avatar_url is not UNSET:
        author.avatar_url = avatar_url
    # Bumped for any change, bios included (they live in rows of their own).
    author.updated_at = now
    await _flush(session)

    existing = {
        bio.language: bio
        for bio in await session.scalars(select(AuthorBio).where(AuthorBio.author_id == author.id))
    }
    for language, markdown in bios.items():
        bio = existing.get(language)
        if markdown is None:
            if bio is not None:
                await session.delete(bio)
        elif bio is None:
            session.add(AuthorBio(author_id=author.id, language=language, markdown=markdown))
        else:
            bio.markdown = markdown
    await session.flush()
    if changes.avatar_id is not UNSET:
        await set_avatar(session, author.id, changes.avatar_id)
    await replace_localized_seo(session, AUTHOR_SEO, author.id, seo)
    await author_changed(session, author.id, now=now)
    return author


async def delete_author(
    session: AsyncSession, actor: Actor, author_id: int, *, now: dt.datetime
) -> int:
    """Delete an author with their bios; refused while any credit names them."""
    actor.require(DELETE_AUTHOR)
    author = await get_author(session, author_id)
    credits = await session.scalar(
        select(func.count(ContributorCredit.id)).where(ContributorCredit.author_id == author.id)
    )
    if credits:
        _refuse_credited(
            f"{author.name} is named in {credits} credit{'' if credits == 1 else 's'} on "
            "articles; remove those credits before deleting the author."
        )
    await author_changed(session, author.id, now=now, deleted=True)
    session.expunge(author)
    try:
        # The bios go with the author (ON DELETE CASCADE).
        await session.execute(delete(Author).where(Author.id == author_id))
    except IntegrityError as error:  # credited meanwhile by another writer
        _refuse_credited(
            f"{author.name} was credited on an article meanwhile; remove that credit first.", error
        )
    return author_id


def _refuse_credited(message: str, cause: Exception | None = None) -> NoReturn:
    issues = Issues()
    issues.add(("id",), "CREDITED", message)
    raise ValidationFailed(issues.items) from cause
