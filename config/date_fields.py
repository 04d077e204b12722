"""The GOV.UK date input: day, month and year boxes, with the Design System's error messages.

One field for every date a person types, on the residents' pages and the case
screens alike (https://design-system.service.gov.uk/components/date-input/):

* the boxes are named ``<name>_day``, ``<name>_month`` and ``<name>_year`` and
  have the ids ``<id>-day``, ``<id>-month`` and ``<id>-year``, so an error
  summary links to ``<id>-day``, the first box;
* the messages are the pattern's own: "Enter the date ...", "The date ... must
  include a month", "... must be a real date", "Year must include 4 numbers",
  "... must be today or in the past", "... must be the same as or after ...";
* only the boxes that are wrong are highlighted: all three when nothing was
  typed, when the date as a whole is wrong (in the future, out of range) or
  when it is not clear which box is wrong (31 February).

``name`` is how the messages call the date ("the date it happened"). ``today``
is a callable, so a page with its own clock (the residents' journey) can pass
it and tests can stop time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django import forms
from django.utils import timezone

PARTS = ("day", "month", "year")
WIDTHS = {"day": 2, "month": 2, "year": 4}


def london_today() -> dt.date:
    from deadlines.calendar import london_date

    return london_date(timezone.now())


def long_date(day: dt.date | None) -> str:
    """``Monday 8 June 2026``."""
    return f"{day:%A} {day.day} {day:%B %Y}" if day else ""


def words_date(day: dt.date) -> str:
    """``8 June 2026``, as the Design System writes a date in a message."""
    return f"{day.day} {day:%B %Y}"


class DateParts(forms.MultiWidget):
    """Three text boxes; ``error_parts`` names the boxes to show in error."""

    template_name = "forms/date_input.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        boxes = {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in PARTS}
        super().__init__(boxes, attrs)
        self.error_parts: frozenset[str] = frozenset()

    def decompress(self, value):
        if isinstance(value, str) and value:
            value = dt.date.fromisoformat(value)
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        """The three boxes; failing those, one ``YYYY-MM-DD`` value under the field's own name.

        Links into the case list (from the dashboard and reports, and bookmarks made before the
        boxes) carry ``received_from=2026-04-01``; they must keep filtering, not open everything.
        """
        if not any(f"{name}_{part}" in data for part in PARTS) and data.get(name):
            pieces = str(data.get(name)).split("-")
            return pieces[::-1] if len(pieces) == 3 else [pieces[0], None, None]
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id")
        for sub, part in zip(context["widget"]["subwidgets"], PARTS):
            if base_id:
                sub["attrs"]["id"] = f"{base_id}-{part}"
            sub["label"] = part.capitalize()
            sub["width"] = WIDTHS[part]
            sub["error"] = part in self.error_parts
        return context

    def id_for_label(self, id_):
        """The first box: where a label or an error-summary link should take the reader."""
        return f"{id_}-day" if id_ else ""


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year.

    Past-only by default (``allow_future=False``) as most dates typed are of
    something that happened; ``allow_past=False`` for a date that must come.
    ``earliest`` and ``latest`` bound it further (for example the years the
    working-day calendar knows).
    """

    widget = DateParts

    def __init__(self, *, name: str, allow_future: bool = False, allow_past: bool = True,
                 earliest: dt.date | None = None, latest: dt.date | None = None,
                 today: Callable[[], dt.date] | None = None, **kwargs):
        self.date_name = name
        self.allow_future, self.allow_past = allow_future, allow_past
        self.earliest, self.latest = earliest, latest
        self.today = today or london_today
        parts = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(parts, require_all_fields=False, **kwargs)

    @property
    def capital_name(self) -> str:
        return f"{self.date_name[0].upper()}{self.date_name[1:]}"

    def _refuse(self, message: str, code: str, parts=PARTS):
        self.widget.error_parts = frozenset(parts)
        raise forms.ValidationError(message, code=code)

    def clean(self, value):
        self.widget.error_parts = frozenset()
        value = list(value or [None, None, None]) + [None, None, None]
        typed = {part: (text or "").strip() for part, text in zip(PARTS, value[:3])}
        name = self.capital_name
        if not any(typed.values()):
            if self.required:
                self._refuse(f"Enter {self.date_name}", "required")
            return None
        missing = [part for part in PARTS if not typed[part]]
        if missing:
            self._refuse(f"{name} must include a {' and '.join(missing)}", "incomplete", missing)
        not_numbers = [part for part in PARTS if not (typed[part].isascii() and typed[part].isdigit())]
        if not_numbers:
            self._refuse(f"{name} must be a real date", "invalid", not_numbers)
        if len(typed["year"]) != 4:
            self._refuse("Year must include 4 numbers", "invalid", ["year"])
        day, month, year = (int(typed[part]) for part in PARTS)
        if year < 1:
            self._refuse(f"{name} must be a real date", "invalid", ["year"])
        if not 1 <= month <= 12:
            self._refuse(f"{name} must be a real date", "invalid", ["month"])
        if not 1 <= day <= 31:
            self._refuse(f"{name} must be a real date", "invalid", ["day"])
        try:
            date = dt.date(year, month, day)
        except ValueError:  # no such day in that month (31 February): not clear which box is wrong
            self._refuse(f"{name} must be a real date", "invalid")
        self._check_range(date, name)
        return date

    def _check_range(self, date: dt.date, name: str) -> None:
        today = self.today()
        if not self.allow_future and date > today:
            self._refuse(f"{name} must be today or in the past", "future")
        if not self.allow_past and date < today:
            self._refuse(f"{name} must be today or in the future", "past")
        if self.earliest and date < self.earliest:
            self._refuse(f"{name} must be the same as or after {words_date(self.earliest)}", "too_early")
        if self.latest and date > self.latest:
            self._refuse(f"{name} must be the same as or before {words_date(self.latest)}", "too_late")

    def compress(self, data_list):  # pragma: no cover - clean() does the work
        return data_list


def mark_date_errors(form: forms.BaseForm) -> None:
    """A date with an error the field did not place (one the form added) shows all three boxes in error."""
    for name in form.errors:
        field = form.fields.get(name)
        if field is not None and isinstance(field.widget, DateParts) and not field.widget.error_parts:
            field.widget.error_parts = frozenset(PARTS)


def error_anchor(bound_field) -> str:
    """Where an error-summary link for this field goes: the first radio, checkbox or date box."""
    widget = bound_field.field.widget
    if isinstance(widget, DateParts):
        return widget.id_for_label(bound_field.auto_id)
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id
