"""Images in article bodies: ``![alt](media:ID "caption")`` becomes a ``<figure>``.

``ID`` is the image's global id as the API gives it (``Image:12`` in base64, what
``Image.id`` returns); the numeric row id is accepted too, for hand-written Markdown. The
figure's ``<img>`` carries a signed ``src`` and ``srcset``, ``sizes``, its ``width`` and
``height`` (so the page does not shift), ``loading="lazy"`` and ``alt``; its
``<figcaption>`` the caption and the credit. The Markdown's alt text and title win over the
asset's own alt text and caption, which fill in when they are left empty.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.errors import Issues
from publishing.media.models import MediaAsset, MediaKind
from publishing.media.responsive import srcset, srcset_attribute
from publishing.media.sizes import rendition_size
from publishing.media.urls import Fit, ImageFormat, rendition_spec, rendition_url

__all__ = [
    "FIGURE_WIDTHS",
    "SCHEME",
    "Figure",
    "Figures",
    "asset_id_of",
    "check_media_references",
    "figure_for",
    "install",
    "media_targets",
]

SCHEME: Final = "media:"
# srcset candidates of a body figure, and the width of its fallback ``src``.
FIGURE_WIDTHS: Final = (320, 640, 960, 1280, 1920)
FALLBACK_WIDTH: Final = 960
# A body column is about 48rem wide on large screens and the whole width on small ones.
SIZES: Final = "(min-width: 48rem) 48rem, 100vw"
_ENV: Final = "pressroom_figures"


def asset_id_of(target: str) -> int | None:
    """The asset id a ``media:`` link names (a global ``Image`` id, or digits); None when it
    names none."""
    raw = target.removeprefix(SCHEME)
    if raw.isascii() and raw.isdigit():
        return int(raw) if len(raw) <= 12 else None
    try:
        decoded = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    kind, _, number = decoded.partition(":")
    if kind != "Image" or not (number.isascii() and number.isdigit()) or len(number) > 12:
        return None
    return int(number)


def _media_images(tokens: Sequence[Token]) -> Iterator[Token]:
    for block in tokens:
        if block.type == "inline" and block.children:
            for child in block.children:
                if child.type == "image" and str(child.attrGet("src") or "").startswith(SCHEME):
                    yield child


def media_targets(parser: MarkdownIt, markdown: str) -> list[str]:
    """Every ``media:`` image target in the body, in order."""
    return [str(t.attrGet("src")) for t in _media_images(parser.parse(markdown))]


def media_targets_of(tokens: Sequence[Token]) -> list[str]:
    return [str(t.attrGet("src")) for t in _media_images(tokens)]


async def check_media_references(
    session: AsyncSession,
    issues: Issues,
    targets: Collection[str],
    path: Sequence[str | int] = ("body",),
) -> None:
    """Every ``media:`` image in a body names an image in the library (one statement)."""
    wanted = {target: asset_id_of(target) for target in targets}
    ids = {i for i in wanted.values() if i is not None}
    found: set[int] = set()
    if ids:
        statement = select(MediaAsset.id).where(
            MediaAsset.id.in_(ids), MediaAsset.kind == MediaKind.IMAGE
        )
        found = set(await session.scalars(statement))
    for target, asset_id in wanted.items():
        if asset_id is None or asset_id not in found:
            issues.add(
                path,
                "UNKNOWN_MEDIA",
                f"![...]({target[:80]}) names no image in the media library; use an image's "
                "`id` (or upload the image first).",
            )


@dataclass(frozen=True, slots=True)
class Figure:
    """What a body figure shows, ready to render (hashable: rendered bodies are cached)."""

    src: str
    srcset: str
    width: int
    height: int
    alt: str | None
    caption: str | None
    credit: str | None


Figures = Mapping[str, Figure]


def figure_for(
    asset: MediaAsset,
    secret: bytes,
    *,
    alt: str | None,
    caption: str | None,
    allowed_widths: Collection[int] = (),
) -> Figure:
    """The figure of an image asset (its texts already picked for the page's language)."""
    assert asset.width is not None and asset.height is not None
    widths = [w for w in FIGURE_WIDTHS if not allowed_widths or w in allowed_widths]
    widths = widths or sorted(allowed_widths)[:1]
    focal = None if asset.focal_x is None else (asset.focal_x, asset.focal_y or 0.5)
    fallback = min(widths, key=lambda w: abs(w - FALLBACK_WIDTH))
    spec = rendition_spec(
        width=fallback,
        fit=Fit.CONTAIN,
        image_format=ImageFormat.AUTO,
        allowed_widths=allowed_widths,
    )
    width, height = rendition_size(asset.width, asset.height, spec)
    candidates = srcset(
        secret,
        asset.key,
        (asset.width, asset.height),
        widths,
        focal_point=focal,
        allowed_widths=allowed_widths,
    )
    return Figure(
        src=rendition_url(secret, asset.key, spec),
        srcset=srcset_attribute(candidates),
        width=width,
        height=height,
        alt=alt,
        caption=caption,
        credit=asset.credit,
    )


def _render_image(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    target = str(token.attrGet("src") or "")
    if not target.startswith(SCHEME):
        return self.image(tokens, idx, options, env)  # type: ignore[attr-defined,no-any-return]
    written_alt = self.renderInlineAsText(token.children or [], options, env)  # type: ignore[attr-defined]
    figures: Figures = env.get(_ENV) or {}
    figure = figures.get(target)
    if figure is None:
        # Not (or no longer) in the library: the alt text, as text.
        return escapeHtml(written_alt)
    alt = written_alt or figure.alt or ""
    caption = str(token.attrGet("title") or "") or figure.caption
    parts = [
        f'<figure class="media"><img src="{escapeHtml(figure.src)}" '
        f'srcset="{escapeHtml(figure.srcset)}" sizes="{SIZES}" '
        f'width="{figure.width}" height="{figure.height}" loading="lazy" '
        f'alt="{escapeHtml(alt)}">'
    ]
    if caption or figure.credit:
        parts.append("<figcaption>")
        if caption:
            parts.append(escapeHtml(caption))
        if figure.credit:
            space = " " if caption else ""
            parts.append(f'{space}<span class="credit">{escapeHtml(figure.credit)}</span>')
        parts.append("</figcaption>")
    parts.append("</figure>")
    return "".join(parts)


def _unwrap_figures(state: StateCore) -> None:
    # A paragraph holding only a media image is a figure, which a <p> may not contain.
    tokens = state.tokens
    for index in range(1, len(tokens) - 1):
        inline = tokens[index]
        if (
            inline.type == "inline"
            and tokens[index - 1].type == "paragraph_open"
            and tokens[index + 1].type == "paragraph_close"
            and inline.children
            and len(inline.children) == 1
            and inline.children[0].type == "image"
            and str(inline.children[0].attrGet("src") or "").startswith(SCHEME)
        ):
            tokens[index - 1].hidden = True
            tokens[index + 1].hidden = True


def install(parser: MarkdownIt) -> None:
    """Teach ``parser`` to render ``media:`` images as figures (from ``env``, see ``env``)."""
    parser.add_render_rule("image", _render_image)
    parser.core.ruler.push("media_figures", _unwrap_figures)


def env(figures: Figures) -> dict[str, Figures]:
    """The render environment that gives a parser the figures of a body."""
    return {_ENV: figures}
