"""The review's tables as files: an XLSX workbook, a zip of CSV files, or JSON.

The tables hold aggregates only (figures.py); here they are only
written out. CSV and XLSX cells that a spreadsheet would read as a formula
(=, +, -, @ first) are neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from forum.services.review.period import Review, Table

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


# Each table's sheet, named in the reader's language (Excel allows 31 characters).
SHEET_NAMES = {
    "summary": _l("Summary"),
    "organisations_served_by_kind": _l("Organisations served"),
    "organisations_served_by_province": _l("Served by province"),
    "organisations_served_by_region": _l("Served by region"),
    "organisations_served_by_country": _l("Served by country"),
    "projects_counselled": _l("Projects counselled"),
    "answers_in_period": _l("Answers"),
    "expert_workload": _l("Experts' workload"),
    "trials_by_device_class": _l("Trials by device class"),
    "trials_by_stage": _l("Trials by stage"),
    "visits_by_month": _l("Visits per month"),
    "visits_by_section": _l("Visits per section"),
    "users_by_role": _l("Users by role"),
    "users_by_organisation_kind": _l("Users by organisation"),
    "questions_by_topic": _l("Questions by topic"),
    "questions_by_visibility": _l("Questions by visibility"),
    "answering": _l("Questions answered"),
    "knowledge": _l("Board, FAQ and guide"),
    "facilitations_by_status": _l("Referrals by status"),
    "trials_facilitated": _l("Trials facilitated"),
    "trials_by_month": _l("Trials per month"),
    "survey": _l("Survey"),
    "survey_answers": _l("Survey answers"),
    "survey_quotes": _l("Survey quotes"),
    "network_figures": _l("Network in figures"),
    "network_organisations": _l("Network organisations"),
    "network_introductions": _l("Network introductions"),
    "network_visits": _l("Network visits held"),
    "network_joint_projects": _l("Network joint projects"),
}
SHEET_NAME_LIMIT = 31
SHEET_NAME_FORBIDDEN = str.maketrans({character: " " for character in "[]:*?/\\"})
MAX_COLUMN_WIDTH = 60


def sheet_name(table, taken: set[str]) -> str:
    """The table's sheet name in the reader's language: its short name, else its title,
    without the characters Excel refuses, cut to 31 characters and made unique."""
    name = str(SHEET_NAMES.get(table.key, table.title)).translate(SHEET_NAME_FORBIDDEN).strip()
    name = name[:SHEET_NAME_LIMIT] or table.key[:SHEET_NAME_LIMIT]
    number = 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name = name[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        number += 1
    taken.add(name.casefold())
    return name


def _cell(value):
    """A value as the sheet keeps it: numbers stay numbers, an empty figure an empty cell."""
    if value == "":
        return None
    return neutralise(value if isinstance(value, (int, float)) or value is None else str(value))


def _write_table(sheet, table, bold, first_row: int = 1) -> None:
    """The table's header (in the ``bold`` font, frozen when it is the sheet's first row)
    and rows."""
    sheet.append([neutralise(str(column)) for column in table.columns])
    for cell in sheet[first_row]:
        cell.font = bold
    for row in table.rows:
        sheet.append([_cell(value) for value in row])
    if first_row == 1:
        sheet.freeze_panes = "A2"


def _fit_widths(sheet) -> None:
    widths: dict[str, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                length = max(len(line) for line in str(cell.value).splitlines() or [""])
                widths[cell.column_letter] = max(widths.get(cell.column_letter, 0), length)
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = min(width + 2, MAX_COLUMN_WIDTH)


def _xlsx(review: Review) -> bytes:
    """The workbook: a summary sheet first (the period, the action plan's three figures
    with the previous period and the targets, how each is counted), then a sheet per
    table; bold frozen headers, widths that fit, numbers as numbers."""
    # Imported here: openpyxl is some 7 MB of every worker that imports it, and only
    # an admin's XLSX download needs it.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold, title = Font(bold=True), Font(bold=True, size=14)
    workbook = Workbook()
    summary = workbook.active
    taken: set[str] = set()
    headline = next((table for table in review.tables if table.key == "summary"), None)
    summary.title = sheet_name(headline or Table("summary", str(_l("Summary")), []), taken)
    summary.append([str(_l("Six-month review"))])
    summary["A1"].font = title
    summary.append([str(_l("From")), review.period.start])
    summary.append([str(_l("To")), review.period.end])
    for row in (2, 3):
        summary.cell(row=row, column=1).font = bold
        summary.cell(row=row, column=2).number_format = "yyyy-mm-dd"
    if headline is not None:
        summary.append([])
        _write_table(summary, headline, bold, first_row=5)
        summary.freeze_panes = "A6"
        summary.append([])
        for line in headline.note.splitlines():  # how each figure is counted
            summary.append([neutralise(line)])
    _fit_widths(summary)
    summary.column_dimensions["A"].width = 34  # the note's long line must not widen it
    for table in review.tables:
        if table is headline:
            continue
        sheet = workbook.create_sheet(sheet_name(table, taken))
        _write_table(sheet, table, bold)
        _fit_widths(sheet)
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
            {
                "key": table.key,
                "title": str(table.title),
                "columns": [str(column) for column in table.columns],
                "rows": [
                    [
                        cell if cell is None or isinstance(cell, (int, float)) else str(cell)
                        for cell in row
                    ]
                    for row in table.rows
                ],
            }
            for table in review.tables
        ],
    }


def _json(review: Review) -> bytes:
    return json.dumps(as_document(review), ensure_ascii=False, indent=2).encode("utf-8")
