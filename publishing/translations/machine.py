"""Machine translation providers: segments out, translated segments back, inline codes intact.

A provider translates texts in which a segment's inline codes are XML placeholders
(``<x id="1"/>`` for a standalone code, ``<g id="2">...</g>`` around text), the form DeepL's
``tag_handling=xml`` and LibreTranslate's ``format=html`` keep in place. What comes back is
parsed into segment content again and checked against the segment's codes
(``segments.check_target``): a segment whose codes the provider broke is left untranslated.

Two HTTP providers: DeepL's API (``POST /v2/translate``; api.deepl.com, api-free.deepl.com or a
compatible server) and LibreTranslate's (``POST /translate``; a self-hosted server). Either is
configured by the operator (publishing reads no settings: the API passes a ``Provider``), so its
URL is trusted as configured: loopback and private addresses are allowed (a local server is the
usual LibreTranslate set-up), redirects are not followed and proxy variables are ignored.
"""

from __future__ import annotations

import enum
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from xml.sax.saxutils import escape, quoteattr

import httpx

from publishing.errors import PublishingError
from publishing.translations.segments import Code, Inline, Pair, Segment, Text, check_target

# DeepL takes at most 50 texts per request.
BATCH = 50


class FailureKind(enum.StrEnum):
    NOT_CONFIGURED = "NOT_CONFIGURED"  # no provider is set up
    UNAVAILABLE = "UNAVAILABLE"  # no answer: refused connection, timeout
    REFUSED = "REFUSED"  # an error status (bad key, quota, unsupported language)
    BAD_RESPONSE = "BAD_RESPONSE"  # an answer that is not what the API promises


class MachineTranslationFailed(PublishingError):
    """The provider could not translate; nothing was written."""

    def __init__(self, kind: FailureKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Provider(Protocol):
    """Translates ``texts`` (XML fragments with ``<x/>`` and ``<g>`` codes) from ``source`` to
    ``target`` (BCP 47 tags), one result per text, in order."""

    name: str

    async def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class HttpProvider:
    """Shared by the HTTP providers: where, with what key, within how long. ``transport``
    is for tests that answer in-process; by default requests go over the network."""

    url: str
    key: str | None = None
    timeout: float = 30.0
    transport: httpx.AsyncBaseTransport | None = None

    async def _post(self, path: str, *, json: dict[str, Any], headers: dict[str, str]) -> Any:
        endpoint = self.url.rstrip("/") + path
        try:
            async with httpx.AsyncClient(
                timeout=self.timeout,
                follow_redirects=False,
                trust_env=False,
                transport=self.transport,
            ) as client:
                response = await client.post(endpoint, json=json, headers=headers)
        except httpx.TimeoutException as exc:
            raise MachineTranslationFailed(
                FailureKind.UNAVAILABLE,
                f"The machine translation service did not answer within {self.timeout:g} s.",
            ) from exc
        except httpx.HTTPError as exc:
            raise MachineTranslationFailed(
                FailureKind.UNAVAILABLE,
                f"The machine translation service could not be reached: {type(exc).__name__}.",
            ) from exc
        if response.status_code != 200:
            raise MachineTranslationFailed(
                FailureKind.REFUSED,
                f"The machine translation service answered {response.status_code}: "
                f"{response.text[:200]}",
            )
        try:
            return response.json()
        except ValueError as exc:
            raise MachineTranslationFailed(
                FailureKind.BAD_RESPONSE, "The machine translation service's answer is not JSON."
            ) from exc


def _texts(found: Any, count: int) -> list[str]:
    if (
        not isinstance(found, list)
        or len(found) != count
        or not all(isinstance(t, str) for t in found)
    ):
        raise MachineTranslationFailed(
            FailureKind.BAD_RESPONSE,
            f"The machine translation service sent back something other than {count} texts.",
        )
    return found


@dataclass(frozen=True, slots=True)
class DeepL(HttpProvider):
    """DeepL's API: ``POST /v2/translate``, the key in ``Authorization: DeepL-Auth-Key``."""

    name: str = "deepl"

    async def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        body = {
            "text": list(texts),
            # DeepL names languages by their primary subtag (a region only in targets).
            "source_lang": source.split("-")[0].upper(),
            "target_lang": target.upper(),
            "tag_handling": "xml",
        }
        headers = {"Authorization": f"DeepL-Auth-Key {self.key}"} if self.key else {}
        answer = await self._post("/v2/translate", json=body, headers=headers)
        translations = answer.get("translations") if isinstance(answer, dict) else None
        found = (
            [t.get("text") if isinstance(t, dict) else None for t in translations]
            if isinstance(translations, list)
            else None
        )
        return _texts(found, len(texts))


@dataclass(frozen=True, slots=True)
class LibreTranslate(HttpProvider):
    """LibreTranslate's API: ``POST /translate`` with a list of texts as ``q``."""

    name: str = "libretranslate"

    async def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        body: dict[str, Any] = {
            "q": list(texts),
            "source": source.split("-")[0],
            "target": target.split("-")[0],
            "format": "html",
        }
        if self.key:
            body["api_key"] = self.key
        answer = await self._post("/translate", json=body, headers={})
        found = answer.get("translatedText") if isinstance(answer, dict) else None
        return _texts(found, len(texts))


PROVIDERS: dict[str, type[HttpProvider]] = {"deepl": DeepL, "libretranslate": LibreTranslate}


# -- segments to XML and back ----------------------------------------------------------------


def to_xml(content: Sequence[Inline]) -> str:
    """A segment's content as the XML fragment a provider translates."""
    parts: list[str] = []
    for item in content:
        if isinstance(item, Text):
            parts.append(escape(item.text))
        elif isinstance(item, Code):
            parts.append(f"<x id={quoteattr(item.id)}/>")
        else:
            parts.append(f"<g id={quoteattr(item.id)}>{to_xml(item.content)}</g>")
    return "".join(parts)


class _Unreadable(ValueError):
    pass


def _read(element: ET.Element) -> list[Inline]:
    content: list[Inline] = []
    if element.text:
        content.append(Text(element.text))
    for child in element:
        code_id = child.get("id")
        if code_id is None or child.tag not in ("x", "g"):
            raise _Unreadable(child.tag)
        # An HTML-minded provider may write <x id="1"></x>: still a standalone code.
        if child.tag == "x":
            content.append(Code(code_id))
        else:
            content.append(Pair(code_id, tuple(_read(child))))
        if child.tail:
            content.append(Text(child.tail))
    return content


def from_xml(text: str) -> tuple[Inline, ...] | None:
    """Segment content from a provider's XML fragment; None when it cannot be read."""
    try:
        return tuple(_read(ET.fromstring(f"<s>{text}</s>")))
    except (ET.ParseError, _Unreadable):
        return None


@dataclass(frozen=True, slots=True)
class Translated:
    """What a provider made of some segments: content by segment id, and the ids of those
    left out because the codes came back broken or the text unreadable."""

    content: dict[str, tuple[Inline, ...]]
    broken: tuple[str, ...]


async def translate_segments(
    provider: Provider, segments: Sequence[Segment], source: str, target: str
) -> Translated:
    content: dict[str, tuple[Inline, ...]] = {}
    broken: list[str] = []
    for start in range(0, len(segments), BATCH):
        batch = segments[start : start + BATCH]
        texts = await provider.translate([to_xml(s.content) for s in batch], source, target)
        for segment, text in zip(batch, texts, strict=True):
            translated = from_xml(text)
            if translated is None or check_target(segment, translated):
                broken.append(segment.id)
            else:
                content[segment.id] = translated
    return Translated(content, tuple(broken))
