"""A story's versions as the translation workflow names them: an Article or a Page."""

from __future__ import annotations

import strawberry
from strawberry import relay

from publishing.articles.models import Article as ArticleModel
from publishing.articles.models import StoryKind
from publishing.errors import Issues
from schema.articles.content import Content
from schema.articles.types import Article
from schema.mutations import decode_id
from schema.pages.types import Page


def content_node(version: ArticleModel) -> Content:
    """The version as its schema type (its story loaded)."""
    if version.story.kind is StoryKind.PAGE:
        return Page.from_model(version)
    return Article.from_model(version)


def content_id(value: strawberry.ID, field: str) -> tuple[int, StoryKind]:
    """An Article's or a Page's id, and which it is; an INVALID_ID issue at ``field``
    otherwise."""
    try:
        type_name = relay.GlobalID.from_id(str(value)).type_name
    except Exception:  # undecodable: decode_id reports it
        type_name = "Article"
    kind = StoryKind.PAGE if type_name == "Page" else StoryKind.ARTICLE
    issues = Issues()
    pk = decode_id(issues, value, "Page" if kind is StoryKind.PAGE else "Article", (field,))
    issues.raise_if_any()
    return pk, kind
