"""The stage actions the first API version left out: the meeting, the department's notification, and
an informal complaint made formal or resolved, each through its own service, with 409s from it."""

import datetime as dt

import pytest

from complaints.models import CaseStage, State
from complaints.services.intake import complaint_triage
from complaints.services.lifecycle import complaint_escalate
from complaints.services.stage_work import ResponseDetails, complaint_respond
from tests.api.conftest import new_case, ok, post, refused, stage1_case, token_client
from tests.factories import london, make_complaint, service_area, staff

pytestmark = pytest.mark.django_db


def row(data, stage, kind):
    return next(d for d in data["deadlines"] if d["stage"] == stage and d["kind"] == kind)


def answer(case, by, at):
    return complaint_respond(complaint=case, by=by, details=ResponseDetails(outcome="not_upheld", findings="On time"),
                             at=london(at))


@pytest.fixture
def panel_case(loaded_policies):
    """A Barnet Group homelessness complaint at the Stage 3 Panel, confirmed Mon 6 Jul 2026."""
    officer, reviewer, chair = (staff("barnet-group") for _ in range(3))
    area = service_area("barnet-group", "Housing options and homelessness", "homelessness")
    case = make_complaint("barnet-group", "2026-06-01T10:00", areas=[area], complainant_type="homeless_applicant")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    case = answer(case, officer, "2026-06-11T10:00")
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-06-22T10:00"), reviewer=reviewer)
    case = answer(case, reviewer, "2026-07-02T10:00")
    return complaint_escalate(complaint=case, by=officer, requested_at=london("2026-07-06T10:00"), reviewer=chair)


@pytest.fixture
def informal_case(loaded_policies):
    return complaint_triage(complaint=new_case("barnet"), by=staff("barnet"), route="informal",
                            at=london("2026-06-01T11:00"))


# --- record-meeting ---------------------------------------------------------------------------
def test_record_meeting_meets_the_panel_deadline_and_counts_the_response_from_it(panel_case):
    api = token_client("barnet-group")
    assert "record-meeting" in api.get(f"/api/v1/complaints/{panel_case.reference}/").json()["available_actions"]
    data = ok(post(api, panel_case, "record-meeting", meeting_on="2026-07-22"), "panel")
    assert row(data, "panel", "meeting")["met_at"] is not None
    # Met Wed 22 Jul: 10 working days later is Wed 5 Aug (no bank holidays), no longer provisional.
    respond = row(data, "panel", "respond")
    assert (respond["due_date"], respond["provisional"]) == ("2026-08-05", False)
    assert CaseStage.objects.get(complaint=panel_case, stage="panel").meeting_on == dt.date(2026, 7, 22)


def test_recording_a_meeting_at_a_stage_without_one_is_refused(lbbd_api, officer):
    case = stage1_case(officer)
    assert "record-meeting" not in lbbd_api.get(f"/api/v1/complaints/{case.reference}/").json()["available_actions"]
    assert "has no meeting" in refused(post(lbbd_api, case, "record-meeting", meeting_on="2026-06-03"),
                                       "policy_guard")["detail"]


def test_a_meeting_dated_in_the_future_or_before_the_stage_is_refused(panel_case):
    api = token_client("barnet-group")
    future = post(api, panel_case, "record-meeting", meeting_on=(dt.date.today() + dt.timedelta(days=3)).isoformat())
    assert future.status_code == 400 and "meeting_on" in future.json()["fields"]
    assert "before the stage started" in refused(post(api, panel_case, "record-meeting", meeting_on="2026-07-01"),
                                                 "policy_guard")["detail"]


# --- notify-department ------------------------------------------------------------------------
def test_notify_department_meets_brighton_and_hoves_stage2_notification_deadline(loaded_policies):
    officer, reviewer = staff("brighton-hove"), staff("brighton-hove")
    case = complaint_triage(complaint=make_complaint("brighton-hove", "2026-08-03T10:00"), by=officer,
                            route="stage1", at=london("2026-08-03T11:00"))
    case = answer(case, officer, "2026-08-17T10:00")
    case = complaint_escalate(complaint=case, by=officer, requested_at=london("2026-08-27T10:00"), reviewer=reviewer)
    data = ok(post(token_client("brighton-hove"), case, "notify-department", at="2026-09-01T09:30:00+01:00"),
              "stage2")
    notify = row(data, "stage2", "notify_department")
    assert (notify["due_date"], notify["met_at"]) == ("2026-09-04", "2026-09-01T09:30:00+01:00")


def test_notifying_the_department_of_a_case_not_being_worked_is_refused(lbbd_api):
    refused(post(lbbd_api, new_case(), "notify-department"))


# --- make-formal and resolve-informally ---------------------------------------------------------
def test_informal_case_offers_both_ways_out(informal_case):
    actions = token_client("barnet").get(f"/api/v1/complaints/{informal_case.reference}/").json()[
        "available_actions"]
    assert {"make-formal", "resolve-informally"} <= set(actions)


def test_make_formal_starts_stage1_counted_from_the_original_receipt(informal_case):
    data = ok(post(token_client("barnet"), informal_case, "make-formal", reason="Not resolved at first contact"),
              State.STAGE1)
    assert data["stage"] == "stage1"
    assert row(data, "informal", "respond")["met_at"] is not None
    assert row(data, "stage1", "respond")["explanation"]
    assert informal_case.history.order_by("-history_id").first().history_change_reason == (
        "made_formal: Not resolved at first contact")


def test_making_a_stage1_complaint_formal_is_refused(lbbd_api, officer):
    assert "Cannot make the complaint formal" in refused(post(lbbd_api, stage1_case(officer), "make-formal"))[
        "detail"]


def test_resolve_informally_closes_after_the_informal_stage(informal_case):
    data = ok(post(token_client("barnet"), informal_case, "resolve-informally", reason="Bins collected same day"),
              State.CLOSED)
    assert data["closed_after_stage"] == "informal"
    assert row(data, "informal", "respond")["met_at"] is not None


def test_resolve_informally_needs_a_reason_and_an_informal_case(lbbd_api, officer, informal_case):
    missing = post(token_client("barnet"), informal_case, "resolve-informally")
    assert missing.status_code == 400 and "reason" in missing.json()["fields"]
    refused(post(lbbd_api, stage1_case(officer), "resolve-informally", reason="Sorted"))
