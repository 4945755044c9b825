"""Sitemaps: an index of per-language files listing every public URL with its alternates,
lastmod and featured image; split at the limit; a news sitemap of the last 48 hours; never a
draft, scheduled or archived article; every value escaped."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from publishing.access import Role
from publishing.articles.models import Article, ArticleStatus, Story, StoryKind
from publishing.authors.models import Author
from publishing.clock import SYSTEM_CLOCK
from publishing.sections.models import SectionTranslation
from publishing.tags.models import Tag, TagName
from tests.api.test_cli import run
from tests.sitemaps.support import (
    CREATE,
    NS,
    PUBLISH,
    SITE,
    Url,
    article_url,
    crawl,
    data,
    fetch,
    hidden_articles,
    index_locs,
    page_url,
    path_of,
    publish_now,
    update_site,
    urls,
    visible_articles,
)
from tests.support.client import ApiClient, api_client
from tests.support.clock import clocked_client
from tests.support.lookup import global_id, rows
from tests.support.tokens import bearer, issue_token

LANGUAGES = ("en", "tr", "ru")


def every_url(files: dict[str, list[Url]]) -> list[Url]:
    return [url for listed in files.values() for url in listed]


async def test_the_index_lists_one_file_per_language(client: ApiClient) -> None:
    response = await fetch(client, "/sitemap.xml")
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    locs = index_locs(response.content)
    assert [loc for loc in locs if "/news" not in loc] == [
        f"http://pressroom.test/sitemaps/{language}-1.xml" for language in LANGUAGES
    ]
    root = ET.fromstring(response.content)
    assert all(s.findtext("s:lastmod", None, NS) for s in root.findall("s:sitemap", NS))


async def test_every_visible_article_page_section_author_and_tag_is_listed_nothing_hidden(
    client: ApiClient, demo_url: str
) -> None:
    files = await crawl(client)
    listed = [url.loc for url in every_url(files)]
    assert len(listed) == len(set(listed))  # each URL once
    now = SYSTEM_CLOCK.now()
    visible = await visible_articles(demo_url, now)
    hidden = await hidden_articles(demo_url, now)
    assert hidden  # the demo has drafts and an archived article
    articles = {loc for loc in listed if "/articles/" in loc}
    assert articles == {article_url(language, slug) for language, slug in visible}
    assert not {article_url(language, slug) for language, slug in hidden} & set(listed)
    # Each language's file holds that language's URLs.
    for path, entries in files.items():
        language = path.removeprefix("/sitemaps/").split("-")[0]
        assert all(url.loc.startswith(f"{SITE}/{language}/") for url in entries)
    # Pages at the page pattern's URLs, never in the articles' place (drafts: see
    # test_pages_and_sections_reach_the_sitemaps).
    pages = await visible_articles(demo_url, now, StoryKind.PAGE)
    assert pages
    assert {page_url(language, slug) for language, slug in pages} <= set(listed)
    assert not {article_url(language, slug) for language, slug in pages} & set(listed)
    # Every section in each language it is translated into.
    translated = await rows(demo_url, select(SectionTranslation.language, SectionTranslation.slug))
    assert {f"{SITE}/{lang}/sections/{slug}" for lang, slug in translated} == {
        loc for loc in listed if "/sections/" in loc
    }
    authors = [slug for (slug,) in await rows(demo_url, select(Author.slug))]
    assert {f"{SITE}/{lang}/authors/{slug}" for lang in LANGUAGES for slug in authors} <= set(
        listed
    )
    named = await rows(demo_url, select(Tag.slug, TagName.language).join(TagName))
    assert {f"{SITE}/{lang}/tags/{slug}" for slug, lang in named} == {
        loc for loc in listed if "/tags/" in loc
    }


async def test_alternates_name_each_visible_version_and_an_x_default(
    client: ApiClient, demo_url: str
) -> None:
    files = await crawl(client)
    versions: dict[int, dict[str, str]] = defaultdict(dict)
    originals: dict[int, str] = {}
    for story_id, language, slug, original in await rows(
        demo_url,
        select(Article.story_id, Article.language, Article.slug, Story.original_language)
        .join(Story)
        .where(
            Story.kind == StoryKind.ARTICLE,
            Article.status == ArticleStatus.PUBLISHED,
            Article.published_at <= SYSTEM_CLOCK.now(),
        ),
    ):
        versions[story_id][language] = article_url(language, slug)
        originals[story_id] = original
    by_url = {url.loc: url for url in every_url(files)}
    translated = 0
    for story_id, story_versions in versions.items():
        expected_default = story_versions.get(originals[story_id]) or story_versions.get("en")
        for href in story_versions.values():
            entry = by_url[href]
            assert entry.alternates == {**story_versions, "x-default": expected_default}
            assert entry.lastmod is not None
        translated += len(story_versions) > 1
    assert translated >= 3
    # The gas hub story in all three languages, its English original the x-default.
    gas_hub = by_url[article_url("en", "turkiyes-gas-hub-ambition")]
    assert set(gas_hub.alternates) == {"en", "tr", "ru", "x-default"}
    assert gas_hub.alternates["x-default"] == gas_hub.loc
    # Authors have a page per language, the default language's the x-default.
    author = next(url for url in by_url.values() if "/en/authors/" in url.loc)
    assert set(author.alternates) == {"en", "tr", "ru", "x-default"}
    assert author.alternates["x-default"] == author.loc


async def test_featured_images_are_listed_as_signed_renditions_that_serve(
    empty_url: str, tmp_path: Path
) -> None:
    media_url = (tmp_path / "media").as_uri()
    assert run("migrate", "--database-url", empty_url).returncode == 0
    seeded = run("seed-demo", "--database-url", empty_url, PRESSROOM_MEDIA_URL=media_url)
    assert seeded.returncode == 0, seeded.stderr
    async with api_client(empty_url, media_url=media_url) as api:
        files = await crawl(api)
        articles = [url for url in every_url(files) if "/articles/" in url.loc]
        # The demo gives every story a card.
        assert articles and all(len(url.images) == 1 for url in articles)
        images = [url.images[0] for url in articles]
        assert all(image.startswith("http://pressroom.test/media/") for image in images)
        assert all(image.endswith(".jpg") for image in images)
        served = await api.http.get(path_of(images[0]))
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/jpeg"
        # Signed: the same path with another size is refused.
        forged = path_of(images[0]).replace("1200x", "1300x")
        assert (await api.http.get(forged)).status_code == 403


async def test_files_split_at_the_limit(demo_url: str) -> None:
    async with api_client(demo_url) as api:
        whole = await crawl(api)
    async with api_client(demo_url, sitemap_max_urls=4) as api:
        split = await crawl(api)
        for language in LANGUAGES:
            parts = sorted(
                (p for p in split if p.startswith(f"/sitemaps/{language}-")),
                key=lambda p: int(p.rsplit("-", 1)[1].removesuffix(".xml")),
            )
            assert len(parts) > 1
            assert all(len(split[p]) <= 4 for p in parts[:-1]) and split[parts[0]]
            assert all(len(split[p]) == 4 for p in parts[:-1])
            joined = [url.loc for p in parts for url in split[p]]
            assert joined == [url.loc for url in whole[f"/sitemaps/{language}-1.xml"]]
            past_the_end = await api.http.get(f"/sitemaps/{language}-{len(parts) + 1}.xml")
            assert past_the_end.status_code == 404
    async with api_client(demo_url) as api:
        for name in ("de-1.xml", "en-0.xml", "en.xml", "en-1.json", "..-1.xml"):
            assert (await api.http.get(f"/sitemaps/{name}")).status_code == 404, name


async def test_news_lists_the_last_48_hours_and_escapes_every_title(fresh_demo_url: str) -> None:
    title = 'Gas & "hubs" </news:title><news:title>forged</news:title> <![CDATA[x]]> \x0b\x1fend'
    async with clocked_client(fresh_demo_url) as (api, clock):
        admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
        # The publication is the site's name.
        await update_site(api, admin, name="Think & <Tank>")
        await publish_now(api, admin, "en", "breaking-gas", title)

        news = await fetch(api, "/sitemaps/news.xml")
        root = ET.fromstring(news.content)
        entries = root.findall("s:url", NS)
        locs = [e.findtext("s:loc", "", NS) for e in entries]
        assert article_url("en", "breaking-gas") in locs
        entry = entries[locs.index(article_url("en", "breaking-gas"))]
        assert entry.findtext("news:news/news:title", None, NS) == title.replace(
            "\x0b", ""
        ).replace("\x1f", "")
        assert len(entry.findall("news:news/news:title", NS)) == 1
        assert entry.findtext("news:news/news:publication/news:name", None, NS) == (
            "Think & <Tank>"
        )
        assert entry.findtext("news:news/news:publication/news:language", None, NS) == "en"
        # Only the last 48 hours: the demo's older articles are not in it.
        assert article_url("en", "turkiyes-gas-hub-ambition") not in locs
        assert "http://pressroom.test/sitemaps/news.xml" in index_locs(
            (await fetch(api, "/sitemap.xml")).content
        )
        clock.advance(dt.timedelta(hours=49))
        later = await api.http.get("/sitemaps/news.xml")
        assert "breaking-gas" not in later.text


async def test_no_news_is_no_news_sitemap(fresh_demo_url: str) -> None:
    """A <urlset> without a <url> breaks the schema: with nothing published in the last 48
    hours the news sitemap is a 404 and the index leaves it out, until an article comes."""
    async with clocked_client(fresh_demo_url) as (api, _clock):
        for method in ("GET", "HEAD"):
            missing = await api.http.request(method, "/sitemaps/news.xml")
            assert missing.status_code == 404
            assert "etag" not in missing.headers and "last-modified" not in missing.headers
            assert "articles:en" in missing.headers["surrogate-key"].split()
        assert missing.headers["x-pressroom-cache"] == "hit"  # the answer is kept like others
        body = (await api.http.get("/sitemaps/news.xml")).text
        assert body == "No article was published in the last 48 hours, so there is no news sitemap."
        index = await fetch(api, "/sitemap.xml")
        assert not [loc for loc in index_locs(index.content) if loc.endswith("/news.xml")]

        editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
        await publish_now(api, editor, "tr", "son-dakika", "Son dakika")
        news = await fetch(api, "/sitemaps/news.xml")
        assert news.status_code == 200 and "son-dakika" in news.text
        again = await fetch(api, "/sitemap.xml", **{"If-None-Match": index.headers["etag"]})
        assert again.status_code == 200
        assert "http://pressroom.test/sitemaps/news.xml" in index_locs(again.content)


async def test_a_scheduled_article_appears_when_its_time_comes(fresh_demo_url: str) -> None:
    async with clocked_client(fresh_demo_url) as (api, clock):
        editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
        created = data(
            await api.query(
                CREATE,
                {"input": {"language": "tr", "slug": "yarin", "title": "Yarın"}},
                headers=editor,
            ),
            "createArticle",
        )
        at = (clock.now() + dt.timedelta(hours=1)).isoformat()
        scheduled = data(
            await api.query(
                PUBLISH,
                {"input": {"id": created["article"]["id"], "publishAt": at}},
                headers=editor,
            ),
            "publishArticle",
        )
        assert scheduled["__typename"] == "ArticleStatusSuccess"
        before = await fetch(api, "/sitemaps/tr-1.xml")
        assert article_url("tr", "yarin") not in {u.loc for u in urls(before.content)}
        assert (await api.http.get("/sitemaps/news.xml")).status_code == 404  # no news yet
        clock.advance(dt.timedelta(hours=2))
        after = await fetch(api, "/sitemaps/tr-1.xml", **{"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200
        assert article_url("tr", "yarin") in {u.loc for u in urls(after.content)}
        assert "yarin" in (await fetch(api, "/sitemaps/news.xml")).text


async def test_conditional_gets_and_surrogate_keys(client: ApiClient) -> None:
    for path in ("/sitemap.xml", "/sitemaps/en-1.xml"):
        first = await fetch(client, path)
        keys = set(first.headers["surrogate-key"].split())
        assert {"articles:en", "articles:tr", "articles:ru", "sitemaps"} <= keys
        assert first.headers["cache-control"].startswith("public, max-age=")
        etag = first.headers["etag"]
        client.counter.reset()
        again = await fetch(client, path, **{"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        # Only the change log was asked: no content was read to say "not modified".
        assert all("content_changes" in s for s in client.counter.statements), path
        since = first.headers["last-modified"]
        assert (await fetch(client, path, **{"If-Modified-Since": since})).status_code == 304
        stale = await fetch(client, path, **{"If-None-Match": '"something-else"'})
        assert stale.status_code == 200 and stale.content == first.content
    second = await fetch(client, "/sitemap.xml")
    assert second.headers["x-pressroom-cache"] == "hit"


UPDATE_AUTHOR = """mutation($input: UpdateAuthorInput!) { updateAuthor(input: $input) {
  __typename } }"""


async def test_a_write_changes_what_the_sitemaps_answer(fresh_demo_url: str) -> None:
    async with api_client(fresh_demo_url) as api:
        index = await fetch(api, "/sitemap.xml")
        english = await fetch(api, "/sitemaps/en-1.xml")
        author_id, slug = (await rows(fresh_demo_url, select(Author.id, Author.slug)))[0]
        admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
        result = data(
            await api.query(
                UPDATE_AUTHOR,
                {"input": {"id": global_id("Author", author_id), "slug": "renamed-author"}},
                headers=admin,
            ),
            "updateAuthor",
        )
        assert result["__typename"] == "UpdateAuthorSuccess"
        fresh = await fetch(api, "/sitemaps/en-1.xml", **{"If-None-Match": english.headers["etag"]})
        assert fresh.status_code == 200
        locs = {u.loc for u in urls(fresh.content)}
        assert f"{SITE}/en/authors/renamed-author" in locs
        assert f"{SITE}/en/authors/{slug}" not in locs
        again = await fetch(api, "/sitemap.xml", **{"If-None-Match": index.headers["etag"]})
        assert again.status_code == 200 and again.headers["x-pressroom-cache"] == "miss"
