"""``import_wordpress``: a WXR export into the database, through the editorial services.

The file is read in passes, each streaming: the first indexes authors, terms and the language
and translation group of every post; the second writes authors, then posts in file order; a
third, only when needed, writes the translations that came before their original in the file.
Each post is one unit of work (see ``publishing.imports.units``): a bad post is reported and
skipped, and never leaves half of itself behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from sqlalchemy.exc import InterfaceError, OperationalError, ProgrammingError

from publishing.db import create_engine
from publishing.errors import PublishingError, UnknownLanguageError, ValidationFailed
from publishing.events import catch_up
from publishing.imports.records import Origin
from publishing.imports.report import ImportReport, PostRef, ProblemKind
from publishing.imports.units import Units
from publishing.imports.wordpress.body import plain_text
from publishing.imports.wordpress.context import (
    IMPORTER,
    SYSTEM,
    ImportContext,
    UnitLog,
    fingerprint,
)
from publishing.imports.wordpress.convert import IMPORTED_STATUSES
from publishing.imports.wordpress.index import ExportIndex, PostEntry, index_export
from publishing.imports.wordpress.media import MediaSource, import_media
from publishing.imports.wordpress.menus import import_menus
from publishing.imports.wordpress.people import import_authors
from publishing.imports.wordpress.posts import Outcome, write_post
from publishing.imports.wordpress.reader import WxrError, WxrItem, read_wxr
from publishing.languages.service import (
    EnabledLanguages,
    enable_language,
    load_enabled_languages,
)

__all__ = ["ImportAborted", "MediaSource", "Progress", "WxrError", "import_wordpress"]

# Failures of the database itself (unreachable, or its schema not migrated) end the run:
# every later post would fail the same way.
_FATAL = (OSError, OperationalError, InterfaceError, ProgrammingError)


_CATCH_UP_UNIT = 200  # articles whose derived data one transaction brings up to date


class ImportAborted(Exception):
    """The import cannot start (e.g. no language to give posts that name none)."""


class Progress(Protocol):
    def reading(self, done: int, total: int) -> None: ...
    def fetching(self, total: int) -> None: ...  # media files
    def importing(self, total: int) -> None: ...
    def finishing(self, total: int) -> None: ...  # search index and similar posts
    def advance(self, step: int = 1) -> None: ...


class _Silent:
    def reading(self, done: int, total: int) -> None:
        pass

    def fetching(self, total: int) -> None:
        pass

    def importing(self, total: int) -> None:
        pass

    def finishing(self, total: int) -> None:
        pass

    def advance(self, step: int = 1) -> None:
        pass


async def import_wordpress(
    database_url: str,
    path: Path,
    *,
    now: dt.datetime,
    dry_run: bool = False,
    default_language: str | None = None,
    progress: Progress | None = None,
    media: MediaSource | None = None,
) -> ImportReport:
    """Import ``path``; raises WxrError when the file cannot be read as an export, and
    ImportAborted when there is no language for posts without one. With ``media``, the
    export's attachments and the uploads its posts show are taken in first (see
    ``publishing.imports.wordpress.media``); without, images stay at their WordPress
    addresses."""
    shown = progress or _Silent()
    index = _index(path, shown)
    report = ImportReport(dry_run=dry_run, site=index.site_url, other_items=index.other_items)
    for title in index.unidentified:
        named = f" “{plain_text(title)}”" if title.strip() else ""
        report.problem(
            ProblemKind.NOT_IMPORTED,
            f"an item{named} has no post id in WordPress's export namespace",
        )
    engine = create_engine(database_url, for_writes=True)
    deferred: set[int] = set()
    try:
        async with Units(engine, dry_run=dry_run, deferred=deferred) as units:
            enabled, default = await _languages(units, index, default_language, report)
            context = ImportContext(
                origin=Origin(SYSTEM, _site_key(index)),
                index=index,
                report=report,
                enabled=enabled,
                default_language=default,
                now=now,
            )
            context.originals = {group: index.original_of(group, default) for group in index.groups}
            await import_authors(units, context)
            if media is not None:
                context.media = await import_media(
                    units,
                    index,
                    media,
                    origin=context.origin,
                    enabled=enabled,
                    default_language=default,
                    now=now,
                    report=report,
                    progress=shown,
                )
                report.other_items.pop("attachment", None)
            try:
                await _import_posts(units, context, path, shown)
            except Exception:
                if not dry_run:
                    # What was written stays: make it searchable before the error goes on.
                    with contextlib.suppress(Exception):
                        await _catch_up(units, deferred, _Silent())
                raise
            await import_menus(units, context)
            if not dry_run:
                await _catch_up(units, deferred, shown)
            if context.media is not None:
                for label, placed in context.media.unreported():
                    where = f" ({placed.url})" if placed.url != label else ""
                    report.problem(
                        ProblemKind.MEDIA,
                        f"{label}{where}: {placed.reason}; tried again on the next import",
                    )
    finally:
        await engine.dispose()
    return report


async def _catch_up(units: Units, deferred: set[int], progress: Progress) -> None:
    """The search index and similar-post lists of every article written, brought up to date
    once, in transactions of a few hundred articles."""
    ids = sorted(deferred)
    progress.finishing(len(ids))
    for start in range(0, len(ids), _CATCH_UP_UNIT):
        batch = ids[start : start + _CATCH_UP_UNIT]
        async with units.unit() as session:
            await catch_up(session, batch)
        progress.advance(len(batch))


def _site_key(index: ExportIndex) -> str:
    """What keeps this blog's posts apart from other blogs' on re-import."""
    if index.site_url:
        return index.site_url
    title = index.site.get("title", "")
    return f"(no site URL) {title}" if title else "(no site URL)"


def _index(path: Path, progress: Progress) -> ExportIndex:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise WxrError(f"{path}: cannot be read: {error.strerror or error}") from None
    return index_export(read_wxr(path, lambda done: progress.reading(done, size)))


async def _languages(
    units: Units, index: ExportIndex, requested: str | None, report: ImportReport
) -> tuple[EnabledLanguages, str]:
    """Enables the languages the export uses; returns them and the default for posts that
    name none: ``requested``, else the publication's default, else the export's language."""
    async with units.unit() as session:
        enabled = await load_enabled_languages(session)
        channel = index.site.get("language", "").split("-")[0].split("_")[0]
        default = requested or (enabled.default if enabled.codes else None) or channel or None
        if default is None:
            raise ImportAborted(
                "no language for posts that name none: the database has no languages enabled "
                "and the export names none; pass --default-language"
            )
        for code in dict.fromkeys([default, *sorted(index.languages())]):
            try:
                enabled.resolve(code)
                continue
            except UnknownLanguageError:
                pass
            try:
                info = await enable_language(session, IMPORTER, code)
            except ValidationFailed as error:
                if code == default:
                    raise ImportAborted(f"language {code!r}: {error.message}") from None
                report.problem(ProblemKind.LANGUAGE, f"{code!r} cannot be enabled: {error}")
            else:
                report.languages_enabled.append(info.code)
        enabled = await load_enabled_languages(session)
    return enabled, enabled.resolve(default)


def _posts(path: Path) -> Iterator[WxrItem]:
    for entry in read_wxr(path):
        if (
            isinstance(entry, WxrItem)
            and entry.post_type in ("post", "page")
            and entry.post_id != 0
        ):
            yield entry


async def _import_posts(
    units: Units, context: ImportContext, path: Path, progress: Progress
) -> None:
    progress.importing(len(context.index.posts))
    attempted: set[int] = set()
    waiting: set[int] = set()
    for item in _posts(path):
        entry = context.index.posts[item.post_id]
        original = context.originals.get(entry.group or "")
        if original not in (None, item.post_id) and original not in attempted:
            waiting.add(item.post_id)  # its original comes later in the file
            continue
        await _import_post(units, context, item, entry)
        attempted.add(item.post_id)
        progress.advance()
    if not waiting:
        return
    for item in _posts(path):
        if item.post_id in waiting:
            waiting.discard(item.post_id)
            await _import_post(units, context, item, context.index.posts[item.post_id])
            progress.advance()


def _post_fingerprint(item: WxrItem, language: str, context: ImportContext) -> str:
    media = context.media
    entry = context.index.posts[item.post_id]
    return fingerprint(
        # What the post's images became: a file taken in since rewrites the post.
        None if media is None else media.state(item.post_id, entry.references),
        language,
        item.title,
        item.slug,
        item.content,
        item.excerpt,
        item.status,
        item.post_date_gmt,
        item.post_date,
        item.creator,
        item.password,
        item.sticky,
        item.meta.get("_thumbnail_id"),
        sorted((t.domain, t.nicename, t.name) for t in item.terms),
        item.meta.get("footnotes"),
    )


def _failure(error: PublishingError) -> str:
    if isinstance(error, ValidationFailed):
        return "; ".join(
            f"{'.'.join(str(p) for p in issue.path) or 'input'}: {issue.message}"
            for issue in error.issues
        )
    return error.message


async def _import_post(
    units: Units, context: ImportContext, item: WxrItem, entry: PostEntry
) -> None:
    report = context.report
    ref = PostRef(item.post_id, plain_text(item.title), "" if item.post_id > 0 else item.guid)
    report.posts_seen += 1
    if item.post_type == "page":
        report.pages += 1
    if item.status not in IMPORTED_STATUSES:
        report.skipped += 1
        report.problem(ProblemKind.NOT_IMPORTED, f"WordPress status {item.status!r}", ref)
        return
    try:
        language = context.enabled.resolve(entry.language or context.default_language)
    except UnknownLanguageError as error:
        report.skipped += 1
        report.problem(ProblemKind.LANGUAGE, error.message, ref)
        return
    log = UnitLog()
    failure: tuple[ProblemKind, str] | None = None
    try:
        async with units.unit() as session:
            written = await write_post(
                session,
                context,
                item,
                entry,
                language,
                _post_fingerprint(item, language, context),
                log,
            )
    except PublishingError as error:
        failure = (ProblemKind.VALIDATION_FAILED, _failure(error))
    except _FATAL:
        raise
    except Exception as error:  # a bug must not cost the rest of the archive
        failure = (ProblemKind.UNEXPECTED, f"{type(error).__name__}: {error}".splitlines()[0])
    for kind, detail in log.problems:
        report.problem(kind, detail, ref)
    if failure is not None:
        report.skipped += 1
        report.problem(*failure, ref)
        return
    if item.post_type == "page" and item.parent and written.outcome is Outcome.CREATED:
        # Pages here have no hierarchy: each stands on its own (menus keep the nesting).
        parent = context.index.posts.get(item.parent)
        named = f" “{plain_text(parent.title)}”" if parent and parent.title.strip() else ""
        report.problem(
            ProblemKind.FLATTENED,
            f"the page's parent, page {item.parent}{named}, is not kept: pages stand alone",
            ref,
        )
    _count(context, log, written.outcome)
    for footnote in written.footnotes:
        report.footnotes += 1
        if footnote.source is not None:
            source = footnote.source
            report.cited += 1
            report.sources.add((source.title, source.publisher, source.url, source.accessed_on))


def _count(context: ImportContext, log: UnitLog, outcome: Outcome) -> None:
    report = context.report
    context.tag_ids.update(log.tag_ids)
    report.tags_created += log.tags_created
    report.tags_matched += log.tags_matched
    context.section_ids.update(log.section_ids)
    report.sections_created += log.sections_created
    report.sections_matched += log.sections_matched
    if outcome is Outcome.CREATED:
        report.created += 1
    elif outcome is Outcome.UPDATED:
        report.updated += 1
    elif outcome is Outcome.UNCHANGED:
        report.unchanged += 1
    else:
        report.skipped += 1
