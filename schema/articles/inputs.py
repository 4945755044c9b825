"""Inputs of the article mutations, and their conversion to the services' plain values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

import strawberry

from publishing.articles.editing import (
    ArticleChanges,
    CreditData,
    FootnoteData,
    NewArticle,
    NewTranslation,
    SourceData,
)
from publishing.articles.models import CreditRole as CreditRoleModel
from publishing.footnotes.references import NumberingStyle as NumberingStyleModel
from publishing.unset import UNSET, Unset
from schema.articles.types import CreditRole, NumberingStyle
from schema.maybe import given
from schema.mutations import decode_ids, decode_media_ids, decode_one
from schema.seo.inputs import SeoInput


@strawberry.input(description="A cited source; footnotes citing equal sources share one.")
class SourceInput:
    title: str
    publisher: str | None = None
    url: str | None = strawberry.field(default=None, description="Absolute http(s) URL.")
    accessed_on: dt.date | None = strawberry.field(default=None, description="Not in the future.")

    def to_data(self) -> SourceData:
        return SourceData(self.title, self.publisher, self.url, self.accessed_on)


@strawberry.input(description="A footnote; the body cites it as [^key].")
class FootnoteInput:
    key: str
    content: str = strawberry.field(description="Markdown.")
    source: SourceInput | None = None

    def to_data(self) -> FootnoteData:
        return FootnoteData(self.key, self.content, self.source.to_data() if self.source else None)


@strawberry.input(description="An author credited with a role.")
class CreditInput:
    author_id: strawberry.ID
    role: CreditRole = CreditRoleModel.AUTHOR  # type: ignore[valid-type]


def footnotes_data(footnotes: list[FootnoteInput]) -> list[FootnoteData]:
    return [f.to_data() for f in footnotes]


def credits_data(credits: list[CreditInput]) -> list[CreditData]:
    paths = [("credits", i, "authorId") for i in range(len(credits))]
    ids = decode_ids(
        {path: (c.author_id, "Author") for path, c in zip(paths, credits, strict=True)}
    )
    return [CreditData(ids[path], c.role) for path, c in zip(paths, credits, strict=True)]


def tag_ids_data(tag_ids: list[strawberry.ID]) -> list[int]:
    ids = decode_ids({("tagIds", i): (t, "Tag") for i, t in enumerate(tag_ids)})
    return [ids[("tagIds", i)] for i in range(len(tag_ids))]


def section_data(
    section_id: strawberry.ID | None, section_ids: list[strawberry.ID] | None
) -> tuple[int | None, list[int]]:
    """The primary section's and the other sections' database ids (every bad id reported)."""
    values: dict[tuple[str | int, ...], tuple[strawberry.ID, str]] = {
        ("sectionIds", i): (s, "Section") for i, s in enumerate(section_ids or [])
    }
    if section_id is not None:
        values[("sectionId",)] = (section_id, "Section")
    ids = decode_ids(values)
    return ids.get(("sectionId",)), [ids[("sectionIds", i)] for i in range(len(section_ids or []))]


SECTION = "The story's primary Section (every language version shows it)."
SECTIONS = "Other Sections the story appears in, in order; the whole list."
FEATURED = "The story is featured (put forward; every language version shows it)."


def media_data(
    featured_image_id: strawberry.ID | None, attachment_ids: list[strawberry.ID] | None
) -> tuple[int | None, list[int]]:
    """The featured image's and the attachments' database ids (every bad id reported)."""
    values: dict[tuple[str | int, ...], strawberry.ID] = {
        ("attachmentIds", i): a for i, a in enumerate(attachment_ids or [])
    }
    if featured_image_id is not None:
        values[("featuredImageId",)] = featured_image_id
    ids = decode_media_ids(values)
    attachments = [ids[("attachmentIds", i)] for i in range(len(attachment_ids or []))]
    return ids.get(("featuredImageId",)), attachments


FEATURED_IMAGE = "An Image: the article's card, social preview and header."
ATTACHMENTS = "Documents, in the order shown; each once."
SEO = "Search and social overrides of this version; left out, everything falls back."


def numbering(style: NumberingStyle) -> NumberingStyleModel:
    return NumberingStyleModel(style.value)


@strawberry.input(description="What every new story's first version gives (articles, pages).")
class NewContentInput:
    language: str
    slug: str
    title: str
    subtitle: str | None = None
    excerpt: str | None = None
    body: str = strawberry.field(default="", description="Markdown; cite footnotes as [^key].")
    numbering_style: NumberingStyle = NumberingStyle.ARABIC
    footnotes: list[FootnoteInput] = strawberry.field(default_factory=list)
    credits: list[CreditInput] = strawberry.field(
        default_factory=list,
        description="AUTHOR and EDITOR credits go on the story (every version shows them); "
        "TRANSLATOR credits on this version.",
    )
    featured_image_id: strawberry.ID | None = strawberry.field(
        default=None, description=FEATURED_IMAGE
    )
    attachment_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description=ATTACHMENTS
    )
    seo: SeoInput | None = strawberry.field(default=None, description=SEO)
    section_id: strawberry.ID | None = strawberry.field(default=None, description=SECTION)
    section_ids: list[strawberry.ID] = strawberry.field(default_factory=list, description=SECTIONS)

    def new_version(self, tag_ids: list[int] | None = None) -> NewArticle:
        featured, attachments = media_data(self.featured_image_id, self.attachment_ids)
        primary, others = section_data(self.section_id, self.section_ids)
        return NewArticle(
            language=self.language,
            slug=self.slug,
            title=self.title,
            subtitle=self.subtitle,
            excerpt=self.excerpt,
            body=self.body,
            numbering_style=numbering(self.numbering_style),
            footnotes=footnotes_data(self.footnotes),
            credits=credits_data(self.credits),
            tag_ids=tag_ids or [],
            featured_image_id=featured,
            attachment_ids=attachments,
            seo=self.seo.to_data() if self.seo else None,
            section_id=primary,
            section_ids=others,
        )


@strawberry.input
class CreateArticleInput(NewContentInput):
    tag_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    featured: bool = strawberry.field(default=False, description=FEATURED)

    def to_data(self) -> NewArticle:
        return replace(self.new_version(tag_ids_data(self.tag_ids)), featured=self.featured)


@strawberry.input(description="What every new translation gives (articles, pages).")
class NewTranslationInput:
    language: str
    slug: str
    title: str
    subtitle: str | None = None
    excerpt: str | None = None
    body: str = ""
    numbering_style: NumberingStyle | None = strawberry.field(
        default=None, description="Defaults to the original's."
    )
    footnotes: list[FootnoteInput] = strawberry.field(default_factory=list)
    credits: list[CreditInput] = strawberry.field(
        default_factory=list, description="Credits of this version, e.g. its translator."
    )
    featured_image_id: strawberry.ID | None = strawberry.field(
        default=None, description=FEATURED_IMAGE
    )
    attachment_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description=ATTACHMENTS
    )
    seo: SeoInput | None = strawberry.field(default=None, description=SEO)

    def new_translation(self, original_id: int) -> NewTranslation:
        featured, attachments = media_data(self.featured_image_id, self.attachment_ids)
        return NewTranslation(
            original_id=original_id,
            language=self.language,
            slug=self.slug,
            title=self.title,
            subtitle=self.subtitle,
            excerpt=self.excerpt,
            body=self.body,
            numbering_style=numbering(self.numbering_style) if self.numbering_style else None,
            footnotes=footnotes_data(self.footnotes),
            credits=credits_data(self.credits),
            featured_image_id=featured,
            attachment_ids=attachments,
            seo=self.seo.to_data() if self.seo else None,
        )


@strawberry.input
class CreateTranslationInput(NewTranslationInput):
    original_id: strawberry.ID = strawberry.field(
        description="Any version of the story; the translation records the original's version."
    )

    def to_data(self) -> NewTranslation:
        return self.new_translation(decode_one(self.original_id, "Article", "originalId"))


@strawberry.input(description="Fields left out stay as they are; null clears optional ones.")
class ContentChangesInput:
    id: strawberry.ID
    expected_version: int = strawberry.field(
        description="The `version` you read; a newer one in the store gives ConflictError."
    )
    slug: strawberry.Maybe[str]
    title: strawberry.Maybe[str]
    subtitle: strawberry.Maybe[str | None]
    excerpt: strawberry.Maybe[str | None]
    body: strawberry.Maybe[str]
    numbering_style: strawberry.Maybe[NumberingStyle]
    footnotes: strawberry.Maybe[list[FootnoteInput]] = strawberry.field(
        description="The whole ordered list; it replaces the stored one, checked with the body."
    )
    credits: strawberry.Maybe[list[CreditInput]]
    featured_image_id: strawberry.Maybe[strawberry.ID | None] = strawberry.field(
        description=f"{FEATURED_IMAGE} Null removes it."
    )
    attachment_ids: strawberry.Maybe[list[strawberry.ID] | None] = strawberry.field(
        description=f"{ATTACHMENTS} The whole list; null or [] removes them all."
    )
    seo: strawberry.Maybe[SeoInput | None] = strawberry.field(
        description="The whole set of SEO overrides, replacing the stored one (a new "
        "version); null removes them all."
    )
    mark_up_to_date: bool = strawberry.field(
        default=False,
        description="For a translation: it now follows the original's current version.",
    )
    section_id: strawberry.Maybe[strawberry.ID | None] = strawberry.field(
        description=f"{SECTION} Null leaves it unfiled."
    )
    section_ids: strawberry.Maybe[list[strawberry.ID]] = strawberry.field(description=SECTIONS)

    def changes(self, tag_ids: Sequence[int] | Unset = UNSET) -> ArticleChanges:
        featured, attachments = media_data(
            self.featured_image_id.value if self.featured_image_id else None,
            self.attachment_ids.value if self.attachment_ids else None,
        )
        primary, others = section_data(
            self.section_id.value if self.section_id else None,
            self.section_ids.value if self.section_ids else None,
        )
        return ArticleChanges(
            slug=given(self.slug),
            title=given(self.title),
            subtitle=given(self.subtitle),
            excerpt=given(self.excerpt),
            body=given(self.body),
            numbering_style=given(self.numbering_style, numbering),
            footnotes=given(self.footnotes, footnotes_data),
            credits=given(self.credits, credits_data),
            tag_ids=tag_ids,
            featured_image_id=given(self.featured_image_id, lambda _: featured),
            attachment_ids=given(self.attachment_ids, lambda _: attachments),
            seo=given(self.seo, lambda seo: None if seo is None else seo.to_data()),
            section_id=given(self.section_id, lambda _: primary),
            section_ids=given(self.section_ids, lambda _: others),
            mark_up_to_date=self.mark_up_to_date,
        )


@strawberry.input(description="Fields left out stay as they are; null clears optional ones.")
class UpdateArticleInput(ContentChangesInput):
    tag_ids: strawberry.Maybe[list[strawberry.ID]]
    featured: strawberry.Maybe[bool] = strawberry.field(description=FEATURED)

    def to_changes(self) -> ArticleChanges:
        return replace(
            self.changes(given(self.tag_ids, tag_ids_data)), featured=given(self.featured, bool)
        )


@strawberry.input
class PublishArticleInput:
    id: strawberry.ID
    publish_at: dt.datetime | None = strawberry.field(
        default=None, description="Now when left out; a future time schedules it."
    )
    expected_version: int | None = None


@strawberry.input
class ArticleStatusInput:
    id: strawberry.ID
    expected_version: int | None = None


@strawberry.input
class RestoreRevisionInput:
    article_id: strawberry.ID
    revision_id: strawberry.ID
    expected_version: int | None = None

    def ids(self) -> tuple[int, int]:
        """The article's and the revision's database ids (both reported when both are bad)."""
        ids = decode_ids(
            {
                ("articleId",): (self.article_id, "Article"),
                ("revisionId",): (self.revision_id, "Revision"),
            }
        )
        return ids[("articleId",)], ids[("revisionId",)]


@strawberry.input
class CreatePreviewLinkInput:
    article_id: strawberry.ID
    expires_in_hours: int = strawberry.field(default=24, description="From 1 to 720.")
