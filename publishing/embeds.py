"""Embeds in Markdown bodies: a video, a post or a page of another site, shown by the frontend.

A body holds an embed as a paragraph of its own, in the form markdown-it's video and
block-embed plugins made familiar::

    @[youtube](https://www.youtube.com/watch?v=M7lc1UVf-VE "Launch day")

The renderer makes it a link inside a figure, with no frame and no script::

    <figure class="embed" data-provider="youtube">
      <a href="https://www.youtube.com/watch?v=M7lc1UVf-VE">Launch day</a></figure>

so a page without a frontend's help still shows a working link, and a frontend that knows the
provider swaps in its player. ``provider`` is a short lowercase name (``youtube``, ``vimeo``,
``twitter``, ``instagram``, ``wordpress-tv``, ``audio``, ``video``, ``link``...); only http and
https addresses are embeds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

__all__ = ["PROVIDER", "Embed", "embed_markdown", "embed_plugin", "parse_embed"]

PROVIDER: Final = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
_LINE: Final = re.compile(
    r"@\[(?P<provider>[a-z0-9][a-z0-9-]{0,39})\]"
    r"\((?P<url>https?://[^\s()<>\"]+)(?:\s+\"(?P<caption>(?:[^\"\\]|\\.)*)\")?\)",
    re.IGNORECASE,
)
_TOKEN: Final = "embed"


@dataclass(frozen=True, slots=True)
class Embed:
    provider: str
    url: str
    caption: str = ""


def embed_markdown(embed: Embed) -> str:
    """The Markdown line for ``embed`` (characters the form cannot hold are encoded)."""
    url = embed.url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    url = url.replace('"', "%22").replace("<", "%3C").replace(">", "%3E")
    caption = " ".join(embed.caption.split()).replace("\\", "\\\\").replace('"', '\\"')
    title = f' "{caption}"' if caption else ""
    return f"@[{embed.provider}]({url}{title})"


def parse_embed(line: str) -> Embed | None:
    """The embed a line holds, or None when it is not one."""
    match = _LINE.fullmatch(line.strip())
    if match is None:
        return None
    caption = re.sub(r"\\(.)", r"\1", match.group("caption") or "")
    return Embed(match.group("provider").lower(), match.group("url"), caption)


def _embed_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False  # indented: a code block
    begin = state.bMarks[start_line] + state.tShift[start_line]
    line = state.src[begin : state.eMarks[start_line]]
    if not line.startswith("@["):
        return False
    embed = parse_embed(line)
    if embed is None:
        return False
    if silent:
        return True
    token = state.push(_TOKEN, "figure", 0)
    token.block = True
    token.map = [start_line, start_line + 1]
    token.meta = {"embed": embed}
    state.line = start_line + 1
    return True


def _render_embed(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    embed: Embed = tokens[idx].meta["embed"]
    text = embed.caption or embed.url
    return (
        f'<figure class="embed" data-provider="{escapeHtml(embed.provider)}">'
        f'<a href="{escapeHtml(embed.url)}">{escapeHtml(text)}</a></figure>\n'
    )


def embed_plugin(md: MarkdownIt) -> None:
    """Teach a parser the embed line (it does not interrupt a paragraph)."""
    md.block.ruler.before("paragraph", _TOKEN, _embed_block)
    md.add_render_rule(_TOKEN, _render_embed)
