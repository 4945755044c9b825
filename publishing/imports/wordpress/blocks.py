"""Block-editor posts (``<!-- wp:name {attrs} -->...<!-- /wp:name -->``), read by their blocks.

WordPress stores a block post as the HTML each block saved, between comment delimiters, and
shows it as stored (no ``wpautop``). Each block here becomes its saved HTML; the blocks whose
content WordPress makes when it shows the page (latest posts, archives, a calendar, a search
form...) have nothing saved to bring over and are reported; embeds become embeds; columns
are flattened into the one column Markdown has, and reported so.

The delimiter grammar is WordPress's own (``WP_Block_Parser``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Final

from bs4 import BeautifulSoup, Tag

from publishing.embeds import Embed
from publishing.imports.report import ProblemKind
from publishing.imports.wordpress.autop import wpautop
from publishing.imports.wordpress.embeds import embed_html, is_address, provider_for
from publishing.imports.wordpress.findings import Findings
from publishing.imports.wordpress.shortcodes import do_shortcodes

__all__ = ["Block", "is_block_post", "parse_blocks", "render_blocks"]

_DELIMITER: Final = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<namespace>[a-z][a-z0-9_-]*/)?(?P<name>[a-z][a-z0-9_-]*)\s+"
    r"(?P<attrs>\{(?:(?:[^}]+|\}+(?=\})|(?!\}\s+/?-->).)*+)?\}\s+)?(?P<void>/)?-->",
    re.DOTALL,
)

# Blocks WordPress renders from the site's data when it shows the page: nothing of them is
# saved in the post. (Prefixes cover families: post-title, query-pagination, comments...)
_DYNAMIC: Final = frozenset(
    {
        *("archives", "avatar", "calendar", "categories", "latest-comments", "latest-posts"),
        *("loginout", "navigation", "navigation-link", "navigation-submenu", "page-list"),
        *("page-list-item", "read-more", "rss", "search", "social-link", "tag-cloud"),
        *("template-part", "term-description", "home-link", "legacy-widget", "widget-group"),
        *("pattern", "block", "comment-template", "footnotes"),
    }
)
_DYNAMIC_PREFIXES: Final = ("core/post-", "core/query", "core/comments", "core/site-")
_LAYOUT: Final = frozenset({"core/columns", "core/media-text"})


@dataclass(slots=True)
class Block:
    name: str  # "core/paragraph", "jetpack/contact-form"
    attrs: dict[str, Any] = field(default_factory=dict)
    children: list[Block | str] = field(default_factory=list)

    @property
    def html(self) -> str:
        """The block's own saved HTML, its inner blocks left out."""
        return "".join(c for c in self.children if isinstance(c, str))


def is_block_post(content: str) -> bool:
    """As WordPress's has_blocks(): a post with any block delimiter is a block post."""
    return "<!-- wp:" in content


def _attrs(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def parse_blocks(content: str) -> list[Block | str]:
    """Top-level blocks, and the HTML between them (freeform, as typed in a classic block)."""
    top: list[Block | str] = []
    stack: list[Block] = []
    position = 0

    def add(item: Block | str) -> None:
        (stack[-1].children if stack else top).append(item)

    for match in _DELIMITER.finditer(content):
        if match.start() > position:
            add(content[position : match.start()])
        position = match.end()
        name = f"{(match.group('namespace') or 'core/')}{match.group('name')}"
        if match.group("closer"):
            if stack:
                stack.pop()  # as WordPress's parser: the innermost open block ends here
            continue
        block = Block(name, _attrs(match.group("attrs")))
        add(block)
        if not match.group("void"):
            stack.append(block)
    if position < len(content):
        add(content[position:])
    return top


def _dynamic(name: str) -> bool:
    return name.removeprefix("core/") in _DYNAMIC or name.startswith(_DYNAMIC_PREFIXES)


def _has_content(block: Block) -> bool:
    if block.html.strip():
        return True
    return any(isinstance(c, Block) and _has_content(c) for c in block.children)


def _embed(block: Block, findings: Findings) -> str:
    soup = BeautifulSoup(block.html, "html.parser")
    wrapper = soup.find(class_="wp-block-embed__wrapper")
    url = str(block.attrs.get("url") or (wrapper.get_text().strip() if wrapper else ""))
    if not is_address(url):
        findings.add(ProblemKind.NOT_CONVERTED, f"block wp:{_short(block.name)} without an address")
        return ""
    caption = soup.find("figcaption")
    named = block.attrs.get("providerNameSlug")
    if block.name.startswith("core-embed/"):
        named = block.name.removeprefix("core-embed/")
    text = caption.get_text(" ", strip=True) if isinstance(caption, Tag) else ""
    return embed_html(Embed(provider_for(url, str(named) if named else None), url, text))


def _short(name: str) -> str:
    return name.removeprefix("core/")


def _render(block: Block, findings: Findings) -> str:
    name = block.name
    if name in ("core/more", "core/nextpage"):
        if name == "core/nextpage":
            findings.add(ProblemKind.FLATTENED, "<!--nextpage--> page break: pages joined")
        return ""
    if name == "core/footnotes":
        return ""  # the notes are in the post's meta; see publishing.imports.wordpress.footnotes
    if name == "core/embed" or name.startswith("core-embed/"):
        return _embed(block, findings)
    if name == "core/block":
        ref = block.attrs.get("ref")
        findings.add(ProblemKind.NOT_CONVERTED, f"reusable block wp:block {ref}")
        return ""
    if _dynamic(name):
        findings.add(
            ProblemKind.NOT_CONVERTED,
            f"dynamic block wp:{_short(name)} (made by WordPress when shown)",
        )
        return ""
    if not _has_content(block):
        if not name.startswith("core/"):
            findings.add(
                ProblemKind.NOT_CONVERTED,
                f"dynamic block wp:{name} (made by its plugin when shown)",
            )
        return ""  # an empty block of WordPress's own shows nothing
    if name in ("core/shortcode", "core/freeform"):
        # WordPress shows these as classic text: with paragraphs.
        return wpautop(block.html)
    if name in _LAYOUT:
        findings.add(ProblemKind.FLATTENED, f"block wp:{_short(name)}: laid out as one column")
    return "".join(
        part if isinstance(part, str) else _render(part, findings) for part in block.children
    )


def render_blocks(content: str, findings: Findings) -> str:
    """The HTML a block post shows, blocks converted as above, with its shortcodes run."""
    parts: list[str] = []
    for item in parse_blocks(content):
        if isinstance(item, str):
            # Text between blocks: classic content left in a block post.
            parts.append(wpautop(item) if item.strip() else "\n")
        else:
            parts.append(_render(item, findings))
    return do_shortcodes("\n".join(parts), findings)
