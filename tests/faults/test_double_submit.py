"""A form sent twice (a double click, a resent page, two tabs): one record, never two.

The residents' form already has its tests for a second send one after the other and
for the same answers sent twice through the service (tests/public/test_sending.py:
``test_sending_the_final_page_twice_creates_one_complaint``,
``test_two_sends_racing_with_the_same_session_answers_make_one_complaint``). Here:
two sends that really overlap, feedback sent twice, and the officers' forms, whose
hidden case version makes the second send of the same page a stale one: refused,
with what was typed shown again, so nothing is recorded twice and nothing is lost.

The API has no idempotency key for creating complaints or notes: an integration that
retries a POST it did not see answered makes a second record (see the report). Its
case actions carry the version, so a repeated action is a 409 "stale"
(tests/api/test_actions.py).
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from complaints.models import Attachment, Complaint, Correspondence, Feedback, Note
from complaints.public import submit
from complaints.public.models import Submission
from tests.dates import date_parts
from tests.faults.conftest import at_once
from tests.public.conftest import Resident, answers
from tests.staff.conftest import error_summary, fresh, stage1_case, stale_message

pytestmark = pytest.mark.django_db


def test_the_same_note_sent_twice_is_recorded_once_and_the_second_send_shows_it_again(officer_client, officer,
                                                                                       clock):
    case = stage1_case(officer)
    page = {"version": case.version, "text": "Spoke to the crew supervisor"}
    first = officer_client.post(f"/cases/{case.reference}/note/", page)
    second = officer_client.post(f"/cases/{case.reference}/note/", page)
    assert first.status_code == 302
    assert error_summary(second) == [stale_message(case, case.version)]
    assert "Spoke to the crew supervisor</textarea>" in second.content.decode()
    assert Note.objects.count() == 1


def test_correspondence_with_a_file_sent_twice_is_recorded_once(officer_client, officer, clock, media):
    case = stage1_case(officer)

    def send():
        return officer_client.post(f"/cases/{case.reference}/correspondence/", {
            "version": case.version, "direction": "in", "kind": "letter", "subject": "Photos of the bins",
            **date_parts("on", "2026-06-09"),
            "attachment": SimpleUploadedFile("photos.pdf", b"%PDF-1.7 photos", content_type="application/pdf")})

    assert send().status_code == 302
    assert error_summary(send()) == [stale_message(case, case.version)]
    assert (Correspondence.objects.count(), Attachment.objects.count()) == (1, 1)
    assert len([path for path in media.rglob("*") if path.is_file()]) == 1


def test_feedback_sent_twice_is_recorded_once(resident, fixed_now, client):
    walker = resident("barnet")
    walker.walk(answers("barnet", kind={"kind": "compliment"}, feedback={"text": "The crew were wonderful."}))
    key = client.get("/barnet/complain/check/").context["key"]
    first = client.post("/barnet/complain/check/", {"key": key})
    second = client.post("/barnet/complain/check/", {"key": key})
    assert first["Location"] == second["Location"] == "/barnet/complain/done/"
    assert (Feedback.objects.count(), Submission.objects.count()) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_two_sends_of_the_form_at_the_same_moment_make_one_complaint(loaded_policies, fixed_now, hold_inside):
    """Two tabs (or a double click) sending the same answers: the second waits on the first's
    submission key, then finds its complaint instead of making another."""
    first = Client()
    Resident(first, "barnet").walk(answers("barnet"))
    key = first.get("/barnet/complain/check/").context["key"]
    second = Client()
    second.cookies = first.cookies
    held = hold_inside(submit, "complaint_create")

    one, two = at_once(hold_inside.entered,
                       lambda: first.post("/barnet/complain/check/", {"key": key}),
                       lambda: second.post("/barnet/complain/check/", {"key": key}))

    assert held == [True]  # the second send waited for the first's submission key
    assert one["Location"] == two["Location"] == "/barnet/complain/done/"
    assert (Complaint.objects.count(), Submission.objects.count()) == (1, 1)
    assert fresh(Complaint.objects.get()).reference == "BAR-2026-00001"
