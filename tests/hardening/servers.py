"""`pressroom serve` in a subprocess on a free port: the API as operators run it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

START_TIMEOUT = 30.0
STOP_TIMEOUT = 20.0


@dataclass
class ApiServer:
    url: str  # e.g. http://127.0.0.1:43121
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/graphql"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def terminate(self) -> None:
        """SIGTERM, as orchestrators stop a container."""
        self.process.send_signal(signal.SIGTERM)

    def wait(self, timeout: float = STOP_TIMEOUT) -> int:
        return self.process.wait(timeout=timeout)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _pressroom() -> str:
    script = Path(sys.executable).with_name("pressroom")
    assert script.exists(), f"no pressroom console script next to {sys.executable}"
    return str(script)


@contextlib.contextmanager
def running_server(database_url: str, workdir: Path, **settings: Any) -> Iterator[ApiServer]:
    """Start ``pressroom serve`` with ``PRESSROOM_*`` settings; yields once /healthz answers;
    stops it with SIGTERM (SIGKILL if it hangs) afterwards."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PRESSROOM_")}
    env.update(
        {
            "PRESSROOM_DATABASE_URL": database_url,
            "PRESSROOM_HOST": "127.0.0.1",
            "PRESSROOM_PORT": str(port),
            # Webhook delivery would poll the database in the background; not under test here.
            "PRESSROOM_WEBHOOKS_DISPATCHER": "false",
            **{f"PRESSROOM_{name.upper()}": _env_value(value) for name, value in settings.items()},
        }
    )
    log_path = workdir / f"server-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [_pressroom(), "serve"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    server = ApiServer(f"http://127.0.0.1:{port}", process, log_path)
    try:
        _wait_until_up(server)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _env_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _wait_until_up(server: ApiServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"the server exited at start:\n{server.log()}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"the server did not answer within {START_TIMEOUT} s:\n{server.log()}")
