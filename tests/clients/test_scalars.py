"""Date and DateTime as clients see them: the format the schema states (@specifiedBy) is the
format the API answers in and the one it reads."""

from __future__ import annotations

import re

from tests.support.client import ApiClient

# RFC 3339 date-time in UTC as the API writes it (isoformat of a UTC time).
UTC_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$")
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

ARTICLES = """
{ articles(language: "en", first: 20) { edges { node {
    publishedAt updatedAt footnotes { source { accessedOn } }
} } } }
"""


async def test_scalars_name_their_specification(client: ApiClient) -> None:
    expected = {
        "DateTime": "https://datatracker.ietf.org/doc/html/rfc3339",
        "Date": "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6",
        "Upload": "https://github.com/jaydenseric/graphql-multipart-request-spec",
        "JSON": "https://ecma-international.org/wp-content/uploads/ECMA-404_2nd_edition_december_2017.pdf",
    }
    for name, url in expected.items():
        data = await client.data(
            "query ($name: String!) { __type(name: $name) { specifiedByURL description } }",
            {"name": name},
        )
        assert data["__type"]["specifiedByURL"] == url
        assert data["__type"]["description"]


async def test_answers_are_in_the_stated_formats(client: ApiClient) -> None:
    data = await client.data(ARTICLES)
    nodes = [edge["node"] for edge in data["articles"]["edges"]]
    moments = [n["updatedAt"] for n in nodes] + [n["publishedAt"] for n in nodes]
    days = [
        f["source"]["accessedOn"]
        for n in nodes
        for f in n["footnotes"]
        if f["source"] and f["source"]["accessedOn"]
    ]
    assert nodes and days, "the demo data has dated articles and sources"
    assert all(UTC_DATE_TIME.match(m) for m in moments), moments
    assert all(FULL_DATE.match(d) for d in days), days


async def test_a_date_time_argument_needs_an_offset(client: ApiClient) -> None:
    query = """query ($after: DateTime!) {
        articles(language: "en", filter: {publishedAfter: $after}) { totalCount }
    }"""
    with_offset = await client.data(query, {"after": "2000-01-01T00:00:00Z"})
    assert with_offset["articles"]["totalCount"] > 0
    without = await client.query(query, {"after": "2000-01-01T00:00:00"})
    assert "time zone offset" in without["errors"][0]["message"]
