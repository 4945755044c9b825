"""Machine-translation drafts: a provider fills the segments of a draft translation that
nobody has translated yet, and they are marked as machine-made.

Untranslated means: a segment of the original the translation lacks (an empty body, a
missing subtitle or footnote: copied from the original first), or one the translation still
holds in the original's words. Everything a person translated stays exactly as written: the
draft is rebuilt on its own text (``Segmentation.restore`` of the translation), only those
segments replaced.

The work is split so no lock is held while the provider answers: ``plan`` reads, the caller
asks the provider, ``apply`` writes in its own transaction, under the version ``plan`` read (a
change in between is a ConflictError, and nothing is written).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from publishing.access import Actor, Permission, Role
from publishing.articles.editing import ArticleChanges, update_article
from publishing.articles.models import Article, ArticleStatus, StoryKind
from publishing.articles.validation import FootnoteData, SourceData
from publishing.errors import ConflictError, NotFoundError, invalid
from publishing.footnotes.models import Source
from publishing.footnotes.references import find_references
from publishing.translations.machine import Translated
from publishing.translations.machine_marks import (
    MachineSegment,
    article_text,
    footnote_rows,
    text_hash,
)
from publishing.translations.segments import (
    ArticleText,
    FootnoteText,
    Segment,
    Segmentation,
    align_segments,
    plain_text,
    segment_article,
)

PREFILL_TRANSLATION = Permission(Role.CONTRIBUTOR, "Machine-translating a draft")


@dataclass(frozen=True, slots=True)
class Plan:
    """What a prefill will do to one draft translation, read at ``version``."""

    article_id: int
    kind: StoryKind
    version: int
    source_language: str
    target_language: str
    # The draft with what it lacks copied from the original, and its segments.
    base: Segmentation
    # Segments of ``base`` still in the original's words, by the original's segment id.
    untranslated: dict[str, Segment]
    sources: dict[str, SourceData | None]


def _source_data(source: Source | None) -> SourceData | None:
    if source is None:
        return None
    return SourceData(source.title, source.publisher, source.url, source.accessed_on)


def _completed(draft: ArticleText, original: ArticleText) -> ArticleText:
    """The draft with what it lacks taken from the original (in the original's words, to be
    translated): a subtitle, an excerpt, the body, and the footnotes its body cites."""
    body = draft.body if draft.body.strip() else original.body
    have = {note.key for note in draft.footnotes}
    cited = {reference.key for reference in find_references(body)}
    copied = [
        FootnoteText(note.key, note.content, note.source)
        for note in original.footnotes
        if note.key in cited and note.key not in have
    ]
    return ArticleText(
        title=draft.title,
        subtitle=draft.subtitle if draft.subtitle and draft.subtitle.strip() else original.subtitle,
        excerpt=draft.excerpt if draft.excerpt and draft.excerpt.strip() else original.excerpt,
        body=body,
        footnotes=(*draft.footnotes, *copied),
    )


async def _load(session: AsyncSession, article_id: int) -> Article | None:
    return await session.scalar(
        select(Article).options(selectinload(Article.story)).where(Article.id == article_id)
    )


async def plan(
    session: AsyncSession,
    actor: Actor,
    article_id: int,
    *,
    kind: StoryKind,
    expected_version: int,
) -> Plan:
    actor.require(PREFILL_TRANSLATION)
    article = await _load(session, article_id)
    noun = "page" if kind is StoryKind.PAGE else "article"
    if article is None or article.story.kind is not kind:
        raise NotFoundError(noun, article_id)
    if article.version != expected_version:
        raise ConflictError(expected_version, article.version, noun)
    story = article.story
    if article.language == story.original_language:
        invalid(("id",), "NOT_A_TRANSLATION", "This is the original: only translations are filled.")
    if article.status is not ArticleStatus.DRAFT:
        invalid(
            ("id",),
            "NOT_A_DRAFT",
            f"Only drafts are machine-translated; this {noun} is {article.status.value.lower()}.",
        )
    original = await session.scalar(
        select(Article).where(
            Article.story_id == story.id, Article.language == story.original_language
        )
    )
    if original is None:
        raise NotFoundError(f"original of this {noun}", article_id)
    original_notes = await footnote_rows(session, original.id)
    source_text = await article_text(session, original)
    draft_notes = await footnote_rows(session, article.id)
    base_text = _completed(await article_text(session, article), source_text)
    source, base = segment_article(source_text), segment_article(base_text)

    pairs = align_segments(source.segments, base.segments)
    paired = {segment.id for segment in pairs.values()}
    if any(segment.id not in paired for segment in base.segments):
        # Rebuilding would not know where such text belongs: refuse rather than lose it.
        invalid(
            ("id",),
            "STRUCTURE_DIFFERS",
            "The translation's structure differs from the original's (paragraphs, lists or "
            "footnotes added or removed), so its untranslated parts cannot be told apart.",
        )
    originals = source.by_id()
    untranslated = {
        source_id: segment
        for source_id, segment in pairs.items()
        if segment.source == originals[source_id].source
    }
    sources = {footnote.key: _source_data(s) for footnote, s in original_notes}
    sources.update({footnote.key: _source_data(s) for footnote, s in draft_notes})
    return Plan(
        article_id=article.id,
        kind=kind,
        version=article.version,
        source_language=original.language,
        target_language=article.language,
        base=base,
        untranslated=untranslated,
        sources=sources,
    )


@dataclass(frozen=True, slots=True)
class Prefilled:
    article: Article
    filled: tuple[str, ...]  # the original's segment ids now machine-made
    broken: tuple[str, ...]  # those left as they were: the provider broke their codes


async def apply(
    session: AsyncSession,
    actor: Actor,
    prepared: Plan,
    translated: Translated,
    *,
    provider: str,
    now: dt.datetime,
) -> Prefilled:
    """Write the draft with the machine's segments in place (``translated`` is keyed by the
    ids of ``prepared.untranslated``'s segments), and mark them."""
    source_of = {segment.id: source_id for source_id, segment in prepared.untranslated.items()}
    targets = translated.content
    text = prepared.base.restore(targets)
    changes = ArticleChanges(
        title=text.title,
        subtitle=text.subtitle,
        excerpt=text.excerpt,
        body=text.body,
        footnotes=[
            FootnoteData(note.key, note.content, prepared.sources.get(note.key))
            for note in text.footnotes
        ],
    )
    article = await update_article(
        session, actor, prepared.article_id, prepared.version, changes, now=now, kind=prepared.kind
    )
    filled = tuple(source_of[base_id] for base_id in targets)
    if filled:
        await session.execute(
            delete(MachineSegment).where(
                MachineSegment.article_id == article.id, MachineSegment.segment_id.in_(filled)
            )
        )
        await session.execute(
            insert(MachineSegment),
            [
                {
                    "article_id": article.id,
                    "segment_id": source_of[base_id],
                    "field": prepared.untranslated[source_of[base_id]].field,
                    "text_hash": text_hash(plain_text(content)),
                    "provider": provider,
                    "created_at": now,
                }
                for base_id, content in targets.items()
            ],
        )
    broken = tuple(source_of[base_id] for base_id in translated.broken)
    return Prefilled(article, filled, broken)
