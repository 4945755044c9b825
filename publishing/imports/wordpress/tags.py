"""Tags of posts as Pressroom tags (categories become sections: see ``sections``).

A term translated with Polylang (a ``term_translations`` group) becomes one tag named in each
of its languages; a term on its own is named in the language of the post that first uses it.
A tag already here with the same slug is used as it is.
"""

from __future__ import annotations

import html

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.errors import UnknownLanguageError
from publishing.imports.records import RecordKind, find_record, keep_record
from publishing.imports.wordpress.context import IMPORTER, ImportContext, UnitLog
from publishing.imports.wordpress.convert import make_slug
from publishing.imports.wordpress.reader import ItemTerm, WxrItem
from publishing.tags.editing import MAX_TAG_NAME, MAX_TAG_SLUG, TagNameData, create_tag
from publishing.tags.models import Tag

__all__ = ["tag_ids_for"]

_TAXONOMIES = ("post_tag",)


def _key(taxonomy: str, slug: str) -> str:
    return f"{taxonomy}:{slug}"


def _names(context: ImportContext, term: ItemTerm, language: str) -> tuple[str, list[TagNameData]]:
    """The tag's slug and its names, from the term's translation group when it has one."""
    index = context.index
    own = index.terms.get((term.domain, term.nicename))
    name = html.unescape(term.name or (own.name if own else "") or term.nicename)
    names = {language: name}
    slug_source = term.nicename
    group = index.term_groups.get(own.term_id, {}) if own else {}
    by_id = {t.term_id: t for t in index.terms.values() if t.term_id in set(group.values())}
    for code, term_id in group.items():
        member = by_id.get(term_id)
        try:
            tag = context.enabled.resolve(code)
        except UnknownLanguageError:
            continue
        if member is not None:
            names.setdefault(tag, html.unescape(member.name))
            if tag == context.default_language:
                slug_source = member.slug
    slug = make_slug(slug_source, name, fallback="tag", limit=MAX_TAG_SLUG)
    return slug, [TagNameData(code, text[:MAX_TAG_NAME]) for code, text in names.items()]


async def _tag_for(
    session: AsyncSession, context: ImportContext, term: ItemTerm, language: str, log: UnitLog
) -> int:
    key = _key(term.domain, term.nicename)
    record = await find_record(session, context.origin, RecordKind.TERM, key)
    if record is not None and record.tag_id is not None:
        return record.tag_id
    slug, names = _names(context, term, language)
    existing = await session.scalar(select(Tag.id).where(Tag.slug == slug))
    if existing is not None:
        tag_id = existing
        # Another language of the same group made it earlier in this import: not "matched".
        if not any(tag_id == known for known in (*context.tag_ids.values(), *log.tag_ids.values())):
            log.tags_matched += 1
    else:
        tag_id = (await create_tag(session, IMPORTER, slug, names, now=context.now)).id
        log.tags_created += 1
    await keep_record(session, context.origin, RecordKind.TERM, key, tag_id=tag_id, now=context.now)
    return tag_id


async def tag_ids_for(
    session: AsyncSession, context: ImportContext, item: WxrItem, language: str, log: UnitLog
) -> list[int]:
    ids: list[int] = []
    for term in item.terms:
        if not term.nicename and term.name:
            # Some WXR 1.0 terms come without their slug.
            term = ItemTerm(
                term.domain, make_slug(html.unescape(term.name), fallback=""), term.name
            )
        if term.domain not in _TAXONOMIES or not term.nicename:
            continue
        key = _key(term.domain, term.nicename)
        tag_id = context.tag_ids.get(key) or log.tag_ids.get(key)
        if tag_id is None:
            tag_id = await _tag_for(session, context, term, language, log)
            log.tag_ids[key] = tag_id
        if tag_id not in ids:
            ids.append(tag_id)
    return ids
