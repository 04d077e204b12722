"""Residents' journeys in headless Chromium, one of them with JavaScript switched off.

Every page is checked with axe-core. A page whose JavaScript is off cannot run
axe itself, so its exact HTML is served again, at the same address, to a
second page with JavaScript on (``checked``), and axe runs there.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail

from complaints.models import Complaint, State
from tests.browser import assert_accessible, assert_title_starts
from tests.factories import service_area
from tests.public.conftest import FIXED_NOW, deliver_emails, fix_clock

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def checked(js_page, page) -> None:
    """axe on the HTML the JavaScript-free page is showing, served to a page that can run it."""
    url, html = page.url, page.content()
    js_page.route(url, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html))
    js_page.goto(url)
    assert_accessible(js_page)
    js_page.unroute(url)


def continue_(page):
    page.get_by_role("button", name="Continue", exact=True).click()


def test_a_resident_completes_a_barnet_complaint_without_javascript(no_js_page, page, live_server, monkeypatch,
                                                                      loaded_policies, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    fix_clock(monkeypatch, FIXED_NOW)
    service_area("barnet", "Waste and recycling")
    service_area("barnet", "Parking")
    resident = no_js_page

    resident.goto(live_server.url + "/")
    # JavaScript is off: GOV.UK Frontend's support check never ran.
    assert "govuk-frontend-supported" not in resident.locator("body").get_attribute("class")
    checked(page, resident)
    resident.get_by_role("link", name="London Borough of Barnet").click()
    assert resident.locator(".govuk-generic-header").inner_text().strip() == "London Borough of Barnet"
    assert "Things we cannot deal with through complaints, and where to go instead" in resident.content()
    checked(page, resident)
    resident.get_by_role("button", name="Start now").click()

    # What would you like to do? Sending nothing shows the GOV.UK error summary, then the answer.
    continue_(resident)
    assert_title_starts(resident, "Error: What would you like to do?")
    assert resident.locator(".govuk-error-summary").inner_text().count("Select what you would like to do") == 1
    checked(page, resident)
    resident.get_by_label("Make a complaint").check()
    continue_(resident)

    checked(page, resident)
    resident.get_by_label("Yes, I asked you to do something and I'm unhappy with how you dealt with it").check()
    continue_(resident)

    checked(page, resident)
    resident.get_by_label("What happened?").fill("Our bins have not been collected for three weeks.")
    continue_(resident)

    # The date input: an impossible date is refused and the boxes keep what was typed.
    resident.get_by_label("Day").first.fill("31")
    resident.get_by_label("Month").first.fill("2")
    resident.get_by_label("Year").first.fill("2026")
    continue_(resident)
    assert "The date it happened must be a real date" in resident.locator(".govuk-error-summary").inner_text()
    assert resident.locator("#id_incident-day").input_value() == "31"
    checked(page, resident)
    resident.locator("#id_incident-day").fill("20")
    resident.locator("#id_incident-month").fill("5")
    continue_(resident)

    checked(page, resident)
    resident.get_by_label("Waste and recycling").check()
    continue_(resident)
    checked(page, resident)
    resident.get_by_label("What would you like us to do to put things right?").fill("Collect the bins.")
    continue_(resident)
    checked(page, resident)
    resident.get_by_label("Myself").check()
    continue_(resident)
    checked(page, resident)
    resident.get_by_label("Yes").check()
    resident.get_by_label("What support or changes do you need?").fill("Large print letters, please.")
    continue_(resident)
    checked(page, resident)
    resident.get_by_label("Yes").check()
    continue_(resident)
    checked(page, resident)
    resident.get_by_label("Full name").fill("Alex Resident")
    resident.get_by_label("Email address").fill("alex@example.org")
    resident.get_by_label("Email", exact=True).check()
    continue_(resident)

    evidence = tmp_path / "photo.png"
    evidence.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    resident.get_by_label("Upload a file").set_input_files(str(evidence))
    resident.get_by_role("button", name="Upload file").click()
    assert "photo.png" in resident.locator(".govuk-summary-list").inner_text()
    checked(page, resident)
    continue_(resident)

    assert_title_starts(resident, "Check your answers")
    summary = resident.locator(".govuk-summary-list").inner_text()
    assert "Wednesday 20 May 2026" in summary and "Large print letters, please." in summary
    checked(page, resident)
    resident.screenshot(path="/tmp/public-check.png", full_page=True)
    resident.get_by_role("button", name="Send complaint").click()

    assert resident.locator(".govuk-panel__title").inner_text() == "Complaint received"
    reference = resident.locator("#reference").inner_text()
    assert reference == "BAR-2026-00001"
    dates = resident.locator(".govuk-summary-list").inner_text()
    assert re.search(r"We will acknowledge your complaint by\s+Monday 8 June 2026", dates)
    assert re.search(r"We will send you our response by\s+Monday 22 June 2026", dates)
    assert "Local Government and Social Care Ombudsman" in resident.content()
    checked(page, resident)
    resident.screenshot(path="/tmp/public-done.png", full_page=True)

    case = Complaint.objects.get(reference=reference)
    assert case.complainant.reasonable_adjustments == "Large print letters, please."
    assert case.correspondence.get(direction="in").attachments.get().original_name == "photo.png"
    assert mail.outbox == [] and deliver_emails() == 1  # queued with the complaint, sent by the worker
    assert len(mail.outbox) == 1 and reference in mail.outbox[0].subject

    # The private link from the email opens the case's status page, also without JavaScript.
    link = re.search(r"http://\S+/barnet/track/\S+/", mail.outbox[0].body).group(0)
    resident.goto(link)
    assert resident.locator("#position").inner_text() == "Received"
    checked(page, resident)


def test_a_bucks_anonymous_contact_is_told_it_is_logged_as_a_service_request(page, live_server, monkeypatch,
                                                                             loaded_policies):
    fix_clock(monkeypatch, FIXED_NOW)
    service_area("bucks", "Highways")
    page.goto(live_server.url + "/bucks/complain/")
    assert page.locator(".govuk-generic-header").inner_text().strip() == "Buckinghamshire County Council"
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()
    steps = [
        lambda: page.get_by_label("Make a complaint").check(),
        lambda: page.get_by_label("Yes, I asked you to do something").check(),
        lambda: page.get_by_label("What happened?").fill("A pothole on the High Street was never repaired."),
        lambda: (page.locator("#id_incident-day").fill("1"), page.locator("#id_incident-month").fill("5"),
                 page.locator("#id_incident-year").fill("2026")),
        lambda: page.get_by_label("Highways").check(),
        lambda: page.get_by_label("What would you like us to do to put things right?").fill("Repair it."),
        lambda: page.get_by_label("Myself").check(),
        lambda: page.get_by_label("No").check(),
    ]
    for answer in steps:
        assert_accessible(page)
        answer()
        continue_(page)
    # The anonymous question says what Bucks' policy does with an anonymous complaint.
    hint = page.locator("#id_give_details_helptext").inner_text()
    assert hint.startswith("Buckinghamshire County Council does not investigate anonymous complaints. If you do not "
                           "give your name and contact details, we will log what you tell us as a service request")
    assert_accessible(page)
    page.get_by_label("No, I want to stay anonymous").check()
    continue_(page)
    assert_accessible(page)
    continue_(page)  # no evidence
    assert page.locator(".govuk-inset-text").inner_text() == (
        "Because you have not given your name and contact details, we will log this as a service request, "
        "not a complaint.")
    assert_accessible(page)
    page.get_by_role("button", name="Send complaint").click()
    assert page.locator(".govuk-panel__title").inner_text() == "Logged as a service request"
    assert page.locator("#reference").inner_text() == "BCC-2026-00001"
    assert_accessible(page)
    page.screenshot(path="/tmp/public-bucks-done.png", full_page=True)
    case = Complaint.objects.get(reference="BCC-2026-00001")
    assert (case.is_anonymous, case.state) == (True, State.SERVICE_REQUEST)
    assert deliver_emails() == 0 and mail.outbox == []


def test_the_pages_that_follow_a_case_are_accessible(page, live_server, monkeypatch, loaded_policies):
    from complaints.public.tokens import tracking_token_issue
    from tests.factories import london, make_complaint
    from tests.public.test_tracking import answered

    case = make_complaint("barnet", "2026-06-01T10:00")
    token = tracking_token_issue(complaint=case, now=FIXED_NOW)
    answered(case)
    fix_clock(monkeypatch, london("2026-07-20T10:00"))  # after the last day to ask for a Review
    base = f"{live_server.url}/barnet/track/"
    page.goto(base)
    assert_accessible(page)
    page.get_by_role("button", name="Send me a link").click()
    assert_title_starts(page, "Error: ")
    assert_accessible(page)
    page.goto(base + "not-a-token/")
    assert page.locator("h1").inner_text() == "This link does not work"
    assert_accessible(page)
    page.goto(f"{base}{token}/")
    assert page.locator("#position").inner_text() == "Stage 1: we have responded"
    assert_accessible(page)
    page.get_by_role("link", name="Ask for Review").click()
    assert page.locator("h1").inner_text() == "Ask for Review after the deadline"
    assert_accessible(page)
    page.get_by_role("button", name="Send late request").click()
    assert page.locator(".govuk-error-summary").inner_text().endswith("Tell us why you are unhappy with our response")
    assert_accessible(page)
    page.goto(f"{base}{token}/add/")
    page.get_by_role("button", name="Send information").click()
    assert_accessible(page)
    page.get_by_label("What would you like to tell us?").fill("One more thing.")
    page.get_by_role("button", name="Send information").click()
    assert page.locator(".govuk-notification-banner").inner_text().endswith(
        "We have added your information to your complaint")
    assert_accessible(page)
    page.get_by_role("link", name="Withdraw your complaint").click()
    assert_accessible(page)
    page.get_by_label("I want to withdraw my complaint").check()
    page.get_by_role("button", name="Withdraw complaint").click()
    assert page.locator("#position").inner_text() == "Withdrawn"
    assert_accessible(page)
    page.screenshot(path="/tmp/public-withdrawn.png", full_page=True)
