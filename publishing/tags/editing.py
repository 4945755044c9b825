"""Creating, renaming and deleting tags (administrators only).

Every function runs inside the caller's transaction (one per mutation): it checks the whole
input, reports every problem at once, and writes nothing unless all of it is valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import Actor, Permission, Role
from publishing.authors.editing import check_localised, check_short_slug
from publishing.errors import Issues, NotFoundError
from publishing.events import tag_changed
from publishing.integrity import Race, flush
from publishing.languages.service import load_enabled_languages
from publishing.menus.models import MenuItem
from publishing.menus.references import refuse_if_in_menus
from publishing.seo.overrides import LocalizedSeo, check_localized_seo, replace_localized_seo
from publishing.seo.reading import TAG_SEO
from publishing.tags.models import Tag, TagName
from publishing.tags.reading import TagView
from publishing.unset import UNSET, Unset

__all__ = ["TagNameData", "create_tag", "delete_tag", "tag_view", "update_tag"]

MAX_TAG_SLUG = 100  # the column's width
MAX_TAG_NAME = 200

CREATE_TAG = Permission(Role.ADMIN, "Creating a tag")
CHANGE_TAG = Permission(Role.ADMIN, "Changing a tag")
DELETE_TAG = Permission(Role.ADMIN, "Deleting a tag")


class TagNameData(NamedTuple):
    """A tag's name in one language; in an update, ``name=None`` deletes that language's name
    (UNSET: the client left it out, which is reported)."""

    language: str
    name: str | Unset | None


async def _check_slug(
    session: AsyncSession, issues: Issues, slug: str, tag_id: int | None = None
) -> None:
    if not check_short_slug(issues, slug, limit=MAX_TAG_SLUG):
        return
    statement = select(Tag.id).where(Tag.slug == slug)
    if tag_id is not None:
        statement = statement.where(Tag.id != tag_id)
    if await session.scalar(statement) is not None:
        issues.add(("slug",), "TAKEN", f"The slug {slug!r} is already used by another tag.")


async def _check_names(
    session: AsyncSession, issues: Issues, names: Sequence[TagNameData], *, deletable: bool
) -> dict[str, str | None]:
    enabled = await load_enabled_languages(session)
    return check_localised(
        issues,
        enabled,
        [(n.language, n.name) for n in names],
        field="names",
        text_field="name",
        limit=MAX_TAG_NAME,
        label="A tag's name",
        deletable=deletable,
    )


async def _flush(session: AsyncSession) -> None:
    await flush(
        session,
        [Race(("slug",), ("slug",), "TAKEN", "The slug was taken by another tag meanwhile.")],
    )


async def get_tag(session: AsyncSession, tag_id: int) -> Tag:
    tag = await session.get(Tag, tag_id)
    if tag is None:
        raise NotFoundError("tag", tag_id)
    return tag


async def tag_view(session: AsyncSession, tag_id: int) -> TagView:
    """The tag with its names as stored now (read afresh, not from the session's cache)."""
    tag = await get_tag(session, tag_id)
    rows = await session.execute(
        select(TagName.language, TagName.name).where(TagName.tag_id == tag_id)
    )
    return TagView(tag.id, tag.slug, {language: name for language, name in rows})


# -- the operations --------------------------------------------------------------------------


async def create_tag(
    session: AsyncSession,
    actor: Actor,
    slug: str,
    names: Sequence[TagNameData],
    *,
    now: dt.datetime,
    seo: Sequence[LocalizedSeo] = (),
) -> Tag:
    """A new tag, named in at least one enabled language (with SEO overrides in any)."""
    actor.require(CREATE_TAG)
    issues = Issues()
    await _check_slug(session, issues, slug)
    if not names:
        issues.add(("names",), "REQUIRED", "A tag needs a name in at least one language.")
    by_language = await _check_names(session, issues, names, deletable=False)
    enabled = await load_enabled_languages(session)
    overrides = await check_localized_seo(session, issues, enabled, seo, deletable=False)
    issues.raise_if_any()

    tag = Tag(slug=slug)
    session.add(tag)
    await _flush(session)
    for language, name in by_language.items():
        assert name is not None
        session.add(TagName(tag_id=tag.id, language=language, name=name.strip()))
    await session.flush()
    await replace_localized_seo(session, TAG_SEO, tag.id, overrides)
    await tag_changed(session, tag.id, now=now)
    return tag


async def update_tag(
    session: AsyncSession,
    actor: Actor,
    tag_id: int,
    *,
    slug: str | Unset = UNSET,
    names: Sequence[TagNameData] | Unset = UNSET,
    seo: Sequence[LocalizedSeo] | Unset = UNSET,
    now: dt.datetime,
) -> Tag:
    """Change the slug and/or the names of the languages given (None deletes one); names in
    languages left out stay. A tag keeps at least one name."""
    actor.require(CHANGE_TAG)
    tag = await get_tag(session, tag_id)
    issues = Issues()
    if slug is not UNSET:
        await _check_slug(session, issues, slug, tag.id)
    by_language: dict[str, str | None] = {}
    existing: dict[str, TagName] = {}
    if names is not UNSET:
        by_language = await _check_names(session, issues, names, deletable=True)
        existing = {
            n.language: n
            for n in await session.scalars(select(TagName).where(TagName.tag_id == tag.id))
        }
        remaining = {lang for lang in existing if by_language.get(lang, "") is not None}
        remaining |= {lang for lang, name in by_language.items() if name is not None}
        if not remaining:
            issues.add(("names",), "REQUIRED", "A tag keeps a name in at least one language.")
    overrides = {}
    if seo is not UNSET:
        enabled = await load_enabled_languages(session)
        overrides = await check_localized_seo(session, issues, enabled, seo, deletable=True)
    issues.raise_if_any()

    if slug is not UNSET:
        tag.slug = slug
        await _flush(session)
    for language, name in by_language.items():
        row = existing.get(language)
        if name is None:
            if row is not None:
                await session.delete(row)
        elif row is None:
            session.add(TagName(tag_id=tag.id, language=language, name=name.strip()))
        else:
            row.name = name.strip()
    await session.flush()
    await replace_localized_seo(session, TAG_SEO, tag.id, overrides)
    await tag_changed(session, tag.id, now=now)
    return tag


async def delete_tag(session: AsyncSession, actor: Actor, tag_id: int, *, now: dt.datetime) -> int:
    """Delete a tag with its names; the stories that had it simply lose it. A tag a menu
    links to is kept (IN_MENU)."""
    actor.require(DELETE_TAG)
    tag = await get_tag(session, tag_id)
    await refuse_if_in_menus(session, MenuItem.tag_id == tag_id, "tag")
    await tag_changed(session, tag.id, now=now, deleted=True)
    session.expunge(tag)
    # Names and story links go with it (ON DELETE CASCADE).
    await session.execute(delete(Tag).where(Tag.id == tag_id))
    return tag_id
