"""The kind of story an article row belongs to, for code that holds the row but maybe not its
story (a follow-up of a write, a dispatcher's due publication)."""

from __future__ import annotations

from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles.models import Article, Story, StoryKind


async def kind_of(session: AsyncSession, article: Article) -> StoryKind:
    """The kind of ``article``'s story: read from the story when it is loaded (every editing
    path loads it), else with one statement."""
    if "story" not in inspect(article).unloaded:
        return article.story.kind
    kind = await session.scalar(select(Story.kind).where(Story.id == article.story_id))
    return kind if kind is not None else StoryKind.ARTICLE
