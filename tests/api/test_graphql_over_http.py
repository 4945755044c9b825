"""GraphQL over HTTP: the media type negotiated from Accept, the status of each kind of error
in each type, and the refusals Strawberry used to answer in plain text, each a JSON error."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.client import ApiClient, api_client

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
QUERY = "{ languages { code } }"


async def post(
    client: ApiClient, body: dict[str, Any], accept: str | None = None
) -> httpx.Response:
    headers = {} if accept is None else {"Accept": accept}
    return await client.http.post("/graphql", json=body, headers=headers)


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


def error(response: httpx.Response) -> dict[str, Any]:
    [only] = response.json()["errors"]
    found: dict[str, Any] = only
    return found


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (JSON, JSON),
        # Before the spec's legacy watershed: the legacy type to clients that name neither.
        (None, JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        # Named together, with equal weight: the spec's type; q-values decide otherwise.
        (f"{GRAPHQL_RESPONSE}, {JSON}", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, */*", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0.5, {JSON}", JSON),
        (f"{GRAPHQL_RESPONSE};q=0.9, */*;q=0.8", GRAPHQL_RESPONSE),
        (f"{JSON};q=0.9, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        # Neither acceptable: the header is disregarded, as the spec allows.
        ("text/html", JSON),
    ],
)
async def test_the_media_type_is_negotiated_from_accept(
    client: ApiClient, accept: str | None, expected: str
) -> None:
    response = await post(client, {"query": QUERY}, accept)
    assert response.status_code == 200, response.text
    assert media_type(response) == expected
    assert response.json()["data"]["languages"]


async def test_a_syntax_error_is_a_400_without_data_in_graphql_response_json(
    client: ApiClient,
) -> None:
    response = await post(client, {"query": "{ languages { code "}, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert media_type(response) == GRAPHQL_RESPONSE
    assert "data" not in response.json()
    assert error(response)["message"].startswith("Syntax Error")


async def test_a_syntax_error_stays_a_200_in_json(client: ApiClient) -> None:
    response = await post(client, {"query": "{ languages { code "}, JSON)
    assert response.status_code == 200
    assert media_type(response) == JSON
    assert response.json()["data"] is None
    assert error(response)["message"].startswith("Syntax Error")


async def test_a_validation_error_is_a_400_in_graphql_response_json(client: ApiClient) -> None:
    response = await post(client, {"query": "{ languages { cod } }"}, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert "data" not in response.json()
    assert "cod" in error(response)["message"]


async def test_a_validation_error_stays_a_200_in_json(client: ApiClient) -> None:
    response = await post(client, {"query": "{ languages { cod } }"})
    assert response.status_code == 200
    assert response.json()["data"] is None
    assert "cod" in error(response)["message"]


COERCION = {
    "query": "query Page($first: Int!) { articles(first: $first) { totalCount } }",
    "variables": {"first": "many"},
}


async def test_a_variable_that_cannot_be_coerced_is_a_400_in_graphql_response_json(
    client: ApiClient,
) -> None:
    response = await post(client, COERCION, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert "data" not in response.json()
    assert "$first" in error(response)["message"]


async def test_a_variable_that_cannot_be_coerced_stays_a_200_in_json(client: ApiClient) -> None:
    response = await post(client, COERCION, JSON)
    assert response.status_code == 200
    assert "$first" in error(response)["message"]


async def test_a_field_error_is_a_200_with_data_in_graphql_response_json(
    client: ApiClient,
) -> None:
    # An error while running is no request error: data (here null) is there, with a 200.
    response = await post(
        client, {"query": '{ article(language: "xx", slug: "a") { id } }'}, GRAPHQL_RESPONSE
    )
    assert response.status_code == 200
    assert media_type(response) == GRAPHQL_RESPONSE
    assert "data" in response.json()
    assert error(response)["path"] == ["article"]


@pytest.mark.parametrize("accept", [JSON, GRAPHQL_RESPONSE])
async def test_an_unknown_operation_name_is_a_json_400(client: ApiClient, accept: str) -> None:
    body = {"query": "query A { __typename }", "operationName": "B"}
    response = await post(client, body, accept)
    assert response.status_code == 400
    assert media_type(response) == accept
    found = error(response)
    assert found["message"] == 'Unknown operation named "B": the document holds "A".'
    assert found["extensions"]["code"] == "UNKNOWN_OPERATION"


@pytest.mark.parametrize("accept", [JSON, GRAPHQL_RESPONSE])
async def test_two_operations_without_operation_name_run_neither(
    client: ApiClient, accept: str
) -> None:
    document = "query A { languages { code } } query B { __typename }"
    response = await post(client, {"query": document}, accept)
    assert response.status_code == 400
    assert media_type(response) == accept
    found = error(response)
    assert found["extensions"]["code"] == "OPERATION_NAME_REQUIRED"
    assert found["message"] == (
        'The document holds 2 operations ("A", "B"): name the one to run in `operationName`.'
    )
    # The first one did not run.
    assert not response.json().get("data")
    named = await post(client, {"query": document, "operationName": "B"}, accept)
    assert named.status_code == 200
    assert named.json()["data"] == {"__typename": "Query"}


async def test_a_document_of_fragments_only_is_a_json_400(client: ApiClient) -> None:
    response = await post(client, {"query": "fragment F on Query { __typename }"})
    assert response.status_code == 400
    assert error(response)["extensions"]["code"] == "NO_OPERATION"


async def test_a_get_without_a_query_is_a_json_400(client: ApiClient) -> None:
    response = await client.http.get("/graphql", headers={"Accept": JSON})
    assert response.status_code == 400
    assert media_type(response) == JSON
    found = error(response)
    assert found["extensions"]["code"] == "INVALID_REQUEST"
    assert "query string" in found["message"]


async def test_with_the_ide_off_a_browser_get_without_a_query_is_a_json_400(
    demo_url: str,
) -> None:
    async with api_client(demo_url, production=True) as api:
        response = await api.http.get("/graphql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 400
    assert error(response)["extensions"]["code"] == "INVALID_REQUEST"


async def test_a_body_that_is_not_json_is_a_json_400(client: ApiClient) -> None:
    response = await client.http.post(
        "/graphql",
        content=b'{ "not a JSON',
        headers={"Content-Type": JSON, "Accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 400
    assert media_type(response) == GRAPHQL_RESPONSE
    found = error(response)
    assert found["extensions"]["code"] == "INVALID_JSON"
    assert found["message"].startswith("The request body is not valid JSON")


async def test_bad_variables_in_a_get_are_named_as_a_query_string_parameter(
    client: ApiClient,
) -> None:
    response = await client.http.get(
        "/graphql", params={"query": QUERY, "variables": "{bad"}, headers={"Accept": JSON}
    )
    assert response.status_code == 400
    found = error(response)
    assert found["extensions"]["code"] == "INVALID_JSON"
    assert found["message"].startswith("The `variables` parameter is not valid JSON")
    assert "body" not in found["message"]


@pytest.mark.parametrize("accept", [JSON, GRAPHQL_RESPONSE])
async def test_a_mutation_over_get_is_a_405_naming_post(client: ApiClient, accept: str) -> None:
    response = await client.http.get(
        "/graphql", params={"query": "mutation { __typename }"}, headers={"Accept": accept}
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert media_type(response) == accept
    found = error(response)
    assert found["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert "POST" in found["message"]


async def test_head_answers_as_get_without_a_body(client: ApiClient) -> None:
    params = {"query": QUERY}
    got = await client.http.get("/graphql", params=params, headers={"Accept": JSON})
    head = await client.http.head("/graphql", params=params, headers={"Accept": JSON})
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    for name in ("content-type", "content-length", "etag", "cache-control", "vary"):
        assert head.headers[name] == got.headers[name], name
    # The route's Allow lists HEAD, and HEAD is indeed served.
    refused = await client.http.put("/graphql")
    assert refused.status_code == 405
    assert "HEAD" in refused.headers["allow"]


async def test_a_mutation_over_head_is_refused_like_over_get(client: ApiClient) -> None:
    response = await client.http.head("/graphql", params={"query": "mutation { __typename }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


async def test_refusals_before_graphql_come_in_the_negotiated_type(client: ApiClient) -> None:
    response = await client.http.post(
        "/graphql",
        json={"query": QUERY},
        headers={"Accept": GRAPHQL_RESPONSE, "Authorization": "Bearer nonsense"},
    )
    assert response.status_code == 401
    assert media_type(response) == GRAPHQL_RESPONSE
    assert error(response)["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_response_cache_serves_each_client_its_media_type(client: ApiClient) -> None:
    params = {"query": "{ languages { code nativeName } }"}
    first = await client.http.get("/graphql", params=params, headers={"Accept": JSON})
    newer = await client.http.get("/graphql", params=params, headers={"Accept": GRAPHQL_RESPONSE})
    again = await client.http.get("/graphql", params=params, headers={"Accept": JSON})
    assert newer.headers["x-pressroom-cache"] == again.headers["x-pressroom-cache"] == "hit"
    assert media_type(first) == media_type(again) == JSON
    assert media_type(newer) == GRAPHQL_RESPONSE
    assert first.content == newer.content == again.content
    assert "Accept" in first.headers["vary"]
    # One tag per representation: revalidating the JSON one gets no 304 for the other type.
    assert first.headers["etag"] == again.headers["etag"] != newer.headers["etag"]
    revalidated = await client.http.get(
        "/graphql",
        params=params,
        headers={"Accept": GRAPHQL_RESPONSE, "If-None-Match": first.headers["etag"]},
    )
    assert revalidated.status_code == 200
    assert media_type(revalidated) == GRAPHQL_RESPONSE
    same = await client.http.get(
        "/graphql",
        params=params,
        headers={"Accept": GRAPHQL_RESPONSE, "If-None-Match": newer.headers["etag"]},
    )
    assert same.status_code == 304


UNKNOWN_HASH = {"persistedQuery": {"version": 1, "sha256Hash": "ab" * 32}}


async def test_an_unknown_persisted_query_is_a_200_in_json(client: ApiClient) -> None:
    response = await post(client, {"extensions": UNKNOWN_HASH}, JSON)
    assert response.status_code == 200
    assert error(response)["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_an_unknown_persisted_query_is_a_404_in_graphql_response_json(
    client: ApiClient,
) -> None:
    response = await post(client, {"extensions": UNKNOWN_HASH}, GRAPHQL_RESPONSE)
    assert response.status_code == 404
    assert media_type(response) == GRAPHQL_RESPONSE
    assert error(response)["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
