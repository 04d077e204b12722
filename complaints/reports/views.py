"""Dashboard and report pages: check access, call a selector, build tables, render or export.

Every page is also a download of the same tables, every line: ``?format=csv`` or
``?format=xlsx``. The annual and quarterly reports are also PDF files (``report.pdf``).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from complaints.reports import access, pdf, presenters, report_tables, selectors
from complaints.reports.audit import report_export_record
from complaints.reports.dashboard_cache import cached_deployment_dashboard, cached_overdue_dashboard
from complaints.reports.exports import export_response
from complaints.reports.report_charts import report_charts, with_charts
from complaints.reports.tables import case_list_url
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
        board = cached_deployment_dashboard(today=today, within=within)
    else:
        board = cached_overdue_dashboard(council=council, today=today, within=within)
    context = _page_context(request, council, "dashboard")
    scope = context["scope"]
    tables = presenters.dashboard_tables(board, scope)
    download = export_response(request, tables, f"overdue-{council.slug if council else 'all'}-{today}", [
        f"Overdue dashboard: {context['name']}", f"As of {today.isoformat()}",
        f"Due soon: within {within} working days (to {board.window_end.isoformat()})"])
    if download:
        return download
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
    download = export_response(request, tables, f"trends-{council.slug if council else 'all'}-{today}", [
        f"Trends over the last 12 months: {context['name']}", f"As of {today.isoformat()}"])
    if download:
        return download
    charted = {chart.key: chart for chart in charts}
    return render(request, "reports/trends.html", {
        **context, "sections": [(table, charted.get(table.key)) for table in tables],
        "as_of": presenters.as_of(today), "year": today.year})


def _check_year(year: int) -> None:
    if not FIRST_REPORT_YEAR <= year < LAST_YEAR:
        raise Http404("No report for that year")


def _title(report) -> str:
    return QUARTERLY_TITLE if report.quarter else ANNUAL_TITLE


def _file_stem(report) -> str:
    if report.quarter:
        return f"{report.council.slug}-quarterly-service-report-{report.year}-q{report.quarter}"
    return f"{report.council.slug}-annual-complaints-report-{report.year}"


def _report_page(request, report, *, printable: bool):
    context = _page_context(request, report.council, "report")
    period = report.period
    download = export_response(
        request, report_tables.report_tables(report, context["scope"], complete=True), _file_stem(report),
        [f"{_title(report)}: {report.council.name}", period.label, f"{period.start} to {period.last_day}"])
    if download:
        return download
    sections = with_charts(report_tables.report_sections(report, context["scope"]), report_charts(report))
    return render(request, "reports/report.html", {
        **context, "report": report, "sections": sections, "printable": printable, "quarters": range(1, 5),
        "year": report.year})


def _report_pdf(request, report) -> HttpResponse:
    """The report as a PDF file; a page saying why (and pointing to the printable version) if it cannot be made."""
    sections = with_charts(report_tables.report_sections(report, {}), report_charts(report))
    html = render_to_string("reports/report_pdf.html", {
        "council": report.council, "report": report, "sections": sections, "title": _title(report),
        "generated_at": timezone.localtime()})
    try:
        body = pdf.pdf_bytes(html)
    except pdf.PdfUnavailable:
        return render(request, "reports/pdf_unavailable.html", {
            **_page_context(request, report.council, "report"), "report": report, "year": report.year},
            status=503)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_stem(report)}.pdf"'
    return response


def _show(request, report, as_pdf: bool, printable: bool) -> HttpResponse:
    response = _report_pdf(request, report) if as_pdf else _report_page(request, report, printable=printable)
    report_export_record(request, report, response)  # a downloaded file that names cases is audited
    return response


@login_required
def annual_report(request, slug: str, year: int, printable: bool = False, as_pdf: bool = False):
    council = access.report_council(request, slug)
    _check_year(year)
    return _show(request, selectors.annual_report(council=council, year=year), as_pdf, printable)


@login_required
def quarterly_report(request, slug: str, year: int, quarter: int, printable: bool = False, as_pdf: bool = False):
    council = access.report_council(request, slug)
    _check_year(year)
    if quarter not in (1, 2, 3, 4):
        raise Http404("A quarter is 1 to 4")
    report = selectors.quarterly_report(council=council, year=year, quarter=quarter)
    return _show(request, report, as_pdf, printable)
