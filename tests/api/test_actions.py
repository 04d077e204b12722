"""Each complaint action: a happy path through the API, and a refusal (409) from the service."""

import pytest

from complaints.models import Deadline, State
from complaints.services.holds import complaint_hold
from complaints.services.intake import RepresentativeDetails, complaint_triage
from complaints.services.lifecycle import complaint_close, complaint_escalate, complaint_withdraw
from tests.api.conftest import acknowledged_case, answered_case, new_case, ok, post, refused, stage1_case
from tests.factories import london, staff

pytestmark = pytest.mark.django_db


def respond_deadline(data, stage="stage1"):
    return next(d for d in data["deadlines"] if d["stage"] == stage and d["kind"] == "respond")


# --- triage -------------------------------------------------------------------------
def test_triage_starts_stage1_with_its_deadlines(lbbd_api):
    case = new_case()
    data = ok(post(lbbd_api, case, "triage", route="stage1"), "stage1")
    assert data["version"] == case.version + 1
    assert {d["kind"] for d in data["deadlines"]} == {"acknowledge", "respond"}
    assert all(d["explanation"] for d in data["deadlines"])


def test_triage_to_a_stage_the_council_does_not_have_is_refused(lbbd_api):
    assert "no informal stage" in refused(post(lbbd_api, new_case(), "triage", route="informal"),
                                          "policy_guard")["detail"]


# --- stage work -------------------------------------------------------------------------
def test_acknowledge(lbbd_api, officer):
    case = stage1_case(officer)
    data = ok(post(lbbd_api, case, "acknowledge", at="2026-06-02T09:00:00+01:00"), "stage1")
    ack = next(d for d in data["deadlines"] if d["kind"] == "acknowledge")
    assert ack["met_at"] is not None and ack["overdue"] is False


def test_acknowledging_twice_is_refused(lbbd_api, officer):
    refused(post(lbbd_api, acknowledged_case(officer), "acknowledge"))


def test_extend_moves_the_response_deadline_within_the_cap(lbbd_api, officer):
    case = acknowledged_case(officer)
    before = Deadline.objects.get(complaint=case, kind="respond")
    new_date = before.cap_date.isoformat()
    data = ok(post(lbbd_api, case, "extend", new_date=new_date, reason="Waiting for the repairs contractor"),
              "stage1")
    row = respond_deadline(data)
    assert (row["due_date"], row["extensions"]) == (new_date, 1)
    assert "Waiting for the repairs contractor" in row["explanation"]


def test_extending_to_an_earlier_date_is_refused(lbbd_api, officer):
    case = acknowledged_case(officer)
    earlier = Deadline.objects.get(complaint=case, kind="respond").due_date.replace(day=1).isoformat()
    refused(post(lbbd_api, case, "extend", new_date=earlier, reason="Sooner"), "policy_guard")


def test_respond_records_the_outcome_remedies_and_opens_the_escalation_window(lbbd_api, officer):
    case = acknowledged_case(officer)
    data = ok(post(lbbd_api, case, "respond", outcome="partly_upheld", findings="Two collections were missed.",
                   remedy_apology=True, compensation_amount="50.00", at="2026-06-05T12:00:00+01:00",
                   actions=[{"description": "Check the round", "owner": officer.username,
                             "due_date": "2026-07-01"}]),
              "stage1_responded")
    assert "escalate" in data["available_actions"]
    assert any(d["kind"] == "escalate" for d in data["deadlines"])
    outcome = case.outcomes.get()
    assert (outcome.outcome, str(outcome.compensation_amount)) == ("partly_upheld", "50.00")
    assert outcome.actions.get().owner == officer


def test_responding_to_a_case_not_being_worked_is_refused(lbbd_api):
    refused(post(lbbd_api, new_case(), "respond", outcome="upheld", findings="Yes"))


def test_respond_with_an_owner_of_another_council_is_a_400(lbbd_api, officer):
    case = acknowledged_case(officer)
    other = staff("barnet")
    response = post(lbbd_api, case, "respond", outcome="upheld", findings="Yes",
                    actions=[{"description": "x", "owner": other.username, "due_date": "2026-07-01"}])
    assert response.status_code == 400 and "actions" in response.json()["fields"]


# --- moving between stages ---------------------------------------------------------------
def test_escalate_starts_the_review_stage(lbbd_api, officer):
    case = answered_case(officer)
    data = ok(post(lbbd_api, case, "escalate", requested_at="2026-06-08T10:00:00+01:00"), "stage2")
    assert {d["stage"] for d in data["deadlines"]} >= {"stage2"}


def test_escalating_an_unanswered_case_is_refused(lbbd_api, officer):
    refused(post(lbbd_api, stage1_case(officer), "escalate"))


def test_escalating_late_without_a_reason_is_refused(lbbd_api, officer):
    assert "after the last day to ask" in refused(
        post(lbbd_api, answered_case(officer), "escalate", requested_at="2026-11-02T10:00:00Z"),
        "policy_guard")["detail"]


def test_escalate_on_an_informal_complaint_makes_it_formal(barnet_api, loaded_policies):
    officer = staff("barnet")
    case = complaint_triage(complaint=new_case("barnet"), by=officer, route="informal",
                            at=london("2026-06-01T11:00"))
    ok(post(barnet_api, case, "escalate", discretion_reason="Not resolved at first contact"), "stage1")


def test_hold(lbbd_api, officer):
    data = ok(post(lbbd_api, stage1_case(officer), "hold", reason="Waiting for the tenancy file"), "on_hold")
    assert all(d["paused"] for d in data["deadlines"] if d["met_at"] is None)


def test_holding_without_a_reason_or_a_new_case_is_refused(lbbd_api, officer):
    refused(post(lbbd_api, stage1_case(officer), "hold", reason="   "), "policy_guard")
    refused(post(lbbd_api, new_case(received="2026-06-02T10:00"), "hold", reason="Waiting"))


def test_resume(lbbd_api, officer):
    case = complaint_hold(complaint=stage1_case(officer), by=officer, reason="Waiting")
    data = ok(post(lbbd_api, case, "resume"), "stage1")
    assert not any(d["paused"] for d in data["deadlines"])


def test_resuming_a_case_not_on_hold_is_refused(lbbd_api, officer):
    refused(post(lbbd_api, stage1_case(officer), "resume"))


def test_withdraw(lbbd_api, officer):
    data = ok(post(lbbd_api, stage1_case(officer), "withdraw", reason="Resolved by phone"), "withdrawn")
    assert all(d["cancelled_at"] for d in data["deadlines"] if d["met_at"] is None)


def test_withdrawing_twice_is_refused(lbbd_api, officer):
    case = complaint_withdraw(complaint=stage1_case(officer), by=officer, reason="Gone")
    refused(post(lbbd_api, case, "withdraw"))


def test_refuse(lbbd_api):
    data = ok(post(lbbd_api, new_case(), "refuse", reason="An insurance claim",
                   signposting="Contact the insurance team"), "refused")
    assert data["signposting"] == "Contact the insurance team"


def test_refusing_an_answered_case_is_refused(lbbd_api, officer):
    refused(post(lbbd_api, answered_case(officer), "refuse", reason="No", signposting="Elsewhere"))


def test_close(lbbd_api, officer):
    data = ok(post(lbbd_api, answered_case(officer), "close", reason="No escalation asked"), "closed")
    assert data["closed_after_stage"] == "stage1"


def test_close_on_an_informal_complaint_resolves_it(barnet_api, loaded_policies):
    officer = staff("barnet")
    case = complaint_triage(complaint=new_case("barnet"), by=officer, route="informal",
                            at=london("2026-06-01T11:00"))
    assert ok(post(barnet_api, case, "close", reason="Sorted"), "closed")["closed_after_stage"] == "informal"


def test_closing_a_new_case_is_refused(lbbd_api):
    refused(post(lbbd_api, new_case(), "close"))


def test_reopen(lbbd_api, officer):
    case = complaint_close(complaint=answered_case(officer), by=officer)
    ok(post(lbbd_api, case, "reopen", reason="The complainant came back within the window"), "stage1_responded")


def test_reopening_an_open_case_is_refused(lbbd_api, officer):
    refused(post(lbbd_api, stage1_case(officer), "reopen", reason="Why not"))


def test_refer_to_ombudsman(lbbd_api, officer):
    ok(post(lbbd_api, stage1_case(officer), "refer-to-ombudsman", reason="LGSCO took it early"), State.OMBUDSMAN)


def test_referring_a_withdrawn_case_is_refused(lbbd_api, officer):
    case = complaint_withdraw(complaint=stage1_case(officer), by=officer, reason="Gone")
    refused(post(lbbd_api, case, "refer-to-ombudsman"))


# --- people -----------------------------------------------------------------------------------
def test_assign(lbbd_api, officer):
    data = ok(post(lbbd_api, stage1_case(officer), "assign", officer=officer.username), "stage1")
    assert data["assigned_officer"] == officer.username


def test_assigning_the_stage1_handler_to_review_is_refused(lbbd_api, officer):
    case = complaint_escalate(complaint=answered_case(officer), by=officer,
                              requested_at=london("2026-06-08T10:00"))
    assert "cannot review" in refused(post(lbbd_api, case, "assign", officer=officer.username),
                                      "policy_guard")["detail"]


def test_assigning_someone_of_another_council_is_a_400(lbbd_api, officer):
    response = post(lbbd_api, stage1_case(officer), "assign", officer=staff("barnet").username)
    assert response.status_code == 400 and "officer" in response.json()["fields"]


def test_record_consent_resumes_a_case_held_for_it(lbbd_api, officer):
    case = new_case(representative=RepresentativeDetails(name="Sam Friend", relationship="friend", role="friend"))
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-06-01T11:00"))
    assert case.state == State.ON_HOLD
    data = ok(post(lbbd_api, case, "record-consent", received_on="2026-06-03",
                   evidence="Signed form received by post"), "stage1")
    assert data["representative"]["consent"] == "received"


def test_record_consent_without_a_representative_is_refused(lbbd_api):
    refused(post(lbbd_api, new_case(), "record-consent", received_on="2026-06-03", evidence="Form"),
            "policy_guard")


# --- the optimistic lock ----------------------------------------------------------------------------
@pytest.mark.parametrize("action, body", [
    ("acknowledge", {}), ("hold", {"reason": "Waiting"}), ("withdraw", {}), ("assign", {"officer": None}),
])
def test_a_stale_version_is_a_409_stale_and_changes_nothing(lbbd_api, officer, action, body):
    case = stage1_case(officer)
    if "officer" in body:
        body["officer"] = officer.username
    response = post(lbbd_api, case, action, version=case.version - 1, **body)
    detail = refused(response, "stale")["detail"]
    assert "changed by someone else" in detail
    case.refresh_from_db()
    assert case.state == State.STAGE1 and case.assigned_officer is None
