"""An overdue case worked end to end in headless Chromium, and another council's case by URL.

The case is made with the services on the real clock, received 30 days ago and
triaged an hour later, so it is genuinely overdue today: its acknowledgement
was due five working days after receipt. The officer finds it with the list's
overdue filter, acknowledges it, extends it (after a refused first try),
records the Stage 1 response, escalates it and reads the timeline. axe-core
checks every screen visited, the error state and the 404 included.
"""

import datetime as dt

import pytest
from django.utils import timezone

from complaints.models import Complaint, Deadline, StaffRole
from complaints.services.intake import complaint_triage
from deadlines.calendar import london_date
from tests.browser import assert_accessible, assert_title_starts
from tests.dates import date_value, fill_date
from tests.factories import make_complaint
from tests.staff.conftest import new_case
from tests.staff.test_browser_journeys import banner, received_now, sign_in, summary_items, user

pytestmark = pytest.mark.django_db(transaction=True)


def received_days_ago(days: int, name: str, officer) -> Complaint:
    """Received ``days`` ago at 10:00 London time and triaged into Stage 1 an hour later."""
    received = (timezone.localtime() - dt.timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
    case = new_case(received=received.replace(tzinfo=None).isoformat(timespec="minutes"), name=name)
    return complaint_triage(complaint=case, by=officer, route="stage1", at=received + dt.timedelta(hours=1))


def timeline_titles(page) -> list[str]:
    return page.locator("#timeline .moj-timeline__title").all_inner_texts()


def test_officer_finds_an_overdue_case_and_works_it_through_to_review(page, live_server):
    officer = user(StaffRole.COMPLAINTS_OFFICER, "olu", "Olu", "Officer")
    user(StaffRole.COMPLAINTS_MANAGER, "mina", "Mina", "Manager")
    today = london_date(timezone.now())
    overdue = received_days_ago(30, "Priya Overdue", officer)
    received_now("Sam Ontime", officer)
    acknowledge_by = Deadline.objects.get(complaint=overdue, stage="stage1", kind="acknowledge")
    assert acknowledge_by.due_date < today  # genuinely overdue on the real clock
    url = f"{live_server.url}/cases/{overdue.reference}/"

    # The case list, then the overdue filter: only the overdue case, in red.
    sign_in(page, live_server, "olu")
    assert page.locator("#case-table tbody tr").count() == 2
    assert_accessible(page)
    page.get_by_label("Overdue only").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**overdue=on**")
    rows = page.locator("#case-table tbody tr")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-reference") == overdue.reference
    assert rows.first.locator("[data-rag]").get_attribute("data-rag") == "red"
    assert "Overdue" in rows.first.inner_text()
    assert_accessible(page)

    # The case: its acknowledgement deadline is overdue.
    page.get_by_role("link", name=overdue.reference).click()
    page.wait_for_url(url)
    assert page.locator("#case-state").inner_text() == "Stage 1"
    assert page.locator('[data-deadline="stage1-acknowledge"] [data-rag]').get_attribute("data-rag") == "red"
    assert_accessible(page)

    # Acknowledge today: the deadline is met, late.
    page.get_by_role("link", name="Acknowledge", exact=True).click()
    assert date_value(page, "Date the acknowledgement was sent") == f"{today.day}/{today.month}/{today.year}"
    assert_accessible(page)
    page.get_by_role("button", name="Record acknowledgement").click()
    page.wait_for_url(url)
    assert banner(page) == f"{overdue.reference} acknowledged"
    assert "Met late" in page.locator('[data-deadline="stage1-acknowledge"]').inner_text()
    assert_accessible(page)

    # Extend: a date that is not later is refused (the error state), then a later one is accepted.
    respond = Deadline.objects.get(complaint=overdue, stage="stage1", kind="respond")
    assert respond.due_date > today  # counted from today's acknowledgement
    page.get_by_role("link", name="Extend the response deadline").click()
    assert_accessible(page)
    fill_date(page, "New response date", respond.due_date)
    page.get_by_label("Reason for the extension").fill("Waiting for the crew's records")
    page.get_by_role("button", name="Extend the deadline").click()
    assert_title_starts(page, "Error: Extend the response deadline")
    same = respond.due_date.isoformat()
    assert summary_items(page) == [f"An extension moves the deadline later: {same} is not after {same}"]
    assert page.get_by_label("Reason for the extension").input_value() == "Waiting for the crew's records"
    assert_accessible(page)
    new_date = respond.due_date + dt.timedelta(days=7)
    assert new_date <= respond.cap_date
    fill_date(page, "New response date", new_date)
    page.get_by_role("button", name="Extend the deadline").click()
    page.wait_for_url(url)
    assert banner(page).startswith("Response deadline extended to ")
    assert Deadline.objects.get(pk=respond.pk).due_date == new_date
    assert_accessible(page)

    # The Stage 1 response.
    page.get_by_role("link", name="Record the stage response").click()
    page.get_by_label("Partly upheld", exact=True).check()
    page.get_by_label("Findings").fill("Two of the three collections were missed.")
    page.get_by_label("We apologised").check()
    assert_accessible(page)
    page.get_by_role("button", name="Record the response").click()
    page.wait_for_url(url)
    assert banner(page) == f"Response recorded: {overdue.reference} is now stage 1 answered"
    assert_accessible(page)

    # The complainant asks for a review: escalate, with the manager as the independent reviewer.
    page.get_by_role("link", name="Escalate", exact=True).click()
    fill_date(page, "Date the complainant asked", today)
    page.get_by_label("Reviewer").select_option(label="Mina Manager")
    assert_accessible(page)
    page.get_by_role("button", name="Escalate").click()
    page.wait_for_url(url)
    assert banner(page) == f"{overdue.reference} escalated: now stage 2"
    assert page.locator("#case-state").inner_text() == "Stage 2"

    # The timeline shows each step, newest first.
    titles = timeline_titles(page)
    steps = ["escalated:stage2", "responded:stage1", "extended:stage1: Waiting for the crew's records",
             "acknowledged:stage1"]
    positions = []
    for step in steps:
        matching = [i for i, title in enumerate(titles) if title.startswith(step)]
        assert matching, f"no timeline entry {step!r} in {titles}"
        positions.append(matching[0])
    assert positions == sorted(positions)
    timeline = page.locator("#timeline").inner_text()
    assert f"stage1 respond deadline changed: due {new_date}" in timeline
    assert "by Olu Officer" in timeline
    assert_accessible(page)
    page.screenshot(path="/tmp/overdue_journey_timeline.png", full_page=True)


def test_an_officer_gets_404_for_another_councils_case_by_url(page, live_server):
    user(StaffRole.COMPLAINTS_OFFICER, "olu", "Olu", "Officer")
    theirs = make_complaint("barnet", received=timezone.localtime().replace(tzinfo=None).isoformat(timespec="minutes"))
    sign_in(page, live_server, "olu")
    for path in (f"/cases/{theirs.reference}/", f"/cases/{theirs.reference}/acknowledge/",
                 f"/cases/{theirs.reference}/note/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404, path
        assert theirs.reference not in page.content()
        assert_accessible(page)
    # The same URL shape for a case of their own council opens.
    assert page.goto(f"{live_server.url}/cases/").status == 200
