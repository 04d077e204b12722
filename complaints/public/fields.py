"""GOV.UK form pieces the public journey needs beyond ``config.forms``.

* ``PublicForm``: a ``GovukForm`` whose fields render through the public field
  template (question as the page heading, radios with hints, the date input),
  with error-summary links that point at the first input of each field.
* ``GovukDateField``: the GOV.UK date input (day, month, year boxes) with the
  Design System's error messages.
"""

from __future__ import annotations

import datetime as dt

from django import forms

from complaints.public import clock
from config.forms import GovukForm

FIELD_TEMPLATE = "public/forms/field.html"


def long_date(day: dt.date | None) -> str:
    """``Monday 8 June 2026``."""
    return f"{day:%A} {day.day} {day:%B %Y}" if day else ""


class DateParts(forms.MultiWidget):
    """Three text boxes named ``<name>_day``, ``<name>_month``, ``<name>_year``."""

    template_name = "public/forms/date_parts.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        boxes = {
            "day": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "month": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }
        super().__init__(boxes, attrs)
        self.has_error = False

    def decompress(self, value):
        if isinstance(value, str) and value:
            value = dt.date.fromisoformat(value)
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = ("Day", "Month", "Year")
        widths = (2, 2, 4)
        for sub, label, width in zip(context["widget"]["subwidgets"], labels, widths):
            sub["label"] = label
            sub["width"] = width
        context["widget"]["has_error"] = self.has_error
        return context


class GovukDateField(forms.MultiValueField):
    """A past date typed as day, month and year, with GOV.UK error messages.

    ``name`` is how error messages call the date ("the date it happened").
    """

    widget = DateParts

    def __init__(self, *, name: str, allow_future: bool = False, **kwargs):
        self.date_name = name
        self.allow_future = allow_future
        parts = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(parts, require_all_fields=False, **kwargs)

    def clean(self, value):
        value = list(value or [None, None, None])
        day, month, year = ((part or "").strip() for part in value[:3])
        name = self.date_name
        if not (day or month or year):
            if self.required:
                raise forms.ValidationError(f"Enter {name}", code="required")
            return None
        missing = [part for part, text in (("day", day), ("month", month), ("year", year)) if not text]
        if missing:
            raise forms.ValidationError(f"{name[0].upper()}{name[1:]} must include a {' and '.join(missing)}",
                                        code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(f"{name[0].upper()}{name[1:]} must be a real date", code="invalid")
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers", code="invalid")
        try:
            value = dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{name[0].upper()}{name[1:]} must be a real date", code="invalid") from None
        if not self.allow_future and value > clock.today():
            raise forms.ValidationError(f"{name[0].upper()}{name[1:]} must be today or in the past", code="future")
        return value

    def compress(self, data_list):  # pragma: no cover - clean() does the work
        return data_list


class PublicForm(GovukForm):
    """A form of the public journey. ``heading`` names the field shown as the page's h1."""

    heading: str | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.template_name = FIELD_TEMPLATE
            field.is_page_heading = name == self.heading

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields and isinstance(self.fields[name].widget, DateParts):
                self.fields[name].widget.has_error = True

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary: radios, checkboxes and dates link to their first input."""
        links = [("main-content", str(error)) for error in self.non_field_errors()]
        for bound in self:
            widget = bound.field.widget
            anchor = bound.auto_id
            if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple, DateParts)):
                anchor = f"{bound.auto_id}_0"
            links.extend((anchor, str(error)) for error in bound.errors)
        return links


def choice_label(field: forms.Field, value) -> str:
    for key, label in getattr(field, "choices", []):
        if str(key) == str(value):
            return str(label)
    return str(value)


def display_value(field: forms.Field, value) -> str:
    """How the check-answers page shows a stored answer."""
    if value in (None, "", [], {}):
        return ""
    if isinstance(field, GovukDateField):
        return long_date(dt.date.fromisoformat(value) if isinstance(value, str) else value)
    if isinstance(field, forms.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, forms.ChoiceField):
        return choice_label(field, value)
    return str(value)


def to_session(cleaned: dict) -> dict:
    """Cleaned data as JSON the session can keep (dates as ISO text; files are stored separately)."""
    out = {}
    for key, value in cleaned.items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif hasattr(value, "read"):
            continue
        out[key] = value
    return out
