"""Headless Chromium driven over the DevTools protocol, with every host but this machine
unreachable: what a browser on an air-gapped network would load, request by request."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    # Not a skip: .ci/run installs Debian's chromium, and a check that quietly does not run
    # proves nothing.
    assert found, "headless Chromium is needed: apt-get install -y chromium"
    return found


@dataclass
class Page:
    """One tab; ``requests`` lists every URL it asked for, whether or not it loaded."""

    _browser: Browser
    session: str
    requests: list[str] = field(default_factory=list)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        return await self._browser.send(method, session=self.session, **params)

    async def navigate(self, url: str) -> None:
        await self.send("Page.navigate", url=url)

    async def record_policy_violations(self) -> None:
        """From the next page on, ``window.policyViolations`` lists what its
        Content-Security-Policy refused (directive and blocked URL)."""
        await self.send(
            "Page.addScriptToEvaluateOnNewDocument",
            source=(
                "window.policyViolations = [];"
                "document.addEventListener('securitypolicyviolation', e =>"
                " window.policyViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
            ),
        )

    async def evaluate(self, expression: str) -> Any:
        answer = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return answer["result"].get("value")

    async def wait_for(self, expression: str) -> Any:
        """The value of ``expression`` once it is truthy (polled: the page renders in its own
        time; the caller's timeout only bounds a page that never does)."""
        while True:
            value = await self.evaluate(expression)
            if value:
                return value
            await asyncio.sleep(0.2)


@dataclass
class Browser:
    socket: ClientConnection
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _waiting: dict[int, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    _pages: dict[str, Page] = field(default_factory=dict)

    async def send(self, method: str, *, session: str | None = None, **params: Any) -> Any:
        message_id = next(self._ids)
        message: dict[str, Any] = {"id": message_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        answer = self._waiting[message_id] = asyncio.get_running_loop().create_future()
        await self.socket.send(json.dumps(message))
        reply = await answer
        assert "error" not in reply, (method, reply["error"])
        return reply.get("result", {})

    async def read(self) -> None:
        async for raw in self.socket:
            message = json.loads(raw)
            if "id" in message:
                self._waiting.pop(message["id"]).set_result(message)
            elif message.get("method") == "Network.requestWillBeSent":
                page = self._pages.get(message.get("sessionId", ""))
                if page is not None:
                    page.requests.append(message["params"]["request"]["url"])

    async def new_page(self) -> Page:
        target = await self.send("Target.createTarget", url="about:blank")
        attached = await self.send(
            "Target.attachToTarget", targetId=target["targetId"], flatten=True
        )
        page = self._pages[attached["sessionId"]] = Page(self, attached["sessionId"])
        await page.send("Network.enable")
        await page.send("Page.enable")
        return page


@contextlib.asynccontextmanager
async def offline_chromium(profile: Path, start_within: float) -> AsyncIterator[Browser]:
    """Chromium in which every host name but 127.0.0.1 fails to resolve."""
    process = await asyncio.create_subprocess_exec(
        chromium_path(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        f"--user-data-dir={profile}",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--remote-debugging-port=0",
        "about:blank",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stderr is not None
    try:
        async with asyncio.timeout(start_within):
            url = None
            while url is None:
                line = (await process.stderr.readline()).decode()
                assert line, "Chromium exited before its DevTools endpoint was up"
                found = re.search(r"DevTools listening on (ws://\S+)", line)
                url = found.group(1) if found else None
        # Chromium goes on writing to stderr; it must not block on a full pipe.
        drain = asyncio.create_task(process.stderr.read())
        try:
            async with connect(url, max_size=None) as socket:
                browser = Browser(socket)
                reader = asyncio.create_task(browser.read())
                try:
                    yield browser
                finally:
                    reader.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await reader
        finally:
            drain.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await drain
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()
