"""What articles and pages share: the `Content` interface, its fields and their resolvers.

A page is a story of another kind whose versions are rows of ``articles``, so one set of
resolvers serves both types: Article and Page implement `Content` and inherit its fields,
adding what only they have (an article's tags and similar posts; each its own translations,
which name its own type).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

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
from publishing.translations.exchange import changes_between
from publishing.translations.machine_marks import READ_MACHINE_SEGMENTS
from publishing.translations.segments import SegmentChange
from schema.authors.types import Author
from schema.context import Context
from schema.footnotes.types import Footnote
from schema.languages.types import Language
from schema.media.types import Document, Image, body_figures, media_node
from schema.permissions import Requires
from schema.richtext import Body, RichText
from schema.site.types import Alternate
from schema.site.urls import alternates
from schema.translations.marks import MachineTranslatedSegment
from schema.translations.types import TranslationSegmentChange

CreditRole = strawberry.enum(CreditRoleModel, description="What a contributor did.")


@strawberry.enum(description="How footnotes are numbered: 1 2 3 or i ii iii.")
class NumberingStyle(Enum):
    ARABIC = "ARABIC"
    ROMAN = "ROMAN"


@strawberry.type(description="A contributor credited on an article, with their role.")
class Credit:
    role: CreditRole  # type: ignore[valid-type]
    author: Author


async def changes_since(
    info: Info[Context, None], original: tuple[int, int], source_version: int | None
) -> list[SegmentChange]:
    """The segments of an original (id, current version) added, changed or removed since
    ``source_version`` (None: unknown, every segment), its revisions read through the
    request's loader: one statement however many translations ask."""
    original_id, version = original
    if source_version == version:
        return []
    keys = [(original_id, version)]
    if source_version:
        keys.append((original_id, source_version))
    found = await info.context.loaders.snapshot_by_version.load_many(keys)
    current = found[0]
    before = found[1] if len(found) > 1 else None
    return [] if current is None else changes_between(before, current)


@strawberry.type(description="Whether a translation follows the current text of its original.")
class TranslationStatus:
    is_outdated: bool = strawberry.field(
        description="The original's body or footnotes changed after this was translated."
    )
    source_updated_at: dt.datetime = strawberry.field(
        description="When the original's body or footnotes last changed."
    )
    # The original (id, current version) and the version this translation was made from.
    _original: strawberry.Private[tuple[int, int]]
    _source_version: strawberry.Private[int | None]
    _changes: strawberry.Private[list[SegmentChange] | None] = None

    async def _load_changes(self, info: Info[Context, None]) -> list[SegmentChange]:
        if self._changes is None:
            self._changes = await changes_since(info, self._original, self._source_version)
        return self._changes

    @strawberry.field(
        description="The segments of the original added, changed or removed since the "
        "revision this was translated from, with old and new source text (what an "
        "`exportTranslation(onlyChanged: true)` holds). Needs a token.",
        extensions=[Requires(READ_REVISIONS)],
    )
    async def changed_segments(self, info: Info[Context, None]) -> list[TranslationSegmentChange]:
        changes = await self._load_changes(info)
        return [TranslationSegmentChange.from_change(change) for change in changes]

    @strawberry.field(
        description="How many segments `changedSegments` lists. Needs a token.",
        extensions=[Requires(READ_REVISIONS)],
    )
    async def changed_segment_count(self, info: Info[Context, None]) -> int:
        return len(await self._load_changes(info))


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


def content_fields(article: ArticleModel) -> dict[str, Any]:
    """The constructor arguments `Content` declares, from an article row (story loaded)."""
    return {
        "slug": article.slug,
        "title": article.title,
        "subtitle": article.subtitle,
        "excerpt": article.excerpt,
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "is_original": article.language == article.story.original_language,
        "numbering_style": NumberingStyle(article.numbering_style.value),
        "version": article.version,
        "_model": article,
    }


@strawberry.interface(
    description="One language version of a story, article or page: its text, body, "
    "footnotes, media, credits, workflow status and revisions."
)
class Content:
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

    async def _versions(self, info: Info[Context, None]) -> list[ArticleModel]:
        """The story's versions this reader may see (a story is of one kind throughout)."""
        versions = await info.context.loaders.versions_by_story.load(self._model.story_id)
        allows = info.context.visibility.allows
        return [v for v in versions if allows(v)]

    async def _translations(self, info: Info[Context, None]) -> list[ArticleModel]:
        return [v for v in await self._versions(info) if v.id != self._model.id]

    async def _translation(self, info: Info[Context, None], language: str) -> ArticleModel | None:
        code = (await info.context.languages()).resolve(language)
        return next((v for v in await self._versions(info) if v.language == code), None)

    async def _original(self, info: Info[Context, None]) -> ArticleModel | None:
        original_language = self._model.story.original_language
        versions = await self._versions(info)
        return next((v for v in versions if v.language == original_language), None)

    async def _url(self, info: Info[Context, None], kind: LinkKind) -> str:
        site = await info.context.site()
        return site.links.url(
            kind,
            language=self._model.language,
            slug=self._model.slug,
            published_at=self._model.published_at or self._model.created_at,
        )

    async def _alternates(self, info: Info[Context, None], kind: LinkKind) -> list[Alternate]:
        versions = await self._versions(info)
        if not any(v.id == self._model.id for v in versions):
            versions = [self._model, *versions]  # a draft read with a token lists itself
        return await alternates(
            info,
            kind,
            [Version(v.language, v.slug, v.published_at or v.created_at) for v in versions],
            self._model.story.original_language,
        )

    @strawberry.field(
        description="For a translation: its segments still as a machine translated them "
        "(prefillTranslation), in the order they were translated. Needs a token.",
        extensions=[Requires(READ_MACHINE_SEGMENTS)],
    )
    async def machine_translated_segments(
        self, info: Info[Context, None]
    ) -> list[MachineTranslatedSegment]:
        marks = await info.context.loaders.machine_segments_by_article.load(self._model.id)
        return [MachineTranslatedSegment.from_model(mark) for mark in marks]

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
            _original=(original.id, original.version),
            _source_version=self._model.source_version,
        )
