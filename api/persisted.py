"""Persisted queries: Apollo's automatic persisted queries (APQ), and trusted documents.

APQ: a client sends only ``extensions.persistedQuery.sha256Hash``; an unknown hash is answered
with the ``PersistedQueryNotFound`` error Apollo clients expect, and the client sends hash and
query together once, which registers the query after its hash is checked. Short GET URLs
follow, which HTTP caches and CDNs can hold.

Trusted documents (``PRESSROOM_TRUSTED_DOCUMENTS=manifest.json``): only operations listed in
the manifest run, named by hash (``extensions.persistedQuery.sha256Hash`` or ``documentId``),
or sent in full when the text is exactly a listed one; anything else is refused.

This works at the HTTP edge rather than as a schema extension, because the response cache and
GET caching need the document before any GraphQL work starts.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from api.media_types import GRAPHQL_RESPONSE_JSON

APQ_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
APQ_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
APQ_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
NOT_TRUSTED = "PERSISTED_QUERY_NOT_ALLOWED"
REDIS_PREFIX = "pressroom:apq:"


class PersistedQueryError(Exception):
    """Answered as a GraphQL error, with the status `status` gives."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def body(self) -> dict[str, Any]:
        return {"errors": [{"message": self.message, "extensions": {"code": self.code}}]}

    def status(self, media_type: str) -> int:
        """200 in application/json, as Apollo's clients expect. In
        application/graphql-response+json a request error has a 4xx: 404 for a hash not
        known yet (Apollo's link sends the document next; a 400 would make it stop sending
        hashes at all), 400 for the others."""
        if media_type != GRAPHQL_RESPONSE_JSON:
            return 200
        return 404 if self.code == APQ_NOT_FOUND else 400


class Documents(Protocol):
    async def get(self, sha256: str) -> str | None: ...
    async def put(self, sha256: str, document: str) -> None: ...


class LocalDocuments:
    """Registered documents of this process, least recently used dropped first."""

    def __init__(self, maxsize: int = 10_000) -> None:
        self.maxsize = maxsize
        self._documents: OrderedDict[str, str] = OrderedDict()

    async def get(self, sha256: str) -> str | None:
        document = self._documents.get(sha256)
        if document is not None:
            self._documents.move_to_end(sha256)
        return document

    async def put(self, sha256: str, document: str) -> None:
        self._documents[sha256] = document
        self._documents.move_to_end(sha256)
        while len(self._documents) > self.maxsize:
            self._documents.popitem(last=False)


class RedisDocuments:
    """Registered documents shared by every process, with a local copy in front."""

    def __init__(self, redis: Any, local: LocalDocuments) -> None:
        self.redis = redis
        self.local = local

    async def get(self, sha256: str) -> str | None:
        document = await self.local.get(sha256)
        if document is None:
            raw = await self.redis.get(REDIS_PREFIX + sha256)
            if raw is not None:
                document = raw.decode() if isinstance(raw, bytes) else str(raw)
                await self.local.put(sha256, document)
        return document

    async def put(self, sha256: str, document: str) -> None:
        await self.local.put(sha256, document)
        await self.redis.set(REDIS_PREFIX + sha256, document)


def sha256_hex(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def load_manifest(path: str | Path) -> dict[str, str]:
    """Hash -> document from an Apollo persisted-query manifest
    (``{"operations": [{"id", "body"}, ...]}``) or a plain ``{hash: document}`` object."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(raw, dict) and isinstance(raw.get("operations"), list):
        pairs = [(str(op["id"]), str(op["body"])) for op in raw["operations"]]
    elif isinstance(raw, dict):
        pairs = [(str(k), str(v)) for k, v in raw.items()]
    else:
        raise ValueError(f"{path}: expected a JSON object of operations")
    manifest = {}
    for sha256, document in pairs:
        if sha256_hex(document) != sha256.lower():
            raise ValueError(f"{path}: operation {sha256[:16]}... is not the SHA-256 of its body")
        manifest[sha256.lower()] = document
    return manifest


@dataclass
class PersistedQueries:
    """Fills in ``query`` of a request from its persisted-query hash, or refuses it."""

    documents: Documents
    # When set, only these documents (by SHA-256) may run.
    trusted: dict[str, str] | None = None

    async def resolve(self, params: dict[str, Any]) -> str | None:
        """The document to run: ``params["query"]``, or the one its hash names. Raises
        ``PersistedQueryError`` when the hash is unknown, wrong or not trusted."""
        query = params.get("query")
        sha256 = _requested_hash(params)
        if self.trusted is not None:
            return self._trusted(query, sha256)
        if sha256 is None:
            return query if isinstance(query, str) else None
        if isinstance(query, str):
            if sha256_hex(query) != sha256:
                raise PersistedQueryError(
                    "provided sha does not match query: the hash must be the SHA-256 of the "
                    "query text, in hex",
                    APQ_HASH_MISMATCH,
                )
            await self.documents.put(sha256, query)
            return query
        document = await self.documents.get(sha256)
        if document is None:
            raise PersistedQueryError("PersistedQueryNotFound", APQ_NOT_FOUND)
        return document

    def _trusted(self, query: Any, sha256: str | None) -> str:
        assert self.trusted is not None
        if sha256 is None and isinstance(query, str):
            sha256 = sha256_hex(query)
        document = self.trusted.get(sha256) if sha256 else None
        if document is None or (isinstance(query, str) and query != document):
            raise PersistedQueryError(
                "Only trusted documents run on this server, and this operation is not in its "
                "manifest: send `extensions.persistedQuery.sha256Hash` (or `documentId`) of an "
                "operation the manifest lists.",
                NOT_TRUSTED,
            )
        return document


def _requested_hash(params: dict[str, Any]) -> str | None:
    extensions = params.get("extensions")
    if isinstance(extensions, dict):
        persisted = extensions.get("persistedQuery")
        if isinstance(persisted, dict):
            if persisted.get("version", 1) != 1:
                raise PersistedQueryError(
                    "Only version 1 of persisted queries is supported.", APQ_NOT_SUPPORTED
                )
            sha256 = persisted.get("sha256Hash")
            if isinstance(sha256, str):
                return sha256.lower()
    document_id = params.get("documentId")
    if isinstance(document_id, str):
        # "sha256:<hex>" as the GraphQL-over-HTTP draft writes it, or the bare hex.
        return document_id.removeprefix("sha256:").lower()
    return None
