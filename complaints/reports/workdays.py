"""Working days counted inside the database, so reports aggregate them in SQL.

``working_days(start, end, calendars)`` is the SQL twin of
``WorkingCalendar.working_days_between``: working days in (start, end]. It
rests on a day index, I(d) = weekdays from a fixed Sunday up to d, minus the
calendar's weekday holidays and closure days on or before d; then
working days in (a, b] = I(b) - I(a). The weekday count is arithmetic; the
holidays are one array parameter, counted on PostgreSQL with ``width_bucket``
(a binary search over the sorted array) and on SQLite (the run command's
embedded default) with ``json_each``.

A case's deadlines count on the calendar of the policy version it was received
under; when a council's versions have different closure days, the expression
chooses the calendar by policy version.
"""

from __future__ import annotations

import datetime as dt
import json

from django.db.models import Case, DateField, Expression, Func, IntegerField, Value, When
from django.db.models.functions import TruncDate

from deadlines.calendar import LONDON, WorkingCalendar
from deadlines.engine import policy_calendar
from policies.models import Council, PolicyVersion

EPOCH = dt.date(1989, 12, 31)  # a Sunday before the calendar's first year


def weekday_holidays(cal: WorkingCalendar) -> list[dt.date]:
    """The calendar's non-working days that fall Monday to Friday, sorted."""
    return sorted(day for day in {*cal.bank_holidays, *cal.closures} if day.weekday() < 5)


class WorkingDayIndex(Func):
    """I(d) for one calendar; only differences of two indexes mean anything."""

    output_field = IntegerField()

    def __init__(self, day, holidays: list[dt.date]):
        super().__init__(day)
        self.holidays = holidays

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        day = f"({sql})::date"
        offset = f"({day} - DATE '{EPOCH.isoformat()}')"
        text = (f"(5 * ({offset} / 7) + LEAST({offset} %% 7, 5) "
                f"- width_bucket({day}, %s::date[]))")
        return text, [*params, *params, *params, list(self.holidays)]

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        offset = f"CAST(julianday({sql}) - julianday('{EPOCH.isoformat()}') AS INTEGER)"
        text = (f"(5 * ({offset} / 7) + min({offset} %% 7, 5) "
                f"- (SELECT count(*) FROM json_each(%s) WHERE json_each.value <= {sql}))")
        holidays = json.dumps([day.isoformat() for day in self.holidays])
        return text, [*params, *params, holidays, *params]

    def as_sql(self, compiler, connection, **extra):  # other databases: not supported by this project
        raise NotImplementedError(f"working days in SQL are written for PostgreSQL and SQLite, not {connection.vendor}")


class Calendars:
    """The working calendars of some policy versions, grouped by identical closure days."""

    def __init__(self, versions):
        groups: dict[tuple, list[int]] = {}
        self._calendar: dict[tuple, WorkingCalendar] = {}
        for version in versions:
            cal = policy_calendar(version.policy)
            key = tuple(sorted(cal.closures))
            groups.setdefault(key, []).append(version.pk)
            self._calendar[key] = cal
        self.groups = [(ids, weekday_holidays(self._calendar[key])) for key, ids in groups.items()]

    @classmethod
    def for_council(cls, council: Council | None) -> Calendars:
        versions = PolicyVersion.objects.all() if council is None else PolicyVersion.objects.filter(council=council)
        return cls(versions.only("pk", "content"))

    def index(self, day, version_path: str) -> Expression:
        """I(day) on the calendar of the policy version found at ``version_path`` (e.g. ``policy_version``)."""
        if not self.groups:
            return Value(None, output_field=IntegerField())
        *rest, (_, last) = self.groups
        if not rest:
            return WorkingDayIndex(day, last)
        whens = [When(**{f"{version_path}__in": ids}, then=WorkingDayIndex(day, holidays)) for ids, holidays in rest]
        return Case(*whens, default=WorkingDayIndex(day, last), output_field=IntegerField())

    def between(self, start, end, version_path: str) -> Expression:
        """Working days in (start, end]: the SQL twin of ``working_days_between``."""
        return self.index(end, version_path) - self.index(start, version_path)


def london_day(field: str):
    """The Europe/London date of a timestamp column."""
    return TruncDate(field, tzinfo=LONDON)


def date_value(day: dt.date) -> Value:
    return Value(day, output_field=DateField())


__all__ = ["Calendars", "WorkingDayIndex", "date_value", "london_day", "weekday_holidays"]
