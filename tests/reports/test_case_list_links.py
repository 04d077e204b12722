"""Every linked count opens the case list showing exactly that many cases.

Each link's query string goes through the staff case list's own filter form and query
(``complaints.staff``), as the manager who sees the count, on the same day.
"""

from urllib.parse import urlsplit

import pytest
from django.http import QueryDict

from complaints.models import StaffMember
from complaints.reports import presenters, report_tables
from complaints.reports.selectors import annual_report, overdue_dashboard, quarterly_report, trends
from complaints.staff.forms_list import CaseFilterForm
from complaints.staff.queries import case_list
from tests.factories import council, staff
from tests.reports.scenario import D, build_barnet_2026, build_lbbd_open_cases

pytestmark = pytest.mark.django_db


def linked_cells(tables):
    for table in tables:
        for row in table.rows:
            for cell in row:
                if cell.href and cell.href.startswith("/cases/"):
                    yield table.caption, row[0].value, cell


def listed(member, href, today) -> int:
    form = CaseFilterForm(QueryDict(urlsplit(href).query), member=member, today=today)
    assert form.is_valid(), (href, form.errors)
    return case_list(member, queue="team", filters=form.filters(), today=today).count()


def check(member, tables, today) -> int:
    checked = 0
    for caption, label, cell in linked_cells(tables):
        assert listed(member, cell.href, today) == cell.value, (caption, label, cell.href)
        checked += 1
    return checked


def test_dashboard_counts_match_the_case_list():
    cases = build_lbbd_open_cases()
    member = StaffMember.objects.get(user=staff("lbbd", role="complaints_manager"))
    checked = 0
    for today, within in ((cases.today, 2), (cases.today, 1), (D("2026-06-12"), 10), (D("2026-06-12"), 0)):
        board = overdue_dashboard(council=council("lbbd"), today=today, within=within)
        checked += check(member, presenters.dashboard_tables(board, {}), today)
    # On 10 June: stages 1 and 2, two areas, two officers and the totals, two counts each.
    assert checked >= 4 * 2 * (2 + 2 + 2 + 3)


def test_report_and_trend_counts_match_the_case_list():
    barnet = build_barnet_2026()
    member = StaffMember.objects.get(user=barnet.manager)
    barnet_council = council("barnet")
    today = D("2026-11-23")
    report = annual_report(council=barnet_council, year=2026)
    assert check(member, report_tables.report_tables(report, {}), today) == 4
    quarter = quarterly_report(council=barnet_council, year=2026, quarter=2)
    assert check(member, report_tables.report_tables(quarter, {}), today) == 4 + 2 * 2
    tables, _ = presenters.trend_tables(trends(council=barnet_council, today=today), {})
    assert check(member, tables, today) == 12
