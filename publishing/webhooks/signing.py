"""Signatures receivers check: ``Pressroom-Signature: t=<unix seconds>,v1=<hex>`` where the hex
is HMAC-SHA256 with the webhook's secret over ``f"{t}.{body}"``.

The timestamp is signed with the body, so a receiver that refuses old timestamps refuses
replays; ``v1`` names the scheme, so a later one can be sent alongside during a change.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "Pressroom-Signature"
EVENT_ID_HEADER = "Pressroom-Event-Id"
EVENT_TYPE_HEADER = "Pressroom-Event-Type"
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


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
