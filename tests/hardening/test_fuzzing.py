"""Fuzzing: schemathesis generates queries and mutations from the schema and sends them to a
running server in production mode, anonymously and with an editor's token.

No answer may be a 500, carry a stack trace or a masked crash ("Unexpected error."), and no
anonymous answer may contain anything of the demo's drafts, scheduled or archived versions.
Seeded and bounded: the same examples every run, a fixed number per operation.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from publishing.access import Role
from publishing.demo.content import STORIES
from tests.hardening import arguments
from tests.hardening.arguments import Case
from tests.hardening.servers import running_server
from tests.media.files import jpeg
from tests.media.test_media_mutations import Newsroom
from tests.support.client import api_client
from tests.support.tokens import bearer, issue_token

# Files arrive in multipart requests; in a query or JSON variables, a string stands in for one.
schemathesis.graphql.scalar("Upload", st.text(max_size=20).map(nodes.String))

EXAMPLES_PER_OPERATION = 10
# Signs of an internal failure shown to a client.
TRACE_MARKERS = ("Traceback", 'File "', "site-packages", ".py:", "sqlalchemy", "asyncpg")
MASKED_CRASH = "Unexpected error."


def _hidden_markers() -> set[str]:
    """Slugs and titles of every demo version no anonymous reader may see."""
    markers: set[str] = set()
    for story in STORIES:
        for version in story.versions:
            scheduled = version.published_days_ago is not None and version.published_days_ago < 0
            if version.status != "published" or scheduled:
                markers.update({version.slug, version.title})
    return markers


HIDDEN = _hidden_markers()


class Answer(Protocol):
    @property
    def status_code(self) -> int: ...
    @property
    def text(self) -> str: ...


def problems_in(response: Answer, *, anonymous: bool, sent: str = "") -> list[str]:
    """What is wrong with one answer; a marker the request itself carried (an error message
    echoing the client's own argument) is no leak."""
    text = response.text
    found = [f"HTTP {response.status_code}"] if response.status_code >= 500 else []
    found += [f"stack trace ({marker!r})" for marker in TRACE_MARKERS if marker in text]
    if MASKED_CRASH in text:
        found.append("a masked crash")
    if anonymous:
        found += [
            f"hidden content {marker!r}"
            for marker in HIDDEN
            if marker in text and marker not in sent
        ]
    return found


def fuzz(graphql_url: str, headers: dict[str, str], *, anonymous: bool) -> tuple[int, list[str]]:
    """Every operation of the schema, EXAMPLES_PER_OPERATION times; returns how many requests
    were sent and what was wrong with any answer."""
    schema = schemathesis.graphql.from_url(graphql_url, headers=headers)
    sent = 0
    problems: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,  # the same examples every run
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case: schemathesis.Case) -> None:
            nonlocal sent
            response = case.call(headers=headers, timeout=15)
            sent += 1
            for problem in problems_in(response, anonymous=anonymous, sent=str(case.body)):
                problems.append(f"{case.operation.label}: {problem}\n  sent: {case.body}")

        run()
    return sent, problems


@pytest.mark.parametrize("identity", ["anonymous", "editor"])
def test_fuzzing_finds_no_crash_trace_or_leak(
    fresh_demo_url: str, tmp_path: Path, identity: str
) -> None:
    headers: dict[str, str] = {}
    if identity == "editor":
        headers = bearer(asyncio.run(issue_token(fresh_demo_url, Role.EDITOR)))
    with running_server(fresh_demo_url, tmp_path, production=True, introspection=True) as server:
        if identity == "editor":
            # The markers are real: an editor does see hidden versions.
            listing = httpx.post(
                server.graphql_url,
                json={"query": "{ articles(first: 100) { edges { node { slug } } } }"},
                headers=headers,
                timeout=15,
            )
            assert HIDDEN & {e["node"]["slug"] for e in listing.json()["data"]["articles"]["edges"]}
        sent, problems = fuzz(server.graphql_url, headers, anonymous=identity == "anonymous")
    assert sent >= 10 * EXAMPLES_PER_OPERATION
    assert not problems, "\n".join(problems[:10])


def test_the_checks_catch_what_they_look_for() -> None:
    """The checks above can fail: each kind of problem is recognised."""

    @dataclass
    class Answered:
        status_code: int
        text: str

    hidden = sorted(HIDDEN)[0]
    assert problems_in(Answered(500, "oops"), anonymous=False) == ["HTTP 500"]
    assert problems_in(
        Answered(200, 'Traceback (most recent call last):\n  File "x"'), anonymous=False
    )
    assert problems_in(
        Answered(200, '{"errors":[{"message":"Unexpected error."}]}'), anonymous=False
    )
    assert problems_in(Answered(200, hidden), anonymous=True)
    assert not problems_in(Answered(200, hidden), anonymous=False)
    # An error message echoing what the client sent leaks nothing.
    echoed = f"Language {hidden!r} is not enabled"
    assert not problems_in(Answered(200, echoed), anonymous=True, sent=f'language: "{hidden}"')


# -- The envelope: each malformed request -> its status and JSON error -----------------------

DEEP = "[" * 300 + "]" * 300
DEEPER = "[" * 1200 + "]" * 1200
TYPENAME = '{"query":"{ __typename }"'

# (name, method, body or query string, content type, status, code)
ENVELOPES: list[tuple[str, str, bytes, str, int, str]] = [
    ("null body", "POST", b"null", "application/json", 400, "INVALID_REQUEST"),
    ("string body", "POST", b'"x"', "application/json", 400, "INVALID_REQUEST"),
    ("number body", "POST", b"1", "application/json", 400, "INVALID_REQUEST"),
    ("boolean body", "POST", b"true", "application/json", 400, "INVALID_REQUEST"),
    ("array body", "POST", b"[]", "application/json", 400, "BATCH_NOT_SUPPORTED"),
    ("empty object", "POST", b"{}", "application/json", 400, "INVALID_REQUEST"),
    ("empty body", "POST", b"", "application/json", 400, "INVALID_JSON"),
    ("truncated JSON", "POST", b'{"query":', "application/json", 400, "INVALID_JSON"),
    (
        "NaN",
        "POST",
        TYPENAME.encode() + b',"variables":{"a":NaN}}',
        "application/json",
        400,
        "INVALID_JSON",
    ),
    (
        "invalid UTF-8",
        "POST",
        TYPENAME.encode() + b',"variables":{"a":"\xff"}}',
        "application/json",
        400,
        "INVALID_JSON",
    ),
    ("query not a string", "POST", b'{"query":1}', "application/json", 400, "INVALID_REQUEST"),
    (
        "operationName an object",
        "POST",
        TYPENAME.encode() + b',"operationName":{}}',
        "application/json",
        400,
        "INVALID_REQUEST",
    ),
    (
        "operationName an array",
        "POST",
        TYPENAME.encode() + b',"operationName":[]}',
        "application/json",
        400,
        "INVALID_REQUEST",
    ),
    (
        "variables a string",
        "POST",
        TYPENAME.encode() + b',"variables":"x"}',
        "application/json",
        400,
        "INVALID_REQUEST",
    ),
    (
        "variables an array",
        "POST",
        TYPENAME.encode() + b',"variables":[]}',
        "application/json",
        400,
        "INVALID_REQUEST",
    ),
    (
        "extensions a number",
        "POST",
        TYPENAME.encode() + b',"extensions":1}',
        "application/json",
        400,
        "INVALID_REQUEST",
    ),
    (
        "variables 300 deep",
        "POST",
        f'{{"query":"query($v: String) {{ __typename }}","variables":{{"v":{DEEP}}}}}'.encode(),
        "application/json",
        400,
        "NESTED_TOO_DEEPLY",
    ),
    (
        "variables 1,200 deep",
        "POST",
        f'{{"query":"query($v: String) {{ __typename }}","variables":{{"v":{DEEPER}}}}}'.encode(),
        "application/json",
        400,
        "NESTED_TOO_DEEPLY",
    ),
    (
        "NUL in operationName",
        "POST",
        TYPENAME.encode() + b',"operationName":"A\\u0000"}',
        "application/json",
        400,
        "INVALID_CHARACTER",
    ),
    (
        "lone surrogate in the query",
        "POST",
        b'{"query":"{ __typename } # \\ud800"}',
        "application/json",
        400,
        "INVALID_CHARACTER",
    ),
    (
        "NUL in extensions",
        "POST",
        b'{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"\\u0000"}}}',
        "application/json",
        400,
        "INVALID_CHARACTER",
    ),
    ("not JSON", "POST", b"{ __typename }", "application/graphql", 415, "UNSUPPORTED_MEDIA_TYPE"),
    ("no content type", "POST", b'{"query":"{ __typename }"}', "", 415, "UNSUPPORTED_MEDIA_TYPE"),
    (
        "GET variables a string",
        "GET",
        b"query=%7B__typename%7D&variables=%22x%22",
        "",
        400,
        "INVALID_REQUEST",
    ),
    (
        "GET variables not JSON",
        "GET",
        b"query=%7B__typename%7D&variables=%7B",
        "",
        400,
        "INVALID_JSON",
    ),
    (
        "GET invalid UTF-8",
        "GET",
        b"query=%7B__typename%7D&variables=%7B%22a%22%3A%22%FF%22%7D",
        "",
        400,
        "INVALID_JSON",
    ),
    (
        "GET variables 300 deep",
        "GET",
        b"query=query(%24v%3AString)%7B__typename%7D&variables=" + DEEP.encode(),
        "",
        400,
        "NESTED_TOO_DEEPLY",
    ),
    (
        "GET extensions an array",
        "GET",
        b"query=%7B__typename%7D&extensions=%5B%5D",
        "",
        400,
        "INVALID_REQUEST",
    ),
    (
        "GET lone surrogate in operationName",
        "GET",
        b"query=%7B__typename%7D&operationName=%ED%A0%80",
        "",
        400,
        "INVALID_JSON",
    ),
]


@pytest.mark.parametrize("production", [False, True], ids=["development", "production"])
@pytest.mark.parametrize("token", [False, True], ids=["anonymous", "token"])
async def test_malformed_envelopes_get_a_4xx_with_a_json_error(
    demo_url: str, production: bool, token: bool
) -> None:
    headers = bearer(await issue_token(demo_url, Role.EDITOR)) if token else {}
    wrong = []
    async with api_client(demo_url, production=production) as api:
        for name, method, sent, content_type, status, code in ENVELOPES:
            if method == "GET":
                response = await api.http.get(
                    "/graphql?" + sent.decode(), headers={"accept": "application/json", **headers}
                )
            else:
                with_type = {"content-type": content_type} if content_type else {}
                response = await api.http.post(
                    "/graphql", content=sent, headers={**with_type, **headers}
                )
            answer = response.json() if "json" in response.headers["content-type"] else {}
            errors = answer.get("errors") or [{}]
            if (
                response.status_code != status
                or errors[0].get("extensions", {}).get("code") != code
                or not errors[0].get("message")
                or problems_in(response, anonymous=False)
            ):
                wrong.append(f"{name}: HTTP {response.status_code} {response.text[:200]}")
    assert not wrong, "\n".join(wrong)


UPLOAD = '{"query":"mutation($f: Upload!) { createMedia(input: {file: $f}) { __typename } }",'
# (name, operations field, map field, status, code): an upload's form, read like a body.
UPLOADS: list[tuple[str, str, str, int, str]] = [
    ("operations null", "null", '{"0": ["variables.f"]}', 400, "INVALID_REQUEST"),
    ("operations a string", '"x"', '{"0": ["variables.f"]}', 400, "INVALID_REQUEST"),
    ("operations not JSON", "{", '{"0": ["variables.f"]}', 400, "INVALID_JSON"),
    (
        "operations 1,200 deep",
        UPLOAD + f'"variables":{{"f":null,"x":{DEEPER}}}}}',
        '{"0": ["variables.f"]}',
        400,
        "NESTED_TOO_DEEPLY",
    ),
    (
        "operationName an object",
        UPLOAD + '"variables":{"f":null},"operationName":{}}',
        '{"0": ["variables.f"]}',
        400,
        "INVALID_REQUEST",
    ),
    ("map null", UPLOAD + '"variables":{"f":null}}', "null", 400, "INVALID_REQUEST"),
    ("map of a string", UPLOAD + '"variables":{"f":null}}', '{"0": "x"}', 400, "INVALID_REQUEST"),
    (
        "map to nowhere",
        UPLOAD + '"variables":{"f":null}}',
        '{"0": ["variables.f.g.h"]}',
        400,
        "INVALID_REQUEST",
    ),
    (
        "map of a missing file",
        UPLOAD + '"variables":{"f":null}}',
        '{"1": ["variables.f"]}',
        400,
        "INVALID_REQUEST",
    ),
]


@pytest.mark.parametrize("production", [False, True], ids=["development", "production"])
async def test_malformed_uploads_get_a_4xx_with_a_json_error(
    demo_url: str, production: bool
) -> None:
    headers = {
        **bearer(await issue_token(demo_url, Role.EDITOR)),
        "GraphQL-Require-Preflight": "1",
    }
    wrong = []
    async with api_client(demo_url, production=production) as api:
        for name, operations, places, status, code in UPLOADS:
            response = await api.http.post(
                "/graphql",
                data={"operations": operations, "map": places},
                files={"0": ("a.txt", b"x", "text/plain")},
                headers=headers,
            )
            errors = (response.json() if "json" in response.headers["content-type"] else {}).get(
                "errors"
            ) or [{}]
            if (
                response.status_code != status
                or errors[0].get("extensions", {}).get("code") != code
            ):
                wrong.append(f"{name}: HTTP {response.status_code} {response.text[:200]}")
    assert not wrong, "\n".join(wrong)


async def test_the_envelope_checks_leave_good_requests_alone(demo_url: str) -> None:
    async with api_client(demo_url, production=True) as api:
        post = await api.http.post("/graphql", json={"query": "{ __typename }", "variables": None})
        get = await api.http.get(
            "/graphql",
            params={"query": "{ __typename }", "variables": "null"},
            headers={"accept": "application/json"},
        )
        # A lone surrogate in variables is the argument's business, not the envelope's.
        surrogate = await api.http.post(
            "/graphql",
            content=b'{"query":"query($s: String!) { tag(slug: $s) { slug } }",'
            b'"variables":{"s":"\\ud800"}}',
            headers={"content-type": "application/json; charset=utf-8"},
        )
    assert post.json()["data"] == get.json()["data"] == {"__typename": "Query"}
    assert surrogate.status_code == 200
    [error] = surrogate.json()["errors"]
    assert error["extensions"] == {"code": "INVALID_CHARACTER", "argumentPath": ["slug"]}


# -- Characters no store keeps, in every string argument of the schema ----------------------

CHARACTERS = {"surrogate": ("\ud800", False), "nul": ("\x00", False), "nul-literal": ("\x00", True)}


def character_problems(case: Case, response: httpx.Response) -> list[str]:
    """What is wrong with the answer to ``case``: it must refuse every string it was given,
    at its path, as data (a ValidationError) or as an error at the field's place."""
    found = problems_in(response, anonymous=False)
    if found or response.status_code != 200:
        return found or [f"HTTP {response.status_code}"]
    answer = response.json()
    if case.union_result:
        result = (answer.get("data") or {}).get(case.path[-1]) or {}
        if result.get("__typename") != "ValidationError":
            return [f"not a ValidationError: {answer}"]
        paths = {tuple(i["path"]) for i in result["issues"]}
        expected = {leaf[1:] if case.inside_input else leaf for leaf in case.leaves}
        codes = {i["code"] for i in result["issues"]}
        if paths != expected or codes != {"INVALID_CHARACTER"}:
            return [f"issues {sorted(paths)} {codes}, expected {sorted(expected)}"]
        return []
    errors = [e for e in answer.get("errors", []) if e.get("path") == list(case.path)]
    if not errors:
        return [f"no error at {list(case.path)}: {answer}"]
    for error in errors:
        extensions = error.get("extensions", {})
        if (
            extensions.get("code") != "INVALID_CHARACTER"
            or tuple(extensions.get("argumentPath", ())) not in case.leaves
        ):
            return [f"wrong error {error}, expected one of {sorted(case.leaves)}"]
    return []


def first_event(response: httpx.Response) -> httpx.Response:
    """The answer in the first `next` event of a graphql-sse stream, as a JSON response."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream"), response.headers
    # Lines end in CRLF, LF or CR (the SSE format); an empty line ends an event.
    text = response.text.replace("\r\n", "\n").replace("\r", "\n")
    events = [block.splitlines() for block in text.split("\n\n") if block.strip()]
    for lines in events:
        if lines[0] == "event: next":
            data = "".join(line.removeprefix("data: ") for line in lines[1:])
            return httpx.Response(200, content=data.encode(), headers=JSON_HEADERS)
    raise AssertionError(f"no `next` event in {response.text!r}")


JSON_HEADERS = {"content-type": "application/json"}


@pytest.mark.parametrize("kind", CHARACTERS)
async def test_no_string_argument_takes_a_character_no_store_keeps(
    fresh_demo_url: str, tmp_path: Path, kind: str
) -> None:
    """Every String and ID argument of the schema (nested inputs and lists included, and the
    subscriptions'), found by walking the SDL, refuses a lone surrogate and a NUL, on both
    stores, in production."""
    value, literal = CHARACTERS[kind]
    schema = arguments.sdl_schema()
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    wrong = []
    async with api_client(
        fresh_demo_url,
        production=True,
        webhooks_allow_private=True,
        media_url=(tmp_path / "media").as_uri(),
    ) as api:
        # Something in every list a nested field is reached through: a webhook, an image.
        await api.data(WEBHOOK, headers=admin)
        await Newsroom(api, fresh_demo_url, admin, admin).upload(jpeg(), "a.jpg")
        reach = {}
        for type_name, ways in arguments.routes(schema).items():
            for route in ways:
                probe = await api.data(route.probe(), headers=admin)
                if route.found_in(probe):
                    reach[type_name] = route
                    break
        generated = arguments.cases(value, reach, literal=literal)
        # Every field taking strings is covered, and none of them was listed by hand.
        below_root = {c.field for c in generated if c.field.split(".")[0] in reach}
        assert below_root == arguments.string_fields(schema)
        assert len(generated) > 90
        assert {c.operation for c in generated} == {"query", "mutation", "subscription"}
        for case in generated:
            body = json.dumps({"query": case.document, "variables": case.variables})
            # Subscriptions over Server-Sent Events: a refused one is one `next` event
            # holding the answer, then `complete`.
            stream = case.operation == "subscription"
            response = await api.http.post(
                "/graphql",
                content=body.encode(),
                headers={
                    "content-type": "application/json",
                    **({"accept": "text/event-stream"} if stream else {}),
                    **admin,
                },
            )
            if stream:
                response = first_event(response)
            wrong += [
                f"{case.field}({case.argument}): {p}" for p in character_problems(case, response)
            ]
    assert not wrong, f"{len(wrong)} of {len(generated)}:\n" + "\n".join(wrong[:15])


WEBHOOK = """mutation {
  createWebhook(input: {url: "http://127.0.0.1:9/hook", events: [ARTICLE_PUBLISHED]}) {
    __typename
  }
}"""
