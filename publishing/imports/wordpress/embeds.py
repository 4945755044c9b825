"""Embedded media of WordPress posts as our embed form (see ``publishing.embeds``).

WordPress embeds a page of a known provider wherever its address stands alone (a line or a
paragraph of a classic post, an embed block, an ``[embed]`` shortcode); the provider is read
from the address, the way WordPress's oEmbed list does.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from publishing.embeds import PROVIDER, Embed

__all__ = [
    "AUDIO",
    "LINK",
    "VIDEO",
    "embed_element",
    "embed_html",
    "is_address",
    "known_provider",
    "provider_for",
    "read_embed_element",
]

AUDIO: Final = "audio"
VIDEO: Final = "video"
LINK: Final = "link"  # a page with no provider we know: frontends show a link card

# Host (and its subdomains) -> provider, for the providers WordPress embeds out of the box.
_HOSTS: Final = {
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "youtube-nocookie.com": "youtube",
    "vimeo.com": "vimeo",
    "twitter.com": "twitter",
    "x.com": "twitter",
    "instagram.com": "instagram",
    "instagr.am": "instagram",
    "wordpress.tv": "wordpress-tv",
    "videopress.com": "videopress",
    "video.wordpress.com": "videopress",
    "facebook.com": "facebook",
    "fb.watch": "facebook",
    "soundcloud.com": "soundcloud",
    "spotify.com": "spotify",
    "dailymotion.com": "dailymotion",
    "dai.ly": "dailymotion",
    "flickr.com": "flickr",
    "flic.kr": "flickr",
    "ted.com": "ted",
    "tiktok.com": "tiktok",
    "reddit.com": "reddit",
    "tumblr.com": "tumblr",
    "slideshare.net": "slideshare",
    "scribd.com": "scribd",
    "mixcloud.com": "mixcloud",
    "kickstarter.com": "kickstarter",
    "pinterest.com": "pinterest",
    "imgur.com": "imgur",
    "issuu.com": "issuu",
    "speakerdeck.com": "speakerdeck",
    "animoto.com": "animoto",
    "cloudup.com": "cloudup",
    "crowdsignal.com": "crowdsignal",
    "polldaddy.com": "crowdsignal",
    "smugmug.com": "smugmug",
    "amazon.com": "amazon",
    "wolframcloud.com": "wolfram-cloud",
    "pocketcasts.com": "pocket-casts",
    "bsky.app": "bluesky",
}
_AUDIO_FILE: Final = re.compile(r"\.(?:mp3|m4a|ogg|oga|wav|flac|aac)$", re.IGNORECASE)
_VIDEO_FILE: Final = re.compile(r"\.(?:mp4|m4v|webm|ogv|mov|wmv|flv)$", re.IGNORECASE)


def known_provider(url: str) -> str | None:
    """The provider WordPress would embed ``url`` from, or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    while host:
        if host in _HOSTS:
            return _HOSTS[host]
        host = host.partition(".")[2]
    path = parts.path
    if _AUDIO_FILE.search(path):
        return AUDIO
    if _VIDEO_FILE.search(path):
        return VIDEO
    return None


def provider_for(url: str, named: str | None = None) -> str:
    """The provider for an address WordPress was told to embed: known from the address, else
    the name the embed block gave it, else a plain link."""
    found = known_provider(url)
    if found is not None:
        return found
    if named and PROVIDER.fullmatch(named.lower()):
        return named.lower()
    return LINK


def is_address(text: str) -> bool:
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in text


# Marks the stand-in elements below, so no figure of the post itself is taken for one.
_MARK: Final = "data-pressroom-embed"


def embed_element(embed: Embed) -> Tag:
    """An element that stands for ``embed`` in the post's HTML until the body is written as
    Markdown (where it becomes the embed line); its text is what readers will see."""
    soup = BeautifulSoup("", "html.parser")
    figure = soup.new_tag("figure", attrs={_MARK: embed.provider, "data-caption": embed.caption})
    link = soup.new_tag("a", attrs={"href": embed.url})
    link.string = embed.caption or embed.url
    figure.append(link)
    return figure


def embed_html(embed: Embed) -> str:
    return str(embed_element(embed))


def read_embed_element(element: Tag) -> Embed | None:
    """The embed an element made by ``embed_element`` stands for, or None."""
    provider = element.get(_MARK)
    link = element.find("a")
    if element.name != "figure" or not isinstance(provider, str) or not isinstance(link, Tag):
        return None
    return Embed(provider, str(link.get("href", "")), str(element.get("data-caption", "")))
