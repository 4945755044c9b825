"""Loads the demo publication through the same services the API uses, so it is validated and
revisioned like any editor's work. Idempotent: what exists already is left alone."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import Actor, Role
from publishing.articles import editing
from publishing.articles.editing import (
    ArticleChanges,
    CreditData,
    FootnoteData,
    NewArticle,
    NewTranslation,
    SourceData,
)
from publishing.articles.models import Article, CreditRole, StoryKind
from publishing.authors.models import Author, AuthorBio
from publishing.db import create_engine, create_sessionmaker
from publishing.demo import content, pages
from publishing.demo.navigation import seed_navigation
from publishing.demo.seo import ARTICLE_SEO, seed_author_seo
from publishing.footnotes.references import NumberingStyle
from publishing.languages.service import enable_languages
from publishing.media.storage import MediaStorage
from publishing.site.models import Site, SiteText
from publishing.tags.models import Tag, TagName

SEEDER = Actor("seed-demo", Role.ADMIN)


async def seed_demo_content(
    database_url: str,
    *,
    now: dt.datetime,
    only_if_empty: bool = False,
    storage: MediaStorage | None = None,
) -> str:
    """Publication dates are relative to ``now``. With a ``storage``, the demo's images and
    report too (publishing.demo.media)."""
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            if only_if_empty and await session.scalar(select(func.count(Article.id))):
                return "The database already holds articles; demo content not loaded."
            created = await _seed(session, now)
            if storage is not None:
                from publishing.demo.media import seed_media

                await seed_media(session, SEEDER, storage, now)
    finally:
        await engine.dispose()
    if not created:
        return "Demo content is already in place."
    return f"Loaded {created} demo stories."


async def _seed(session: AsyncSession, now: dt.datetime) -> int:
    await enable_languages(session, content.LANGUAGES)
    await _site(session, now)
    authors = await _authors(session, now)
    await seed_author_seo(session)
    tags = await _tags(session)
    sources = {
        s.key: SourceData(s.title, s.publisher, s.url, s.accessed_on) for s in content.SOURCES
    }
    created = 0
    stories = [(s, StoryKind.ARTICLE) for s in content.STORIES]
    stories += [(p, StoryKind.PAGE) for p in pages.PAGES]
    for story, kind in stories:
        original = story.versions[0]
        exists = await session.scalar(
            select(Article.id).where(
                Article.language == original.language, Article.slug == original.slug
            )
        )
        if exists is None:
            await _story(session, story, authors, tags, sources, now, kind)
            created += 1
    await seed_navigation(session, SEEDER, now)
    return created


async def _site(session: AsyncSession, now: dt.datetime) -> None:
    """The publication's name and titles, once (an administrator's later changes stay)."""
    if await session.scalar(select(SiteText.language).limit(1)) is not None:
        return
    await session.execute(update(Site).where(Site.id == 1).values(name=content.SITE_NAME))
    for language, (title, description) in content.SITE_TEXTS.items():
        session.add(SiteText(language=language, title=title, description=description))
    await session.flush()


async def _authors(session: AsyncSession, now: dt.datetime) -> dict[str, int]:
    ids = dict((await session.execute(select(Author.slug, Author.id))).all())
    for demo in content.AUTHORS:
        if demo.slug in ids:
            continue
        author = Author(
            slug=demo.slug,
            name=demo.name,
            avatar_url=demo.avatar_url,
            created_at=now,
            updated_at=now,
        )
        author.bios = [AuthorBio(language=lang, markdown=md) for lang, md in demo.bios.items()]
        session.add(author)
        await session.flush()
        ids[demo.slug] = author.id
    return ids


async def _tags(session: AsyncSession) -> dict[str, int]:
    ids = dict((await session.execute(select(Tag.slug, Tag.id))).all())
    for demo in content.TAGS:
        if demo.slug in ids:
            continue
        tag = Tag(slug=demo.slug)
        tag.names = [TagName(language=lang, name=name) for lang, name in demo.names.items()]
        session.add(tag)
        await session.flush()
        ids[demo.slug] = tag.id
    return ids


def _footnotes(version: content.DemoVersion, sources: dict[str, SourceData]) -> list[FootnoteData]:
    return [
        FootnoteData(f.key, f.content, sources[f.source] if f.source else None)
        for f in version.footnotes
    ]


async def _story(
    session: AsyncSession,
    demo: content.DemoStory,
    authors: dict[str, int],
    tags: dict[str, int],
    sources: dict[str, SourceData],
    now: dt.datetime,
    kind: StoryKind = StoryKind.ARTICLE,
) -> None:
    first, *translations = demo.versions
    original = await editing.create_article(
        session,
        SEEDER,
        NewArticle(
            language=first.language,
            slug=first.slug,
            title=first.title,
            subtitle=first.subtitle,
            excerpt=first.excerpt,
            # An original revised after translation began starts from its earlier text.
            body=demo.earlier_body or first.body,
            numbering_style=NumberingStyle(first.numbering_style),
            footnotes=_footnotes(first, sources),
            credits=[CreditData(authors[slug], CreditRole.AUTHOR) for slug in demo.authors],
            tag_ids=[tags[slug] for slug in demo.tags],
            seo=ARTICLE_SEO.get((first.language, first.slug)),
        ),
        now=now,
        kind=kind,
    )
    created = [(first, original)]
    for version in (v for v in translations if v.from_earlier_revision):
        created.append(
            (version, await _translate(session, original.id, version, authors, sources, now, kind))
        )
    if demo.earlier_body is not None:
        await editing.update_article(
            session,
            SEEDER,
            original.id,
            original.version,
            ArticleChanges(body=first.body),
            now=now,
            kind=kind,
        )
    for version in (v for v in translations if not v.from_earlier_revision):
        created.append(
            (version, await _translate(session, original.id, version, authors, sources, now, kind))
        )
    for version, article in created:
        await _set_status(session, version, article, now, kind)


async def _translate(
    session: AsyncSession,
    original_id: int,
    version: content.DemoVersion,
    authors: dict[str, int],
    sources: dict[str, SourceData],
    now: dt.datetime,
    kind: StoryKind,
) -> Article:
    return await editing.create_translation(
        session,
        SEEDER,
        NewTranslation(
            original_id=original_id,
            language=version.language,
            slug=version.slug,
            title=version.title,
            subtitle=version.subtitle,
            excerpt=version.excerpt,
            body=version.body,
            numbering_style=NumberingStyle(version.numbering_style),
            footnotes=_footnotes(version, sources),
            credits=[CreditData(authors[s], CreditRole.TRANSLATOR) for s in version.translators],
        ),
        now=now,
        kind=kind,
    )


async def _set_status(
    session: AsyncSession,
    version: content.DemoVersion,
    article: Article,
    now: dt.datetime,
    kind: StoryKind,
) -> None:
    if version.published_days_ago is None:
        return  # stays a draft
    published_at = now - dt.timedelta(days=version.published_days_ago)
    await editing.publish_article(
        session, SEEDER, article.id, now=now, publish_at=published_at, kind=kind
    )
    if version.status == "archived":
        await editing.archive_article(session, SEEDER, article.id, now=now, kind=kind)
