"""Inputs of the page mutations: the article inputs' fields, less tags, naming Page ids."""

from __future__ import annotations

import datetime as dt

import strawberry

from publishing.articles.editing import ArticleChanges, NewArticle, NewTranslation
from schema.articles.inputs import ContentChangesInput, NewContentInput, NewTranslationInput
from schema.mutations import decode_ids, decode_one


@strawberry.input
class CreatePageInput(NewContentInput):
    def to_data(self) -> NewArticle:
        return self.new_version()


@strawberry.input
class CreatePageTranslationInput(NewTranslationInput):
    original_id: strawberry.ID = strawberry.field(
        description="Any version of the page; the translation records the original's version."
    )

    def to_data(self) -> NewTranslation:
        return self.new_translation(decode_one(self.original_id, "Page", "originalId"))


@strawberry.input(description="Fields left out stay as they are; null clears optional ones.")
class UpdatePageInput(ContentChangesInput):
    def to_changes(self) -> ArticleChanges:
        return self.changes()


@strawberry.input
class PublishPageInput:
    id: strawberry.ID
    publish_at: dt.datetime | None = strawberry.field(
        default=None, description="Now when left out; a future time schedules it."
    )
    expected_version: int | None = None


@strawberry.input
class PageStatusInput:
    id: strawberry.ID
    expected_version: int | None = None


@strawberry.input
class RestorePageRevisionInput:
    page_id: strawberry.ID
    revision_id: strawberry.ID
    expected_version: int | None = None

    def ids(self) -> tuple[int, int]:
        """The page's and the revision's database ids (both reported when both are bad)."""
        ids = decode_ids(
            {
                ("pageId",): (self.page_id, "Page"),
                ("revisionId",): (self.revision_id, "Revision"),
            }
        )
        return ids[("pageId",)], ids[("revisionId",)]


@strawberry.input
class CreatePagePreviewLinkInput:
    page_id: strawberry.ID
    expires_in_hours: int = strawberry.field(default=24, description="From 1 to 720.")
