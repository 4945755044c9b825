"""Surrogate keys: the names a CDN or a response cache tags content with, so one change purges
every page that shows it.

The vocabulary, one key per thing a page can show:

- ``article:<id>``: one language version (its page, and any listing or page embedding it);
- ``story:<id>``: every language version of a story ("also available in" links change when
  one version is published, renamed or withdrawn);
- ``author:<id>``: the author's page and every response showing their name or bio;
- ``tag:<id>``: the tag's page and every response showing its name;
- ``media:<id>``: every response showing the asset (its URLs, alt text, caption, credit);
- ``section:<id>``: the section's page and every response showing its names or place;
- ``sections``: every response showing any section (a section added, moved or removed
  changes lists of sections and breadcrumbs that hold none of its own keys);
- ``menu:<id>``: every response showing the menu (its items are replaced whole);
- ``articles:<language>``: listings in that language (a publication adds to them);
- ``pages:<language>``: page listings in that language (pages use ``article:`` and
  ``story:`` keys for themselves: a page's versions are rows of ``articles``).
- ``sitemaps``: the sitemaps, which list every author, tag and section by slug (their writes
  carry it; article and page writes reach the sitemaps through their listing keys).

Webhook payloads carry these keys; a response cache tags what it stores with the same ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles.models import ContributorCredit, StoryKind, story_tags


def article_key(article_id: int) -> str:
    return f"article:{article_id}"


def story_key(story_id: int) -> str:
    return f"story:{story_id}"


def author_key(author_id: int) -> str:
    return f"author:{author_id}"


def tag_key(tag_id: int) -> str:
    return f"tag:{tag_id}"


def media_key(asset_id: int) -> str:
    return f"media:{asset_id}"


def section_key(section_id: int) -> str:
    return f"section:{section_id}"


def sections_key() -> str:
    return "sections"


def menu_key(menu_id: int) -> str:
    return f"menu:{menu_id}"


def listing_key(language: str) -> str:
    return f"articles:{language}"


def page_listing_key(language: str) -> str:
    return f"pages:{language}"


def listing_key_of(kind: StoryKind, language: str) -> str:
    """The key of the listings a story of ``kind`` in ``language`` shows in."""
    return page_listing_key(language) if kind is StoryKind.PAGE else listing_key(language)


def sitemaps_key() -> str:
    return "sitemaps"


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """What the keys of one article depend on: its id, story, language and story kind."""

    id: int
    story_id: int
    language: str
    kind: StoryKind = StoryKind.ARTICLE


def _ordered(keys: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(keys))


async def article_surrogate_keys(
    session: AsyncSession, articles: Sequence[ArticleRef]
) -> dict[int, list[str]]:
    """The keys of each article (by article id): itself, its story, the authors credited on
    the story or on that version, the story's tags and its language's listings. Two
    statements, however many articles."""
    if not articles:
        return {}
    story_ids = {a.story_id for a in articles}
    article_ids = {a.id for a in articles}
    credit_rows = await session.execute(
        select(
            ContributorCredit.story_id, ContributorCredit.article_id, ContributorCredit.author_id
        )
        .where(
            or_(
                ContributorCredit.story_id.in_(story_ids),
                ContributorCredit.article_id.in_(article_ids),
            )
        )
        .order_by(ContributorCredit.position, ContributorCredit.id)
    )
    authors_by_story: dict[int, list[int]] = {}
    authors_by_article: dict[int, list[int]] = {}
    for story_id, article_id, author_id in credit_rows:
        if story_id is not None:
            authors_by_story.setdefault(story_id, []).append(author_id)
        elif article_id is not None:
            authors_by_article.setdefault(article_id, []).append(author_id)
    tag_rows = await session.execute(
        select(story_tags.c.story_id, story_tags.c.tag_id)
        .where(story_tags.c.story_id.in_(story_ids))
        .order_by(story_tags.c.position, story_tags.c.tag_id)
    )
    tags_by_story: dict[int, list[int]] = {}
    for story_id, tag_id in tag_rows:
        tags_by_story.setdefault(story_id, []).append(tag_id)

    return {
        a.id: _ordered(
            [
                article_key(a.id),
                story_key(a.story_id),
                *(author_key(i) for i in authors_by_story.get(a.story_id, [])),
                *(author_key(i) for i in authors_by_article.get(a.id, [])),
                *(tag_key(i) for i in tags_by_story.get(a.story_id, [])),
                listing_key_of(a.kind, a.language),
            ]
        )
        for a in articles
    }


def author_surrogate_keys(author_id: int) -> list[str]:
    """An author's keys: every response showing them carries ``author:<id>``; the sitemaps
    list every author."""
    return [author_key(author_id), sitemaps_key()]


def section_surrogate_keys(section_id: int) -> list[str]:
    """A section's keys: every response showing it carries ``section:<id>``, every response
    showing any section ``sections`` (lists and breadcrumbs change when one is added, moved or
    removed); the sitemaps list every section."""
    return [section_key(section_id), sections_key(), sitemaps_key()]
