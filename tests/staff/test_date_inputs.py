"""Every date an officer types is the GOV.UK date input: day, month and year boxes, with its messages.

Today is Wed 10 Jun 2026 (the clock fixture).
"""

import re

import pytest

from tests.dates import date_parts, typed_parts
from tests.staff.conftest import acknowledged_case, answered_case, error_summary, post_action, stage1_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def date_inputs(html: str) -> list[str]:
    """The legends of the page's date inputs."""
    return re.findall(r'<fieldset class="govuk-fieldset" role="group"[^>]*>\s*'
                      r'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">([^<]+)</legend>\s*'
                      r'<div class="govuk-hint" id="[^"]+">For example, 27 3 2026</div>', html)


def error_boxes(html: str, prefix: str) -> list[str]:
    boxes = re.findall(rf'<input class="([^"]*)" id="id_{prefix}-([a-z]+)"', html)
    return [part for css, part in boxes if "govuk-input--error" in css.split()]


@pytest.mark.parametrize(("make", "slug", "legends"), [
    (stage1_case, "acknowledge", ["Date the acknowledgement was sent"]),
    (acknowledged_case, "extend", ["New response date", "Date the complainant was told"]),
    (acknowledged_case, "respond", ["Date the response was sent", "Action 1: due date", "Action 2: due date",
                                    "Action 3: due date"]),
    (answered_case, "escalate", ["Date the complainant asked"]),
    (stage1_case, "correspondence", ["Date it was sent or received"]),
])
def test_action_pages_use_the_gov_uk_date_input(officer_client, officer, make, slug, legends):
    case = make(officer)
    html = officer_client.get(f"/cases/{case.reference}/{slug}/").content.decode()
    assert date_inputs(html) == legends
    assert 'type="date"' not in html


def test_the_case_list_filters_by_dates_typed_in_boxes(officer_client):
    html = officer_client.get("/cases/").content.decode()
    assert date_inputs(html) == ["Received on or after", "Received on or before"]
    assert 'type="date"' not in html


def test_a_half_typed_date_names_the_missing_part_links_to_the_day_box_and_marks_only_that_box(officer_client,
                                                                                                 officer):
    case = acknowledged_case(officer)
    response = post_action(officer_client, case, "extend", {
        "new_date_day": "24", "new_date_month": "", "new_date_year": "2026", "reason": "Waiting for records",
        **date_parts("told_on", "2026-06-10")})
    assert error_summary(response) == ["The new response date must include a month"]
    html = response.content.decode()
    assert '<a href="#id_new_date-day">The new response date must include a month</a>' in html
    assert error_boxes(html, "new_date") == ["month"]
    assert typed_parts(html, "new_date") == ("24", "", "2026")


def test_a_date_past_the_calendar_is_refused_as_a_whole(officer_client, officer):
    case = acknowledged_case(officer)
    response = post_action(officer_client, case, "extend", {
        **date_parts("new_date", "2100-01-04"), "reason": "Waiting for records", **date_parts("told_on", "2026-06-10")})
    assert error_summary(response) == ["The new response date must be the same as or before 31 December 2099"]
    assert error_boxes(response.content.decode(), "new_date") == ["day", "month", "year"]


def test_a_wrong_filter_date_is_linked_to_its_day_box_and_the_other_filters_still_apply(officer_client, officer):
    stage1_case(officer)
    response = officer_client.get("/cases/?received_from_day=1&received_from_month=13&received_from_year=2026"
                                  "&q=nobody")
    assert error_summary(response) == ["Received on or after must be a real date"]
    html = response.content.decode()
    assert '<a href="#id_received_from-day">Received on or after must be a real date</a>' in html
    assert error_boxes(html, "received_from") == ["month"]
    assert "No cases match." in html
