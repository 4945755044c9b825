"""Importing a translated XLIFF file (publishing.translations.xliff) as a translation.

The import rebuilds the segments of the version the file names, checks every one is translated
with its codes intact (one ``ValidationFailed`` listing them all, nothing written), puts the
translation together on the original's structure and creates the translation as a draft, or
updates the existing one as a new version (``expected_version`` required), recording that
version of the original as what it translates. The featured image's alt text and caption go
to the image's texts in the translation's language.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from slugify import slugify
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import Actor, Permission, Role
from publishing.articles.editing import (
    ArticleChanges,
    NewTranslation,
    create_translation,
    get_article,
    update_article,
)
from publishing.articles.models import Article
from publishing.articles.validation import FootnoteData, SourceData
from publishing.errors import Issues, invalid
from publishing.media.editing import MediaChanges, MediaTextData, get_media, update_media
from publishing.media.usage import find_usages
from publishing.translations.exchange import (
    featured_image_texts,
    snapshots_by_version,
    target_language_of,
)
from publishing.translations.segments import (
    ArticleText,
    ImageText,
    Inline,
    Segmentation,
    align_segments,
    check_target,
    segment_article,
)
from publishing.translations.tasks.editing import translation_handed_in
from publishing.translations.xliff import ReadDocument, XliffError, read_xliff

__all__ = ["IMPORT_TRANSLATION", "ImportedTranslation", "import_translation"]

IMPORT_TRANSLATION: Final = Permission(Role.CONTRIBUTOR, "Importing a translation")


@dataclass(frozen=True, slots=True)
class ImportedTranslation:
    article: Article
    created: bool
    source_version: int


def _article_id(reference: str) -> int | None:
    try:
        decoded = base64.b64decode(reference, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    kind, _, number = decoded.partition(":")
    return int(number) if kind == "Article" and number.isdigit() else None


def _check_units(
    document: ReadDocument,
    segmentation: Segmentation,
    existing: Mapping[str, Sequence[Inline]],
) -> dict[str, Sequence[Inline]]:
    """Every segment's translation, checked; a segment the file leaves out (an export of the
    changed segments only) keeps the existing translation's text of it, when there is one."""
    issues = Issues()
    segments = segmentation.by_id()
    targets: dict[str, Sequence[Inline]] = {}
    for segment in segmentation.segments:
        path = ("file", "segments", segment.id)
        if segment.id in document.targets:
            target = document.targets[segment.id]
        else:
            target = existing.get(segment.id)
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
    language = await target_language_of(session, document.target_language, article.language)
    if document.source_language and document.source_language != article.language:
        invalid(
            ("file",),
            "WRONG_SOURCE_LANGUAGE",
            f"The file's source language is {document.source_language!r}; the original is "
            f"written in {article.language!r}.",
        )
    translation = await session.scalar(
        select(Article).where(Article.story_id == article.story_id, Article.language == language)
    )
    wanted = [(article.id, document.source_version)]
    if translation is not None:
        wanted.append((translation.id, translation.version))
        if translation.source_version:
            wanted.append((article.id, translation.source_version))
    snapshots = await snapshots_by_version(session, wanted)
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
    existing = _existing_targets(translation, snapshots, images, article, language)
    targets = _check_units(document, segmentation, existing)
    text = segmentation.restore(targets)
    footnotes = _footnotes(text, snapshot)

    if translation is None:
        slug = await _free_slug(session, language, text.title, article)
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
        translation.id,
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


async def _free_slug(session: AsyncSession, language: str, title: str, original: Article) -> str:
    """A slug from the translated title; the story's id tells two equal titles apart (editors
    change a translation's slug with updateArticle as any other)."""
    slug = slugify(title, max_length=180, word_boundary=True) or original.slug[:180]
    taken = await session.scalar(
        select(Article.id).where(Article.language == language, Article.slug == slug)
    )
    return slug if taken is None else f"{slug}-{original.story_id}"


def _existing_targets(
    translation: Article | None,
    snapshots: Mapping[tuple[int, int], Mapping[str, Any]],
    images: Mapping[str, ImageText],
    original: Article,
    language: str,
) -> dict[str, Sequence[Inline]]:
    """The existing translation's text of each segment of the original at the version it was
    translated from, by segment id (ids follow the text: the same id is the same source)."""
    if translation is None or not translation.source_version:
        return {}
    translated = snapshots.get((translation.id, translation.version))
    before = snapshots.get((original.id, translation.source_version))
    if translated is None or before is None:
        return {}
    image = images.get(original.language)
    translated_image = images.get(language) or (ImageText(image.ref, None, None) if image else None)
    pairs = align_segments(
        segment_article(ArticleText.from_snapshot(before, image)).segments,
        segment_article(ArticleText.from_snapshot(translated, translated_image)).segments,
    )
    return {segment_id: segment.content for segment_id, segment in pairs.items()}


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
        usages=find_usages,
        now=now,
    )
