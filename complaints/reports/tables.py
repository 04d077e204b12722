"""Tables: what a page shows, a chart draws and an export writes, from one object.

A view builds ``Table`` objects from selector results; the template renders them as
GOV.UK tables (numbers right-aligned, counts linked to the filtered case list), the
chart module draws some of them, and ``exports`` writes all of a page's tables as CSV
or XLSX, so they never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.text import slugify

NUMERIC_KINDS = {"count", "percent", "days", "money"}


def case_list_url(filters: dict, **more) -> str:
    """The staff case list filtered by ``filters`` (stage, state, service_area, officer, overdue, ...).

    Without ``state`` the list shows open cases only, so a count of cases in any state is linked
    only together with the state it counts.
    """
    return f"{reverse('staff:cases')}?{urlencode({**filters, **more})}"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text, date, or one of NUMERIC_KINDS

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


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
        if isinstance(value, dt.date):
            return f"{value.day} {value:%b %Y}"
        return str(value)


@dataclass
class Table:
    caption: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""
    key: str = ""
    sheet: str = ""  # a short name for the table's spreadsheet tab (at most 31 characters); default the caption

    def __post_init__(self):
        self.key = self.key or slugify(self.caption)

    def add(self, *values) -> None:
        """A row of plain values or ``Cell`` objects, one per column."""
        self.rows.append([value if isinstance(value, Cell) else Cell(value) for value in values])

    def rendered(self) -> list[list[dict]]:
        """Rows for the template: each cell's text, link and whether it is a number."""
        return [[{"text": cell.display(column.kind), "href": cell.href, "numeric": column.numeric}
                 for cell, column in zip(row, self.columns)] for row in self.rows]

