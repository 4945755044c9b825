"""schema.org structured data (JSON-LD) for an article version: what search engines read for
rich results, built from plain values so it is tested without a database.

The type is the site's choice (``Site.article_schema_type``): NewsArticle by default, or
another kind of Article (AnalysisNewsArticle, Report, ScholarlyArticle, BlogPosting).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["ArticleFacts", "Citation", "Person", "VersionLink", "article_json_ld"]

CONTEXT = "https://schema.org"


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class Citation:
    """A footnote's source."""

    name: str
    url: str | None = None
    publisher: str | None = None


@dataclass(frozen=True, slots=True)
class VersionLink:
    """Another language version of the same story."""

    language: str
    url: str


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    schema_type: str
    headline: str
    url: str
    canonical_url: str
    language: str
    modified_at: dt.datetime
    publisher_name: str
    publisher_url: str
    alternative_headline: str | None = None
    description: str | None = None
    published_at: dt.datetime | None = None
    authors: Sequence[Person] = ()
    # Absolute URLs, widest first.
    images: Sequence[str] = ()
    citations: Sequence[Citation] = ()
    keywords: Sequence[str] = ()
    # The original, for a translation; the translations, for an original.
    original: VersionLink | None = None
    translations: Sequence[VersionLink] = ()


def _id(url: str) -> str:
    # The article node, apart from the web page it is the main entity of.
    return f"{url}#article"


def _date(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _version(schema_type: str, link: VersionLink) -> dict[str, Any]:
    return {
        "@type": schema_type,
        "@id": _id(link.url),
        "url": link.url,
        "inLanguage": link.language,
    }


def _citation(citation: Citation) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "CreativeWork", "name": citation.name}
    if citation.url:
        node["url"] = citation.url
    if citation.publisher:
        node["publisher"] = {"@type": "Organization", "name": citation.publisher}
    return node


def article_json_ld(facts: ArticleFacts) -> dict[str, Any]:
    """One JSON-LD object; fields without a value are left out, never null."""
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": facts.schema_type,
        "@id": _id(facts.url),
        "mainEntityOfPage": {"@type": "WebPage", "@id": facts.canonical_url},
        "url": facts.url,
        "headline": facts.headline,
    }
    if facts.alternative_headline:
        data["alternativeHeadline"] = facts.alternative_headline
    if facts.description:
        data["description"] = facts.description
    data["inLanguage"] = facts.language
    if facts.published_at is not None:
        data["datePublished"] = _date(facts.published_at)
    data["dateModified"] = _date(facts.modified_at)
    if facts.authors:
        data["author"] = [{"@type": "Person", "name": p.name, "url": p.url} for p in facts.authors]
    if facts.images:
        data["image"] = list(facts.images)
    data["publisher"] = {
        "@type": "Organization",
        "name": facts.publisher_name,
        "url": facts.publisher_url,
    }
    if facts.keywords:
        data["keywords"] = list(facts.keywords)
    citations = list(dict.fromkeys(facts.citations))  # a source cited twice is listed once
    if citations:
        data["citation"] = [_citation(c) for c in citations]
    data["isAccessibleForFree"] = True
    if facts.original is not None:
        data["translationOfWork"] = _version(facts.schema_type, facts.original)
    if facts.translations:
        data["workTranslation"] = [_version(facts.schema_type, t) for t in facts.translations]
    return data
