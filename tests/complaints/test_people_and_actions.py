"""Reasonable adjustments, remedy actions tracked after closure, feedback and attachments."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints.models import Action, Complaint, Feedback
from complaints.services.errors import PolicyGuardFailed, StaleCase
from complaints.services.intake import complaint_triage
from complaints.services.lifecycle import complaint_close
from complaints.services.people import action_complete, complainant_record_adjustments, correspondence_attach
from complaints.services.records import complaint_add_note, complaint_record_correspondence, feedback_record
from complaints.services.stage_work import ResponseDetails, complaint_respond
from tests.factories import council, london, make_complaint, staff

pytestmark = pytest.mark.django_db


def test_reasonable_adjustments_are_recorded_with_their_review_date():
    officer = staff("barnet")
    case = make_complaint("barnet")
    case = complainant_record_adjustments(complaint=case, by=officer, adjustments="Large print letters",
                                          contact_preference="letter", at=london("2026-06-02T10:00"))
    case.complainant.refresh_from_db()
    assert case.complainant.reasonable_adjustments == "Large print letters"
    assert case.complainant.contact_preference == "letter"
    assert case.complainant.adjustments_reviewed_at == london("2026-06-02T10:00")
    assert case.history.first().history_change_reason.startswith("adjustments_reviewed")


def closed_case_with_an_action(officer):
    """Received Mon 5 Oct 2026, answered Tue 13 Oct with one action due Tue 1 Dec, closed Mon 16 Nov."""
    case = complaint_triage(complaint=make_complaint("lbbd", "2026-10-05T10:00"), by=officer, route="stage1")
    details = ResponseDetails(outcome="upheld", findings="Missed collections", remedy_apology=True,
                              actions=[("Add the street to the assisted collection list", officer, dt.date(2026, 12, 1))])
    case = complaint_respond(complaint=case, by=officer, details=details, at=london("2026-10-13T10:00"))
    return complaint_close(complaint=case, by=officer, at=london("2026-11-16T10:00"))


def test_actions_stay_open_after_the_case_closes_until_completed():
    officer = staff("lbbd")
    case = closed_case_with_an_action(officer)
    action = Action.objects.get(outcome__complaint=case)
    assert action.completed_at is None
    done = action_complete(action=action, by=officer, at=london("2026-11-17T10:00"))
    assert done.completed_at == london("2026-11-17T10:00")
    with pytest.raises(PolicyGuardFailed, match="already completed on Tue 17 Nov 2026"):
        action_complete(action=action, by=officer)


def test_completing_an_action_goes_on_the_case_history_with_the_evidence_as_a_note():
    officer = staff("lbbd")
    case = closed_case_with_an_action(officer)
    version = Complaint.objects.get(pk=case.pk).version
    action_complete(action=Action.objects.get(outcome__complaint=case), by=officer, at=london("2026-11-17T10:00"),
                    note="Street added on 17 November; crew told", expected_version=version)
    case = Complaint.objects.get(pk=case.pk)
    assert case.version == version + 1
    latest = case.history.first()
    assert (latest.history_change_reason, latest.history_user) == (
        "action_completed: Add the street to the assisted collection list", officer)
    assert case.notes.get().text == ("Action completed on Tue 17 Nov 2026: Add the street to the assisted "
                                     "collection list\n\nStreet added on 17 November; crew told")


@pytest.mark.parametrize(("at", "message"), [
    ("2026-10-12T10:00", "An action cannot be completed before the response that promised it (Tue 13 Oct 2026)"),
    ("2099-01-05T10:00", "An action cannot be completed in the future (Mon 5 Jan 2099)"),
])
def test_an_action_cannot_be_completed_before_it_was_promised_or_in_the_future(at, message):
    officer = staff("lbbd")
    case = closed_case_with_an_action(officer)
    with pytest.raises(PolicyGuardFailed) as refused:
        action_complete(action=Action.objects.get(outcome__complaint=case), by=officer, at=london(at))
    assert refused.value.message == message
    assert Action.objects.get(outcome__complaint=case).completed_at is None


def test_completing_an_action_from_a_stale_page_is_refused():
    officer = staff("lbbd")
    case = closed_case_with_an_action(officer)
    opened = Complaint.objects.get(pk=case.pk).version
    complaint_add_note(complaint=case, by=officer, text="Phoned the complainant")
    with pytest.raises(StaleCase):
        action_complete(action=Action.objects.get(outcome__complaint=case), by=officer, expected_version=opened)
    assert Action.objects.get(outcome__complaint=case).completed_at is None


def test_compliments_comments_and_suggestions_are_feedback_without_stages():
    item = feedback_record(council=council("bucks"), kind="compliment", text="Great library staff",
                           received_at=london("2026-05-05T12:00"))
    assert Feedback.objects.filter(council__slug="bucks", kind="compliment").get() == item
    with pytest.raises(PolicyGuardFailed):
        feedback_record(council=council("bucks"), kind="comment", text="  ", received_at=london("2026-05-05T12:00"))


def test_attachments_are_type_and_size_checked():
    officer = staff("barnet")
    case = make_complaint("barnet")
    letter = complaint_record_correspondence(complaint=case, by=officer, direction="in", kind="letter",
                                             subject="Evidence", occurred_at=london("2026-06-02T10:00"))
    ok = correspondence_attach(correspondence=letter, by=officer,
                               uploaded_file=SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n....", "image/png"))
    assert ok.original_name == "photo.png" and ok.size == 12
    with pytest.raises(PolicyGuardFailed, match="not accepted"):
        correspondence_attach(correspondence=letter, by=officer,
                              uploaded_file=SimpleUploadedFile("run.exe", b"MZ", "application/x-msdownload"))


def test_an_attachment_must_contain_what_its_declared_type_says():
    officer = staff("barnet")
    case = make_complaint("barnet")
    letter = complaint_record_correspondence(complaint=case, by=officer, direction="in", kind="letter",
                                             subject="Evidence", occurred_at=london("2026-06-02T10:00"))
    with pytest.raises(PolicyGuardFailed, match="does not contain what its type says"):
        correspondence_attach(correspondence=letter, by=officer,
                              uploaded_file=SimpleUploadedFile("evil.pdf", b"MZ\x90\x00", "application/pdf"))
    ok = correspondence_attach(correspondence=letter, by=officer,
                               uploaded_file=SimpleUploadedFile("report.pdf", b"%PDF-1.7 ...", "application/pdf"))
    assert ok.content_type == "application/pdf"
    with pytest.raises(PolicyGuardFailed):
        correspondence_attach(correspondence=letter, by=officer,
                              uploaded_file=SimpleUploadedFile("notes.txt", b"abc\x00\xff\xfe", "text/plain"))


def test_feedback_kinds_follow_the_policy():
    # LBBD's policy covers complaints only (section 1): no compliments recorded there.
    with pytest.raises(PolicyGuardFailed, match="does not record compliments"):
        feedback_record(council=council("lbbd"), kind="compliment", text="Thank you",
                        received_at=london("2026-05-05T12:00"))


def test_time_limit_from_awareness_falls_back_to_the_incident_date():
    # Bucks counts 12 months from when the complainant knew; with only an incident date, that date counts.
    late = make_complaint("bucks", "2026-06-01T10:00", incident_date=dt.date(2020, 1, 1))
    assert late.out_of_time is True
    aware_recently = make_complaint("bucks", "2026-06-01T11:00", incident_date=dt.date(2020, 1, 1),
                                    aware_date=dt.date(2026, 3, 1))
    assert aware_recently.out_of_time is False
