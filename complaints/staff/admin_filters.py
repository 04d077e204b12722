"""A from/to date filter for the admin's change lists (Django's own date filter offers fixed periods only)."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin, messages

PAGE_PARAM = "p"


class DateRangeFilter(admin.FieldListFilter):
    """Rows whose date/time field falls on or between two days (London time); either end may be left open.

    The two dates come as ``<field>_from`` and ``<field>_to`` (YYYY-MM-DD, what a date input
    sends). A date that is not a real date is ignored with an error message, not a crash.
    """

    template = "staff/admin/date_range_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.from_param, self.to_param = f"{field_path}_from", f"{field_path}_to"
        super().__init__(field, request, params, model, model_admin, field_path)
        self.request = request
        self.other_params = [(name, value) for name, values in request.GET.lists() for value in values
                             if name not in (self.from_param, self.to_param, PAGE_PARAM)]

    def expected_parameters(self):
        return [self.from_param, self.to_param]

    def value(self, param: str) -> str:
        values = self.used_parameters.get(param) or [""]
        return values[-1] if isinstance(values, list) else values

    @property
    def from_value(self) -> str:
        return self.value(self.from_param)

    @property
    def to_value(self) -> str:
        return self.value(self.to_param)

    def _day(self, param: str, label: str) -> dt.date | None:
        text = self.value(param).strip()
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            messages.error(self.request, f"The {label} date must be a real date as YYYY-MM-DD, like 2026-06-01; "
                                         f"{text!r} was ignored.")
            return None

    def queryset(self, request, queryset):
        start, end = self._day(self.from_param, "from"), self._day(self.to_param, "to")
        if start is not None:
            queryset = queryset.filter(**{f"{self.field_path}__date__gte": start})
        if end is not None:
            queryset = queryset.filter(**{f"{self.field_path}__date__lte": end})
        return queryset

    def choices(self, changelist):
        return []

    def get_facet_counts(self, pk_attname, filtered_qs):
        return {}
