"""The task listing costs the same statements for a page of 2 as for a page of 20."""

from __future__ import annotations

from sqlalchemy import select

from publishing.access import SYSTEM, Role
from publishing.articles.models import Article, Story
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine, create_sessionmaker
from publishing.translations.tasks.editing import Assignee, NewTask, create_task
from tests.support.client import api_client
from tests.support.tokens import bearer, issue_token

LISTING = """query($first: Int!) {
  translationTasks(first: $first) {
    totalCount
    edges { node {
      id status dueOn isOverdue staleSegmentCount
      language { code nativeName } assignee { token name email }
      original { title slug language { code } }
      translation { title translationStatus { isOutdated } }
    } }
  } }"""


async def _assign_everything(url: str) -> int:
    """A task for every demo story in every language it was not written in."""
    engine = create_engine(url)
    created = 0
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            originals = await session.execute(
                select(Article.id, Story.original_language, Story.kind)
                .join(Story, Story.id == Article.story_id)
                .where(Article.language == Story.original_language)
                .order_by(Article.id)
            )
            for article_id, language, kind in list(originals):
                for target in ("en", "tr", "ru"):
                    if target == language:
                        continue
                    data = NewTask(article_id, target, Assignee(token="translator"), kind=kind)
                    await create_task(session, SYSTEM, data, now=SYSTEM_CLOCK.now())
                    created += 1
    finally:
        await engine.dispose()
    return created


async def test_listing_statements_do_not_grow_with_the_page(fresh_demo_url: str) -> None:
    translator = bearer(await issue_token(fresh_demo_url, Role.CONTRIBUTOR, "translator"))
    assert await _assign_everything(fresh_demo_url) >= 20
    async with api_client(fresh_demo_url, response_cache=False) as api:
        counts = {}
        for first in (2, 20):
            api.counter.reset()
            data = await api.data(LISTING, {"first": first}, headers=translator)
            edges = data["translationTasks"]["edges"]
            assert len(edges) == first
            assert all(e["node"]["original"]["title"] for e in edges)
            assert any(e["node"]["translation"] for e in edges)
            assert any(e["node"]["staleSegmentCount"] is not None for e in edges)
            counts[first] = api.counter.count
        assert counts[2] == counts[20], counts
