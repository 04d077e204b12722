"""A manager opens the dashboard and the reports in headless Chromium; axe finds nothing."""

from pathlib import Path

import pytest

from complaints.reports import views
from tests.browser import assert_accessible
from tests.factories import staff
from tests.reports.scenario import D, build_barnet_2026, build_lbbd_open_cases

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def manager(monkeypatch):
    monkeypatch.setattr(views, "report_today", lambda: D("2026-06-10"))
    build_barnet_2026()
    build_lbbd_open_cases()  # and one overdue Barnet case
    user = staff("barnet", role="complaints_manager", username="manager", first_name="Mo", last_name="Manager")
    user.set_password("correct-horse-battery")
    user.save()
    return user


def sign_in(page, live_server, next_url):
    page.goto(f"{live_server.url}/sign-in/?next={next_url}")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}{next_url}")


def test_manager_dashboard_and_reports_are_accessible(page, live_server, manager):
    sign_in(page, live_server, "/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == "Overdue dashboard"
    assert page.locator("table").count() == 3
    assert_accessible(page)

    page.get_by_label("Due within how many working days").fill("5")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**due_within=5")
    assert "due in the next 5 working days" in page.content()

    page.get_by_role("link", name="Trends").first.click()
    page.wait_for_url(f"{live_server.url}/dashboard/trends/")
    assert page.get_by_role("img").count() >= 4
    assert_accessible(page)

    for url in ("/reports/barnet/2026/", "/reports/barnet/2026/print/", "/reports/barnet/2026/q2/"):
        page.goto(f"{live_server.url}{url}")
        assert page.locator("h1").count() == 1
        assert_accessible(page)
    page.goto(f"{live_server.url}/reports/barnet/2026/")
    assert page.get_by_role("heading", name="Self-assessment against the Complaint Handling Code").is_visible()
    for link, filename, start in (("Download this report as PDF", "barnet-annual-complaints-report-2026.pdf", b"%PDF-"),
                                  ("Download these tables as a spreadsheet (XLSX)",
                                   "barnet-annual-complaints-report-2026.xlsx", b"PK")):
        with page.expect_download() as download:
            page.get_by_role("link", name=link).click()
        assert download.value.suggested_filename == filename
        assert Path(download.value.path()).read_bytes().startswith(start)
    page.emulate_media(media="print")
    assert not page.get_by_role("link", name="Printable version").is_visible()
