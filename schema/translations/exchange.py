"""exportTranslation and importTranslation: an article's text to XLIFF for translation tools,
and the translated file back as a draft translation (publishing.translations.exchange)."""

from __future__ import annotations

from enum import Enum

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.file_uploads import Upload
from strawberry.types import Info

from publishing.access import Actor
from publishing.errors import Issues, PublishingError, invalid
from publishing.translations import exchange, importing
from publishing.translations.xliff import XliffVersion
from schema.articles.types import Article
from schema.context import Context
from schema.mutations import decode_id, mutation, result_union, run_mutation
from schema.permissions import Requires
from schema.usererrors import (
    AnyUserError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    ValidationError,
    as_user_error,
)

# An XLIFF file of a long analysis is a few hundred kilobytes; this leaves room, no more.
MAX_XLIFF_BYTES = 5 * 1024 * 1024


@strawberry.enum(description="The XLIFF version of an export.")
class XliffFormat(Enum):
    XLIFF_2_1 = "XLIFF_2_1"
    XLIFF_1_2 = "XLIFF_1_2"


_VERSIONS = {
    XliffFormat.XLIFF_2_1: XliffVersion.XLIFF_2_1,
    XliffFormat.XLIFF_1_2: XliffVersion.XLIFF_1_2,
}


@strawberry.type(description="An XLIFF document of an article, for a translation tool.")
class TranslationExport:
    file_name: str = strawberry.field(description="A file name for the document.")
    content: str = strawberry.field(description="The XLIFF document (UTF-8 XML).")
    segment_count: int = strawberry.field(description="How many segments (units) it holds.")


ExportTranslationResult = result_union(
    "ExportTranslationResult", TranslationExport, ValidationError, NotFoundError, ForbiddenError
)


@strawberry.input(description="An XLIFF file exported by exportTranslation, translated.")
class ImportTranslationInput:
    file: Upload = strawberry.field(
        description="The XLIFF file (a multipart request, as for createMedia)."
    )
    expected_version: int | None = strawberry.field(
        default=None,
        description="The version of the existing translation this replaces (required when "
        "the story already has a version in the file's target language).",
    )


@strawberry.type
class ImportTranslationSuccess:
    article: Article = strawberry.field(description="The translation, as it is now.")
    created: bool = strawberry.field(description="A new translation (false: a new version).")


ImportTranslationResult = result_union(
    "ImportTranslationResult",
    ImportTranslationSuccess,
    ValidationError,
    ConflictError,
    NotFoundError,
    ForbiddenError,
)


async def _read(upload: Upload) -> bytes:
    read = getattr(upload, "read", None)
    if read is None:
        invalid(
            ("file",),
            "NOT_A_FILE",
            "Send the file in a multipart request (the GraphQL multipart request spec).",
        )
    data = await read(MAX_XLIFF_BYTES + 1)
    if len(data) > MAX_XLIFF_BYTES:
        invalid(("file",), "TOO_LARGE", f"An XLIFF file has at most {MAX_XLIFF_BYTES} bytes.")
    return bytes(data)


@strawberry.type
class TranslationQueries:
    @strawberry.field(
        graphql_type=ExportTranslationResult,
        extensions=[Requires(exchange.EXPORT_TRANSLATION, as_data=True)],
        description="The article as an XLIFF document for translating into `targetLanguage`: "
        "the original's segments, the existing translation's text where there is one; with "
        "`onlyChanged`, only segments changed since the translation was made. Needs a token.",
    )
    async def export_translation(
        self,
        info: Info[Context, None],
        article_id: strawberry.ID,
        target_language: str,
        format: XliffFormat = XliffFormat.XLIFF_2_1,
        only_changed: bool = False,
    ) -> TranslationExport | AnyUserError:
        actor = info.context.actor
        assert actor is not None  # Requires refused the request otherwise
        try:
            issues = Issues()
            article = decode_id(issues, article_id, "Article", ("articleId",))
            issues.raise_if_any()
            async with info.context.reads.session() as session:
                exported = await exchange.export_translation(
                    session,
                    actor,
                    article,
                    target_language,
                    version=_VERSIONS[format],
                    only_changed=only_changed,
                )
        except PublishingError as error:
            return as_user_error(error)
        return TranslationExport(
            file_name=exported.file_name,
            content=exported.content,
            segment_count=exported.segment_count,
        )


@strawberry.type
class TranslationMutations:
    @mutation(
        ImportTranslationResult,
        needs=importing.IMPORT_TRANSLATION,
        description="Import a translated XLIFF file: creates the translation as a draft, or "
        "replaces the existing one's text as a new version. Untranslated segments and broken "
        "codes (a lost footnote reference) are a ValidationError naming each segment; nothing "
        "is written then.",
    )
    async def import_translation(
        self, info: Info[Context, None], input: ImportTranslationInput
    ) -> ImportTranslationSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> ImportTranslationSuccess:
            data = await _read(input.file)
            imported = await importing.import_translation(
                session,
                actor,
                data,
                expected_version=input.expected_version,
                now=info.context.now,
            )
            return ImportTranslationSuccess(
                article=Article.from_model(imported.article), created=imported.created
            )

        return await run_mutation(info, work)
