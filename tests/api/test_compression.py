"""Compressed answers through the real app, on both databases: each coding gives the same bytes
as the identity, Accept-Encoding's weights decide, caches are told (Vary) and validators keep
working, and a response-cache hit is sent as it was kept, without compressing again."""

from __future__ import annotations

import gzip
import json
from typing import Any

import brotli
import httpx
import zstandard
from starlette.datastructures import Headers

from api.cache_store import Entry
from api.compression import Compression, coded_etag, etag_matches, negotiate
from publishing.access import Role
from tests.support.client import ApiClient, api_client
from tests.support.tokens import bearer, issue_token

# The article page of DESIGN.md: the answer is several kilobytes of JSON.
ARTICLE_PAGE = """query ArticlePage($language: String!, $slug: String!) {
  article(language: $language, slug: $slug) {
    id title subtitle publishedAt
    language { code nativeName direction }
    body { html }
    authors { name slug bio(language: $language) { html } avatarUrl }
    translations { language { code nativeName } slug title }
    footnotes { number label content { html } source { title publisher url accessedOn } citation }
    tags { slug name }
  }
}"""
PAGE_VARIABLES = {"language": "en", "slug": "turkiyes-gas-hub-ambition"}
TINY = "query Tiny { languages { code } }"


def unzstd(data: bytes) -> bytes:
    # As browsers and httpx read it: a streamed frame does not state its size up front.
    return zstandard.ZstdDecompressor().decompressobj().decompress(data)


DECODERS = {"gzip": gzip.decompress, "br": brotli.decompress, "zstd": unzstd}


async def get_raw(
    api: ApiClient, query: str, variables: dict[str, Any] | None = None, **headers: str
) -> tuple[httpx.Response, bytes]:
    """A GraphQL GET and its body as it came over the wire (not decoded by httpx)."""
    params = {"query": query, "variables": json.dumps(variables or {})}
    request = api.http.build_request(
        "GET", "/graphql", params=params, headers={"Accept": "application/json", **headers}
    )
    response = await api.http.send(request, stream=True)
    raw = b"".join([chunk async for chunk in response.aiter_raw()])
    await response.aclose()
    return response, raw


async def get_path_raw(
    api: ApiClient, method: str, path: str, **headers: str
) -> tuple[httpx.Response, bytes]:
    response = await api.http.send(
        api.http.build_request(method, path, headers=headers), stream=True
    )
    raw = b"".join([chunk async for chunk in response.aiter_raw()])
    await response.aclose()
    return response, raw


# -- negotiation, by itself ---------------------------------------------------------------------


def test_the_clients_weights_decide_and_ties_go_to_br_then_zstd_then_gzip() -> None:
    assert negotiate("gzip, deflate, br, zstd") == "br"
    assert negotiate("gzip, zstd") == "zstd"
    assert negotiate("gzip;q=1.0, br;q=0.5") == "gzip"
    assert negotiate("br;q=0.2, zstd;q=0.8, gzip;q=0.5") == "zstd"
    assert negotiate("x-gzip") == "gzip"
    assert negotiate("*") == "br"
    assert negotiate("deflate") is None
    # No header, or an empty one: the identity.
    assert negotiate(None) is None
    assert negotiate("") is None


def test_q_zero_is_never_chosen() -> None:
    assert negotiate("br;q=0, gzip") == "gzip"
    assert negotiate("br;q=0, zstd;q=0, *") == "gzip"
    assert negotiate("gzip;q=0, br;q=0, zstd;q=0") is None
    assert negotiate("*;q=0") is None
    assert negotiate("*;q=0, zstd") == "zstd"
    assert negotiate("br;q=oops") is None
    # The identity rated above every coding on offer wins over them.
    assert negotiate("identity;q=1, gzip;q=0.5") is None


def test_a_coded_etag_matches_any_coding_of_the_same_body() -> None:
    tag = '"abc"'
    assert coded_etag(tag, "br") == '"abc-br"'
    assert coded_etag(tag, None) == tag
    for sent in ('"abc-br"', '"abc-gzip"', 'W/"abc-zstd"', '"abc"', "*"):
        assert etag_matches(Headers({"if-none-match": sent}), tag), sent
        assert etag_matches(Headers({"if-none-match": sent}), '"abc-gzip"'), sent
    assert not etag_matches(Headers({"if-none-match": '"abd-br"'}), tag)
    assert not etag_matches(Headers({}), tag)


def test_an_entry_keeps_its_codings_through_the_shared_store() -> None:
    body = b'{"data": "' + b"x" * 4000 + b'"}'
    compression = Compression(1024)
    entry = Entry(body, '"t"', frozenset({"a"}), 3, 12.5, compression.encode_all(body))
    assert compression.compressed == 3
    again = Entry.decode(entry.encode())
    assert again == entry
    assert {coding: DECODERS[coding](data) for coding, data in again.encoded.items()} == {
        "gzip": body,
        "br": body,
        "zstd": body,
    }
    assert Compression(1024).encode_all(b"{}") == {}


# -- the GraphQL edge ---------------------------------------------------------------------------


async def test_every_coding_decodes_to_the_identity_bytes(client: ApiClient) -> None:
    plain, identity = await get_raw(
        client, ARTICLE_PAGE, PAGE_VARIABLES, **{"Accept-Encoding": "identity"}
    )
    assert plain.status_code == 200
    assert "content-encoding" not in plain.headers
    assert len(identity) > 4096, "the article page is several kilobytes"
    assert json.loads(identity)["data"]["article"]["title"]
    for coding, decode in DECODERS.items():
        response, raw = await get_raw(
            client, ARTICLE_PAGE, PAGE_VARIABLES, **{"Accept-Encoding": coding}
        )
        assert response.status_code == 200
        assert response.headers["content-encoding"] == coding
        assert int(response.headers["content-length"]) == len(raw) < len(identity) // 2
        assert decode(raw) == identity, coding
        assert "Accept-Encoding" in response.headers["vary"]


async def test_weights_of_the_request_are_followed(client: ApiClient) -> None:
    cases = {
        "gzip;q=1.0, br;q=0.5, zstd;q=0.1": "gzip",
        "br;q=0, gzip, zstd": "zstd",
        "br;q=0, zstd;q=0, gzip;q=0": None,
        "gzip, deflate, br, zstd": "br",
    }
    for accept, coding in cases.items():
        response, _ = await get_raw(
            client, ARTICLE_PAGE, PAGE_VARIABLES, **{"Accept-Encoding": accept}
        )
        assert response.headers.get("content-encoding") == coding, accept


async def test_small_answers_go_as_they_are_and_still_vary(client: ApiClient) -> None:
    response, raw = await get_raw(client, TINY, **{"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200
    assert len(raw) < 1024
    assert "content-encoding" not in response.headers
    assert json.loads(raw)["data"]["languages"]
    assert response.headers["vary"] == "Authorization, Accept, Accept-Encoding"


async def test_the_size_threshold_is_a_setting(demo_url: str) -> None:
    async with api_client(demo_url, compression_min_bytes=10) as api:
        response, raw = await get_raw(api, TINY, **{"Accept-Encoding": "gzip"})
        assert response.headers["content-encoding"] == "gzip"
        assert json.loads(gzip.decompress(raw))["data"]["languages"]


async def test_head_says_what_get_would_without_the_body(client: ApiClient) -> None:
    params = {"query": ARTICLE_PAGE, "variables": json.dumps(PAGE_VARIABLES)}
    headers = {"Accept": "application/json", "Accept-Encoding": "gzip, br"}
    got = await client.http.get("/graphql", params=params, headers=headers)
    head = await client.http.head("/graphql", params=params, headers=headers)
    assert (got.status_code, head.status_code) == (200, 200)
    assert head.content == b""
    for name in ("content-encoding", "content-length", "etag", "vary", "cache-control"):
        assert head.headers[name] == got.headers[name], name


async def test_if_none_match_on_a_coded_answer_gives_304(client: ApiClient) -> None:
    br = {"Accept-Encoding": "br"}
    first, _ = await get_raw(client, ARTICLE_PAGE, PAGE_VARIABLES, **br)
    tag = first.headers["etag"]
    assert tag.endswith('-br"')
    plain, _ = await get_raw(
        client, ARTICLE_PAGE, PAGE_VARIABLES, **{"Accept-Encoding": "identity"}
    )
    assert plain.headers["etag"] != tag and not plain.headers["etag"].endswith('-br"')
    # Validated in the coding it was sent in, or by a client that now takes another.
    again, body = await get_raw(
        client, ARTICLE_PAGE, PAGE_VARIABLES, **br, **{"If-None-Match": tag}
    )
    assert again.status_code == 304 and body == b""
    assert again.headers["etag"] == tag
    assert "content-encoding" not in again.headers
    assert "Accept-Encoding" in again.headers["vary"]
    gz, _ = await get_raw(
        client, ARTICLE_PAGE, PAGE_VARIABLES, **{"Accept-Encoding": "gzip", "If-None-Match": tag}
    )
    assert gz.status_code == 304 and gz.headers["etag"] == coded_etag(plain.headers["etag"], "gzip")
    # Another answer's tag does not match.
    other, _ = await get_raw(client, TINY, **br)
    stale, _ = await get_raw(
        client, ARTICLE_PAGE, PAGE_VARIABLES, **br, **{"If-None-Match": other.headers["etag"]}
    )
    assert stale.status_code == 200


async def test_a_cache_hit_is_sent_as_kept_without_compressing(demo_url: str) -> None:
    async with api_client(demo_url) as api:
        compression: Compression = api.state["caching"].compression
        before = compression.compressed
        miss, kept = await get_raw(api, ARTICLE_PAGE, PAGE_VARIABLES, **{"Accept-Encoding": "br"})
        assert miss.headers["x-pressroom-cache"] == "miss"
        # Kept in every coding when stored: one compression each.
        assert compression.compressed == before + 3
        stored = compression.compressed
        for coding in ("br", "gzip", "zstd", "identity"):
            hit, raw = await get_raw(
                api, ARTICLE_PAGE, PAGE_VARIABLES, **{"Accept-Encoding": coding}
            )
            assert hit.headers["x-pressroom-cache"] == "hit"
            assert hit.headers.get("content-encoding", "identity") == coding
            if coding == "br":
                assert raw == kept
        assert compression.compressed == stored


async def test_private_answers_are_compressed_too(demo_url: str) -> None:
    token = await issue_token(demo_url, Role.EDITOR)
    async with api_client(demo_url) as api:
        response, raw = await get_raw(
            api, ARTICLE_PAGE, PAGE_VARIABLES, **bearer(token), **{"Accept-Encoding": "zstd"}
        )
        assert response.headers["x-pressroom-cache"] == "bypass"
        assert response.headers["content-encoding"] == "zstd"
        assert "private" in response.headers["cache-control"]
        assert json.loads(DECODERS["zstd"](raw))["data"]["article"]["title"]


# -- feeds and sitemaps -------------------------------------------------------------------------


async def test_feeds_are_compressed_and_head_says_the_same(client: ApiClient) -> None:
    path = "/feeds/en/atom.xml"
    plain, identity = await get_path_raw(client, "GET", path, **{"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.headers["vary"] == "Accept-Encoding"
    response, raw = await get_path_raw(client, "GET", path, **{"Accept-Encoding": "gzip, br"})
    assert response.headers["content-encoding"] == "br"
    assert brotli.decompress(raw) == identity
    head, _ = await get_path_raw(client, "HEAD", path, **{"Accept-Encoding": "gzip, br"})
    assert head.status_code == 200
    for name in ("content-encoding", "content-length", "etag", "vary"):
        assert head.headers[name] == response.headers[name], name
    assert int(head.headers["content-length"]) == len(raw)
    again, _ = await get_path_raw(
        client, "GET", path, **{"Accept-Encoding": "br", "If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304 and again.headers["etag"] == response.headers["etag"]


async def test_a_language_sitemap_is_coded_as_it_streams(client: ApiClient) -> None:
    path = "/sitemaps/en-1.xml"
    plain, identity = await get_path_raw(client, "GET", path, **{"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and identity.startswith(b"<?xml")
    assert "content-encoding" not in plain.headers
    assert plain.headers["vary"] == "Accept-Encoding"
    for coding, decode in DECODERS.items():
        response, raw = await get_path_raw(client, "GET", path, **{"Accept-Encoding": coding})
        assert response.headers["content-encoding"] == coding
        assert decode(raw) == identity, coding
        assert response.headers["etag"] == coded_etag(plain.headers["etag"], coding)
        again, _ = await get_path_raw(
            client,
            "GET",
            path,
            **{"Accept-Encoding": coding, "If-None-Match": response.headers["etag"]},
        )
        assert again.status_code == 304
        assert again.headers["etag"] == response.headers["etag"]


async def test_the_sitemap_index_varies_and_validates(client: ApiClient) -> None:
    first, body = await get_path_raw(client, "GET", "/sitemap.xml", **{"Accept-Encoding": "br"})
    assert first.status_code == 200 and first.headers["vary"] == "Accept-Encoding"
    coding = first.headers.get("content-encoding")
    identity = brotli.decompress(body) if coding == "br" else body
    assert identity.startswith(b"<?xml")
    again, _ = await get_path_raw(
        client,
        "GET",
        "/sitemap.xml",
        **{"Accept-Encoding": "br", "If-None-Match": first.headers["etag"]},
    )
    assert again.status_code == 304 and again.headers["etag"] == first.headers["etag"]
