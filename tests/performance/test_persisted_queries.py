"""Persisted queries: Apollo's automatic persisted queries over GET and POST, and the
trusted-documents mode that runs only what a manifest lists."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import httpx

from tests.support.client import ApiClient, api_client

QUERY = "query Languages { languages { code nativeName } }"
SHA = hashlib.sha256(QUERY.encode()).hexdigest()
JSON = {"Accept": "application/json"}


def persisted(sha256: str = SHA) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256}}


async def get_by_hash(api: ApiClient, sha256: str = SHA, **params: str) -> httpx.Response:
    return await api.http.get(
        "/graphql",
        params={"extensions": json.dumps(persisted(sha256)), **params},
        headers=JSON,
    )


def error_code(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    return str(response.json()["errors"][0]["extensions"]["code"])


async def test_unknown_hash_asks_for_the_query_then_get_by_hash_works(client: ApiClient) -> None:
    unknown = await get_by_hash(client)
    assert unknown.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert error_code(unknown) == "PERSISTED_QUERY_NOT_FOUND"
    assert unknown.headers["cache-control"] == "no-store"

    # What an Apollo client does next: hash and query together, which registers it.
    registered = await client.http.post(
        "/graphql", json={"query": QUERY, "extensions": persisted()}
    )
    assert registered.json()["data"]["languages"]

    by_hash = await get_by_hash(client)
    assert by_hash.status_code == 200
    assert by_hash.json() == registered.json()
    # A short URL that HTTP caches and CDNs may keep.
    assert by_hash.headers["cache-control"].startswith("public, max-age=")
    by_post = await client.http.post("/graphql", json={"extensions": persisted()})
    assert by_post.json() == registered.json()


async def test_a_hash_that_is_not_the_querys_is_refused(client: ApiClient) -> None:
    wrong = hashlib.sha256(b"something else").hexdigest()
    response = await client.http.post(
        "/graphql", json={"query": QUERY, "extensions": persisted(wrong)}
    )
    assert error_code(response) == "PERSISTED_QUERY_HASH_MISMATCH"
    # Nothing was registered under either hash.
    assert error_code(await get_by_hash(client, wrong)) == "PERSISTED_QUERY_NOT_FOUND"


async def test_variables_travel_with_a_persisted_get(client: ApiClient) -> None:
    query = (
        "query One($language: String!, $slug: String!) "
        "{ article(language: $language, slug: $slug) { slug } }"
    )
    sha = hashlib.sha256(query.encode()).hexdigest()
    variables = {"language": "en", "slug": "turkiyes-gas-hub-ambition"}
    await client.http.post(
        "/graphql", json={"query": query, "variables": variables, "extensions": persisted(sha)}
    )
    response = await get_by_hash(client, sha, variables=json.dumps(variables))
    assert response.json()["data"] == {"article": {"slug": "turkiyes-gas-hub-ambition"}}


def manifest(tmp_path: Path, *documents: str) -> Path:
    path = tmp_path / "manifest.json"
    operations = [
        {"id": hashlib.sha256(d.encode()).hexdigest(), "body": d, "name": "op", "type": "query"}
        for d in documents
    ]
    path.write_text(
        json.dumps(
            {"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations}
        )
    )
    return path


async def test_trusted_documents_run_only_what_the_manifest_lists(
    demo_url: str, tmp_path: Path
) -> None:
    path = manifest(tmp_path, QUERY)
    async with api_client(demo_url, trusted_documents=str(path)) as api:
        by_hash = await get_by_hash(api)
        assert by_hash.json()["data"]["languages"]
        # The listed text itself is accepted too, and so is documentId.
        assert (await api.data(QUERY))["languages"]
        by_id = await api.http.post("/graphql", json={"documentId": f"sha256:{SHA}"})
        assert by_id.json()["data"]["languages"]

        other = "{ languages { code } }"
        refused = await api.http.post("/graphql", json={"query": other})
        assert error_code(refused) == "PERSISTED_QUERY_NOT_ALLOWED"
        assert "manifest" in refused.json()["errors"][0]["message"]
        # Registering is not a way in.
        sha = hashlib.sha256(other.encode()).hexdigest()
        registering = await api.http.post(
            "/graphql", json={"query": other, "extensions": persisted(sha)}
        )
        assert error_code(registering) == "PERSISTED_QUERY_NOT_ALLOWED"
        assert error_code(await get_by_hash(api, sha)) == "PERSISTED_QUERY_NOT_ALLOWED"
