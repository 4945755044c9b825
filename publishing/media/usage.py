"""What uses a media asset: the UsageFinder that knows every place media is shown.

Featured images, author portraits and attachments are rows of their own tables (a section's
image is a column of ``sections``) (see
``publishing.media.models``), so each is one indexed lookup by asset. Their foreign keys
RESTRICT deletion too: a use added between this check and the deletion still stops it.
A body shows an image through a ``media:`` reference (see ``publishing.media.figures``):
a LIKE over the bodies finds the candidates, the body parser decides.

``usages_by_media`` answers for many assets in the same few statements as for one (a page of
the media library asks for all of its assets at once); ``find_usages`` is its one-asset form.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Collection, Sequence

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles.models import Article, ArticleStatus, Story, StoryKind
from publishing.authors.models import Author
from publishing.footnotes.references import ParsedBody
from publishing.media.editing import Usage
from publishing.media.figures import SCHEME, asset_id_of
from publishing.media.models import ArticleAttachment, ArticleFeaturedImage, AuthorAvatar
from publishing.sections.models import Section, SectionTranslation
from publishing.seo.usage import seo_usages

__all__ = ["find_usages", "usages_by_media"]


async def find_usages(session: AsyncSession, asset_id: int) -> Sequence[Usage]:
    """Every article or page version, author and SEO override showing ``asset_id``, in a
    stable order."""
    return (await usages_by_media(session, [asset_id])).get(asset_id, [])


async def usages_by_media(
    session: AsyncSession, asset_ids: Collection[int]
) -> dict[int, list[Usage]]:
    """The usages of each of ``asset_ids`` (assets nothing uses are left out), each list in
    a stable order: featured images, attachments and bodies by article or page, then avatars
    by author, then social images of SEO overrides. A fixed number of statements, however
    many assets."""
    ids = sorted(set(asset_ids))
    found: defaultdict[int, list[Usage]] = defaultdict(list)
    if not ids:
        return {}
    for link, field in (
        (ArticleFeaturedImage, "featuredImage"),
        (ArticleAttachment, "attachments"),
    ):
        rows = await session.execute(
            select(
                link.asset_id,
                Article.id,
                Article.title,
                Article.language,
                Article.status,
                Story.kind,
            )
            .join(link, link.article_id == Article.id)
            .join(Story, Story.id == Article.story_id)
            .where(link.asset_id.in_(ids))
            .order_by(Article.id)
        )
        for asset_id, pk, title, language, status, kind in rows:
            found[asset_id].append(
                Usage(
                    _usage_kind(kind),
                    pk,
                    field,
                    f"{title} ({language})",
                    draft=status is ArticleStatus.DRAFT,
                    language=language,
                )
            )
    for asset_id, usage in await _body_usages(session, ids):
        found[asset_id].append(usage)
    authors = await session.execute(
        select(AuthorAvatar.asset_id, Author.id, Author.name)
        .join(AuthorAvatar, AuthorAvatar.author_id == Author.id)
        .where(AuthorAvatar.asset_id.in_(ids))
        .order_by(Author.id)
    )
    for asset_id, pk, name in authors:
        found[asset_id].append(Usage("author", pk, "avatar", name))
    for asset_id, usage in await _section_usages(session, ids):
        found[asset_id].append(usage)
    for asset_id, usage in await seo_usages(session, ids):
        found[asset_id].append(usage)
    return dict(found)


def _usage_kind(kind: StoryKind) -> str:
    return "page" if kind is StoryKind.PAGE else "article"


async def _section_usages(
    session: AsyncSession, asset_ids: Sequence[int]
) -> list[tuple[int, Usage]]:
    """(asset, usage) for sections showing one of ``asset_ids`` as their image, each labelled
    with one of its names."""
    rows = await session.execute(
        select(Section.image_id, Section.id, SectionTranslation.name, SectionTranslation.language)
        .join(SectionTranslation, SectionTranslation.section_id == Section.id)
        .where(Section.image_id.in_(asset_ids))
        .order_by(Section.id, SectionTranslation.language)
    )
    names: dict[int, tuple[int, str]] = {}
    for asset_id, pk, name, language in rows:
        names.setdefault(pk, (asset_id, f"{name} ({language})"))
    return [
        (asset_id, Usage("section", pk, "image", label)) for pk, (asset_id, label) in names.items()
    ]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _patterns(asset_id: int) -> list[str]:
    """LIKE patterns of the two forms a body may name an image by: global id and number."""
    global_id = base64.b64encode(f"Image:{asset_id}".encode()).decode().rstrip("=")
    return [f"%{_escape(SCHEME + form)}%" for form in (global_id, str(asset_id))]


async def _body_usages(session: AsyncSession, asset_ids: Sequence[int]) -> list[tuple[int, Usage]]:
    """(asset, usage) for each article or page version whose body shows one of ``asset_ids``."""
    patterns = [pattern for asset_id in asset_ids for pattern in _patterns(asset_id)]
    rows = await session.execute(
        select(
            Article.id, Article.title, Article.language, Article.body, Article.status, Story.kind
        )
        .join(Story, Story.id == Article.story_id)
        .where(or_(*(Article.body.like(p, escape="\\") for p in patterns)))
        .order_by(Article.id)
    )
    wanted = set(asset_ids)
    found: list[tuple[int, Usage]] = []
    for pk, title, language, body, status, kind in rows:
        # A numeric pattern also matches longer numbers (media:12 in media:123): the parser
        # decides which images the body really shows.
        shown = {asset_id_of(target) for target in ParsedBody(body).media_targets()}
        for asset_id in sorted(wanted & {i for i in shown if i is not None}):
            usage = Usage(
                _usage_kind(kind),
                pk,
                "body",
                f"{title} ({language})",
                draft=status is ArticleStatus.DRAFT,
                language=language,
            )
            found.append((asset_id, usage))
    return found
