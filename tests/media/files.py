"""Files for media tests, made at test time (nothing is downloaded or checked in)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pyvips

RED = (220, 20, 20)
BLUE = (20, 20, 220)


def solid(width: int, height: int, colour: tuple[int, int, int] = RED) -> pyvips.Image:
    return (
        (pyvips.Image.black(width, height, bands=3) + list(colour))
        .cast("uchar")
        .copy(interpretation="srgb")
    )


def halves(width: int, height: int) -> pyvips.Image:
    """Red on the left half, blue on the right."""
    return solid(width // 2, height, RED).join(
        solid(width - width // 2, height, BLUE), "horizontal"
    )


def jpeg(width: int = 64, height: int = 48, colour: tuple[int, int, int] = RED) -> bytes:
    return solid(width, height, colour).jpegsave_buffer(Q=90)


def png(width: int = 64, height: int = 48) -> bytes:
    image = solid(width, height).bandjoin(128)  # half-transparent
    return image.copy(interpretation="srgb").pngsave_buffer()


def webp(width: int = 64, height: int = 48) -> bytes:
    return solid(width, height, BLUE).webpsave_buffer(Q=90)


def gif(width: int = 40, height: int = 30, frames: int = 3) -> bytes:
    """An animated GIF."""
    pages = [solid(width, height, (i * 60, 30, 200 - i * 50)) for i in range(frames)]
    image = pyvips.Image.arrayjoin(pages, across=1).copy()
    image.set_type(pyvips.GValue.gint_type, "page-height", height)
    image.set_type(pyvips.GValue.array_int_type, "delay", [100] * frames)
    image.set_type(pyvips.GValue.gint_type, "loop", 0)
    return image.gifsave_buffer()


def exif_with_gps(orientation: int) -> bytes:
    """An EXIF block (little-endian TIFF) with an orientation and a GPS position."""

    def entry(tag: int, kind: int, count: int, value: int) -> bytes:
        return struct.pack("<HHII", tag, kind, count, value)

    gps_offset = 8 + 2 + 2 * 12 + 4
    data_offset = gps_offset + 2 + 4 * 12 + 4
    ifd0 = (
        struct.pack("<H", 2)
        + struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0)
        + entry(0x8825, 4, 1, gps_offset)
        + struct.pack("<I", 0)
    )
    gps = (
        struct.pack("<H", 4)
        + entry(1, 2, 2, ord("N"))
        + entry(2, 5, 3, data_offset)
        + entry(3, 2, 2, ord("E"))
        + entry(4, 5, 3, data_offset + 24)
        + struct.pack("<I", 0)
    )
    position = (41, 0, 55, 28, 58, 12)  # 41°00'55"N 28°58'12"E
    rationals = b"".join(struct.pack("<II", value, 1) for value in position)
    return b"Exif\x00\x00II*\x00" + struct.pack("<I", 8) + ifd0 + gps + rationals


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="41,0.9N"/></rdf:RDF>'
    b"</x:xmpmeta>"
)


def jpeg_with_gps(width: int = 80, height: int = 40, orientation: int = 6) -> bytes:
    """Red on the left, blue on the right as stored; EXIF says "turn 90° clockwise to show",
    so shown upright it is red on top and blue below. Carries GPS in EXIF and XMP."""
    image = halves(width, height).copy()
    image.set_type(pyvips.GValue.blob_type, "exif-data", exif_with_gps(orientation))
    image.set_type(pyvips.GValue.blob_type, "xmp-data", XMP)
    return image.jpegsave_buffer(Q=92)


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` but that holds almost no data: a
    decompression bomb's shape (decoding it would fail, so only a header check refuses it as
    too large)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def pdf() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def office(part: str, *, macros: bool = False) -> bytes:
    """A minimal Office Open XML package holding ``part`` (``word/document.xml`` ...)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(part, '<?xml version="1.0"?><document/>')
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 16)
    return out.getvalue()


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
