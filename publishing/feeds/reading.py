"""A feed's content: the newest visible articles of a scope, read in a constant number of
statements however many items it lists (the same batch reads the API's listings use).

Only what the public sees is listed: ``Visibility`` without editorial rights, so drafts,
scheduled and archived articles never appear, whoever asks.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles.models import Article, CreditRole
from publishing.articles.reading import (
    ArticleFilter,
    credits_by_article,
    footnotes_by_article,
    list_articles,
)
from publishing.articles.validation import MAX_SLUG, SLUG_PATTERN
from publishing.articles.visibility import Visibility
from publishing.authors.reading import author_by_slug
from publishing.feeds import content
from publishing.feeds.content import MediaLinks
from publishing.feeds.model import (
    MAX_ITEMS,
    Feed,
    FeedContent,
    FeedFormat,
    FeedItem,
    FeedScope,
    Person,
    ScopeKind,
)
from publishing.footnotes.models import Footnote, Source
from publishing.languages.service import EnabledLanguages
from publishing.media import figures as media_figures
from publishing.media.reading import featured_images_by_article, media_by_id, texts_by_media
from publishing.sections.reading import section_by_slug
from publishing.site.links import LinkKind
from publishing.site.reading import SiteProfile, load_site
from publishing.tags.reading import tag_by_slug, tags_by_story

__all__ = ["load_feed"]


def _is_slug(slug: str) -> bool:
    return len(slug) <= MAX_SLUG and SLUG_PATTERN.fullmatch(slug) is not None


def _tag_authority(site: SiteProfile) -> str:
    return urlsplit(site.links.site_url).hostname or "localhost"


def item_id(site: SiteProfile, article: Article) -> str:
    """A tag URI (RFC 4151) naming the article version for good: slugs and permalink patterns
    may change, the id does not."""
    return f"tag:{_tag_authority(site)},{article.created_at:%Y-%m-%d}:article:{article.id}"


async def _footnote_keys(session: AsyncSession, ids: Sequence[int]) -> dict[int, set[str]]:
    keys: dict[int, set[str]] = defaultdict(set)
    statement = select(Footnote.article_id, Footnote.key).where(Footnote.article_id.in_(ids))
    for article_id, key in await session.execute(statement):
        keys[article_id].add(key)
    return keys


async def _figures(
    session: AsyncSession, articles: Sequence[Article], media: MediaLinks
) -> dict[int, content.FigureKey]:
    """The figures of every body's ``media:`` images: two statements for all of them."""
    targets = {article.id: content.media_targets(article.body) for article in articles}
    wanted = sorted(
        {
            asset_id
            for found in targets.values()
            for asset_id in map(media_figures.asset_id_of, found)
            if asset_id is not None
        }
    )
    assets = await media_by_id(session, wanted) if wanted else {}
    texts = await texts_by_media(session, sorted(assets)) if assets else {}
    return {
        article.id: content.figures_of(targets[article.id], assets, texts, article.language, media)
        for article in articles
    }


async def _scope(
    session: AsyncSession, scope: FeedScope, site: SiteProfile, languages: EnabledLanguages
) -> tuple[str, str, ArticleFilter] | None:
    """The feed's title, the site page it follows and what it lists; None when its section,
    author or tag does not exist."""
    language, links = scope.language, site.links
    site_title = site.title(language)
    if scope.kind is ScopeKind.AUTHOR and scope.slug is not None:
        author = await author_by_slug(session, scope.slug)
        if author is None:
            return None
        return (
            f"{author.name} – {site_title}",
            links.url(LinkKind.AUTHOR, language=language, slug=author.slug),
            ArticleFilter(language=language, author_slug=author.slug),
        )
    if scope.kind is ScopeKind.TAG and scope.slug is not None:
        tag = await tag_by_slug(session, scope.slug)
        if tag is None:
            return None
        name = languages.pick(tag.names, language) or tag.slug
        return (
            f"{name} – {site_title}",
            links.url(LinkKind.TAG, language=language, slug=tag.slug),
            ArticleFilter(language=language, tag_slug=tag.slug),
        )
    if scope.kind is ScopeKind.SECTION and scope.slug is not None:
        # A section's slug is its slug in the feed's language.
        section = await section_by_slug(session, language, scope.slug)
        text = None if section is None else section.texts.get(language)
        if section is None or text is None:
            return None
        return (
            f"{text.name} – {site_title}",
            links.url(LinkKind.SECTION, language=language, slug=text.slug),
            ArticleFilter(language=language, section_id=section.id, include_subsections=True),
        )
    return site_title, links.home(language), ArticleFilter(language=language)


async def load_feed(
    session: AsyncSession,
    scope: FeedScope,
    *,
    now: dt.datetime,
    mode: FeedContent,
    media: MediaLinks,
    feed_urls: Mapping[FeedFormat, str],
    languages: EnabledLanguages,
) -> Feed | None:
    """The feed of ``scope`` (its language already resolved to an enabled one) as of
    ``now``; None when its section, author or tag does not exist."""
    language = scope.language
    if scope.slug is not None and not _is_slug(scope.slug):
        # No section, author or tag has it: not worth a statement (nor a NUL byte in one).
        return None
    site = await load_site(session)
    found = await _scope(session, scope, site, languages)
    if found is None:
        return None
    title, home_url, article_filter = found
    links = site.links
    listed = await list_articles(session, article_filter, Visibility(now), limit=MAX_ITEMS)
    articles = [article for article, _ in listed]
    ids = [article.id for article in articles]
    story_ids = sorted({article.story_id for article in articles})
    credits = await credits_by_article(session, [(a.id, a.story_id) for a in articles])
    tags = await tags_by_story(session, story_ids)
    images = await featured_images_by_article(session, ids)
    full = mode is FeedContent.FULL
    notes: dict[int, list[tuple[Footnote, Source | None]]] = {}
    note_keys: dict[int, set[str]] = {}
    figures: dict[int, content.FigureKey] = {}
    if full:
        notes = await footnotes_by_article(session, ids)
        note_keys = {i: {footnote.key for footnote, _ in rows} for i, rows in notes.items()}
        figures = await _figures(session, articles, media)
    elif any(not (a.excerpt or a.subtitle) for a in articles):
        # Summaries made from the body need to know which references are footnotes.
        note_keys = await _footnote_keys(session, ids)

    items = []
    for article in articles:
        body = None
        if full:
            body = content.body_html(article, notes.get(article.id, []), figures[article.id])
        published = article.published_at or article.created_at
        items.append(
            FeedItem(
                id=item_id(site, article),
                url=links.url(
                    LinkKind.ARTICLE,
                    language=article.language,
                    slug=article.slug,
                    published_at=article.published_at,
                ),
                title=article.title,
                summary=content.summary(article, note_keys.get(article.id, set())),
                content_html=body,
                published=published,
                updated=max(article.updated_at, published),
                authors=[
                    Person(
                        credit.author.name,
                        links.url(LinkKind.AUTHOR, language=language, slug=credit.author.slug),
                    )
                    for credit in credits[(article.id, article.story_id)]
                    if credit.role is CreditRole.AUTHOR
                ],
                categories=[
                    (view.slug, languages.pick(view.names, language) or view.slug)
                    for view in tags.get(article.story_id, [])
                ],
                image=content.enclosure(images.get(article.id), media),
            )
        )
    updated = max((item.updated for item in items), default=site.updated_at)
    return Feed(
        id=feed_urls[FeedFormat.ATOM],
        title=title,
        description=site.description(language),
        language=language,
        home_url=home_url,
        feed_urls=feed_urls,
        updated=updated,
        publisher=Person(site.name, links.home(language)),
        items=items,
    )
