"""Tables: what a page shows, a chart draws and a CSV export writes, from one object.

A view builds ``Table`` objects from selector results; the template renders them as
GOV.UK tables (numbers right-aligned, counts linked to the filtered case list), the
chart module draws some of them, and ``csv_response`` writes all of a page's tables, so
the three never disagree.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.http import HttpResponse
from django.urls import reverse
from django.utils.text import slugify

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def case_list_url(filters: dict, **more) -> str:
    """The staff case list filtered by ``filters`` (stage, state, service_area, officer, overdue, ...).

    Without ``state`` the list shows open cases only, so a count of cases in any state is linked
    only together with the state it counts.
    """
    return f"{reverse('staff:cases')}?{urlencode({**filters, **more})}"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text, count, percent, days, money

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass(frozen=True)
class Cell:
    value: object
    href: str = ""

    def display(self, kind: str) -> str:
        value = self.value
        if value is None or value == "":
            return "–" if kind != "text" else ""
        if kind == "percent":
            return f"{value:.1f}%"
        if kind == "days":
            return f"{value:.1f}" if isinstance(value, float) else str(value)
        if kind == "money":
            return f"£{Decimal(value):,.2f}"
        if kind == "count":
            return f"{value:,}"
        return str(value)

    def raw(self) -> object:
        value = "" if self.value is None else self.value
        if isinstance(value, str) and value.startswith(FORMULA_START):
            return "'" + value  # never let a spreadsheet run text as a formula
        return value


@dataclass
class Table:
    caption: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""
    key: str = ""

    def __post_init__(self):
        self.key = self.key or slugify(self.caption)

    def add(self, *values) -> None:
        """A row of plain values or ``Cell`` objects, one per column."""
        self.rows.append([value if isinstance(value, Cell) else Cell(value) for value in values])

    def rendered(self) -> list[list[dict]]:
        """Rows for the template: each cell's text, link and whether it is a number."""
        return [[{"text": cell.display(column.kind), "href": cell.href, "numeric": column.numeric}
                 for cell, column in zip(row, self.columns)] for row in self.rows]


def csv_response(tables: list[Table], filename: str, heading: list[str]) -> HttpResponse:
    """Every table of a page, one after another: a title line, the header, the rows, a blank line."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8 (£, names)
    writer = csv.writer(response)
    for line in heading:
        writer.writerow([line])
    writer.writerow([])
    for table in tables:
        writer.writerow([table.caption])
        writer.writerow([column.name for column in table.columns])
        for row in table.rows:
            writer.writerow([cell.raw() for cell in row])
        writer.writerow([])
    return response
