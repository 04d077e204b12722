"""Brighton & Hove City Council: journeys through the services.

Dates are counted by hand on a 2026 calendar. "Within N working days of D":
D is day 0, the deadline is the N-th working day after D, skipping weekends
and England's bank holidays (2026: 1 Jan, 3 Apr, 6 Apr, 4 May, 25 May,
31 Aug, 25 Dec, 28 Dec). Mon 1 Jun 2026 is a Monday; June and July have no
bank holidays; Mon 31 Aug is the summer bank holiday. Times are London (BST).
"""

import datetime as dt

import pytest

from complaints.models import CaseStage, Deadline, State
from complaints.services.errors import PolicyGuardFailed
from complaints.services.intake import ComplainantDetails, ComplaintDetails, complaint_create, complaint_triage
from complaints.services.lifecycle import (
    complaint_assign,
    complaint_close,
    complaint_escalate,
    complaint_make_formal,
    complaint_refuse,
    complaint_resolve_informally,
    complaint_withdraw,
)
from complaints.services.stage_work import (
    ResponseDetails,
    complaint_acknowledge,
    complaint_extend,
    complaint_notify_department,
    complaint_respond,
)
from tests.complaints.journeys import dues, history, row
from tests.factories import council, london, make_complaint, staff

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat





def answer(outcome="upheld", findings="The missed assisted collection was not logged.", learning=""):
    return ResponseDetails(outcome=outcome, findings=findings, learning_points=learning)


# --- the happy path ---------------------------------------------------------
def test_brighton_hove_happy_path_stage1_stage2_closed_with_notify_department_and_history():
    officer = staff("brighton-hove")
    service = staff("brighton-hove", role="investigating_officer")
    manager = staff("brighton-hove", role="complaints_manager")

    case = complaint_create(
        council=council("brighton-hove"), by=officer, received_at=london("2026-06-01T10:00"),
        details=ComplaintDetails(summary="Assisted bin collection missed again"),
        complainant=ComplainantDetails(name="Morgan Resident", complainant_type="resident"),
    )
    assert (case.reference, case.state) == ("BHC-2026-00001", State.NEW)

    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    # From receipt Mon 1 Jun. Acknowledge in writing within 2 wd: Tue 2, Wed 3 -> Wed 3 Jun.
    # Reply within 10 wd of receipt: Tue 2 .. Fri 5 (4), 8-12 (9), Mon 15 (10) -> Mon 15 Jun.
    assert dues(case, "stage1") == {"acknowledge": D("2026-06-03"), "respond": D("2026-06-15")}
    assert row(case, "stage1", "respond").provisional is False

    case = complaint_acknowledge(complaint=case, by=officer, at=london("2026-06-02T09:00"))
    assert dues(case, "stage1") == {"acknowledge": D("2026-06-03"), "respond": D("2026-06-15")}

    case = complaint_respond(complaint=case, by=service, at=london("2026-06-12T15:00"),
                             details=answer(learning="Add assisted collections to the crew's tablet"))
    assert case.state == State.STAGE1_RESPONDED
    assert case.outcomes.get(stage="stage1").learning_points == "Add assisted collections to the crew's tablet"

    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-22T10:00"), reviewer=manager)
    assert (case.state, case.assigned_officer) == (State.STAGE2, manager)
    # Requested Mon 22 Jun. Acknowledge 2 wd: Tue 23, Wed 24 -> Wed 24 Jun.
    # Notify the department's manager 5 wd: Tue 23 .. Fri 26 (4), Mon 29 (5) -> Mon 29 Jun.
    # Conclude 20 wd: 23-26 (4), 29 Jun-3 Jul (9), 6-10 (14), 13-17 (19), Mon 20 Jul (20).
    assert dues(case, "stage2") == {"acknowledge": D("2026-06-24"), "notify_department": D("2026-06-29"),
                                    "respond": D("2026-07-20")}
    assert row(case, "stage2", "notify_department").rule_source == "section 7 (Stage 2)"

    case = complaint_acknowledge(complaint=case, by=manager, at=london("2026-06-23T09:00"))
    case = complaint_notify_department(complaint=case, by=manager, at=london("2026-06-25T11:00"))
    assert case.state == State.STAGE2
    assert row(case, "stage2", "notify_department").met_at == london("2026-06-25T11:00")
    assert CaseStage.objects.get(complaint=case, stage="stage2").department_notified_at == london("2026-06-25T11:00")
    assert dues(case, "stage2") == {"acknowledge": D("2026-06-24"), "notify_department": D("2026-06-29"),
                                    "respond": D("2026-07-20")}

    case = complaint_respond(complaint=case, by=manager, details=answer("partly_upheld"),
                             at=london("2026-07-17T16:00"))
    assert case.state == State.STAGE2_RESPONDED
    case = complaint_close(complaint=case, by=officer, at=london("2026-07-20T09:00"), reason="Stage 2 sent")
    assert (case.state, case.closed_after_stage) == (State.CLOSED, "stage2")
    assert not Deadline.objects.filter(complaint=case, met_at__isnull=True, cancelled_at__isnull=True).exists()

    assert history(case) == [
        (officer, "received", State.NEW),
        (officer, "triaged:stage1", State.STAGE1),
        (officer, "acknowledged:stage1", State.STAGE1),
        (service, "responded:stage1:2026-06-12: upheld", State.STAGE1_RESPONDED),
        (officer, "escalated:stage2", State.STAGE2),
        (manager, "acknowledged:stage2", State.STAGE2),
        (manager, "department_notified", State.STAGE2),
        (manager, "responded:stage2:2026-07-17: partly_upheld", State.STAGE2_RESPONDED),
        (officer, "closed: Stage 2 sent", State.CLOSED),
    ]


def test_brighton_hove_stage2_notify_department_within_5_working_days_across_the_summer_bank_holiday():
    officer, manager = staff("brighton-hove"), staff("brighton-hove")
    case = make_complaint("brighton-hove", "2026-08-03T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-08-03T11:00"))
    case = complaint_respond(complaint=case, by=officer, details=answer(), at=london("2026-08-17T10:00"))
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-08-27T10:00"), reviewer=manager)
    # Requested Thu 27 Aug. Acknowledge 2 wd: Fri 28 (1), [Sat, Sun, Mon 31 Aug holiday], Tue 1 Sep (2).
    # Notify 5 wd: Fri 28 (1), Tue 1 (2), Wed 2 (3), Thu 3 (4), Fri 4 Sep (5).
    # Conclude 20 wd: Fri 28 Aug (1), 1-4 Sep (5), 7-11 (10), 14-18 (15), 21-24 Sep (19), Fri 25 Sep (20).
    assert dues(case, "stage2") == {"acknowledge": D("2026-09-01"), "notify_department": D("2026-09-04"),
                                    "respond": D("2026-09-25")}
    assert "Not counted: Late Summer Bank Holiday (Mon 31 Aug 2026)" in row(
        case, "stage2", "notify_department").explanation


# --- section 6: informal resolution in 24 hours --------------------------------
def test_brighton_hove_section_6_informal_resolved_within_24_hours():
    officer = staff("brighton-hove")
    case = make_complaint("brighton-hove", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="informal", at=london("2026-06-01T10:15"))
    assert (case.state, case.stage) == (State.INFORMAL, "informal")
    # 24 elapsed hours from Mon 1 Jun 10:00 -> Tue 2 Jun 10:00.
    assert dues(case, "informal") == {"respond": D("2026-06-02")}
    case = complaint_resolve_informally(complaint=case, by=officer, at=london("2026-06-01T16:00"),
                                        reason="Service team collected the bin the same day")
    assert (case.state, case.closed_after_stage) == (State.CLOSED, "informal")
    assert row(case, "informal", "respond").met_at == london("2026-06-01T16:00")
    assert CaseStage.objects.get(complaint=case, stage="informal").responded_at == london("2026-06-01T16:00")


def test_brighton_hove_section_6_not_resolved_in_24_hours_becomes_stage1_counted_from_the_original_receipt():
    officer = staff("brighton-hove")
    case = make_complaint("brighton-hove", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="informal", at=london("2026-06-01T10:15"))
    case = complaint_make_formal(complaint=case, by=officer, at=london("2026-06-03T09:00"),
                                 reason="Service team did not resolve it in 24 hours")
    assert (case.state, case.stage) == (State.STAGE1, "stage1")
    # From receipt Mon 1 Jun, not from Wed 3 Jun (which would give Fri 5 and Wed 17 Jun):
    # acknowledge Wed 3 Jun; reply Mon 15 Jun.
    assert dues(case, "stage1") == {"acknowledge": D("2026-06-03"), "respond": D("2026-06-15")}
    assert history(case)[-1] == (officer, "made_formal: Service team did not resolve it in 24 hours", State.STAGE1)


# --- holding reply: extension without a cap ----------------------------------
def test_brighton_hove_holding_reply_extends_stage1_without_a_cap():
    officer = staff("brighton-hove")
    case = make_complaint("brighton-hove", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    told = london("2026-06-12T10:00")
    deadline = complaint_extend(complaint=case, by=officer, new_date=D("2026-06-26"), complainant_told_at=told,
                                reason="Holding reply: waiting for the contractor")
    assert (deadline.due_date, deadline.original_due_date, deadline.cap_date) == (
        D("2026-06-26"), D("2026-06-15"), None)
    deadline = complaint_extend(complaint=case, by=officer, new_date=D("2026-10-30"), complainant_told_at=told,
                                reason="Second holding reply")
    assert (deadline.due_date, deadline.extensions) == (D("2026-10-30"), 2)


# --- Stage 2 independence ------------------------------------------------------
def test_brighton_hove_customer_feedback_manager_must_not_have_handled_stage1():
    officer = staff("brighton-hove", first_name="Tess", last_name="Team")
    manager = staff("brighton-hove")
    case = make_complaint("brighton-hove", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    case = complaint_respond(complaint=case, by=officer, details=answer(), at=london("2026-06-12T15:00"))
    with pytest.raises(PolicyGuardFailed, match=f"Tess Team handled stage1 of {case.reference}"):
        complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-22T10:00"), reviewer=officer)
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-22T10:00"), reviewer=manager)
    with pytest.raises(PolicyGuardFailed, match="Tess Team handled stage1"):
        complaint_assign(complaint=case, by=manager, officer=officer)


# --- Appendix B refusal; withdrawal --------------------------------------------
def test_brighton_hove_appendix_b_refusal_needs_a_reason_and_signposting():
    officer = staff("brighton-hove")
    case = make_complaint("brighton-hove", "2026-06-01T10:00", summary="Council tax reduction refused")
    exclusion = next(e for e in case.policy.exclusions if e.key == "right_of_appeal")
    with pytest.raises(PolicyGuardFailed, match="needs a reason and signposting"):
        complaint_refuse(complaint=case, by=officer, reason="", signposting="")
    case = complaint_refuse(complaint=case, by=officer, reason="Benefit decision: right of appeal (Appendix B)",
                            signposting=exclusion.signposting)
    assert (case.state, case.refusal_reason) == (State.REFUSED, "Benefit decision: right of appeal (Appendix B)")


def test_brighton_hove_withdrawal_at_stage2_cancels_its_open_deadlines_including_notify_department():
    officer, manager = staff("brighton-hove"), staff("brighton-hove")
    case = make_complaint("brighton-hove", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    case = complaint_respond(complaint=case, by=officer, details=answer(), at=london("2026-06-12T15:00"))
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-22T10:00"), reviewer=manager)
    case = complaint_acknowledge(complaint=case, by=manager, at=london("2026-06-23T09:00"))
    at = london("2026-06-24T10:00")
    case = complaint_withdraw(complaint=case, by=officer, reason="Resolved by the service directly", at=at)
    assert case.state == State.WITHDRAWN
    assert sorted(Deadline.objects.filter(complaint=case, stage="stage2").values_list("kind", "cancelled_at")) == [
        ("acknowledge", None), ("notify_department", at), ("respond", at)]
