"""Reporting periods: London calendar dates, end exclusive.

Years are calendar years (January to December) and quarters Q1 = January to
March. A council that reports on the financial year would change
``YEAR_START_MONTH`` to 4; everything else counts from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from deadlines.calendar import add_months

YEAR_START_MONTH = 1


@dataclass(frozen=True)
class Period:
    start: dt.date  # first day
    end: dt.date  # first day after the period
    label: str

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end


def year_period(year: int) -> Period:
    start = dt.date(year, YEAR_START_MONTH, 1)
    label = str(year) if YEAR_START_MONTH == 1 else f"{year} to {year + 1}"
    return Period(start, add_months(start, 12), label)


def quarter_period(year: int, quarter: int) -> Period:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("a quarter is 1, 2, 3 or 4")
    start = add_months(year_period(year).start, 3 * (quarter - 1))
    end = add_months(start, 3)
    return Period(start, end, f"Q{quarter} {year} ({start:%B} to {end - dt.timedelta(days=1):%B %Y})")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def last_twelve_months(today: dt.date) -> list[Period]:
    """The current month (to date) and the eleven before it, oldest first."""
    first = add_months(month_start(today), -11)
    months = []
    for offset in range(12):
        start = add_months(first, offset)
        months.append(Period(start, add_months(start, 1), f"{start:%b %Y}"))
    return months
