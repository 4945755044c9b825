"""`RichText.document` through the real API on both stores: every demo body, bio and footnote
in every language (drafts too, and the figure with its media, whose asset id resolves)
validates against the JSON Schema and reads as its `text` and `html` do; asking for it costs
no SQL statement."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import migrations
from publishing.access import Role
from publishing.clock import SYSTEM_CLOCK
from publishing.demo import content
from publishing.demo.seed import seed_demo_content
from publishing.text import html_to_text
from tests.document.render import node_types, render, validate, words
from tests.media.conftest import storage_from
from tests.support.client import ApiClient, api_client
from tests.support.tokens import bearer, issue_token

FORMS = "markdown html text document"
EVERYTHING = f"""query($language: String!) {{
  articles(language: $language, first: 100) {{ edges {{ node {{
    slug
    body {{ {FORMS} }}
    footnotes {{ content {{ {FORMS} }} }}
    authors {{ slug bio(language: $language) {{ {FORMS} }} }}
  }} }} }}
  authors(first: 100) {{ edges {{ node {{ slug bio(language: $language) {{ {FORMS} }} }} }} }}
}}"""


@pytest.fixture
def media_demo_url(empty_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A private demo database with its media (the figure, cards, portraits)."""
    media_url = (tmp_path / "media").as_uri()
    migrations.upgrade(empty_url)
    storage = storage_from({"media_url": media_url}, empty_url)

    async def seed() -> None:
        try:
            await seed_demo_content(empty_url, now=SYSTEM_CLOCK.now(), storage=storage)
        finally:
            await storage.aclose()

    asyncio.run(seed())
    yield empty_url, media_url


def rich_texts(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """(where, rich text, whether it is an article body) for every rich text in a response."""
    for edge in data["articles"]["edges"]:
        article = edge["node"]
        yield f"{article['slug']} body", article["body"], True
        for number, footnote in enumerate(article["footnotes"], start=1):
            yield f"{article['slug']} footnote {number}", footnote["content"], False
        for author in article["authors"]:
            if author["bio"] is not None:
                yield f"{article['slug']} {author['slug']} bio", author["bio"], False
    for edge in data["authors"]["edges"]:
        if edge["node"]["bio"] is not None:
            yield f"{edge['node']['slug']} bio", edge["node"]["bio"], False


def check(where: str, rich: dict[str, Any], *, body: bool) -> set[str]:
    tree = rich["document"]
    validate(tree)
    rendered = words(html_to_text(render(tree)))
    assert rendered == words(html_to_text(rich["html"])), where
    # `text` is the body without its footnote markers.
    assert words(html_to_text(render(tree, markers=False))) == words(rich["text"]), where
    if not body:
        assert rendered == words(rich["text"]), where
    return node_types(tree)


async def test_every_demo_text_in_every_language_validates_and_reads_the_same(
    media_demo_url: tuple[str, str],
) -> None:
    url, media_url = media_demo_url
    token = await issue_token(url, Role.EDITOR)
    seen: set[str] = set()
    counted = 0
    async with api_client(url, media_url=media_url) as api:
        for language in content.LANGUAGES:
            data = await api.data(EVERYTHING, {"language": language}, headers=bearer(token))
            slugs = {e["node"]["slug"] for e in data["articles"]["edges"]}
            demo = {v.slug for s in content.STORIES for v in s.versions if v.language == language}
            assert slugs == demo, language  # drafts and archived versions too
            for where, rich, body in rich_texts(data):
                seen |= check(f"{language}: {where}", rich, body=body)
                counted += 1
        assert counted > 3 * len(content.STORIES)
        # The demo has figures, footnotes, lists, links... so the comparisons above meant
        # something.
        assert {"figure", "footnote_reference", "list", "link", "heading"} <= seen, seen
        await figure_resolves(api)
        # With figures, whose media the body reads through loaders, as without.
        await statements(api, "markdown")
        html = await statements(api, "html")
        assert await statements(api, "document") == html


async def figure_resolves(api: ApiClient) -> None:
    """The figure's asset id is the image's global id: `node(id:)` gives the image."""
    data = await api.data(
        '{ article(language: "en", slug: "drought-on-the-anatolian-plateau") {'
        " body { html document } } }"
    )
    body = data["article"]["body"]
    figures = [n for n in body["document"]["children"] if n["type"] == "figure"]
    assert len(figures) == 1
    figure = figures[0]
    assert figure["rendition"]["src"] in body["html"]
    node = await api.data(
        "query($id: ID!) { node(id: $id) { ... on Image { id alt width height } } }",
        {"id": figure["assetId"]},
    )
    assert node["node"]["id"] == figure["assetId"]
    assert figure["alt"] and figure["rendition"]["width"] <= node["node"]["width"]


LISTING = """query {
  articles(language: "en", first: 20) { edges { node {
    body { %s } footnotes { content { %s } } authors { bio { %s } }
  } } }
}"""


async def statements(client: ApiClient, forms: str) -> int:
    # Each form is a query of its own, asked once: a repeated query may be answered from cache.
    client.counter.reset()
    await client.data(LISTING % (forms, forms, forms))
    return client.counter.count


async def test_asking_for_the_document_adds_no_statement(client: ApiClient) -> None:
    await statements(client, "markdown")  # what a first request reads once (languages...)
    html = await statements(client, "html")
    assert html > 0
    assert await statements(client, "document") == html
    assert await statements(client, "html text document") == html
