"""The database connection lost in the middle of a request: a clean error, and nothing half-written.

The PostgreSQL server process behind the request's connection is killed between two
writes of a multi-row change (``database_lost``). Each service runs in one
transaction, so the server rolls the whole change back; the visitor gets the GOV.UK
error page (the API its JSON error), never a stack trace; the next request works.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints.models import (
    Action,
    Attachment,
    CaseStage,
    Complaint,
    Correspondence,
    Deadline,
    Note,
    StageOutcome,
)
from complaints.public import submit
from complaints.public import views_tracking
from complaints.public.models import Submission
from complaints.public.tokens import tracking_token_issue
from complaints.services import stage_work
from complaints.services.attachment_files import attachment_files_discard_orphaned
from tests.api.conftest import acknowledged_case as api_acknowledged_case
from tests.dates import date_parts
from tests.factories import london, make_complaint
from tests.faults.conftest import reconnect
from tests.public.conftest import answers
from tests.staff.conftest import acknowledged_case, fresh

pytestmark = pytest.mark.django_db(transaction=True)

ERROR_HEADING = "Sorry, there is a problem with the service"
LEAKS = ("Traceback", "OperationalError", "psycopg", "terminating connection", "File \"/")


def snapshot(case: Complaint) -> dict:
    """Every row a stage response touches."""
    return {
        "case": Complaint.objects.filter(pk=case.pk).values().get(),
        "stages": list(CaseStage.objects.filter(complaint=case).order_by("pk").values()),
        "deadlines": list(Deadline.objects.filter(complaint=case).order_by("pk").values()),
        "outcomes": StageOutcome.objects.filter(complaint=case).count(),
        "actions": Action.objects.filter(outcome__complaint=case).count(),
        "history": case.history.count(),
    }


def assert_error_page(response) -> None:
    html = response.content.decode()
    assert response.status_code == 500
    assert f'<h1 class="govuk-heading-l">{ERROR_HEADING}</h1>' in html
    assert 'class="govuk-template"' in html  # the service's own GOV.UK layout, not Django's bare page
    assert not any(leak in html for leak in LEAKS)


RESPONSE = {**date_parts("on", "2026-06-10"), "outcome": "upheld", "findings": "Three collections were missed.",
            "compensation_amount": "50.00", "compensation_offset_against_arrears": "0",
            "action_1_description": "Add the street to the assisted collection list",
            **date_parts("action_1_due", "2026-07-10")}


def test_database_lost_while_an_officer_records_a_response_writes_nothing(client, officer, clock, database_lost):
    case = acknowledged_case(officer)
    before = snapshot(case)
    client.force_login(officer)
    client.raise_request_exception = False
    # The outcome, its action and the stage's response date are written; the deadlines come next.
    killed = database_lost(stage_work, "deadlines_mark_met")
    response = client.post(f"/cases/{case.reference}/respond/",
                           {**RESPONSE, "version": case.version, "action_1_owner": officer.pk})
    assert killed == ["MainThread"]
    assert_error_page(response)
    assert "Three collections were missed" not in response.content.decode()
    reconnect()
    assert snapshot(case) == before

    # The database is back: the same form, sent again, records the response once.
    response = client.post(f"/cases/{case.reference}/respond/",
                           {**RESPONSE, "version": case.version, "action_1_owner": officer.pk})
    assert response.status_code == 302
    assert (StageOutcome.objects.filter(complaint=case).count(), fresh(case).state) == (1, "stage1_responded")


def test_database_lost_during_an_api_response_is_a_json_500_and_writes_nothing(lbbd_api, officer, database_lost):
    case = api_acknowledged_case(officer)
    before = snapshot(case)
    lbbd_api.raise_request_exception = False
    killed = database_lost(stage_work, "deadlines_mark_met")
    response = lbbd_api.post(f"/api/v1/complaints/{case.reference}/respond/", {
        "version": case.version, "outcome": "upheld", "findings": "Missed.",
        "actions": [{"description": "Check the round", "owner": officer.username, "due_date": "2026-07-01"}]},
        format="json")
    assert killed == ["MainThread"]
    assert (response.status_code, response["Content-Type"]) == (500, "application/json")
    assert response.json() == {"error": "server_error",
                               "detail": "Something went wrong on the server; nothing was half-saved. "
                                         "Try again later."}
    reconnect()
    assert snapshot(case) == before


def test_database_lost_while_a_resident_sends_the_form_keeps_nothing_and_sending_again_makes_one(
        resident, fixed_now, client, database_lost):
    walker = resident("barnet")
    walker.walk(answers("barnet"))
    key = client.get("/barnet/complain/check/").context["key"]
    client.raise_request_exception = False
    # The submission, the complaint and its deadlines are written; the acknowledgement comes next.
    killed = database_lost(submit, "_attach")
    assert_error_page(client.post("/barnet/complain/check/", {"key": key}))
    assert killed[:1] == ["MainThread"]
    reconnect()
    assert (Complaint.objects.count(), Submission.objects.count(), Correspondence.objects.count()) == (0, 0, 0)

    again = client.post("/barnet/complain/check/", {"key": key})
    assert again["Location"] == "/barnet/complain/done/"
    assert (Complaint.objects.count(), Submission.objects.count()) == (1, 1)


def test_a_file_written_before_the_database_was_lost_is_swept_away_the_next_day(
        resident, fixed_now, client, media, database_lost):
    """Storage is not transactional: the evidence was copied to the case's attachments before the connection
    died, and its row rolled back. The daily sweep deletes such files; files with a row stay."""
    walker = resident("barnet")
    walker.walk(answers("barnet"), until="evidence")
    walker.post("evidence", {"action": "upload", "evidence": SimpleUploadedFile("bins.pdf", b"%PDF-1.7 bins")})
    walker.post("evidence", {"action": "continue"})
    key = client.get("/barnet/complain/check/").context["key"]
    client.raise_request_exception = False
    database_lost(submit, "_attach")
    assert_error_page(client.post("/barnet/complain/check/", {"key": key}))
    reconnect()
    (orphan,) = (media / "attachments").rglob("*.pdf")
    assert not Attachment.objects.exists()

    assert client.post("/barnet/complain/check/", {"key": key})["Location"] == "/barnet/complain/done/"
    kept = media / Attachment.objects.get().file.name
    assert attachment_files_discard_orphaned(now=timezone.now()) == 0  # too new: its row may be on its way
    assert attachment_files_discard_orphaned(now=timezone.now() + dt.timedelta(hours=25)) == 1
    assert (orphan.exists(), kept.exists()) == (False, True)


def test_database_lost_while_a_resident_adds_a_file_keeps_neither_the_message_nor_the_file(
        client, loaded_policies, fixed_now, media, database_lost):
    case = make_complaint("barnet", "2026-06-01T10:00")
    token = tracking_token_issue(complaint=case, now=london("2026-06-01T10:00"))
    before = (Correspondence.objects.filter(complaint=case).count(), case.history.count())
    client.raise_request_exception = False
    # The message is written; the connection dies before its file is attached.
    killed = database_lost(views_tracking, "correspondence_attach", when="before")
    response = client.post(f"/barnet/track/{token}/add/", {
        "text": "Photos of the overflowing bins",
        "attachment": SimpleUploadedFile("bins.pdf", b"%PDF-1.7 photos", content_type="application/pdf")})
    assert killed == ["MainThread"]
    assert_error_page(response)
    reconnect()
    assert (Correspondence.objects.filter(complaint=case).count(), case.history.count()) == before


def test_the_error_pages_need_no_database(rf, django_assert_max_num_queries):
    from config.errors import bad_request, server_error

    with django_assert_max_num_queries(0):
        page, api = server_error(rf.get("/cases/")), server_error(rf.get("/api/v1/complaints/"))
        bad = bad_request(rf.get("/cases/"))
    assert_error_page(page)
    assert api.status_code == 500 and api["Content-Type"] == "application/json"
    assert bad.status_code == 400 and "Sorry, there is a problem with the request" in bad.content.decode()


def test_a_note_is_all_or_nothing_too(client, officer, clock, database_lost):
    """The smallest change: the note row and the case's version and history, together or not at all."""
    from complaints.services import records

    case = acknowledged_case(officer)
    before = snapshot(case)
    client.force_login(officer)
    client.raise_request_exception = False
    killed = database_lost(records.Note.objects, "create")
    response = client.post(f"/cases/{case.reference}/note/", {"version": case.version, "text": "Called them"})
    assert killed == ["MainThread"]
    assert_error_page(response)
    reconnect()
    assert (snapshot(case), Note.objects.count()) == (before, 0)
