"""Dashboard and report pages: check access, call a selector, build tables, render or export.

Every page is also a CSV download (``?format=csv``): the same tables, every line.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from complaints.reports import access, presenters, report_tables, selectors
from complaints.reports.tables import case_list_url, csv_response
from config.forms import GovukForm
from deadlines.calendar import LAST_YEAR, london_date

FIRST_REPORT_YEAR = 2000
ANNUAL_TITLE = "Annual complaints performance and service improvement report"
QUARTERLY_TITLE = "Quarterly service report by department"


def report_today() -> dt.date:
    """Today in London (the tests replace this to fix the date)."""
    return london_date(timezone.now())


class WindowForm(GovukForm):
    due_within = forms.IntegerField(
        label="Due within how many working days", min_value=0, max_value=selectors.MAX_WITHIN, required=False,
        initial=selectors.DEFAULT_WITHIN, help_text=f"A whole number from 0 to {selectors.MAX_WITHIN}.")

    def within(self) -> int:
        if self.is_valid() and self.cleaned_data["due_within"] is not None:
            return self.cleaned_data["due_within"]
        return selectors.DEFAULT_WITHIN


def _wants_csv(request) -> bool:
    return request.GET.get("format") == "csv"


def _page_context(request, council, nav: str) -> dict:
    scope = access.case_list_scope(request, council)
    name = council.name if council else "All councils"
    return {"nav": nav, "council": council, "name": name, "organisation_name": name, "scope": scope,
            "council_query": f"council={council.slug}&" if scope else ""}


@login_required
def dashboard(request):
    council = access.dashboard_council(request)
    form = WindowForm(request.GET or None)
    within, today = form.within(), report_today()
    if council is None:
        board = selectors.deployment_dashboard(today=today, within=within)
    else:
        board = selectors.overdue_dashboard(council=council, today=today, within=within)
    context = _page_context(request, council, "dashboard")
    scope = context["scope"]
    tables = presenters.dashboard_tables(board, scope)
    if _wants_csv(request):
        return csv_response(tables, f"overdue-{council.slug if council else 'all'}-{today}.csv", [
            f"Overdue dashboard: {context['name']}", f"As of {today.isoformat()}",
            f"Due soon: within {within} working days (to {board.window_end.isoformat()})"])
    return render(request, "reports/dashboard.html", {
        **context, "board": board, "tables": tables, "form": form, "as_of": presenters.as_of(today),
        "year": today.year, "quarters": range(1, 5), "overdue_href": case_list_url(scope, overdue=1),
        "soon_href": case_list_url(scope, due_within=within)})


@login_required
def trends(request):
    council = access.dashboard_council(request)
    today = report_today()
    context = _page_context(request, council, "trends")
    tables, charts = presenters.trend_tables(selectors.trends(council=council, today=today), context["scope"])
    if _wants_csv(request):
        return csv_response(tables, f"trends-{council.slug if council else 'all'}-{today}.csv", [
            f"Trends over the last 12 months: {context['name']}", f"As of {today.isoformat()}"])
    charted = {chart.key: chart for chart in charts}
    return render(request, "reports/trends.html", {
        **context, "sections": [(table, charted.get(table.key)) for table in tables],
        "as_of": presenters.as_of(today), "year": today.year})


def _check_year(year: int) -> None:
    if not FIRST_REPORT_YEAR <= year < LAST_YEAR:
        raise Http404("No report for that year")


def _report_page(request, report, *, printable: bool):
    context = _page_context(request, report.council, "report")
    if _wants_csv(request):
        period = report.period
        suffix = f"-q{report.quarter}" if report.quarter else ""
        title = QUARTERLY_TITLE if report.quarter else ANNUAL_TITLE
        return csv_response(
            report_tables.report_tables(report, context["scope"], complete=True),
            f"{report.council.slug}-{report.year}{suffix}.csv",
            [f"{title}: {report.council.name}", period.label, f"{period.start} to {period.last_day}"])
    return render(request, "reports/report.html", {
        **context, "report": report, "sections": report_tables.report_sections(report, context["scope"]),
        "printable": printable, "quarters": range(1, 5), "year": report.year})


@login_required
def annual_report(request, slug: str, year: int, printable: bool = False):
    council = access.report_council(request, slug)
    _check_year(year)
    return _report_page(request, selectors.annual_report(council=council, year=year), printable=printable)


@login_required
def quarterly_report(request, slug: str, year: int, quarter: int, printable: bool = False):
    council = access.report_council(request, slug)
    _check_year(year)
    if quarter not in (1, 2, 3, 4):
        raise Http404("A quarter is 1 to 4")
    report = selectors.quarterly_report(council=council, year=year, quarter=quarter)
    return _report_page(request, report, printable=printable)
