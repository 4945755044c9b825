"""GraphiQL served by the API itself: the committed build, its routes, and a real browser
rendering it with every other host unreachable."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import fnmatch
import hashlib
import re
import socket
import tomllib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from api.app import create_app
from api.graphiql import ASSETS, MANIFEST, read_manifest
from api.settings import Settings
from tests.support.chromium import offline_chromium
from tests.support.client import TEST_DATABASE_TIMEOUT, ApiClient, api_client

ROOT = Path(__file__).resolve().parents[2]
# Generous: the browser shares two cores with other test runs. Never asserted as a speed.
BROWSER_TIMEOUT = 180.0


def test_committed_assets_are_the_build_listed_in_the_manifest() -> None:
    listed = read_manifest()
    on_disk = {p.name for p in ASSETS.iterdir()} - {MANIFEST.name}
    assert on_disk == set(listed), "assets/ holds exactly what `make graphiql` copied"
    for asset in listed.values():
        digest = hashlib.sha256((ASSETS / asset.name).read_bytes()).hexdigest()
        assert digest == asset.sha256, f"{asset.name} differs from its build: run make graphiql"
    assert {"graphiql.min.js", "graphiql.min.css"} <= set(listed)


def test_assets_are_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["api.graphiql"]
    package = ROOT / "api/graphiql"
    shipped = [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    for path in shipped:
        if path.suffix == ".py" or path.name.startswith("package"):
            continue
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, pat) for pat in patterns), relative


async def test_page_loads_only_its_own_files(client: ApiClient) -> None:
    page = await client.http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    targets = re.findall(r'(?:src|href)="([^"]+)" integrity="([^"]+)"', page.text)
    assert len(targets) == 4
    assert not re.search(r"https?://", " ".join(t for t, _ in targets))
    for target, integrity in targets:
        response = await client.http.get(f"/{target}")
        assert response.status_code == 200, target
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        kind = "text/css" if target.split("?")[0].endswith(".css") else "text/javascript"
        assert response.headers["content-type"] == f"{kind}; charset=utf-8"
        digest = base64.b64encode(hashlib.sha256(response.content).digest()).decode()
        assert integrity == f"sha256-{digest}"


async def test_only_built_files_are_served(client: ApiClient) -> None:
    for name in ("SHA256SUMS", "page.html", "..%2F__init__.py", "missing.js"):
        response = await client.http.get(f"/graphiql/assets/{name}")
        assert response.status_code == 404, name


async def test_production_serves_no_ide_files(demo_url: str) -> None:
    async with api_client(demo_url, production=True) as api:
        response = await api.http.get("/graphiql/assets/graphiql.min.js")
        assert response.status_code == 404


@dataclass
class SeenRequests:
    """What the server answered: (method, path, body) of each HTTP request."""

    seen: list[tuple[str, str, bytes]] = field(default_factory=list)
    introspected: asyncio.Event = field(default_factory=asyncio.Event)

    def wrap(self, app: ASGIApp) -> ASGIApp:
        async def recording(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            body = bytearray()

            async def tee() -> dict[str, object]:
                message = await receive()
                body.extend(message.get("body", b""))  # type: ignore[arg-type]
                return message

            try:
                await app(scope, tee, send)
            finally:
                self.seen.append((scope["method"], scope["path"], bytes(body)))
                if self.introspections():
                    self.introspected.set()

        return recording

    def introspections(self) -> int:
        return sum(
            1
            for method, path, body in self.seen
            if method == "POST" and path == "/graphql" and b"__schema" in body
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextlib.asynccontextmanager
async def served(app: ASGIApp) -> AsyncIterator[str]:
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # the server failed to start: its error
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_graphiql_renders_offline_in_a_real_browser(demo_url: str, tmp_path: Path) -> None:
    seen = SeenRequests()
    app = create_app(Settings(database_url=demo_url, database_timeout=TEST_DATABASE_TIMEOUT))
    async with (
        served(seen.wrap(app)) as url,
        offline_chromium(tmp_path / "profile", BROWSER_TIMEOUT) as browser,
    ):
        page = await browser.new_page()
        await page.record_policy_violations()
        # A shared link: the query travels in the URL.
        await page.navigate(f"{url}/graphql?q=%7B%20languages%20%7B%20code%20%7D%20%7D")
        # GraphiQL rendered, with the query from the URL in its editor.
        async with asyncio.timeout(BROWSER_TIMEOUT):
            editor = await page.wait_for(
                "document.querySelector('.graphiql-query-editor')?.innerText"
            )
        assert "languages" in editor
        # It fetched the schema from this API, and built its documentation from the answer:
        # the schema's root types show in the docs explorer once the browser has read it.
        async with asyncio.timeout(BROWSER_TIMEOUT):
            await seen.introspected.wait()
        await page.evaluate(
            "document.querySelector('[aria-label=\"Show Documentation Explorer\"]').click()"
        )
        async with asyncio.timeout(BROWSER_TIMEOUT):
            docs = await page.wait_for(
                "(t => t.includes('Root Types') && t)"
                "(document.querySelector('.graphiql-doc-explorer')?.innerText || '')"
            )
        assert "query: Query" in docs.replace("\n", " "), docs
        assert "mutation: Mutation" in docs.replace("\n", " "), docs
        # The headers editor is there, for editorial tokens.
        assert await page.evaluate("!!document.querySelector('.graphiql-editor-tool')")
        # The page's policy refused nothing GraphiQL needed.
        assert await page.evaluate("window.policyViolations") == []
        requests = list(page.requests)

    # Everything the page asked for came from this server (or was inline: GraphiQL's fonts
    # are data: URLs), nothing from another host.
    assert requests, "the page made no request"
    assert [r for r in requests if not r.startswith((f"{url}/", "data:"))] == []
    paths = {path for _, path, _ in seen.seen}
    assert {
        "/graphql",
        "/graphiql/assets/graphiql.min.js",
        "/graphiql/assets/graphiql.min.css",
        "/graphiql/assets/react.production.min.js",
        "/graphiql/assets/react-dom.production.min.js",
    } <= paths
