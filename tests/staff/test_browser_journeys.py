"""Officer and manager journeys in headless Chromium, with axe-core checks on every kind of page.

These run on the real clock (a session cookie must not look expired to the
browser), so dates are read from the stored deadlines rather than fixed.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from complaints.models import Complaint, Deadline, StaffRole
from complaints.services.intake import complaint_triage
from complaints.services.stage_work import complaint_acknowledge
from deadlines.calendar import london_date
from tests.browser import assert_accessible, assert_title_starts
from tests.dates import date_group, date_value, fill_date
from tests.factories import staff
from tests.staff.conftest import new_case

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct-horse-battery-staple"


def user(role, username, first, last):
    person = staff("lbbd", role, username=username, first_name=first, last_name=last)
    person.set_password(PASSWORD)
    person.save()
    return person


def received_now(name: str, officer) -> Complaint:
    case = new_case(received=timezone.localtime().replace(tzinfo=None).isoformat(timespec="minutes"), name=name)
    return complaint_triage(complaint=case, by=officer, route="stage1")


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/sign-in/?next=/cases/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/cases/")


def banner(page) -> str:
    return page.locator(".govuk-notification-banner--success .govuk-notification-banner__heading").inner_text()


def summary_items(page) -> list[str]:
    return page.locator(".govuk-error-summary__list li").all_inner_texts()


def test_officer_acknowledges_is_refused_an_extension_answers_and_the_manager_sees_the_outcome(page, live_server):
    officer = user(StaffRole.COMPLAINTS_OFFICER, "olu", "Olu", "Officer")
    user(StaffRole.COMPLAINTS_MANAGER, "mina", "Mina", "Manager")
    received_now("Sam Other", officer)
    case = received_now("Priya Journey", officer)
    received_now("Jo Third", officer)
    url = f"{live_server.url}/cases/{case.reference}/"

    sign_in(page, live_server, "olu")
    assert page.locator("#case-table tbody tr").count() == 3
    assert_accessible(page)
    page.get_by_label("Reference or complainant name").fill("priya")
    page.get_by_role("button", name="Apply filters").click()
    assert page.locator("#case-table tbody tr").count() == 1
    page.get_by_role("link", name=case.reference).click()
    page.wait_for_url(url)
    assert page.locator("h1").inner_text() == f"{case.reference} Stage 1"
    assert_accessible(page)
    page.screenshot(path="/tmp/case_detail.png", full_page=True)

    page.get_by_role("link", name="Acknowledge", exact=True).click()
    assert_title_starts(page, f"Acknowledge the complaint: {case.reference}")
    today = london_date(timezone.now())
    assert date_value(page, "Date the acknowledgement was sent") == f"{today.day}/{today.month}/{today.year}"
    assert_accessible(page)
    page.get_by_role("button", name="Record acknowledgement").click()
    page.wait_for_url(url)
    assert banner(page) == f"{case.reference} acknowledged"

    respond = Deadline.objects.get(complaint=case, stage="stage1", kind="respond")
    too_late = respond.cap_date + dt.timedelta(days=1)
    page.get_by_role("link", name="Extend the response deadline").click()
    fill_date(page, "New response date", too_late)
    page.get_by_label("Reason for the extension").fill("Waiting for the crew's records")
    fill_date(page, "Date the complainant was told", today)
    page.get_by_role("button", name="Extend the deadline").click()
    assert_title_starts(page, "Error: Extend the response deadline")
    assert summary_items(page) == [
        (f"{too_late.isoformat()} is past the policy's limit of {respond.cap_date.isoformat()} "
        "(section 4 (Stage 1 Complaint)): record the complainant's agreement to go further")]
    assert page.get_by_label("Reason for the extension").input_value() == "Waiting for the crew's records"
    assert_accessible(page)
    assert Deadline.objects.get(pk=respond.pk).due_date == respond.due_date

    page.get_by_role("link", name=f"Back to {case.reference}").click()
    page.get_by_role("link", name="Record the stage response").click()
    page.get_by_label("Upheld", exact=True).check()
    page.get_by_label("Findings").fill("Three collections were missed in May.")
    page.get_by_label("We apologised").check()
    page.get_by_label("Learning points").fill("Check the round sheet daily")
    page.get_by_label("Action 1: what will be done").fill("Add the street to assisted collections")
    page.get_by_label("Action 1: owner").select_option(label="Mina Manager")
    fill_date(page, "Action 1: due date", today + dt.timedelta(days=30))
    assert_accessible(page)
    page.get_by_role("button", name="Record the response").click()
    page.wait_for_url(url)
    assert banner(page) == f"Response recorded: {case.reference} is now stage 1 answered"

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "mina")
    page.goto(url)
    outcome = page.locator('[data-outcome="stage1"]')
    assert outcome.locator(".govuk-summary-card__title").inner_text() == "Stage 1: Upheld"
    assert "Three collections were missed in May." in outcome.inner_text()
    assert "Add the street to assisted collections: Mina Manager" in outcome.inner_text()
    assert page.locator("#case-state").inner_text() == "Stage 1 answered"
    assert_accessible(page)

    # The manager owns the action: marks it as completed from the case page, first with a half-typed date
    # and no evidence (the error state), then properly.
    action = page.locator('#promised-actions [data-completed="no"]')
    assert action.count() == 1
    action.locator(".govuk-details__summary").click()
    form_date = date_group(action, "Date it was completed")
    assert date_value(action, "Date it was completed") == f"{today.day}/{today.month}/{today.year}"
    assert_accessible(page)
    action.screenshot(path="/tmp/case_detail_action_form.png")
    form_date.get_by_label("Month").fill("")
    action.get_by_role("button", name="Mark as completed").click()
    assert_title_starts(page, "Error: Mark the action as completed")
    assert summary_items(page) == ["The date it was completed must include a month",
                                   "Enter the evidence that it was done"]
    assert_accessible(page)
    page.locator(".govuk-error-summary__list a").first.click()
    assert page.evaluate("document.activeElement.id").endswith("-on-day")
    fill_date(page, "Date it was completed", today)
    page.get_by_label("Evidence that it was done").fill("Street added to the list; crew told")
    page.get_by_role("button", name="Mark as completed").click()
    page.wait_for_url(url)
    assert banner(page) == "Action completed: Add the street to assisted collections"
    assert page.locator('#promised-actions [data-completed="yes"]').count() == 1
    assert "action_completed: Add the street to assisted collections" in page.locator("#timeline").inner_text()
    assert "Street added to the list; crew told" in page.locator("#timeline").inner_text()
    assert_accessible(page)


def test_a_refused_move_then_a_stale_form_in_two_tabs(page, live_server):
    officer = user(StaffRole.COMPLAINTS_OFFICER, "olu", "Olu", "Officer")
    new = new_case(received=timezone.localtime().replace(tzinfo=None).isoformat(timespec="minutes"))
    working = complaint_acknowledge(complaint=received_now("Pat Twotabs", officer), by=officer)
    sign_in(page, live_server, "olu")

    # A refused move: refusing for "another reason" with no reason or signposting.
    page.goto(f"{live_server.url}/cases/{new.reference}/")
    page.get_by_role("link", name="Refuse", exact=True).click()
    page.get_by_label("Another reason").check()
    page.get_by_role("button", name="Refuse the complaint").click()
    assert summary_items(page) == ["Refusing a complaint needs a reason and signposting (where to go instead)"]
    assert page.get_by_label("Another reason").is_checked()
    assert_accessible(page)
    assert Complaint.objects.get(pk=new.pk).state == "new"
    page.get_by_label("Details of the reason").fill("A neighbour dispute, not a council service")
    page.get_by_label("Signposting").fill("Community mediation service")
    page.get_by_role("button", name="Refuse the complaint").click()
    assert banner(page) == f"{new.reference} refused"
    assert page.locator("#case-state").inner_text() == "Refused"

    # The same form open in two tabs: the second submission is refused as stale.
    respond = Deadline.objects.get(complaint=working, stage="stage1", kind="respond")
    extend_url = f"{live_server.url}/cases/{working.reference}/extend/"
    second = page.context.new_page()
    for tab in (page, second):
        tab.goto(extend_url)
        tab.get_by_label("Reason for the extension").fill("Waiting for records")
        fill_date(tab, "Date the complainant was told", london_date(timezone.now()))
    fill_date(page, "New response date", respond.due_date + dt.timedelta(days=1))
    fill_date(second, "New response date", respond.due_date + dt.timedelta(days=2))
    page.get_by_role("button", name="Extend the deadline").click()
    assert banner(page).startswith("Response deadline extended to ")
    second.get_by_role("button", name="Extend the deadline").click()
    [message] = summary_items(second)
    assert re.fullmatch(rf"{working.reference} was changed by someone else since you opened it \(version \d+, now \d+\); "
                        "reload the case and try again", message)
    assert second.get_by_label("Reason for the extension").input_value() == "Waiting for records"
    assert_accessible(second)
    assert Deadline.objects.get(pk=respond.pk).due_date == respond.due_date + dt.timedelta(days=1)
    second.locator("#reload-link").click()
    assert second.locator(".govuk-error-summary").count() == 0
    version = Complaint.objects.get(pk=working.pk).version
    assert second.locator('input[name="version"]').input_value() == str(version)
