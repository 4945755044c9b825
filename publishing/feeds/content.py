"""What a feed item says: its summary, its featured image as an enclosure, and (for full
content) its body as HTML with its notes, every URL in it absolute.

Feed readers show an item away from the site, so the relative media paths the API hands to
frontends would point nowhere: ``MediaLinks.origin`` (the API's own origin) is put in front.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html as html_escaping
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from publishing.articles.models import Article
from publishing.feeds.model import Enclosure
from publishing.footnotes.citation import format_citation
from publishing.footnotes.models import Footnote, Source
from publishing.footnotes.references import NumberingStyle, ParsedBody, number_footnotes
from publishing.media import figures as media_figures
from publishing.media.models import MediaAsset, MediaKind
from publishing.media.reading import MediaTextView
from publishing.media.urls import Fit, ImageFormat, rendition_spec, rendition_url
from publishing.text import markdown_html
from publishing.xml import xml_clean

__all__ = [
    "FigureKey",
    "MediaLinks",
    "body_html",
    "enclosure",
    "figures_of",
    "media_targets",
    "summary",
]

# The enclosure's width: what feed readers show across a column, sharp on dense screens.
ENCLOSURE_WIDTH = 1200
# A summary made from the body's opening, when an article has no excerpt.
SUMMARY_CHARACTERS = 300


# A body's figures, by the ``media:`` target each renders (hashable: bodies are cached).
FigureKey = tuple[tuple[str, media_figures.Figure], ...]


@lru_cache(maxsize=512)
def media_targets(markdown: str) -> tuple[str, ...]:
    """The target of every ``media:`` image of a body, in order."""
    return tuple(ParsedBody(markdown).media_targets())


@dataclass(frozen=True, slots=True)
class MediaLinks:
    """How media URLs are made for a feed: the signing key, the widths handed out (empty:
    any), and the API's origin (``https://api.example.org``)."""

    secret: bytes
    widths: tuple[int, ...]
    origin: str

    def absolute(self, path: str) -> str:
        return self.origin + path


def enclosure(asset: MediaAsset | None, links: MediaLinks) -> Enclosure | None:
    """The featured image as a JPEG rendition (any feed reader shows one) of about
    ``ENCLOSURE_WIDTH`` pixels, never enlarged."""
    if asset is None or asset.kind is not MediaKind.IMAGE or not asset.width:
        return None
    width = (
        min(links.widths, key=lambda w: abs(w - ENCLOSURE_WIDTH))
        if links.widths
        else ENCLOSURE_WIDTH
    )
    spec = rendition_spec(
        width=width,
        fit=Fit.CONTAIN,
        image_format=ImageFormat.JPEG,
        allowed_widths=links.widths,
    )
    url = links.absolute(rendition_url(links.secret, asset.key, spec))
    return Enclosure(url=url, media_type=ImageFormat.JPEG.media_type)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(None, 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.-") + "…"


@lru_cache(maxsize=512)
def _opening(markdown: str, footnote_keys: frozenset[str], style: NumberingStyle) -> str:
    text = ParsedBody(markdown).text(footnote_keys, style)
    return _shorten(" ".join(text.split()), SUMMARY_CHARACTERS)


def summary(article: Article, footnote_keys: Collection[str]) -> str | None:
    """The excerpt; else the subtitle; else the body's opening, as plain text."""
    for written in (article.excerpt, article.subtitle):
        if written and written.strip():
            return written.strip()
    opening = _opening(article.body, frozenset(footnote_keys), article.numbering_style)
    return opening or None


def _absolute_figure(figure: media_figures.Figure, links: MediaLinks) -> media_figures.Figure:
    candidates = ", ".join(links.absolute(part.strip()) for part in figure.srcset.split(", "))
    return dataclasses.replace(figure, src=links.absolute(figure.src), srcset=candidates)


def figures_of(
    targets: Sequence[str],
    assets: Mapping[int, MediaAsset],
    texts: Mapping[int, Mapping[str, MediaTextView]],
    language: str,
    links: MediaLinks,
) -> FigureKey:
    """The figures of a body's ``media:`` images (as ``schema.media.types.body_figures``
    makes them for the API), with absolute URLs; texts in ``language`` or, failing that,
    in any."""
    found: list[tuple[str, media_figures.Figure]] = []
    for target in dict.fromkeys(targets):
        asset_id = media_figures.asset_id_of(target)
        asset = None if asset_id is None else assets.get(asset_id)
        if asset is None or asset.kind is not MediaKind.IMAGE or not (asset.width and asset.height):
            continue
        views = texts.get(asset.id, {})
        mine = views.get(language)
        alt = (mine.alt if mine else None) or next((v.alt for v in views.values() if v.alt), None)
        caption = (mine.caption if mine else None) or next(
            (v.caption for v in views.values() if v.caption), None
        )
        figure = media_figures.figure_for(
            asset, links.secret, alt=alt, caption=caption, allowed_widths=links.widths
        )
        found.append((target, _absolute_figure(figure, links)))
    return tuple(found)


# A note as its rendering depends on it: key, Markdown, and its source's title, publisher,
# URL and access date (hashable, so a rendered body is cached by what it shows).
NoteKey = tuple[str, str, str | None, str | None, str | None, dt.date | None]


def _note_key(footnote: Footnote, source: Source | None) -> NoteKey:
    if source is None:
        return (footnote.key, footnote.content, None, None, None, None)
    return (
        footnote.key,
        footnote.content,
        source.title,
        source.publisher,
        source.url,
        source.accessed_on,
    )


def body_html(
    article: Article,
    notes: Sequence[tuple[Footnote, Source | None]],
    figures: FigureKey,
) -> str:
    """The body as the API renders it (sanitised, numbered references), followed by its
    notes in number order, each where its references link to."""
    return _body_html(
        article.body,
        article.numbering_style,
        article.language,
        tuple(_note_key(footnote, source) for footnote, source in notes),
        figures,
    )


# Rendering is pure and feeds ask for the same bodies again and again: cached across
# requests, as the API's rich text is.
@lru_cache(maxsize=1024)
def _body_html(
    markdown: str,
    style: NumberingStyle,
    language: str,
    notes: tuple[NoteKey, ...],
    figures: FigureKey,
) -> str:
    parsed = ParsedBody(markdown)
    by_key = {note[0]: note for note in notes}
    html = parsed.html(by_key.keys(), style, dict(figures))
    if not notes:
        return xml_clean(html)
    parts = [html, '<section class="footnotes"><ol>']
    for number in number_footnotes(parsed.referenced_keys(), by_key, style):
        _, content, title, publisher, url, accessed_on = by_key[number.key]
        parts.append(f'<li id="{number.anchor_id}" value="{number.number}">')
        parts.append(markdown_html(content))
        citation = format_citation(
            title=title, publisher=publisher, url=url, accessed_on=accessed_on, language=language
        )
        if citation:
            parts.append(f'<p class="citation">{html_escaping.escape(citation)}</p>')
        parts.append("</li>")
    parts.append("</ol></section>")
    return xml_clean("".join(parts))
