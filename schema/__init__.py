"""The GraphQL schema, assembled from the per-domain parts."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, ParserCache, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext
from strawberry.utils.logging import StrawberryLogger

from schema.access.queries import AccessQueries
from schema.articles.mutations import ArticleMutations
from schema.articles.queries import ArticleQueries
from schema.authors.mutations import AuthorMutations
from schema.authors.queries import AuthorQueries
from schema.deadline import OperationDeadline
from schema.errors import is_expected
from schema.guards import QueryLimits, guard_extensions
from schema.languages.mutations import LanguageMutations
from schema.languages.queries import LanguageQueries
from schema.live.sharing import SharedEventExecution
from schema.live.subscriptions import LiveSubscriptions
from schema.media.mutations import MediaMutations
from schema.media.queries import MediaQueries
from schema.media.types import Document, Image
from schema.media.usage import MediaUsageQueries
from schema.menus.mutations import MenuMutations
from schema.menus.queries import MenuQueries
from schema.nodes import NodeQueries
from schema.operations import OperationChoice
from schema.pages.mutations import PageMutations
from schema.pages.queries import PageQueries
from schema.scalars import SCALAR_OVERRIDES
from schema.search.mutations import SearchMutations
from schema.search.queries import SearchQueries
from schema.sections.mutations import SectionMutations
from schema.sections.queries import SectionQueries
from schema.site.mutations import SiteMutations
from schema.site.queries import SiteQueries
from schema.tags.mutations import TagMutations
from schema.tags.queries import TagQueries
from schema.translations.exchange import TranslationMutations, TranslationQueries
from schema.translations.machine import MachineTranslationMutations
from schema.translations.task_mutations import TranslationTaskMutations
from schema.translations.tasks import TranslationTaskQueries
from schema.unavailable import DatabaseUnavailable, is_unavailable
from schema.validation import Validation
from schema.webhooks.mutations import WebhookMutations
from schema.webhooks.queries import WebhookQueries

SDL_PATH = Path(__file__).resolve().parent / "schema.graphql"

logger = logging.getLogger(__name__)


@strawberry.type
class Query(
    ArticleQueries,
    AuthorQueries,
    TagQueries,
    LanguageQueries,
    NodeQueries,
    AccessQueries,
    WebhookQueries,
    SearchQueries,
    MediaQueries,
    MediaUsageQueries,
    PageQueries,
    SectionQueries,
    MenuQueries,
    SiteQueries,
    TranslationQueries,
    TranslationTaskQueries,
):
    pass


@strawberry.type
class Mutation(
    ArticleMutations,
    AuthorMutations,
    TagMutations,
    LanguageMutations,
    WebhookMutations,
    SearchMutations,
    MediaMutations,
    PageMutations,
    SectionMutations,
    MenuMutations,
    SiteMutations,
    TranslationMutations,
    TranslationTaskMutations,
    MachineTranslationMutations,
):
    pass


@strawberry.type
class Subscription(LiveSubscriptions):
    pass


class PressroomSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Strawberry logs every error with its traceback. A client's mistake (a typo, a
        # limit, a bad argument) is not the operator's problem: one debug line. An
        # unreachable database is, but its traceback says nothing new: one warning line.
        for error in errors:
            original = error.original_error
            if original is not None and is_unavailable(original):
                logger.warning("database unavailable: %s", error.message)
            elif is_expected(error):
                logger.debug("client error: %s", error.message)
            else:
                StrawberryLogger.error(error, execution_context)


def build_schema(
    *,
    production: bool = False,
    limits: QueryLimits | None = None,
    introspection: bool = True,
) -> strawberry.Schema:
    # Factories: Strawberry builds a fresh extension per request from each. The deadline
    # bounds all the others; then the guards refuse an operation before anything else spends
    # time on it.
    extensions: list[Callable[[], SchemaExtension]] = [
        OperationDeadline,
        # Ahead of the parser cache, so it sees the name the request gave (schema.operations).
        OperationChoice,
        *guard_extensions(
            limits or QueryLimits(), introspection=introspection, hide_suggestions=production
        ),
        lambda: ParserCache(maxsize=256),
        # Suggestions ("Did you mean ...?") name fields and types: none in production.
        lambda: Validation(hide_suggestions=production),
    ]
    if production:
        # Mask only the unexpected: limit, validation and input errors stay readable.
        extensions.append(lambda: MaskErrors(should_mask_error=lambda e: not is_expected(e)))
    # A database that cannot be reached gives UNAVAILABLE errors, in production too.
    extensions.append(DatabaseUnavailable)
    return PressroomSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        # Reached through the MediaAsset interface too (the media library, node).
        types=[Image, Document],
        # Date, DateTime and Upload with their formats stated (@specifiedBy) for clients.
        scalar_overrides=SCALAR_OVERRIDES,
        config=StrawberryConfig(auto_camel_case=True),
        # Refuses characters no store keeps in any argument (schema.characters).
        execution_context_class=SharedEventExecution,
    )


schema = build_schema()

__all__ = ["SDL_PATH", "build_schema", "schema"]
