"""The annual and quarterly reports as PDF files, drawn by WeasyPrint; and what happens without it."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from complaints.reports import pdf, views
from tests.factories import staff
from tests.reports.scenario import D, build_barnet_2026

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(views, "report_today", lambda: D("2026-06-10"))


@pytest.fixture
def documents(monkeypatch):
    """The laid-out documents the views turn into PDF bytes (the real renderer, watched)."""
    made = []
    render = pdf.render_document

    def watched(html):
        document = render(html)
        made.append(document)
        return document

    monkeypatch.setattr(pdf, "render_document", watched)
    return made


def document_text(document) -> str:
    """The text WeasyPrint laid out on the pages, in reading order, one space between words.

    (pypdf is not a dependency, so the text is read from the layout ``write_pdf`` draws from.)
    """
    from weasyprint.formatting_structure.boxes import TextBox

    words = [box.text for page in document.pages for box in page._page_box.descendants()
             if isinstance(box, TextBox)]
    return " ".join(" ".join(words).split())


def assert_pdf_download(response, filename: str) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(b"%%EOF")


@pytest.mark.django_db
def test_annual_report_pdf_has_the_scenario_figures(client, documents, caplog):
    barnet = build_barnet_2026()
    client.force_login(barnet.manager)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        response = client.get("/reports/barnet/2026/report.pdf")
    assert_pdf_download(response, "barnet-annual-complaints-report-2026.pdf")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []  # CSS all understood
    (document,) = documents
    text = document_text(document)
    for expected in (
        "London Borough of Barnet Annual complaints performance and service improvement report 2026",
        "From 1 January 2026 to 31 December 2026",
        "Complaints received 9 Refused (outside the procedure) 3 Treated as service requests 1 Withdrawn 1 "
        "Referred to the Ombudsman 1",
        "Stage 1 4 2 50.0% 1 25.0% 15.5 1 1",  # timeliness: answered, on time, code, average days, extensions
        "Review 1 0 0.0% 0 0.0% 24.0 0 0",
        "Stage 1 2 0 2 4 Review 0 1 0 1 All stages 2 1 2 5",  # outcomes
        "Compensation awarded 2 £150.00 Offset against arrears – £25.00 Compensation paid – £125.00",
        "Insurance claim 2 Legal proceedings 1",
        "Check the round sheet before closing a missed collection 2",
        "Retrain crews on missed bins 1",
        "Stage 1 answered within 10 working days of acknowledgement 1 4 25.0%",
        "Compliments 2 Comments 0 Suggestions 1",
        "5 May 2026 Suggestion Housing benefit =Put benefit forms online",  # shown as typed: a PDF runs nothing
    ):
        assert expected in text, expected
    assert "LBBD only" not in text and "£999.00" not in text
    assert "Page 1 of" in text  # the page footer
    (title, _target, sections, _state), = document.make_bookmark_tree()  # the PDF's outline, for navigation
    assert title == "Annual complaints performance and service improvement report 2026"
    assert [label for label, *_ in sections] == [
        "Volumes", "Timeliness", "Refused complaints", "Outcomes, remedies and compensation",
        "Learning and service improvements", "Self-assessment against the Complaint Handling Code",
        "Compliments, comments and suggestions"]


@pytest.mark.django_db
def test_quarterly_report_pdf_has_the_figures_by_service_area(client, documents):
    barnet = build_barnet_2026()
    client.force_login(barnet.manager)
    response = client.get("/reports/barnet/2026/q2/report.pdf")
    assert_pdf_download(response, "barnet-quarterly-service-report-2026-q2.pdf")
    text = document_text(documents[0])
    assert "Quarterly service report by department: Q2 2026 (April to June 2026)" in text
    assert "Housing benefit 4 2 50.0% 0.0% – 3 0" in text
    assert f"Housing benefit {barnet.cases['C'].reference} Replace the damaged bin 30 Jun 2026" in text


@pytest.mark.django_db
def test_the_pdf_has_the_report_charts_is_tagged_and_has_no_links(client, monkeypatch):
    barnet = build_barnet_2026()
    client.force_login(barnet.manager)
    seen = []
    render = pdf.render_document
    monkeypatch.setattr(pdf, "render_document", lambda html: seen.append(html) or render(html))
    client.get("/reports/barnet/2026/report.pdf")
    (html,) = seen
    assert html.count('role="img"') == 2
    assert '<title id="chart-report-timeliness-title">Stage responses within timescale</title>' in html
    assert "<a " not in html  # a published report does not point into the case system
    # Tagged for screen readers (PDF/UA): structure, language, and each chart's title as its alternative text.
    raw = render(html).write_pdf(**pdf.PDF_OPTIONS, uncompressed_pdf=True)
    assert b"/StructTreeRoot" in raw and b"/Lang (en-GB)" in raw
    assert b"/Alt (Stage responses within timescale)" in raw and b"/Alt (Outcomes of responses by stage)" in raw
    page = client.get("/reports/barnet/2026/").content.decode()
    assert page.count('role="img"') == 2
    assert 'href="/reports/barnet/2026/report.pdf"' in page and 'href="?format=xlsx"' in page


def test_the_renderer_fetches_nothing(caplog):
    html = '<img src="file:///etc/hostname"><link rel="stylesheet" href="http://127.0.0.1:9/x.css"><p>Text</p>'
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        document = pdf.render_document(html)
    refused = [r.getMessage() for r in caplog.records if "disallowed protocol" in r.getMessage()]
    assert len(refused) == 2
    assert document_text(document) == "Text"


@pytest.mark.django_db
def test_without_weasyprint_the_pdf_link_explains_and_offers_the_printable_version(client, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # "import weasyprint" now raises ImportError
    client.force_login(staff("barnet", role="complaints_manager"))
    response = client.get("/reports/barnet/2026/q3/report.pdf")
    assert response.status_code == 503
    html = response.content.decode()
    assert "The PDF cannot be made at the moment" in html
    assert 'href="/reports/barnet/2026/q3/print/"' in html
    assert client.get("/reports/barnet/2026/q3/").status_code == 200  # everything else still works


def test_the_site_starts_on_a_machine_without_weasyprint():
    """Nothing imports WeasyPrint until a PDF is asked for, so a machine without Pango serves the rest."""
    code = ("import sys; sys.modules['weasyprint'] = None\n"
            "import django; django.setup()\n"
            "from django.urls import resolve, reverse\n"
            "import config.urls, complaints.reports.views\n"
            "print(resolve(reverse('annual_report_pdf', args=['barnet', 2026])).url_name)\n")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("annual_report_pdf")
