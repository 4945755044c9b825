"""What the sitemaps list, read in keyset-paged batches.

A language's sitemap lists, in this order, its visible articles (by id), every author and the
tags named in that language; file ``n`` of a language holds positions ``(n-1)*limit`` up to
``n*limit`` of that sequence. Each batch costs a fixed number of statements (articles, their
stories' other visible versions, their featured images), so memory and statements per batch
stay flat however many URLs a file holds.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles.models import Article, Story
from publishing.articles.visibility import Visibility
from publishing.authors.models import Author
from publishing.languages.models import Language
from publishing.media.models import ArticleFeaturedImage, MediaAsset, MediaKind
from publishing.media.urls import Fit, ImageFormat, RenditionSpec, rendition_spec, rendition_url
from publishing.site.links import Alternate, LinkKind, Links, Version
from publishing.tags.models import Tag, TagName

# The sitemaps.org limit of URLs per file.
MAX_URLS = 50_000
# Rows read per statement while a file is written.
BATCH = 2_000
# The news sitemap: articles published this recently, at most this many (Google's limits).
NEWS_WINDOW = dt.timedelta(hours=48)
NEWS_MAX = 1_000
# The width of the image rendition listed for a featured image.
IMAGE_WIDTH = 1200


@dataclass(frozen=True, slots=True)
class UrlEntry:
    loc: str
    lastmod: dt.datetime | None
    alternates: tuple[Alternate, ...] = ()
    images: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NewsEntry:
    loc: str
    language: str
    title: str
    published_at: dt.datetime


@dataclass(frozen=True, slots=True)
class LanguagePlan:
    """How many URLs a language's sitemap lists, of each kind."""

    language: str
    articles: int
    authors: int
    tags: int
    lastmod: dt.datetime | None

    @property
    def total(self) -> int:
        return self.articles + self.authors + self.tags

    def files(self, limit: int) -> int:
        return math.ceil(self.total / limit)


@dataclass(frozen=True, slots=True)
class SitemapPlan:
    languages: tuple[LanguagePlan, ...]  # enabled languages, in the order they are offered
    default_language: str | None

    def language(self, code: str) -> LanguagePlan | None:
        return next((p for p in self.languages if p.language == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(p.language for p in self.languages)


@dataclass(frozen=True, slots=True)
class ImageLinks:
    """Absolute, signed rendition URLs of featured images (a JPEG that fits a width)."""

    origin: str  # where the API serves /media/..., no trailing slash
    secret: bytes
    spec: RenditionSpec

    @classmethod
    def make(cls, origin: str, secret: bytes, allowed_widths: Sequence[int]) -> ImageLinks:
        width = IMAGE_WIDTH
        if allowed_widths and width not in allowed_widths:
            width = max(allowed_widths)
        spec = rendition_spec(
            width=width,
            fit=Fit.CONTAIN,
            image_format=ImageFormat.JPEG,
            allowed_widths=allowed_widths,
        )
        return cls(origin.rstrip("/"), secret, spec)

    def url(self, key: str) -> str:
        return self.origin + rendition_url(self.secret, key, self.spec)


def _aware(value: dt.datetime | str | None) -> dt.datetime | None:
    if isinstance(value, str):  # SQLite gives max() of a column as text
        value = dt.datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


async def plan(session: AsyncSession, now: dt.datetime) -> SitemapPlan:
    """Counts per enabled language, and when its content last changed: four statements."""
    visible = Visibility(now).clause()
    languages = (
        await session.execute(
            select(Language.code, Language.is_default).order_by(
                # The site's order of languages (as GraphQL gives them): the default first.
                Language.is_default.desc(),
                Language.position,
                Language.code,
            )
        )
    ).all()
    articles = {
        language: (count, _aware(latest))
        for language, count, latest in await session.execute(
            select(Article.language, func.count(Article.id), func.max(Article.updated_at))
            .where(visible)
            .group_by(Article.language)
        )
    }
    authors, authors_latest = (
        await session.execute(select(func.count(Author.id), func.max(Author.updated_at)))
    ).one()
    tags = dict(
        (
            await session.execute(
                select(TagName.language, func.count(TagName.tag_id)).group_by(TagName.language)
            )
        ).all()
    )
    plans = []
    for code, _ in languages:
        count, latest = articles.get(code, (0, None))
        stamps = [t for t in (latest, _aware(authors_latest)) if t is not None]
        plans.append(
            LanguagePlan(
                code, int(count), int(authors), int(tags.get(code, 0)), max(stamps, default=None)
            )
        )
    default = next((code for code, is_default in languages if is_default), None)
    if default is None and languages:
        default = languages[0][0]
    return SitemapPlan(tuple(plans), default)


def _segments(p: LanguagePlan, number: int, limit: int) -> list[tuple[str, int, int]]:
    """(kind, offset in its kind, rows) of each kind file ``number`` (from 1) holds."""
    start, end = (number - 1) * limit, number * limit
    segments = []
    first = 0
    for kind, size in (("articles", p.articles), ("authors", p.authors), ("tags", p.tags)):
        lo, hi = max(start, first), min(end, first + size)
        if lo < hi:
            segments.append((kind, lo - first, hi - lo))
        first += size
    return segments


async def _keyset(
    session: AsyncSession, statement: Select[tuple], key: object, offset: int, rows: int, batch: int
) -> AsyncIterator[Sequence[tuple]]:
    """``rows`` rows of ``statement`` ordered by ``key`` after skipping ``offset`` of them: the
    first batch by OFFSET, the next ones after the last key seen."""
    last = None
    while rows > 0:
        page = statement.order_by(key).limit(min(batch, rows))
        page = page.offset(offset) if last is None else page.where(key > last)  # type: ignore[operator]
        result = (await session.execute(page)).all()
        if not result:
            return
        yield result
        rows -= len(result)
        last = result[-1][0]


async def url_entries(
    session: AsyncSession,
    *,
    links: Links,
    sitemap: SitemapPlan,
    language: str,
    number: int,
    limit: int,
    now: dt.datetime,
    images: ImageLinks | None,
    batch: int = BATCH,
) -> AsyncIterator[list[UrlEntry]]:
    """The entries of file ``number`` (from 1) of ``language``'s sitemap, a batch at a time."""
    p = sitemap.language(language)
    if p is None:
        return
    for kind, offset, rows in _segments(p, number, limit):
        if kind == "articles":
            async for entries in _articles(
                session, links, sitemap, p, offset, rows, now, images, batch
            ):
                yield entries
        elif kind == "authors":
            async for entries in _authors(session, links, sitemap, offset, rows, batch, language):
                yield entries
        else:
            async for entries in _tags(session, links, sitemap, p, offset, rows, batch):
                yield entries


def _alternates(
    links: Links,
    kind: LinkKind,
    versions: Sequence[Version],
    original: str | None,
    sitemap: SitemapPlan,
) -> tuple[Alternate, ...]:
    """Every version in the site's order of languages, then ``x-default`` (the original's
    version, else the first), as the GraphQL ``alternates`` field answers them."""
    order = {code: i for i, code in enumerate(sitemap.codes)}
    ordered = sorted(versions, key=lambda v: (order.get(v.language, len(order)), v.language))
    fallback = original if original is not None else sitemap.default_language or ""
    return tuple(links.alternates(kind, ordered, fallback))


async def _articles(
    session: AsyncSession,
    links: Links,
    sitemap: SitemapPlan,
    p: LanguagePlan,
    offset: int,
    rows: int,
    now: dt.datetime,
    images: ImageLinks | None,
    batch: int,
) -> AsyncIterator[list[UrlEntry]]:
    visible = Visibility(now).clause()
    statement = (
        select(
            Article.id,
            Article.story_id,
            Article.slug,
            Article.updated_at,
            Article.published_at,
            Story.original_language,
        )
        .join(Story, Story.id == Article.story_id)
        .where(visible, Article.language == p.language)
    )
    async for page in _keyset(session, statement, Article.id, offset, rows, batch):
        story_ids = {row[1] for row in page}
        versions: dict[int, list[Version]] = defaultdict(list)
        for story_id, code, slug, published_at in await session.execute(
            select(Article.story_id, Article.language, Article.slug, Article.published_at).where(
                visible, Article.story_id.in_(story_ids)
            )
        ):
            versions[story_id].append(Version(code, slug, _aware(published_at)))
        pictures: dict[int, str] = {}
        if images is not None:
            for article_id, key in await session.execute(
                select(ArticleFeaturedImage.article_id, MediaAsset.key)
                .join(MediaAsset, MediaAsset.id == ArticleFeaturedImage.asset_id)
                .where(
                    ArticleFeaturedImage.article_id.in_([row[0] for row in page]),
                    MediaAsset.kind == MediaKind.IMAGE,
                )
            ):
                pictures[article_id] = images.url(key)
        entries = []
        for article_id, story_id, slug, updated_at, published_at, original in page:
            own = Version(p.language, slug, _aware(published_at))
            picture = pictures.get(article_id)
            entries.append(
                UrlEntry(
                    links.url(
                        LinkKind.ARTICLE, language=own.language, slug=slug, published_at=own.date
                    ),
                    _aware(updated_at),
                    _alternates(
                        links, LinkKind.ARTICLE, versions.get(story_id) or [own], original, sitemap
                    ),
                    (picture,) if picture else (),
                )
            )
        yield entries


async def _authors(
    session: AsyncSession,
    links: Links,
    sitemap: SitemapPlan,
    offset: int,
    rows: int,
    batch: int,
    language: str,
) -> AsyncIterator[list[UrlEntry]]:
    """Authors have a page in every enabled language."""
    statement = select(Author.id, Author.slug, Author.updated_at)
    async for page in _keyset(session, statement, Author.id, offset, rows, batch):
        entries = []
        for _, slug, updated_at in page:
            versions = [Version(code, slug) for code in sitemap.codes]
            entries.append(
                UrlEntry(
                    links.url(LinkKind.AUTHOR, language=language, slug=slug),
                    _aware(updated_at),
                    _alternates(
                        links, LinkKind.AUTHOR, versions, sitemap.default_language, sitemap
                    ),
                )
            )
        yield entries


async def _tags(
    session: AsyncSession,
    links: Links,
    sitemap: SitemapPlan,
    p: LanguagePlan,
    offset: int,
    rows: int,
    batch: int,
) -> AsyncIterator[list[UrlEntry]]:
    """A tag has a page in each language it is named in."""
    statement = (
        select(Tag.id, Tag.slug)
        .join(TagName, TagName.tag_id == Tag.id)
        .where(TagName.language == p.language)
    )
    async for page in _keyset(session, statement, Tag.id, offset, rows, batch):
        named: dict[int, list[str]] = defaultdict(list)
        for tag_id, code in await session.execute(
            select(TagName.tag_id, TagName.language).where(
                TagName.tag_id.in_([row[0] for row in page]),
                TagName.language.in_(sitemap.codes),
            )
        ):
            named[tag_id].append(code)
        entries = []
        for tag_id, slug in page:
            versions = [Version(code, slug) for code in named.get(tag_id, [p.language])]
            entries.append(
                UrlEntry(
                    links.url(LinkKind.TAG, language=p.language, slug=slug),
                    None,
                    _alternates(links, LinkKind.TAG, versions, sitemap.default_language, sitemap),
                )
            )
        yield entries


def _news(now: dt.datetime) -> ColumnElement[bool]:
    return and_(Visibility(now).clause(), Article.published_at > now - NEWS_WINDOW)


async def latest_news(session: AsyncSession, now: dt.datetime) -> dt.datetime | None:
    """When the newest article of the news sitemap was published; None when it lists none."""
    return _aware(await session.scalar(select(func.max(Article.published_at)).where(_news(now))))


async def news_entries(session: AsyncSession, *, links: Links, now: dt.datetime) -> list[NewsEntry]:
    """Visible articles published in the last 48 hours, newest first (at most 1,000)."""
    rows = await session.execute(
        select(Article.language, Article.slug, Article.title, Article.published_at)
        .where(_news(now))
        .order_by(Article.published_at.desc(), Article.id.desc())
        .limit(NEWS_MAX)
    )
    entries = []
    for language, slug, title, published_at in rows:
        when = _aware(published_at)
        assert when is not None  # visible articles have a publication time
        loc = links.url(LinkKind.ARTICLE, language=language, slug=slug, published_at=when)
        entries.append(NewsEntry(loc, language, title, when))
    return entries
