"""What the sitemaps list, read in keyset-paged batches.

A language's sitemap lists, in this order, its visible articles (by id), its visible pages,
the sections translated into it, every author and the tags named in it, each only when it is
its own canonical URL and not ``noindex`` (``publishing.sitemaps.canonical``); file ``n`` of a
language holds positions ``(n-1)*limit`` up to ``n*limit`` of that sequence. Each batch costs
a fixed number of statements (the rows with their SEO overrides joined, their stories' other
visible versions or their translations, featured images), so memory and statements per batch
stay flat however many URLs a file holds.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles.models import Article, Story, StoryKind
from publishing.articles.visibility import Visibility
from publishing.authors.models import Author
from publishing.languages.models import Language
from publishing.media.models import ArticleFeaturedImage, MediaAsset, MediaKind
from publishing.media.urls import Fit, ImageFormat, RenditionSpec, rendition_spec, rendition_url
from publishing.sections.models import Section, SectionTranslation
from publishing.seo.models import ArticleSeo, AuthorSeo, TagSeo
from publishing.site.links import Alternate, LinkKind, Links, Version
from publishing.sitemaps.canonical import listed, own_url
from publishing.tags.models import Tag, TagName

# The sitemaps.org limit of URLs per file.
MAX_URLS = 50_000
# Rows read per statement while a file is written.
BATCH = 2_000
# The width of the image rendition listed for a featured image.
IMAGE_WIDTH = 1200
# What a language's file lists, in order.
KINDS = ("articles", "pages", "sections", "authors", "tags")
_LINK_KIND = {StoryKind.ARTICLE: LinkKind.ARTICLE, StoryKind.PAGE: LinkKind.PAGE}


@dataclass(frozen=True, slots=True)
class UrlEntry:
    loc: str
    lastmod: dt.datetime | None
    alternates: tuple[Alternate, ...] = ()
    images: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LanguagePlan:
    """How many URLs a language's sitemap lists, of each kind."""

    language: str
    articles: int
    pages: int
    sections: int
    authors: int
    tags: int
    lastmod: dt.datetime | None

    def count(self, kind: str) -> int:
        counts = {
            "articles": self.articles,
            "pages": self.pages,
            "sections": self.sections,
            "authors": self.authors,
            "tags": self.tags,
        }
        return counts[kind]

    @property
    def total(self) -> int:
        return sum(self.count(kind) for kind in KINDS)

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


def aware(value: dt.datetime | str | None) -> dt.datetime | None:
    if isinstance(value, str):  # SQLite gives max() of a column as text
        value = dt.datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def dialect_of(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


# -- what is listed: one predicate per kind, shared by the plan and the files -----------------


def listed_version(
    links: Links,
    kind: StoryKind,
    *,
    language: str | ColumnElement[str],
    dialect: str,
) -> ColumnElement[bool]:
    """A visible version of ``kind`` (with ``ArticleSeo`` outer-joined) belongs in a sitemap."""
    url = own_url(
        links,
        _LINK_KIND[kind],
        language=language,
        slug=Article.slug,
        published_at=Article.published_at,
        dialect=dialect,
    )
    return and_(Story.kind == kind, listed(ArticleSeo.noindex, ArticleSeo.canonical_url, url))


def versions_of(statement: Select[tuple]) -> Select[tuple]:
    return statement.join(Story, Story.id == Article.story_id).outerjoin(
        ArticleSeo, ArticleSeo.article_id == Article.id
    )


def _listed_author(
    links: Links, language: str | ColumnElement[str], dialect: str
) -> ColumnElement[bool]:
    url = own_url(links, LinkKind.AUTHOR, language=language, slug=Author.slug, dialect=dialect)
    return listed(AuthorSeo.noindex, AuthorSeo.canonical_url, url)


def _listed_tag(
    links: Links, language: str | ColumnElement[str], dialect: str
) -> ColumnElement[bool]:
    url = own_url(links, LinkKind.TAG, language=language, slug=Tag.slug, dialect=dialect)
    return listed(TagSeo.noindex, TagSeo.canonical_url, url)


async def plan(session: AsyncSession, now: dt.datetime, links: Links) -> SitemapPlan:
    """Counts per enabled language, and when its content last changed: six statements."""
    dialect = dialect_of(session)
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
    codes = [code for code, _ in languages]
    versions: dict[tuple[str, StoryKind], tuple[int, dt.datetime | None]] = {}
    for kind in StoryKind:
        wanted = listed_version(links, kind, language=Article.language, dialect=dialect)
        versions.update(
            ((language, kind), (count, aware(latest)))
            for language, count, latest in await session.execute(
                versions_of(
                    select(Article.language, func.count(Article.id), func.max(Article.updated_at))
                )
                .where(visible, wanted)
                .group_by(Article.language)
            )
        )
    sections = {
        language: (count, aware(latest))
        for language, count, latest in await session.execute(
            select(
                SectionTranslation.language,
                func.count(Section.id),
                func.max(Section.updated_at),
            )
            .join(Section, Section.id == SectionTranslation.section_id)
            .group_by(SectionTranslation.language)
        )
    }
    authors = {
        language: (count, aware(latest))
        for language, count, latest in await session.execute(
            select(Language.code, func.count(Author.id), func.max(Author.updated_at))
            .select_from(Language)
            .join(Author, true())
            .outerjoin(
                AuthorSeo,
                and_(AuthorSeo.author_id == Author.id, AuthorSeo.language == Language.code),
            )
            .where(_listed_author(links, Language.code, dialect))
            .group_by(Language.code)
        )
    }
    tags = dict(
        (
            await session.execute(
                select(TagName.language, func.count(TagName.tag_id))
                .join(Tag, Tag.id == TagName.tag_id)
                .outerjoin(
                    TagSeo, and_(TagSeo.tag_id == Tag.id, TagSeo.language == TagName.language)
                )
                .where(_listed_tag(links, TagName.language, dialect))
                .group_by(TagName.language)
            )
        ).all()
    )
    plans = []
    for code in codes:
        counted = [
            versions.get((code, StoryKind.ARTICLE), (0, None)),
            versions.get((code, StoryKind.PAGE), (0, None)),
            sections.get(code, (0, None)),
            authors.get(code, (0, None)),
        ]
        stamps = [latest for _, latest in counted if latest is not None]
        plans.append(
            LanguagePlan(
                code,
                *(int(count) for count, _ in counted),
                int(tags.get(code, 0)),
                max(stamps, default=None),
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
    for kind in KINDS:
        size = p.count(kind)
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


@dataclass(frozen=True, slots=True)
class _File:
    """What every batch of one file needs."""

    session: AsyncSession
    links: Links
    sitemap: SitemapPlan
    language: str
    now: dt.datetime
    images: ImageLinks | None
    batch: int

    @property
    def dialect(self) -> str:
        return dialect_of(self.session)


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
    file = _File(session, links, sitemap, language, now, images, batch)
    for kind, offset, rows in _segments(p, number, limit):
        if kind == "articles":
            found = _versions(file, StoryKind.ARTICLE, offset, rows)
        elif kind == "pages":
            found = _versions(file, StoryKind.PAGE, offset, rows)
        elif kind == "sections":
            found = _sections(file, offset, rows)
        elif kind == "authors":
            found = _authors(file, offset, rows)
        else:
            found = _tags(file, offset, rows)
        async for entries in found:
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


async def _featured(file: _File, article_ids: Sequence[int]) -> dict[int, str]:
    """Each version's featured image, as a signed rendition URL."""
    if file.images is None:
        return {}
    return {
        article_id: file.images.url(key)
        for article_id, key in await file.session.execute(
            select(ArticleFeaturedImage.article_id, MediaAsset.key)
            .join(MediaAsset, MediaAsset.id == ArticleFeaturedImage.asset_id)
            .where(
                ArticleFeaturedImage.article_id.in_(article_ids),
                MediaAsset.kind == MediaKind.IMAGE,
            )
        )
    }


async def _versions(
    file: _File, kind: StoryKind, offset: int, rows: int
) -> AsyncIterator[list[UrlEntry]]:
    """Visible versions of articles or pages, by id, with their featured images."""
    visible = Visibility(file.now).clause()
    link_kind = _LINK_KIND[kind]
    wanted = listed_version(file.links, kind, language=file.language, dialect=file.dialect)
    statement = versions_of(
        select(
            Article.id,
            Article.story_id,
            Article.slug,
            Article.updated_at,
            Article.published_at,
            Story.original_language,
        )
    ).where(visible, Article.language == file.language, wanted)
    async for page in _keyset(file.session, statement, Article.id, offset, rows, file.batch):
        story_ids = {row[1] for row in page}
        versions: dict[int, list[Version]] = defaultdict(list)
        for story_id, code, slug, published_at in await file.session.execute(
            select(Article.story_id, Article.language, Article.slug, Article.published_at).where(
                visible, Article.story_id.in_(story_ids)
            )
        ):
            versions[story_id].append(Version(code, slug, aware(published_at)))
        pictures = await _featured(file, [row[0] for row in page])
        entries = []
        for article_id, story_id, slug, updated_at, published_at, original in page:
            own = Version(file.language, slug, aware(published_at))
            picture = pictures.get(article_id)
            entries.append(
                UrlEntry(
                    file.links.url(
                        link_kind, language=own.language, slug=slug, published_at=own.date
                    ),
                    aware(updated_at),
                    _alternates(
                        file.links,
                        link_kind,
                        versions.get(story_id) or [own],
                        original,
                        file.sitemap,
                    ),
                    (picture,) if picture else (),
                )
            )
        yield entries


async def _sections(file: _File, offset: int, rows: int) -> AsyncIterator[list[UrlEntry]]:
    """A section has a page in each language it is translated into, with that slug."""
    statement = select(Section.id, SectionTranslation.slug, Section.updated_at).join(
        SectionTranslation,
        and_(
            SectionTranslation.section_id == Section.id,
            SectionTranslation.language == file.language,
        ),
    )
    async for page in _keyset(file.session, statement, Section.id, offset, rows, file.batch):
        translated: dict[int, list[Version]] = defaultdict(list)
        for section_id, code, slug in await file.session.execute(
            select(
                SectionTranslation.section_id, SectionTranslation.language, SectionTranslation.slug
            ).where(
                SectionTranslation.section_id.in_([row[0] for row in page]),
                SectionTranslation.language.in_(file.sitemap.codes),
            )
        ):
            translated[section_id].append(Version(code, slug))
        entries = []
        for section_id, slug, updated_at in page:
            versions = translated.get(section_id) or [Version(file.language, slug)]
            entries.append(
                UrlEntry(
                    file.links.url(LinkKind.SECTION, language=file.language, slug=slug),
                    aware(updated_at),
                    _alternates(
                        file.links,
                        LinkKind.SECTION,
                        versions,
                        file.sitemap.default_language,
                        file.sitemap,
                    ),
                )
            )
        yield entries


async def _authors(file: _File, offset: int, rows: int) -> AsyncIterator[list[UrlEntry]]:
    """Authors have a page in every enabled language."""
    codes = file.sitemap.codes
    statement = (
        select(Author.id, Author.slug, Author.updated_at)
        .outerjoin(
            AuthorSeo, and_(AuthorSeo.author_id == Author.id, AuthorSeo.language == file.language)
        )
        .where(_listed_author(file.links, file.language, file.dialect))
    )
    async for page in _keyset(file.session, statement, Author.id, offset, rows, file.batch):
        entries = []
        for _, slug, updated_at in page:
            versions = [Version(code, slug) for code in codes]
            entries.append(
                UrlEntry(
                    file.links.url(LinkKind.AUTHOR, language=file.language, slug=slug),
                    aware(updated_at),
                    _alternates(
                        file.links,
                        LinkKind.AUTHOR,
                        versions,
                        file.sitemap.default_language,
                        file.sitemap,
                    ),
                )
            )
        yield entries


async def _tags(file: _File, offset: int, rows: int) -> AsyncIterator[list[UrlEntry]]:
    """A tag has a page in each language it is named in."""
    codes = file.sitemap.codes
    statement = (
        select(Tag.id, Tag.slug)
        .join(TagName, and_(TagName.tag_id == Tag.id, TagName.language == file.language))
        .outerjoin(TagSeo, and_(TagSeo.tag_id == Tag.id, TagSeo.language == file.language))
        .where(_listed_tag(file.links, file.language, file.dialect))
    )
    async for page in _keyset(file.session, statement, Tag.id, offset, rows, file.batch):
        named: dict[int, list[str]] = defaultdict(list)
        for tag_id, code in await file.session.execute(
            select(TagName.tag_id, TagName.language).where(
                TagName.tag_id.in_([row[0] for row in page]),
                TagName.language.in_(codes),
            )
        ):
            named[tag_id].append(code)
        entries = []
        for tag_id, slug in page:
            versions = [Version(code, slug) for code in named.get(tag_id, [file.language])]
            entries.append(
                UrlEntry(
                    file.links.url(LinkKind.TAG, language=file.language, slug=slug),
                    None,
                    _alternates(
                        file.links,
                        LinkKind.TAG,
                        versions,
                        file.sitemap.default_language,
                        file.sitemap,
                    ),
                )
            )
        yield entries
