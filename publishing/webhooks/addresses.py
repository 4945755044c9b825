"""Where a webhook may point: http(s) URLs whose host resolves only to public addresses.

Checked when a webhook is saved and again before every delivery, since DNS answers change;
the delivery then connects to the address that was checked, not to a second lookup.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_URL = 2_000
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The URL cannot be used; ``code`` is the input issue code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Target:
    scheme: str
    host: str
    port: int


def parse_url(url: str) -> Target:
    """The URL's scheme, host and port; AddressRefused unless it is an absolute http(s) URL
    without credentials."""
    if len(url) > MAX_URL:
        raise AddressRefused("TOO_LONG", f"A webhook URL has at most {MAX_URL:,} characters.")
    invalid = AddressRefused(
        "INVALID_URL", f"A webhook URL must be an absolute http or https URL; got {url[:80]!r}."
    )
    if any(c.isspace() for c in url):
        raise invalid
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise invalid
    if parts.username is not None or parts.password is not None:
        raise AddressRefused(
            "INVALID_URL", "A webhook URL may not hold credentials; receivers check signatures."
        )
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise invalid from None
    return Target(scheme, parts.hostname, port)


def is_public(address: IPAddress) -> bool:
    """Routable on the internet: not private, loopback, link-local, multicast, reserved,
    unspecified or shared (carrier-grade NAT)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


async def resolve(target: Target, *, time_limit: float = 5.0) -> list[IPAddress]:
    """Every address the host resolves to (an IP literal is its own answer)."""
    literal = _literal(target.host)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(time_limit):
            infos = await loop.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (OSError, TimeoutError):
        raise AddressRefused(
            "HOST_NOT_FOUND", f"The host {target.host!r} of the webhook URL does not resolve."
        ) from None
    addresses: list[IPAddress] = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


async def public_addresses(target: Target, *, time_limit: float = 5.0) -> list[IPAddress]:
    """The host's addresses; AddressRefused when any is not public (a host with one private
    answer could be steered to it)."""
    addresses = await resolve(target, time_limit=time_limit)
    refused = [a for a in addresses if not is_public(a)]
    if refused or not addresses:
        shown = ", ".join(str(a) for a in refused) or "none"
        raise AddressRefused(
            "PRIVATE_ADDRESS",
            f"The host {target.host!r} resolves to a private or reserved address ({shown}); "
            "webhooks are sent only to public addresses.",
        )
    return addresses
