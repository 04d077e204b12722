"""Buckinghamshire County Council (2019 procedure): journeys through the services.

Dates are counted by hand on a 2026 calendar. "Within N working days of D":
D is day 0, the deadline is the N-th working day after D, skipping weekends
and England's bank holidays (2026: 1 Jan, 3 Apr, 6 Apr, 4 May, 25 May,
31 Aug, 25 Dec, 28 Dec). Mon 1 Jun 2026 is a Monday; June and July have no
bank holidays. "12 weeks" is 84 calendar days. Times are London (BST).
"""

import datetime as dt

import pytest

from complaints.models import Deadline, State
from complaints.services.errors import PolicyGuardFailed
from complaints.services.intake import ComplainantDetails, ComplaintDetails, complaint_create, complaint_triage
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





def answer(outcome="upheld", findings="The road defect report was closed without an inspection."):
    return ResponseDetails(outcome=outcome, findings=findings)


# --- the happy path ---------------------------------------------------------
def test_bucks_happy_path_stage1_stage2_closed_with_the_12_week_overall_deadline_and_history():
    officer = staff("bucks")
    dmo = staff("bucks", role="complaints_manager")

    case = complaint_create(
        council=council("bucks"), by=officer, received_at=london("2026-06-01T10:00"),
        details=ComplaintDetails(summary="Pothole report closed without inspection"),
        complainant=ComplainantDetails(name="Chris Resident", complainant_type="resident"),
    )
    assert (case.reference, case.state) == ("BCC-2026-00001", State.NEW)

    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    # From receipt Mon 1 Jun. Acknowledge 5 wd: Tue 2 .. Fri 5 (4), Mon 8 (5) -> Mon 8 Jun.
    # Target 10 wd: 8-12 (9), Mon 15 (10) -> Mon 15 Jun. Respond 20 wd: 16-19 (14), 22-26 (19), Mon 29 (20).
    # Overall 12 weeks = 84 days: Mon 1 Jun + 29 -> Tue 30 Jun, + 31 -> Fri 31 Jul, + 24 -> Mon 24 Aug.
    assert dues(case, "stage1") == {"acknowledge": D("2026-06-08"), "target": D("2026-06-15"),
                                    "respond": D("2026-06-29"), "overall": D("2026-08-24")}
    overall = row(case, "stage1", "overall")
    assert (overall.rule_source, overall.provisional) == ("Timeliness principle", False)
    assert row(case, "stage1", "respond").cap_date is None

    case = complaint_acknowledge(complaint=case, by=officer, at=london("2026-06-03T09:00"))
    assert dues(case, "stage1") == {"acknowledge": D("2026-06-08"), "target": D("2026-06-15"),
                                    "respond": D("2026-06-29"), "overall": D("2026-08-24")}

    case = complaint_respond(complaint=case, by=officer, details=answer(), at=london("2026-06-17T14:00"))
    assert case.state == State.STAGE1_RESPONDED
    met = {r.kind: r.met_at for r in Deadline.objects.filter(complaint=case, stage="stage1")}
    assert met == {"acknowledge": london("2026-06-03T09:00"), "target": london("2026-06-17T14:00"),
                   "respond": london("2026-06-17T14:00"), "overall": None}

    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-22T10:00"), reviewer=dmo)
    assert case.state == State.STAGE2
    # Requested Mon 22 Jun: decide within 5 wd: Tue 23 .. Fri 26 (4), Mon 29 (5) -> Mon 29 Jun.
    # Respond 20 wd of that decision, provisional from Mon 29 Jun: Tue 30 (1), 1-3 Jul (4), 6-10 (9),
    # 13-17 (14), 20-24 (19), Mon 27 Jul (20).
    assert dues(case, "stage2") == {"acknowledge": D("2026-06-29"), "respond": D("2026-07-27")}
    assert row(case, "stage2", "respond").provisional is True

    case = complaint_acknowledge(complaint=case, by=dmo, at=london("2026-06-24T09:00"))
    # Decision sent Wed 24 Jun: Thu 25, Fri 26 (2), 29 Jun-3 Jul (7), 6-10 (12), 13-17 (17), Mon 20 .. Wed 22 (20).
    assert dues(case, "stage2") == {"acknowledge": D("2026-06-29"), "respond": D("2026-07-22")}

    case = complaint_respond(complaint=case, by=dmo, details=answer("partly_upheld"), at=london("2026-07-20T10:00"))
    assert case.state == State.STAGE2_RESPONDED
    assert row(case, "stage1", "overall").met_at is None

    case = complaint_close(complaint=case, by=officer, at=london("2026-07-21T10:00"), reason="Stage 2 sent")
    assert (case.state, case.closed_after_stage) == (State.CLOSED, "stage2")
    overall = row(case, "stage1", "overall")
    assert (overall.met_at, overall.cancelled_at, overall.due_date) == (london("2026-07-21T10:00"), None,
                                                                        D("2026-08-24"))

    assert history(case) == [
        (officer, "received", State.NEW),
        (officer, "triaged:stage1", State.STAGE1),
        (officer, "acknowledged:stage1", State.STAGE1),
        (officer, "responded:stage1:2026-06-17: upheld", State.STAGE1_RESPONDED),
        (officer, "escalated:stage2", State.STAGE2),
        (dmo, "acknowledged:stage2", State.STAGE2),
        (dmo, "responded:stage2:2026-07-20: partly_upheld", State.STAGE2_RESPONDED),
        (officer, "closed: Stage 2 sent", State.CLOSED),
    ]


def test_bucks_overall_12_weeks_across_the_summer_bank_holiday_is_calendar_time():
    officer = staff("bucks")
    case = make_complaint("bucks", "2026-08-28T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-08-28T11:00"))
    # Fri 28 Aug + 84 days: + 3 -> Mon 31 Aug (holidays do not matter), + 30 -> Wed 30 Sep, + 31 -> Fri 30 Oct,
    # + 20 -> Fri 20 Nov.
    assert row(case, "stage1", "overall").due_date == D("2026-11-20")
    # Respond 20 wd from Fri 28 Aug, skipping Mon 31 Aug: 1-4 Sep (4), 7-11 (9), 14-18 (14), 21-25 (19), Mon 28 (20).
    assert row(case, "stage1", "respond").due_date == D("2026-09-28")


def test_bucks_overall_deadline_is_not_moved_by_a_stage1_extension():
    officer = staff("bucks")
    case = make_complaint("bucks", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    deadline = complaint_extend(complaint=case, by=officer, new_date=D("2026-09-30"),
                                complainant_told_at=london("2026-06-20T10:00"), reason="Highways survey needed")
    # No cap in the procedure ("we can extend the timescale").
    assert (deadline.due_date, deadline.cap_date, deadline.extensions) == (D("2026-09-30"), None, 1)
    assert row(case, "stage1", "overall").due_date == D("2026-08-24")


# --- Appendix 1: anonymous complaints ------------------------------------------
def test_bucks_anonymous_complaint_is_refused_stage1_without_a_wider_concern_reason():
    officer = staff("bucks")
    case = make_complaint("bucks", "2026-06-01T10:00", anonymous=True)
    assert (case.is_anonymous, case.complainant.name) == (True, "")
    for reason in ("", "   "):
        with pytest.raises(PolicyGuardFailed) as refused:
            complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"), reason=reason)
        assert refused.value.message == (
            "Buckinghamshire County Council logs anonymous complaints as service requests (Appendix 1); "
            "give the wider concern that justifies a formal complaint"
        )
    case.refresh_from_db()
    assert (case.state, case.version) == (State.NEW, 1)
    assert not Deadline.objects.filter(complaint=case).exists()


def test_bucks_anonymous_complaint_is_logged_as_a_service_request():
    officer = staff("bucks")
    case = make_complaint("bucks", "2026-06-01T10:00", anonymous=True)
    case = complaint_triage(complaint=case, by=officer, route="service_request", at=london("2026-06-01T11:00"),
                            reason="Anonymous: logged as a service request")
    assert (case.state, case.stage) == (State.SERVICE_REQUEST, "")
    assert not Deadline.objects.filter(complaint=case).exists()
    with pytest.raises(PolicyGuardFailed, match="logs anonymous complaints as service requests"):
        complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-02T11:00"))


def test_bucks_anonymous_complaint_of_wider_concern_goes_to_stage1_with_the_reason_recorded():
    officer = staff("bucks")
    case = make_complaint("bucks", "2026-06-01T10:00", anonymous=True)
    reason = ("Unsafe scaffolding outside a primary school: a public safety concern we can act on "
              "without the complainant")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"), reason=reason)
    assert case.state == State.STAGE1
    assert history(case)[-1] == (officer, f"triaged:stage1: {reason}", State.STAGE1)
    assert dues(case, "stage1")["acknowledge"] == D("2026-06-08")


# --- Stage 2 independence ------------------------------------------------------
def test_bucks_stage2_reviewer_must_not_have_handled_stage1():
    officer = staff("bucks", first_name="Sam", last_name="Service")
    dmo = staff("bucks")
    case = make_complaint("bucks", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    case = complaint_respond(complaint=case, by=officer, details=answer(), at=london("2026-06-17T14:00"))
    with pytest.raises(PolicyGuardFailed, match=f"Sam Service handled stage1 of {case.reference}"):
        complaint_escalate(complaint=case, by=dmo, requested_at=london("2026-06-22T10:00"), reviewer=officer)
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-22T10:00"), reviewer=dmo)
    with pytest.raises(PolicyGuardFailed, match="Sam Service handled stage1"):
        complaint_assign(complaint=case, by=dmo, officer=officer)


# --- refusal and withdrawal --------------------------------------------------
def test_bucks_refusal_of_a_school_complaint_needs_a_reason_and_signposting():
    officer = staff("bucks")
    case = make_complaint("bucks", "2026-06-01T10:00", summary="My son's school excluded him")
    exclusion = next(e for e in case.policy.exclusions if e.key == "schools")
    with pytest.raises(PolicyGuardFailed, match="needs a reason and signposting"):
        complaint_refuse(complaint=case, by=officer, reason="School matter", signposting=" ")
    case = complaint_refuse(complaint=case, by=officer, reason="School matter (Appendix 1)",
                            signposting=exclusion.signposting)
    assert (case.state, case.signposting) == (State.REFUSED, exclusion.signposting)


def test_bucks_withdrawal_cancels_the_open_deadlines_including_the_overall_one():
    officer = staff("bucks")
    case = make_complaint("bucks", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    at = london("2026-06-04T10:00")
    case = complaint_withdraw(complaint=case, by=officer, reason="Pothole fixed", at=at)
    assert case.state == State.WITHDRAWN
    assert sorted(Deadline.objects.filter(complaint=case).values_list("kind", "cancelled_at")) == [
        ("acknowledge", at), ("overall", at), ("respond", at), ("target", at)]
