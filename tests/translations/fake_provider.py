"""A machine translation service for tests: DeepL's and LibreTranslate's APIs, answered by a
real HTTP server on a loopback port (uvicorn, in the test's event loop).

It "translates" by prefixing the text that opens a segment, and each text inside a code, with
the target language (``(tr) ``), so every inline code (``<x/>``, ``<g>``) comes back where it
was. ``mode`` makes it misbehave."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

# ok; quota: DeepL's 456; slow: answers after the client gave up; drop-codes: texts holding
# "1972" come back without their codes; garbage: not JSON.
Mode = Literal["ok", "quota", "slow", "drop-codes", "garbage"]


@dataclass
class FakeProvider:
    url: str = ""
    mode: Mode = "ok"
    requests: list[tuple[str, dict[str, str], Any]] = field(default_factory=list)

    def translate(self, text: str, target: str) -> str:
        root = ET.fromstring(f"<s>{text}</s>")
        if self.mode == "drop-codes" and "1972" in text:
            return ET.tostring(root, encoding="unicode", method="text")
        prefix = f"({target.lower()}) "
        for element in root.iter():
            if element.text and element.text.strip():
                element.text = prefix + element.text
        written = ET.tostring(root, encoding="unicode")
        return written.removeprefix("<s>").removesuffix("</s>")

    async def _answer(self, request: Request) -> Response | None:
        body = await request.json()
        self.requests.append((request.url.path, dict(request.headers), body))
        if self.mode == "quota":
            return JSONResponse({"message": "Quota exceeded"}, status_code=456)
        if self.mode == "slow":
            await asyncio.sleep(5)
        if self.mode == "garbage":
            return Response("<html>proxy error</html>", media_type="text/html")
        return None

    async def deepl(self, request: Request) -> Response:
        refused = await self._answer(request)
        if refused is not None:
            return refused
        _, headers, body = self.requests[-1]
        if headers.get("authorization") != "DeepL-Auth-Key test-key":
            return JSONResponse({"message": "Wrong key"}, status_code=403)
        texts = [self.translate(t, body["target_lang"]) for t in body["text"]]
        return JSONResponse(
            {"translations": [{"detected_source_language": "EN", "text": t} for t in texts]}
        )

    async def libretranslate(self, request: Request) -> Response:
        refused = await self._answer(request)
        if refused is not None:
            return refused
        _, _, body = self.requests[-1]
        return JSONResponse(
            {"translatedText": [self.translate(t, body["target"]) for t in body["q"]]}
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextlib.asynccontextmanager
async def fake_provider() -> AsyncIterator[FakeProvider]:
    fake = FakeProvider()
    app = Starlette(
        routes=[
            Route("/v2/translate", fake.deepl, methods=["POST"]),
            Route("/translate", fake.libretranslate, methods=["POST"]),
        ]
    )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # the server failed to start: its error
        await asyncio.sleep(0.01)
    fake.url = f"http://127.0.0.1:{port}"
    try:
        yield fake
    finally:
        server.should_exit = True
        await task
