"""WordPress users (``wp:author``) as authors, and the credits of each post.

A post is credited to its ``dc:creator`` and, with the Co-Authors Plus plugin, to every
``<category domain="author" nicename="cap-LOGIN">`` term after it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.authors.editing import (
    MAX_AUTHOR_SLUG,
    AuthorChanges,
    BioData,
    NewAuthor,
    create_author,
    update_author,
)
from publishing.authors.models import Author
from publishing.errors import PublishingError
from publishing.imports.records import RecordKind, find_record, keep_record
from publishing.imports.report import ProblemKind
from publishing.imports.units import Units
from publishing.imports.wordpress.body import wordpress_soup
from publishing.imports.wordpress.context import IMPORTER, ImportContext, UnitLog, fingerprint
from publishing.imports.wordpress.convert import make_slug
from publishing.imports.wordpress.markdown import html_to_markdown
from publishing.imports.wordpress.reader import WxrAuthor, WxrItem

__all__ = ["credited_authors", "import_authors"]

_CO_AUTHOR_PREFIX = "cap-"


def _name(author: WxrAuthor) -> str:
    full = f"{author.first_name} {author.last_name}".strip()
    return (author.display_name or full or author.login).strip()


def _bio(author: WxrAuthor) -> str | None:
    if not author.description.strip():
        return None
    return html_to_markdown(wordpress_soup(author.description)) or None


async def _import_author(
    session: AsyncSession, context: ImportContext, author: WxrAuthor
) -> tuple[str, int]:
    """("created" | "updated" | "matched" | "unchanged", author id)."""
    name, bio = _name(author), _bio(author)
    print_ = fingerprint(name, bio)
    bios = [BioData(context.default_language, bio)] if bio else []
    record = await find_record(session, context.origin, RecordKind.AUTHOR, author.login)
    if record is not None and record.author_id is not None:
        if record.fingerprint == print_:
            return "unchanged", record.author_id
        await update_author(
            session,
            IMPORTER,
            record.author_id,
            AuthorChanges(name=name, bios=bios),
            now=context.now,
        )
        outcome, author_id = "updated", record.author_id
    else:
        slug = make_slug(author.login, name, fallback="author", limit=MAX_AUTHOR_SLUG)
        existing = await session.scalar(select(Author.id).where(Author.slug == slug))
        if existing is not None:
            outcome, author_id = "matched", existing
        else:
            created = await create_author(
                session, IMPORTER, NewAuthor(slug=slug, name=name, bios=bios), now=context.now
            )
            outcome, author_id = "created", created.id
    await keep_record(
        session,
        context.origin,
        RecordKind.AUTHOR,
        author.login,
        author_id=author_id,
        fingerprint=print_,
        now=context.now,
    )
    return outcome, author_id


async def import_authors(units: Units, context: ImportContext) -> None:
    report = context.report
    for author in context.index.authors.values():
        try:
            async with units.unit() as session:
                outcome, author_id = await _import_author(session, context, author)
        except PublishingError as error:
            report.problem(
                ProblemKind.VALIDATION_FAILED, f"author {author.login!r}: {error.message}"
            )
            continue
        for alias in (author.login.casefold(), make_slug(author.login, fallback="")):
            if alias:
                context.author_ids.setdefault(alias, author_id)
        report.authors_created += outcome == "created"
        report.authors_updated += outcome == "updated"
        report.authors_matched += outcome == "matched"


def credited_authors(context: ImportContext, item: WxrItem, log: UnitLog) -> list[int]:
    """The post's authors in credit order; unknown ones are reported and left out."""
    names = [item.creator] if item.creator else []
    for term in item.terms_in("author"):
        nicename = term.nicename
        if nicename.startswith(_CO_AUTHOR_PREFIX):
            nicename = nicename[len(_CO_AUTHOR_PREFIX) :]
        names.append(nicename or term.name)
    found: list[int] = []
    for name in names:
        author_id = context.author_ids.get(name.casefold()) or context.author_ids.get(
            make_slug(name, fallback="")
        )
        if author_id is None:
            log.problem(
                ProblemKind.UNKNOWN_AUTHOR,
                f"{name!r} is not among the export's authors; imported without this credit",
            )
        elif author_id not in found:
            found.append(author_id)
    return found
