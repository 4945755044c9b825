"""What a webhook receiver gets: one JSON body per event, built when the event is recorded.

```json
{"id": "evt_...", "type": "ARTICLE_PUBLISHED", "occurredAt": "2026-05-01T09:00:00+00:00",
 "article": {"id": "QXJ0aWNsZToxMg==", "language": "en", "slug": "...", "storyId": 4,
             "title": "...", "publishedAt": "...",
             "translations": [{"id": "...", "language": "tr", "slug": "..."}]},
 "surrogateKeys": ["article:12", "story:4", "author:7", "tag:3", "articles:en"]}
```

A page's events (PAGE_...) carry a ``"page"`` object of the same shape, with Page ids and the
``pages:<language>`` listing key.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles.models import Article, ArticleStatus, Story, StoryKind
from publishing.authors.models import Author
from publishing.global_ids import global_id
from publishing.media.models import MediaAsset, MediaKind
from publishing.menus.models import Menu
from publishing.sections.models import Section, SectionTranslation
from publishing.site.models import Site
from publishing.surrogate import (
    ArticleRef,
    article_surrogate_keys,
    author_surrogate_keys,
    media_key,
    menu_key,
    section_surrogate_keys,
)
from publishing.translations.tasks.models import OPEN_STATUSES, TranslationTask
from publishing.webhooks.models import EventType

# ("article" | "page" | "author" | "media" | "section" | "menu" | "site" | "translation",
# fields, surrogate keys)
Subject = tuple[str, dict[str, Any], list[str]]


def new_event_id() -> str:
    return f"evt_{uuid.uuid4().hex}"


def _time(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


async def article_subject(
    session: AsyncSession,
    article: Article,
    now: dt.datetime,
    kind: StoryKind = StoryKind.ARTICLE,
) -> Subject:
    """The article (or page) as receivers see it, with the other language versions readers
    can see now."""
    type_name = "Page" if kind is StoryKind.PAGE else "Article"
    versions = await session.execute(
        select(Article.id, Article.language, Article.slug, Article.status, Article.published_at)
        .where(Article.story_id == article.story_id, Article.id != article.id)
        .order_by(Article.language)
    )
    translations = [
        {"id": global_id(type_name, pk), "language": language, "slug": slug}
        for pk, language, slug, status, published_at in versions
        if status == ArticleStatus.PUBLISHED and published_at is not None and published_at <= now
    ]
    keys = await article_surrogate_keys(
        session, [ArticleRef(article.id, article.story_id, article.language, kind)]
    )
    fields = {
        "id": global_id(type_name, article.id),
        "language": article.language,
        "slug": article.slug,
        "storyId": article.story_id,
        "title": article.title,
        "publishedAt": _time(article.published_at),
        "translations": translations,
    }
    return type_name.lower(), fields, keys[article.id]


async def author_subject(session: AsyncSession, author_id: int) -> Subject | None:
    row = (
        await session.execute(select(Author.slug, Author.name).where(Author.id == author_id))
    ).first()
    if row is None:
        return None
    fields = {"id": global_id("Author", author_id), "slug": row.slug, "name": row.name}
    return "author", fields, author_surrogate_keys(author_id)


async def media_subject(session: AsyncSession, asset_id: int) -> Subject | None:
    """An asset as receivers see it: its global id (an Image or a Document), name, type,
    version; ``media:<id>`` purges every page showing it."""
    row = (
        await session.execute(
            select(
                MediaAsset.kind, MediaAsset.file_name, MediaAsset.media_type, MediaAsset.version
            ).where(MediaAsset.id == asset_id)
        )
    ).first()
    if row is None:
        return None
    type_name = "Image" if row.kind is MediaKind.IMAGE else "Document"
    fields = {
        "id": global_id(type_name, asset_id),
        "fileName": row.file_name,
        "mediaType": row.media_type,
        "version": row.version,
    }
    return "media", fields, [media_key(asset_id)]


async def section_subject(session: AsyncSession, section_id: int) -> Subject | None:
    """A section as receivers see it: its global id, parent, version and its name and slug
    in each language; ``section:<id>`` purges every page showing it, ``sitemaps`` the
    sitemaps."""
    row = (
        await session.execute(
            select(Section.parent_id, Section.version).where(Section.id == section_id)
        )
    ).first()
    if row is None:
        return None
    texts = await session.execute(
        select(SectionTranslation.language, SectionTranslation.name, SectionTranslation.slug)
        .where(SectionTranslation.section_id == section_id)
        .order_by(SectionTranslation.language)
    )
    fields = {
        "id": global_id("Section", section_id),
        "parentId": None if row.parent_id is None else global_id("Section", row.parent_id),
        "version": row.version,
        "translations": [
            {"language": language, "name": name, "slug": slug} for language, name, slug in texts
        ],
    }
    return "section", fields, section_surrogate_keys(section_id)


async def menu_subject(session: AsyncSession, menu_id: int) -> Subject | None:
    row = (
        await session.execute(
            select(Menu.name, Menu.language, Menu.version).where(Menu.id == menu_id)
        )
    ).first()
    if row is None:
        return None
    fields = {
        "id": global_id("Menu", menu_id),
        "name": row.name,
        "language": row.language,
        "version": row.version,
    }
    return "menu", fields, [menu_key(menu_id)]


def event_body(
    event_id: str, event_type: EventType, occurred_at: dt.datetime, subject: Subject
) -> str:
    name, fields, keys = subject
    body = {
        "id": event_id,
        "type": event_type.value,
        "occurredAt": occurred_at.isoformat(),
        name: fields,
        "surrogateKeys": keys,
    }
    return orjson.dumps(body).decode()


async def site_subject(session: AsyncSession) -> Subject | None:
    """The site as updateSite left it; its key is "*": every public URL may have changed."""
    row = (await session.execute(select(Site.name, Site.url, Site.version))).first()
    if row is None:
        return None
    return "site", {"name": row.name, "url": row.url, "version": row.version}, ["*"]


async def translation_subject(
    session: AsyncSession, translation: Article, kind: StoryKind = StoryKind.ARTICLE
) -> Subject | None:
    """A translation as a translation agency's system follows it: the version, the original
    it follows (with the version it was translated from and the original's current one), and
    the open tasks for it. Drafts included: the translator's work is not yet public. Nothing
    a reader sees changes with these events, so they carry no surrogate keys."""
    type_name = "Page" if kind is StoryKind.PAGE else "Article"
    original = (
        await session.execute(
            select(Article.id, Article.language, Article.slug, Article.content_version)
            .join(Story, Story.id == Article.story_id)
            .where(
                Article.story_id == translation.story_id,
                Article.language == Story.original_language,
            )
        )
    ).first()
    if original is None:
        return None
    tasks = await session.execute(
        select(
            TranslationTask.id,
            TranslationTask.status,
            TranslationTask.assignee_name,
            TranslationTask.assignee_email,
            TranslationTask.due_on,
        )
        .where(
            TranslationTask.story_id == translation.story_id,
            TranslationTask.language == translation.language,
            TranslationTask.status.in_(OPEN_STATUSES),
        )
        .order_by(TranslationTask.id)
    )
    fields = {
        "id": global_id(type_name, translation.id),
        "language": translation.language,
        "slug": translation.slug,
        "storyId": translation.story_id,
        "title": translation.title,
        "status": translation.status.value,
        "version": translation.version,
        "sourceVersion": translation.source_version,
        "original": {
            "id": global_id(type_name, original.id),
            "language": original.language,
            "slug": original.slug,
            "contentVersion": original.content_version,
        },
        "tasks": [
            {
                "id": global_id("TranslationTask", task_id),
                "status": status.value,
                "assigneeName": name,
                "assigneeEmail": email,
                "dueOn": due_on.isoformat() if due_on else None,
            }
            for task_id, status, name, email, due_on in tasks
        ],
    }
    return "translation", fields, []
