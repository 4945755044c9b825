"""Prometheus metrics at /metrics: off by default, and figures that move with real requests,
on both stores; a port of their own; and several worker processes added up."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.metrics import ANONYMOUS, MAX_OPERATIONS, OTHER
from publishing.access import Role
from publishing.media.urls import ImageFormat
from tests.media import files
from tests.media.test_renditions import _served
from tests.support.client import ApiClient, api_client
from tests.support.tokens import bearer, issue_token
from tests.webhooks.harness import create_webhook, retitle

pytestmark = pytest.mark.anyio

PRESSROOM = str(Path(sys.executable).with_name("pressroom"))
NAMED = "query FrontPage { languages { code } }"
PUBLIC_URL = "https://93.184.215.14/hooks"  # a public address literal: no DNS needed

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def samples(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float:
    """The sum of the samples named ``name`` whose labels include ``labels``."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in found.items() if n == name and wanted <= ls)


def label_values(found: Samples, name: str, label: str) -> set[str]:
    return {dict(ls)[label] for (n, ls), _ in found.items() if n == name and label in dict(ls)}


async def scrape(api: ApiClient) -> Samples:
    response = await api.http.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-type"].startswith("text/plain")
    return samples(response.text)


async def test_off_by_default(demo_url: str) -> None:
    async with api_client(demo_url) as api:
        response = await api.http.get("/metrics")
    assert response.status_code == 404


async def test_requests_are_counted_by_operation_and_outcome(demo_url: str) -> None:
    async with api_client(demo_url, metrics=True) as api:
        assert (await api.http.post("/graphql", json={"query": NAMED})).status_code == 200
        # Unnamed operations of different texts share one label.
        for field in ("code", "name", "code name"):
            query = f"{{ languages {{ {field} }} }}"
            assert (await api.http.post("/graphql", json={"query": query})).status_code == 200
        bad = await api.http.post("/graphql", json={"query": "query Broken { nope }"})
        assert bad.status_code == 200 and bad.json()["errors"]
        found = await scrape(api)
    total = "pressroom_requests_total"
    assert value(found, total, endpoint="graphql", operation="FrontPage", outcome="ok") == 1
    assert value(found, total, endpoint="graphql", operation=ANONYMOUS, outcome="ok") == 3
    assert value(found, total, endpoint="graphql", operation="Broken", outcome="error") == 1
    assert label_values(found, total, "operation") == {"FrontPage", ANONYMOUS, "Broken"}
    # Latency: one observation per request, under the same labels.
    count = "pressroom_request_duration_seconds_count"
    assert value(found, count, endpoint="graphql", operation=ANONYMOUS) == 3
    assert value(found, "pressroom_process_requests") == 5
    # Statements: the requests' reads, and the change log's checks.
    assert value(found, "pressroom_sql_statements_total", engine="requests") > 0
    assert value(found, "pressroom_sql_statements_total", engine="change_log") > 0
    assert value(found, "pressroom_change_log_check_seconds_count") >= 1
    assert value(found, "pressroom_cost_points_total") > 0
    assert ("pressroom_db_pool_in_use", "requests") in {
        (n, dict(ls).get("engine")) for (n, ls) in found
    }


async def test_refusals_before_execution_have_their_outcome(demo_url: str) -> None:
    async with api_client(demo_url, metrics=True) as api:
        unknown = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
        response = await api.http.get("/graphql", params={"extensions": json.dumps(unknown)})
        assert response.status_code == 200 and response.json()["errors"]
        unreadable = await api.http.post("/graphql", content=b"{", headers={
            "content-type": "application/json"})  # fmt: skip
        assert unreadable.status_code == 400
        found = await scrape(api)
    total = "pressroom_requests_total"
    assert value(found, total, endpoint="graphql", operation=ANONYMOUS, outcome="error") == 1
    assert value(found, total, endpoint="graphql", operation=ANONYMOUS, outcome="refused") == 1


async def test_statements_are_counted_as_the_database_sees_them(demo_url: str) -> None:
    async with api_client(demo_url, metrics=True, response_cache=False) as api:
        before = value(await scrape(api), "pressroom_sql_statements_total", engine="requests")
        api.counter.reset()
        await api.data('{ articles(language: "en", first: 5) { edges { node { title } } } }')
        counted = api.counter.count
        after = value(await scrape(api), "pressroom_sql_statements_total", engine="requests")
    # The scrape reads the webhook queue on the same engine: its statements add up too.
    assert counted > 0
    assert after - before >= counted


async def test_random_operation_names_do_not_grow_the_label_set(demo_url: str) -> None:
    async with api_client(demo_url, metrics=True, response_cache=False) as api:
        for number in range(MAX_OPERATIONS + 20):
            query = f"query Random{number} {{ languages {{ code }} }}"
            assert (await api.http.post("/graphql", json={"query": query})).status_code == 200
        found = await scrape(api)
    names = label_values(found, "pressroom_requests_total", "operation")
    assert len(names) == MAX_OPERATIONS + 1 and OTHER in names
    assert value(found, "pressroom_requests_total", operation=OTHER) == 20


async def test_trusted_documents_are_always_labelled_by_name(demo_url: str, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({hashlib.sha256(NAMED.encode()).hexdigest(): NAMED}))
    async with api_client(demo_url, metrics=True, trusted_documents=str(manifest)) as api:
        api.state["metrics"].operations.seen.update(f"Filler{n}" for n in range(MAX_OPERATIONS))
        sha = hashlib.sha256(NAMED.encode()).hexdigest()
        response = await api.http.post(
            "/graphql",
            json={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha}}},
        )
        assert response.status_code == 200 and "errors" not in response.json()
        found = await scrape(api)
    assert value(found, "pressroom_requests_total", operation="FrontPage", outcome="ok") == 1


async def test_response_cache_hits_misses_and_bypasses(demo_url: str) -> None:
    async with api_client(demo_url, metrics=True) as api:
        query = "query Cached { languages { code name } }"
        first = await api.http.get("/graphql", params={"query": query})
        second = await api.http.get("/graphql", params={"query": query})
        assert first.headers["x-pressroom-cache"] == "miss"
        assert second.headers["x-pressroom-cache"] == "hit"
        mutation = 'mutation { createTag(input: {name: "x"}) { __typename } }'
        await api.http.post("/graphql", json={"query": mutation})
        found = await scrape(api)
    assert value(found, "pressroom_response_cache_total", outcome="miss") == 1
    assert value(found, "pressroom_response_cache_total", outcome="hit") == 1
    assert value(found, "pressroom_response_cache_total", outcome="bypass") == 1


async def test_throttled_requests_are_counted(demo_url: str) -> None:
    async with api_client(
        demo_url, metrics=True, rate_limit_points=10, rate_limit_restore_rate=0.001
    ) as api:
        query = '{ articles(language: "en", first: 20) { edges { node { title } } } }'
        # The first takes the whole budget (a cost above it needs a full one), the next waits.
        admitted = await api.http.post("/graphql", json={"query": query})
        assert admitted.status_code == 200
        refused = await api.http.post("/graphql", json={"query": query})
        assert refused.status_code == 429
        found = await scrape(api)
    assert value(found, "pressroom_throttled_requests_total") == 1
    assert value(found, "pressroom_requests_total", outcome="throttled") == 1
    assert value(found, "pressroom_cost_points_total") >= 10


async def test_webhook_queue_depth_reflects_pending_deliveries(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with api_client(fresh_demo_url, metrics=True, webhooks_dispatcher=False) as api:
        empty = await scrape(api)
        await create_webhook(api, admin, PUBLIC_URL, ["ARTICLE_UPDATED"])
        await retitle(api, editor, ("en", "the-future-of-nuclear-verification"), "Queued")
        found = await scrape(api)
    assert value(empty, "pressroom_webhook_queue_up") == 1
    assert value(empty, "pressroom_webhook_queue_depth") == 0
    assert value(found, "pressroom_webhook_queue_depth") == 1
    assert value(found, "pressroom_webhook_deliveries", status="PENDING") == 1
    assert value(found, "pressroom_webhook_oldest_due_seconds") >= 0


async def test_renditions_made_are_counted(fresh_demo_url: str, tmp_path: Path) -> None:
    settings = {"media_url": (tmp_path / "media").as_uri(), "metrics": True}
    async for served in _served(fresh_demo_url, settings):
        asset = await served.upload(files.jpeg(400, 300), "photo.jpg")
        url = served.url(asset, width=200, image_format=ImageFormat.WEBP)
        for _ in range(2):  # made once, then read from the storage
            assert (await served.api.http.get(url)).status_code == 200
        found = await scrape(served.api)
    assert value(found, "pressroom_media_renditions_total") == 1
    assert value(found, "pressroom_requests_total", endpoint="media", operation="(none)") == 2


# -- the real server ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """`pressroom serve` with the arguments and environment a test sets before ``start``."""

    env: dict[str, str]
    args: list[str] = field(default_factory=list)
    processes: list[subprocess.Popen[str]] = field(default_factory=list)

    def start(self) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [PRESSROOM, "serve", *self.args],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=self.env,
        )
        self.processes.append(process)
        return process


@pytest.fixture
def served(demo_url: str, tmp_path: Path) -> Iterator[Server]:
    env = {
        **os.environ,
        "PRESSROOM_DATABASE_URL": demo_url,
        "PRESSROOM_MEDIA_URL": (tmp_path / "media").as_uri(),
        "PRESSROOM_WEBHOOKS_DISPATCHER": "false",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    server = Server(env)
    try:
        yield server
    finally:
        for process in server.processes:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
            if process.stdout is not None:
                process.stdout.close()


def _wait_until_up(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 90  # starting is slow on a busy machine
    while True:
        assert process.poll() is None, "the server stopped"
        try:
            httpx.get(url, timeout=5)
            return
        except httpx.TransportError:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)


def test_a_port_of_their_own(served: Server) -> None:
    port, metrics_port = _free_port(), _free_port()
    served.env.update(
        PRESSROOM_PORT=str(port), PRESSROOM_METRICS="1", PRESSROOM_METRICS_PORT=str(metrics_port)
    )
    process = served.start()
    _wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
    httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": NAMED}, timeout=30)
    assert httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=30).status_code == 404
    response = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=30)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    found = samples(response.text)
    assert value(found, "pressroom_requests_total", operation="FrontPage", outcome="ok") == 1
    assert httpx.get(f"http://127.0.0.1:{metrics_port}/other", timeout=30).status_code == 404


def test_workers_are_added_up(served: Server) -> None:
    port = _free_port()
    served.args.extend(["--workers", "2"])
    served.env.update(PRESSROOM_PORT=str(port), PRESSROOM_METRICS="1")
    process = served.start()
    base = f"http://127.0.0.1:{port}"
    _wait_until_up(f"{base}/healthz", process)
    sent = 0
    pids: set[str] = set()
    deadline = time.monotonic() + 120
    # New connections each time: the kernel spreads them over both workers.
    while len(pids) < 2:
        assert time.monotonic() < deadline, f"one worker answered everything: {pids}"
        for _ in range(20):
            httpx.post(f"{base}/graphql", json={"query": NAMED}, timeout=30)
            sent += 1
        found = samples(httpx.get(f"{base}/metrics", timeout=30).text)
        pids = {
            dict(ls)["pid"]
            for (n, ls), v in found.items()
            if n == "pressroom_process_requests" and v > 0
        }
    total = value(found, "pressroom_requests_total", endpoint="graphql", operation="FrontPage")
    assert total == sent


# -- the access log ----------------------------------------------------------------------------

PREVIEW = "query Preview($token: String!) { articlePreview(token: $token) { title } }"
PREVIEW_TOKEN = "preview-secret-0123456789abcdef"


def _request_lines(served: Server, log_format: str | None) -> tuple[list[str], str]:
    """The access log of a server asked for one preview by GET and by an editor's token."""
    port = _free_port()
    served.env["PRESSROOM_PORT"] = str(port)
    if log_format is not None:
        served.env["PRESSROOM_LOG_FORMAT"] = log_format
    token = served.env["EDITOR_TOKEN"]
    process = served.start()
    base = f"http://127.0.0.1:{port}"
    _wait_until_up(f"{base}/healthz", process)
    variables = json.dumps({"token": PREVIEW_TOKEN})
    response = httpx.get(
        f"{base}/graphql",
        params={"query": PREVIEW, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    process.send_signal(signal.SIGINT)
    stdout, _ = process.communicate(timeout=30)
    return [line for line in stdout.splitlines() if "/graphql" in line], token


async def test_one_json_line_per_request_and_no_secret(served: Server, demo_url: str) -> None:
    served.env["EDITOR_TOKEN"] = await issue_token(demo_url, Role.EDITOR)
    [line], token = _request_lines(served, None)  # stdout is a pipe: JSON
    fields = json.loads(line)
    assert set(fields) == {
        "method",
        "path",
        "operation",
        "status",
        "duration_ms",
        "cache",
        "cost",
        "client",
    }
    assert fields["method"] == "GET" and fields["path"] == "/graphql"
    assert fields["operation"] == "Preview" and fields["status"] == 200
    assert fields["duration_ms"] > 0 and fields["cache"] == "bypass"
    assert isinstance(fields["cost"], int) and fields["cost"] > 0
    public_id = token.split("_")[1]
    assert fields["client"] == public_id
    secret = token.split("_", 2)[2]
    assert PREVIEW_TOKEN not in line and secret not in line and "articlePreview" not in line


async def test_text_lines_when_asked(served: Server, demo_url: str) -> None:
    served.env["EDITOR_TOKEN"] = await issue_token(demo_url, Role.EDITOR)
    [line], token = _request_lines(served, "text")
    assert line.startswith("GET /graphql 200 ")
    assert "op=Preview" in line and "cache=bypass" in line
    assert f"client={token.split('_')[1]}" in line
    assert PREVIEW_TOKEN not in line and token.split("_", 2)[2] not in line
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)
