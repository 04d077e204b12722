"""A page's tables as a download: CSV (one file, table after table) or XLSX (one sheet per table).

Both write the same values from the same ``Table`` objects, so the numbers in a spreadsheet
are the numbers on the page. Text that a spreadsheet program would run as a formula (it
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return: names, learning points
and feedback are typed by people) gets a leading apostrophe in both formats, as OWASP
advises against CSV injection; numbers and dates are never text, so they are never touched.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from complaints.reports.tables import Column, Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NAME_LENGTH = 31  # Excel's limit
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
NUMBER_FORMATS = {"count": "#,##0", "percent": "0.0", "money": '"£"#,##0.00', "date": "yyyy-mm-dd"}
WIDEST_COLUMN = 60


def defused(text: str) -> str:
    """Text a spreadsheet will show as text, never run as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return defused(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def csv_response(tables: list[Table], filename: str, heading: list[str]) -> HttpResponse:
    """Every table of a page, one after another: a title line, the header, the rows, a blank line."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8 (£, names)
    writer = csv.writer(response)
    for line in heading:
        writer.writerow([defused(line)])
    writer.writerow([])
    for table in tables:
        writer.writerow([defused(table.caption)])
        writer.writerow([column.name for column in table.columns])
        for row in table.rows:
            writer.writerow([csv_value(cell.value) for cell in row])
        writer.writerow([])
    return response


def sheet_names(tables: list[Table], taken: set[str]) -> list[str]:
    """A distinct tab name per table: its ``sheet`` or caption, without the characters Excel refuses."""
    names = []
    for table in tables:
        base = SHEET_NAME_FORBIDDEN.sub("-", table.sheet or table.caption).strip(" '")[:SHEET_NAME_LENGTH] or "Table"
        name, number = base, 1
        while name.lower() in taken:
            number += 1
            suffix = f" ({number})"
            name = base[:SHEET_NAME_LENGTH - len(suffix)].rstrip() + suffix
        taken.add(name.lower())
        names.append(name)
    return names


def _xlsx_cell(sheet, value: object, column: Column, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, str):  # control characters XML cannot hold are dropped first, then the text defused
        value = defused(ILLEGAL_CHARACTERS_RE.sub("", value))
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever openpyxl would guess
    elif isinstance(value, dt.date):
        cell.number_format = NUMBER_FORMATS["date"]
    elif isinstance(value, float) and column.kind == "days":
        cell.number_format = "0.0"
    elif column.kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[column.kind]
    if bold:
        cell.font = Font(bold=True)
    return cell


def _width(table: Table, index: int) -> float:
    texts = [table.columns[index].name] + [str(row[index].value or "") for row in table.rows]
    return min(WIDEST_COLUMN, max(len(text) for text in texts) + 2)


def _about_sheet(book, heading: list[str], tables: list[Table], names: list[str]) -> None:
    """The first sheet: the page's heading, then each sheet's table caption and note."""
    sheet = book.create_sheet("About")
    text = Column("")
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = WIDEST_COLUMN
    sheet.column_dimensions["C"].width = WIDEST_COLUMN
    for number, line in enumerate(heading):
        sheet.append([_xlsx_cell(sheet, line, text, bold=number == 0)])
    sheet.append([])
    sheet.append([_xlsx_cell(sheet, name, text, bold=True) for name in ("Sheet", "Table", "Note")])
    for name, table in zip(names, tables):
        sheet.append([_xlsx_cell(sheet, value, text) for value in (name, table.caption, table.note or None)])


def xlsx_bytes(tables: list[Table], heading: list[str]) -> bytes:
    """A workbook: an "About" sheet, then one sheet per table (header row bold, frozen above the rows)."""
    book = Workbook(write_only=True)
    book.properties.title = heading[0] if heading else ""
    names = sheet_names(tables, {"about"})
    _about_sheet(book, heading, tables, names)
    for name, table in zip(names, tables):
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        for index in range(len(table.columns)):
            sheet.column_dimensions[get_column_letter(index + 1)].width = _width(table, index)
        sheet.append([_xlsx_cell(sheet, column.name, column, bold=True) for column in table.columns])
        for row in table.rows:
            sheet.append([_xlsx_cell(sheet, cell.value, column) for cell, column in zip(row, table.columns)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(tables: list[Table], filename: str, heading: list[str]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(tables, heading), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


EXPORTS = {"csv": csv_response, "xlsx": xlsx_response}


def export_response(request, tables: list[Table], stem: str, heading: list[str]) -> HttpResponse | None:
    """The download ``?format=csv`` or ``?format=xlsx`` asks for (file ``stem.csv``/``stem.xlsx``), else None."""
    kind = request.GET.get("format", "")
    if kind not in EXPORTS:
        return None
    return EXPORTS[kind](tables, f"{stem}.{kind}", heading)
