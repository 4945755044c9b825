"""The sitemaps validate against the sitemaps.org schemas (index and urlset), with Google's
image and news extensions and XHTML's ``link`` for alternates (see tests.sitemaps.schemas)."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from publishing.access import Role
from tests.api.test_cli import run
from tests.sitemaps.schemas import Schemas, SchemasUnavailable, load
from tests.sitemaps.support import CREATE, NS, PUBLISH, data, fetch, index_locs, path_of
from tests.support.client import api_client
from tests.support.clock import clocked_client
from tests.support.tokens import bearer, issue_token


@pytest.fixture(scope="module")
def schemas() -> Schemas:
    try:
        return load()
    except SchemasUnavailable as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the sitemap schemas could not be had: {error}")
        pytest.skip(f"the sitemap schemas could not be had: {error}")


def test_the_schemas_refuse_what_breaks_the_protocol(schemas: Schemas) -> None:
    head = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml" '
        'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
    )
    good = head + "<url><loc>https://example.org/en/a</loc></url></urlset>"
    assert schemas.urlset.is_valid(good)
    for body in (
        "<url><lastmod>2024-01-01</lastmod></url>",  # no loc
        "<url><loc>https://example.org/a</loc><lastmod>yesterday</lastmod></url>",
        "<url><loc>https://example.org/a</loc><image:image><image:title>t</image:title>"
        "</image:image></url>",  # an image without its loc
        "<url><loc>https://example.org/a</loc><image:picture/></url>",  # no such element
        '<url><loc>https://example.org/a</loc><xhtml:link rel="alternate" lang="en" '
        'href="https://example.org/b" bogus="1"/></url>',
    ):
        assert not schemas.urlset.is_valid(head + body + "</urlset>"), body


async def test_the_index_every_file_and_the_news_sitemap_validate(
    schemas: Schemas, fresh_demo_url: str
) -> None:
    async with clocked_client(fresh_demo_url, sitemap_max_urls=7) as (api, _clock):
        # Something published now, so the news sitemap lists an article.
        editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
        title = 'Prices & "pipelines" <b>now</b>'
        created = data(
            await api.query(
                CREATE,
                {"input": {"language": "ru", "slug": "segodnya", "title": title}},
                headers=editor,
            ),
            "createArticle",
        )
        await api.query(PUBLISH, {"input": {"id": created["article"]["id"]}}, headers=editor)

        index = await fetch(api, "/sitemap.xml")
        schemas.index.validate(index.text)
        root = ET.fromstring(index.content)
        for lastmod in root.findall("s:sitemap/s:lastmod", NS):
            assert schemas.valid_lastmod(lastmod.text or ""), lastmod.text
        locs = index_locs(index.content)
        assert any(loc.endswith("/news.xml") for loc in locs)
        assert len(locs) > 4  # split at 7 URLs: several files per language
        for loc in locs:
            response = await fetch(api, path_of(loc))
            schemas.urlset.validate(response.text)
        news = await fetch(api, "/sitemaps/news.xml")
        assert "segodnya" in news.text


async def test_image_entries_validate(schemas: Schemas, empty_url: str, tmp_path: Path) -> None:
    media_url = (tmp_path / "media").as_uri()
    assert run("migrate", "--database-url", empty_url).returncode == 0
    seeded = run("seed-demo", "--database-url", empty_url, PRESSROOM_MEDIA_URL=media_url)
    assert seeded.returncode == 0, seeded.stderr
    async with api_client(empty_url, media_url=media_url) as api:
        english = await fetch(api, "/sitemaps/en-1.xml")
        assert "<image:image>" in english.text
        schemas.urlset.validate(english.text)
