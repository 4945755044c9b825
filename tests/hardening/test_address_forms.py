"""Every form a private address can take in a URL is refused where the API fetches or sends:
createWebhook, updateWebhook and createMediaFromUrl.

The forms are generated, per mechanism, from a list of private IPv4 targets: every IPv6
transition mechanism that carries an IPv4 address
(IPv4-mapped, IPv4-compatible, IPv4-translated, NAT64 well-known and local-use, 6to4, Teredo
server and client, ISATAP), each written as an address literal in several spellings and as a
host name whose DNS answer is that address. The same forms built from a public IPv4 address
show the rule of ``publishing.webhooks.addresses``: mechanisms in use today are judged by the
IPv4 address they lead to, deprecated and network-specific ones are refused outright. IPv4
spelled in decimal, hex or octal is refused as malformed, private or public.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, ip_address
from pathlib import Path
from typing import Any

import pytest

from publishing.access import Role
from tests.support.client import ApiClient, api_client
from tests.support.tokens import bearer, issue_token
from tests.webhooks.harness import CREATE, RESULT, create_webhook

PRIVATE_TARGETS = {
    "loopback": IPv4Address("127.0.0.1"),
    "10/8": IPv4Address("10.1.2.3"),
    "metadata": IPv4Address("169.254.169.254"),
    "192.168/16": IPv4Address("192.168.1.10"),
    "carrier-grade NAT": IPv4Address("100.64.0.1"),
    "unspecified": IPv4Address("0.0.0.0"),
}
PUBLIC = IPv4Address("93.184.215.14")  # example.com's; a literal needs no DNS
PUBLIC_URL = f"https://{PUBLIC}/hooks"
ISATAP_PREFIX = "2a00:1450:4001:81c"  # a global /64: the interface id alone marks ISATAP
FAKE_ZONE = ".hooks.test"  # RFC 6761 keeps .test for tests: no real resolver answers it

UPDATE = f"""mutation($input: UpdateWebhookInput!) {{ updateWebhook(input: $input) {{
  {RESULT} }} }}"""
FETCH = f"""mutation($input: CreateMediaFromUrlInput!) {{ createMediaFromUrl(input: $input) {{
  {RESULT} }} }}"""


def _teredo(server: IPv4Address, client: IPv4Address) -> IPv6Address:
    # 2001:0:<server>:<flags>:<port XOR ffff>:<client XOR ffffffff> (RFC 4380).
    port = 40000 ^ 0xFFFF
    return IPv6Address(
        (0x20010000 << 96) | (int(server) << 64) | (port << 32) | (int(client) ^ 0xFFFFFFFF)
    )


def _nat64_local_48(v4: IPv4Address) -> IPv6Address:
    # RFC 6052's /48 layout: 16 bits of IPv4, the reserved u octet, then the other 16.
    value = int(v4)
    return IPv6Address((0x0064FF9B0001 << 80) | ((value >> 16) << 64) | ((value & 0xFFFF) << 40))


@dataclass(frozen=True)
class Mechanism:
    name: str
    addresses: Callable[[IPv4Address], list[IPv6Address]]
    judged_by_ipv4: bool  # False: refused outright, even around a public IPv4 address


MECHANISMS = [
    Mechanism("IPv4-mapped", lambda v4: [IPv6Address(f"::ffff:{v4}")], True),
    Mechanism("IPv4-compatible", lambda v4: [IPv6Address(f"::{v4}")], False),
    Mechanism("IPv4-translated", lambda v4: [IPv6Address(f"::ffff:0:{v4}")], False),
    Mechanism("NAT64 well-known", lambda v4: [IPv6Address(f"64:ff9b::{v4}")], True),
    Mechanism(
        "NAT64 local-use",
        lambda v4: [IPv6Address(f"64:ff9b:1::{v4}"), _nat64_local_48(v4)],
        False,
    ),
    Mechanism(
        "6to4",
        lambda v4: [
            IPv6Address((0x2002 << 112) | (int(v4) << 80)),
            IPv6Address((0x2002 << 112) | (int(v4) << 80) | (1 << 64) | 1),
        ],
        False,
    ),
    Mechanism("Teredo server", lambda v4: [_teredo(v4, PUBLIC)], False),
    Mechanism("Teredo client", lambda v4: [_teredo(PUBLIC, v4)], False),
    Mechanism("ISATAP", lambda v4: [IPv6Address(f"{ISATAP_PREFIX}:0:5efe:{v4}")], True),
    Mechanism("ISATAP universal", lambda v4: [IPv6Address(f"{ISATAP_PREFIX}:200:5efe:{v4}")], True),
]


def _spellings(address: IPv6Address) -> list[str]:
    """URL hosts for one address: compressed, every digit written, dotted IPv4 tail."""
    groups = address.exploded.split(":")
    tail = IPv4Address(int(address) & 0xFFFFFFFF)
    return [f"[{address}]", f"[{address.exploded}]", f"[{':'.join(groups[:6])}:{tail}]"]


def ipv4_spellings(v4: IPv4Address) -> list[str]:
    """The hosts browsers read as ``v4``: decimal, hex, octal, shortened, a trailing dot,
    full-width digits, percent-encoded."""
    value, octets = int(v4), [int(o) for o in v4.packed]
    return [
        str(value),
        hex(value),
        f"0{value:o}",
        ".".join(f"0{o:o}" for o in octets),
        ".".join(hex(o) for o in octets),
        f"{octets[0]}.{value & 0xFFFFFF}",
        f"{octets[0]}.{octets[1]}.{value & 0xFFFF}",
        f"{v4}.",
        str(v4).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"}),
        "".join(f"%{ord(c):02x}" for c in str(v4)),
    ]


def _literal_hosts(mechanism: Mechanism, v4: IPv4Address) -> list[str]:
    return [host for address in mechanism.addresses(v4) for host in _spellings(address)]


@dataclass(frozen=True)
class Form:
    what: str  # for the failure report
    url: str


def _forms(mechanism: Mechanism, names: dict[str, list[str]]) -> Iterator[Form]:
    """Each private target as literals and as a name (registered in ``names``) answering
    with the mechanism's address, alone and next to a public one."""
    for label, v4 in PRIVATE_TARGETS.items():
        for host in _literal_hosts(mechanism, v4):
            yield Form(f"{mechanism.name} of {label} {host}", f"http://{host}/hooks")
        for index, address in enumerate(mechanism.addresses(v4)):
            slug = "".join(c if c.isalnum() else "-" for c in f"{mechanism.name}-{label}".lower())
            alone, mixed = f"{slug}-{index}{FAKE_ZONE}", f"{slug}-{index}-mixed{FAKE_ZONE}"
            names[alone] = [str(address)]
            names[mixed] = [str(PUBLIC), str(address)]
            yield Form(f"{mechanism.name} of {label}: {alone}", f"https://{alone}/hooks")
            yield Form(f"{mechanism.name} of {label}: {mixed}", f"https://{mixed}/hooks")


def _fake_dns(monkeypatch: pytest.MonkeyPatch, names: dict[str, list[str]]) -> None:
    """Answers for names in the test zone; every other name goes to the real resolver."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if not (isinstance(host, str) and host.endswith(FAKE_ZONE)):
            return real(host, port, *args, **kwargs)
        if host not in names:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        answers = []
        for text in names[host]:
            address = ip_address(text)
            if address.version == 6:
                answers.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (text, port, 0, 0)))
            else:
                answers.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (text, port)))
        return answers

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@dataclass
class Probe:
    api: ApiClient
    admin: dict[str, str]
    editor: dict[str, str]
    webhook_id: str

    async def outcomes(self, url: str) -> dict[str, str]:
        """What createWebhook, updateWebhook and createMediaFromUrl make of ``url``: the
        issue code at ``url``, or the result type when there is none."""
        found = {}
        for name, query, variables, headers in (
            ("createWebhook", CREATE, {"url": url, "events": ["ARTICLE_PUBLISHED"]}, self.admin),
            ("updateWebhook", UPDATE, {"id": self.webhook_id, "url": url}, self.admin),
            ("createMediaFromUrl", FETCH, {"url": url}, self.editor),
        ):
            result = (await self.api.data(query, {"input": variables}, headers=headers))[name]
            codes = [i["code"] for i in result.get("issues", []) if i["path"] == ["url"]]
            found[name] = codes[0] if codes else result["__typename"]
        return found


@contextlib.asynccontextmanager
async def probing(database_url: str, media: Path) -> AsyncIterator[Probe]:
    """The API, with an admin, an editor, and a webhook at a public address to move."""
    admin = bearer(await issue_token(database_url, Role.ADMIN))
    editor = bearer(await issue_token(database_url, Role.EDITOR))
    async with api_client(database_url, webhooks_dispatcher=False, media_url=media.as_uri()) as api:
        hook = await create_webhook(api, admin, PUBLIC_URL, ["ARTICLE_PUBLISHED"])
        yield Probe(api, admin, editor, hook["webhook"]["id"])
        listing = await api.data("{ webhooks { url } }", headers=admin)
    assert listing["webhooks"] == [{"url": PUBLIC_URL}]  # nothing created, nothing moved


@pytest.mark.parametrize("mechanism", MECHANISMS, ids=lambda m: m.name)
async def test_every_transition_form_of_a_private_address_is_refused(
    fresh_demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mechanism: Mechanism
) -> None:
    names: dict[str, list[str]] = {}
    forms = list(_forms(mechanism, names))
    _fake_dns(monkeypatch, names)
    let_through = {}
    async with probing(fresh_demo_url, tmp_path / "media") as probe:
        for form in forms:
            outcomes = await probe.outcomes(form.url)
            if set(outcomes.values()) != {"PRIVATE_ADDRESS"}:
                let_through[form.what] = outcomes
    assert len(forms) >= len(PRIVATE_TARGETS) * 5
    assert let_through == {}


async def test_every_spelling_of_an_ipv4_address_is_refused(
    fresh_demo_url: str, tmp_path: Path
) -> None:
    """Decimal, hex, octal and the rest are refused as malformed, private or not: resolvers
    and HTTP clients read them differently, so only the plain form is accepted."""
    let_through = {}
    async with probing(fresh_demo_url, tmp_path / "media") as probe:
        for label, v4 in [*PRIVATE_TARGETS.items(), ("public", PUBLIC)]:
            for host in ipv4_spellings(v4):
                outcomes = await probe.outcomes(f"http://{host}:8080/hooks")
                if set(outcomes.values()) != {"INVALID_URL"}:
                    let_through[f"{label} as {host}"] = outcomes
        # A host that ends in a number but is no address is not a name to look up either.
        malformed = {
            host: (await probe.outcomes(f"http://{host}/hooks"))["createWebhook"]
            for host in ("1.2.3.4.5", "256.1", "08.0.0.1", "example.0x1g.7")
        }
    assert let_through == {}
    assert malformed == dict.fromkeys(malformed, "INVALID_URL")


async def test_public_addresses_follow_the_rule_of_each_mechanism(fresh_demo_url: str) -> None:
    """Around a public IPv4 address, the mechanisms in use today are accepted and the
    deprecated or network-specific ones refused."""
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    expected, found = {}, {}
    async with api_client(fresh_demo_url, webhooks_dispatcher=False) as api:
        for mechanism in MECHANISMS:
            for host in _literal_hosts(mechanism, PUBLIC):
                what = f"{mechanism.name} {host}"
                expected[what] = (
                    "CreateWebhookSuccess" if mechanism.judged_by_ipv4 else "PRIVATE_ADDRESS"
                )
                found[what] = await _created_or_code(api, admin, f"https://{host}/hooks")
        expected[str(PUBLIC)] = "CreateWebhookSuccess"
        found[str(PUBLIC)] = await _created_or_code(api, admin, PUBLIC_URL)
    assert found == expected


async def _created_or_code(api: ApiClient, admin: dict[str, str], url: str) -> str:
    variables = {"input": {"url": url, "events": ["ARTICLE_PUBLISHED"]}}
    result = (await api.data(CREATE, variables, headers=admin))["createWebhook"]
    issues = result.get("issues") or []
    return str(issues[0]["code"]) if issues else str(result["__typename"])
