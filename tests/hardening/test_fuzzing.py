"""Fuzzing: schemathesis generates queries and mutations from the schema and sends them to a
running server in production mode, anonymously and with an editor's token.

No answer may be a 500, carry a stack trace or a masked crash ("Unexpected error."), and no
anonymous answer may contain anything of the demo's drafts, scheduled or archived versions.
Seeded and bounded: the same examples every run, a fixed number per operation.
"""

from __future__ import annotations

import asyncio
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
from tests.hardening.servers import running_server
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
