"""A realistic benchmark data set, written in bulk through the real tables.

Rows have the shapes the editorial services write (an article with its footnotes, credits,
tags and one revision snapshot), but go in by the thousand: ``COPY`` on PostgreSQL, batched
``INSERT`` on SQLite. Per story: three language versions of about 4 KB of Markdown with about
eight footnote references; shared by all: 2,000 authors with bios in every language, 200 tags,
5,000 cited sources. The same ``seed`` gives the same content (times are relative to today).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from sqlalchemy import JSON, Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

import migrations
from bench.corpus import LANGUAGES, Corpus
from publishing.articles.models import (
    Article,
    ArticleRevision,
    ArticleStatus,
    ContributorCredit,
    CreditRole,
    Story,
    StoryKind,
    story_tags,
)
from publishing.authors.models import Author, AuthorBio
from publishing.changes import log as change_log
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine
from publishing.footnotes.models import Footnote, Source
from publishing.footnotes.references import NumberingStyle
from publishing.languages.service import enable_languages
from publishing.tags.models import Tag, TagName

AUTHORS = 2_000
TAGS = 200
SOURCES = 5_000
BATCH = 500  # stories per transaction
CREATED_BY = "bench-generate"
SLUG_PREFIX = "bench-"  # authors' and tags' slugs, so a second run finds the first's
SOURCE_URL = "https://sources.bench.example/"

# Tables whose integer ids the generator assigns itself (PostgreSQL sequences follow after).
SERIAL_TABLES: tuple[Table, ...] = tuple(
    model.__table__  # type: ignore[misc]
    for model in (Author, Tag, Source, Story, Article, Footnote, ContributorCredit, ArticleRevision)
)


async def generate(
    database_url: str, stories: int, *, seed: int = 1, progress: bool = True
) -> None:
    """Add ``stories`` stories (three language versions each) to the database at
    ``database_url``, migrating it first. Authors, tags and sources from an earlier run are
    reused; stories are added after those already there."""
    # Alembic runs its own event loop, so it goes to a thread of its own.
    await asyncio.to_thread(migrations.upgrade, database_url)
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            generator = _Generator(connection, random.Random(seed))
            with _progress(progress) as bar:
                await generator.run(stories, bar)
    finally:
        await engine.dispose()


@contextlib.contextmanager
def _progress(enabled: bool) -> Iterator[Progress]:
    bar = Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        disable=not enabled,
    )
    with bar:
        yield bar


@dataclass
class _Ids:
    """Next free id per table."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


@dataclass(frozen=True, slots=True)
class _Source:
    id: int
    title: str
    publisher: str
    url: str
    accessed_on: dt.date


@dataclass
class _Batch:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: Table, **row: Any) -> None:
        self.rows.setdefault(table.name, []).append(row)


class _Generator:
    def __init__(self, connection: AsyncConnection, rng: random.Random) -> None:
        self.connection = connection
        self.rng = rng
        self.corpus = Corpus(rng)
        self.postgres = connection.dialect.name == "postgresql"
        # Whole days, so times do not depend on the minute the run started.
        today = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self.anchor = today
        self.ids = _Ids()
        self.authors: list[int] = []
        self.tags: list[int] = []
        self.sources: list[_Source] = []

    # -- orchestration -------------------------------------------------------------------

    async def run(self, stories: int, bar: Progress) -> None:
        async with self.connection.begin():
            await enable_languages(AsyncSession(bind=self.connection), LANGUAGES)
            for table in SERIAL_TABLES:
                self.ids.next[table.name] = (
                    await self.connection.scalar(select(func.coalesce(func.max(table.c.id), 0)))
                ) + 1
        shared = bar.add_task("authors, tags, sources", total=AUTHORS + TAGS + SOURCES)
        async with self.connection.begin():
            await self._authors()
            bar.advance(shared, AUTHORS)
            await self._tags()
            bar.advance(shared, TAGS)
            await self._sources()
            bar.advance(shared, SOURCES)
        task = bar.add_task("stories (x3 languages)", total=stories)
        done = 0
        while done < stories:
            size = min(BATCH, stories - done)
            batch = _Batch()
            for _ in range(size):
                self._story(batch)
            async with self.connection.begin():
                for table in (Story, Article, Footnote, ContributorCredit, ArticleRevision):
                    await self._write(table.__table__, batch.rows.get(table.__tablename__, []))  # type: ignore[arg-type]
                await self._write(story_tags, batch.rows.get(story_tags.name, []))
            done += size
            bar.advance(task, size)
        await self._finish()

    async def _finish(self) -> None:
        async with self.connection.begin():
            if self.postgres:
                # Ids were assigned here: move each sequence past them, so services can insert.
                for table in SERIAL_TABLES:
                    await self.connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"(SELECT coalesce(max(id), 1) FROM {table.name}))"
                        )
                    )
            # Running API processes drop what they cached: this load bypassed the services.
            await change_log.record_everything(
                AsyncSession(bind=self.connection), now=SYSTEM_CLOCK.now()
            )
        # Fresh statistics, so the planner knows the tables are no longer empty.
        async with self.connection.begin():
            await self.connection.execute(text("ANALYZE"))

    async def _write(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        if not self.postgres:
            await self.connection.execute(insert(table), list(rows))
            return
        columns = [column.name for column in table.columns]
        json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
        records = [
            tuple(
                orjson.dumps(row[name]).decode() if name in json_columns else row.get(name)
                for name in columns
            )
            for row in rows
        ]
        raw = await self.connection.get_raw_connection()
        driver: Any = raw.driver_connection
        await driver.copy_records_to_table(table.name, records=records, columns=columns)

    # -- shared content ------------------------------------------------------------------

    async def _existing(self, column: Any, like: str) -> dict[str, int]:
        table = column.table
        rows = await self.connection.execute(select(column, table.c.id).where(column.like(like)))
        return {value: row_id for value, row_id in rows}

    async def _authors(self) -> None:
        slugs = [f"{SLUG_PREFIX}author-{n:05d}" for n in range(1, AUTHORS + 1)]
        existing = await self._existing(Author.__table__.c.slug, f"{SLUG_PREFIX}author-%")
        batch = _Batch()
        created_at = self.anchor - dt.timedelta(days=6 * 365)
        for slug in slugs:
            name = self.corpus.person()  # drawn either way, so later content stays the same
            bios = {lang: self.corpus.paragraph(lang, 5, 9) for lang in LANGUAGES}
            if slug in existing:
                self.authors.append(existing[slug])
                continue
            author_id = self.ids.take("authors")
            self.authors.append(author_id)
            batch.add(
                Author.__table__,  # type: ignore[arg-type]
                id=author_id,
                slug=slug,
                name=name,
                avatar_url=f"https://avatars.bench.example/{slug}.jpg",
                created_at=created_at,
                updated_at=created_at,
            )
            for lang, bio in bios.items():
                batch.add(AuthorBio.__table__, author_id=author_id, language=lang, markdown=bio)  # type: ignore[arg-type]
        await self._write(Author.__table__, batch.rows.get("authors", []))  # type: ignore[arg-type]
        await self._write(AuthorBio.__table__, batch.rows.get("author_bios", []))  # type: ignore[arg-type]

    async def _tags(self) -> None:
        existing = await self._existing(Tag.__table__.c.slug, f"{SLUG_PREFIX}tag-%")
        batch = _Batch()
        for n in range(1, TAGS + 1):
            slug = f"{SLUG_PREFIX}tag-{n:03d}"
            names = {lang: self.corpus.word(lang).capitalize() for lang in LANGUAGES}
            if slug in existing:
                self.tags.append(existing[slug])
                continue
            tag_id = self.ids.take("tags")
            self.tags.append(tag_id)
            batch.add(Tag.__table__, id=tag_id, slug=slug)  # type: ignore[arg-type]
            for lang, name in names.items():
                batch.add(TagName.__table__, tag_id=tag_id, language=lang, name=name)  # type: ignore[arg-type]
        await self._write(Tag.__table__, batch.rows.get("tags", []))  # type: ignore[arg-type]
        await self._write(TagName.__table__, batch.rows.get("tag_names", []))  # type: ignore[arg-type]

    async def _sources(self) -> None:
        existing = await self._existing(Source.__table__.c.url, f"{SOURCE_URL}%")
        publishers = [self.corpus.title("en") for _ in range(150)]
        batch = _Batch()
        for n in range(1, SOURCES + 1):
            url = f"{SOURCE_URL}{n:05d}/{self.corpus.ascii_word()}"
            title = self.corpus.title("en")
            publisher = self.rng.choice(publishers)
            accessed_on = self.anchor.date() - dt.timedelta(days=self.rng.randint(30, 2_000))
            source_id = existing.get(url) or self.ids.take("sources")
            self.sources.append(_Source(source_id, title, publisher, url, accessed_on))
            if url in existing:
                continue
            batch.add(
                Source.__table__,  # type: ignore[arg-type]
                id=source_id,
                title=title,
                publisher=publisher,
                url=url,
                accessed_on=accessed_on,
            )
        await self._write(Source.__table__, batch.rows.get("sources", []))  # type: ignore[arg-type]

    # -- stories -------------------------------------------------------------------------

    def _skewed(self, pool: Sequence[int], count: int, power: float) -> list[int]:
        """``count`` distinct picks, the first of the pool far more often (a few prolific
        authors, a few popular tags)."""
        picked: dict[int, None] = {}
        while len(picked) < count:
            picked[pool[int(len(pool) * self.rng.random() ** power)]] = None
        return list(picked)

    def _story(self, batch: _Batch) -> None:
        rng = self.rng
        story_id = self.ids.take("stories")
        original = rng.choices(LANGUAGES, weights=(6, 2, 2))[0]
        languages = [original, *(lang for lang in LANGUAGES if lang != original)]
        published = self.anchor - dt.timedelta(seconds=rng.uniform(3_600, 5 * 365 * 86_400))
        created = published - dt.timedelta(hours=rng.uniform(1, 72))
        style = NumberingStyle.ROMAN if rng.random() < 0.05 else NumberingStyle.ARABIC
        batch.add(
            Story.__table__,  # type: ignore[arg-type]
            id=story_id,
            original_language=original,
            created_at=created,
            kind=StoryKind.ARTICLE,
            featured=False,
        )

        authors = self._skewed(self.authors, rng.choices((1, 2, 3), weights=(70, 22, 8))[0], 2)
        story_credits = []
        for position, author_id in enumerate(authors):
            batch.add(
                ContributorCredit.__table__,  # type: ignore[arg-type]
                id=self.ids.take("contributor_credits"),
                story_id=story_id,
                article_id=None,
                author_id=author_id,
                role=CreditRole.AUTHOR,
                position=position,
            )
            story_credits.append({"authorId": author_id, "role": "AUTHOR", "on": "story"})
        for position, tag_id in enumerate(self._skewed(self.tags, rng.randint(2, 4), 1.5)):
            batch.add(story_tags, story_id=story_id, tag_id=tag_id, position=position)

        for language in languages:
            is_original = language == original
            roll = rng.random()
            if roll < (0.01 if is_original else 0.03):
                status, published_at = ArticleStatus.DRAFT, None
            elif roll < (0.015 if is_original else 0.04):
                # Scheduled: published, with its time still to come.
                status = ArticleStatus.PUBLISHED
                published_at = self.anchor + dt.timedelta(seconds=rng.uniform(3_600, 60 * 86_400))
            else:
                status = ArticleStatus.PUBLISHED
                delay = dt.timedelta(0 if is_original else rng.uniform(0, 14 * 86_400))
                published_at = min(published + delay, self.anchor - dt.timedelta(minutes=1))
            credits = list(story_credits)
            article_id = self.ids.take("articles")
            if not is_original:
                translator = self._skewed(self.authors, 1, 2)[0]
                batch.add(
                    ContributorCredit.__table__,  # type: ignore[arg-type]
                    id=self.ids.take("contributor_credits"),
                    story_id=None,
                    article_id=article_id,
                    author_id=translator,
                    role=CreditRole.TRANSLATOR,
                    position=0,
                )
                credits.append({"authorId": translator, "role": "TRANSLATOR", "on": "article"})
            self._article(
                batch,
                article_id=article_id,
                story_id=story_id,
                language=language,
                status=status,
                published_at=published_at,
                created=created,
                style=style,
                source_version=None if is_original else 1,
                credits=credits,
            )

    def _article(
        self,
        batch: _Batch,
        *,
        article_id: int,
        story_id: int,
        language: str,
        status: ArticleStatus,
        published_at: dt.datetime | None,
        created: dt.datetime,
        style: NumberingStyle,
        source_version: int | None,
        credits: list[dict[str, Any]],
    ) -> None:
        rng, corpus = self.rng, self.corpus
        keys = [f"n{i}" for i in range(1, rng.randint(6, 10) + 1)]
        body = corpus.body(language, keys)
        title = corpus.title(language)
        subtitle = corpus.sentences(language, 1)[0]
        excerpt = " ".join(corpus.sentences(language, 2))
        slug = corpus.slug(article_id)
        updated = published_at or created
        batch.add(
            Article.__table__,  # type: ignore[arg-type]
            id=article_id,
            story_id=story_id,
            language=language,
            slug=slug,
            title=title,
            subtitle=subtitle,
            excerpt=excerpt,
            body=body,
            numbering_style=style,
            status=status,
            published_at=published_at,
            version=1,
            content_version=1,
            content_updated_at=created,
            source_version=source_version,
            created_at=created,
            updated_at=updated,
        )
        notes = []
        for position, key in enumerate(keys):
            content = " ".join(corpus.sentences(language, rng.randint(1, 2)))
            source = self.sources[int(len(self.sources) * rng.random() ** 1.5)]
            cited = rng.random() < 0.7
            batch.add(
                Footnote.__table__,  # type: ignore[arg-type]
                id=self.ids.take("footnotes"),
                article_id=article_id,
                key=key,
                position=position,
                content=content,
                source_id=source.id if cited else None,
            )
            notes.append(
                {
                    "key": key,
                    "content": content,
                    "source": {
                        "id": source.id,
                        "title": source.title,
                        "publisher": source.publisher,
                        "url": source.url,
                        "accessedOn": source.accessed_on.isoformat(),
                    }
                    if cited
                    else None,
                }
            )
        # The snapshot the services record (publishing.articles.revisions.snapshot).
        snapshot = {
            "language": language,
            "slug": slug,
            "title": title,
            "subtitle": subtitle,
            "excerpt": excerpt,
            "body": body,
            "numberingStyle": style.value,
            "status": status.value,
            "publishedAt": published_at.isoformat() if published_at else None,
            "sourceVersion": source_version,
            "footnotes": notes,
            "credits": credits,
        }
        batch.add(
            ArticleRevision.__table__,  # type: ignore[arg-type]
            id=self.ids.take("article_revisions"),
            article_id=article_id,
            version=1,
            created_at=updated,
            created_by=CREATED_BY,
            snapshot=snapshot,
        )
