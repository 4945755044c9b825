"""A TCP proxy in front of PostgreSQL that tests can break on purpose.

The machine's PostgreSQL server is shared, so tests never stop it; they point the API at this
proxy instead and make "the database" stop (connections reset, new ones refused), hang
(connections accepted, nothing answered), now or the moment a given statement is sent, or drop
one connection the moment a given statement is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy.engine import make_url


@dataclass(eq=False)
class _Link:
    client: asyncio.StreamWriter
    server: asyncio.StreamWriter

    def abort(self) -> None:
        # A reset, as when the server process dies: no orderly goodbye.
        self.client.transport.abort()
        self.server.transport.abort()


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._links: set[_Link] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._cut_on: bytes | None = None
        self._stall_on: bytes | None = None
        self.cut_done = asyncio.Event()
        # Set once a client sent something while the proxy was stalled: a query is waiting.
        self.holding = asyncio.Event()

    def url_for(self, database_url: str) -> str:
        """``database_url`` (a PostgreSQL URL) rerouted through this proxy."""
        return (
            make_url(database_url)
            .set(host="127.0.0.1", port=self.port)
            .render_as_string(hide_password=False)
        )

    # -- lifecycle --------------------------------------------------------------------------

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._accept, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        await self.stop_database()
        self._flowing.set()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # -- faults -----------------------------------------------------------------------------

    async def stop_database(self) -> None:
        """As if PostgreSQL stopped: open connections reset, new ones refused."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for link in list(self._links):
            link.abort()
        self._links.clear()

    async def start_database(self) -> None:
        """PostgreSQL is back, on the same address."""
        await self.start()

    def stall(self) -> None:
        """As if PostgreSQL hung: connections are accepted, nothing is answered."""
        self.holding.clear()
        self._flowing.clear()

    def stall_when_sent(self, statement_start: bytes) -> None:
        """Hang, as ``stall`` does, once a client sends ``statement_start``; the statement is
        held, so the server never sees it while stalled."""
        self.holding.clear()
        self._stall_on = statement_start

    def resume(self) -> None:
        self._stall_on = None
        self._flowing.set()

    def cut_when_sent(self, statement_start: bytes) -> None:
        """Reset the connection that sends ``statement_start`` before the server sees it."""
        self.cut_done.clear()
        self._cut_on = statement_start

    # -- forwarding -------------------------------------------------------------------------

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        link = _Link(writer, server_writer)
        self._links.add(link)
        for pump in (
            self._pump(reader, server_writer, link, upstream=True),
            self._pump(server_reader, writer, link, upstream=False),
        ):
            task = asyncio.create_task(pump)
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _pump(
        self,
        source: asyncio.StreamReader,
        target: asyncio.StreamWriter,
        link: _Link,
        *,
        upstream: bool,
    ) -> None:
        try:
            while data := await source.read(65536):
                if upstream and self._stall_on is not None and self._stall_on in data:
                    self._stall_on = None
                    self._flowing.clear()
                if not self._flowing.is_set():
                    if upstream:
                        self.holding.set()
                    await self._flowing.wait()
                if upstream and self._cut_on is not None and self._cut_on in data:
                    self._cut_on = None
                    link.abort()
                    self.cut_done.set()
                    return
                target.write(data)
                await target.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            link.abort()
            self._links.discard(link)


@contextlib.asynccontextmanager
async def proxy_to(database_url: str) -> AsyncIterator[TcpProxy]:
    """A running proxy in front of the server ``database_url`` names."""
    url = make_url(database_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    try:
        yield proxy
    finally:
        await proxy.close()
