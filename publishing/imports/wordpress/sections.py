"""WordPress categories as sections, their hierarchy kept.

A category becomes a section under the section its parent category became (made first). A
category translated with Polylang (a ``term_translations`` group) is one section, named and
slugged in each of its languages; one on its own is named in the language of the post that
first uses it. A section already here with the same slug in that language is used as it is.
WordPress's default category ("Uncategorized") files nothing and is left out.

A post's primary section is its Yoast primary category when the export names one, else its
first category; the others are its other sections, in order.
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
from publishing.sections.editing import MAX_NAME, NewSection, SectionTextData, create_section
from publishing.sections.models import SectionTranslation

__all__ = ["section_for", "section_key", "sections_of"]

_MAX_DEPTH = 20  # a parent chain longer than this is a loop in the export
_YOAST_PRIMARY = "_yoast_wpseo_primary_category"


def _uncategorized(slug: str) -> bool:
    return slug.startswith("uncategorized")


def section_key(context: ImportContext, slug: str) -> str:
    """What one category and all its Polylang translations are known by: the slug of the
    group's member in the default language (else the lowest term id's), else its own."""
    group = context.index.term_group("category", slug)
    if not group:
        return f"category:{slug}"
    chosen = next(
        (t for code, t in group if _language(context, code) == context.default_language),
        min((t for _, t in group), key=lambda t: t.term_id),
    )
    return f"category:{chosen.slug}"


def _language(context: ImportContext, code: str) -> str | None:
    try:
        return context.enabled.resolve(code)
    except UnknownLanguageError:
        return None


def _texts(context: ImportContext, slug: str, name: str, language: str) -> list[SectionTextData]:
    """The section's name and slug in each language its group gives, else in ``language``."""
    texts: dict[str, SectionTextData] = {}
    for code, term in context.index.term_group("category", slug):
        resolved = _language(context, code)
        if resolved is not None and resolved not in texts:
            texts[resolved] = _text(resolved, term.slug, term.name)
    if not texts:
        texts[language] = _text(language, slug, name)
    return list(texts.values())


def _text(language: str, slug: str, name: str) -> SectionTextData:
    shown = html.unescape(name or slug).strip() or slug
    return SectionTextData(language, shown[:MAX_NAME], make_slug(slug, shown, fallback="section"))


async def section_for(
    session: AsyncSession,
    context: ImportContext,
    slug: str,
    language: str,
    log: UnitLog,
    depth: int = 0,
) -> int | None:
    """The section the category ``slug`` became, made (with its parents) when new; None for
    the default category."""
    key = section_key(context, slug)
    # The default category, or a translation of it ("Non classé" in a group with it).
    if _uncategorized(slug) or _uncategorized(key.removeprefix("category:")):
        return None
    known = context.section_ids.get(key) or log.section_ids.get(key)
    if known is not None:
        return known
    record = await find_record(session, context.origin, RecordKind.SECTION, key)
    if record is not None and record.section_id is not None:
        log.section_ids[key] = record.section_id
        return record.section_id
    term = context.index.terms.get(("category", slug))
    parent_id = None
    if term is not None and term.parent and depth < _MAX_DEPTH:
        parent_id = await section_for(session, context, term.parent, language, log, depth + 1)
    texts = _texts(context, slug, term.name if term else slug, language)
    first = texts[0]
    existing = await session.scalar(
        select(SectionTranslation.section_id).where(
            SectionTranslation.language == first.language, SectionTranslation.slug == first.slug
        )
    )
    if existing is not None:
        section_id = existing
        log.sections_matched += 1
    else:
        created = await create_section(
            session, IMPORTER, NewSection(texts, parent_id=parent_id), now=context.now
        )
        section_id = created.id
        log.sections_created += 1
    await keep_record(
        session, context.origin, RecordKind.SECTION, key, section_id=section_id, now=context.now
    )
    log.section_ids[key] = section_id
    return section_id


def _slug(term: ItemTerm) -> str:
    # Some WXR 1.0 terms come without their slug.
    return term.nicename or make_slug(html.unescape(term.name), fallback="")


async def sections_of(
    session: AsyncSession, context: ImportContext, item: WxrItem, language: str, log: UnitLog
) -> tuple[int | None, list[int]]:
    """The post's primary section and its others."""
    slugs = [s for s in (_slug(t) for t in item.terms_in("category")) if s]
    primary_id = item.meta.get(_YOAST_PRIMARY, "").strip()
    if primary_id.isdigit():
        named = next(
            (
                t.slug
                for (taxonomy, _), t in context.index.terms.items()
                if taxonomy == "category" and t.term_id == int(primary_id)
            ),
            None,
        )
        if named in slugs:
            slugs.remove(named)
            slugs.insert(0, named)
    ids: list[int] = []
    for slug in slugs:
        section_id = await section_for(session, context, slug, language, log)
        if section_id is not None and section_id not in ids:
            ids.append(section_id)
    return (ids[0] if ids else None), ids[1:]
