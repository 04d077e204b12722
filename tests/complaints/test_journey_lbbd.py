"""London Borough of Barking and Dagenham: journeys through the services.

Dates are counted by hand on a 2026 calendar. "Within N working days of D":
D is day 0, the deadline is the N-th working day after D, skipping weekends
and England's bank holidays (2026: 1 Jan, 3 Apr, 6 Apr, 4 May, 25 May,
31 Aug, 25 Dec, 28 Dec). Mon 18 May 2026 is a Monday; Mon 25 May is the
spring bank holiday; June and July have none. Times are London (BST).
"""

import datetime as dt

import pytest

from complaints.models import CaseStage, Complainant, Complaint, Consent, Deadline, Extension, State
from complaints.services.errors import PolicyGuardFailed, TransitionRefused
from complaints.services.holds import complaint_record_consent, complaint_resume
from complaints.services.intake import (
    ComplainantDetails,
    ComplaintDetails,
    RepresentativeDetails,
    complaint_create,
    complaint_triage,
)
from complaints.services.lifecycle import (
    complaint_assign,
    complaint_close,
    complaint_escalate,
    complaint_refuse,
    complaint_withdraw,
)
from complaints.services.stage_work import ResponseDetails, complaint_acknowledge, complaint_extend, complaint_respond
from tests.complaints.journeys import dues, history, row
from tests.factories import council, london, make_complaint, staff

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat





def answer(outcome="upheld", findings="The housing benefit letter was sent to the wrong address."):
    return ResponseDetails(outcome=outcome, findings=findings)


def acknowledged_stage1(officer):
    """Received Mon 18 May 2026, acknowledged Wed 20 May: respond by Thu 4 Jun, cap Thu 18 Jun."""
    case = make_complaint("lbbd", "2026-05-18T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-05-18T11:00"))
    return complaint_acknowledge(complaint=case, by=officer, at=london("2026-05-20T09:00"))


def answered_stage1(officer, investigator):
    """As above, answered Wed 3 Jun 2026: the review must be asked by Wed 1 Jul."""
    case = acknowledged_stage1(officer)
    return complaint_respond(complaint=case, by=investigator, details=answer(), at=london("2026-06-03T15:00"))


# --- the happy path ---------------------------------------------------------
def test_lbbd_happy_path_stage1_then_review_then_closed_with_hand_counted_deadlines_and_history():
    officer = staff("lbbd", first_name="Olu", last_name="Officer")
    investigator = staff("lbbd")
    reviewer = staff("lbbd", role="complaints_manager")

    case = complaint_create(
        council=council("lbbd"), by=officer, received_at=london("2026-05-18T10:00"),
        details=ComplaintDetails(summary="Housing benefit letter sent to the wrong address"),
        complainant=ComplainantDetails(name="Pat Resident", complainant_type="resident"),
    )
    assert (case.reference, case.state) == ("LBD-2026-00001", State.NEW)

    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-05-18T11:00"))
    assert case.state == State.STAGE1
    # Acknowledge within 5 wd of Mon 18 May: Tue 19 .. Fri 22 (4), Mon 25 bank holiday, Tue 26 (5) -> Tue 26 May.
    # Respond 10 wd after acknowledgement, provisional from Tue 26 May: Wed 27 .. Fri 29 (3),
    # 1-5 Jun (8), Mon 8, Tue 9 (10) -> Tue 9 Jun. Cap 20 wd: 10-12 (13), 15-19 (18), Mon 22, Tue 23 (20) -> Tue 23 Jun.
    assert dues(case, "stage1") == {"acknowledge": D("2026-05-26"), "respond": D("2026-06-09")}
    assert (row(case, "stage1", "respond").provisional, row(case, "stage1", "respond").cap_date) == (
        True, D("2026-06-23"))

    case = complaint_acknowledge(complaint=case, by=officer, at=london("2026-05-20T09:00"))
    # Acknowledged Wed 20 May: Thu 21, Fri 22 (2), [Mon 25 holiday], Tue 26 .. Fri 29 (6), Mon 1 .. Thu 4 Jun (10)
    # -> Thu 4 Jun. Cap 20 wd: Fri 5 (11), 8-12 (16), Mon 15 .. Thu 18 (20) -> Thu 18 Jun.
    assert dues(case, "stage1") == {"acknowledge": D("2026-05-26"), "respond": D("2026-06-04")}
    assert (row(case, "stage1", "respond").provisional, row(case, "stage1", "respond").cap_date) == (
        False, D("2026-06-18"))

    case = complaint_respond(complaint=case, by=investigator, details=answer(), at=london("2026-06-03T15:00"))
    assert case.state == State.STAGE1_RESPONDED
    # Review asked within 28 days of the response Wed 3 Jun -> Wed 1 Jul.
    assert dues(case, "stage1")["escalate"] == D("2026-07-01")

    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-15T10:00"), reviewer=reviewer)
    assert (case.state, case.stage, case.assigned_officer) == (State.STAGE2, "stage2", reviewer)
    # Requested Mon 15 Jun: acknowledge Tue 16 .. Fri 19 (4), Mon 22 (5) -> Mon 22 Jun.
    # Respond 20 wd, provisional from Mon 22 Jun: 23-26 (4), 29 Jun-3 Jul (9), 6-10 (14), 13-17 (19), Mon 20 Jul.
    # Cap 40 wd: 21-24 Jul (24), 27-31 (29), 3-7 Aug (34), 10-14 (39), Mon 17 Aug (40).
    assert dues(case, "stage2") == {"acknowledge": D("2026-06-22"), "respond": D("2026-07-20")}
    assert row(case, "stage2", "respond").cap_date == D("2026-08-17")

    case = complaint_acknowledge(complaint=case, by=reviewer, at=london("2026-06-17T09:00"))
    # Acknowledged Wed 17 Jun: Thu 18, Fri 19 (2), 22-26 (7), 29 Jun-3 Jul (12), 6-10 (17), Mon 13 .. Wed 15 Jul (20).
    # Cap 40: Thu 16, Fri 17 (22), 20-24 (27), 27-31 (32), 3-7 Aug (37), Mon 10 .. Wed 12 Aug (40).
    assert dues(case, "stage2") == {"acknowledge": D("2026-06-22"), "respond": D("2026-07-15")}
    assert row(case, "stage2", "respond").cap_date == D("2026-08-12")

    case = complaint_respond(complaint=case, by=reviewer, details=answer("partly_upheld"),
                             at=london("2026-07-14T12:00"))
    assert case.state == State.STAGE2_RESPONDED
    case = complaint_close(complaint=case, by=officer, at=london("2026-07-15T09:00"), reason="Review sent")
    assert (case.state, case.closed_after_stage) == (State.CLOSED, "stage2")
    assert not Deadline.objects.filter(complaint=case, met_at__isnull=True, cancelled_at__isnull=True).exists()

    assert history(case) == [
        (officer, "received", State.NEW),
        (officer, "triaged:stage1", State.STAGE1),
        (officer, "acknowledged:stage1", State.STAGE1),
        (investigator, "responded:stage1:2026-06-03: upheld", State.STAGE1_RESPONDED),
        (officer, "escalated:stage2", State.STAGE2),
        (reviewer, "acknowledged:stage2", State.STAGE2),
        (reviewer, "responded:stage2:2026-07-14: partly_upheld", State.STAGE2_RESPONDED),
        (officer, "closed: Review sent", State.CLOSED),
    ]


# --- section 4 (Review): 28 days to ask -------------------------------------
def test_lbbd_review_asked_on_day_28_is_accepted():
    officer, investigator, reviewer = staff("lbbd"), staff("lbbd"), staff("lbbd")
    case = answered_stage1(officer, investigator)
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-01T23:00"), reviewer=reviewer)
    assert case.state == State.STAGE2


def test_lbbd_review_asked_after_28_days_is_refused_then_accepted_with_a_recorded_reason():
    officer, investigator, reviewer = staff("lbbd"), staff("lbbd"), staff("lbbd")
    case = answered_stage1(officer, investigator)
    version = case.version
    # 23:30 UTC on Wed 1 Jul is 00:30 BST on Thu 2 Jul: a day late.
    late = dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)
    with pytest.raises(PolicyGuardFailed) as refused:
        complaint_escalate(complaint=case, by=officer, requested_at=late, reviewer=reviewer)
    assert refused.value.message == (
        "The request on 2026-07-02 is after the last day to ask, 2026-07-01 (section 4 (Review)); "
        "an officer may accept it with a recorded reason"
    )
    case.refresh_from_db()
    assert (case.state, case.version) == (State.STAGE1_RESPONDED, version)

    with pytest.raises(PolicyGuardFailed):
        complaint_escalate(complaint=case, by=officer, requested_at=late, reviewer=reviewer, discretion_reason="   ")

    reason = "Request posted on 30 June and delivered late by Royal Mail (section 8 discretion)"
    case = complaint_escalate(complaint=case, by=officer, requested_at=late, reviewer=reviewer,
                              discretion_reason=reason)
    assert case.state == State.STAGE2
    assert CaseStage.objects.get(complaint=case, stage="stage2").escalation_discretion_reason == reason
    assert history(case)[-1] == (officer, f"escalated:stage2: {reason}", State.STAGE2)
    # Requested Thu 2 Jul: Fri 3, Mon 6 .. Thu 9 -> acknowledge by Thu 9 Jul.
    assert dues(case, "stage2")["acknowledge"] == D("2026-07-09")


# --- section 4: extension caps ----------------------------------------------
def test_lbbd_stage1_extension_up_to_20_working_days_then_only_with_the_complainants_agreement():
    officer = staff("lbbd")
    case = acknowledged_stage1(officer)
    told = london("2026-06-01T10:00")
    deadline = complaint_extend(complaint=case, by=officer, new_date=D("2026-06-18"), complainant_told_at=told,
                                reason="Waiting for the benefits team's records")
    assert (deadline.due_date, deadline.original_due_date, deadline.cap_date, deadline.extensions) == (
        D("2026-06-18"), D("2026-06-04"), D("2026-06-18"), 1)

    case.refresh_from_db()
    version = case.version
    with pytest.raises(PolicyGuardFailed) as refused:
        complaint_extend(complaint=case, by=officer, new_date=D("2026-06-19"), complainant_told_at=told,
                         reason="Still waiting")
    assert refused.value.message == (
        "2026-06-19 is past the policy's limit of 2026-06-18 (section 4 (Stage 1 Complaint)): "
        "record the complainant's agreement to go further"
    )
    case.refresh_from_db()
    assert case.version == version
    assert row(case, "stage1", "respond").due_date == D("2026-06-18")
    assert Extension.objects.filter(deadline__complaint=case).count() == 1

    deadline = complaint_extend(complaint=case, by=officer, new_date=D("2026-07-03"), complainant_told_at=told,
                                reason="Still waiting; complainant agreed by phone", complainant_agreed=True)
    assert (deadline.due_date, deadline.extensions) == (D("2026-07-03"), 2)
    latest = Extension.objects.filter(deadline=deadline).latest("pk")
    assert (latest.from_date, latest.to_date, latest.agreed_by_complainant) == (D("2026-06-18"), D("2026-07-03"), True)


def test_lbbd_review_extension_up_to_40_working_days_then_only_with_agreement():
    officer, investigator, reviewer = staff("lbbd"), staff("lbbd"), staff("lbbd")
    case = answered_stage1(officer, investigator)
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-15T10:00"), reviewer=reviewer)
    case = complaint_acknowledge(complaint=case, by=reviewer, at=london("2026-06-17T09:00"))
    told = london("2026-07-10T10:00")
    # Cap is Wed 12 Aug (40 wd after Wed 17 Jun, counted in the happy path).
    with pytest.raises(PolicyGuardFailed, match=r"2026-08-13 is past the policy's limit of 2026-08-12 \(section 4"):
        complaint_extend(complaint=case, by=reviewer, new_date=D("2026-08-13"), complainant_told_at=told,
                         reason="Independent evidence needed")
    deadline = complaint_extend(complaint=case, by=reviewer, new_date=D("2026-08-12"), complainant_told_at=told,
                                reason="Independent evidence needed")
    assert deadline.due_date == D("2026-08-12")
    deadline = complaint_extend(complaint=case, by=reviewer, new_date=D("2026-08-13"), complainant_told_at=told,
                                reason="Agreed one more day", complainant_agreed=True)
    assert deadline.due_date == D("2026-08-13")


# --- section 4 (Review): the reviewer did not work on Stage 1 ----------------
def test_lbbd_reviewer_must_not_have_worked_on_stage1_at_escalation_or_by_assignment():
    officer = staff("lbbd", first_name="Olu", last_name="Officer")
    investigator, reviewer = staff("lbbd"), staff("lbbd")
    case = answered_stage1(officer, investigator)
    with pytest.raises(PolicyGuardFailed, match=f"Olu Officer handled stage1 of {case.reference}"):
        complaint_escalate(complaint=case, by=investigator, requested_at=london("2026-06-15T10:00"), reviewer=officer)
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-15T10:00"), reviewer=reviewer)
    version = case.version
    with pytest.raises(PolicyGuardFailed, match=f"handled stage1 of {case.reference}, so cannot review it at stage2"):
        complaint_assign(complaint=case, by=reviewer, officer=investigator)
    case.refresh_from_db()
    assert (case.assigned_officer, case.version) == (reviewer, version)


# --- sections 4 and 7: representatives and consent ---------------------------
@pytest.mark.parametrize("role", ["mp", "councillor"])
def test_lbbd_section_7_mps_and_councillors_cannot_complain_for_a_constituent(role):
    with pytest.raises(PolicyGuardFailed) as refused:
        make_complaint("lbbd", "2026-06-01T10:00",
                       representative=RepresentativeDetails(name="Jo Member", relationship="elected member", role=role))
    assert refused.value.message == (
        f"Barking and Dagenham Council does not accept formal complaints from a {role} on someone's behalf "
        "(section 4 (Stage 1 Complaint); section 7): A Member of Parliament or Councillor cannot make a formal "
        "complaint on a constituent's behalf; the Council has a separate process for residents who escalate their "
        "issues through their MP or Councillor (section 7)."
    )
    assert Complaint.objects.count() == 0
    assert Complainant.objects.count() == 0


def test_lbbd_representative_without_written_consent_is_held_and_consent_moves_the_deadlines_later():
    officer = staff("lbbd")
    friend = RepresentativeDetails(name="Sam Friend", relationship="friend", role="friend")
    case = make_complaint("lbbd", "2026-05-18T10:00", representative=friend)
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-05-18T11:00"))
    assert (case.state, case.stage, case.held_from, case.held_since) == (
        State.ON_HOLD, "stage1", State.STAGE1, D("2026-05-18"))
    assert history(case)[-1] == (officer, "triaged:stage1", State.ON_HOLD)
    # Same dates as an ordinary case received Mon 18 May, but paused.
    assert dues(case, "stage1") == {"acknowledge": D("2026-05-26"), "respond": D("2026-06-09")}
    assert row(case, "stage1", "respond").cap_date == D("2026-06-23")
    assert set(Deadline.objects.filter(complaint=case).values_list("paused", flat=True)) == {True}

    version = case.version
    with pytest.raises(TransitionRefused, match=f"{case.reference} is on hold: no stage is being worked"):
        complaint_respond(complaint=case, by=officer, details=answer(), at=london("2026-05-20T10:00"))
    with pytest.raises(TransitionRefused):
        complaint_acknowledge(complaint=case, by=officer, at=london("2026-05-20T10:00"))
    with pytest.raises(PolicyGuardFailed) as refused:
        complaint_resume(complaint=case, by=officer, at=london("2026-05-20T10:00"))
    assert refused.value.message == (
        f"{case.reference} cannot proceed until the complainant's consent is recorded "
        "(section 4 (Stage 1 Complaint); section 7)"
    )
    case.refresh_from_db()
    assert (case.state, case.version) == (State.ON_HOLD, version)

    case = complaint_record_consent(complaint=case, by=officer, received_on=D("2026-05-28"),
                                    evidence="Signed consent form received by post", at=london("2026-05-28T10:00"))
    assert (case.state, case.consent, case.consent_received_on, case.held_from, case.held_since) == (
        State.STAGE1, Consent.RECEIVED, D("2026-05-28"), "", None)
    assert history(case)[-1] == (officer, "consent_received: Signed consent form received by post", State.STAGE1)
    # On hold from Mon 18 May to Thu 28 May: Tue 19 .. Fri 22 (4), [Mon 25 holiday], Tue 26, Wed 27, Thu 28 (7)
    # -> 7 working days. Acknowledge Tue 26 May + 7 wd: 27, 28, 29 (3), 1-4 Jun (7) -> Thu 4 Jun.
    # Respond Tue 9 Jun + 7: 10, 11, 12 (3), 15-18 (7) -> Thu 18 Jun. Cap Tue 23 Jun + 7: 24-26 (3), 29, 30, 1, 2 Jul.
    assert dues(case, "stage1") == {"acknowledge": D("2026-06-04"), "respond": D("2026-06-18")}
    assert row(case, "stage1", "respond").cap_date == D("2026-07-02")
    assert set(Deadline.objects.filter(complaint=case).values_list("paused", flat=True)) == {False}
    assert "Moved 7 working days later: on hold from 2026-05-18 to 2026-05-28." in row(
        case, "stage1", "acknowledge").explanation

    case = complaint_acknowledge(complaint=case, by=officer, at=london("2026-05-29T09:00"))
    # Acknowledged Fri 29 May: 10 wd -> 1-5 Jun (5), 8-12 (10) -> Fri 12 Jun; cap 20 wd -> 15-19 (15), 22-26 (20).
    assert dues(case, "stage1") == {"acknowledge": D("2026-06-04"), "respond": D("2026-06-12")}
    assert row(case, "stage1", "respond").cap_date == D("2026-06-26")
    case = complaint_respond(complaint=case, by=officer, details=answer(), at=london("2026-06-11T10:00"))
    assert case.state == State.STAGE1_RESPONDED


def test_lbbd_representative_with_consent_already_given_is_not_held():
    officer = staff("lbbd")
    friend = RepresentativeDetails(name="Sam Friend", relationship="friend", role="friend", consent=Consent.RECEIVED,
                                   consent_received_on=D("2026-05-15"), consent_evidence="Signed form attached")
    case = make_complaint("lbbd", "2026-05-18T10:00", representative=friend)
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-05-18T11:00"))
    assert case.state == State.STAGE1
    assert set(Deadline.objects.filter(complaint=case).values_list("paused", flat=True)) == {False}


# --- section 6: refusal; withdrawal ------------------------------------------
def test_lbbd_section_6_refusal_needs_a_reason_and_signposting():
    officer = staff("lbbd")
    case = make_complaint("lbbd", "2026-05-18T10:00", summary="My parking ticket was wrong")
    exclusion = next(e for e in case.policy.exclusions if e.key == "appeal_or_legal_remedy")
    with pytest.raises(PolicyGuardFailed, match="needs a reason and signposting"):
        complaint_refuse(complaint=case, by=officer, reason="Parking ticket", signposting="")
    case.refresh_from_db()
    assert (case.state, case.version) == (State.NEW, 1)
    case = complaint_refuse(complaint=case, by=officer, reason="Penalty Charge Notice: statutory appeal (section 6)",
                            signposting=exclusion.signposting)
    assert (case.state, case.signposting) == (State.REFUSED, exclusion.signposting)
    assert history(case)[-1] == (officer, "refused: Penalty Charge Notice: statutory appeal (section 6)",
                                 State.REFUSED)


def test_lbbd_withdrawal_during_the_review_cancels_its_open_deadlines():
    officer, investigator, reviewer = staff("lbbd"), staff("lbbd"), staff("lbbd")
    case = answered_stage1(officer, investigator)
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-15T10:00"), reviewer=reviewer)
    at = london("2026-06-16T10:00")
    case = complaint_withdraw(complaint=case, by=officer, reason="Complainant satisfied after a call", at=at)
    assert case.state == State.WITHDRAWN
    assert [(r.kind, r.cancelled_at) for r in Deadline.objects.filter(complaint=case, stage="stage2")
            .order_by("kind")] == [("acknowledge", at), ("respond", at)]
    # Stage 1 rows were met before; they stay met, not cancelled.
    assert not Deadline.objects.filter(complaint=case, stage="stage1", cancelled_at__isnull=False).exists()
