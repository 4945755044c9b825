"""Translations out to XLIFF and back, and what changed in an original since a translation.

An export holds the original's segments (publishing.translations.segments) at its current
version, with the existing translation's text where there is one: the translation's segments
are paired with the original's at the version it was translated from, and carried over to
segments that have not changed since (``TRANSLATED``); a segment changed since carries its old
translation marked ``OUTDATED``; a new one has none.

An import rebuilds the segments of the version the file names, checks every one is translated
with its codes intact (one ``ValidationError`` listing them all, nothing written), puts the
translation together on the original's structure and creates the translation as a draft, or
updates the existing one as a new version (``expectedVersion`` required), recording that
version of the original as what it translates.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from slugify import slugify
from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from publishing.access import Actor, Permission, Role
from publishing.articles.editing import (
    ArticleChanges,
    NewTranslation,
    create_translation,
    get_article,
    update_article,
)
from publishing.articles.models import Article, ArticleRevision, StoryKind
from publishing.articles.validation import FootnoteData, SourceData
from publishing.errors import Issues, NotFoundError, PublishingError, invalid
from publishing.global_ids import global_id
from publishing.languages.service import load_enabled_languages
from publishing.media.editing import MediaChanges, MediaTextData, get_media, update_media
from publishing.media.models import ArticleFeaturedImage, MediaText
from publishing.translations.machine_marks import MachineSegment
from publishing.translations.segments import (
    ArticleText,
    ImageText,
    Inline,
    Segmentation,
    SegmentChange,
    align_segments,
    check_target,
    diff_segments,
    segment_article,
)
from publishing.translations.tasks.editing import translation_handed_in
from publishing.translations.xliff import (
    ReadDocument,
    UnitState,
    XliffError,
    XliffUnit,
    XliffVersion,
    document_original,
    read_xliff,
    write_xliff,
)

__all__ = [
    "EXPORT_TRANSLATION",
    "IMPORT_TRANSLATION",
    "ExportedTranslation",
    "ImportedTranslation",
    "changes_between",
    "export_translation",
    "featured_image_texts",
    "import_translation",
    "segment_changes",
    "snapshots_by_version",
]

EXPORT_TRANSLATION: Final = Permission(Role.CONTRIBUTOR, "Exporting a translation")
IMPORT_TRANSLATION: Final = Permission(Role.CONTRIBUTOR, "Importing a translation")

# What a translation tool shows about the whole file.
_FILE_NOTE: Final = (
    "Codes (<ph/>, <pc>) stand for footnote references, links and formatting: keep every one "
    "in the translation. Units marked outdated hold the translation of an earlier text."
)


@dataclass(frozen=True, slots=True)
class ExportedTranslation:
    file_name: str
    content: str
    segment_count: int


@dataclass(frozen=True, slots=True)
class ImportedTranslation:
    article: Article
    created: bool
    source_version: int


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


async def _target_language(session: AsyncSession, code: str, original_language: str) -> str:
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
    language = await _target_language(session, target_language, article.story.original_language)
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
    content = write_xliff(
        version,
        original=document_original(global_id("Article", original.id), original.version),
        source_language=original.language,
        target_language=language,
        units=units,
        notes=[f"{original.title} ({original.language} → {language})", _FILE_NOTE],
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


# --- Import ---------------------------------------------------------------------------------


def _article_id(reference: str) -> int | None:
    try:
        decoded = base64.b64decode(reference, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    kind, _, number = decoded.partition(":")
    return int(number) if kind == "Article" and number.isdigit() else None


def _check_units(document: ReadDocument, segmentation: Segmentation) -> dict[str, Sequence[Inline]]:
    issues = Issues()
    segments = segmentation.by_id()
    targets: dict[str, Sequence[Inline]] = {}
    for segment in segmentation.segments:
        path = ("file", "segments", segment.id)
        target = document.targets.get(segment.id)
        if target is None:
            issues.add(
                path,
                "UNTRANSLATED",
                f"Segment {segment.id} ({segment.kind.value.lower()}) has no translation.",
            )
            continue
        problems = check_target(segment, target)
        for problem in problems:
            shown = f" {problem.display}" if problem.display else ""
            issues.add(
                (*path, "codes", problem.code_id),
                f"CODE_{problem.problem}",
                f"Segment {segment.id}: code {problem.code_id}{shown} is "
                + {
                    "MISSING": "missing from the translation; every code of the source must "
                    "stay (a footnote reference, a link, formatting).",
                    "EXTRA": "not in the source.",
                    "DUPLICATE": "in the translation more than once.",
                    "MISMATCHED": "of another form than in the source (paired or standalone).",
                }[problem.problem],
            )
        if not problems:
            targets[segment.id] = target
    for unit_id in document.targets:
        if unit_id not in segments:
            issues.add(
                ("file", "segments", unit_id),
                "UNKNOWN_SEGMENT",
                f"Segment {unit_id[:80]} is not part of the original at the file's version.",
            )
    issues.raise_if_any()
    return targets


def _footnotes(text: ArticleText, snapshot: Mapping[str, Any]) -> list[FootnoteData]:
    sources: dict[str, SourceData | None] = {}
    for footnote in snapshot.get("footnotes") or ():
        source = footnote.get("source")
        sources[footnote["key"]] = (
            None
            if not source
            else SourceData(
                title=source["title"],
                publisher=source.get("publisher"),
                url=source.get("url"),
                accessed_on=dt.date.fromisoformat(source["accessedOn"])
                if source.get("accessedOn")
                else None,
            )
        )
    return [FootnoteData(f.key, f.content, sources.get(f.key)) for f in text.footnotes]


async def import_translation(
    session: AsyncSession,
    actor: Actor,
    data: bytes,
    *,
    expected_version: int | None,
    now: dt.datetime,
) -> ImportedTranslation:
    actor.require(IMPORT_TRANSLATION)
    try:
        document = read_xliff(data)
    except XliffError as error:
        invalid(("file",), "NOT_XLIFF", error.message)
    article_id = _article_id(document.article_ref)
    if article_id is None:
        invalid(("file",), "UNKNOWN_ARTICLE", "The file's <file original> names no article.")
    article = await get_article(session, article_id)
    if article.language != article.story.original_language:
        invalid(("file",), "NOT_AN_ORIGINAL", "The file must be exported from the original.")
    if not document.target_language:
        invalid(("file",), "NO_TARGET_LANGUAGE", "The file names no target language.")
    language = await _target_language(session, document.target_language, article.language)
    if document.source_language and document.source_language != article.language:
        invalid(
            ("file",),
            "WRONG_SOURCE_LANGUAGE",
            f"The file's source language is {document.source_language!r}; the original is "
            f"written in {article.language!r}.",
        )
    snapshots = await snapshots_by_version(session, [(article.id, document.source_version)])
    snapshot = snapshots.get((article.id, document.source_version))
    if snapshot is None or document.source_version > article.version:
        invalid(
            ("file",),
            "UNKNOWN_VERSION",
            f"The original has no version {document.source_version}; export the file again.",
        )
    images = await featured_image_texts(session, article.id, [article.language, language])
    segmentation = segment_article(
        ArticleText.from_snapshot(snapshot, images.get(article.language))
    )
    targets = _check_units(document, segmentation)
    text = segmentation.restore(targets)
    footnotes = _footnotes(text, snapshot)

    existing = await session.scalar(
        select(Article.id).where(Article.story_id == article.story_id, Article.language == language)
    )
    if existing is None:
        slug = (
            slugify(text.title, max_length=200, word_boundary=True) or f"{article.slug}-{language}"
        )
        created = await create_translation(
            session,
            actor,
            NewTranslation(
                original_id=article.id,
                language=language,
                slug=slug,
                title=text.title,
                subtitle=text.subtitle,
                excerpt=text.excerpt,
                body=text.body,
                footnotes=footnotes,
                source_version=document.source_version,
            ),
            now=now,
        )
        await _write_image_texts(session, actor, text.featured_image, images, language, now)
        await translation_handed_in(session, created, now=now)
        return ImportedTranslation(created, True, document.source_version)
    if expected_version is None:
        invalid(
            ("expectedVersion",),
            "REQUIRED",
            f"A {language!r} translation exists: send its version as expectedVersion to "
            "replace its text.",
        )
    updated = await update_article(
        session,
        actor,
        existing,
        expected_version,
        ArticleChanges(
            title=text.title,
            subtitle=text.subtitle,
            excerpt=text.excerpt,
            body=text.body,
            footnotes=footnotes,
            translated_from=document.source_version,
        ),
        now=now,
    )
    await _write_image_texts(session, actor, text.featured_image, images, language, now)
    await translation_handed_in(session, updated, now=now)
    return ImportedTranslation(updated, False, document.source_version)


async def _write_image_texts(
    session: AsyncSession,
    actor: Actor,
    translated: ImageText | None,
    existing: Mapping[str, ImageText],
    language: str,
    now: dt.datetime,
) -> None:
    """The featured image's alt text and caption in the translation's language."""
    if translated is None:
        return
    current = existing.get(language)
    if current is not None and (current.alt, current.caption) == (
        translated.alt,
        translated.caption,
    ):
        return
    asset = await get_media(session, int(translated.ref))
    await update_media(
        session,
        actor,
        asset.id,
        asset.version,
        MediaChanges(texts=[MediaTextData(language, translated.alt, translated.caption)]),
        now=now,
    )
