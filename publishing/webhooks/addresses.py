"""Where a webhook may point: http(s) URLs whose host resolves only to public addresses.

Checked when a webhook is saved and again before every delivery, since DNS answers change;
the delivery then connects to the address that was checked, not to a second lookup. Media
fetched from a URL (``publishing.media.fetching``) follows the same rules on every hop.

An IPv6 address can carry an IPv4 one (the transition mechanisms below): it is judged by the
address it leads to, or refused outright. A host that spells an IPv4 address in decimal, hex
or octal (``2130706433``, ``0x7f.1``) is refused, naming the plain form.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from dataclasses import dataclass
from typing import Final
from urllib.parse import unquote, urlsplit

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
    host = parts.hostname
    spelled = _spelled_ipv4(host) if _literal(host) is None else None
    if spelled is not None:
        # Resolvers and HTTP clients disagree on these (the same text may be an address to
        # one and a name or an error to another); the plain form leaves no doubt.
        raise AddressRefused(
            "INVALID_URL",
            f"The host {host!r} spells the IPv4 address {spelled} in a form clients read "
            f"differently; write it as {spelled}.",
        )
    return Target(scheme, host, port)


# IPv6 ranges whose addresses carry an IPv4 address (RFC 6890 and the IANA special-purpose
# registry). Some are refused outright, whatever IPv4 address they hold:
# - IPv4-compatible (::/96, RFC 4291 deprecated it) and IPv4-translated (::ffff:0:0:0/96, the
#   obsolete SIIT of RFC 2765): no receiver is reached through them today.
# - 6to4 (2002::/16, deprecated by RFC 7526) and Teredo (2001::/32, its servers retired): the
#   packets leave through whichever relay the network routes them to, and come out as IPv4
#   towards the embedded address (Teredo holds two: its server's, and the client's obfuscated
#   by XOR); no webhook receiver needs them.
# - NAT64 local-use (64:ff9b:1::/48, RFC 8215): where the IPv4 address sits depends on the
#   prefix length each network chooses, so it cannot be read, let alone checked.
# The others are judged by the IPv4 address they lead to, because they are how IPv6-only and
# dual-stack hosts reach IPv4 receivers today: IPv4-mapped (::ffff:0:0/96, a dual-stack
# socket connects to the IPv4 address), NAT64's well-known prefix (64:ff9b::/96, which a DNS64
# resolver answers for IPv4-only hosts; RFC 6052 forbids it for non-global IPv4 addresses),
# and ISATAP interface identifiers (::0:5efe:a.b.c.d and ::200:5efe:a.b.c.d under any
# prefix, RFC 5214), whose router forwards to the IPv4 address inside its site.
REFUSED_TRANSITION_RANGES: Final = (
    ipaddress.IPv6Network("::/96"),
    ipaddress.IPv6Network("::ffff:0:0:0/96"),
    ipaddress.IPv6Network("2002::/16"),
    ipaddress.IPv6Network("2001::/32"),
    ipaddress.IPv6Network("64:ff9b:1::/48"),
)
NAT64_WELL_KNOWN: Final = ipaddress.IPv6Network("64:ff9b::/96")
# The ISATAP interface identifier's upper half, with its universal/local and group bits masked.
_ISATAP_MARK, _ISATAP_MASK = 0x00005EFE, 0xFCFFFFFF


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address a connection to ``address`` leads to, for the transition mechanisms
    judged by it (IPv4-mapped, NAT64 well-known prefix, ISATAP); None otherwise."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    value = int(address)
    if address in NAT64_WELL_KNOWN:
        return ipaddress.IPv4Address(value & 0xFFFFFFFF)
    if (value >> 32) & _ISATAP_MASK == _ISATAP_MARK:
        return ipaddress.IPv4Address(value & 0xFFFFFFFF)
    return None


def _is_global(address: IPAddress) -> bool:
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def is_public(address: IPAddress) -> bool:
    """Routable on the internet: not private, loopback, link-local, multicast, reserved,
    unspecified or shared (carrier-grade NAT), and, for an IPv6 address that carries an
    IPv4 one, neither a refused transition range nor a way to a non-public IPv4 address."""
    if isinstance(address, ipaddress.IPv4Address):
        return _is_global(address)
    if any(address in network for network in REFUSED_TRANSITION_RANGES):
        return False
    inner = embedded_ipv4(address)
    if inner is None:
        return _is_global(address)
    if not _is_global(inner):
        return False
    # The mapped and NAT64 forms sit in ranges Python counts as reserved: the IPv4 address
    # decides. An ISATAP address must be public itself as well.
    return address.ipv4_mapped is not None or address in NAT64_WELL_KNOWN or _is_global(address)


def _ipv4_number(part: str) -> int | None:
    """One part of an IPv4 host as browsers read it: decimal, 0x hex or 0-led octal."""
    try:
        if part[:2].lower() == "0x":
            return int(part[2:] or "0", 16)
        if len(part) > 1 and part.startswith("0"):
            return int(part[1:], 8)
        return int(part, 10)
    except ValueError:
        return None


def _numeric_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The address of a host that ends in a number, read as the WHATWG URL standard reads
    it (``2130706433``, ``0x7f.1``, ``0177.0.0.1`` are all 127.0.0.1); AddressRefused when
    it ends in a number but is no address; None for a name."""
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    last = parts[-1]
    if not (last.isascii() and (last.isdigit() or re.fullmatch(r"0[xX][0-9A-Fa-f]*", last))):
        return None
    numbers = [_ipv4_number(p) if p else None for p in parts]
    invalid = AddressRefused("INVALID_URL", f"The host {host!r} is not a valid IPv4 address.")
    if len(numbers) > 4 or any(n is None for n in numbers):
        raise invalid
    *head, tail = [n for n in numbers if n is not None]
    if any(n > 255 for n in head) or tail >= 256 ** (5 - len(numbers)):
        raise invalid
    value = tail + sum(n << (8 * (3 - i)) for i, n in enumerate(head))
    return ipaddress.IPv4Address(value)


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _spelled_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a host that is no plain literal still names, as browsers read it
    (percent-encoded or full-width digits included); None for a name to resolve."""
    name = unquote(host)
    if not name.isascii():
        try:
            # IDNA maps full-width digits and dots to ASCII, as browsers do.
            name = name.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    return _numeric_ipv4(name.lower())


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
