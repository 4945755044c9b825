"""Multipart requests at the HTTP edge: refused without a preflight header or a token, held
to the upload limit (not the small JSON one), passed through the caching edge unread."""

from __future__ import annotations

import json

import pytest

from publishing.access import Role
from tests.support.client import api_client
from tests.support.tokens import bearer, issue_token

pytestmark = pytest.mark.anyio

PREFLIGHT = {"GraphQL-Require-Preflight": "1"}
OPERATION = {"query": "{ __typename }", "variables": {"file": None}}


def _form(size: int) -> tuple[dict[str, str], dict[str, tuple[str, bytes, str]]]:
    data = {"operations": json.dumps(OPERATION), "map": json.dumps({"0": ["variables.file"]})}
    return data, {"0": ("notes.txt", b"x" * size, "text/plain")}


async def test_an_upload_without_a_preflight_header_is_refused_unread(fresh_demo_url: str) -> None:
    token = await issue_token(fresh_demo_url, Role.EDITOR)
    async with api_client(fresh_demo_url) as api:
        data, files = _form(10)
        response = await api.http.post("/graphql", data=data, files=files, headers=bearer(token))
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "PREFLIGHT_HEADER_MISSING"


async def test_an_upload_without_a_token_is_refused(fresh_demo_url: str) -> None:
    async with api_client(fresh_demo_url) as api:
        data, files = _form(10)
        response = await api.http.post("/graphql", data=data, files=files, headers=PREFLIGHT)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_upload_may_pass_the_json_body_limit_up_to_the_media_limit(
    fresh_demo_url: str,
) -> None:
    token = await issue_token(fresh_demo_url, Role.EDITOR)
    headers = {**PREFLIGHT, **bearer(token)}
    async with api_client(fresh_demo_url, max_body_bytes=100_000, media_max_bytes=300_000) as api:
        data, files = _form(200_000)
        passed = await api.http.post("/graphql", data=data, files=files, headers=headers)
        data, files = _form(1_400_000)
        refused = await api.http.post("/graphql", data=data, files=files, headers=headers)
        json_body = await api.http.post(
            "/graphql", json={"query": "{ __typename }", "pad": "x" * 200_000}, headers=headers
        )
    # Through the limit and the caching edge to the endpoint, which ran the operation.
    assert passed.status_code == 200, passed.text
    assert passed.json()["data"] == {"__typename": "Query"}
    assert refused.status_code == 413
    assert refused.json()["errors"][0]["extensions"]["limit"] == 300_000 + 1_048_576
    # JSON keeps its own, small limit.
    assert json_body.status_code == 413
