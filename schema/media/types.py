"""Media in the schema: images and documents, the URLs of their files and renditions, and
their alt texts and captions per language."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence

import strawberry
from strawberry import relay
from strawberry.types import Info

from publishing.errors import ValidationFailed
from publishing.media import figures, reading, responsive
from publishing.media import urls as media_urls
from publishing.media.figures import Figure
from publishing.media.models import MediaAsset as MediaAssetModel
from publishing.media.models import MediaKind
from schema.context import Context
from schema.errors import UserInputError
from schema.media.usage import MediaUsage
from schema.pagination import Connection
from schema.permissions import Requires

__all__ = [
    "AspectRatio",
    "Document",
    "FocalPoint",
    "Image",
    "ImageFit",
    "ImageFormat",
    "ImagePlaceholder",
    "MediaAsset",
    "MediaAssetConnection",
    "MediaKindFilter",
    "media_node",
]

# Most srcset candidates one field hands out: enough for every breakpoint of a layout.
MAX_SRCSET_WIDTHS = 12


@strawberry.enum(description="How a rendition fills the box its width and height make.")
class ImageFit(enum.Enum):
    COVER = strawberry.enum_value(
        media_urls.Fit.COVER, description="Fills the box, cropped around the focal point."
    )
    CONTAIN = strawberry.enum_value(
        media_urls.Fit.CONTAIN, description="Fits inside the box, the whole image shown."
    )


@strawberry.enum(description="The file format of a rendition.")
class ImageFormat(enum.Enum):
    AVIF = media_urls.ImageFormat.AVIF
    WEBP = media_urls.ImageFormat.WEBP
    JPEG = media_urls.ImageFormat.JPEG
    PNG = media_urls.ImageFormat.PNG
    AUTO = strawberry.enum_value(
        media_urls.ImageFormat.AUTO,
        description="The best the client's `Accept` header allows: AVIF, WebP, else JPEG.",
    )


@strawberry.enum(description="What kind of file a media asset is.")
class MediaKindFilter(enum.Enum):
    IMAGE = MediaKind.IMAGE
    DOCUMENT = MediaKind.DOCUMENT


@strawberry.type(description="Where a cover crop centres, as fractions of width and height.")
class FocalPoint:
    x: float
    y: float


@strawberry.type(description="What to paint before an image arrives.")
class ImagePlaceholder:
    blurhash: str | None = strawberry.field(description="A BlurHash of the image.")
    dominant_color: str | None = strawberry.field(description="As `#rrggbb`.")


@strawberry.input(description="A shape to crop to (cover, around the focal point): 16 by 9.")
class AspectRatio:
    width: int
    height: int


@strawberry.interface(description="An uploaded file: an image or a document.")
class MediaAsset(relay.Node):
    id: relay.NodeID[int]
    file_name: str
    media_type: str = strawberry.field(description="Sniffed from the bytes at upload.")
    byte_size: int = strawberry.field(description="Of the stored file.")
    credit: str | None = strawberry.field(description='Who to credit: "Photo: AP".')
    uploaded_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int = strawberry.field(description="Pass it back to update (optimistic locking).")
    _key: strawberry.Private[str]
    # The language of the page it was reached from (an article's), used when none is asked.
    _language: strawberry.Private[str | None]

    @strawberry.field(
        description="The stored file itself (a path on this API's origin): a document as "
        "uploaded, an image without its metadata."
    )
    def url(self) -> str:
        return media_urls.file_url(self._key, self.file_name)

    @strawberry.field(
        description="What shows this asset (deleteMedia is refused while anything does), "
        "article versions first, then authors. For editorial tools: a token is required. "
        "Read for a whole page of the media library at once.",
        extensions=[Requires(reading.BROWSE_MEDIA)],
    )
    async def usage(self, info: Info[Context, None]) -> list[MediaUsage]:
        found = await info.context.loaders.usages_by_media.load(self.id)
        return [MediaUsage.from_domain(usage) for usage in found]


@strawberry.type(description="An image, served in the size and format each screen needs.")
class Image(MediaAsset):
    width: int = strawberry.field(description="Of the stored image, in pixels.")
    height: int = strawberry.field(description="Of the stored image, in pixels.")
    _focal: strawberry.Private[tuple[float, float] | None]
    _placeholder: strawberry.Private[str | None]
    _dominant_color: strawberry.Private[str | None]

    @strawberry.field(description="Where cover crops centre; the centre unless an editor set one.")
    def focal_point(self) -> FocalPoint:
        x, y = self._focal or (0.5, 0.5)
        return FocalPoint(x=x, y=y)

    @strawberry.field(description="A BlurHash and the dominant colour.")
    def placeholder(self) -> ImagePlaceholder:
        return ImagePlaceholder(blurhash=self._placeholder, dominant_color=self._dominant_color)

    @strawberry.field(
        name="url",
        description="With no argument, the stored file (as for any asset); with any, a "
        "signed rendition URL (a path on this API's origin). Width and height are from 1 to "
        "4096 (one side alone keeps the shape), quality from 1 to 100; `fit` defaults to "
        "COVER (around the focal point) and `format` to AUTO.",
    )
    async def rendition_url(
        self,
        info: Info[Context, None],
        width: int | None = None,
        height: int | None = None,
        fit: ImageFit | None = None,
        format: ImageFormat | None = None,
        quality: int | None = None,
    ) -> str:
        if width is None and height is None and fit is None and format is None and not quality:
            return media_urls.file_url(self._key, self.file_name)
        media = info.context.media
        secret = await media.signing_key()
        with _as_input_error():
            spec = media_urls.rendition_spec(
                width=width,
                height=height,
                fit=(fit or ImageFit.COVER).value,
                image_format=(format or ImageFormat.AUTO).value,
                quality=quality,
                focal_point=self._focal,
                allowed_widths=media.widths,
            )
        return media_urls.rendition_url(secret, self._key, spec)

    @strawberry.field(
        description="An `<img srcset>` value: a signed URL per width the image can give "
        "(widths past its own give one at its own), each with the width it really has. "
        "With `aspectRatio`, cover crops of that shape around the focal point."
    )
    async def srcset(
        self,
        info: Info[Context, None],
        widths: list[int],
        aspect_ratio: AspectRatio | None = None,
        format: ImageFormat = ImageFormat.AUTO,
        quality: int | None = None,
    ) -> str:
        media = info.context.media
        if not 1 <= len(widths) <= MAX_SRCSET_WIDTHS:
            raise UserInputError(
                f"`widths` holds 1 to {MAX_SRCSET_WIDTHS} widths; got {len(widths)}.",
                argument="widths",
            )
        aspect = None
        if aspect_ratio is not None:
            if aspect_ratio.width < 1 or aspect_ratio.height < 1:
                raise UserInputError(
                    "`aspectRatio` needs a positive width and height.", argument="aspectRatio"
                )
            aspect = (aspect_ratio.width, aspect_ratio.height)
        secret = await media.signing_key()
        with _as_input_error(rename={"width": "widths"}):
            candidates = responsive.srcset(
                secret,
                self._key,
                (self.width, self.height),
                widths,
                aspect=aspect,
                image_format=format.value,
                quality=quality,
                focal_point=self._focal,
                allowed_widths=media.widths,
            )
        return responsive.srcset_attribute(candidates)

    @strawberry.field(
        description="The alt text in `language`, else along the fallback chain, else any."
    )
    async def alt(self, info: Info[Context, None], language: str | None = None) -> str | None:
        texts = await info.context.loaders.texts_by_media.load(self.id)
        return await _pick(info, {k: v.alt for k, v in texts.items()}, language or self._language)

    @strawberry.field(
        description="The caption in `language`, else along the fallback chain, else any."
    )
    async def caption(self, info: Info[Context, None], language: str | None = None) -> str | None:
        texts = await info.context.loaders.texts_by_media.load(self.id)
        captions = {k: v.caption for k, v in texts.items()}
        return await _pick(info, captions, language or self._language)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, None], node_ids: list[str], required: bool = False
    ) -> list[Image | None]:
        return await _resolve(info, node_ids, MediaKind.IMAGE)  # type: ignore[return-value]


@strawberry.type(description="A document (a PDF report, say), served as it was uploaded.")
class Document(MediaAsset):
    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, None], node_ids: list[str], required: bool = False
    ) -> list[Document | None]:
        return await _resolve(info, node_ids, MediaKind.DOCUMENT)  # type: ignore[return-value]


@strawberry.type(description="A page of the media library.")
class MediaAssetConnection(Connection[MediaAsset]):
    pass


def media_node(asset: MediaAssetModel, language: str | None = None) -> Image | Document:
    """The schema's view of a stored asset: an Image when it is an image, else a Document."""
    common = {
        "id": asset.id,
        "file_name": asset.file_name,
        "media_type": asset.media_type,
        "byte_size": asset.byte_size,
        "credit": asset.credit,
        "uploaded_by": asset.uploaded_by,
        "created_at": asset.created_at,
        "updated_at": asset.updated_at,
        "version": asset.version,
        "_key": asset.key,
        "_language": language,
    }
    if asset.kind is MediaKind.IMAGE and asset.width and asset.height:
        focal = None
        if asset.focal_x is not None and asset.focal_y is not None:
            focal = (asset.focal_x, asset.focal_y)
        return Image(
            **common,
            width=asset.width,
            height=asset.height,
            _focal=focal,
            _placeholder=asset.placeholder,
            _dominant_color=asset.dominant_color,
        )
    return Document(**common)


async def image_by_id(
    info: Info[Context, None], asset_id: int | None, language: str | None = None
) -> Image | None:
    """The image with ``asset_id`` through the request's loader; None for none (or for a
    document, which an image field never shows)."""
    if asset_id is None:
        return None
    asset = await info.context.loaders.media_by_id.load(asset_id)
    if asset is None:
        return None
    node = media_node(asset, language)
    return node if isinstance(node, Image) else None


async def body_figures(
    info: Info[Context, None], targets: Sequence[str], language: str
) -> tuple[tuple[str, Figure], ...]:
    """The figures of a body's ``media:`` images, by target: the assets and their texts come
    through the request's loaders (one statement each for every body of the response)."""
    ids = {target: figures.asset_id_of(target) for target in dict.fromkeys(targets)}
    wanted = sorted({i for i in ids.values() if i is not None})
    if not wanted:
        return ()
    loaders = info.context.loaders
    assets = dict(zip(wanted, await loaders.media_by_id.load_many(wanted), strict=True))
    texts = dict(zip(wanted, await loaders.texts_by_media.load_many(wanted), strict=True))
    media = info.context.media
    secret = await media.signing_key()
    languages = await info.context.languages()
    found: list[tuple[str, Figure]] = []
    for target, asset_id in ids.items():
        asset = None if asset_id is None else assets[asset_id]
        if asset is None or asset_id is None or asset.kind is not MediaKind.IMAGE:
            continue
        if not (asset.width and asset.height):
            continue
        views = texts[asset_id]
        alts = {k: v.alt for k, v in views.items() if v.alt is not None}
        captions = {k: v.caption for k, v in views.items() if v.caption is not None}
        found.append(
            (
                target,
                figures.figure_for(
                    asset,
                    secret,
                    alt=languages.pick(alts, language) if alts else None,
                    caption=languages.pick(captions, language) if captions else None,
                    allowed_widths=media.widths,
                ),
            )
        )
    return tuple(found)


async def _resolve(
    info: Info[Context, None], node_ids: list[str], kind: MediaKind
) -> list[Image | Document | None]:
    assets = await info.context.loaders.media_by_id.load_many([int(i) for i in node_ids])
    return [None if a is None or a.kind is not kind else media_node(a) for a in assets]


async def _pick(
    info: Info[Context, None], values: Mapping[str, str | None], language: str | None
) -> str | None:
    present = {code: text for code, text in values.items() if text is not None}
    if not present:
        return None
    languages = await info.context.languages()
    return languages.pick(present, language)


class _as_input_error:
    """Turns the domain's argument checks into a query error naming the argument."""

    def __init__(self, rename: Mapping[str, str] | None = None) -> None:
        self.rename = rename or {}

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, _tb: object) -> bool:
        if isinstance(error, ValidationFailed):
            first = error.issues[0]
            argument = str(first.path[0]) if first.path else None
            argument = self.rename.get(argument or "", argument)
            message = " ".join(issue.message for issue in error.issues)
            raise UserInputError(message, argument=argument) from error
        return False
