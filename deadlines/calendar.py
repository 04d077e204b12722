"""The one working-day calendar of the project.

A working day is Monday to Friday except England's bank holidays (the
``holidays`` package, UK/ENG, substitute days included) and any closure days a
council adds. "Within N working days of D" means: D is day 0 and is not
counted, the deadline is the N-th working day strictly after D.

Every date sum in the project goes through here. A calendar precomputes a
sorted table of working days and a prefix count per date, so adding working
days is two list look-ups: deadline computation runs at tens of thousands of
cases per second without rebuilding holiday tables per call.
"""

from __future__ import annotations

import bisect
import calendar as _stdlib_calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
FIRST_YEAR = 1990
LAST_YEAR = 2099
_FIRST = dt.date(FIRST_YEAR, 1, 1)
_LAST = dt.date(LAST_YEAR, 12, 31)


class CalendarRangeError(ValueError):
    """A date outside the years the calendar knows."""


def london_date(moment: dt.datetime | dt.date) -> dt.date:
    """The Europe/London calendar date of an instant (naive datetimes are taken as London time)."""
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None:
            return moment.date()
        return moment.astimezone(LONDON).date()
    return moment


@lru_cache(maxsize=1)
def england_bank_holidays() -> dict[dt.date, str]:
    """England's bank holidays for every year the calendar covers, built once per process."""
    table = holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    return {day: str(name) for day, name in sorted(table.items())}


@dataclass(frozen=True)
class SkippedDay:
    date: dt.date
    reason: str


class WorkingCalendar:
    """Working-day arithmetic for one set of closure days (usually one council's)."""

    def __init__(self, closure_days: Iterable[tuple[dt.date, str]] = ()):
        self.closures: dict[dt.date, str] = dict(closure_days)
        self.bank_holidays = england_bank_holidays()
        origin = _FIRST.toordinal()
        working: list[int] = []
        # prefix[i] = number of working days on or before (origin + i)
        prefix: list[int] = []
        count = 0
        for ordinal in range(origin, _LAST.toordinal() + 1):
            day = dt.date.fromordinal(ordinal)
            if day.weekday() < 5 and day not in self.bank_holidays and day not in self.closures:
                working.append(ordinal)
                count += 1
            prefix.append(count)
        self._origin = origin
        self._working = working
        self._prefix = prefix
        # Weekday holidays and closures, sorted, for explanations ("skipped Good Friday").
        self._special = sorted(
            day for day in {*self.bank_holidays, *self.closures} if day.weekday() < 5
        )

    # -- queries -------------------------------------------------------------
    def _index(self, day: dt.date) -> int:
        index = day.toordinal() - self._origin
        if index < 0 or index >= len(self._prefix):
            raise CalendarRangeError(
                f"{day.isoformat()} is outside the working-day calendar ({FIRST_YEAR}-{LAST_YEAR})"
            )
        return index

    def is_working_day(self, day: dt.date) -> bool:
        index = self._index(day)
        before = self._prefix[index - 1] if index else 0
        return self._prefix[index] != before

    def non_working_reason(self, day: dt.date) -> str | None:
        """Why a day is not a working day (bank holiday name, closure, weekend), or None."""
        if day in self.bank_holidays:
            return self.bank_holidays[day]
        if day in self.closures:
            return self.closures[day]
        if day.weekday() >= 5:
            return _stdlib_calendar.day_name[day.weekday()]
        return None

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day strictly after ``start`` (``start`` is day 0)."""
        if days < 0:
            raise ValueError("working days to add must be zero or more")
        index = self._index(start)
        if days == 0:
            return start
        position = self._prefix[index] + days - 1
        if position >= len(self._working):
            raise CalendarRangeError(
                f"{days} working days after {start.isoformat()} is beyond {LAST_YEAR}"
            )
        return dt.date.fromordinal(self._working[position])

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when ``end`` is before ``start``."""
        if end >= start:
            return self._prefix[self._index(end)] - self._prefix[self._index(start)]
        return -self.working_days_between(end, start)

    def skipped_days(self, start: dt.date, end: dt.date) -> list[SkippedDay]:
        """Bank holidays and closure days in (start, end] that were not counted.

        Weekends are left out: explanations say how many weekend days were
        passed, but name only the days a person might not expect.
        """
        self._index(start), self._index(end)
        low = bisect.bisect_right(self._special, start)
        high = bisect.bisect_right(self._special, end)
        return [SkippedDay(day, self.non_working_reason(day) or "") for day in self._special[low:high]]

    def weekend_days_between(self, start: dt.date, end: dt.date) -> int:
        """Saturdays and Sundays in (start, end]."""
        full_weeks, rest = divmod((end - start).days, 7)
        extra = sum(1 for offset in range(1, rest + 1) if (start.weekday() + offset) % 7 >= 5)
        return 2 * full_weeks + extra


# -- calendar windows (not working days) ---------------------------------------
def add_calendar_days(start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=days)


def add_months(start: dt.date, months: int) -> dt.date:
    """Same day ``months`` later, clamped to the end of a shorter month (31 Jan + 1 = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last))


def add_years(start: dt.date, years: int) -> dt.date:
    """Same day ``years`` later; 29 February becomes 28 February in a common year."""
    return add_months(start, 12 * years)


def add_hours(moment: dt.datetime, hours: int) -> dt.date:
    """The London date ``hours`` after an instant (elapsed time, across clock changes)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    return london_date(moment.astimezone(dt.timezone.utc) + dt.timedelta(hours=hours))


@lru_cache(maxsize=64)
def calendar_for(closure_days: tuple[tuple[dt.date, str], ...] = ()) -> WorkingCalendar:
    """A shared calendar per set of closure days: built once, reused by every computation."""
    return WorkingCalendar(closure_days)


__all__ = [
    "LONDON",
    "CalendarRangeError",
    "SkippedDay",
    "WorkingCalendar",
    "add_calendar_days",
    "add_hours",
    "add_months",
    "add_years",
    "calendar_for",
    "england_bank_holidays",
    "london_date",
]
