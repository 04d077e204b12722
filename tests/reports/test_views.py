"""Who sees what, the links to the case list, and the CSV exports (XLSX and PDF: test_exports, test_pdf)."""

import pytest
from django.contrib.auth import get_user_model

from complaints.reports import views
from tests.factories import staff
from tests.reports.downloads import csv_tables as sections
from tests.reports.scenario import D, build_barnet_2026, build_lbbd_open_cases

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(views, "report_today", lambda: D("2026-06-10"))


def signed_in(client, user):
    client.force_login(user)
    return client


# --- access ----------------------------------------------------------------------
def test_anonymous_users_are_sent_to_sign_in(client):
    for url in ("/dashboard/", "/dashboard/trends/", "/reports/barnet/2026/", "/reports/barnet/2026/q1/",
                "/reports/barnet/2026/report.pdf", "/reports/barnet/2026/q1/report.pdf", "/dashboard/?format=xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/sign-in/?next="), url


@pytest.mark.parametrize("role", ["complaints_officer", "investigating_officer"])
def test_other_roles_are_refused_the_dashboard_and_their_councils_reports(client, role):
    signed_in(client, staff("lbbd", role=role))
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/trends/").status_code == 403
    assert client.get("/reports/lbbd/2026/").status_code == 403
    assert client.get("/reports/lbbd/2026/report.pdf").status_code == 403
    assert client.get("/reports/lbbd/2026/?format=xlsx").status_code == 403
    assert client.get("/reports/barnet/2026/").status_code == 404
    assert client.get("/reports/barnet/2026/q1/report.pdf").status_code == 404


def test_a_user_with_no_council_is_refused(client):
    signed_in(client, get_user_model().objects.create_user("nobody"))
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/reports/lbbd/2026/").status_code == 404


@pytest.mark.parametrize("role", ["complaints_manager", "council_admin"])
def test_a_manager_sees_only_their_own_council(client, role):
    signed_in(client, staff("lbbd", role=role))
    response = client.get("/dashboard/")
    assert response.status_code == 200 and response.context["council"].slug == "lbbd"
    assert client.get("/dashboard/?council=barnet").status_code == 404
    assert client.get("/dashboard/trends/?council=barnet").status_code == 404
    for url in ("/reports/lbbd/2026/", "/reports/lbbd/2026/print/", "/reports/lbbd/2026/q3/",
                "/reports/lbbd/2026/q3/print/"):
        assert client.get(url).status_code == 200, url
    for url in ("/reports/barnet/2026/", "/reports/barnet/2026/print/", "/reports/barnet/2026/q1/",
                "/reports/barnet/2026/?format=csv", "/reports/barnet/2026/?format=xlsx",
                "/reports/barnet/2026/report.pdf", "/reports/barnet/2026/q1/report.pdf", "/reports/nowhere/2026/",
                "/reports/lbbd/2026/q5/", "/reports/lbbd/2026/q5/report.pdf", "/reports/lbbd/1850/",
                "/reports/lbbd/1850/report.pdf"):
        assert client.get(url).status_code == 404, url


def test_a_system_administrator_sees_every_council(client):
    build_lbbd_open_cases()
    signed_in(client, get_user_model().objects.create_superuser("root", "root@example.org", "x"))
    response = client.get("/dashboard/")
    assert response.status_code == 200 and response.context["council"] is None
    rows = {row.key: row.overdue for row in response.context["board"].by_council}
    assert (rows["lbbd"], rows["barnet"]) == (3, 1)
    assert 'href="/dashboard/?council=lbbd"' in response.content.decode()
    one = client.get("/dashboard/?council=lbbd")
    assert one.context["board"].total.overdue == 3 and one.context["board"].within == 2
    assert "There is a problem" not in one.content.decode()
    # The administrator's case list spans councils, so its links name the council.
    assert 'href="/cases/?council=lbbd&amp;stage=stage1&amp;overdue=1"' in one.content.decode()
    assert client.get("/reports/barnet/2026/").status_code == 200
    assert client.get("/dashboard/trends/").status_code == 200


# --- the dashboard --------------------------------------------------------------
def test_every_dashboard_count_links_to_the_filtered_case_list(client):
    cases = build_lbbd_open_cases()
    signed_in(client, staff("lbbd", role="complaints_manager"))
    html = client.get("/dashboard/").content.decode()
    for href, text in (
        ("/cases/?overdue=1", "3"), ("/cases/?due_within=2", "2"),
        ("/cases/?stage=stage1&amp;overdue=1", "2"), ("/cases/?stage=stage1&amp;due_within=2", "2"),
        ("/cases/?stage=stage2&amp;overdue=1", "1"),
        (f"/cases/?service_area={cases.east.pk}&amp;overdue=1", "2"),
        (f"/cases/?service_area={cases.west.pk}&amp;due_within=2", "1"),
        (f"/cases/?officer={cases.second.pk}&amp;overdue=1", "2"),
        (f"/cases/?officer={cases.first.pk}&amp;due_within=2", "1"),
    ):
        assert f'<a class="govuk-link" href="{href}">{text}</a>' in html, href
    assert "Review" in html and "25" in html


def test_the_window_is_a_query_parameter_and_a_bad_one_is_an_error(client):
    build_lbbd_open_cases()
    signed_in(client, staff("lbbd", role="complaints_manager"))
    one = client.get("/dashboard/?due_within=1")
    assert (one.context["board"].within, one.context["board"].total.due_soon) == (1, 1)
    assert 'href="/cases/?due_within=1"' in one.content.decode()
    bad = client.get("/dashboard/?due_within=nonsense")
    assert bad.status_code == 200 and bad.context["board"].within == 2
    assert "There is a problem" in bad.content.decode()
    assert bad.content.decode().count("<title>Error: ") == 1


def test_dashboard_csv(client):
    build_lbbd_open_cases()
    signed_in(client, staff("lbbd", role="complaints_manager"))
    response = client.get("/dashboard/?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="overdue-lbbd-2026-06-10.csv"'
    tables = sections(response)
    header = ["Stage", "Overdue", "Due in the next 2 working days", "Average working days overdue",
              "Most working days overdue"]
    assert tables["Open cases overdue and due soon: by stage"] == [
        header, ["Stage 1", "2", "2", "3.0", "4"], ["Review", "1", "0", "25.0", "25"],
        ["All open cases", "3", "2", "10.3", "25"]]
    assert tables["Open cases overdue and due soon: by service area"][1:] == [
        ["East housing", "2", "1", "13.5", "25"], ["West housing", "1", "1", "4.0", "4"],
        ["All open cases", "3", "2", "10.3", "25"]]
    assert tables["Open cases overdue and due soon: by officer"][1:] == [
        ["Sam Second", "2", "0", "14.5", "25"], ["Ola First", "1", "1", "2.0", "2"], ["Not assigned", "0", "1", "", ""],
        ["All open cases", "3", "2", "10.3", "25"]]


# --- reports --------------------------------------------------------------------
def test_annual_report_page_and_csv(client):
    barnet = build_barnet_2026()
    signed_in(client, barnet.manager)
    page = client.get("/reports/barnet/2026/")
    html = page.content.decode()
    assert "Annual complaints performance and service improvement report 2026" in html
    assert "£125.00" in html and "Departures from the Complaint Handling Code" in html
    assert 'href="/cases/?state=refused&amp;received_from=2026-01-01&amp;received_to=2026-12-31">3</a>' in html
    tables = sections(client.get("/reports/barnet/2026/?format=csv"))
    assert tables["Complaints received"][1:] == [
        ["Complaints received", "9"], ["Refused (outside the procedure)", "3"], ["Treated as service requests", "1"],
        ["Withdrawn", "1"], ["Referred to the Ombudsman", "1"]]
    assert tables["Timeliness by stage"][1:] == [
        ["Informal resolution", "1", "1", "100.0", "", "", "0.0", "0", "0"],
        ["Stage 1", "4", "2", "50.0", "1", "25.0", "15.5", "1", "1"],
        ["Review", "1", "0", "0.0", "0", "0.0", "24.0", "0", "0"]]
    assert tables["Outcomes by stage"][1:] == [
        ["Stage 1", "2", "0", "2", "4"], ["Review", "0", "1", "0", "1"], ["All stages", "2", "1", "2", "5"]]
    assert tables["Remedies and compensation"][1:] == [
        ["Apology", "1", ""], ["Explanation", "1", ""], ["Action to put things right", "1", ""],
        ["Compensation awarded", "2", "150.00"], ["Offset against arrears", "", "25.00"],
        ["Compensation paid", "", "125.00"]]
    assert tables["Refused complaints by reason"][1:] == [["Insurance claim", "2"], ["Legal proceedings", "1"]]
    assert tables["Measured compliance with the code's timescales"][1:] == [
        ["Stage 1 acknowledged within 5 working days", "4", "4", "100.0"],
        ["Stage 1 answered within 10 working days of acknowledgement", "1", "4", "25.0"],
        ["Stage 1 answered within the policy's own timescale", "2", "4", "50.0"],
        ["Review acknowledged within 5 working days", "1", "1", "100.0"],
        ["Review answered within 20 working days of acknowledgement", "0", "1", "0.0"],
        ["Review answered within the policy's own timescale", "0", "1", "0.0"]]
    assert tables["Compliments, comments and suggestions"][1:] == [
        ["Compliments", "2"], ["Comments", "0"], ["Suggestions", "1"]]
    # Text that a spreadsheet would run as a formula is defused.
    assert tables["What people told us"][3] == ["2026-05-05", "Suggestion", "Housing benefit",
                                                "'=Put benefit forms online"]


def test_quarterly_report_csv_by_service_area(client):
    barnet = build_barnet_2026()
    signed_in(client, barnet.manager)
    tables = sections(client.get("/reports/barnet/2026/q2/?format=csv"))
    assert tables["Volumes and timeliness by service area"][1:] == [
        ["Housing benefit", "4", "2", "50.0", "0.0", "", "3", "0"],
        ["Waste and recycling", "1", "2", "0.0", "0.0", "0.0", "0", "0"],
        ["No service area", "0", "0", "", "", "", "0", "0"]]
    assert tables["Learning and feedback by service area"][1:] == [
        ["Housing benefit", "1", "0", "1", "0", "0", "1"], ["Waste and recycling", "1", "0", "1", "0", "0", "0"],
        ["No service area", "0", "0", "0", "1", "0", "0"]]
    open_actions = tables["Learning actions open at the end of the quarter"][1:]
    assert [row[:4] for row in open_actions] == [
        ["Housing benefit", barnet.cases["C"].reference, "Replace the damaged bin", "2026-06-30"],
        ["Waste and recycling", barnet.cases["C"].reference, "Replace the damaged bin", "2026-06-30"]]
    page = client.get("/reports/barnet/2026/q2/").content.decode()
    area = barnet.benefits.pk
    assert (f'href="/cases/?service_area={area}&amp;state=refused&amp;received_from=2026-04-01&amp;'
            f'received_to=2026-06-30">3</a>' in page)


def test_trends_page_has_accessible_charts_and_csv(client):
    build_barnet_2026()
    signed_in(client, staff("barnet", role="complaints_manager"))
    html = client.get("/dashboard/trends/").content.decode()
    assert html.count('role="img"') == 4
    assert 'aria-labelledby="chart-received-title chart-received-desc"' in html
    assert '<title id="chart-timeliness-stage1-title">Stage 1 answered within timescale</title>' in html
    tables = sections(client.get("/dashboard/trends/?format=csv"))
    received = tables["Complaints received by month and stage"]
    assert received[0] == ["Month", "Complaints received", "Started: Informal resolution",
                           "Started: Stage 1", "Started: Review"]
    assert received[1] == ["Jul 2025", "0", "0", "0", "0"]  # twelve months to June 2026
    assert received[8:13] == [["Feb 2026", "1", "0", "1", "0"], ["Mar 2026", "1", "0", "1", "1"],
                              ["Apr 2026", "0", "0", "0", "0"], ["May 2026", "1", "0", "1", "0"],
                              ["Jun 2026", "3", "0", "0", "0"]]


def test_a_long_open_actions_list_shows_the_earliest_due_on_the_page_and_all_in_the_download():
    from complaints.reports import report_tables
    from complaints.reports.selectors import quarterly_report
    from tests.factories import council

    barnet = build_barnet_2026()
    report = quarterly_report(council=council("barnet"), year=2026, quarter=2)
    assert len(report.open_actions) == 2  # C's action, under each of its two service areas
    *_, shown = report_tables.by_area(report, {}, limit=1)
    assert [[cell.value for cell in row][:3] for row in shown.rows] == [
        ["Housing benefit", barnet.cases["C"].reference, "Replace the damaged bin"]]
    assert shown.note == "The 1 due earliest of 2; the CSV export lists them all."
    *_, everything = report_tables.by_area(report, {}, limit=None)
    assert len(everything.rows) == 2 and everything.note == ""
