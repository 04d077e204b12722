"""Stage work through the screens: acknowledge, respond, extend, meeting, department, informal, escalate.

Each action: the happy path (the service ran, the officer is told) and one refused
path (the service's message in the error summary, the case unchanged). Today is
Wed 10 Jun 2026; dates are counted by hand in the fixtures' docstrings.
"""

import datetime as dt
from decimal import Decimal

import pytest

from complaints.models import Action, CaseStage, Deadline, Extension, StageOutcome
from complaints.services.intake import complaint_triage
from complaints.services.lifecycle import complaint_escalate
from complaints.services.stage_work import ResponseDetails, complaint_respond
from deadlines.calendar import london_date
from tests.dates import date_parts, typed_parts
from tests.factories import london
from tests.staff.conftest import (
    acknowledged_case,
    answered_case,
    assert_done,
    assert_refused,
    error_summary,
    fresh,
    new_case,
    post_action,
    row_of,
    someone_else_changes,
    stage1_case,
    stale_message,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
D = dt.date.fromisoformat


def due(case, stage, kind):
    return Deadline.objects.get(complaint=case, stage=stage, kind=kind)


# --- acknowledge ---------------------------------------------------------------
def test_acknowledge_recomputes_the_response_deadline_from_the_date_sent(officer_client, officer):
    case = stage1_case(officer)
    page = officer_client.get(f"/cases/{case.reference}/acknowledge/")
    assert "<title>Acknowledge the complaint: LBD-2026-00001" in page.content.decode()
    assert f'name="version" value="{case.version}"' in page.content.decode()
    response = post_action(officer_client, case, "acknowledge", date_parts("on", "2026-06-03"))
    assert_done(officer_client, response, case, "LBD-2026-00001 acknowledged")
    stage = CaseStage.objects.get(complaint=case, stage="stage1")
    assert london_date(stage.acknowledged_at) == D("2026-06-03")
    # 10 working days after Wed 3 Jun: Wed 17 Jun; the cap, 20 working days: Wed 1 Jul.
    assert (due(case, "stage1", "respond").due_date, due(case, "stage1", "respond").cap_date) == (
        D("2026-06-17"), D("2026-07-01"))
    assert due(case, "stage1", "acknowledge").met_at is not None


def test_acknowledge_dated_before_the_stage_started_is_refused(officer_client, officer):
    case = stage1_case(officer)
    before = row_of(case)
    response = post_action(officer_client, case, "acknowledge", date_parts("on", "2026-05-29"))
    assert_refused(response, "The acknowledgement cannot be dated before the stage started", case, before)
    assert typed_parts(response.content.decode(), "on") == ("29", "5", "2026")  # what was typed is kept
    assert CaseStage.objects.get(complaint=case).acknowledged_at is None


def test_acknowledge_in_the_future_is_a_form_error(officer_client, officer):
    case = stage1_case(officer)
    response = post_action(officer_client, case, "acknowledge", date_parts("on", "2026-06-11"))
    assert error_summary(response) == ["The date the acknowledgement was sent must be today or in the past"]


# --- respond -------------------------------------------------------------------
RESPONSE = {**date_parts("on", "2026-06-10"), "outcome": "partly_upheld",
            "findings": "Two of the three collections were missed.",
            "remedy_apology": "on", "remedy_action": "Crew briefed", "compensation_amount": "150.00",
            "compensation_offset_against_arrears": "0", "learning_points": "Check the round sheet daily"}


def test_respond_records_outcome_remedy_learning_and_actions(officer_client, officer, manager):
    case = acknowledged_case(officer)
    data = {**RESPONSE, "action_1_description": "Add the street to the assisted collection list",
            "action_1_owner": manager.pk, **date_parts("action_1_due", "2026-07-10")}
    response = post_action(officer_client, case, "respond", data)
    assert_done(officer_client, response, case, "Response recorded: LBD-2026-00001 is now stage 1 answered")
    assert fresh(case).state == "stage1_responded"
    outcome = StageOutcome.objects.get(complaint=case)
    assert (outcome.stage, outcome.outcome, outcome.findings, outcome.remedy_apology, outcome.remedy_explanation,
            outcome.remedy_action, outcome.compensation_amount, outcome.learning_points, outcome.responded_by) == (
        "stage1", "partly_upheld", "Two of the three collections were missed.", True, False, "Crew briefed",
        Decimal("150.00"), "Check the round sheet daily", officer)
    assert list(Action.objects.values_list("description", "owner", "due_date")) == [
        ("Add the street to the assisted collection list", manager.pk, D("2026-07-10"))]
    page = officer_client.get(f"/cases/{case.reference}/").content.decode()
    assert "Stage 1: Partly upheld" in page
    assert "Add the street to the assisted collection list: Mina Manager, due 10 July 2026" in page


def test_respond_with_an_offset_above_the_compensation_is_refused(officer_client, officer):
    case = acknowledged_case(officer)
    before = row_of(case)
    data = {**RESPONSE, "compensation_amount": "10", "compensation_offset_against_arrears": "20"}
    response = post_action(officer_client, case, "respond", data)
    assert_refused(response, "The arrears offset cannot be more than the compensation", case, before)
    assert StageOutcome.objects.count() == 0
    assert "Two of the three collections were missed." in response.content.decode()


def test_respond_with_half_an_action_names_the_missing_parts(officer_client, officer):
    case = acknowledged_case(officer)
    response = post_action(officer_client, case, "respond", {**RESPONSE, "action_2_description": "Apologise again"})
    assert error_summary(response) == ["Action 2: enter the owner, or leave the whole action blank",
                                       "Action 2: enter the due date, or leave the whole action blank"]


# --- extend --------------------------------------------------------------------
def test_extend_moves_the_response_deadline(officer_client, officer):
    case = acknowledged_case(officer)
    page = officer_client.get(f"/cases/{case.reference}/extend/").content.decode()
    assert "Wed 17 Jun 2026" in page and "Wed 1 Jul 2026" in page  # now, and the latest without agreement
    response = post_action(officer_client, case, "extend", {
        **date_parts("new_date", "2026-06-24"), "reason": "Waiting for the crew's records",
        **date_parts("told_on", "2026-06-10")})
    assert_done(officer_client, response, case, "Response deadline extended to Wed 24 Jun 2026")
    assert due(case, "stage1", "respond").due_date == D("2026-06-24")
    extension = Extension.objects.get()
    assert (extension.from_date, extension.to_date, extension.agreed_by_complainant, extension.granted_by,
            london_date(extension.complainant_told_at)) == (D("2026-06-17"), D("2026-06-24"), False, officer,
                                                            D("2026-06-10"))


def test_extend_past_the_cap_without_agreement_is_refused_and_allowed_with_it(officer_client, officer):
    case = acknowledged_case(officer)
    before = row_of(case)
    data = {**date_parts("new_date", "2026-07-02"), "reason": "Waiting for the crew's records",
            **date_parts("told_on", "2026-06-10")}
    response = post_action(officer_client, case, "extend", data)
    assert_refused(response, "2026-07-02 is past the policy's limit of 2026-07-01 (section 4 (Stage 1 Complaint)): "
                             "record the complainant's agreement to go further", case, before)
    assert due(case, "stage1", "respond").due_date == D("2026-06-17")
    response = post_action(officer_client, case, "extend", {**data, "complainant_agreed": "on"})
    assert response.status_code == 302
    assert due(case, "stage1", "respond").due_date == D("2026-07-02")


# --- panel meeting (The Barnet Group) ------------------------------------------
@pytest.fixture
def panel_case(db):
    from tests.factories import staff

    handler = staff("barnet-group")
    case = new_case("barnet-group", category="homelessness", complainant_type="resident")
    case = complaint_triage(complaint=case, by=handler, route="stage1", at=london("2026-06-01T11:00"))
    answer = ResponseDetails(outcome="not_upheld", findings="The allocation followed the scheme.")
    case = complaint_respond(complaint=case, by=handler, details=answer, at=london("2026-06-02T10:00"))
    case = complaint_escalate(complaint=case, by=handler, requested_at=london("2026-06-03T10:00"))
    case = complaint_respond(complaint=case, by=handler, details=answer, at=london("2026-06-04T10:00"))
    return complaint_escalate(complaint=case, by=handler, requested_at=london("2026-06-05T10:00"))


def test_record_the_panel_meeting(client, panel_case):
    from tests.factories import staff

    client.force_login(staff("barnet-group"))
    assert panel_case.state == "panel"
    response = post_action(client, panel_case, "meeting", date_parts("meeting_on", "2026-06-09"))
    assert_done(client, response, panel_case, "Panel meeting recorded")
    assert CaseStage.objects.get(complaint=panel_case, stage="panel").meeting_on == D("2026-06-09")
    # Respond within 10 working days of the meeting on Tue 9 Jun: Tue 23 Jun.
    assert due(panel_case, "panel", "respond").due_date == D("2026-06-23")


def test_a_panel_meeting_before_the_panel_was_asked_for_is_refused(client, panel_case):
    from tests.factories import staff

    client.force_login(staff("barnet-group"))
    before = row_of(panel_case)
    response = post_action(client, panel_case, "meeting", date_parts("meeting_on", "2026-06-04"))
    assert_refused(response, "The meeting cannot be dated before the stage started", panel_case, before)


# --- notify the department (Brighton & Hove, Stage 2) ---------------------------
@pytest.fixture
def brighton_stage2(db):
    from tests.factories import staff

    handler = staff("brighton-hove")
    case = complaint_triage(complaint=new_case("brighton-hove"), by=handler, route="stage1",
                            at=london("2026-06-01T11:00"))
    case = complaint_respond(complaint=case, by=handler, at=london("2026-06-02T10:00"),
                             details=ResponseDetails(outcome="upheld", findings="Missed collections."))
    return complaint_escalate(complaint=case, by=handler, requested_at=london("2026-06-08T10:00"))


def test_record_that_the_department_was_notified(client, brighton_stage2):
    from tests.factories import staff

    client.force_login(staff("brighton-hove"))
    page = client.get(f"/cases/{brighton_stage2.reference}/")
    assert 'data-action="notify-department"' in page.content.decode()
    response = post_action(client, brighton_stage2, "notify-department", date_parts("on", "2026-06-09"))
    assert_done(client, response, brighton_stage2, "Department notification recorded")
    stage = CaseStage.objects.get(complaint=brighton_stage2, stage="stage2")
    assert london_date(stage.department_notified_at) == D("2026-06-09")
    assert due(brighton_stage2, "stage2", "notify_department").met_at is not None


def test_notifying_the_department_on_a_stale_page_is_refused(client, brighton_stage2):
    from tests.factories import staff

    client.force_login(staff("brighton-hove"))
    opened = brighton_stage2.version
    case = someone_else_changes(brighton_stage2)
    before = row_of(case)
    response = post_action(client, case, "notify-department", date_parts("on", "2026-06-09"), version=opened)
    assert_refused(response, stale_message(case, opened), case, before)


# --- informal resolution (Barnet) ----------------------------------------------
@pytest.fixture
def barnet_informal(db):
    from tests.factories import staff

    return complaint_triage(complaint=new_case("barnet", received="2026-06-09T10:00"), by=staff("barnet"),
                            route="informal")


def test_resolve_informally_and_make_formal(client, barnet_informal):
    from tests.factories import staff

    client.force_login(staff("barnet"))
    page = client.get(f"/cases/{barnet_informal.reference}/")
    offered = page.content.decode()
    assert 'data-action="resolve-informally"' in offered and 'data-action="make-formal"' in offered
    response = post_action(client, barnet_informal, "resolve-informally", {"reason": "Bins collected next day"})
    assert_done(client, response, barnet_informal, "BAR-2026-00001 resolved informally")
    assert (fresh(barnet_informal).state, fresh(barnet_informal).closed_after_stage) == ("closed", "informal")


def test_make_formal_starts_stage1_and_a_stale_page_is_refused(client, barnet_informal):
    from tests.factories import staff

    client.force_login(staff("barnet"))
    opened = barnet_informal.version
    case = someone_else_changes(barnet_informal)
    before = row_of(case)
    response = post_action(client, case, "make-formal", {"reason": ""}, version=opened)
    assert_refused(response, stale_message(case, opened), case, before)
    response = post_action(client, case, "make-formal", {"reason": "Not sorted in 48 hours"})
    assert_done(client, response, case, "BAR-2026-00001 is now a formal complaint")
    assert fresh(case).state == "stage1"


def test_resolving_informally_on_a_stale_page_is_refused(client, barnet_informal):
    from tests.factories import staff

    client.force_login(staff("barnet"))
    opened = barnet_informal.version
    case = someone_else_changes(barnet_informal)
    before = row_of(case)
    response = post_action(client, case, "resolve-informally", {"reason": "Sorted"}, version=opened)
    assert_refused(response, stale_message(case, opened), case, before)


# --- escalate ------------------------------------------------------------------
def test_escalate_to_review_with_a_reviewer(officer_client, officer, manager):
    case = answered_case(officer)
    page = officer_client.get(f"/cases/{case.reference}/escalate/").content.decode()
    assert "Review" in page and "Mon 6 Jul 2026" in page  # the next stage and the last day to ask
    response = post_action(officer_client, case, "escalate",
                           {**date_parts("requested_on", "2026-06-09"), "reviewer": manager.pk})
    assert_done(officer_client, response, case, "LBD-2026-00001 escalated: now stage 2")
    case = fresh(case)
    assert (case.state, case.stage, case.assigned_officer) == ("stage2", "stage2", manager)
    # Acknowledge within 5 working days of the request on Tue 9 Jun: Tue 16 Jun.
    assert due(case, "stage2", "acknowledge").due_date == D("2026-06-16")


def test_escalate_to_a_reviewer_who_handled_stage1_is_refused(officer_client, officer):
    case = answered_case(officer)
    before = row_of(case)
    response = post_action(officer_client, case, "escalate",
                           {**date_parts("requested_on", "2026-06-09"), "reviewer": officer.pk})
    assert_refused(response, "Olu Officer handled stage1 of LBD-2026-00001, so cannot review it at stage2: the "
                             "reviewer must not be anyone who handled the earlier stage", case, before)
