"""Translations out to XLIFF, and what changed in an original since a translation.

An export holds the original's segments (publishing.translations.segments) at its current
version, with the existing translation's text where there is one: the translation's segments
are paired with the original's at the version it was translated from, and carried over to
segments that have not changed since (``TRANSLATED``); a segment changed since carries its old
translation marked ``OUTDATED``; a new one has none.

Importing the translated file back is publishing.translations.importing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from publishing.access import Actor, Permission, Role
from publishing.articles.models import Article, ArticleRevision, StoryKind
from publishing.errors import NotFoundError, PublishingError, invalid
from publishing.global_ids import global_id
from publishing.languages.service import load_enabled_languages
from publishing.media.models import ArticleFeaturedImage, MediaText
from publishing.translations.machine_marks import MachineSegment
from publishing.translations.segments import (
    ArticleText,
    ImageText,
    Segmentation,
    SegmentChange,
    align_segments,
    diff_segments,
    segment_article,
)
from publishing.translations.xliff import (
    UnitState,
    XliffUnit,
    XliffVersion,
    document_original,
    write_xliff,
)

__all__ = [
    "EXPORT_TRANSLATION",
    "ExportedTranslation",
    "changes_between",
    "export_translation",
    "featured_image_texts",
    "segment_changes",
    "snapshots_by_version",
    "target_language_of",
]

EXPORT_TRANSLATION: Final = Permission(Role.CONTRIBUTOR, "Exporting a translation")

# What a translation tool shows about the whole file.
_FILE_NOTE: Final = (
    "Codes ({codes}) stand for footnote references, links and formatting: keep every one in "
    "the translation. Units marked {outdated} hold the translation of an earlier text."
)
_NOTE_WORDS: Final = {
    XliffVersion.XLIFF_2_1: {"codes": "<ph/>, <pc>", "outdated": "pr:outdated"},
    XliffVersion.XLIFF_1_2: {"codes": "<x/>, <g>", "outdated": "needs-review-translation"},
}


@dataclass(frozen=True, slots=True)
class ExportedTranslation:
    file_name: str
    content: str
    segment_count: int


# --- Loading --------------------------------------------------------------------------------


async def _versions(session: AsyncSession, story_id: int) -> list[Article]:
    rows = await session.scalars(select(Article).where(Article.story_id == story_id))
    return list(rows)


async def snapshots_by_version(
    session: AsyncSession, wanted: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], dict[str, Any]]:
    """Revision snapshots by (article id, version), in one statement (a loader's batch)."""
    if not wanted:
        return {}
    rows = await session.execute(
        select(ArticleRevision.article_id, ArticleRevision.version, ArticleRevision.snapshot).where(
            or_(
                *(
                    and_(ArticleRevision.article_id == a, ArticleRevision.version == v)
                    for a, v in set(wanted)
                )
            )
        )
    )
    return {(a, v): snap for a, v, snap in rows}


def _segments(
    snapshot: Mapping[str, Any] | None, image: ImageText | None = None
) -> Segmentation | None:
    if snapshot is None:
        return None
    return segment_article(ArticleText.from_snapshot(snapshot, image))


async def featured_image_texts(
    session: AsyncSession, article_id: int, languages: Sequence[str]
) -> dict[str, ImageText]:
    """The article's featured image's texts in each of ``languages`` that has some, by
    language (one statement). Media texts belong to the asset, not to a revision: a
    translation's featured image texts are the asset's texts in its language."""
    rows = await session.execute(
        select(ArticleFeaturedImage.asset_id, MediaText.language, MediaText.alt, MediaText.caption)
        .join(MediaText, MediaText.asset_id == ArticleFeaturedImage.asset_id)
        .where(ArticleFeaturedImage.article_id == article_id, MediaText.language.in_(languages))
    )
    return {
        language: ImageText(str(asset_id), alt, caption)
        for asset_id, language, alt, caption in rows
    }


@dataclass(frozen=True, slots=True)
class _Situation:
    original: Article
    translation: Article | None
    current: Segmentation
    # The original's segments at the translation's source version (None: no translation, or
    # that revision is gone).
    translated_from: Segmentation | None
    translated: Segmentation | None


async def _situation(
    session: AsyncSession, article: Article, target_language: str | None
) -> _Situation:
    versions = await _versions(session, article.story_id)
    original_language = article.story.original_language
    original = next(v for v in versions if v.language == original_language)
    translation = next(
        (v for v in versions if target_language and v.language == target_language), None
    )
    wanted = [(original.id, original.version)]
    if translation is not None:
        wanted += [(translation.id, translation.version)]
        if translation.source_version:
            wanted += [(original.id, translation.source_version)]
    snapshots = await snapshots_by_version(session, wanted)
    languages = [original.language, *([target_language] if target_language else [])]
    images = await featured_image_texts(session, original.id, languages)
    image = images.get(original.language)
    current = _segments(snapshots.get((original.id, original.version)), image)
    if current is None:
        raise NotFoundError("revision", original.version)
    translated_from = translated = None
    if translation is not None:
        translated_image = images.get(translation.language)
        if image is not None and translated_image is None:
            translated_image = ImageText(image.ref, None, None)
        translated = _segments(
            snapshots.get((translation.id, translation.version)), translated_image
        )
        if translation.source_version:
            translated_from = _segments(
                snapshots.get((original.id, translation.source_version)), image
            )
    return _Situation(original, translation, current, translated_from, translated)


def segment_changes(before: Segmentation | None, current: Segmentation) -> list[SegmentChange]:
    """The original's segments changed since ``before`` (every one added when unknown)."""
    return diff_segments(before.segments if before else (), current.segments)


def changes_between(
    translated_from: Mapping[str, Any] | None, current: Mapping[str, Any]
) -> list[SegmentChange]:
    """The segments of an original added, changed or removed from the revision snapshot a
    translation was made from (None: unknown, so every segment is new) to ``current``."""
    return segment_changes(
        _segments(translated_from), segment_article(ArticleText.from_snapshot(current))
    )


# --- Export ---------------------------------------------------------------------------------


async def _read_article(session: AsyncSession, article_id: int, kind: StoryKind) -> Article:
    # An export only reads: no row lock (get_article takes one for writers).
    article = await session.scalar(
        select(Article).options(selectinload(Article.story)).where(Article.id == article_id)
    )
    if article is None or article.story.kind is not kind:
        raise NotFoundError(kind.value.lower(), article_id)
    return article


async def target_language_of(session: AsyncSession, code: str, original_language: str) -> str:
    enabled = await load_enabled_languages(session)
    try:
        language = enabled.resolve(code)
    except PublishingError as error:
        invalid(("targetLanguage",), "NOT_ENABLED", error.message)
    if language == original_language:
        invalid(
            ("targetLanguage",),
            "SAME_LANGUAGE",
            f"The original is written in {language!r}; choose another language.",
        )
    return language


async def export_translation(
    session: AsyncSession,
    actor: Actor,
    article_id: int,
    target_language: str,
    *,
    version: XliffVersion = XliffVersion.XLIFF_2_1,
    only_changed: bool = False,
    kind: StoryKind = StoryKind.ARTICLE,
) -> ExportedTranslation:
    actor.require(EXPORT_TRANSLATION)
    article = await _read_article(session, article_id, kind)
    language = await target_language_of(session, target_language, article.story.original_language)
    situation = await _situation(session, article, language)
    original = situation.original
    # Asked whether or not the translation exists, so an export costs the same either way.
    machine_made = set(
        await session.scalars(
            select(MachineSegment.segment_id)
            .join(Article, Article.id == MachineSegment.article_id)
            .where(Article.story_id == original.story_id, Article.language == language)
        )
    )
    units = _units(situation, machine_made)
    if only_changed and situation.translation is not None:
        changed = {
            change.segment_id
            for change in segment_changes(situation.translated_from, situation.current)
        }
        units = [unit for unit in units if unit.segment.id in changed]
        if not units:
            invalid(
                ("onlyChanged",),
                "NOTHING_CHANGED",
                f"The {language!r} translation follows the original's current text: no segment "
                "changed since it was made.",
            )
    content = write_xliff(
        version,
        original=document_original(global_id("Article", original.id), original.version),
        source_language=original.language,
        target_language=language,
        units=units,
        notes=[
            f"{original.title} ({original.language} → {language})",
            _FILE_NOTE.format(**_NOTE_WORDS[version]),
        ],
    )
    suffix = "xlf" if version is XliffVersion.XLIFF_1_2 else "xliff"
    return ExportedTranslation(
        file_name=f"{original.slug}.{original.language}-{language}.{suffix}",
        content=content,
        segment_count=len(units),
    )


def _units(situation: _Situation, machine_made: set[str] = frozenset()) -> list[XliffUnit]:
    """A unit per segment of the original, with the translation's text where it has one;
    ``machine_made`` segments (by the original's segment id) are marked as machine text."""
    current = situation.current
    if situation.translated is None or situation.translated_from is None:
        return [XliffUnit(s, None, UnitState.NEW) for s in current.segments]
    pairs = align_segments(situation.translated_from.segments, situation.translated.segments)
    changes = {c.segment_id: c for c in segment_changes(situation.translated_from, current)}
    units: list[XliffUnit] = []
    for segment in current.segments:
        change = changes.get(segment.id)
        if change is None:
            target = pairs.get(segment.id)
            state = UnitState.MACHINE if segment.id in machine_made else UnitState.TRANSLATED
        else:
            target = pairs.get(change.old.id) if change.old is not None else None
            state = UnitState.OUTDATED
        units.append(
            XliffUnit(
                segment,
                target.content if target is not None else None,
                state if target is not None else UnitState.NEW,
            )
        )
    return units
