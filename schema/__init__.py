"""The GraphQL schema, assembled from the per-domain parts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import strawberry
from strawberry.extensions import MaskErrors, ParserCache, SchemaExtension, ValidationCache
from strawberry.schema.config import StrawberryConfig

from schema.access.queries import AccessQueries
from schema.articles.mutations import ArticleMutations
from schema.articles.queries import ArticleQueries
from schema.authors.mutations import AuthorMutations
from schema.authors.queries import AuthorQueries
from schema.errors import is_expected
from schema.languages.mutations import LanguageMutations
from schema.languages.queries import LanguageQueries
from schema.nodes import NodeQueries
from schema.tags.mutations import TagMutations
from schema.tags.queries import TagQueries

SDL_PATH = Path(__file__).resolve().parent / "schema.graphql"


@strawberry.type
class Query(ArticleQueries, AuthorQueries, TagQueries, LanguageQueries, NodeQueries, AccessQueries):
    pass


@strawberry.type
class Mutation(ArticleMutations, AuthorMutations, TagMutations, LanguageMutations):
    pass


def build_schema(*, production: bool = False) -> strawberry.Schema:
    # Factories: Strawberry builds a fresh extension per request from each.
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
    ]
    if production:
        # Mask only the unexpected: limit, validation and input errors stay readable.
        extensions.append(lambda: MaskErrors(should_mask_error=lambda e: not is_expected(e)))
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
    )


schema = build_schema()

__all__ = ["SDL_PATH", "build_schema", "schema"]
