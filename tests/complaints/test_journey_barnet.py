"""London Borough of Barnet: journeys through the services, one test per rule.

Dates are counted by hand on a 2026 calendar. "Within N working days of D":
D is day 0, the deadline is the N-th working day after D, skipping weekends
and England's bank holidays (2026: 1 Jan, 3 Apr, 6 Apr, 4 May, 25 May,
31 Aug, 25 Dec, 28 Dec). Mon 1 Jun 2026 is a Monday; June and July 2026 have
no bank holidays. All times are London (BST in these months).
"""

import datetime as dt

import pytest
from django.utils import timezone

from complaints.models import CaseStage, Complaint, ComplaintLink, Deadline, Extension, LinkKind, State
from complaints.services.errors import PolicyGuardFailed
from complaints.services.intake import (
    ComplainantDetails,
    ComplaintDetails,
    complaint_create,
    complaint_transfer,
    complaint_triage,
)
from complaints.services.lifecycle import (
    complaint_assign,
    complaint_close,
    complaint_escalate,
    complaint_make_formal,
    complaint_refuse,
    complaint_reopen,
    complaint_resolve_informally,
    complaint_withdraw,
)
from complaints.services.stage_work import ResponseDetails, complaint_acknowledge, complaint_extend, complaint_respond
from deadlines.calendar import london_date
from tests.complaints.journeys import dues, history, row
from tests.factories import council, london, make_complaint, service_area, staff

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat





def answer(outcome="upheld", findings="We missed three collections; crews now check the round sheet."):
    return ResponseDetails(outcome=outcome, findings=findings)


def receive(received, by, **kwargs):
    return complaint_create(
        council=council("barnet"), by=by, received_at=london(received),
        details=ComplaintDetails(summary="Bins not collected for three weeks", **kwargs),
        complainant=ComplainantDetails(name="Alex Resident", email="alex@example.org", complainant_type="resident"),
    )


def answered_stage1(officer, investigator):
    """Received Mon 1 Jun, acknowledged Wed 3 Jun, answered Tue 16 Jun 2026."""
    case = make_complaint("barnet", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    case = complaint_acknowledge(complaint=case, by=officer, at=london("2026-06-03T09:00"))
    return complaint_respond(complaint=case, by=investigator, details=answer(), at=london("2026-06-16T15:00"))


# --- the happy path ---------------------------------------------------------
def test_barnet_happy_path_stage1_then_review_then_closed_with_hand_counted_deadlines_and_history():
    officer = staff("barnet", first_name="Olive", last_name="Officer")
    investigator = staff("barnet", first_name="Ian", last_name="Investigator")
    reviewer = staff("barnet", role="complaints_manager", first_name="Sue", last_name="Senior")

    case = receive("2026-06-01T10:00", officer)
    assert (case.reference, case.state, case.stage) == ("BAR-2026-00001", State.NEW, "")
    assert not Deadline.objects.filter(complaint=case).exists()

    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"),
                            reason="Formal complaint about missed collections")
    assert (case.state, case.stage) == (State.STAGE1, "stage1")
    # 1.25 acknowledge within 5 wd of receipt Mon 1 Jun: Tue 2, Wed 3, Thu 4, Fri 5, Mon 8 -> Mon 8 Jun.
    # 1.28 respond 10 wd of acknowledgement; not yet sent, so provisional from Mon 8 Jun:
    # Tue 9 .. Fri 12 (4), Mon 15 .. Fri 19 (9), Mon 22 (10) -> Mon 22 Jun.
    assert dues(case, "stage1") == {"acknowledge": D("2026-06-08"), "respond": D("2026-06-22")}
    assert row(case, "stage1", "respond").provisional is True
    assert row(case, "stage1", "respond").cap_date is None  # 1.35: no cap

    case = complaint_acknowledge(complaint=case, by=officer, at=london("2026-06-03T09:00"))
    assert case.state == State.STAGE1
    # Acknowledged Wed 3 Jun: Thu 4, Fri 5 (2), Mon 8 .. Fri 12 (7), Mon 15, Tue 16, Wed 17 (10) -> Wed 17 Jun.
    assert dues(case, "stage1") == {"acknowledge": D("2026-06-08"), "respond": D("2026-06-17")}
    assert row(case, "stage1", "respond").provisional is False
    assert row(case, "stage1", "acknowledge").met_at == london("2026-06-03T09:00")

    case = complaint_respond(complaint=case, by=investigator, details=answer("partly_upheld"),
                             at=london("2026-06-16T15:00"))
    assert case.state == State.STAGE1_RESPONDED
    # 1.43 review asked within one month of the decision, Tue 16 Jun -> Thu 16 Jul.
    assert dues(case, "stage1") == {"acknowledge": D("2026-06-08"), "respond": D("2026-06-17"),
                                    "escalate": D("2026-07-16")}
    assert row(case, "stage1", "respond").met_at == london("2026-06-16T15:00")
    assert row(case, "stage1", "escalate").met_at is None

    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-01T10:00"), reviewer=reviewer)
    assert (case.state, case.stage, case.assigned_officer) == (State.STAGE2, "stage2", reviewer)
    assert row(case, "stage1", "escalate").met_at == london("2026-07-01T10:00")
    # Review requested Wed 1 Jul. 1.25: Thu 2, Fri 3, Mon 6, Tue 7, Wed 8 -> Wed 8 Jul.
    # 1.31 respond 20 wd of acknowledgement, provisional from Wed 8 Jul: Thu 9, Fri 10 (2),
    # 13-17 Jul (7), 20-24 Jul (12), 27-31 Jul (17), Mon 3, Tue 4, Wed 5 Aug (20) -> Wed 5 Aug.
    assert dues(case, "stage2") == {"acknowledge": D("2026-07-08"), "respond": D("2026-08-05")}
    assert row(case, "stage2", "respond").provisional is True

    case = complaint_acknowledge(complaint=case, by=reviewer, at=london("2026-07-02T09:00"))
    # Acknowledged Thu 2 Jul: Fri 3 (1), 6-10 Jul (6), 13-17 (11), 20-24 (16), Mon 27 .. Thu 30 (20) -> Thu 30 Jul.
    assert dues(case, "stage2") == {"acknowledge": D("2026-07-08"), "respond": D("2026-07-30")}

    case = complaint_respond(complaint=case, by=reviewer, details=answer("not_upheld"), at=london("2026-07-28T16:00"))
    assert case.state == State.STAGE2_RESPONDED
    assert dues(case, "stage2") == {"acknowledge": D("2026-07-08"), "respond": D("2026-07-30")}  # no third stage

    case = complaint_close(complaint=case, by=officer, at=london("2026-07-29T09:00"),
                           reason="Review answered; told about the Ombudsman")
    assert (case.state, case.closed_after_stage) == (State.CLOSED, "stage2")
    assert not Deadline.objects.filter(complaint=case, met_at__isnull=True, cancelled_at__isnull=True).exists()
    assert case.version == 8

    assert history(case) == [
        (officer, "received", State.NEW),
        (officer, "triaged:stage1: Formal complaint about missed collections", State.STAGE1),
        (officer, "acknowledged:stage1", State.STAGE1),
        (investigator, "responded:stage1:2026-06-16: partly_upheld", State.STAGE1_RESPONDED),
        (officer, "escalated:stage2", State.STAGE2),
        (reviewer, "acknowledged:stage2", State.STAGE2),
        (reviewer, "responded:stage2:2026-07-28: not_upheld", State.STAGE2_RESPONDED),
        (officer, "closed: Review answered; told about the Ombudsman", State.CLOSED),
    ]


# --- 1.43 escalation window ------------------------------------------------
def test_barnet_1_43_review_asked_on_the_last_day_of_the_month_is_accepted():
    officer, investigator, reviewer = staff("barnet"), staff("barnet"), staff("barnet")
    case = answered_stage1(officer, investigator)
    # Answered Tue 16 Jun; one month later is Thu 16 Jul, the last day.
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-16T17:00"), reviewer=reviewer)
    assert case.state == State.STAGE2
    assert CaseStage.objects.get(complaint=case, stage="stage2").escalation_discretion_reason == ""


def test_barnet_1_43_review_asked_after_one_month_is_refused_then_accepted_with_a_recorded_reason():
    officer, investigator, reviewer = staff("barnet"), staff("barnet"), staff("barnet")
    case = answered_stage1(officer, investigator)
    version = case.version

    with pytest.raises(PolicyGuardFailed) as refused:
        complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-17T09:00"), reviewer=reviewer)
    assert refused.value.message == (
        "The request on 2026-07-17 is after the last day to ask, 2026-07-16 (1.43); "
        "an officer may accept it with a recorded reason"
    )
    case.refresh_from_db()
    assert (case.state, case.version) == (State.STAGE1_RESPONDED, version)
    assert not CaseStage.objects.filter(complaint=case, stage="stage2").exists()

    reason = "Complainant was in hospital from 10 to 20 July; letter from the ward attached to the file"
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-17T09:00"), reviewer=reviewer,
                              discretion_reason=reason)
    assert case.state == State.STAGE2
    assert CaseStage.objects.get(complaint=case, stage="stage2").escalation_discretion_reason == reason
    assert history(case)[-1] == (officer, f"escalated:stage2: {reason}", State.STAGE2)
    # Requested Fri 17 Jul: Mon 20 .. Fri 24 Jul -> acknowledge by Fri 24 Jul (1.25).
    assert dues(case, "stage2")["acknowledge"] == D("2026-07-24")


# --- 1.35 extensions: no cap -------------------------------------------------
def test_barnet_1_35_extension_has_no_cap_and_is_recorded_with_reason_and_notice():
    officer = staff("barnet")
    case = make_complaint("barnet", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    case = complaint_acknowledge(complaint=case, by=officer, at=london("2026-06-03T09:00"))
    assert row(case, "stage1", "respond").due_date == D("2026-06-17")

    told = london("2026-06-15T12:00")
    deadline = complaint_extend(complaint=case, by=officer, new_date=D("2026-09-30"), complainant_told_at=told,
                                reason="Three services involved (1.35)")
    assert (deadline.due_date, deadline.original_due_date, deadline.extensions, deadline.cap_date) == (
        D("2026-09-30"), D("2026-06-17"), 1, None)
    record = Extension.objects.get(deadline=deadline)
    assert (record.from_date, record.to_date, record.reason, record.agreed_by_complainant,
            record.complainant_told_at, record.granted_by) == (
        D("2026-06-17"), D("2026-09-30"), "Three services involved (1.35)", False, told, officer)
    case.refresh_from_db()
    assert history(case)[-1] == (officer, "extended:stage1: Three services involved (1.35)", State.STAGE1)


# --- 1.30 reviewer independence ---------------------------------------------
def test_barnet_1_30_review_cannot_be_done_by_someone_who_handled_stage1():
    officer = staff("barnet")
    investigator = staff("barnet", first_name="Ian", last_name="Investigator")
    case = answered_stage1(officer, investigator)
    version = case.version
    with pytest.raises(PolicyGuardFailed) as refused:
        complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-01T10:00"), reviewer=investigator)
    assert refused.value.message == (
        f"Ian Investigator handled stage1 of {case.reference}, so cannot review it at stage2: "
        "the reviewer must not be anyone who handled the earlier stage"
    )
    case.refresh_from_db()
    assert (case.state, case.version) == (State.STAGE1_RESPONDED, version)


def test_barnet_1_30_an_officer_assigned_during_stage1_cannot_review_even_if_they_did_nothing_else():
    officer, investigator, reviewer = staff("barnet"), staff("barnet"), staff("barnet")
    case = make_complaint("barnet", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    assigned = staff("barnet", first_name="Ada", last_name="Assigned")
    case = complaint_assign(complaint=case, by=officer, officer=assigned)
    case = complaint_assign(complaint=case, by=officer, officer=investigator)
    case = complaint_respond(complaint=case, by=investigator, details=answer(), at=london("2026-06-16T15:00"))
    with pytest.raises(PolicyGuardFailed, match="Ada Assigned handled stage1"):
        complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-01T10:00"), reviewer=assigned)
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-01T10:00"), reviewer=reviewer)
    assert case.assigned_officer == reviewer


def test_barnet_1_30_assigning_a_stage1_handler_to_the_review_is_refused():
    officer = staff("barnet", first_name="Olive", last_name="Officer")
    investigator, reviewer, other = staff("barnet"), staff("barnet"), staff("barnet")
    case = answered_stage1(officer, investigator)
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-01T10:00"), reviewer=reviewer)
    version = case.version
    with pytest.raises(PolicyGuardFailed) as refused:
        complaint_assign(complaint=case, by=reviewer, officer=officer)
    assert refused.value.message.startswith(f"Olive Officer handled stage1 of {case.reference}")
    case.refresh_from_db()
    assert (case.assigned_officer, case.version) == (reviewer, version)
    case = complaint_assign(complaint=case, by=reviewer, officer=other)
    assert case.assigned_officer == other


# --- 1.24 informal resolution (48 hours) ------------------------------------
def test_barnet_1_24_informal_resolved_within_48_hours():
    officer = staff("barnet")
    case = make_complaint("barnet", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="informal", at=london("2026-06-01T10:30"))
    assert (case.state, case.stage) == (State.INFORMAL, "informal")
    # 48 elapsed hours from Mon 1 Jun 10:00 -> Wed 3 Jun 10:00.
    assert dues(case, "informal") == {"respond": D("2026-06-03")}
    case = complaint_resolve_informally(complaint=case, by=officer, at=london("2026-06-02T16:00"),
                                        reason="Missed bins collected; crew briefed")
    assert (case.state, case.closed_after_stage) == (State.CLOSED, "informal")
    assert row(case, "informal", "respond").met_at == london("2026-06-02T16:00")
    assert history(case)[-1] == (officer, "resolved_informally: Missed bins collected; crew briefed", State.CLOSED)
    assert not Deadline.objects.filter(complaint=case, stage="stage1").exists()


def test_barnet_1_24_not_resolved_informally_becomes_stage1_counted_from_the_original_receipt():
    officer = staff("barnet")
    case = make_complaint("barnet", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="informal", at=london("2026-06-01T10:30"))
    case = complaint_make_formal(complaint=case, by=officer, at=london("2026-06-04T09:00"),
                                 reason="Not resolved within 48 hours")
    assert (case.state, case.stage) == (State.STAGE1, "stage1")
    assert CaseStage.objects.get(complaint=case, stage="stage1").started_at == london("2026-06-01T10:00")
    # From receipt Mon 1 Jun (not from Thu 4 Jun, which would give Thu 11 Jun): ack Mon 8 Jun;
    # respond provisional 10 wd after Mon 8 Jun -> Mon 22 Jun.
    assert dues(case, "stage1") == {"acknowledge": D("2026-06-08"), "respond": D("2026-06-22")}
    assert row(case, "informal", "respond").met_at == london("2026-06-04T09:00")
    assert history(case)[-1] == (officer, "made_formal: Not resolved within 48 hours", State.STAGE1)


# --- 1.33 no reopening after both stages -----------------------------------
def test_barnet_1_33_a_case_closed_after_the_review_cannot_be_reopened():
    officer, investigator, reviewer = staff("barnet"), staff("barnet"), staff("barnet")
    case = answered_stage1(officer, investigator)
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-01T10:00"), reviewer=reviewer)
    case = complaint_respond(complaint=case, by=reviewer, details=answer("not_upheld"), at=london("2026-07-20T10:00"))
    case = complaint_close(complaint=case, by=officer, at=london("2026-07-21T10:00"))
    version, count = case.version, case.history.count()
    with pytest.raises(PolicyGuardFailed) as refused:
        complaint_reopen(complaint=case, by=officer, reason="Complainant unhappy with the review")
    assert refused.value.message == (
        f"{case.reference} completed the stage2 stage; a case closed after the final stage "
        "cannot be reopened on the same matters (1.33)"
    )
    case.refresh_from_db()
    assert (case.state, case.version, case.history.count()) == (State.CLOSED, version, count)


def test_barnet_1_33_a_case_closed_after_stage1_only_can_be_reopened_to_ask_for_the_review():
    officer, investigator = staff("barnet"), staff("barnet")
    case = answered_stage1(officer, investigator)
    case = complaint_close(complaint=case, by=officer, at=london("2026-06-17T10:00"))
    assert case.closed_after_stage == "stage1"
    case = complaint_reopen(complaint=case, by=officer, reason="Complainant asked for a review in time")
    assert case.state == State.STAGE1_RESPONDED
    assert history(case)[-1] == (officer, "reopened: Complainant asked for a review in time", State.STAGE1_RESPONDED)


# --- refusal and withdrawal --------------------------------------------------
def test_barnet_1_11_refusal_needs_a_reason_and_signposting_and_cancels_the_open_deadlines():
    officer = staff("barnet")
    case = make_complaint("barnet", "2026-06-01T10:00", summary="Parking ticket was unfair")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    exclusion = next(e for e in case.policy.exclusions if e.key == "statutory_appeals")
    for reason, signposting in (("", exclusion.signposting), ("Statutory appeal route", ""), ("  ", "  ")):
        with pytest.raises(PolicyGuardFailed) as refused:
            complaint_refuse(complaint=case, by=officer, reason=reason, signposting=signposting)
        assert refused.value.message == "Refusing a complaint needs a reason and signposting (where to go instead)"
    case.refresh_from_db()
    assert case.state == State.STAGE1

    reason = "A Penalty Charge Notice has its own statutory appeal to the traffic tribunal (1.11)"
    at = london("2026-06-02T10:00")
    case = complaint_refuse(complaint=case, by=officer, reason=reason, signposting=exclusion.signposting, at=at)
    assert (case.state, case.refusal_reason, case.signposting) == (State.REFUSED, reason, exclusion.signposting)
    assert set(Deadline.objects.filter(complaint=case).values_list("cancelled_at", flat=True)) == {at}
    assert history(case)[-1] == (officer, f"refused: {reason}", State.REFUSED)


def test_barnet_withdrawal_cancels_the_open_deadlines_and_keeps_the_met_ones():
    officer = staff("barnet")
    case = make_complaint("barnet", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    case = complaint_acknowledge(complaint=case, by=officer, at=london("2026-06-03T09:00"))
    at = london("2026-06-05T10:00")
    case = complaint_withdraw(complaint=case, by=officer, reason="Complainant phoned: bins now collected", at=at)
    assert case.state == State.WITHDRAWN
    assert row(case, "stage1", "acknowledge").cancelled_at is None
    assert row(case, "stage1", "acknowledge").met_at == london("2026-06-03T09:00")
    assert row(case, "stage1", "respond").cancelled_at == at
    assert history(case)[-1] == (officer, "withdrawn: Complainant phoned: bins now collected", State.WITHDRAWN)


# --- 1.57 transfer of a Barnet Homes complaint to The Barnet Group ------------
def test_barnet_1_57_barnet_homes_complaint_transferred_to_the_barnet_group():
    officer = staff("barnet")
    tbg_officer = staff("barnet-group")
    homes = service_area("barnet", "Barnet Homes housing management", "social_housing")
    source = make_complaint("barnet", "2026-06-01T10:00", areas=[homes], summary="Barnet Homes ignored my repair")
    source = complaint_triage(complaint=source, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    source_history_before = history(source)

    at = london("2026-06-03T14:00")
    reason = "Barnet Homes has its own procedure (1.57)"
    receiving = complaint_transfer(complaint=source, by=officer, to_council=council("barnet-group"), at=at,
                                   reason=reason)

    source.refresh_from_db()
    assert (source.state, source.closed_after_stage, source.transferred_to) == (State.CLOSED, "stage1", receiving)
    assert set(Deadline.objects.filter(complaint=source).values_list("cancelled_at", flat=True)) == {at}
    assert history(source) == [*source_history_before, (officer, f"transferred:barnet-group: {reason}", State.CLOSED)]
    link = ComplaintLink.objects.get(from_complaint=source)
    assert (link.to_complaint, link.kind, link.created_by) == (receiving, LinkKind.TRANSFERRED, officer)

    assert receiving.council == council("barnet-group")
    assert receiving.reference == "TBG-2026-00001"
    assert receiving.policy_version.policy.slug == "barnet-group"
    assert (receiving.received_at, receiving.state, receiving.summary) == (at, State.NEW, source.summary)
    assert receiving.complainant.name == "Alex Resident" and receiving.complainant_id != source.complainant_id
    assert history(receiving) == [(officer, "received", State.NEW)]

    receiving = complaint_triage(complaint=receiving, by=tbg_officer, route="stage1", at=london("2026-06-03T15:00"))
    # Barnet Group policy, counted from receipt there on Wed 3 Jun: acknowledge 2 wd -> Fri 5 Jun;
    # reply 10 wd: Thu 4, Fri 5 (2), 8-12 (7), Mon 15, Tue 16, Wed 17 (10) -> Wed 17 Jun;
    # extension cap 20 wd: Thu 18, Fri 19 (12), 22-26 (17), Mon 29, Tue 30 Jun, Wed 1 Jul (20) -> Wed 1 Jul.
    assert dues(receiving, "stage1") == {"acknowledge": D("2026-06-05"), "respond": D("2026-06-17")}
    assert row(receiving, "stage1", "respond").cap_date == D("2026-07-01")
    # Source's own Barnet deadlines were different (ack Mon 8 Jun) and are kept, cancelled.
    assert dues(source, "stage1") == {"acknowledge": D("2026-06-08"), "respond": D("2026-06-22")}


def test_barnet_transfer_without_a_time_is_received_now_by_the_other_body():
    officer = staff("barnet")
    source = make_complaint("barnet", "2026-06-01T10:00")
    before = timezone.now()
    receiving = complaint_transfer(complaint=source, by=officer, to_council=council("barnet-group"),
                                   reason="Barnet Homes matter")
    after = timezone.now()
    assert before <= receiving.received_at <= after
    assert receiving.reference.startswith(f"TBG-{london_date(receiving.received_at).year}-")
    source.refresh_from_db()
    assert (source.state, source.transferred_to_id) == (State.CLOSED, receiving.pk)
    assert Complaint.objects.filter(council=council("barnet")).count() == 1
