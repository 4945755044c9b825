"""Resolving SEO and structured data through the request's loaders: one batched statement
per relation, so a listing asking every article's ``seo`` costs a constant few."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from publishing.articles.models import Article as ArticleModel
from publishing.articles.models import CreditRole
from publishing.articles.visibility import Visibility
from publishing.footnotes.references import number_footnotes
from publishing.seo.images import STRUCTURED_DATA_SHAPES, crop
from publishing.seo.resolved import ResolvedSeo, first_paragraph, plain_text, resolve_seo
from publishing.seo.structured import ArticleFacts, Citation, Person, VersionLink, article_json_ld
from publishing.site.links import LinkKind
from schema.context import Context
from schema.seo.types import absolute

__all__ = [
    "article_seo",
    "article_structured_data",
    "author_seo",
    "section_seo",
    "tag_seo",
]


async def article_seo(info: Info[Context, None], article: ArticleModel, url: str) -> ResolvedSeo:
    """An article version's (a page's) resolved SEO; ``url`` is its public address."""
    loaders = info.context.loaders
    view = await loaders.seo_by_article.load(article.id)
    featured = None
    if view is None or view.social_image is None:
        featured = await loaders.featured_image_by_article.load(article.id)
    site = await info.context.site()
    return resolve_seo(
        view,
        title=article.title,
        descriptions=(plain_text(article.excerpt), site.description(article.language)),
        url=url,
        # Readers' rule, whoever asks: an editor's view of a draft is no page to index.
        public=Visibility(info.context.now).allows(article),
        image=featured,
    )


async def author_seo(
    info: Info[Context, None], author_id: int, slug: str, name: str, language: str
) -> ResolvedSeo:
    """An author's page's resolved SEO in ``language`` (an enabled code)."""
    loaders = info.context.loaders
    views = await loaders.seo_by_author.load(author_id)
    view = views.get(language)
    bios = await loaders.bios_by_author.load(author_id)
    languages = await info.context.languages()
    avatar = None
    if view is None or view.social_image is None:
        avatar = await loaders.avatar_by_author.load(author_id)
    site = await info.context.site()
    return resolve_seo(
        view,
        title=name,
        descriptions=(
            first_paragraph(languages.pick(bios, language) if bios else None),
            site.description(language),
        ),
        url=site.links.url(LinkKind.AUTHOR, language=language, slug=slug),
        public=True,
        image=avatar,
    )


async def tag_seo(
    info: Info[Context, None], tag_id: int, slug: str, name: str, language: str
) -> ResolvedSeo:
    """A tag's page's resolved SEO in ``language`` (an enabled code)."""
    views = await info.context.loaders.seo_by_tag.load(tag_id)
    site = await info.context.site()
    return resolve_seo(
        views.get(language),
        title=name,
        descriptions=(site.description(language),),
        url=site.links.url(LinkKind.TAG, language=language, slug=slug),
        public=True,
        image=None,
    )


async def section_seo(
    info: Info[Context, None],
    section_id: int,
    *,
    language: str,
    name: str,
    description: str | None,
    url: str,
    image_id: int | None,
) -> ResolvedSeo:
    """A section's page's resolved SEO in ``language`` (an enabled code); ``name``,
    ``description`` and ``url`` are its texts' and page's there (after the fallback chain)."""
    loaders = info.context.loaders
    views = await loaders.seo_by_section.load(section_id)
    view = views.get(language)
    image = None
    if image_id is not None and (view is None or view.social_image is None):
        image = await loaders.media_by_id.load(image_id)
    site = await info.context.site()
    return resolve_seo(
        view,
        title=name,
        descriptions=(description, site.description(language)),
        url=url,
        public=True,
        image=image,
    )


async def article_structured_data(
    info: Info[Context, None],
    article: ArticleModel,
    *,
    url: str,
    references: tuple[str, ...],
    kind: LinkKind = LinkKind.ARTICLE,
) -> dict[str, Any]:
    """schema.org JSON-LD of an article version (``kind`` PAGE for a page's: its versions
    are linked by the page pattern); ``references`` are its body's footnote references in
    order (citations follow the footnotes' numbers)."""
    context = info.context
    loaders = context.loaders
    site = await context.site()
    seo = await article_seo(info, article, url)
    language = article.language
    credits = await loaders.credits_by_article.load((article.id, article.story_id))
    authors = [
        Person(
            c.author.name, site.links.url(LinkKind.AUTHOR, language=language, slug=c.author.slug)
        )
        for c in credits
        if c.role is CreditRole.AUTHOR
    ]
    footnotes = await loaders.footnotes_by_article.load(article.id)
    by_key = {footnote.key: source for footnote, source in footnotes}
    numbers = number_footnotes(references, by_key, article.numbering_style)
    citations = [
        Citation(source.title, source.url, source.publisher)
        for source in (by_key[n.key] for n in numbers)
        if source is not None
    ]
    languages = await context.languages()
    tags = await loaders.tags_by_story.load(article.story_id)
    keywords = [languages.pick(tag.names, language) or tag.slug for tag in tags]
    images: list[str] = []
    if seo.image is not None:
        secret = await context.media.signing_key()
        for shape in STRUCTURED_DATA_SHAPES:
            found = crop(seo.image, secret, shape, allowed_widths=context.media.widths)
            if found is not None:
                images.append(absolute(context.origin, found.path))
    # Only versions readers can see are linked, whoever asks.
    public = Visibility(context.now)
    versions = [
        v
        for v in await loaders.versions_by_story.load(article.story_id)
        if v.id != article.id and public.allows(v)
    ]
    original_language = article.story.original_language

    def link(version: ArticleModel) -> VersionLink:
        return VersionLink(
            version.language,
            site.links.url(
                kind,
                language=version.language,
                slug=version.slug,
                published_at=version.published_at or version.created_at,
            ),
        )

    is_original = language == original_language
    original = next((v for v in versions if v.language == original_language), None)
    return article_json_ld(
        ArticleFacts(
            # A page (About, Team) is a web page, not a piece of journalism.
            schema_type="WebPage" if kind is LinkKind.PAGE else site.article_schema_type.value,
            headline=article.title,
            alternative_headline=article.subtitle,
            description=seo.description,
            url=url,
            canonical_url=seo.canonical_url,
            language=language,
            published_at=article.published_at,
            modified_at=article.updated_at,
            publisher_name=site.name,
            publisher_url=site.links.site_url,
            authors=authors,
            images=images,
            citations=citations,
            keywords=keywords,
            original=None if is_original or original is None else link(original),
            translations=[link(v) for v in versions] if is_original else [],
        )
    )
