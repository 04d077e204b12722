"""Following a case with a private link: the token, the status page, and what the resident may do.

Barnet case received Mon 1 Jun 2026, acknowledged Wed 3 Jun, answered Tue 16 Jun: the Review
may be asked for within one month of the answer, so until Thu 16 Jul 2026.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints.models import CaseStage, Correspondence, State
from complaints.public.models import TrackingToken
from complaints.public.tokens import token_hash, tracking_token_issue
from complaints.services.intake import complaint_triage
from complaints.services.records import complaint_record_correspondence
from complaints.services.stage_work import ResponseDetails, complaint_acknowledge, complaint_respond
from tests.factories import london, make_complaint, staff
from tests.public.conftest import deliver_emails, fix_clock

pytestmark = pytest.mark.django_db


def tracked(slug="barnet", received="2026-06-01T10:00"):
    case = make_complaint(slug, received)
    return case, tracking_token_issue(complaint=case, now=london(received))


def answered(case, slug="barnet"):
    officer = staff(slug)
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    case = complaint_acknowledge(complaint=case, by=officer, at=london("2026-06-03T09:00"))
    return complaint_respond(complaint=case, by=officer, at=london("2026-06-16T15:00"),
                             details=ResponseDetails(outcome="not_upheld", findings="The bins were collected."))


def status(client, case, token):
    response = client.get(f"/{case.council.slug}/track/{token}/")
    assert response.status_code == 200
    return response


# --- the link ------------------------------------------------------------------------------------
def test_only_the_hash_of_the_token_is_stored(loaded_policies):
    _, token = tracked()
    row = TrackingToken.objects.get()
    assert row.token_hash == token_hash(token) and token not in row.token_hash
    assert len(token) >= 43  # 256 random bits
    assert row.expires_at == london("2026-06-01T10:00") + dt.timedelta(days=90)


def test_a_valid_link_opens_the_case_privately(client, loaded_policies, fixed_now):
    case, token = tracked()
    response = status(client, case, token)
    html = response.content.decode()
    assert case.reference in html and '<strong class="govuk-tag" id="position">Received</strong>' in html
    assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "same-origin"
    # Not yet triaged: the dates the policy promises, from the engine.
    assert [(d.label, d.words) for d in response.context["expected_dates"]] == [
        ("We will acknowledge your complaint by", "Monday 8 June 2026"),
        ("We will send you our response by", "Monday 22 June 2026")]


def test_a_wrong_link_is_not_found(client, loaded_policies, fixed_now):
    _, token = tracked()
    response = client.get(f"/barnet/track/{token[:-1]}x/")
    assert response.status_code == 404 and "This link does not work" in response.content.decode()
    assert client.get("/barnet/track/x/add/").status_code == 404


def test_a_link_for_another_councils_case_is_not_found(client, loaded_policies, fixed_now):
    _, token = tracked("barnet")
    assert client.get(f"/bucks/track/{token}/").status_code == 404


def test_an_expired_link_says_so_and_offers_a_new_one(client, loaded_policies, monkeypatch):
    case, token = tracked()
    fix_clock(monkeypatch, london("2026-08-30T10:00"))  # 90 days after receipt, to the minute
    response = client.get(f"/barnet/track/{token}/")
    html = response.content.decode()
    assert response.status_code == 410 and "This link has expired" in html
    assert 'href="/barnet/track/">Get a new link to follow your complaint</a>' in html
    assert client.post(f"/barnet/track/{token}/withdraw/", {"confirm": "on"}).status_code == 410
    case.refresh_from_db()
    assert case.state == State.NEW


def test_a_new_link_is_sent_to_the_email_on_the_case(client, loaded_policies, fixed_now, mailoutbox):
    case, old = tracked()
    response = client.post("/barnet/track/", {"reference": case.reference.lower(), "email": "ALEX@example.org"})
    assert "If the reference and email address match a complaint" in response.content.decode()
    assert mailoutbox == [] and TrackingToken.objects.count() == 1  # queued: the link is issued as it is sent
    assert deliver_emails() == 1
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["alex@example.org"]
    assert mailoutbox[0].subject == f"Barnet Council: your link to follow complaint {case.reference}"
    token = re.search(r"/barnet/track/([A-Za-z0-9_-]+)/", mailoutbox[0].body).group(1)
    assert token != old
    assert status(client, case, token).context["complaint"] == case
    assert TrackingToken.objects.count() == 2


def test_details_that_do_not_match_get_the_same_answer_and_no_email(client, loaded_policies, fixed_now,
                                                                   mailoutbox):
    case, _ = tracked()
    matched = client.post("/barnet/track/", {"reference": case.reference, "email": "alex@example.org"})
    wrong = client.post("/barnet/track/", {"reference": case.reference, "email": "someone@example.org"})
    elsewhere = client.post("/bucks/track/", {"reference": case.reference, "email": "alex@example.org"})
    assert deliver_emails() == 1 and len(mailoutbox) == 1
    assert wrong.content.decode().replace("someone@example.org", "X") == \
        matched.content.decode().replace("alex@example.org", "X")
    assert "If the reference and email address match a complaint" in elsewhere.content.decode()


def test_asking_for_a_link_checks_the_fields(client, loaded_policies):
    response = client.post("/barnet/track/", {"reference": "", "email": "nope"})
    assert response.context["form"].errors == {
        "reference": ["Enter your complaint reference"],
        "email": ["Enter an email address in the correct format, like name@example.com"]}


# --- the status page -----------------------------------------------------------------------------
def test_the_status_page_shows_the_stage_its_meaning_the_stored_dates_and_the_letters(client, loaded_policies,
                                                                                     fixed_now):
    case, token = tracked()
    officer = staff("barnet")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    complaint_record_correspondence(complaint=case, by=officer, direction="out", kind="letter",
                                    subject="Acknowledgement of your complaint", body="Dear Alex,\nThank you.",
                                    occurred_at=london("2026-06-02T09:00"))
    complaint_record_correspondence(complaint=case, by=officer, direction="in", kind="call",
                                    subject="Resident phoned", occurred_at=london("2026-06-02T10:00"))
    response = status(client, case, token)
    assert (response.context["position_title"], response.context["position_meaning"]) == (
        "Stage 1", ("We are looking into your complaint at Stage 1. Complaints Link Officers liaise with the "
                    "service to investigate and respond."))
    assert [(d.label, d.words, d.state) for d in response.context["dates"]] == [
        ("We will acknowledge your Stage 1 complaint by", "Monday 8 June 2026", ""),
        ("We will send our Stage 1 response by", "Monday 22 June 2026", "")]
    assert response.context["dates"][0].policy_words == \
        "We will acknowledge a complaint within five working days of receiving it."
    assert response.context["dates"][0].explanation.startswith("Acknowledge by Mon 8 Jun 2026: 5 working days")
    assert [item.subject for item in response.context["letters"]] == ["Acknowledgement of your complaint"]
    assert "Dear Alex,<br>Thank you." in response.content.decode()
    assert response.context["offer"] is None


def test_a_case_on_hold_for_consent_says_what_is_needed(client, loaded_policies, fixed_now):
    from complaints.services.intake import RepresentativeDetails

    case = make_complaint("lbbd", representative=RepresentativeDetails(name="Jo", relationship="Daughter",
                                                                       role="relative", consent="requested"))
    token = tracking_token_issue(complaint=case, now=fixed_now)
    complaint_triage(complaint=case, by=staff("lbbd"), route="stage1", at=london("2026-06-01T11:00"))
    assert status(client, case, token).context["position_meaning"] == (
        "We have paused your complaint until we receive written, signed permission from Alex Resident. You can "
        "send it to us with the link to add information below.")


# --- adding information ----------------------------------------------------------------------------
def test_adding_information_records_incoming_correspondence_with_the_file(client, loaded_policies, fixed_now,
                                                                         media):
    case, token = tracked()
    url = f"/barnet/track/{token}/add/"
    assert client.post(url, {"text": ""}).context["form"].errors == {
        "text": ["Enter the information you want to add"]}
    response = client.post(url, {"text": "Here is the signed form.",
                                 "attachment": SimpleUploadedFile("form.pdf", b"%PDF-1.4 form",
                                                                  content_type="application/octet-stream")})
    assert response["Location"] == f"/barnet/track/{token}/"
    item = Correspondence.objects.get(complaint=case, direction="in")
    assert (item.subject, item.body, item.recorded_by, item.occurred_at) == (
        "Information added by the complainant online", "Here is the signed form.", None, fixed_now)
    attachment = item.attachments.get()
    assert (attachment.original_name, attachment.content_type) == ("form.pdf", "application/pdf")
    assert "We have added your information to your complaint" in client.get(response["Location"]).content.decode()


def test_adding_a_file_of_the_wrong_type_is_refused(client, loaded_policies, fixed_now, media):
    _, token = tracked()
    response = client.post(f"/barnet/track/{token}/add/", {
        "text": "See attached.", "attachment": SimpleUploadedFile("run.exe", b"MZ")})
    assert response.context["form"].errors == {
        "attachment": ["The selected file must be a PDF, JPG, PNG, TXT or Word (DOCX) document"]}
    assert 'See attached.</textarea>' in response.content.decode()
    assert not Correspondence.objects.filter(direction="in").exists()


# --- asking for the next stage --------------------------------------------------------------------------
def test_escalation_is_not_offered_before_the_response(client, loaded_policies, fixed_now):
    case, token = tracked()
    assert status(client, case, token).context["offer"] is None
    response = client.get(f"/barnet/track/{token}/escalate/")
    assert response["Location"] == f"/barnet/track/{token}/"


def test_inside_the_window_the_resident_asks_for_a_review(client, loaded_policies, monkeypatch):
    case, token = tracked()
    answered(case)
    asked_at = london("2026-06-20T10:00")
    fix_clock(monkeypatch, asked_at)
    page = status(client, case, token)
    assert page.context["offer"].stage.name == "Review" and page.context["offer"].in_window
    assert "you can ask for Review until <strong>Thursday 16 July 2026</strong>" in page.content.decode()
    url = f"/barnet/track/{token}/escalate/"
    assert client.post(url, {"reason": ""}).context["form"].errors == {
        "reason": ["Tell us why you are unhappy with our response"]}
    assert client.post(url, {"reason": "The bins were not collected."})["Location"] == f"/barnet/track/{token}/"
    case.refresh_from_db()
    assert (case.state, case.stage) == (State.STAGE2, "stage2")
    assert CaseStage.objects.get(complaint=case, stage="stage2").started_at == asked_at
    assert Correspondence.objects.get(direction="in").subject == "Request for Review made online"
    after = status(client, case, token)
    assert after.context["position_title"] == "Review"
    # Review: acknowledge within 5 working days of the request (Sat 20 Jun) = Fri 26 Jun 2026.
    assert ("We will acknowledge your Review complaint by", "Friday 26 June 2026") in [
        (d.label, d.words) for d in after.context["dates"]]


def test_on_the_last_day_the_window_is_still_open(client, loaded_policies, monkeypatch):
    case, token = tracked()
    answered(case)
    fix_clock(monkeypatch, london("2026-07-16T23:30"))
    assert status(client, case, token).context["offer"].in_window is True


def test_outside_the_window_the_resident_is_told_and_a_late_request_goes_to_an_officer(client, loaded_policies,
                                                                                      monkeypatch):
    case, token = tracked()
    answered(case)
    fix_clock(monkeypatch, london("2026-07-17T09:00"))
    page = status(client, case, token).content.decode()
    assert ("The last day to ask for Review was Thursday 16 July 2026. You can still ask: a complaints officer may "
            "accept a late request if there is a good reason.") in page
    form = client.get(f"/barnet/track/{token}/escalate/").content.decode()
    assert "The last day to ask for Review was Thursday 16 July 2026." in form
    assert "A complaints officer will decide whether to accept it" in form
    response = client.post(f"/barnet/track/{token}/escalate/", {"reason": "I was abroad."})
    assert response["Location"] == f"/barnet/track/{token}/"
    case.refresh_from_db()
    assert case.state == State.STAGE1_RESPONDED
    item = Correspondence.objects.get(direction="in")
    assert (item.subject, item.body) == (
        "Late request for Review made online (after Thursday 16 July 2026)", "I was abroad.")


def test_no_escalation_after_the_final_stage(client, loaded_policies, monkeypatch):
    from complaints.services.lifecycle import complaint_escalate

    case, token = tracked("lbbd")
    case = answered(case, "lbbd")
    reviewer = staff("lbbd", role="complaints_manager")
    case = complaint_escalate(complaint=case, by=reviewer, requested_at=london("2026-06-17T09:00"), reviewer=reviewer)
    complaint_respond(complaint=case, by=reviewer, at=london("2026-06-30T09:00"),
                      details=ResponseDetails(outcome="not_upheld", findings="Reviewed."))
    fix_clock(monkeypatch, london("2026-07-01T09:00"))
    page = status(client, case, token)
    assert page.context["offer"] is None
    assert page.context["position_title"] == "Review: we have responded"


# --- withdrawing -----------------------------------------------------------------------------------------
def test_withdrawing_needs_confirmation_then_withdraws_the_case(client, loaded_policies, fixed_now):
    case, token = tracked()
    url = f"/barnet/track/{token}/withdraw/"
    assert client.post(url, {}).context["form"].errors == {
        "confirm": ["Confirm that you want to withdraw your complaint"]}
    assert client.post(url, {"confirm": "on", "reason": "Sorted out now."})["Location"] == f"/barnet/track/{token}/"
    case.refresh_from_db()
    assert case.state == State.WITHDRAWN
    assert case.history.first().history_change_reason == \
        "withdrawn: Withdrawn by the complainant online: Sorted out now."
    page = status(client, case, token)
    assert page.context["position_title"] == "Withdrawn"
    assert f'href="{url}"' not in page.content.decode()
    assert "This complaint is no longer open, so you cannot change it here." in page.content.decode()
    assert client.get(url)["Location"] == f"/barnet/track/{token}/"
