"""One HTTP attempt: POST the event's body, signed, to the webhook's URL, within a timeout."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

import httpx

from publishing.webhooks.addresses import AddressRefused, parse_url, public_addresses
from publishing.webhooks.models import EventType
from publishing.webhooks.signing import (
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    signature_header,
    standard_headers,
)

USER_AGENT = "Pressroom-Webhooks/1"
MAX_ERROR = 500


@dataclass(frozen=True, slots=True)
class Parcel:
    """What one claimed delivery sends, and where."""

    delivery_id: int
    claim_token: str
    attempts: int  # this attempt included
    webhook_id: int
    url: str
    secret: str
    event_id: str
    event_type: EventType
    body: str


@dataclass(frozen=True, slots=True)
class Outcome:
    delivered: bool
    status_code: int | None = None
    error: str | None = None


def new_client(transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """The client deliveries go out through; ``transport`` replaces the network (tests)."""
    # No proxies from the environment: the address checked is the address connected to.
    # Redirects are not followed: a receiver answers for itself (a 3xx is a failure).
    return httpx.AsyncClient(
        transport=transport,
        trust_env=False,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
    )


async def send(
    client: httpx.AsyncClient,
    parcel: Parcel,
    *,
    time_limit: float,
    allow_private: bool,
    now: dt.datetime,
) -> Outcome:
    """One attempt, signed as sent at ``now``; 2xx is delivered, anything else (status,
    timeout, refusal) is not."""
    try:
        async with asyncio.timeout(time_limit):
            return await _post(
                client, parcel, time_limit=time_limit, allow_private=allow_private, now=now
            )
    except AddressRefused as refused:
        return Outcome(False, error=refused.message)
    except (TimeoutError, httpx.TimeoutException):
        return Outcome(False, error=f"No answer within {time_limit:g} s.")
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        return Outcome(False, error=f"{type(error).__name__}: {error}"[:MAX_ERROR])


async def _post(
    client: httpx.AsyncClient,
    parcel: Parcel,
    *,
    time_limit: float,
    allow_private: bool,
    now: dt.datetime,
) -> Outcome:
    target = parse_url(parcel.url)
    url = httpx.URL(parcel.url)
    headers = {
        "Content-Type": "application/json",
        EVENT_ID_HEADER: parcel.event_id,
        EVENT_TYPE_HEADER: parcel.event_type.value,
    }
    extensions: dict[str, str] = {}
    if not allow_private:
        # Checked now (DNS answers change), then pinned: the connection goes to the address
        # that passed, with the name kept for the Host header and TLS.
        address = (await public_addresses(target, time_limit=time_limit))[0]
        headers["Host"] = url.netloc.decode("ascii")
        extensions["sni_hostname"] = target.host
        url = url.copy_with(host=str(address))
    timestamp = int(now.timestamp())
    headers.update(standard_headers(parcel.secret, parcel.event_id, timestamp, parcel.body))
    # Deprecated, sent beside the standard headers while receivers move to them (README).
    headers[SIGNATURE_HEADER] = signature_header(parcel.secret, timestamp, parcel.body)
    async with client.stream(
        "POST",
        url,
        content=parcel.body.encode(),
        headers=headers,
        extensions=extensions,
        timeout=time_limit,
    ) as response:
        # The answer's body is not read: only its status matters.
        code = response.status_code
    if 200 <= code < 300:
        return Outcome(True, code)
    return Outcome(False, code, f"The receiver answered HTTP {code}.")
