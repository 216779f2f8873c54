"""The review's tables as files: an XLSX workbook, a zip of CSV files, or JSON.

The tables hold aggregates only (services/review.py); here they are only
written out. CSV and XLSX cells that a spreadsheet would read as a formula
(=, +, -, @ first) are neutralised with a leading apostrophe.
"""
from __future__ import annotations

import csv
import io
import json
import zipfile
from enum import StrEnum

from openpyxl import Workbook

from forum.services.review import Review

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportFormat(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"
    JSON = "json"


MEDIA_TYPES = {
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.CSV: "application/zip",
    ExportFormat.JSON: "application/json",
}


def file_name(review: Review, export_format: ExportFormat) -> str:
    extension = "zip" if export_format == ExportFormat.CSV else export_format.value
    return f"ctcc-review-{review.period.start}-{review.period.end}.{extension}"


def neutralise(value):
    """A cell value safe to open in a spreadsheet: text that starts like a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export(review: Review, export_format: ExportFormat) -> bytes:
    """The review in the given format, as the bytes of one file."""
    if export_format == ExportFormat.XLSX:
        return _xlsx(review)
    if export_format == ExportFormat.CSV:
        return _csv_zip(review)
    return _json(review)


def _xlsx(review: Review) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    about = workbook.create_sheet("period")
    about.append(["from", review.period.start.isoformat()])
    about.append(["to", review.period.end.isoformat()])
    for table in review.tables:
        sheet = workbook.create_sheet(table.key[:31])  # Excel's limit on sheet names
        sheet.append([neutralise(column) for column in table.columns])
        for row in table.rows:
            sheet.append([neutralise(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_zip(review: Review) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in review.tables:
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow([neutralise(column) for column in table.columns])
            writer.writerows([[neutralise(cell) for cell in row] for row in table.rows])
            archive.writestr(f"{table.key}.csv", text.getvalue())
    return buffer.getvalue()


def as_document(review: Review) -> dict:
    """The review as plain data: the JSON export's content, also the API's answer."""
    return {
        "period": {"from": review.period.start.isoformat(), "to": review.period.end.isoformat()},
        "tables": [
            {"key": table.key, "title": str(table.title),
             "columns": [str(column) for column in table.columns],
             "rows": [[cell if cell is None or isinstance(cell, (int, float)) else str(cell)
                       for cell in row]
                      for row in table.rows]}
            for table in review.tables
        ],
    }


def _json(review: Review) -> bytes:
    return json.dumps(as_document(review), ensure_ascii=False, indent=2).encode("utf-8")
