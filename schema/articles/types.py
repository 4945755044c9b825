from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from publishing.articles.models import Article as ArticleModel
from publishing.articles.models import ArticleRevision as ArticleRevisionModel
from publishing.articles.models import ArticleStatus as StatusModel
from publishing.articles.models import CreditRole as CreditRoleModel
from publishing.articles.reading import READ_REVISIONS
from publishing.footnotes.references import number_footnotes
from publishing.languages.service import language_info
from publishing.site.links import LinkKind, Version
from publishing.text import reading_time_minutes
from schema.authors.types import Author
from schema.context import Context
from schema.footnotes.types import Footnote
from schema.languages.types import Language
from schema.media.types import Document, Image, body_figures, media_node
from schema.pagination import Connection, page_size
from schema.permissions import Requires
from schema.richtext import Body, RichText
from schema.site.types import Alternate
from schema.tags.types import Tag

CreditRole = strawberry.enum(CreditRoleModel, description="What a contributor did.")


@strawberry.enum(description="How footnotes are numbered: 1 2 3 or i ii iii.")
class NumberingStyle(Enum):
    ARABIC = "ARABIC"
    ROMAN = "ROMAN"


@strawberry.type(description="A contributor credited on an article, with their role.")
class Credit:
    role: CreditRole  # type: ignore[valid-type]
    author: Author


@strawberry.type(description="Whether a translation follows the current text of its original.")
class TranslationStatus:
    is_outdated: bool = strawberry.field(
        description="The original's body or footnotes changed after this was translated."
    )
    source_updated_at: dt.datetime = strawberry.field(
        description="When the original's body or footnotes last changed."
    )


@strawberry.enum(description="Where an article stands; only PUBLISHED is shown to readers.")
class ArticleStatus(Enum):
    DRAFT = "DRAFT"
    SCHEDULED = "SCHEDULED"
    PUBLISHED = "PUBLISHED"
    ARCHIVED = "ARCHIVED"


@strawberry.type(description="A full snapshot of an article after one change.")
class Revision:
    id: relay.GlobalID
    version: int
    created_at: dt.datetime
    created_by: str = strawberry.field(description="The token name that made the change.")
    title: str
    snapshot: JSON = strawberry.field(description="Every field of the article at this version.")

    @classmethod
    def from_model(cls, revision: ArticleRevisionModel) -> Revision:
        return cls(
            id=relay.GlobalID("Revision", str(revision.id)),
            version=revision.version,
            created_at=revision.created_at,
            created_by=revision.created_by,
            title=revision.snapshot.get("title", ""),
            snapshot=revision.snapshot,
        )


@strawberry.input(description="Narrows an article listing; all conditions must hold.")
class ArticleFilter:
    author_slug: str | None = None
    tag_slug: str | None = None
    published_after: dt.datetime | None = strawberry.field(
        default=None, description="Published at or after this time."
    )
    published_before: dt.datetime | None = strawberry.field(
        default=None, description="Published before this time."
    )
    status: list[ArticleStatus] | None = strawberry.field(
        default=None,
        description="Any of these statuses. Readers without a token see PUBLISHED only.",
    )


@strawberry.type(description="One language version of a story.")
class Article(relay.Node):
    id: relay.NodeID[int]
    slug: str
    title: str
    subtitle: str | None
    excerpt: str | None
    published_at: dt.datetime | None
    updated_at: dt.datetime
    is_original: bool = strawberry.field(
        description="This is the version the story was written in."
    )
    numbering_style: NumberingStyle
    version: int = strawberry.field(
        description="Changes with every update; send it back as `expectedVersion`."
    )
    _model: strawberry.Private[ArticleModel]
    # The body, shared by `body` and `footnotes` so a request parses it at most once.
    _body: strawberry.Private[Body | None] = None

    def _parsed_body(self) -> Body:
        if self._body is None:
            self._body = Body(self._model.body, self._model.numbering_style)
        return self._body

    @classmethod
    def from_model(cls, article: ArticleModel) -> Article:
        return cls(
            id=article.id,
            slug=article.slug,
            title=article.title,
            subtitle=article.subtitle,
            excerpt=article.excerpt,
            published_at=article.published_at,
            updated_at=article.updated_at,
            is_original=article.language == article.story.original_language,
            numbering_style=NumberingStyle(article.numbering_style.value),
            version=article.version,
            _model=article,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, None], node_ids: list[str], required: bool = False
    ) -> list[Article | None]:
        found = await info.context.loaders.article_by_id.load_many([int(i) for i in node_ids])
        return [None if a is None else cls.from_model(a) for a in found]

    @strawberry.field
    def status(self, info: Info[Context, None]) -> ArticleStatus:
        status = self._model.status
        if status is StatusModel.PUBLISHED:
            published_at = self._model.published_at
            if published_at is not None and published_at > info.context.now:
                return ArticleStatus.SCHEDULED
        return ArticleStatus(status.value)

    @strawberry.field(
        description="Every change, oldest first. Needs a token.",
        extensions=[Requires(READ_REVISIONS)],
    )
    async def revisions(self, info: Info[Context, None]) -> list[Revision]:
        rows = await info.context.loaders.revisions_by_article.load(self._model.id)
        return [Revision.from_model(row) for row in rows]

    @strawberry.field
    def language(self) -> Language:
        return Language.from_info(language_info(self._model.language))

    @strawberry.field(description="Estimated minutes to read the body.")
    def reading_time_minutes(self) -> int:
        return reading_time_minutes(self._model.body)

    @strawberry.field(description="The body; in html, footnote references link to their notes.")
    async def body(self, info: Info[Context, None]) -> RichText:
        footnotes = await info.context.loaders.footnotes_by_article.load(self._model.id)
        keys = frozenset(footnote.key for footnote, _ in footnotes)
        body = self._parsed_body()
        figures = await body_figures(info, body.media_targets(), self._model.language)
        return RichText.of_body(body, keys, figures)

    @strawberry.field(description="Footnotes in order of their first reference in the body.")
    async def footnotes(self, info: Info[Context, None]) -> list[Footnote]:
        rows = await info.context.loaders.footnotes_by_article.load(self._model.id)
        by_key = {footnote.key: (footnote, source) for footnote, source in rows}
        references = self._parsed_body().referenced_keys()
        numbers = number_footnotes(references, by_key, self._model.numbering_style)
        return [Footnote.of(n, *by_key[n.key], language=self._model.language) for n in numbers]

    @strawberry.field(description="The image for its card, social preview and header.")
    async def featured_image(self, info: Info[Context, None]) -> Image | None:
        asset = await info.context.loaders.featured_image_by_article.load(self._model.id)
        node = None if asset is None else media_node(asset, self._model.language)
        return node if isinstance(node, Image) else None

    @strawberry.field(description="Documents attached to this version (a full report), in order.")
    async def attachments(self, info: Info[Context, None]) -> list[Document]:
        assets = await info.context.loaders.attachments_by_article.load(self._model.id)
        nodes = [media_node(asset, self._model.language) for asset in assets]
        return [node for node in nodes if isinstance(node, Document)]

    @strawberry.field(description="Authors (AUTHOR credits), in credit order.")
    async def authors(self, info: Info[Context, None]) -> list[Author]:
        credits = await info.context.loaders.credits_by_article.load(self._credit_key)
        return [
            Author.from_model(c.author, self._model.language)
            for c in credits
            if c.role is CreditRoleModel.AUTHOR
        ]

    @strawberry.field(description="Everyone credited: authors, translators, editors.")
    async def credits(self, info: Info[Context, None]) -> list[Credit]:
        credits = await info.context.loaders.credits_by_article.load(self._credit_key)
        return [
            Credit(role=c.role, author=Author.from_model(c.author, self._model.language))
            for c in credits
        ]

    @property
    def _credit_key(self) -> tuple[int, int]:
        return (self._model.id, self._model.story_id)

    @strawberry.field
    async def tags(self, info: Info[Context, None]) -> list[Tag]:
        views = await info.context.loaders.tags_by_story.load(self._model.story_id)
        languages = await info.context.languages()
        return [Tag.from_view(view, languages, self._model.language) for view in views]

    async def _versions(self, info: Info[Context, None]) -> list[ArticleModel]:
        """The story's versions this reader may see."""
        versions = await info.context.loaders.versions_by_story.load(self._model.story_id)
        allows = info.context.visibility.allows
        return [v for v in versions if allows(v)]

    @strawberry.field(description="The other visible language versions of the same story.")
    async def translations(self, info: Info[Context, None]) -> list[Article]:
        versions = await self._versions(info)
        return [Article.from_model(v) for v in versions if v.id != self._model.id]

    @strawberry.field(
        description="The public address of this version: the site's URL and the article "
        "permalink pattern of its language."
    )
    async def url(self, info: Info[Context, None]) -> str:
        site = await info.context.site()
        return site.links.url(
            LinkKind.ARTICLE,
            language=self._model.language,
            slug=self._model.slug,
            published_at=self._model.published_at or self._model.created_at,
        )

    @strawberry.field(
        description="Every visible language version's URL (this one included) and an "
        "`x-default` entry (the original): the page's `<link rel=alternate hreflang>` tags "
        'and its "also available in" line.'
    )
    async def alternates(self, info: Info[Context, None]) -> list[Alternate]:
        site = await info.context.site()
        versions = await self._versions(info)
        if not any(v.id == self._model.id for v in versions):
            versions = [self._model, *versions]  # a draft read with a token lists itself
        # In the site's order of languages (the default first), as a language menu shows them.
        order = {code: i for i, code in enumerate((await info.context.languages()).codes)}
        versions = sorted(versions, key=lambda v: order.get(v.language, len(order)))
        found = site.links.alternates(
            LinkKind.ARTICLE,
            [Version(v.language, v.slug, v.published_at or v.created_at) for v in versions],
            self._model.story.original_language,
        )
        return [Alternate(language=a.language, hreflang=a.hreflang, url=a.url) for a in found]

    @strawberry.field(description="The visible version of this story in `language`, if any.")
    async def translation(self, info: Info[Context, None], language: str) -> Article | None:
        code = (await info.context.languages()).resolve(language)
        versions = await self._versions(info)
        return next((Article.from_model(v) for v in versions if v.language == code), None)

    @strawberry.field(description="The version the story was written in, when visible.")
    async def original(self, info: Info[Context, None]) -> Article | None:
        if self.is_original:
            return self
        original_language = self._model.story.original_language
        versions = await self._versions(info)
        return next(
            (Article.from_model(v) for v in versions if v.language == original_language), None
        )

    @strawberry.field(
        description="For a translation: is it behind its original? Null on originals."
    )
    async def translation_status(self, info: Info[Context, None]) -> TranslationStatus | None:
        if self.is_original:
            return None
        versions = await info.context.loaders.versions_by_story.load(self._model.story_id)
        original_language = self._model.story.original_language
        original = next((v for v in versions if v.language == original_language), None)
        if original is None:
            return None
        source_version = self._model.source_version or 0
        return TranslationStatus(
            is_outdated=original.content_version > source_version,
            source_updated_at=original.content_updated_at,
        )

    @strawberry.field(
        description="Visible articles of the same language from other stories: those editors "
        "pinned first, then by shared tags and shared words, newer first on ties. `first` "
        "from 1 to 20."
    )
    async def similar(self, info: Info[Context, None], first: int | None = 5) -> list[Article]:
        limit = page_size(first, maximum=20, default=5)
        found = await info.context.loaders.similar_by_article.load((self._model.id, limit))
        return [Article.from_model(article) for article in found]


@strawberry.type(description="A page of articles.")
class ArticleConnection(Connection[Article]):
    pass
