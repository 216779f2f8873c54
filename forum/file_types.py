"""What an uploaded file is, read from its bytes: never from its name or the browser's word.

A browser's Content-Type comes from the file's extension, which anyone can change:
an HTML page renamed ``synopsis.pdf`` would be stored as a PDF and, opened from the
forum's own origin, run its script. So each accepted type is recognised by its
content, and the type the forum stores and serves is the one found here.

The checks, type by type:

- PDF: the file begins with ``%PDF-``;
- PNG: the 8-byte signature followed by the ``IHDR`` chunk; JPEG: ``FF D8 FF``;
  GIF: ``GIF87a``/``GIF89a``; WebP: a ``RIFF`` container of form ``WEBP``. Never
  SVG: it is XML that may carry script;
- Word, Excel and PowerPoint (docx, xlsx, pptx): a ZIP archive that holds
  ``[Content_Types].xml``, whose ``Override`` for the type's main part
  (``/word/document.xml``, ``/xl/workbook.xml``, ``/ppt/presentation.xml``) names
  that part's content type, and that holds the part. The macro-enabled variants
  (docm, xlsm, pptm) declare another content type and are refused;
- OpenDocument (odt, ods, odp): a ZIP whose first entry is ``mimetype``, stored
  uncompressed, holding the type's media type (the format's own rule, ODF 1.2 part 3,
  3.3);
- legacy Office (doc, xls, ppt): the OLE2 compound-file signature, and the
  stream that makes it a document (``WordDocument``, ``Workbook``/``Book``,
  ``PowerPoint Document``) among its directory's names; a file whose directory
  names a VBA project (macros) is refused.

A ZIP's ``[Content_Types].xml`` is read only when its declared size is small, so a
crafted archive cannot make the check decompress gigabytes.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    """A type the forum accepts: its media type, the extension it is saved under, and
    whether a browser may show it (images) rather than download it. A PDF is downloaded:
    browsers' PDF viewers run the document's own scripts and forms."""

    content_type: str
    extension: str
    inline: bool = False


PDF = FileType("application/pdf", "pdf")
PNG = FileType("image/png", "png", inline=True)
JPEG = FileType("image/jpeg", "jpg", inline=True)
GIF = FileType("image/gif", "gif", inline=True)
WEBP = FileType("image/webp", "webp", inline=True)
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
PPTX = FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx")
ODT = FileType("application/vnd.oasis.opendocument.text", "odt")
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", "ods")
ODP = FileType("application/vnd.oasis.opendocument.presentation", "odp")
DOC = FileType("application/msword", "doc")
XLS = FileType("application/vnd.ms-excel", "xls")
PPT = FileType("application/vnd.ms-powerpoint", "ppt")

ALL_TYPES = (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP, DOC, XLS, PPT)
BY_CONTENT_TYPE = {file_type.content_type: file_type for file_type in ALL_TYPES}
# Extensions that name the same type as the one found (a JPEG named .jpeg keeps it).
SYNONYMS = {"jpg": {"jpg", "jpeg"}}

# The OOXML main parts and the content type each must be declared with.
_OOXML_MAIN_TYPES = {
    "word/document.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        DOCX,
    ),
    "xl/workbook.xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        XLSX,
    ),
    "ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        PPTX,
    ),
}
_OPENDOCUMENT = {file_type.content_type.encode(): file_type for file_type in (ODT, ODS, ODP)}
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE2_STREAMS = (
    ("WordDocument", DOC),
    ("Workbook", XLS),
    ("Book", XLS),
    ("PowerPoint Document", PPT),
)
_OLE2_MACROS = ("_VBA_PROJECT", "Macros", "VBA")
# [Content_Types].xml of a real document is a few kilobytes.
_MAX_CONTENT_TYPES_BYTES = 256 * 1024
_OVERRIDE = re.compile(rb"<Override\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb'(\w+)\s*=\s*"([^"]*)"')


def identify(data: bytes) -> FileType | None:
    """The accepted type ``data`` is, or None (anything else, an SVG or a renamed page included)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"PK\x03\x04"):
        return _zip_document(data)
    if data.startswith(_OLE2_SIGNATURE):
        return _legacy_office(data)
    return None


def _zip_document(data: bytes) -> FileType | None:
    # OpenDocument: the first entry, "mimetype", stored uncompressed, right after its
    # 30-byte local header.
    if data[30:38] == b"mimetype":
        for media_type, file_type in _OPENDOCUMENT.items():
            if data[38 : 38 + len(media_type)] == media_type:
                return file_type if _is_zip(data) else None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names:
            return None
        info = archive.getinfo("[Content_Types].xml")
        if info.file_size > _MAX_CONTENT_TYPES_BYTES:
            return None
        declared = archive.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, ValueError):
        return None
    overrides = {}
    for tag in _OVERRIDE.findall(declared):
        attributes = {key.lower(): value for key, value in _ATTRIBUTE.findall(tag)}
        overrides[attributes.get(b"partname", b"").decode("utf-8", "replace").lstrip("/")] = (
            attributes.get(b"contenttype", b"").decode("utf-8", "replace")
        )
    for part, (content_type, file_type) in _OOXML_MAIN_TYPES.items():
        if part in names and overrides.get(part) == content_type:
            return file_type
    return None


def _is_zip(data: bytes) -> bool:
    try:
        zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return False
    return True


def _legacy_office(data: bytes) -> FileType | None:
    # The directory's entry names are UTF-16LE; a name search finds them without
    # walking the sector chains (the file is refused anyway if it names macros).
    if any(name.encode("utf-16-le") in data for name in _OLE2_MACROS):
        return None
    for name, file_type in _OLE2_STREAMS:
        if name.encode("utf-16-le") + b"\x00\x00" in data:
            return file_type
    return None


# --- names ------------------------------------------------------------------------------

MAX_NAME_LENGTH = 120
# What a name may not hold on any file system, nor in a header: path separators,
# reserved punctuation, control characters.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*;]+')


def clean_base(original: str) -> str:
    """The uploader's name without its path, control or reserved characters (may be empty)."""
    base = re.split(r"[\\/]", original or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _UNSAFE.sub("_", base)
    return re.sub(r"\s+", " ", base).strip(" .")[:MAX_NAME_LENGTH]


def safe_name(original: str, file_type: FileType) -> str:
    """The name the file is offered under: the uploader's base name without a path,
    control or reserved characters, at most MAX_NAME_LENGTH characters, ending in the
    extension of the type found (added when the name says otherwise)."""
    base = clean_base(original)
    stem, dot, extension = base.rpartition(".")
    allowed = SYNONYMS.get(file_type.extension, {file_type.extension})
    if dot and extension.lower() in allowed:
        stem, extension = stem.strip(" ."), extension.lower()
    else:
        stem, extension = base, file_type.extension
    stem = stem[: MAX_NAME_LENGTH - len(extension) - 1].strip(" .") or "file"
    return f"{stem}.{extension}"
