"""How a file is named in a list: its kind in words and its size in the reader's locale."""

from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from forum import file_types

TYPE_LABELS = {
    file_types.PDF.content_type: _l("PDF"),
    file_types.PNG.content_type: _l("PNG image"),
    file_types.JPEG.content_type: _l("JPEG image"),
    file_types.GIF.content_type: _l("GIF image"),
    file_types.WEBP.content_type: _l("WebP image"),
    file_types.DOCX.content_type: _l("Word document"),
    file_types.DOC.content_type: _l("Word document"),
    file_types.XLSX.content_type: _l("Excel workbook"),
    file_types.XLS.content_type: _l("Excel workbook"),
    file_types.PPTX.content_type: _l("PowerPoint presentation"),
    file_types.PPT.content_type: _l("PowerPoint presentation"),
    file_types.ODT.content_type: _l("OpenDocument text"),
    file_types.ODS.content_type: _l("OpenDocument spreadsheet"),
    file_types.ODP.content_type: _l("OpenDocument presentation"),
}


def type_label(content_type: str) -> str:
    return str(TYPE_LABELS.get(content_type, content_type))


def size_label(size: int) -> str:
    """1 KB is 1,024 bytes, as file managers count; one decimal below 10."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            value = size / scale
            pattern = "0.#" if value < 10 else "0"
            return f"{format_decimal(value, format=pattern)} {unit}"
    return _l("%(count)s bytes", count=format_decimal(size))
