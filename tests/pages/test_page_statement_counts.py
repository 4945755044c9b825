"""A page listing of 50 costs the statements a listing of 10 does."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from publishing.access import SYSTEM
from publishing.articles.editing import (
    CreditData,
    FootnoteData,
    NewArticle,
    NewTranslation,
    create_article,
    create_translation,
    publish_article,
)
from publishing.articles.models import CreditRole, StoryKind
from publishing.authors.models import Author
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine, create_sessionmaker
from tests.support.client import api_client

LISTING = """
query($first: Int!) {
  pages(language: "en", first: $first) {
    totalCount
    edges { node {
      id title slug subtitle excerpt status version updatedAt
      body { html }
      footnotes { number label content { html } }
      credits { role author { slug name } }
      translations { slug language { code nativeName } }
      translationStatus { isOutdated }
      featuredImage { alt }
      attachments { url }
    } }
  }
}
"""


async def add_pages(url: str, count: int) -> None:
    engine = create_engine(url)
    now = SYSTEM_CLOCK.now()
    page = StoryKind.PAGE
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            authors = list(await session.scalars(select(Author.id).order_by(Author.id)))
            for i in range(count):
                made = await create_article(
                    session,
                    SYSTEM,
                    NewArticle(
                        language="en",
                        slug=f"generated-page-{i}",
                        title=f"Generated page {i:03}",
                        body=f"Text.[^a] More.[^b] Page {i}.",
                        footnotes=[FootnoteData("a", "One."), FootnoteData("b", "Two.")],
                        credits=[CreditData(authors[i % len(authors)], CreditRole.EDITOR)],
                    ),
                    now=now,
                    kind=page,
                )
                await publish_article(session, SYSTEM, made.id, now=now, kind=page)
                translation = await create_translation(
                    session,
                    SYSTEM,
                    NewTranslation(
                        original_id=made.id,
                        language="tr",
                        slug=f"uretilmis-sayfa-{i}",
                        title=f"Sayfa {i}",
                        body="Metin.[^a] Daha.[^b]",
                        footnotes=[FootnoteData("a", "Bir."), FootnoteData("b", "İki.")],
                    ),
                    now=now,
                    kind=page,
                )
                await publish_article(session, SYSTEM, translation.id, now=now, kind=page)
    finally:
        await engine.dispose()


@pytest.fixture
def many_pages_url(fresh_demo_url: str) -> str:
    asyncio.run(add_pages(fresh_demo_url, 55))
    return fresh_demo_url


async def test_a_page_listing_of_50_costs_what_a_listing_of_10_does(many_pages_url: str) -> None:
    async with api_client(many_pages_url) as client:
        await client.data(LISTING, {"first": 1})
        counts = {}
        for first in (10, 50):
            client.counter.reset()
            data = await client.data(LISTING, {"first": first})
            assert len(data["pages"]["edges"]) == first
            assert data["pages"]["totalCount"] == 58
            counts[first] = client.counter.count
    assert counts[10] == counts[50], counts
    # languages, listing, count, credits, versions, footnotes, featured images, attachments
    assert counts[50] <= 9, counts
