"""The GOV.UK date input: its messages, which boxes show the error, and where the error summary links."""

import datetime as dt
import re

import pytest
from django import forms

from config.date_fields import GovukDateField
from config.forms import GovukForm
from tests.dates import date_parts

TODAY = dt.date(2026, 6, 10)


class ResponseDate(GovukForm):
    sent = GovukDateField(label="Date of response", name="the date of response", today=lambda: TODAY)
    due = GovukDateField(label="Due date", name="the due date", required=False, allow_future=True,
                         allow_past=False, earliest=dt.date(1990, 1, 1), latest=dt.date(2099, 12, 31),
                         today=lambda: TODAY)


def posted(**boxes) -> ResponseDate:
    form = ResponseDate({**date_parts("sent", "2026-06-01"), **date_parts("due", ""), **boxes})
    form.is_valid()
    return form


def error_boxes(form: ResponseDate, name: str) -> list[str]:
    """The boxes (day, month, year) drawn in error."""
    boxes = re.findall(r'<input class="([^"]*)" id="id_[a-z]+-([a-z]+)"', str(form[name]))
    return [part for css, part in boxes if "govuk-input--error" in css.split()]


def test_a_typed_date_is_cleaned_to_a_date():
    form = posted(**date_parts("due", "2026-07-01"))
    assert form.errors == {}
    assert (form.cleaned_data["sent"], form.cleaned_data["due"]) == (dt.date(2026, 6, 1), dt.date(2026, 7, 1))


def test_an_optional_date_left_empty_is_none():
    assert posted().cleaned_data["due"] is None


@pytest.mark.parametrize(("boxes", "message", "in_error"), [
    (("", "", ""), "Enter the date of response", ["day", "month", "year"]),
    (("1", "", "2026"), "The date of response must include a month", ["month"]),
    (("", "6", ""), "The date of response must include a day and year", ["day", "year"]),
    (("1", "June", "2026"), "The date of response must be a real date", ["month"]),
    (("1", "13", "2026"), "The date of response must be a real date", ["month"]),
    (("32", "1", "2026"), "The date of response must be a real date", ["day"]),
    (("31", "2", "2026"), "The date of response must be a real date", ["day", "month", "year"]),
    (("1", "6", "26"), "Year must include 4 numbers", ["year"]),
    (("11", "6", "2026"), "The date of response must be today or in the past", ["day", "month", "year"]),
])
def test_each_mistake_has_the_design_systems_message_and_highlights_the_wrong_boxes(boxes, message, in_error):
    form = posted(sent_day=boxes[0], sent_month=boxes[1], sent_year=boxes[2])
    assert form.errors == {"sent": [message]}
    assert error_boxes(form, "sent") == in_error


@pytest.mark.parametrize(("typed", "message"), [
    ("2026-06-09", "The due date must be today or in the future"),
    ("2100-01-01", "The due date must be the same as or before 31 December 2099"),
])
def test_a_future_only_date_with_bounds(typed, message):
    assert posted(**date_parts("due", typed)).errors == {"due": [message]}


def test_the_error_summary_links_to_the_day_box_and_what_was_typed_is_kept():
    form = posted(sent_day="31", sent_month="2", sent_year="2026")
    assert form.error_links() == [("id_sent-day", "The date of response must be a real date")]
    html = form.as_div()
    assert 'id="id_sent-day" name="sent_day" type="text" inputmode="numeric" value="31"' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Date of response</legend>' in html
    assert 'aria-describedby="id_sent_error"' in html


def test_an_error_the_form_adds_highlights_the_whole_date():
    class Ordered(ResponseDate):
        def clean(self):
            self.add_error("sent", "The date of response must be after the complaint was received")

    form = Ordered(date_parts("sent", "2026-06-01"))
    assert not form.is_valid()
    assert error_boxes(form, "sent") == ["day", "month", "year"]


def test_an_unbound_form_shows_the_initial_date_in_the_boxes():
    form = ResponseDate(initial={"sent": TODAY})
    html = str(form["sent"])
    assert 'name="sent_day" type="text" inputmode="numeric" value="10"' in html
    assert 'name="sent_year" type="text" inputmode="numeric" value="2026"' in html
    assert isinstance(form.fields["sent"].widget, forms.MultiWidget)


def test_a_link_with_one_iso_date_fills_the_boxes_so_old_links_keep_filtering():
    form = ResponseDate({"sent": "2026-06-01", "due": "2026-07-01"})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["sent"], form.cleaned_data["due"]) == (dt.date(2026, 6, 1), dt.date(2026, 7, 1))
    assert 'value="07"' in str(form["due"])


def test_a_link_with_a_date_that_is_not_one_says_so():
    form = ResponseDate({"sent": "2026-02-30"})
    assert form.errors["sent"] == ["The date of response must be a real date"]
