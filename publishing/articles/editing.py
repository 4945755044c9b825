"""Creating and changing articles and pages: validated, versioned, and recorded as revisions.

Every function runs inside the caller's transaction (one per mutation) and either completes
its whole change or raises a domain error, after which the caller rolls back.

A page is a story of another kind (``StoryKind.PAGE``): the same operations serve it, given
its kind. Each operation finds only stories of the kind it is given, so an article's id
passed where a page's belongs is NOT_FOUND, and the other way round.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from publishing.access import Actor, Permission, Role
from publishing.articles.models import (
    Article,
    ArticleRevision,
    ArticleStatus,
    ContributorCredit,
    CreditRole,
    Story,
    StoryKind,
    story_tags,
)
from publishing.articles.revisions import record_revision
from publishing.articles.story_data import (
    changed_story_fields,
    lock_story_versions,
    may_edit_version,
    names_story_data,
    other_versions,
    refuse_unless_every_version_editable,
)
from publishing.articles.validation import (
    MAX_BODY,
    MAX_EXCERPT,
    MAX_SUBTITLE,
    MAX_TITLE,
    FootnoteData,
    SourceData,
    check_body_and_footnotes,
    check_slug,
    check_text,
)
from publishing.articles.visibility import Visibility
from publishing.authors.models import Author
from publishing.errors import (
    ConflictError,
    ForbiddenError,
    Issues,
    NotFoundError,
    invalid,
)
from publishing.events import (
    ArticleEvent,
    article_changed,
    original_content_changed,
    shown_data_changed,
)
from publishing.footnotes.models import Footnote, Source
from publishing.footnotes.references import NumberingStyle, ParsedBody
from publishing.integrity import Race, flush
from publishing.languages.service import load_enabled_languages
from publishing.media.attaching import (
    MissingMedia,
    article_media,
    check_attachments,
    check_image,
    replace_attachments,
    restorable_media,
    set_featured_image,
)
from publishing.media.figures import check_media_references
from publishing.media.models import MediaAsset, MediaKind
from publishing.menus.models import MenuItem
from publishing.menus.references import refuse_if_in_menus
from publishing.sections.editing import check_story_sections, file_story
from publishing.seo.overrides import SeoData, article_seo, check_seo, set_article_seo
from publishing.tags.models import Tag
from publishing.unset import UNSET, Unset

__all__ = [
    "ARCHIVE",
    "KIND_RULES",
    "PUBLISH",
    "UNPUBLISH",
    "ArticleChanges",
    "CreditData",
    "FootnoteData",
    "KindRules",
    "NewArticle",
    "NewTranslation",
    "RestoredRevision",
    "SourceData",
    "StatusChange",
]

CREATE_ARTICLE = Permission(Role.CONTRIBUTOR, "Creating an article")
CREATE_TRANSLATION = Permission(Role.CONTRIBUTOR, "Creating a translation")
# Contributors edit drafts only (see _may_edit), and a story's shared data (tags, credits,
# sections) only while all its versions are drafts (publishing.articles.story_data); editors
# and administrators, any article.
EDIT_ARTICLE = Permission(Role.CONTRIBUTOR, "Editing an article")
DELETE_ARTICLE = Permission(Role.EDITOR, "Deleting an article")
# A page's twins: the same roles, named for what they act on.
CREATE_PAGE = Permission(Role.CONTRIBUTOR, "Creating a page")
EDIT_PAGE = Permission(Role.CONTRIBUTOR, "Editing a page")
DELETE_PAGE = Permission(Role.EDITOR, "Deleting a page")


@dataclass(frozen=True, slots=True)
class KindRules:
    """What differs between the kinds of story where they are written: the word errors use,
    the permissions whose messages name it, and whether the story takes tags."""

    noun: str
    create: Permission
    edit: Permission
    delete: Permission
    tagged: bool


KIND_RULES: dict[StoryKind, KindRules] = {
    StoryKind.ARTICLE: KindRules("article", CREATE_ARTICLE, EDIT_ARTICLE, DELETE_ARTICLE, True),
    # Pages are reached by slug and menus, not by tag.
    StoryKind.PAGE: KindRules("page", CREATE_PAGE, EDIT_PAGE, DELETE_PAGE, False),
}


@dataclass(frozen=True, slots=True)
class CreditData:
    author_id: int
    role: CreditRole = CreditRole.AUTHOR


@dataclass(frozen=True, slots=True)
class NewArticle:
    """A new story, written in ``language``."""

    language: str
    slug: str
    title: str
    body: str = ""
    subtitle: str | None = None
    excerpt: str | None = None
    numbering_style: NumberingStyle = NumberingStyle.ARABIC
    footnotes: Sequence[FootnoteData] = ()
    credits: Sequence[CreditData] = ()
    tag_ids: Sequence[int] = ()
    featured_image_id: int | None = None
    attachment_ids: Sequence[int] = ()
    # Search and social overrides of this version; None: none.
    seo: SeoData | None = None
    # The story's primary section and the others it appears in.
    section_id: int | None = None
    section_ids: Sequence[int] = ()
    # The story is put forward (articles; WordPress's sticky posts).
    featured: bool = False


@dataclass(frozen=True, slots=True)
class NewTranslation:
    """A new language version of the story that ``original_id`` belongs to."""

    original_id: int
    language: str
    slug: str
    title: str
    body: str = ""
    subtitle: str | None = None
    excerpt: str | None = None
    numbering_style: NumberingStyle | None = None  # None: as the original
    footnotes: Sequence[FootnoteData] = ()
    credits: Sequence[CreditData] = ()
    featured_image_id: int | None = None
    attachment_ids: Sequence[int] = ()
    seo: SeoData | None = None
    # The original's version the text translates (an XLIFF import says); None: its current.
    source_version: int | None = None


@dataclass(frozen=True, slots=True)
class ArticleChanges:
    """A partial update: UNSET leaves a field as it is."""

    slug: str | Unset = UNSET
    title: str | Unset = UNSET
    subtitle: str | Unset | None = UNSET
    excerpt: str | Unset | None = UNSET
    body: str | Unset = UNSET
    numbering_style: NumberingStyle | Unset = UNSET
    footnotes: Sequence[FootnoteData] | Unset = UNSET
    credits: Sequence[CreditData] | Unset = UNSET
    tag_ids: Sequence[int] | Unset = UNSET
    # None removes the featured image; an empty list, every attachment.
    featured_image_id: int | Unset | None = UNSET
    attachment_ids: Sequence[int] | Unset = UNSET
    # The whole set of SEO overrides, replacing the stored one; None removes them all.
    seo: SeoData | Unset | None = UNSET
    # The story's primary section (None: none) and its others (the whole list).
    section_id: int | Unset | None = UNSET
    section_ids: Sequence[int] | Unset = UNSET
    # The story is put forward (whichever version says so, the story is).
    featured: bool | Unset = UNSET
    # A translator declares the translation follows the original's current text.
    mark_up_to_date: bool = False
    # Or names the original's version the new text translates (an XLIFF import).
    translated_from: int | None = None


# -- loading ---------------------------------------------------------------------------------


async def get_article(
    session: AsyncSession, article_id: int, kind: StoryKind = StoryKind.ARTICLE
) -> Article:
    """The article (a language version of a story of ``kind``), its row locked until the
    transaction ends: a concurrent writer waits here and then sees the version this one
    leaves, so it gets a clean ConflictError."""
    article = await session.scalar(
        select(Article)
        .options(selectinload(Article.story))
        .where(Article.id == article_id)
        .with_for_update(of=Article)
        .execution_options(populate_existing=True)
    )
    if article is None or article.story.kind is not kind:
        raise NotFoundError(KIND_RULES[kind].noun, article_id)
    return article


async def _original_of(session: AsyncSession, story: Story) -> Article | None:
    return await session.scalar(
        select(Article).where(
            Article.story_id == story.id, Article.language == story.original_language
        )
    )


# -- checks ----------------------------------------------------------------------------------


def _today(now: dt.datetime) -> dt.date:
    # "Not in the future" anywhere on Earth: the furthest time zone is UTC+14.
    return (now + dt.timedelta(hours=14)).date()


def _check_fields(issues: Issues, data: NewArticle | NewTranslation | ArticleChanges) -> None:
    """The text fields, those an update leaves out (UNSET) excepted."""
    if data.slug is not UNSET:
        check_slug(issues, data.slug)
    if data.title is not UNSET:
        check_text(issues, data.title, ("title",), limit=MAX_TITLE, required=True, label="A title")
    if data.subtitle is not UNSET:
        check_text(issues, data.subtitle, ("subtitle",), limit=MAX_SUBTITLE, label="A subtitle")
    if data.excerpt is not UNSET:
        check_text(issues, data.excerpt, ("excerpt",), limit=MAX_EXCERPT, label="An excerpt")
    if data.body is not UNSET:
        check_text(issues, data.body, ("body",), limit=MAX_BODY, label="The body")


async def _check_language(session: AsyncSession, issues: Issues, language: str) -> str | None:
    enabled = await load_enabled_languages(session)
    try:
        return enabled.resolve(language)
    except Exception as exc:  # UnknownLanguageError: reported as an issue of this input
        issues.add(("language",), "NOT_ENABLED", str(exc))
        return None


async def _check_slug_free(
    session: AsyncSession,
    issues: Issues,
    language: str,
    slug: str,
    article_id: int | None = None,
) -> None:
    # Across kinds: an article and a page of one language never share a slug, so a frontend
    # routing /{language}/{slug} to either finds one.
    statement = (
        select(Story.kind)
        .join(Article, Article.story_id == Story.id)
        .where(Article.language == language, Article.slug == slug)
    )
    if article_id is not None:
        statement = statement.where(Article.id != article_id)
    taken_by = await session.scalar(statement.limit(1))
    if taken_by is not None:
        noun = KIND_RULES[taken_by].noun
        issues.add(
            ("slug",), "TAKEN", f"The slug {slug!r} is already used by another {language} {noun}."
        )


async def _check_credits(
    session: AsyncSession, issues: Issues, credits: Sequence[CreditData]
) -> None:
    ids = {c.author_id for c in credits}
    found = (
        set(await session.scalars(select(Author.id).where(Author.id.in_(ids)))) if ids else set()
    )
    seen: set[tuple[int, CreditRole]] = set()
    for index, credit in enumerate(credits):
        if credit.author_id not in found:
            issues.add(
                ("credits", index, "authorId"),
                "NOT_FOUND",
                f"No author with id {credit.author_id}.",
            )
        if (credit.author_id, credit.role) in seen:
            issues.add(
                ("credits", index),
                "DUPLICATE",
                "The same author is credited twice in the same role.",
            )
        seen.add((credit.author_id, credit.role))


async def _check_tags(
    session: AsyncSession, issues: Issues, tag_ids: Sequence[int], kind: StoryKind
) -> None:
    if tag_ids and not KIND_RULES[kind].tagged:
        issues.add(("tagIds",), "NOT_ALLOWED", f"A {KIND_RULES[kind].noun} has no tags.")
        return
    ids = set(tag_ids)
    found = set(await session.scalars(select(Tag.id).where(Tag.id.in_(ids)))) if ids else set()
    for index, tag_id in enumerate(tag_ids):
        if tag_id not in found:
            issues.add(("tagIds", index), "NOT_FOUND", f"No tag with id {tag_id}.")


async def _check_media(session: AsyncSession, issues: Issues, body: str) -> None:
    """Every image the body shows is in the media library, as every footnote it cites is
    among its footnotes."""
    await check_media_references(session, issues, ParsedBody(body).media_targets())


async def _check_new_version(
    session: AsyncSession, issues: Issues, data: NewArticle | NewTranslation, now: dt.datetime
) -> str | None:
    """What every new language version is checked for, original or translation; returns its
    language's enabled code when there is one."""
    language = await _check_language(session, issues, data.language)
    _check_fields(issues, data)
    check_body_and_footnotes(issues, data.body, data.footnotes, today=_today(now))
    await _check_media(session, issues, data.body)
    if language is not None:
        await _check_slug_free(session, issues, language, data.slug)
    await _check_credits(session, issues, data.credits)
    await check_image(session, issues, data.featured_image_id, ("featuredImageId",))
    await check_attachments(session, issues, data.attachment_ids, "attachmentIds")
    if data.seo is not None:
        await check_seo(session, issues, data.seo)
    return language


async def _check_no_version_in(
    session: AsyncSession, issues: Issues, story_id: int, language: str
) -> None:
    taken = await session.scalar(
        select(Article.id).where(Article.story_id == story_id, Article.language == language)
    )
    if taken is not None:
        issues.add(
            ("language",),
            "TRANSLATION_EXISTS",
            f"The story already has a {language} version (article {taken}).",
        )


# -- writing ---------------------------------------------------------------------------------


async def _source_for(session: AsyncSession, data: SourceData) -> Source:
    """The stored source with exactly these fields, or a new one: equal sources are shared."""
    url = data.url.strip() if data.url else None
    existing = await session.scalar(
        select(Source)
        .where(
            Source.title == data.title.strip(),
            Source.publisher.is_not_distinct_from(data.publisher),
            Source.url.is_not_distinct_from(url),
            Source.accessed_on.is_not_distinct_from(data.accessed_on),
        )
        .limit(1)
    )
    if existing is not None:
        return existing
    source = Source(
        title=data.title.strip(), publisher=data.publisher, url=url, accessed_on=data.accessed_on
    )
    session.add(source)
    await session.flush()
    return source


async def _replace_footnotes(
    session: AsyncSession, article: Article, footnotes: Sequence[FootnoteData]
) -> None:
    old_sources = set(
        await session.scalars(
            select(Footnote.source_id).where(
                Footnote.article_id == article.id, Footnote.source_id.is_not(None)
            )
        )
    )
    await session.execute(delete(Footnote).where(Footnote.article_id == article.id))
    for position, data in enumerate(footnotes):
        source = await _source_for(session, data.source) if data.source else None
        session.add(
            Footnote(
                article_id=article.id,
                key=data.key,
                position=position,
                content=data.content,
                source_id=source.id if source else None,
            )
        )
    await session.flush()
    await _drop_orphan_sources(session, old_sources)


async def _drop_orphan_sources(session: AsyncSession, source_ids: set[int | None]) -> None:
    ids = {i for i in source_ids if i is not None}
    if not ids:
        return
    used = set(await session.scalars(select(Footnote.source_id).where(Footnote.source_id.in_(ids))))
    orphans = ids - used
    if orphans:
        await session.execute(delete(Source).where(Source.id.in_(orphans)))


async def _replace_credits(
    session: AsyncSession, article: Article, credits: Sequence[CreditData], *, original: bool
) -> None:
    """Translators are credited on the version; authors and editors of an original, on the
    story (so every version shows them)."""

    def on_story(credit: CreditData) -> bool:
        return original and credit.role is not CreditRole.TRANSLATOR

    await session.execute(
        delete(ContributorCredit).where(ContributorCredit.article_id == article.id)
    )
    if original:
        await session.execute(
            delete(ContributorCredit).where(ContributorCredit.story_id == article.story_id)
        )
    for position, credit in enumerate(credits):
        session.add(
            ContributorCredit(
                story_id=article.story_id if on_story(credit) else None,
                article_id=None if on_story(credit) else article.id,
                author_id=credit.author_id,
                role=credit.role,
                position=position,
            )
        )
    await session.flush()


async def _replace_tags(session: AsyncSession, story_id: int, tag_ids: Sequence[int]) -> None:
    await session.execute(delete(story_tags).where(story_tags.c.story_id == story_id))
    unique_ids = list(dict.fromkeys(tag_ids))
    if unique_ids:
        await session.execute(
            insert(story_tags),
            [{"story_id": story_id, "tag_id": t, "position": i} for i, t in enumerate(unique_ids)],
        )


async def _add_version(
    session: AsyncSession,
    data: NewArticle | NewTranslation,
    story: Story,
    language: str,
    *,
    numbering_style: NumberingStyle,
    now: dt.datetime,
    source_version: int | None = None,
) -> Article:
    """Write a checked new version of ``story`` as a draft, with its footnotes and credits
    (a translation's ``source_version`` is the original's version it was made from)."""
    article = Article(
        story=story,
        language=language,
        slug=data.slug,
        title=data.title.strip(),
        subtitle=data.subtitle,
        excerpt=data.excerpt,
        body=data.body,
        numbering_style=numbering_style,
        status=ArticleStatus.DRAFT,
        source_version=source_version,
        content_updated_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(article)
    await _flush(session)
    await _replace_footnotes(session, article, data.footnotes)
    original = language == story.original_language
    await _replace_credits(session, article, data.credits, original=original)
    await set_featured_image(session, article.id, data.featured_image_id)
    await replace_attachments(session, article.id, data.attachment_ids)
    if data.seo is not None:
        await set_article_seo(session, article.id, data.seo)
    return article


async def _footnote_rows(
    session: AsyncSession, article_id: int
) -> list[tuple[Footnote, Source | None]]:
    rows = await session.execute(
        select(Footnote, Source)
        .outerjoin(Source, Source.id == Footnote.source_id)
        .where(Footnote.article_id == article_id)
        .order_by(Footnote.position)
    )
    return [(f, s) for f, s in rows]


async def _credit_snapshot(session: AsyncSession, article: Article) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(ContributorCredit)
        .where(
            (ContributorCredit.article_id == article.id)
            | (ContributorCredit.story_id == article.story_id)
        )
        .order_by(ContributorCredit.position)
    )
    return [
        {
            "authorId": c.author_id,
            "role": c.role.value,
            "on": "story" if c.story_id is not None else "article",
        }
        for c in rows.scalars()
    ]


async def _record(
    session: AsyncSession, article: Article, actor: Actor, event: ArticleEvent, now: dt.datetime
) -> ArticleRevision:
    """Every successful change ends here: what follows any change, then its revision."""
    await article_changed(session, article, event, now=now)
    return await _record_revision(session, article, actor)


async def _record_revision(
    session: AsyncSession, article: Article, actor: Actor
) -> ArticleRevision:
    return await record_revision(
        session,
        article,
        await _footnote_rows(session, article.id),
        by=actor.name,
        credits=await _credit_snapshot(session, article),
        seo=(await article_seo(session, article.id)).snapshot(),
        media=await article_media(session, article.id),
    )


RACES = (
    Race(("slug",), ("slug",), "TAKEN", "The slug was taken by another article meanwhile."),
    Race(
        ("story_id", "language"),
        ("language",),
        "TRANSLATION_EXISTS",
        "The story already has a version in this language.",
    ),
)


async def _flush(session: AsyncSession) -> None:
    await flush(session, RACES)


# -- the operations ------------------------------------------------------------------------


async def create_article(
    session: AsyncSession,
    actor: Actor,
    data: NewArticle,
    *,
    now: dt.datetime,
    kind: StoryKind = StoryKind.ARTICLE,
) -> Article:
    """A new story of ``kind`` with its first version, as a draft."""
    actor.require(KIND_RULES[kind].create)
    issues = Issues()
    language = await _check_new_version(session, issues, data, now)
    await _check_tags(session, issues, data.tag_ids, kind)
    await check_story_sections(session, issues, data.section_id, data.section_ids)
    issues.raise_if_any()
    assert language is not None

    story = Story(original_language=language, kind=kind, featured=data.featured, created_at=now)
    session.add(story)
    await session.flush()
    article = await _add_version(
        session, data, story, language, numbering_style=data.numbering_style, now=now
    )
    await _replace_tags(session, story.id, data.tag_ids)
    await file_story(session, story, data.section_id, data.section_ids)
    await _record(session, article, actor, ArticleEvent.CREATED, now)
    return article


async def create_translation(
    session: AsyncSession,
    actor: Actor,
    data: NewTranslation,
    *,
    now: dt.datetime,
    kind: StoryKind = StoryKind.ARTICLE,
) -> Article:
    """A new language version of an existing story of ``kind``, translated from the
    original's current version (recorded, so the API can tell when the original moves on)."""
    actor.require(CREATE_TRANSLATION)
    source = await get_article(session, data.original_id, kind)
    original = await _original_of(session, source.story) or source
    issues = Issues()
    language = await _check_new_version(session, issues, data, now)
    if language is not None:
        await _check_no_version_in(session, issues, original.story_id, language)
    issues.raise_if_any()
    assert language is not None

    article = await _add_version(
        session,
        data,
        source.story,
        language,
        numbering_style=data.numbering_style or original.numbering_style,
        now=now,
        source_version=data.source_version or original.version,
    )
    await _record(session, article, actor, ArticleEvent.CREATED, now)
    return article


def _check_version(article: Article, expected_version: int) -> None:
    if article.version != expected_version:
        raise ConflictError(expected_version, article.version)


def _may_edit(actor: Actor, article: Article) -> None:
    rules = KIND_RULES[article.story.kind]
    actor.require(rules.edit)
    if not may_edit_version(actor, article):
        raise ForbiddenError(
            f"Contributors edit drafts only; this {rules.noun} is "
            f"{article.status.value.lower()}. Ask an editor."
        )


async def _save(session: AsyncSession, article: Article, expected_version: int) -> None:
    """Write the row; the version check in its WHERE clause stops a concurrent writer."""
    try:
        await _flush(session)
    except StaleDataError:
        # Unreachable while get_article locks the row; kept so a missed lock still ends as a
        # conflict (the transaction is spoilt, so the winner's version is not read here).
        raise ConflictError(expected_version, expected_version + 1) from None


async def update_article(
    session: AsyncSession,
    actor: Actor,
    article_id: int,
    expected_version: int,
    changes: ArticleChanges,
    *,
    now: dt.datetime,
    kind: StoryKind = StoryKind.ARTICLE,
) -> Article:
    shared = names_story_data(changes)
    if shared:
        await lock_story_versions(session, article_id)
    article = await get_article(session, article_id, kind)
    _may_edit(actor, article)
    _check_version(article, expected_version)
    is_original = article.language == article.story.original_language

    issues = Issues()
    _check_fields(issues, changes)
    body = article.body if changes.body is UNSET else changes.body
    if changes.footnotes is not UNSET or changes.body is not UNSET:
        footnotes = (
            changes.footnotes
            if changes.footnotes is not UNSET
            else [
                FootnoteData(f.key, f.content) for f, _ in await _footnote_rows(session, article.id)
            ]
        )
        check_body_and_footnotes(issues, body, footnotes, today=_today(now))
    if changes.body is not UNSET:
        await _check_media(session, issues, body)
    if changes.slug is not UNSET and changes.slug != article.slug:
        await _check_slug_free(session, issues, article.language, changes.slug, article.id)
    if changes.credits is not UNSET:
        await _check_credits(session, issues, changes.credits)
    if changes.tag_ids is not UNSET:
        await _check_tags(session, issues, changes.tag_ids, kind)
    if changes.featured_image_id is not UNSET:
        await check_image(session, issues, changes.featured_image_id, ("featuredImageId",))
    if changes.attachment_ids is not UNSET:
        await check_attachments(session, issues, changes.attachment_ids, "attachmentIds")
    if changes.seo is not UNSET and changes.seo is not None:
        await check_seo(session, issues, changes.seo)
    await check_story_sections(session, issues, changes.section_id, changes.section_ids)
    issues.raise_if_any()
    # The other versions show what the story shares: a change to it is theirs too.
    siblings: list[Article] = []
    if shared:
        changed = await changed_story_fields(session, article.story, changes, original=is_original)
        if changed:
            siblings = await other_versions(session, article)
            refuse_unless_every_version_editable(actor, siblings, changed, KIND_RULES[kind].noun)

    content_changed = changes.body is not UNSET and changes.body != article.body
    content_changed = content_changed or changes.footnotes is not UNSET
    for name in ("slug", "title", "subtitle", "excerpt", "body", "numbering_style"):
        value = getattr(changes, name)
        if value is not UNSET:
            setattr(article, name, value.strip() if name == "title" else value)
    if changes.mark_up_to_date and not is_original:
        original = await _original_of(session, article.story)
        if original is not None:
            article.source_version = original.version
    if changes.translated_from is not None and not is_original:
        article.source_version = changes.translated_from
    previous_content_version = article.content_version
    if content_changed:
        # Translations follow the body and footnotes: from this version on they are behind.
        article.content_version = article.version + 1
        article.content_updated_at = now
    article.updated_at = now
    await _save(session, article, expected_version)
    if changes.footnotes is not UNSET:
        await _replace_footnotes(session, article, changes.footnotes)
    if changes.credits is not UNSET:
        await _replace_credits(session, article, changes.credits, original=is_original)
    if changes.tag_ids is not UNSET:
        await _replace_tags(session, article.story_id, changes.tag_ids)
    if changes.featured_image_id is not UNSET:
        await set_featured_image(session, article.id, changes.featured_image_id)
    if changes.attachment_ids is not UNSET:
        await replace_attachments(session, article.id, changes.attachment_ids)
    if changes.seo is not UNSET:
        await set_article_seo(session, article.id, changes.seo or SeoData())
    await file_story(session, article.story, changes.section_id, changes.section_ids)
    if changes.featured is not UNSET:
        article.story.featured = changes.featured
        await session.flush()
    if content_changed and is_original:
        await original_content_changed(
            session, article, previous_content_version=previous_content_version, now=now
        )
    await _record(session, article, actor, ArticleEvent.UPDATED, now)
    await _record_siblings(session, siblings, actor, now)
    if content_changed and is_original and not siblings and not Visibility(now).allows(article):
        # Translations show whether they are behind their original (translationStatus): a
        # hidden original's new text changes what readers of its visible translations see.
        # (A visible original's own follow-ups already name the story.)
        for version in await other_versions(session, article):
            await shown_data_changed(session, version, now=now)
    return article


async def _record_siblings(
    session: AsyncSession, siblings: Sequence[Article], actor: Actor, now: dt.datetime
) -> None:
    """The other versions after a change of what they share: each a new version and revision,
    and the follow-ups of an update (caches and subscribers hear of the visible ones)."""
    if not siblings:
        return
    for sibling in siblings:
        sibling.updated_at = now
        # Written even when the time is the one it holds: the write bumps its version.
        flag_modified(sibling, "updated_at")
    await session.flush()
    for sibling in siblings:
        await shown_data_changed(session, sibling, now=now)
        await _record_revision(session, sibling, actor)


class Publication(enum.Enum):
    """What a status change does to the publication date."""

    SET = "SET"  # now, or the time asked for
    CLEAR = "CLEAR"
    KEEP = "KEEP"


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One move between statuses: who may make it, where it leads, what it announces."""

    permission: Permission
    status: ArticleStatus
    event: ArticleEvent
    publication: Publication


PUBLISH = StatusChange(
    Permission(Role.EDITOR, "Publishing"),
    ArticleStatus.PUBLISHED,
    ArticleEvent.PUBLISHED,
    Publication.SET,
)
# Back to draft: hidden from readers, publication date cleared.
UNPUBLISH = StatusChange(
    Permission(Role.EDITOR, "Unpublishing"),
    ArticleStatus.DRAFT,
    ArticleEvent.UNPUBLISHED,
    Publication.CLEAR,
)
# Withdrawn from readers, kept with its publication date for the record.
ARCHIVE = StatusChange(
    Permission(Role.EDITOR, "Archiving"),
    ArticleStatus.ARCHIVED,
    ArticleEvent.ARCHIVED,
    Publication.KEEP,
)


async def change_status(
    session: AsyncSession,
    actor: Actor,
    article_id: int,
    change: StatusChange,
    *,
    expected_version: int | None = None,
    publish_at: dt.datetime | None = None,
    now: dt.datetime,
    kind: StoryKind = StoryKind.ARTICLE,
) -> Article:
    """Make ``change``; ``publish_at`` schedules a publication (visible from then on, no job
    needed), or dates an archived article; a change that clears the date takes none."""
    actor.require(change.permission)
    if publish_at is not None:
        if change.publication is Publication.CLEAR:
            raise ValueError(f"{change.status} takes no publication time")
        if publish_at.tzinfo is None:
            invalid(("publishAt",), "NO_TIME_ZONE", "publishAt needs a time zone offset.")
    article = await get_article(session, article_id, kind)
    if expected_version is not None:
        _check_version(article, expected_version)
    article.status = change.status
    if change.publication is Publication.SET:
        article.published_at = publish_at or now
    elif change.publication is Publication.CLEAR:
        article.published_at = None
    elif publish_at is not None:
        # Kept, unless the change brings the date (an imported post archived with its own).
        article.published_at = publish_at
    article.updated_at = now
    await _save(session, article, article.version if expected_version is None else expected_version)
    await _record(session, article, actor, change.event, now)
    return article


# Each change by name, for callers that make one kind (imports, the demo content, tests).


async def publish_article(
    session: AsyncSession,
    actor: Actor,
    article_id: int,
    *,
    now: dt.datetime,
    publish_at: dt.datetime | None = None,
    expected_version: int | None = None,
    kind: StoryKind = StoryKind.ARTICLE,
) -> Article:
    return await change_status(
        session,
        actor,
        article_id,
        PUBLISH,
        expected_version=expected_version,
        publish_at=publish_at,
        now=now,
        kind=kind,
    )


async def unpublish_article(
    session: AsyncSession,
    actor: Actor,
    article_id: int,
    *,
    now: dt.datetime,
    expected_version: int | None = None,
    kind: StoryKind = StoryKind.ARTICLE,
) -> Article:
    return await change_status(
        session, actor, article_id, UNPUBLISH, expected_version=expected_version, now=now, kind=kind
    )


async def archive_article(
    session: AsyncSession,
    actor: Actor,
    article_id: int,
    *,
    now: dt.datetime,
    expected_version: int | None = None,
    published_at: dt.datetime | None = None,
    kind: StoryKind = StoryKind.ARTICLE,
) -> Article:
    """Withdrawn from readers, kept with its publication date for the record (``published_at``
    gives one to an article that was never published here, e.g. an imported private post)."""
    return await change_status(
        session,
        actor,
        article_id,
        ARCHIVE,
        expected_version=expected_version,
        publish_at=published_at,
        now=now,
        kind=kind,
    )


async def delete_article(
    session: AsyncSession,
    actor: Actor,
    article_id: int,
    *,
    now: dt.datetime,
    expected_version: int | None = None,
    kind: StoryKind = StoryKind.ARTICLE,
) -> int:
    """Delete one language version with its footnotes and revisions; the story goes with its
    last version. An original with translations stays: deleting it would orphan them."""
    actor.require(KIND_RULES[kind].delete)
    article = await get_article(session, article_id, kind)
    if expected_version is not None:
        _check_version(article, expected_version)
    others = await session.scalar(
        select(func.count(Article.id)).where(
            Article.story_id == article.story_id, Article.id != article.id
        )
    )
    if others and article.language == article.story.original_language:
        invalid(
            ("id",),
            "HAS_TRANSLATIONS",
            f"This original has {others} translation(s); delete them first.",
        )
    # A menu in this language shows this version; with the last version, any menu the story.
    await refuse_if_in_menus(
        session,
        MenuItem.story_id == article.story_id,
        "article",
        language=article.language if others else None,
    )
    story_id = article.story_id
    old_sources = set(
        await session.scalars(select(Footnote.source_id).where(Footnote.article_id == article.id))
    )
    await article_changed(session, article, ArticleEvent.DELETED, now=now)
    await session.delete(article)
    await session.flush()
    await _drop_orphan_sources(session, old_sources)
    if not others:
        await session.execute(delete(Story).where(Story.id == story_id))
    return article_id


@dataclass(frozen=True, slots=True)
class RestoredRevision:
    """The article after a restore, and the media its revision showed that has been deleted
    since (left out; see ``restore_revision``)."""

    article: Article
    missing_media: tuple[MissingMedia, ...] = ()


async def restore_revision(
    session: AsyncSession,
    actor: Actor,
    article_id: int,
    revision_id: int,
    *,
    now: dt.datetime,
    expected_version: int | None = None,
    kind: StoryKind = StoryKind.ARTICLE,
) -> RestoredRevision:
    """Bring back a revision's text, footnotes, featured image and attachments as a new
    revision; history stays as it was. Status and publication date are left alone:
    restoring text does not publish it.

    Media deleted since the revision cannot come back; the rest is restored and the missing
    assets are named in the result. An attachment that is gone is left out of the list; a
    featured image that is gone leaves the current one in place (a card keeps an image; the
    editor picks another). Revisions recorded before they kept media leave media as it is.
    The body is restored as written: if it shows an image deleted since, the restore is
    refused (``UNKNOWN_MEDIA`` at ``body``), since dropping the reference would change
    the text."""
    article = await get_article(session, article_id, kind)
    revision = await session.scalar(
        select(ArticleRevision).where(
            ArticleRevision.id == revision_id, ArticleRevision.article_id == article_id
        )
    )
    if revision is None:
        raise NotFoundError(f"revision of this {KIND_RULES[kind].noun}", revision_id)
    snap = revision.snapshot
    featured: int | Unset | None = UNSET
    attachments: Sequence[int] | Unset = UNSET
    missing: tuple[MissingMedia, ...] = ()
    if "featuredImageId" in snap:
        media, missing = await restorable_media(
            session, snap["featuredImageId"], snap.get("attachmentIds", [])
        )
        gone = any(m.field == "featuredImage" for m in missing)
        featured = UNSET if gone else media.featured_image_id
        attachments = media.attachment_ids
    changes = ArticleChanges(
        slug=snap["slug"],
        title=snap["title"],
        subtitle=snap["subtitle"],
        excerpt=snap["excerpt"],
        body=snap["body"],
        numbering_style=NumberingStyle(snap["numberingStyle"]),
        footnotes=[
            FootnoteData(
                key=f["key"],
                content=f["content"],
                source=None
                if f["source"] is None
                else SourceData(
                    title=f["source"]["title"],
                    publisher=f["source"]["publisher"],
                    url=f["source"]["url"],
                    accessed_on=dt.date.fromisoformat(f["source"]["accessedOn"])
                    if f["source"]["accessedOn"]
                    else None,
                ),
            )
            for f in snap["footnotes"]
        ],
        seo=await _restorable_seo(session, snap.get("seo")),
        featured_image_id=featured,
        attachment_ids=attachments,
    )
    version = article.version if expected_version is None else expected_version
    restored = await update_article(
        session, actor, article_id, version, changes, now=now, kind=kind
    )
    return RestoredRevision(restored, missing)


async def _restorable_seo(session: AsyncSession, snapped: dict[str, Any] | None) -> SeoData:
    """A revision's overrides (none, for a revision older than them). A social image deleted
    since is left out, so the rest of the revision can still be restored."""
    seo = SeoData.from_snapshot(snapped or {})
    if seo.social_image_id is not None:
        asset = await session.get(MediaAsset, seo.social_image_id)
        if asset is None or asset.kind is not MediaKind.IMAGE:
            seo = dataclasses.replace(seo, social_image_id=None)
    return seo
