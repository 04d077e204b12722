"""Read a page's downloads back: the CSV and the XLSX as {table caption: [header, rows...]}."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook


def csv_tables(response) -> dict[str, list[list[str]]]:
    """A CSV export as {table caption: [header, rows...]}."""
    text = response.content.decode("utf-8-sig")
    found, current = {}, None
    for row in csv.reader(io.StringIO(text)):
        if not row:
            current = None
        elif current is None and len(row) == 1 and row[0] not in found:
            current = found.setdefault(row[0], [])
        elif current is not None:
            current.append(row)
    return found


def workbook(response_or_bytes):
    content = response_or_bytes if isinstance(response_or_bytes, bytes) else response_or_bytes.content
    return load_workbook(io.BytesIO(content))


def about_rows(book) -> list[list]:
    """The "About" sheet's rows, without the empty cells that pad them to the sheet's width."""
    rows = []
    for row in book["About"].iter_rows():
        values = [cell.value for cell in row]
        while values and values[-1] is None:
            values.pop()
        rows.append(values)
    return rows


def xlsx_tables(book) -> dict[str, list[list]]:
    """Each table sheet as {caption: [header, rows...]}, captions from the "About" sheet's list."""
    about = about_rows(book)
    start = next(i for i, row in enumerate(about) if row[:3] == ["Sheet", "Table", "Note"]) + 1
    return {row[1]: [[cell.value for cell in sheet_row] for sheet_row in book[row[0]].iter_rows()]
            for row in about[start:]}
