"""The Barnet Group: journeys through the services, including the Stage 3 Panel.

Dates are counted by hand on a 2026 calendar. "Within N working days of D":
D is day 0, the deadline is the N-th working day after D, skipping weekends
and England's bank holidays (2026: 1 Jan, 3 Apr, 6 Apr, 4 May, 25 May,
31 Aug, 25 Dec, 28 Dec). Mon 1 Jun 2026 is a Monday; June and July have no
bank holidays; Mon 31 Aug is the summer bank holiday. Times are London (BST).
"""

import datetime as dt

import pytest

from complaints.models import CaseStage, Deadline, Extension, State
from complaints.services.errors import PolicyGuardFailed
from complaints.services.holds import complaint_record_consent
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
from complaints.services.stage_work import (
    ResponseDetails,
    complaint_acknowledge,
    complaint_extend,
    complaint_record_meeting,
    complaint_respond,
)
from tests.complaints.journeys import dues, history, row
from tests.factories import council, london, make_complaint, service_area, staff

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat





def answer(outcome="not_upheld", findings="The homelessness decision letter was sent on time."):
    return ResponseDetails(outcome=outcome, findings=findings)


def homelessness():
    return service_area("barnet-group", "Housing options and homelessness", "homelessness")


def stage2_answered(*, areas=(), complainant_type="resident", category=""):
    """Received Mon 1 Jun, Stage 1 answered Thu 11 Jun, Stage 2 asked Mon 22 Jun and answered Thu 2 Jul."""
    officer, reviewer = staff("barnet-group"), staff("barnet-group")
    case = make_complaint("barnet-group", "2026-06-01T10:00", areas=areas, complainant_type=complainant_type,
                          category=category)
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    case = complaint_respond(complaint=case, by=officer, details=answer(), at=london("2026-06-11T10:00"))
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-22T10:00"), reviewer=reviewer)
    case = complaint_respond(complaint=case, by=reviewer, details=answer(), at=london("2026-07-02T10:00"))
    return case, officer, reviewer


# --- the happy path, through the Panel ---------------------------------------
def test_barnet_group_happy_path_stage1_stage2_panel_closed_with_hand_counted_deadlines_and_history():
    officer = staff("barnet-group")
    manager = staff("barnet-group", role="complaints_manager")
    panel_chair = staff("barnet-group", role="complaints_manager")

    case = complaint_create(
        council=council("barnet-group"), by=officer, received_at=london("2026-06-01T10:00"),
        details=ComplaintDetails(summary="Homelessness application handled badly",
                                 service_area_ids=[homelessness().pk]),
        complainant=ComplainantDetails(name="Robin Applicant", complainant_type="homeless_applicant"),
    )
    assert (case.reference, case.state) == ("TBG-2026-00001", State.NEW)

    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    # From receipt Mon 1 Jun. Acknowledge 2 wd: Tue 2, Wed 3 -> Wed 3 Jun.
    # Reply 10 wd: Tue 2 .. Fri 5 (4), 8-12 (9), Mon 15 (10) -> Mon 15 Jun (not provisional: counted from receipt).
    # Extension cap 20 wd: 16-19 (14), 22-26 (19), Mon 29 (20) -> Mon 29 Jun.
    assert dues(case, "stage1") == {"acknowledge": D("2026-06-03"), "respond": D("2026-06-15")}
    assert (row(case, "stage1", "respond").provisional, row(case, "stage1", "respond").cap_date) == (
        False, D("2026-06-29"))

    case = complaint_acknowledge(complaint=case, by=officer, at=london("2026-06-02T09:00"))
    assert dues(case, "stage1") == {"acknowledge": D("2026-06-03"), "respond": D("2026-06-15")}

    case = complaint_respond(complaint=case, by=officer, details=answer(), at=london("2026-06-11T10:00"))
    assert case.state == State.STAGE1_RESPONDED
    assert "escalate" not in dues(case, "stage1")  # the leaflet sets no time to ask for Stage 2

    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-22T10:00"), reviewer=manager)
    assert (case.state, case.assigned_officer) == (State.STAGE2, manager)
    # Requested Mon 22 Jun. Acknowledge 5 wd (the Code): Tue 23 .. Fri 26 (4), Mon 29 (5) -> Mon 29 Jun.
    # Reply 10 wd of the request: 23-26 (4), 29 Jun-3 Jul (9), Mon 6 Jul (10). Cap 20: 7-10 (14), 13-17 (19), Mon 20.
    assert dues(case, "stage2") == {"acknowledge": D("2026-06-29"), "respond": D("2026-07-06")}
    assert row(case, "stage2", "acknowledge").rule_source == "code"
    assert row(case, "stage2", "respond").cap_date == D("2026-07-20")

    case = complaint_acknowledge(complaint=case, by=manager, at=london("2026-06-24T09:00"))
    assert dues(case, "stage2") == {"acknowledge": D("2026-06-29"), "respond": D("2026-07-06")}
    case = complaint_respond(complaint=case, by=manager, details=answer(), at=london("2026-07-02T10:00"))
    assert case.state == State.STAGE2_RESPONDED

    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-06T10:00"), reviewer=panel_chair)
    assert (case.state, case.stage, case.assigned_officer) == (State.PANEL, "panel", panel_chair)
    # Panel confirmed Mon 6 Jul. Meets within 20 wd: 7-10 (4), 13-17 (9), 20-24 (14), 27-31 (19), Mon 3 Aug (20).
    # Responds 10 wd after the meeting, provisional from Mon 3 Aug: 4-7 (4), 10-14 (9), Mon 17 Aug (10).
    # Cap 20 wd: 18-21 (14), 24-28 (19), [Mon 31 Aug holiday], Tue 1 Sep (20).
    assert dues(case, "panel") == {"meeting": D("2026-08-03"), "respond": D("2026-08-17")}
    assert row(case, "panel", "respond").provisional is True
    assert row(case, "panel", "respond").cap_date == D("2026-09-01")

    case = complaint_record_meeting(complaint=case, by=panel_chair, meeting_on=D("2026-07-22"))
    assert case.state == State.PANEL
    assert row(case, "panel", "meeting").met_at is not None
    # Met Wed 22 Jul: Thu 23, Fri 24 (2), 27-31 (7), Mon 3 .. Wed 5 Aug (10) -> Wed 5 Aug.
    # Cap 20: Thu 6, Fri 7 (12), 10-14 (17), Mon 17 .. Wed 19 Aug (20) -> Wed 19 Aug.
    assert dues(case, "panel") == {"meeting": D("2026-08-03"), "respond": D("2026-08-05")}
    assert (row(case, "panel", "respond").provisional, row(case, "panel", "respond").cap_date) == (
        False, D("2026-08-19"))

    case = complaint_respond(complaint=case, by=panel_chair, details=answer("partly_upheld"),
                             at=london("2026-08-03T15:00"))
    assert case.state == State.PANEL_RESPONDED
    case = complaint_close(complaint=case, by=officer, at=london("2026-08-04T09:00"), reason="Panel decision sent")
    assert (case.state, case.closed_after_stage) == (State.CLOSED, "panel")
    assert not Deadline.objects.filter(complaint=case, met_at__isnull=True, cancelled_at__isnull=True).exists()

    assert history(case) == [
        (officer, "received", State.NEW),
        (officer, "triaged:stage1", State.STAGE1),
        (officer, "acknowledged:stage1", State.STAGE1),
        (officer, "responded:stage1:2026-06-11: not_upheld", State.STAGE1_RESPONDED),
        (officer, "escalated:stage2", State.STAGE2),
        (manager, "acknowledged:stage2", State.STAGE2),
        (manager, "responded:stage2:2026-07-02: not_upheld", State.STAGE2_RESPONDED),
        (officer, "escalated:panel", State.PANEL),
        (panel_chair, "meeting_recorded", State.PANEL),
        (panel_chair, "responded:panel:2026-08-03: partly_upheld", State.PANEL_RESPONDED),
        (officer, "closed: Panel decision sent", State.CLOSED),
    ]


def test_barnet_group_sets_no_time_limit_for_asking_for_stage2():
    officer, reviewer = staff("barnet-group"), staff("barnet-group")
    case = make_complaint("barnet-group", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    case = complaint_respond(complaint=case, by=officer, details=answer(), at=london("2026-06-11T10:00"))
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-12-01T10:00"), reviewer=reviewer)
    assert case.state == State.STAGE2
    assert CaseStage.objects.get(complaint=case, stage="stage2").escalation_discretion_reason == ""


# --- extensions: capped, and agreement does not lift the cap -------------------
def test_barnet_group_stage1_extension_up_to_20_working_days_of_receipt_and_never_beyond_even_with_agreement():
    officer = staff("barnet-group")
    case = make_complaint("barnet-group", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    told = london("2026-06-12T10:00")
    deadline = complaint_extend(complaint=case, by=officer, new_date=D("2026-06-29"), complainant_told_at=told,
                                reason="Waiting for the repairs contractor's report")
    assert (deadline.due_date, deadline.original_due_date, deadline.cap_date) == (
        D("2026-06-29"), D("2026-06-15"), D("2026-06-29"))
    case.refresh_from_db()
    version = case.version
    for agreed in (False, True):
        with pytest.raises(PolicyGuardFailed) as refused:
            complaint_extend(complaint=case, by=officer, new_date=D("2026-06-30"), complainant_told_at=told,
                             reason="Contractor still not reported", complainant_agreed=agreed)
        assert refused.value.message == (
            "2026-06-30 is past the policy's limit of 2026-06-29 (Stage 1 (internal)) and the policy allows no more"
        )
    case.refresh_from_db()
    assert case.version == version
    assert row(case, "stage1", "respond").due_date == D("2026-06-29")
    assert Extension.objects.filter(deadline__complaint=case).count() == 1


def test_barnet_group_stage2_extension_capped_at_20_working_days_of_the_request():
    officer, reviewer = staff("barnet-group"), staff("barnet-group")
    case = make_complaint("barnet-group", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    case = complaint_respond(complaint=case, by=officer, details=answer(), at=london("2026-06-11T10:00"))
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-22T10:00"), reviewer=reviewer)
    told = london("2026-07-01T10:00")
    # Cap is Mon 20 Jul (20 wd after Mon 22 Jun, counted in the happy path).
    with pytest.raises(PolicyGuardFailed, match="past the policy's limit of 2026-07-20 \\(Stage 2 \\(internal\\)\\)"):
        complaint_extend(complaint=case, by=reviewer, new_date=D("2026-07-21"), complainant_told_at=told,
                         reason="Senior manager on leave", complainant_agreed=True)
    assert complaint_extend(complaint=case, by=reviewer, new_date=D("2026-07-20"), complainant_told_at=told,
                            reason="Senior manager on leave").due_date == D("2026-07-20")


# --- Stage 3 Panel eligibility -----------------------------------------------
def test_barnet_group_panel_open_to_a_non_tenant_complaining_about_homelessness():
    case, officer, _ = stage2_answered(areas=[homelessness()], complainant_type="resident")
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-06T10:00"),
                              reviewer=staff("barnet-group"))
    assert case.state == State.PANEL


def test_barnet_group_panel_open_to_a_non_tenant_complaining_about_housing_allocations():
    allocations = service_area("barnet-group", "Housing allocations", "housing_allocations")
    case, officer, _ = stage2_answered(areas=[allocations], complainant_type="housing_register_applicant")
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-06T10:00"),
                              reviewer=staff("barnet-group"))
    assert case.state == State.PANEL


@pytest.mark.parametrize("complainant_type", ["tenant", "leaseholder"])
def test_barnet_group_panel_refused_to_a_tenant_or_leaseholder(complainant_type):
    case, officer, _ = stage2_answered(areas=[homelessness()], complainant_type=complainant_type)
    version = case.version
    with pytest.raises(PolicyGuardFailed) as refused:
        complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-06T10:00"),
                           reviewer=staff("barnet-group"))
    assert refused.value.message == f"The panel is not open to a {complainant_type} (Stage 3 (internal))"
    case.refresh_from_db()
    assert (case.state, case.version) == (State.STAGE2_RESPONDED, version)
    assert not CaseStage.objects.filter(complaint=case, stage="panel").exists()


def test_barnet_group_panel_refused_for_a_social_housing_complaint():
    housing = service_area("barnet-group", "Tenancy management", "social_housing")
    case, officer, _ = stage2_answered(areas=[housing], complainant_type="resident")
    with pytest.raises(PolicyGuardFailed) as refused:
        complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-06T10:00"),
                           reviewer=staff("barnet-group"))
    assert refused.value.message == (
        "The panel is only for homelessness, housing_allocations complaints (Stage 3 (internal))"
    )
    case.refresh_from_db()
    assert case.state == State.STAGE2_RESPONDED


def test_barnet_group_panel_members_must_not_have_handled_stage2():
    case, officer, stage2_reviewer = stage2_answered(areas=[homelessness()])
    with pytest.raises(PolicyGuardFailed, match=f"handled stage2 of {case.reference}, so cannot review it at panel"):
        complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-06T10:00"),
                           reviewer=stage2_reviewer)
    chair = staff("barnet-group")
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-06T10:00"), reviewer=chair)
    with pytest.raises(PolicyGuardFailed, match="so cannot review it at panel"):
        complaint_assign(complaint=case, by=chair, officer=stage2_reviewer)


def test_barnet_group_stage2_reviewer_must_not_have_handled_stage1():
    officer = staff("barnet-group", first_name="Fran", last_name="Frontline")
    case = make_complaint("barnet-group", "2026-06-01T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    case = complaint_respond(complaint=case, by=officer, details=answer(), at=london("2026-06-11T10:00"))
    with pytest.raises(PolicyGuardFailed, match="Fran Frontline handled stage1"):
        complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-22T10:00"), reviewer=officer)


# --- representatives: consent hold ----------------------------------------------
def test_barnet_group_consent_hold_moves_receipt_counted_deadlines_and_the_acknowledgement_keeps_the_move():
    officer = staff("barnet-group")
    advocate = RepresentativeDetails(name="Ann Advocate", relationship="advocate", role="advocate")
    case = make_complaint("barnet-group", "2026-06-01T10:00", representative=advocate)
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    assert case.state == State.ON_HOLD
    assert dues(case, "stage1") == {"acknowledge": D("2026-06-03"), "respond": D("2026-06-15")}

    case = complaint_record_consent(complaint=case, by=officer, received_on=D("2026-06-08"),
                                    evidence="Tenant's email giving permission", at=london("2026-06-08T10:00"))
    assert case.state == State.STAGE1
    # Held Mon 1 Jun to Mon 8 Jun: Tue 2 .. Fri 5, Mon 8 -> 5 working days.
    # Acknowledge Wed 3 Jun + 5: Thu 4, Fri 5, Mon 8, Tue 9, Wed 10 -> Wed 10 Jun.
    # Reply Mon 15 Jun + 5: 16-19, Mon 22 -> Mon 22 Jun. Cap Mon 29 Jun + 5: Tue 30, 1-3 Jul, Mon 6 Jul.
    assert dues(case, "stage1") == {"acknowledge": D("2026-06-10"), "respond": D("2026-06-22")}
    assert row(case, "stage1", "respond").cap_date == D("2026-07-06")

    case = complaint_acknowledge(complaint=case, by=officer, at=london("2026-06-09T09:00"))
    # The reply is counted from receipt, not from the acknowledgement, so acknowledging must not
    # undo the five days on hold.
    assert dues(case, "stage1") == {"acknowledge": D("2026-06-10"), "respond": D("2026-06-22")}
    assert row(case, "stage1", "respond").cap_date == D("2026-07-06")
    assert "Moved 5 working days later" in row(case, "stage1", "respond").explanation


# --- refusal and withdrawal --------------------------------------------------
def test_barnet_group_refusal_of_a_repair_request_needs_a_reason_and_signposting():
    officer = staff("barnet-group")
    case = make_complaint("barnet-group", "2026-06-01T10:00", summary="My boiler is broken")
    exclusion = next(e for e in case.policy.exclusions if e.key == "repairs")
    with pytest.raises(PolicyGuardFailed, match="needs a reason and signposting"):
        complaint_refuse(complaint=case, by=officer, reason="", signposting=exclusion.signposting)
    case = complaint_refuse(complaint=case, by=officer, reason="A first repair request, not a complaint",
                            signposting=exclusion.signposting)
    assert (case.state, case.refusal_reason, case.signposting) == (
        State.REFUSED, "A first repair request, not a complaint", exclusion.signposting)


def test_barnet_group_withdrawal_at_the_panel_cancels_the_panel_deadlines():
    case, officer, _ = stage2_answered(areas=[homelessness()])
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-06T10:00"),
                              reviewer=staff("barnet-group"))
    at = london("2026-07-08T10:00")
    case = complaint_withdraw(complaint=case, by=officer, reason="Rehoused; no longer wants the panel", at=at)
    assert case.state == State.WITHDRAWN
    assert sorted(Deadline.objects.filter(complaint=case, stage="panel").values_list("kind", "cancelled_at")) == [
        ("meeting", at), ("respond", at)]
