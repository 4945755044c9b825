"""GraphiQL served by the API itself: its page and the browser files it loads.

The files in ``assets/`` come from the npm packages pinned in this folder's package-lock.json
(``make graphiql`` copies them and writes ``assets/SHA256SUMS``), so the IDE works on a network
that reaches no other host. The page loads them by path relative to /graphql, versioned by
their digest, with Subresource Integrity.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

ASSETS = Path(__file__).resolve().parent / "assets"
MANIFEST = ASSETS / "SHA256SUMS"
_PAGE = Path(__file__).resolve().parent / "page.html"
# Where the page finds the files; relative to /graphql, so a path prefix in front of the
# app (a proxy's root path) still works.
ASSET_PATH = "graphiql/assets"

_MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
# Every URL the page uses carries the file's digest, so a new build is a new URL.
_IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class Asset:
    name: str
    sha256: str  # hex

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES.get(Path(self.name).suffix, "text/plain; charset=utf-8")

    @property
    def integrity(self) -> str:
        return "sha256-" + base64.b64encode(bytes.fromhex(self.sha256)).decode()

    def url(self) -> str:
        return f"{ASSET_PATH}/{self.name}?v={self.sha256[:16]}"


def read_manifest(path: Path = MANIFEST) -> dict[str, Asset]:
    """The built files by name, from a ``sha256sum`` listing."""
    assets: dict[str, Asset] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        assets[name] = Asset(name=name, sha256=digest)
    return assets


@functools.cache
def _assets() -> dict[str, Asset]:
    return read_manifest()


@functools.cache
def page() -> tuple[str, str]:
    """The page's HTML and its Content-Security-Policy."""
    assets = _assets()
    html = _PAGE.read_text(encoding="utf-8")

    def tag_target(match: re.Match[str]) -> str:
        asset = assets[match.group(1)]
        return f'{asset.url()}" integrity="{asset.integrity}'

    html = re.sub(r"\{\{([\w.-]+)\}\}", tag_target, html)
    inline = re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL)
    inline_hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in inline
    )
    # The browser itself refuses anything from another host: the page works air-gapped or
    # not at all, never half on a CDN. GraphiQL styles its elements inline and embeds its
    # fonts as data: URLs.
    policy = (
        "default-src 'none'; "
        f"script-src 'self' {inline_hashes}; "
        "style-src 'self' 'unsafe-inline'; "
        "font-src 'self' data:; "
        "img-src 'self' data:; "
        "connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return html, policy


def page_response() -> Response:
    html, policy = page()
    return HTMLResponse(
        html, headers={"content-security-policy": policy, "cache-control": "no-cache"}
    )


async def asset(request: Request) -> Response:
    found = _assets().get(request.path_params["name"])
    # Only the built files are served: the manifest is the list, so no path escapes it.
    if found is None or found.name == MANIFEST.name:
        return Response("Not Found", 404, media_type="text/plain")
    return FileResponse(
        ASSETS / found.name,
        media_type=found.media_type,
        headers={"cache-control": _IMMUTABLE, "x-content-type-options": "nosniff"},
    )


def graphiql_routes() -> list[Route]:
    return [Route(f"/{ASSET_PATH}/{{name}}", asset, methods=["GET", "HEAD"])]


__all__ = ["ASSETS", "MANIFEST", "Asset", "graphiql_routes", "page_response", "read_manifest"]
