"""Writing one WordPress post through the article services, inside the caller's unit.

A post seen before (an import record with the same fingerprint) is left alone. A new post
becomes a new story, or a translation when another version of its group is already here. A
changed post is updated with only what differs, as one new revision, then moved to its status.
A WordPress page becomes a page (a story of kind PAGE); a post's categories file it under
sections, its tags tag it, and a sticky post's story is featured.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles import editing
from publishing.articles.editing import (
    ArticleChanges,
    CreditData,
    NewArticle,
    NewTranslation,
    get_article,
)
from publishing.articles.models import (
    Article,
    ArticleStatus,
    ContributorCredit,
    CreditRole,
    StoryKind,
    story_tags,
)
from publishing.articles.validation import FootnoteData
from publishing.footnotes.models import Footnote, Source
from publishing.imports.models import ImportRecord
from publishing.imports.records import RecordKind, find_record, keep_record, records_of
from publishing.imports.report import ProblemKind
from publishing.imports.wordpress.context import IMPORTER, ImportContext, UnitLog
from publishing.imports.wordpress.convert import ConvertedPost, convert_post
from publishing.imports.wordpress.index import PostEntry
from publishing.imports.wordpress.people import credited_authors
from publishing.imports.wordpress.reader import WxrItem
from publishing.imports.wordpress.sections import sections_of
from publishing.imports.wordpress.tags import tag_ids_for
from publishing.media.models import ArticleAttachment, ArticleFeaturedImage
from publishing.sections.models import story_sections
from publishing.unset import UNSET

__all__ = ["Outcome", "Written", "write_post"]

_MAX_SLUG_TRIES = 50


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    EDITED_HERE = "edited here"


@dataclass(frozen=True, slots=True)
class Written:
    outcome: Outcome
    footnotes: Sequence[FootnoteData] = ()  # the footnotes this unit wrote


async def _free_slug(
    session: AsyncSession, language: str, slug: str, article_id: int | None, log: UnitLog
) -> str:
    """The slug, or ``slug-2``, ``slug-3``... when another article of the language has it."""
    for attempt in range(1, _MAX_SLUG_TRIES + 1):
        candidate = slug if attempt == 1 else f"{slug[: 200 - 4]}-{attempt}"
        statement = select(Article.id).where(
            Article.language == language, Article.slug == candidate
        )
        if article_id is not None:
            statement = statement.where(Article.id != article_id)
        if await session.scalar(statement) is None:
            if candidate != slug:
                log.problem(
                    ProblemKind.SLUG_CHANGED,
                    f"another {language} article has the slug {slug!r}; imported as {candidate!r}",
                )
            return candidate
    return slug  # validation reports it as taken


async def _group_article(
    session: AsyncSession, context: ImportContext, entry: PostEntry
) -> int | None:
    """An article of the post's translation group that is already here (the original if it
    is), or None."""
    if entry.group is None:
        return None
    members = context.index.members(entry.group)
    original = context.originals.get(entry.group)
    ids = [str(m.post_id) for m in members if m.post_id != entry.post_id]
    records: Sequence[ImportRecord] = await records_of(
        session, context.origin, RecordKind.POST, ids
    )
    records = sorted(records, key=lambda r: r.external_id != str(original))
    return next((r.article_id for r in records if r.article_id is not None), None)


async def _story_author_ids(session: AsyncSession, story_id: int) -> set[int]:
    rows = await session.scalars(
        select(ContributorCredit.author_id).where(
            ContributorCredit.story_id == story_id, ContributorCredit.role == CreditRole.AUTHOR
        )
    )
    return set(rows)


async def _credits(
    session: AsyncSession,
    context: ImportContext,
    item: WxrItem,
    log: UnitLog,
    *,
    story_id: int | None,
) -> list[CreditData]:
    """An original credits its authors on the story; a translation credits whoever wrote it
    in WordPress, when not already an author of the story, as its translator."""
    author_ids = credited_authors(context, item, log)
    if story_id is None:
        return [CreditData(a, CreditRole.AUTHOR) for a in author_ids]
    story_authors = await _story_author_ids(session, story_id)
    return [CreditData(a, CreditRole.TRANSLATOR) for a in author_ids if a not in story_authors]


def kind_of(item: WxrItem) -> StoryKind:
    return StoryKind.PAGE if item.post_type == "page" else StoryKind.ARTICLE


async def _move_to_status(
    session: AsyncSession,
    article: Article,
    converted: ConvertedPost,
    now: dt.datetime,
    kind: StoryKind,
) -> tuple[Article, bool]:
    status = converted.status
    # An undated post keeps the date it was first given here.
    when = converted.published_at or article.published_at or now
    if status is ArticleStatus.PUBLISHED:
        if article.status is status and article.published_at == when:
            return article, False
        published = await editing.publish_article(
            session, IMPORTER, article.id, now=now, publish_at=when, kind=kind
        )
        return published, True
    if status is ArticleStatus.DRAFT:
        if article.status is status:
            return article, False
        return (
            await editing.unpublish_article(session, IMPORTER, article.id, now=now, kind=kind),
            True,
        )
    if article.status is status and article.published_at == converted.published_at:
        return article, False
    archived = await editing.archive_article(
        session, IMPORTER, article.id, now=now, published_at=converted.published_at, kind=kind
    )
    return archived, True


async def _create(
    session: AsyncSession,
    context: ImportContext,
    item: WxrItem,
    entry: PostEntry,
    language: str,
    converted: ConvertedPost,
    log: UnitLog,
) -> Article:
    group_article = await _group_article(session, context, entry)
    slug = await _free_slug(session, language, converted.slug, None, log)
    kind = kind_of(item)
    if group_article is None:
        article = kind is StoryKind.ARTICLE
        primary, others = (
            await sections_of(session, context, item, language, log) if article else (None, [])
        )
        return await editing.create_article(
            session,
            IMPORTER,
            NewArticle(
                language=language,
                slug=slug,
                title=converted.title,
                body=converted.body,
                excerpt=converted.excerpt,
                numbering_style=converted.numbering_style,
                footnotes=converted.footnotes,
                credits=await _credits(session, context, item, log, story_id=None),
                tag_ids=await tag_ids_for(session, context, item, language, log) if article else (),
                featured_image_id=converted.featured_image_id,
                attachment_ids=converted.attachment_ids or (),
                section_id=primary,
                section_ids=others,
                featured=item.sticky and article,
            ),
            now=context.now,
            kind=kind,
        )
    story_id = (await get_article(session, group_article, kind)).story_id
    return await editing.create_translation(
        session,
        IMPORTER,
        NewTranslation(
            original_id=group_article,
            language=language,
            slug=slug,
            title=converted.title,
            body=converted.body,
            excerpt=converted.excerpt,
            numbering_style=converted.numbering_style if converted.footnotes else None,
            footnotes=converted.footnotes,
            credits=await _credits(session, context, item, log, story_id=story_id),
            featured_image_id=converted.featured_image_id,
            attachment_ids=converted.attachment_ids or (),
        ),
        now=context.now,
        kind=kind,
    )


async def _current_footnotes(session: AsyncSession, article_id: int) -> list[Any]:
    rows = await session.execute(
        select(Footnote, Source)
        .outerjoin(Source, Source.id == Footnote.source_id)
        .where(Footnote.article_id == article_id)
        .order_by(Footnote.position)
    )
    return [
        (f.key, f.content, None if s is None else (s.title, s.publisher, s.url, s.accessed_on))
        for f, s in rows
    ]


def _wanted_footnotes(footnotes: Sequence[FootnoteData]) -> list[Any]:
    return [
        (
            f.key,
            f.content,
            None
            if f.source is None
            else (f.source.title, f.source.publisher, f.source.url, f.source.accessed_on),
        )
        for f in footnotes
    ]


async def _current_credits(session: AsyncSession, article: Article, original: bool) -> list[Any]:
    owner = (
        ContributorCredit.story_id == article.story_id
        if original
        else ContributorCredit.article_id == article.id
    )
    rows = await session.scalars(
        select(ContributorCredit).where(owner).order_by(ContributorCredit.position)
    )
    return [(c.author_id, c.role) for c in rows]


async def _changes(
    session: AsyncSession,
    context: ImportContext,
    item: WxrItem,
    article: Article,
    converted: ConvertedPost,
    log: UnitLog,
) -> ArticleChanges | None:
    """Only what differs from the article as it is; None when nothing does."""
    original = article.language == article.story.original_language
    fields: dict[str, Any] = {}
    slug = await _free_slug(session, article.language, converted.slug, article.id, log)
    wanted = {
        "slug": slug,
        "title": converted.title.strip(),
        "excerpt": converted.excerpt,
        "body": converted.body,
        "numbering_style": converted.numbering_style,
    }
    fields = {name: value for name, value in wanted.items() if getattr(article, name) != value}
    if _wanted_footnotes(converted.footnotes) != await _current_footnotes(session, article.id):
        fields["footnotes"] = converted.footnotes
    credits = await _credits(
        session, context, item, log, story_id=None if original else article.story_id
    )
    if [(c.author_id, c.role) for c in credits] != await _current_credits(
        session, article, original
    ):
        fields["credits"] = credits
    if original and article.story.kind is StoryKind.ARTICLE:
        if article.story.featured != item.sticky:
            fields["featured"] = item.sticky
        primary, others = await sections_of(session, context, item, article.language, log)
        if article.story.primary_section_id != primary:
            fields["section_id"] = primary
        filed = await session.scalars(
            select(story_sections.c.section_id)
            .where(story_sections.c.story_id == article.story_id)
            .order_by(story_sections.c.position)
        )
        if list(filed) != others:
            fields["section_ids"] = others
        tag_ids = await tag_ids_for(session, context, item, article.language, log)
        current = await session.scalars(
            select(story_tags.c.tag_id)
            .where(story_tags.c.story_id == article.story_id)
            .order_by(story_tags.c.position)
        )
        if list(current) != tag_ids:
            fields["tag_ids"] = tag_ids
    if converted.attachment_ids is not None:
        # Only when this run imported media: otherwise what is there stays.
        featured = await session.scalar(
            select(ArticleFeaturedImage.asset_id).where(
                ArticleFeaturedImage.article_id == article.id
            )
        )
        if featured != converted.featured_image_id:
            fields["featured_image_id"] = converted.featured_image_id
        attached = await session.scalars(
            select(ArticleAttachment.asset_id)
            .where(ArticleAttachment.article_id == article.id)
            .order_by(ArticleAttachment.position)
        )
        if list(attached) != converted.attachment_ids:
            fields["attachment_ids"] = converted.attachment_ids
    if not fields:
        return None
    # A translation changed in WordPress follows the original as it stands.
    return ArticleChanges(**fields, mark_up_to_date=not original)


async def write_post(
    session: AsyncSession,
    context: ImportContext,
    item: WxrItem,
    entry: PostEntry,
    language: str,
    print_: str,
    log: UnitLog,
) -> Written:
    record = await find_record(session, context.origin, RecordKind.POST, item.external_id)
    if record is not None and record.fingerprint == print_:
        return Written(Outcome.UNCHANGED)
    converted = convert_post(item, language=language, now=context.now, media=context.media)
    log.problems.extend(converted.problems)
    if record is None or record.article_id is None:
        article = await _create(session, context, item, entry, language, converted, log)
        outcome = Outcome.CREATED
        written: Sequence[FootnoteData] = converted.footnotes
    else:
        article = await get_article(session, record.article_id, kind_of(item))
        if article.version != record.target_version:
            log.problem(
                ProblemKind.EDITED_HERE,
                f"the article (version {article.version}, imported as version "
                f"{record.target_version}) was changed here; not overwritten",
            )
            return Written(Outcome.EDITED_HERE)
        changes = await _changes(session, context, item, article, converted, log)
        if changes is not None:
            article = await editing.update_article(
                session,
                IMPORTER,
                article.id,
                article.version,
                changes,
                now=context.now,
                kind=kind_of(item),
            )
        written = () if changes is None or changes.footnotes is UNSET else converted.footnotes
        outcome = Outcome.UPDATED if changes is not None else Outcome.UNCHANGED
    article, moved = await _move_to_status(session, article, converted, context.now, kind_of(item))
    if moved and outcome is Outcome.UNCHANGED:
        outcome = Outcome.UPDATED
    await keep_record(
        session,
        context.origin,
        RecordKind.POST,
        item.external_id,
        article_id=article.id,
        fingerprint=print_,
        target_version=article.version,
        now=context.now,
    )
    return Written(outcome, written)
