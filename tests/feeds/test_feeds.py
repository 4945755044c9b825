"""Feeds through the real app, on both databases: what they list, how they parse, how they are
cached and dropped, and how they answer what is not there."""

from __future__ import annotations

import base64
import datetime as dt
from email.utils import format_datetime
from typing import Any

import pytest

from publishing.access import Role
from tests.feeds.validation import json_feed, parsed
from tests.media.files import jpeg
from tests.media.test_media_mutations import Newsroom
from tests.support.client import ApiClient, api_client
from tests.support.clock import clocked_client
from tests.support.tokens import bearer, issue_token

FORMATS = ("rss.xml", "atom.xml", "feed.json")
SCOPES = ("/feeds/en", "/feeds/tr", "/feeds/en/authors/hannah-mercer", "/feeds/en/tags/economics")
HIDDEN = {"budushchee-yadernogo-kontrolya", "when-the-network-slows-down", "iran-after-snapback"}
LISTING = """query($language: String!, $author: String, $tag: String) {
  articles(language: $language, first: 50, filter: {authorSlug: $author, tagSlug: $tag}) {
    edges { node { slug title url authors { name url } tags { name } } }
  }
}"""
CREATE = """mutation($input: CreateArticleInput!) { createArticle(input: $input) {
  __typename ... on ValidationError { issues { path code } }
  ... on CreateArticleSuccess { article { id version } } } }"""
PUBLISH = """mutation($input: PublishArticleInput!) { publishArticle(input: $input) {
  __typename ... on ArticleStatusSuccess { article { version } } } }"""
ARCHIVE = """mutation($input: ArticleStatusInput!) { archiveArticle(input: $input) {
  __typename ... on ArticleStatusSuccess { article { version } } } }"""


def titles_and_links(path: str, body: bytes) -> list[tuple[str, str]]:
    if path.endswith(".json"):
        return [(item["title"], item["url"]) for item in json_feed(body)["items"]]
    return [(entry.title, entry.link) for entry in parsed(body).entries]


def variables(scope: str) -> dict[str, Any]:
    parts = scope.split("/")
    return {
        "language": parts[2],
        "author": parts[4] if len(parts) > 4 and parts[3] == "authors" else None,
        "tag": parts[4] if len(parts) > 4 and parts[3] == "tags" else None,
    }


@pytest.mark.parametrize("scope", SCOPES)
async def test_feeds_list_what_the_listing_lists(client: ApiClient, scope: str) -> None:
    listing = await client.data(LISTING, variables(scope))
    expected = [edge["node"] for edge in listing["articles"]["edges"]]
    assert expected, "the demo has articles in every scope tested"
    for name in FORMATS:
        response = await client.http.get(f"{scope}/{name}")
        assert response.status_code == 200, response.text
        listed = titles_and_links(name, response.content)
        assert [title for title, _ in listed] == [node["title"] for node in expected]
        # Items link where the API says the article lives (the site's URL and permalink).
        assert [link for _, link in listed] == [node["url"] for node in expected]
        assert not any(link.rsplit("/", 1)[1] in HIDDEN for _, link in listed)


async def test_each_format_says_who_wrote_what_and_where_it_lives(client: ApiClient) -> None:
    listing = await client.data(LISTING, variables("/feeds/en"))
    first = listing["articles"]["edges"][0]["node"]
    rss = parsed((await client.http.get("/feeds/en/rss.xml")).content)
    assert rss.feed.language == "en"
    assert rss.feed.link == "http://localhost:3000/en/"
    assert rss.feed.links[-1].href == "http://pressroom.test/feeds/en/rss.xml"  # atom:link self
    assert rss.entries[0].author == first["authors"][0]["name"]
    assert [tag.term for tag in rss.entries[0].tags] == [tag["name"] for tag in first["tags"]]
    atom = parsed((await client.http.get("/feeds/en/atom.xml")).content)
    assert atom.version == "atom10"
    assert {link.rel: link.href for link in atom.feed.links}["self"] == (
        "http://pressroom.test/feeds/en/atom.xml"
    )
    assert atom.entries[0].id.startswith("tag:localhost,")
    assert atom.entries[0].authors[0].href == first["authors"][0]["url"]
    feed = json_feed((await client.http.get("/feeds/en/feed.json")).content)
    assert feed["feed_url"] == "http://pressroom.test/feeds/en/feed.json"
    assert feed["items"][0]["id"] == atom.entries[0].id
    assert feed["items"][0]["authors"][0]["name"] == first["authors"][0]["name"]
    # Titles per language: the Turkish tag feed names its tag in Turkish.
    tr_tag = parsed((await client.http.get("/feeds/tr/tags/economics/atom.xml")).content)
    assert tr_tag.feed.title.startswith("Ekonomi")


async def test_what_is_not_there_is_404_and_a_language_is_canonical(client: ApiClient) -> None:
    for path in (
        "/feeds/xx/rss.xml",
        "/feeds/en/feed.xml",
        "/feeds/en/authors/nobody/atom.xml",
        "/feeds/en/tags/no-such-tag/feed.json",
        "/feeds/en/sections/x/rss.xml",
        "/feeds/%00/rss.xml",
        "/feeds/en/tags/%00/rss.xml",
        "/feeds/en/authors/a%00b/atom.xml",
        "/feeds/en/authors/Hannah-Mercer/atom.xml",
        "/feeds/en/tags/" + "a" * 5000 + "/feed.json",
        "/feeds/en/tags/%F0%9F%98%80/rss.xml",
    ):
        response = await client.http.get(path)
        assert response.status_code == 404, path
    response = await client.http.get("/feeds/EN/authors/hannah-mercer/rss.xml")
    assert response.status_code == 301
    assert response.headers["location"] == "/feeds/en/authors/hannah-mercer/rss.xml"


async def test_conditional_get_and_the_response_cache(client: ApiClient) -> None:
    first = await client.http.get("/feeds/en/atom.xml")
    assert first.headers["cache-control"].startswith("public, max-age=")
    keys = set(first.headers["surrogate-key"].split())
    assert "articles:en" in keys
    assert any(k.startswith("article:") for k in keys)
    assert any(k.startswith("author:") for k in keys)
    assert any(k.startswith("tag:") for k in keys)
    client.counter.reset()
    again = await client.http.get("/feeds/en/atom.xml")
    assert again.headers["x-pressroom-cache"] == "hit"
    assert client.counter.count == 0  # the content's engine is not touched on a hit
    assert again.content == first.content
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert again.headers["etag"] == etag and again.headers["last-modified"] == modified

    same = await client.http.get("/feeds/en/atom.xml", headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.content == b""
    assert same.headers["etag"] == etag
    since = await client.http.get("/feeds/en/atom.xml", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    # If-None-Match decides when both are sent; a tag that does not match gets the feed.
    both = await client.http.get(
        "/feeds/en/atom.xml", headers={"If-None-Match": '"other"', "If-Modified-Since": modified}
    )
    assert both.status_code == 200 and both.content == first.content
    earlier = format_datetime(dt.datetime(2000, 1, 1, tzinfo=dt.UTC), usegmt=True)
    old = await client.http.get("/feeds/en/atom.xml", headers={"If-Modified-Since": earlier})
    assert old.status_code == 200
    bad = await client.http.get("/feeds/en/atom.xml", headers={"If-Modified-Since": "soon"})
    assert bad.status_code == 200


async def test_statements_do_not_grow_with_the_feed(client: ApiClient) -> None:
    counts = {}
    for scope in ("/feeds/en/tags/digital-rights", "/feeds/en/tags/economics"):
        async with api_client(
            str(client.state["settings"].database_url), response_cache=False
        ) as api:
            await api.http.get(f"{scope}/rss.xml")  # the media key is read once per process
            api.counter.reset()
            response = await api.http.get(f"{scope}/rss.xml")
            assert response.status_code == 200
            counts[scope] = (api.counter.count, len(parsed(response.content).entries))
    (small, few), (large, many) = counts.values()
    assert few < many
    assert small == large <= 10


@pytest.fixture
async def editor(writable_client: ApiClient, fresh_demo_url: str) -> dict[str, str]:
    return bearer(await issue_token(fresh_demo_url, Role.EDITOR))


async def _create(api: ApiClient, headers: dict[str, str], **fields: Any) -> tuple[str, int]:
    article = {"language": "en", "body": "Text.", **fields}
    result = (await api.data(CREATE, {"input": article}, headers=headers))["createArticle"]
    assert result["__typename"] == "CreateArticleSuccess", result
    return result["article"]["id"], result["article"]["version"]


async def _publish(api: ApiClient, headers: dict[str, str], article: str, **fields: Any) -> int:
    result = await api.data(PUBLISH, {"input": {"id": article, **fields}}, headers=headers)
    assert result["publishArticle"]["__typename"] == "ArticleStatusSuccess", result
    return int(result["publishArticle"]["article"]["version"])


async def _everything(api: ApiClient, scope: str = "/feeds/en") -> dict[str, bytes]:
    found = {}
    for name in FORMATS:
        response = await api.http.get(f"{scope}/{name}")
        assert response.status_code == 200, response.text
        found[name] = response.content
    return found


async def test_drafts_scheduled_and_archived_never_appear_and_writes_drop_feeds(
    writable_client: ApiClient, editor: dict[str, str]
) -> None:
    api = writable_client
    before = await _everything(api)
    tags = {name: (await api.http.get(f"/feeds/en/{name}")).headers["etag"] for name in FORMATS}

    await _create(api, editor, slug="still-a-draft", title="Still a draft")
    scheduled, _ = await _create(api, editor, slug="coming-later", title="Coming later")
    await _publish(api, editor, scheduled, publishAt="2099-01-01T00:00:00Z")
    archived, _ = await _create(api, editor, slug="gone-already", title="Gone already")
    version = await _publish(api, editor, archived)
    result = await api.data(
        ARCHIVE, {"input": {"id": archived, "expectedVersion": version}}, headers=editor
    )
    assert result["archiveArticle"]["__typename"] == "ArticleStatusSuccess"
    # With a token too: feeds are public and show what the public sees.
    for name in FORMATS:
        for headers in ({}, editor):
            body = (await api.http.get(f"/feeds/en/{name}", headers=headers)).content
            for hidden in (b"Still a draft", b"Coming later", b"Gone already"):
                assert hidden not in body
    assert await _everything(api) == before

    published, _ = await _create(api, editor, slug="fresh-news", title="Fresh news")
    await _publish(api, editor, published)
    for name in FORMATS:
        response = await api.http.get(f"/feeds/en/{name}", headers={"If-None-Match": tags[name]})
        assert response.status_code == 200, name  # the ETag a reader held is stale now
        assert response.headers["x-pressroom-cache"] == "miss"
        assert titles_and_links(name, response.content)[0][0] == "Fresh news"
    # Another language's feed holds nothing of it, and stays as cached.
    assert (await api.http.get("/feeds/tr/rss.xml")).headers["x-pressroom-cache"] in {"miss", "hit"}
    assert b"Fresh news" not in (await api.http.get("/feeds/tr/rss.xml")).content


HOSTILE_TITLE = "Oil ]]> & <script>alert('x')</script> \x01\x1f <![CDATA[ <b>bold</b>"
HOSTILE_BODY = (
    "Ends ]]> early & <script>alert(1)</script> \x02 <iframe src=x></iframe>[^a]\n\n"
    "<?xml version='1.0'?> &lt;not a tag&gt; <!-- comment --> ]]>"
)


@pytest.mark.parametrize("content", ["summary", "full"])
async def test_hostile_text_through_the_api(
    fresh_demo_url: str, content: str, tmp_path: Any
) -> None:
    headers = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with api_client(fresh_demo_url, feed_content=content) as api:
        article, _ = await _create(
            api,
            headers,
            slug="hostile",
            title=HOSTILE_TITLE,
            excerpt=HOSTILE_TITLE if content == "summary" else None,
            body=HOSTILE_BODY,
            footnotes=[{"key": "a", "content": "A ]]> note & <script>x</script>"}],
        )
        await _publish(api, headers, article)
        feeds = await _everything(api)
    for name, body in feeds.items():
        assert b"\x01" not in body and b"\x02" not in body
        if name == "feed.json":
            # Plain text in JSON is the text as typed; only HTML fields must be safe.
            item = json_feed(body)["items"][0]
            assert "<script>" not in item.get("content_html", "")
            title = item["title"]
        else:
            # In XML, no markup of an editor's making, in any field.
            assert b"<script>" not in body and b"<iframe" not in body
            title = parsed(body).entries[0].title
        assert title == "Oil ]]> & <script>alert('x')</script>  <![CDATA[ <b>bold</b>"
    if content == "full":
        rss = parsed(feeds["rss.xml"]).entries[0]
        html = rss.content[0].value
        assert "Ends ]]&gt; early" in html
        assert 'id="fn-a"' in html and "A ]]&gt; note" in html
        assert "<script>" not in json_feed(feeds["feed.json"])["items"][0]["content_html"]


async def test_full_content_and_featured_images(fresh_demo_url: str, tmp_path: Any) -> None:
    headers = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    media_url = (tmp_path / "media").as_uri()
    async with api_client(fresh_demo_url, media_url=media_url, feed_content="full") as api:
        newsroom = Newsroom(api, fresh_demo_url, headers, headers)
        image = (await newsroom.upload(jpeg(1600, 900), "card.jpg"))["media"]["id"]
        chart = (await newsroom.upload(jpeg(800, 600), "chart.jpg"))["media"]["id"]
        article, _ = await _create(
            api,
            headers,
            slug="with-pictures",
            title="With pictures",
            excerpt="An excerpt.",
            body=f"Before.[^n]\n\n![A chart](media:{chart})\n\nAfter.",
            footnotes=[{"key": "n", "content": "A *note*.", "source": {"title": "Report"}}],
            featuredImageId=image,
        )
        await _publish(api, headers, article)
        response = await api.http.get("/feeds/en/rss.xml")
        entry = parsed(response.content).entries[0]
        assert entry.title == "With pictures"
        assert entry.summary == "An excerpt."
        enclosure = entry.enclosures[0]
        assert enclosure.type == "image/jpeg"
        assert enclosure.href.startswith("http://pressroom.test/media/")
        assert enclosure.href.endswith("/1200x-contain.jpg")
        assert (await api.http.get(enclosure.href)).status_code == 200  # signed: it serves
        html = entry.content[0].value
        assert 'src="http://pressroom.test/media/' in html
        assert '<a href="#fn-n"' in html and 'id="fn-n"' in html and "Report" in html
        feed = json_feed((await api.http.get("/feeds/en/feed.json")).content)
        assert feed["items"][0]["image"] == enclosure.href
        assert "<figure" in feed["items"][0]["content_html"]
        keys = set(response.headers["surrogate-key"].split())
        assert {_media_key(image), _media_key(chart)} <= keys


def _media_key(image_id: str) -> str:
    return "media:" + base64.b64decode(image_id).decode().split(":")[1]


SITE = """mutation($input: UpdateSiteInput!) { updateSite(input: $input) { __typename } }"""
RENAME_TAG = """mutation($input: UpdateTagInput!) { updateTag(input: $input) { __typename } }"""


async def test_site_and_tag_changes_reach_feeds(writable_client: ApiClient, fresh_demo_url: str):
    api = writable_client
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    before = parsed((await api.http.get("/feeds/tr/tags/economics/atom.xml")).content)
    assert (await api.http.get("/feeds/tr/tags/economics/atom.xml")).headers[
        "x-pressroom-cache"
    ] == "hit"
    tag = (await api.data('{ tag(slug: "economics") { id } }'))["tag"]["id"]
    result = await api.data(
        RENAME_TAG,
        {"input": {"id": tag, "names": [{"language": "tr", "name": "İktisat & <Maliye>"}]}},
        headers=admin,
    )
    assert result["updateTag"]["__typename"] == "UpdateTagSuccess"
    renamed = parsed((await api.http.get("/feeds/tr/tags/economics/atom.xml")).content)
    assert renamed.feed.title.startswith("İktisat & <Maliye> – ")
    assert renamed.feed.title != before.feed.title

    version = (await api.data("{ site { version } }"))["site"]["version"]
    result = await api.data(
        SITE,
        {
            "input": {
                "expectedVersion": version,
                "url": "https://www.example.org",
                "texts": [{"language": "tr", "title": "Basın Odası", "description": "Analizler"}],
                "permalinks": [{"kind": "ARTICLE", "pattern": "/{language}/{year}/{slug}"}],
            }
        },
        headers=admin,
    )
    assert result["updateSite"]["__typename"] == "UpdateSiteSuccess"
    feed = json_feed((await api.http.get("/feeds/tr/feed.json")).content)
    assert feed["title"] == "Basın Odası"  # the Turkish title
    assert feed["description"] == "Analizler"
    assert feed["home_page_url"] == "https://www.example.org/tr/"
    year = feed["items"][0]["date_published"][:4]
    assert feed["items"][0]["url"].startswith(f"https://www.example.org/tr/{year}/")
    english = parsed((await api.http.get("/feeds/en/rss.xml")).content)
    assert english.feed.title != "Basın Odası"
    assert english.entries[0].id.startswith("tag:www.example.org,")


async def test_a_scheduled_article_enters_the_cached_feed_at_its_time(fresh_demo_url: str):
    headers = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with clocked_client(fresh_demo_url) as (api, clock):
        article, _ = await _create(api, headers, slug="at-nine", title="At nine sharp")
        at = clock.now() + dt.timedelta(hours=1)
        await _publish(api, headers, article, publishAt=at.isoformat())
        before = await api.http.get("/feeds/en/atom.xml")
        assert b"At nine sharp" not in before.content
        assert (await api.http.get("/feeds/en/atom.xml")).headers["x-pressroom-cache"] == "hit"
        clock.advance(dt.timedelta(hours=1, seconds=1))
        after = await api.http.get(
            "/feeds/en/atom.xml", headers={"If-None-Match": before.headers["etag"]}
        )
        assert after.status_code == 200
        assert parsed(after.content).entries[0].title == "At nine sharp"
        assert after.headers["last-modified"] != before.headers["last-modified"]


CREATE_PAGE = """mutation($input: CreatePageInput!) { createPage(input: $input) {
  __typename ... on CreatePageSuccess { page { id } } } }"""
PUBLISH_PAGE = """mutation($input: PublishPageInput!) { publishPage(input: $input) {
  __typename } }"""


async def test_pages_are_in_no_feed(writable_client: ApiClient, editor: dict[str, str]) -> None:
    api = writable_client
    author = (await api.data('{ author(slug: "hannah-mercer") { id } }'))["author"]["id"]
    created = await api.data(
        CREATE_PAGE,
        {
            "input": {
                "language": "en",
                "slug": "about-us",
                "title": "About us, a page",
                "body": "Who we are.",
                "credits": [{"authorId": author}],
            }
        },
        headers=editor,
    )
    page = created["createPage"]["page"]["id"]
    published = await api.data(PUBLISH_PAGE, {"input": {"id": page}}, headers=editor)
    assert published["publishPage"]["__typename"] == "PageStatusSuccess"
    assert (await api.data('{ page(language: "en", slug: "about-us") { id } }'))["page"]
    for scope in ("/feeds/en", "/feeds/en/authors/hannah-mercer"):
        for body in (await _everything(api, scope)).values():
            assert b"About us, a page" not in body


SECTION = """query($language: String!, $slug: String!) {
  section(language: $language, slug: $slug) {
    name url translations { language slug }
    articles(language: $language, first: 50, includeSubsections: true) {
      edges { node { title url } }
    }
  }
}"""


async def test_section_feeds_list_the_section_and_those_below_it(client: ApiClient) -> None:
    sections = (await client.data('{ sections(language: "tr") { slug } }'))["sections"]
    assert sections
    checked = 0
    for slug in [s["slug"] for s in sections] + ["ulke-raporlari"]:
        section = (await client.data(SECTION, {"language": "tr", "slug": slug}))["section"]
        expected = [edge["node"] for edge in section["articles"]["edges"]]
        for name in FORMATS:
            response = await client.http.get(f"/feeds/tr/sections/{slug}/{name}")
            assert response.status_code == 200, response.text
            listed = titles_and_links(name, response.content)
            assert listed == [(node["title"], node["url"]) for node in expected]
        feed = json_feed((await client.http.get(f"/feeds/tr/sections/{slug}/feed.json")).content)
        assert feed["title"].startswith(f"{section['name']} – ")  # the Turkish name
        assert feed["home_page_url"] == section["url"]
        checked += bool(expected)
        # A section's slug is per language: another language's slug is not this feed's.
        other = next(t["slug"] for t in section["translations"] if t["language"] == "en")
        if other != slug:
            assert (await client.http.get(f"/feeds/tr/sections/{other}/rss.xml")).status_code == 404
    assert checked, "some demo section has articles"
