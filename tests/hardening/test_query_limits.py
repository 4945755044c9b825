"""Guards on what one operation may ask for: each refusal names the limit hit and its value,
comes before any execution, and every answer reports its estimated cost."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import get_introspection_query

from publishing.access import Role
from tests.support.client import ApiClient, api_client
from tests.support.tokens import bearer, issue_token

ARTICLE_PAGE = """
query ArticlePage($language: String!, $slug: String!) {
  article(language: $language, slug: $slug) {
    id title subtitle publishedAt
    language { code nativeName direction }
    body { html }
    authors { name slug bio(language: $language) { html } avatarUrl }
    translations { language { code nativeName } slug title }
    footnotes { number label content { html } source { title publisher url accessedOn } citation }
    tags { slug name }
  }
}
"""
PAGE_VARIABLES = {"language": "en", "slug": "turkiyes-gas-hub-ambition"}


def only_error(result: dict[str, Any]) -> dict[str, Any]:
    assert result.get("data") is None, result
    [error] = result["errors"]
    return error


async def test_every_answer_reports_its_estimated_cost(client: ApiClient) -> None:
    # One field, plus a list assumed to hold 20 languages of one field each.
    result = await client.query("{ languages { code } }")
    assert result["extensions"]["cost"] == {"requested": 1 + 20 * 1, "limit": 50_000}

    # A connection multiplies what its edges hold by `first`.
    listing = await client.query("{ articles(first: 7) { edges { node { slug } } } }")
    assert listing["extensions"]["cost"]["requested"] == 1 + (1 + 7 * (1 + 1))

    page = await client.query(ARTICLE_PAGE, PAGE_VARIABLES)
    assert "errors" not in page
    assert 0 < page["extensions"]["cost"]["requested"] < 1_000


async def test_cost_over_the_limit_is_refused_before_execution(fresh_demo_url: str) -> None:
    token = await issue_token(fresh_demo_url, Role.ADMIN)
    mutation = """mutation {
      createTag(input: {slug: "refused", names: [{language: "en", name: "Refused"}]}) {
        __typename ... on CreateTagSuccess { tag { slug name } }
      }
    }"""
    async with api_client(fresh_demo_url, max_cost=3) as api:
        result = await api.query(mutation, headers=bearer(token))
        error = only_error(result)
        assert error["extensions"] == {"code": "MAX_COST_EXCEEDED", "limit": 3, "requested": 5}
        assert "estimated cost is 5; the limit is 3" in error["message"]
        assert result["extensions"]["cost"] == {"requested": 5, "limit": 3}
        # Refused before execution: the mutation wrote nothing.
        assert (await api.data('{ tag(slug: "refused") { slug } }'))["tag"] is None


async def test_nested_connections_multiply(client: ApiClient) -> None:
    query = """{ authors(first: 100) { edges { node { articles(first: 100) { edges { node {
        authors { articles(first: 100) { edges { node { title } } } } } } } } } } }"""
    error = only_error(await client.query(query))
    assert error["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert error["extensions"]["requested"] > 100 * 100 * 20 * 100


async def test_a_huge_first_gets_the_page_size_rule(client: ApiClient) -> None:
    result = await client.query("{ articles(first: 1000000000) { edges { node { id } } } }")
    [error] = result["errors"]
    assert error["message"] == "`first` must be between 1 and 100; got 1000000000."
    # Counted at the most any list serves, so the estimate stays an honest upper bound.
    assert result["extensions"]["cost"]["requested"] == 1 + (1 + 100 * (1 + 1))


# Three nested lists, each of `first` items: refused at 100 (asked for with a literal).
HEAVY = """query Heavy{variables} {{
  authors(first: {n}) {{ edges {{ node {{ articles(first: {n}) {{ edges {{ node {{
    authors {{ articles(first: {n}) {{ edges {{ node {{ title body {{ html }} }} }} }} }}
  }} }} }} }} }} }}
}}"""


@pytest.mark.parametrize(
    ("declared", "variables"),
    [("($n: Int)", {"n": 100}), ("($n: Int)", {"n": 100.0}), ("($n: Int = 100)", {})],
    ids=["int", "float", "default"],
)
async def test_the_estimate_counts_variables_as_execution_coerces_them(
    client: ApiClient, declared: str, variables: dict[str, Any]
) -> None:
    literal = only_error(await client.query(HEAVY.format(variables="", n="100")))
    assert literal["extensions"]["code"] == "MAX_COST_EXCEEDED"
    # A float that is a whole number is an Int to GraphQL; a variable's default is its value.
    error = only_error(await client.query(HEAVY.format(variables=declared, n="$n"), variables))
    assert error["extensions"] == literal["extensions"]


async def test_literals_and_variables_get_the_same_estimate(client: ApiClient) -> None:
    literal = await client.query(
        '{ articles(first: 7, language: "en") { edges { node { slug } } } '
        'nodes(ids: ["a", "b", "c"]) { id } }'
    )
    variables = await client.query(
        "query ($first: Int = 7, $ids: [ID!]!, $language: String) { "
        "articles(first: $first, language: $language) { edges { node { slug } } } "
        "nodes(ids: $ids) { id } }",
        {"ids": ["a", "b", "c"], "language": "en"},
    )
    assert literal["extensions"]["cost"] == variables["extensions"]["cost"]
    assert literal["extensions"]["cost"]["requested"] == (1 + (1 + 7 * (1 + 1))) + (1 + 3 * 1)


async def test_variables_that_cannot_be_coerced_are_refused_before_execution(
    client: ApiClient,
) -> None:
    error = only_error(
        await client.query("query ($n: Int) { articles(first: $n) { totalCount } }", {"n": 100.5})
    )
    assert error["message"] == (
        "Variable '$n' has invalid value: Int cannot represent non-integer value: 100.5"
    )


def nested(depth: int) -> str:
    return (
        '{ article(language: "en", slug: "turkiyes-gas-hub-ambition") { '
        + "original { " * (depth - 2)
        + "id"
        + " }" * (depth - 2)
        + " } }"
    )


async def test_depth_limit(client: ApiClient) -> None:
    fine = await client.query(nested(15))
    assert "errors" not in fine

    error = only_error(await client.query(nested(100)))
    assert error["extensions"] == {"code": "MAX_DEPTH_EXCEEDED", "limit": 15, "requested": 100}
    assert "100 levels deep; the limit is 15" in error["message"]


async def test_depth_counts_through_fragments(client: ApiClient) -> None:
    query = (
        '{ article(language: "en", slug: "x") { ...A } } '
        "fragment A on Article { original { ...B } } "
        "fragment B on Article { original { ...C } } "
        "fragment C on Article { original { original { original { original { original "
        "{ original { original { original { original { original { original { original "
        "{ id } } } } } } } } } } } } }"
    )
    error = only_error(await client.query(query))
    assert error["extensions"]["code"] == "MAX_DEPTH_EXCEEDED"
    assert error["extensions"]["requested"] == 16


async def test_alias_limit(client: ApiClient) -> None:
    thirty = "{ " + " ".join(f"a{i}: __typename" for i in range(30)) + " }"
    assert "errors" not in await client.query(thirty)

    forty = "{ " + " ".join(f"a{i}: __typename" for i in range(40)) + " }"
    error = only_error(await client.query(forty))
    assert error["extensions"] == {"code": "MAX_ALIASES_EXCEEDED", "limit": 30, "requested": 40}
    assert "40 aliases" in error["message"] and "the limit is 30" in error["message"]


async def test_ten_thousand_aliases_stop_at_the_token_limit(client: ApiClient) -> None:
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(10_000)) + " }"
    error = only_error(await client.query(query))
    assert error["extensions"] == {"code": "MAX_TOKENS_EXCEEDED", "limit": 5000}
    assert "more than 5000 tokens" in error["message"]


async def test_fragments_spreading_each_other_twice_are_refused_at_once(
    client: ApiClient,
) -> None:
    # Expanded, this is 2^40 selections; measured fragment by fragment, it is 41 fragments.
    levels = 40
    fragments = " ".join(
        f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    )
    last = f"fragment F{levels} on Query {{ languages {{ code }} }}"
    query = f"query Q {{ ...F0 }} {fragments} {last}"
    error = only_error(await client.query(query))
    assert error["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert error["extensions"]["requested"] == 2**levels * (1 + 20)


async def test_aliases_hidden_in_repeated_fragments_are_counted(client: ApiClient) -> None:
    query = (
        "{ ...A ...A2 } fragment A on Query { x: __typename y: __typename ...B ...B } "
        "fragment A2 on Query { ...A } "
        "fragment B on Query { ...C ...C } fragment C on Query { ...D ...D } "
        "fragment D on Query { ...E ...E } fragment E on Query { z: __typename }"
    )
    error = only_error(await client.query(query))
    assert error["extensions"]["code"] == "MAX_ALIASES_EXCEEDED"


async def test_cyclic_fragments_are_a_validation_error(client: ApiClient) -> None:
    query = "{ ...A } fragment A on Query { languages { code } ...B } fragment B on Query { ...A }"
    error = only_error(await client.query(query))
    assert "Cannot spread fragment 'A' within itself via 'B'" in error["message"]


async def test_a_long_chain_of_fragments_is_refused(client: ApiClient) -> None:
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(400))
    query = f"{{ ...F0 }} {chain} fragment F400 on Query {{ languages {{ code }} }}"
    error = only_error(await client.query(query))
    assert error["extensions"]["code"] == "MAX_DEPTH_EXCEEDED"
    assert "nested more than 200 levels" in error["message"]


async def test_limits_come_from_settings(demo_url: str) -> None:
    async with api_client(demo_url, max_depth=2, max_aliases=1, max_tokens=20) as api:
        deep = only_error(await api.query("{ authors { edges { node { name } } } }"))
        assert deep["extensions"]["limit"] == 2
        aliased = only_error(await api.query("{ a: __typename b: __typename }"))
        assert aliased["extensions"]["limit"] == 1
        long = only_error(await api.query("{ " + "__typename " * 30 + "}"))
        assert long["extensions"] == {"code": "MAX_TOKENS_EXCEEDED", "limit": 20}


async def test_introspection_is_free_of_list_multipliers(client: ApiClient) -> None:
    result = await client.query(get_introspection_query())
    assert "errors" not in result
    assert result["data"]["__schema"]["queryType"]["name"] == "Query"
    assert result["extensions"]["cost"]["requested"] < 1_000


@pytest.mark.parametrize(
    ("settings", "allowed"),
    [
        ({}, True),
        ({"production": True}, False),
        ({"production": True, "introspection": True}, True),
        ({"introspection": False}, False),
    ],
)
async def test_introspection_switch(demo_url: str, settings: dict[str, Any], allowed: bool) -> None:
    async with api_client(demo_url, **settings) as api:
        result = await api.query("{ __schema { queryType { name } } }")
        typename = await api.data("{ __typename languages { code } }")
    assert typename["__typename"] == "Query"  # __typename is not introspection
    if allowed:
        assert result["data"]["__schema"]["queryType"]["name"] == "Query"
    else:
        assert result["data"] is None
        assert all("introspection has been disabled" in e["message"] for e in result["errors"])


@pytest.mark.parametrize("production", [False, True], ids=["development", "production"])
async def test_suggestions_name_the_schema_only_in_development(
    demo_url: str, production: bool
) -> None:
    """ "Did you mean ...?" names fields, arguments and enum values: a production server,
    which hides its schema, offers none, in validation or in variables."""
    async with api_client(demo_url, production=production) as api:
        field = only_error(await api.query("{ artcles { totalCount } }"))
        argument = only_error(await api.query("{ articles(frist: 2) { totalCount } }"))
        enum = only_error(
            await api.query("{ articles(filter: {status: [PUBLISHD]}) { totalCount } }")
        )
        variable = only_error(
            await api.query(
                "query ($s: [ArticleStatus!]) { articles(filter: {status: $s}) { totalCount } }",
                {"s": ["PUBLISHD"]},
            )
        )
        input_field = only_error(
            await api.query(
                "query ($f: ArticleFilter) { articles(filter: $f) { totalCount } }",
                {"f": {"tagSlg": "x"}},
            )
        )
    errors = [field, argument, enum, variable, input_field]
    assert "Cannot query field 'artcles'" in field["message"]
    assert all(("Did you mean" in e["message"]) is not production for e in errors), errors
