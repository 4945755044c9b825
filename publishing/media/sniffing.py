"""What a file is, told from its bytes; and the file name a client sent, made safe.

The accepted types are an allow-list: each is recognised by its signature (and, for the
Office formats, by the parts inside the ZIP container), never by the client's name or
``Content-Type``. A name's extension may only confirm the type: one that names another type
is refused, so a file is never stored as something it is not.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from publishing.errors import invalid
from publishing.media.models import MediaKind

__all__ = [
    "ACCEPTED",
    "KNOWN_EXTENSIONS",
    "FileType",
    "check_extension",
    "clean_file_name",
    "sniff",
]

HEAD = 4096
MAX_FILE_NAME = 255
FILE_PATH = ("file",)


@dataclass(frozen=True, slots=True)
class FileType:
    media_type: str
    kind: MediaKind
    # Extensions a file name may have for this type; the first is added to a name without one.
    extensions: tuple[str, ...]
    label: str


JPEG = FileType("image/jpeg", MediaKind.IMAGE, (".jpg", ".jpeg", ".jpe", ".jfif"), "JPEG")
PNG = FileType("image/png", MediaKind.IMAGE, (".png",), "PNG")
GIF = FileType("image/gif", MediaKind.IMAGE, (".gif",), "GIF")
WEBP = FileType("image/webp", MediaKind.IMAGE, (".webp",), "WebP")
AVIF = FileType("image/avif", MediaKind.IMAGE, (".avif",), "AVIF")
PDF = FileType("application/pdf", MediaKind.DOCUMENT, (".pdf",), "PDF")
_OOXML = "application/vnd.openxmlformats-officedocument"
DOCX = FileType(f"{_OOXML}.wordprocessingml.document", MediaKind.DOCUMENT, (".docx",), "Word")
XLSX = FileType(f"{_OOXML}.spreadsheetml.sheet", MediaKind.DOCUMENT, (".xlsx",), "Excel")
PPTX = FileType(
    f"{_OOXML}.presentationml.presentation", MediaKind.DOCUMENT, (".pptx",), "PowerPoint"
)
_ODF = "application/vnd.oasis.opendocument"
ODT = FileType(f"{_ODF}.text", MediaKind.DOCUMENT, (".odt",), "OpenDocument text")
ODS = FileType(f"{_ODF}.spreadsheet", MediaKind.DOCUMENT, (".ods",), "OpenDocument spreadsheet")
CSV = FileType("text/csv", MediaKind.DOCUMENT, (".csv",), "CSV")

ACCEPTED = (JPEG, PNG, GIF, WEBP, AVIF, PDF, DOCX, XLSX, PPTX, ODT, ODS, CSV)
KNOWN_EXTENSIONS = frozenset(e for t in ACCEPTED for e in t.extensions)
_ACCEPTED_LIST = "JPEG, PNG, GIF, WebP and AVIF images; PDF, Word, Excel, PowerPoint, "
_ACCEPTED_LIST += "OpenDocument and CSV documents"

# The part that tells one Office Open XML document from another, and macro projects (which
# the plain formats may not carry).
_OOXML_PARTS = (
    ("word/document.xml", DOCX),
    ("xl/workbook.xml", XLSX),
    ("ppt/presentation.xml", PPTX),
)
_MACROS = re.compile(r"(^|/)vbaProject\.bin$", re.IGNORECASE)
_ODF_TYPES = {t.media_type: t for t in (ODT, ODS)}


def _unsupported(what: str) -> None:
    invalid(
        FILE_PATH,
        "UNSUPPORTED_TYPE",
        f"{what} is not accepted; accepted are {_ACCEPTED_LIST}.",
    )


def _is_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<?xml", b"<svg", b"<!doctype svg", b"<!--")) and b"<svg" in text


def _avif(head: bytes) -> FileType | None:
    # ISO BMFF: a box of type "ftyp" whose major or compatible brands name AVIF. Other HEIF
    # images (HEIC from phones) need a decoder this build does not carry.
    if head[4:8] != b"ftyp":
        return None
    size = int.from_bytes(head[0:4], "big")
    brands = [head[8:12]] + [head[i : i + 4] for i in range(16, min(size, len(head)), 4)]
    if b"avif" in brands or b"avis" in brands:
        return AVIF
    if {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"} & set(brands):
        _unsupported("A HEIC/HEIF image (convert it to JPEG or AVIF first)")
    return None


def _zip_document(path: Path) -> FileType | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                # OpenDocument: an uncompressed first entry names the type.
                info = archive.getinfo("mimetype")
                if info.file_size <= 100:
                    declared = archive.read(info).decode("ascii", "replace").strip()
                    return _ODF_TYPES.get(declared)
                return None
            if "[Content_Types].xml" not in names:
                return None
            if any(_MACROS.search(name) for name in names):
                _unsupported("An Office document with macros")
            for part, file_type in _OOXML_PARTS:
                if part in names:
                    return file_type
    except (zipfile.BadZipFile, OSError, EOFError):
        invalid(FILE_PATH, "CORRUPT", "The file looks like a ZIP archive but cannot be read.")
    return None


def _is_utf8_text(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as source:
        while chunk := source.read(256 * 1024):
            if b"\x00" in chunk:
                return False
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def sniff(path: Path, file_name: str) -> FileType:
    """The accepted type of the file at ``path``; ValidationFailed (``UNSUPPORTED_TYPE``,
    ``CORRUPT``) for anything else. Blocking: run it in a worker thread."""
    with path.open("rb") as source:
        head = source.read(HEAD)
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[0:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    found = _avif(head)
    if found is not None:
        return found
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        found = _zip_document(path)
        if found is not None:
            return found
        _unsupported("A ZIP archive")
    if _is_svg(head):
        # SVG is a program as much as a picture (scripts, external references); sanitising
        # it safely is a project of its own, so it is refused rather than half-cleaned.
        _unsupported("SVG (it can carry scripts)")
    # Text has no signature: a CSV is UTF-8 text that its name calls a CSV.
    if _extension(file_name) == ".csv" and _is_utf8_text(path):
        return CSV
    _unsupported("This type of file")
    raise AssertionError("unreachable")


def _extension(file_name: str) -> str:
    return PurePosixPath(file_name).suffix.lower()


def check_extension(file_name: str, file_type: FileType) -> None:
    """A name's extension must be one of the type's; a name without one is fine."""
    extension = _extension(file_name)
    if extension and extension not in file_type.extensions:
        invalid(
            FILE_PATH,
            "TYPE_MISMATCH",
            f"The file is {file_type.label} ({file_type.media_type}) but its name ends in "
            f"{extension[:20]!r}; expected {', '.join(file_type.extensions)}.",
        )


def clean_file_name(raw: str, file_type: FileType | None = None) -> str:
    """The client's name without folders, control characters or surrounding blanks, at most
    255 characters (its extension kept); with ``file_type``, an extension added if missing."""
    name = unicodedata.normalize("NFC", raw)
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(
        " " if c.isspace() else c for c in name if c.isspace() or unicodedata.category(c)[0] != "C"
    )
    name = " ".join(name.split()).strip(". ")
    suffix = PurePosixPath(name).suffix if name else ""
    if not name or name == suffix:
        name = "file" + suffix
    if file_type is not None and not _extension(name):
        name += file_type.extensions[0]
    if len(name) > MAX_FILE_NAME:
        suffix = PurePosixPath(name).suffix[:20]
        name = name[: MAX_FILE_NAME - len(suffix)].rstrip(". ") + suffix
    return name
