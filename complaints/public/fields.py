"""GOV.UK form pieces the public journey needs beyond ``config.forms``.

* ``PublicForm``: a ``GovukForm`` whose fields render through the public field
  template (question as the page heading, radios with hints, the date input),
  (its error-summary links, from ``GovukForm``, point at each field's first input).
* ``GovukDateField`` (from ``config.date_fields``, shared with the case screens):
  the GOV.UK date input, here on the public pages' own clock.
"""

from __future__ import annotations

import datetime as dt

from django import forms

from complaints.public import clock
from config import date_fields
from config.date_fields import long_date
from config.forms import GovukForm

FIELD_TEMPLATE = "public/forms/field.html"

__all__ = ["FIELD_TEMPLATE", "GovukDateField", "PublicForm", "choice_label", "display_value", "long_date",
           "to_session"]

class GovukDateField(date_fields.GovukDateField):
    """The shared date field, on the public pages' clock (which tests can stop)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("today", clock.today)
        super().__init__(**kwargs)


class PublicForm(GovukForm):
    """A form of the public journey. ``heading`` names the field shown as the page's h1."""

    heading: str | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.template_name = FIELD_TEMPLATE
            field.is_page_heading = name == self.heading


def choice_label(field: forms.Field, value) -> str:
    for key, label in getattr(field, "choices", []):
        if str(key) == str(value):
            return str(label)
    return str(value)


def display_value(field: forms.Field, value) -> str:
    """How the check-answers page shows a stored answer."""
    if value in (None, "", [], {}):
        return ""
    if isinstance(field, date_fields.GovukDateField):
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
