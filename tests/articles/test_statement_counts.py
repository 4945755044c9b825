"""Statements per request stay the same as page sizes grow (no N+1 anywhere in a listing)."""

from __future__ import annotations

import asyncio
import secrets

import pytest
from sqlalchemy import event, select

from publishing.access import SYSTEM
from publishing.articles.editing import (
    CreditData,
    FootnoteData,
    NewArticle,
    NewTranslation,
    SourceData,
    create_article,
    create_translation,
    publish_article,
)
from publishing.articles.models import CreditRole
from publishing.authors.models import Author
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine, create_sessionmaker
from publishing.media.models import (
    ArticleAttachment,
    ArticleFeaturedImage,
    AuthorAvatar,
    MediaAsset,
    MediaKind,
    MediaText,
)
from publishing.tags.models import Tag
from tests.support.client import api_client

LISTING = """
query($first: Int!) {
  articles(language: "en", first: $first) {
    totalCount
    edges { node {
      title slug publishedAt readingTimeMinutes
      body { html }
      authors { name bio { html } avatar { url(width: 96, height: 96) alt } }
      credits { role author { slug } }
      tags { slug name }
      translations { slug language { code nativeName } }
      translationStatus { isOutdated }
      footnotes { number label citation source { title url } }
      featuredImage { url(width: 400, height: 300) srcset(widths: [320, 640]) alt }
      attachments { url }
    } }
  }
}
"""


async def add_articles(url: str, count: int) -> None:
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    now = SYSTEM_CLOCK.now()
    try:
        async with sessionmaker() as session, session.begin():
            authors = list(await session.scalars(select(Author.id).order_by(Author.id)))
            tags = list(await session.scalars(select(Tag.id).order_by(Tag.id)))
            for i in range(count):
                source = SourceData(f"Report {i % 7}", "Publisher", f"https://example.org/{i % 7}")
                article = await create_article(
                    session,
                    SYSTEM,
                    NewArticle(
                        language="en",
                        slug=f"generated-{i}",
                        title=f"Generated analysis {i}",
                        body=f"Claim one.[^a] Claim two.[^b] Again.[^a] Number {i}.",
                        footnotes=[
                            FootnoteData("b", "Second note.", source),
                            FootnoteData("a", "First note.", source),
                        ],
                        credits=[
                            CreditData(authors[i % len(authors)]),
                            CreditData(authors[(i + 1) % len(authors)], CreditRole.EDITOR),
                        ],
                        tag_ids=[tags[i % len(tags)], tags[(i + 3) % len(tags)]],
                    ),
                    now=now,
                )
                await publish_article(session, SYSTEM, article.id, now=now)
                image = _asset(f"featured-{i}.jpg", now)
                report = _asset(f"report-{i}.pdf", now, kind=MediaKind.DOCUMENT)
                session.add_all([image, report])
                await session.flush()
                session.add_all(
                    [
                        ArticleFeaturedImage(article_id=article.id, asset_id=image.id),
                        ArticleAttachment(article_id=article.id, asset_id=report.id, position=0),
                        MediaText(asset_id=image.id, language="en", alt=f"Picture {i}"),
                    ]
                )
                if i % 2:
                    translation = await create_translation(
                        session,
                        SYSTEM,
                        NewTranslation(
                            original_id=article.id,
                            language="tr",
                            slug=f"uretilmis-{i}",
                            title=f"Üretilmiş analiz {i}",
                            body="İddia.[^a] İkinci.[^b]",
                            footnotes=[FootnoteData("a", "Bir."), FootnoteData("b", "İki.")],
                            credits=[CreditData(authors[-1], CreditRole.TRANSLATOR)],
                        ),
                        now=now,
                    )
                    await publish_article(session, SYSTEM, translation.id, now=now)
            for author_id in authors:
                portrait = _asset(f"portrait-{author_id}.jpg", now)
                session.add(portrait)
                await session.flush()
                session.add(AuthorAvatar(author_id=author_id, asset_id=portrait.id))
    finally:
        await engine.dispose()


def _asset(name: str, now: object, kind: MediaKind = MediaKind.IMAGE) -> MediaAsset:
    """An asset's row (URLs and srcset need no file: they are made from the row alone)."""
    image = kind is MediaKind.IMAGE
    return MediaAsset(
        key=secrets.token_hex(8),
        kind=kind,
        file_name=name,
        media_type="image/jpeg" if image else "application/pdf",
        byte_size=1000,
        content_hash=secrets.token_hex(32),
        width=1200 if image else None,
        height=800 if image else None,
        uploaded_by="system",
        created_at=now,
        updated_at=now,
    )


@pytest.fixture
def crowded_url(fresh_demo_url: str) -> str:
    asyncio.run(add_articles(fresh_demo_url, 110))
    return fresh_demo_url


async def test_listing_of_100_costs_what_a_listing_of_10_does(crowded_url: str) -> None:
    async with api_client(crowded_url) as client:
        # A listing of 100 is heavy: it executes through the heavy executor's engine.
        engines = {client.state["engine"], client.state["heavy_executor"].engine}
        pools = [engine.sync_engine.pool for engine in engines]
        checkouts: list[object] = []
        for pool in pools:
            event.listen(pool, "checkout", lambda *_: checkouts.append(None))
        counts = {}
        # The first request reads the media signing key, which the process then keeps.
        await client.data(LISTING, {"first": 1})
        for first in (10, 100):
            client.counter.reset()
            checkouts.clear()
            data = await client.data(LISTING, {"first": first})
            assert len(data["articles"]["edges"]) == first
            counts[first] = (client.counter.count, len(checkouts))
            # Every connection the request took went back to the pool with the answer.
            assert all(pool.checkedout() == 0 for pool in pools)
    assert counts[10] == counts[100], counts
    statements, connections = counts[100]
    # languages, listing, count, credits, tags, versions, footnotes, bios, featured images,
    # attachments, avatars, and media texts twice (featured images' and, a level deeper,
    # portraits')
    assert statements <= 13
    # The loaders share the request's read session rather than a connection each.
    assert connections < statements, counts
