"""Shortcodes (``[caption]``, ``[embed]``, ``[audio]``, ``[gallery]``...) and WordPress's
auto-embeds (an address alone on its line), as HTML our converter understands.

Matched as WordPress's ``get_shortcode_regex`` matches them, ``[[escaped]]`` forms included.
Embeds become embed stand-ins, ``[caption]`` a figure with its caption, audio and video files
embeds of their own; galleries wait for the media import and are reported. Any other shortcode
with attributes or a closing tag is reported and taken out, its enclosed text kept; a bare
``[word]`` is text ("[sic]", "[1]") and stays.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Final

from publishing.embeds import Embed
from publishing.imports.report import ProblemKind
from publishing.imports.wordpress.embeds import (
    AUDIO,
    VIDEO,
    embed_html,
    is_address,
    known_provider,
    provider_for,
)
from publishing.imports.wordpress.findings import Findings

__all__ = ["autoembed", "do_shortcodes"]

# WordPress's shortcode pattern with any tag name: [1] escaping "[", [2] the name,
# [3] attributes, [4] a self-closing "/", [5] the enclosed content, [6] escaping "]".
_SHORTCODE: Final = re.compile(
    r"\[(\[?)([A-Za-z][\w-]*)(?![\w-])"
    r"([^\]/]*(?:/(?!\])[^\]/]*)*?)"
    r"(?:(/)\]|\](?:([^\[]*+(?:\[(?!/\2\])[^\[]*+)*+)\[/\2\])?)"
    r"(\]?)"
)
# shortcode_parse_atts(): name="v", name='v', name=v, "v", 'v', v.
_ATTRIBUTE: Final = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)
# img_caption_shortcode(): the image (in its link, if any) opens the content; the rest is
# the caption.
_CAPTIONED: Final = re.compile(
    r"((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)", re.IGNORECASE | re.DOTALL
)
_CODE: Final = re.compile(r"(<(pre|code)\b.*?</\2>)", re.IGNORECASE | re.DOTALL)
_URL: Final = re.compile(r"https?://[^\s<>\"'\]]+")

_EMBEDDING: Final = frozenset(
    {
        *("embed", "youtube", "vimeo", "tweet", "twitter", "instagram", "wpvideo"),
        *("videopress", "dailymotion", "soundcloud", "ted", "flickr", "spotify", "facebook"),
        *("kickstarter", "mixcloud", "slideshare", "scribd", "tiktok", "vine", "bandcamp"),
    }
)
_MEDIA: Final = frozenset({"gallery", "playlist", "slideshow", "tiled-gallery"})
# Where a gallery stood: the body's images pass (``images.place_media``) makes its figures.
GALLERY_MARK: Final = "data-wp-gallery"
_CAPTIONS: Final = frozenset({"caption", "wp_caption"})
# Shortcodes of WordPress, WordPress.com and common plugins that show something even bare.
_WELL_KNOWN: Final = frozenset(
    {
        *("contact-form", "contact-form-7", "contact-field", "archives", "sitemap", "recipe"),
        *("googlemaps", "polldaddy", "crowdsignal", "gravatar", "latex", "wufoo", "portfolio"),
        *("testimonials", "blog_subscription_form", "jetpack_subscription_form", "gist"),
        *("display-posts", "recent-posts", "upcomingevents", "audio", "video", "embed"),
    }
)
_AUDIO_KEYS: Final = ("src", "mp3", "m4a", "ogg", "oga", "wav", "wma", "flac")
_VIDEO_KEYS: Final = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov")


def _attributes(text: str) -> tuple[dict[str, str], list[str]]:
    text = re.sub(r"[\u00a0\u200b]+", " ", text)
    named: dict[str, str] = {}
    positional: list[str] = []
    for match in _ATTRIBUTE.finditer(text):
        g = match.groups()
        if g[0] is not None:
            named[g[0].lower()] = g[1]
        elif g[2] is not None:
            named[g[2].lower()] = g[3]
        elif g[4] is not None:
            named[g[4].lower()] = g[5]
        else:
            value = next(v for v in g[6:] if v is not None)
            positional.append(value)
    return named, positional


def _address(tag: str, raw: str, named: dict[str, str], positional: list[str], content: str) -> str:
    """The address an embedding shortcode points at, in any of the forms it is written."""
    raw = raw.strip()
    if raw.startswith("="):  # WordPress.com: [youtube=https://...]
        raw = raw[1:].strip()
    candidates = [content.strip(), *(named.get(k, "") for k in ("url", "src", "id")), *positional]
    candidates.append(raw.split(" ")[0] if raw else "")
    for candidate in candidates:
        if is_address(candidate):
            return candidate
    ident = next((c for c in candidates if c and re.fullmatch(r"[\w-]{3,64}", c)), "")
    if not ident:
        found = _URL.search(raw) or _URL.search(content)
        return found.group(0) if found else ""
    return {
        "youtube": f"https://www.youtube.com/watch?v={ident}",
        "vimeo": f"https://vimeo.com/{ident}",
        "tweet": f"https://twitter.com/i/status/{ident}",
        "twitter": f"https://twitter.com/i/status/{ident}",
        "wpvideo": f"https://videopress.com/v/{ident}",
        "videopress": f"https://videopress.com/v/{ident}",
        "dailymotion": f"https://www.dailymotion.com/video/{ident}",
    }.get(tag, "")


def _caption_figure(named: dict[str, str], content: str) -> str:
    caption = named.get("caption", "")
    attachment = re.fullmatch(r"attachment_(\d+)", named.get("id", "").strip())
    image = content
    if not caption:
        match = _CAPTIONED.match(content.strip())
        if match is not None:
            image, caption = match.group(1), match.group(2).strip()
    if not caption.strip():
        return image
    # The attachment the caption belongs to, for the images pass.
    data = f' data-attachment-id="{attachment.group(1)}"' if attachment else ""
    return f"<figure{data}>{image}<figcaption>{caption}</figcaption></figure>"


def gallery_line(name: str, ids: str) -> str:
    """The report's line for a gallery whose images are not shown."""
    return f"shortcode [{name}]" + (f" of attachments {ids}" if ids else "")


def _file(named: dict[str, str], keys: tuple[str, ...]) -> str:
    return next((named[k] for k in keys if is_address(named.get(k, ""))), "")


def _convert(match: re.Match[str], findings: Findings) -> str:
    opening, tag, raw, _, content, closing = match.groups()
    if opening == "[" and closing == "]":
        return match.group(0)[1:-1]  # [[gallery]]: the shortcode's own text, shown as such
    # One extra bracket stays text beside the shortcode, as WordPress leaves it.
    return opening + _shortcode(match, tag.lower(), raw, content, findings) + closing


def _shortcode(
    match: re.Match[str], name: str, raw: str, content: str | None, findings: Findings
) -> str:
    enclosing = content is not None
    content = content or ""
    named, positional = _attributes(raw)
    if name in _CAPTIONS:
        return _caption_figure(named, _expand(content, findings))
    if name in ("audio", "video"):
        url = _file(named, _AUDIO_KEYS if name == "audio" else _VIDEO_KEYS)
        url = url or next((p for p in positional if is_address(p)), "")
        if url:
            return embed_html(Embed(AUDIO if name == "audio" else VIDEO, url))
        findings.add(ProblemKind.NOT_CONVERTED, f"shortcode [{name}] without a file address")
        return ""
    if name in _EMBEDDING:
        url = _address(name, raw, named, positional, content)
        if url:
            return embed_html(Embed(provider_for(url, None if name == "embed" else name), url))
        findings.add(ProblemKind.NOT_CONVERTED, f"shortcode [{name}] without an address")
        return ""
    if name in _MEDIA:
        listed = named.get("ids", "")
        line = gallery_line(name, listed)
        # Reported here, in the order found; the images pass takes the line back when it
        # shows the gallery's images (media imported).
        findings.add(ProblemKind.MEDIA, line)
        if name == "playlist":
            return ""
        ids = ",".join(re.findall(r"\d+", listed or named.get("include", "")))
        return f'<div {GALLERY_MARK}="{html.escape(line)}" data-ids="{ids}"></div>'

    if named or enclosing or name in _WELL_KNOWN:
        findings.add(ProblemKind.NOT_CONVERTED, f"shortcode [{name}]")
        return _expand(content, findings)
    # "[sic]", "[see below]", "[i]": text in brackets, not a shortcode.
    start, end = match.span(2)[0] - match.start(0), match.end(0) - match.start(0)
    inner = match.group(0)[start - 1 : end - len(match.group(6))]
    return inner


def _expand(text: str, findings: Findings) -> str:
    if "[" not in text:
        return text
    return _SHORTCODE.sub(lambda m: _convert(m, findings), text)


def _outside_code(text: str, change: Callable[[str], str]) -> str:
    """``change`` applied to the text outside ``<pre>`` and ``<code>`` elements, where
    shortcodes and addresses are shown, not run."""
    parts = _CODE.split(text)
    # re.split with two groups: text, element, tag name, text, element, tag name...
    out: list[str] = []
    for index, part in enumerate(parts):
        position = index % 3
        if position == 0:
            out.append(change(part))
        elif position == 1:
            out.append(part)
    return "".join(out)


def do_shortcodes(text: str, findings: Findings) -> str:
    return _outside_code(text, lambda part: _expand(part, findings))


# WP_Embed::autoembed(): an address alone on its line, or alone in its paragraph.
_OWN_LINE: Final = re.compile(r"^(\s*)(https?://[^\s<>\"]+)(\s*)$", re.IGNORECASE | re.MULTILINE)
_OWN_PARAGRAPH: Final = re.compile(
    r"(<p(?: [^>]*)?>\s*)(https?://[^\s<>\"]+)(\s*</p>)", re.IGNORECASE
)
_TAG_NEWLINES: Final = re.compile(r"<[^>]*>")
_LINE_BREAK_MARK: Final = "<!-- wp-line-break -->"


def _embed_address(match: re.Match[str]) -> str:
    before, url, after = match.groups()
    provider = known_provider(url)
    if provider is None:
        # WordPress finds no embed for it, and shows the address as a link.
        return f'{before}<a href="{url}">{url}</a>{after}'
    return f"{before}{embed_html(Embed(provider, url))}{after}"


def autoembed(text: str) -> str:
    """Addresses alone on a line or in a paragraph as embeds (known providers) or links."""
    if not re.search(r"(?:^|\s|>)https?://", text, re.IGNORECASE):
        return text

    def embed(part: str) -> str:
        part = _TAG_NEWLINES.sub(lambda m: m.group(0).replace("\n", _LINE_BREAK_MARK), part)
        part = _OWN_LINE.sub(_embed_address, part)
        part = _OWN_PARAGRAPH.sub(_embed_address, part)
        return part.replace(_LINE_BREAK_MARK, "\n")

    return _outside_code(text, embed)
