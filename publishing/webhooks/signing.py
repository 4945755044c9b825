"""Signatures receivers check, in two schemes sent side by side.

Standard Webhooks (https://www.standardwebhooks.com): ``webhook-id`` (the event's id, the same
on every retry), ``webhook-timestamp`` (Unix seconds) and ``webhook-signature: v1,<base64>``,
HMAC-SHA256 over ``f"{id}.{timestamp}.{body}"``. The libraries of that spec take the key as
``whsec_<base64 of the key>``: ``signing_secret`` gives that form of a webhook's secret.

Pressroom's own, deprecated (kept while receivers move): ``Pressroom-Signature:
t=<unix seconds>,v1=<hex>``, HMAC-SHA256 over ``f"{t}.{body}"``.

Both use the same key, the secret's UTF-8 bytes, so existing secrets (chosen by their owners,
or generated as ``whsec_`` and URL-safe base64 that the spec's libraries do not decode to the
same bytes) sign both without being changed. Timestamps are signed with the body, so a receiver
that refuses old ones refuses replays.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "Pressroom-Signature"
EVENT_ID_HEADER = "Pressroom-Event-Id"
EVENT_TYPE_HEADER = "Pressroom-Event-Type"
SECRET_PREFIX = "whsec_"
WEBHOOK_ID_HEADER = "webhook-id"
WEBHOOK_TIMESTAMP_HEADER = "webhook-timestamp"
WEBHOOK_SIGNATURE_HEADER = "webhook-signature"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signing_secret(secret: str) -> str:
    """``secret`` as Standard Webhooks libraries take it: ``whsec_`` and the key in base64."""
    return SECRET_PREFIX + base64.b64encode(secret.encode()).decode("ascii")


def standard_headers(secret: str, event_id: str, timestamp: int, body: str) -> dict[str, str]:
    """The Standard Webhooks headers of one attempt."""
    signed = f"{event_id}.{timestamp}.{body}".encode()
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).digest()
    return {
        WEBHOOK_ID_HEADER: event_id,
        WEBHOOK_TIMESTAMP_HEADER: str(timestamp),
        WEBHOOK_SIGNATURE_HEADER: "v1," + base64.b64encode(digest).decode("ascii"),
    }


def signature(secret: str, timestamp: int, body: str) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: str) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret: str, header: str, body: str, *, now: int, tolerance: int = 300) -> bool:
    """What a receiver does: the header's v1 matches, and its time is within ``tolerance``
    seconds of ``now``."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), parts.get("v1", ""))
