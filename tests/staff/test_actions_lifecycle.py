"""Triage, refusal, holds, consent, closing, reopening, withdrawal, the Ombudsman, transfers, assignment."""

import pytest

from complaints.models import Complaint, ComplaintLink, Deadline
from complaints.services.holds import complaint_hold
from complaints.services.intake import RepresentativeDetails, complaint_triage
from complaints.services.lifecycle import complaint_close
from complaints.services.stage_work import ResponseDetails, complaint_acknowledge, complaint_respond
from policies.models import Council
from tests.dates import date_parts
from tests.factories import london, staff
from tests.staff.conftest import (
    answered_case,
    assert_done,
    assert_refused,
    fresh,
    new_case,
    post_action,
    review_case,
    row_of,
    someone_else_changes,
    stage1_case,
    stale_message,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def radio_values(response, name: str) -> list[str]:
    import re

    return re.findall(rf'type="radio" name="{name}" value="([^"]+)"', response.content.decode())


# --- triage --------------------------------------------------------------------
def test_triage_offers_the_policys_routes_and_starts_stage1(officer_client, officer, client):
    case = new_case()
    assert radio_values(officer_client.get(f"/cases/{case.reference}/triage/"), "route") == [
        "stage1", "service_request"]  # LBBD has no informal stage
    response = post_action(officer_client, case, "triage", {"route": "stage1"})
    assert_done(officer_client, response, case, "LBD-2026-00001 triaged: now stage 1")
    assert fresh(case).state == "stage1"

    barnet = new_case("barnet")
    client.force_login(staff("barnet"))
    assert radio_values(client.get(f"/cases/{barnet.reference}/triage/"), "route") == [
        "stage1", "informal", "service_request"]


def test_triage_of_an_anonymous_bucks_complaint_to_stage1_needs_the_wider_concern(client):
    client.force_login(staff("bucks"))
    case = new_case("bucks", anonymous=True)
    before = row_of(case)
    response = post_action(client, case, "triage", {"route": "stage1"})
    assert_refused(response, "Buckinghamshire County Council logs anonymous complaints as service requests "
                             "(Appendix 1); give the wider concern that justifies a formal complaint", case, before)
    response = post_action(client, case, "triage", {"route": "stage1", "reason": "Unsafe tree by a school"})
    assert response.status_code == 302
    assert fresh(case).state == "stage1"


# --- refuse --------------------------------------------------------------------
def test_refuse_with_an_exclusion_from_the_policy_uses_its_signposting(officer_client):
    case = new_case()
    page = officer_client.get(f"/cases/{case.reference}/refuse/")
    assert radio_values(page, "exclusion")[:2] == ["service_requests", "council_or_government_policy"]
    assert radio_values(page, "exclusion")[-1] == "other"
    assert "Signposting: Make a claim through the council&#x27;s insurance process. (policy section 6)" in (
        page.content.decode())
    response = post_action(officer_client, case, "refuse", {"exclusion": "insurance_claims",
                                                            "reason": "Damage to a car by a bin lorry"})
    assert_done(officer_client, response, case, "LBD-2026-00001 refused")
    case = fresh(case)
    assert (case.state, case.refusal_reason, case.signposting) == (
        "refused", "Insurance claims (policy section 6): Damage to a car by a bin lorry",
        "Make a claim through the council's insurance process.")


def test_refuse_for_another_reason_without_details_is_refused(officer_client):
    case = new_case()
    before = row_of(case)
    response = post_action(officer_client, case, "refuse", {"exclusion": "other"})
    assert_refused(response, "Refusing a complaint needs a reason and signposting (where to go instead)", case,
                   before)


# --- hold and resume ---------------------------------------------------------------
def test_hold_pauses_the_deadlines(officer_client, officer):
    case = stage1_case(officer)
    response = post_action(officer_client, case, "hold", {"reason": "Waiting for CCTV from the depot"})
    assert_done(officer_client, response, case, "LBD-2026-00001 is on hold: its deadlines are paused")
    assert fresh(case).state == "on_hold"
    assert sorted(Deadline.objects.filter(complaint=case).values_list("kind", "paused")) == [
        ("acknowledge", True), ("respond", True)]


def test_hold_on_a_stale_page_is_refused(officer_client, officer):
    case = stage1_case(officer)
    opened = case.version
    case = someone_else_changes(case)
    before = row_of(case)
    response = post_action(officer_client, case, "hold", {"reason": "Waiting"}, version=opened)
    assert_refused(response, stale_message(case, opened), case, before)


def test_resume_and_a_stale_resume(officer_client, officer):
    case = complaint_hold(complaint=stage1_case(officer), by=officer, reason="Waiting for CCTV")
    opened = case.version
    case = someone_else_changes(case)
    before = row_of(case)
    assert_refused(post_action(officer_client, case, "resume", {}, version=opened), stale_message(case, opened),
                   case, before)
    response = post_action(officer_client, case, "resume", {"reason": "CCTV arrived"})
    assert_done(officer_client, response, case, "LBD-2026-00001 resumed")
    assert fresh(case).state == "stage1"


# --- consent -------------------------------------------------------------------
def held_for_consent(officer):
    case = new_case(representative=RepresentativeDetails(name="Sam Helper", relationship="son", role="relative"))
    return complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))


def test_consent_resumes_a_case_held_for_it(officer_client, officer):
    case = held_for_consent(officer)
    assert (case.state, case.held_for_consent) == ("on_hold", True)
    page = officer_client.get(f"/cases/{case.reference}/").content.decode()
    assert "Work cannot continue until the complainant's consent for Sam Helper is recorded" in page
    assert 'data-action="consent"' in page and 'data-action="resume"' not in page
    response = post_action(officer_client, case, "consent", {**date_parts("received_on", "2026-06-09"),
                                                             "evidence": "Signed form received by post"})
    assert_done(officer_client, response, case, "Consent recorded")
    case = fresh(case)
    assert (case.state, case.consent, str(case.consent_received_on), case.consent_evidence) == (
        "stage1", "received", "2026-06-09", "Signed form received by post")


def test_consent_for_a_case_without_a_representative_is_refused(officer_client, officer):
    case = stage1_case(officer)
    before = row_of(case)
    response = post_action(officer_client, case, "consent",
                           {**date_parts("received_on", "2026-06-09"), "evidence": "Form"})
    assert_refused(response, "LBD-2026-00001 has no representative, so no consent is needed", case, before)


# --- close, reopen, withdraw, Ombudsman ----------------------------------------------
def test_close_and_a_stale_close(officer_client, officer):
    case = answered_case(officer)
    opened = case.version
    case = someone_else_changes(case)
    before = row_of(case)
    assert_refused(post_action(officer_client, case, "close", {"reason": "Done"}, version=opened),
                   stale_message(case, opened), case, before)
    response = post_action(officer_client, case, "close", {"reason": "No review asked for"})
    assert_done(officer_client, response, case, "LBD-2026-00001 closed")
    assert (fresh(case).state, fresh(case).closed_after_stage) == ("closed", "stage1")


def test_reopen_after_stage1(officer_client, officer):
    case = complaint_close(complaint=answered_case(officer), by=officer, reason="No review asked for")
    response = post_action(officer_client, case, "reopen", {"reason": "Complainant asked for a review after all"})
    assert_done(officer_client, response, case, "LBD-2026-00001 reopened")
    assert fresh(case).state == "stage1_responded"


def test_reopen_after_the_final_stage_is_not_offered_and_refused(officer_client, officer, manager):
    case = complaint_acknowledge(complaint=review_case(officer, manager), by=manager, at=london("2026-06-09T12:00"))
    case = complaint_respond(complaint=case, by=manager, at=london("2026-06-09T16:00"),
                             details=ResponseDetails(outcome="not_upheld", findings="Stage 1 was right."))
    case = complaint_close(complaint=case, by=officer, reason="Review sent")
    page = officer_client.get(f"/cases/{case.reference}/reopen/")
    assert (page.status_code, page["Location"]) == (302, f"/cases/{case.reference}/")
    assert "Reopen is not possible now: LBD-2026-00001 is closed." in officer_client.get(
        page["Location"]).content.decode()
    before = row_of(case)
    response = post_action(officer_client, case, "reopen", {"reason": "Asked again"})
    assert_refused(response, "LBD-2026-00001 completed the stage2 stage; a case closed after the final stage "
                             "cannot be reopened on the same matters (code)", case, before)


def test_withdraw_and_a_stale_withdraw(officer_client, officer):
    case = stage1_case(officer)
    opened = case.version
    case = someone_else_changes(case)
    before = row_of(case)
    assert_refused(post_action(officer_client, case, "withdraw", {"reason": "Phoned"}, version=opened),
                   stale_message(case, opened), case, before)
    response = post_action(officer_client, case, "withdraw", {"reason": "Bins now collected; phoned to withdraw"})
    assert_done(officer_client, response, case, "LBD-2026-00001 withdrawn")
    assert fresh(case).state == "withdrawn"
    assert not Deadline.objects.filter(complaint=case, cancelled_at__isnull=True, met_at__isnull=True).exists()


def test_refer_to_the_ombudsman_and_a_stale_referral(officer_client, officer):
    case = stage1_case(officer)
    page = officer_client.get(f"/cases/{case.reference}/ombudsman/").content.decode()
    assert "Local Government and Social Care Ombudsman" in page
    opened = case.version
    case = someone_else_changes(case)
    before = row_of(case)
    assert_refused(post_action(officer_client, case, "ombudsman", {}, version=opened), stale_message(case, opened),
                   case, before)
    response = post_action(officer_client, case, "ombudsman", {"reason": "LGSCO took it early"})
    assert_done(officer_client, response, case, "LBD-2026-00001 is with the Ombudsman")
    assert fresh(case).state == "ombudsman"


# --- transfer ------------------------------------------------------------------------
def test_transfer_to_another_body_and_a_stale_transfer(officer_client, officer):
    case = new_case()
    barnet = Council.objects.get(slug="barnet")
    opened = case.version
    case = someone_else_changes(case)
    before = row_of(case)
    assert_refused(post_action(officer_client, case, "transfer", {"to_council": barnet.pk, "reason": "x"},
                               version=opened), stale_message(case, opened), case, before)
    page = officer_client.get(f"/cases/{case.reference}/transfer/").content.decode()
    assert f'value="{case.council_id}"' not in page
    response = post_action(officer_client, case, "transfer", {"to_council": barnet.pk,
                                                              "reason": "The road is in Barnet"})
    assert_done(officer_client, response, case, "LBD-2026-00001 transferred to Barnet Council as BAR-2026-00001")
    received = Complaint.objects.get(council=barnet)
    assert (fresh(case).state, fresh(case).transferred_to) == ("closed", received)
    assert ComplaintLink.objects.filter(from_complaint=case, to_complaint=received, kind="transferred").exists()
    detail = officer_client.get(f"/cases/{case.reference}/").content.decode()
    assert "BAR-2026-00001: transferred to another body" in detail  # shown, not linked (another council)
    assert 'href="/cases/BAR-2026-00001/"' not in detail


# --- assign ----------------------------------------------------------------------
def test_assign_an_officer(officer_client, officer):
    case = stage1_case(officer)
    response = post_action(officer_client, case, "assign", {"officer": officer.pk})
    assert_done(officer_client, response, case, "LBD-2026-00001 assigned to Olu Officer")
    assert fresh(case).assigned_officer == officer


def test_assigning_the_stage1_handler_to_the_review_is_refused(officer_client, officer, manager):
    case = review_case(officer, manager)
    before = row_of(case)
    response = post_action(officer_client, case, "assign", {"officer": officer.pk})
    assert_refused(response, "Olu Officer handled stage1 of LBD-2026-00001, so cannot review it at stage2: the "
                             "reviewer must not be anyone who handled the earlier stage", case, before)


def test_assigning_someone_from_another_council_is_not_offered(officer_client, officer):
    case = stage1_case(officer)
    outsider = staff("barnet")
    response = post_action(officer_client, case, "assign", {"officer": outsider.pk})
    assert response.status_code == 200
    assert fresh(case).assigned_officer is None
    assert "Select a valid choice" in response.content.decode()
