"""Councils and their policy departures, Ombudsman cases, feedback and the dashboard figures."""

import datetime as dt

import pytest
from django.utils import timezone

from complaints.models import Feedback, State
from complaints.services.holds import complaint_hold
from policies.departures import policy_departures
from policies.loader import policy_registry
from tests.api.conftest import answered_case, stage1_case
from tests.factories import staff

pytestmark = pytest.mark.django_db


def test_council_with_its_current_policy_and_departures_from_the_codes(barnet_api):
    listed = barnet_api.get("/api/v1/councils/").json()
    assert [c["slug"] for c in listed] == ["barnet"]
    data = barnet_api.get("/api/v1/councils/barnet/").json()
    assert data == listed[0]
    policy = data["policy"]
    assert (policy["version_id"], policy["effective_from"]) == ("2024.1", "2024-06-01")
    assert [s["key"] for s in policy["stages"]] == ["informal", "stage1", "stage2"]
    expected = [d.as_dict() for d in policy_departures(policy_registry()["barnet"])]
    assert policy["departures"] == [{k: v for k, v in d.items() if k != "slug"} for d in expected]
    assert {d["rule"] for d in policy["departures"]} >= {"informal_stage", "time_limit"}


def test_ombudsman_case_create_list_and_retrieve(lbbd_api, officer):
    case = answered_case(officer)
    response = lbbd_api.post("/api/v1/ombudsman-cases/", {
        "ombudsman": "lgsco", "their_reference": "24 001 234", "received_on": "2026-07-01",
        "complaint": case.reference, "council_contact": officer.username}, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["complaint"], created["premature"], created["council_contact"]) == (
        case.reference, True, officer.username)
    case.refresh_from_db()
    assert case.state == State.OMBUDSMAN
    assert lbbd_api.get("/api/v1/ombudsman-cases/").json()["results"] == [created]
    assert lbbd_api.get(f"/api/v1/ombudsman-cases/{created['id']}/").json() == created
    assert lbbd_api.get("/api/v1/ombudsman-cases/999999999/").status_code == 404


def test_ombudsman_case_without_a_complaint_and_duplicates(lbbd_api):
    body = {"ombudsman": "housing", "their_reference": "HOS-1", "received_on": "2026-07-01"}
    first = lbbd_api.post("/api/v1/ombudsman-cases/", body, format="json")
    assert first.status_code == 201 and first.json()["complaint"] is None and first.json()["premature"] is True
    again = lbbd_api.post("/api/v1/ombudsman-cases/", body, format="json")
    assert again.status_code == 409 and again.json()["error"] == "duplicate"
    blank = lbbd_api.post("/api/v1/ombudsman-cases/", {**body, "their_reference": "  "}, format="json")
    assert blank.status_code == 409 and blank.json()["error"] == "policy_guard"


def test_ombudsman_case_for_a_withdrawn_complaint_is_refused(lbbd_api, officer):
    from complaints.services.lifecycle import complaint_withdraw

    case = complaint_withdraw(complaint=stage1_case(officer), by=officer, reason="Gone")
    response = lbbd_api.post("/api/v1/ombudsman-cases/", {
        "ombudsman": "lgsco", "their_reference": "LG-9", "received_on": "2026-07-01",
        "complaint": case.reference}, format="json")
    assert response.status_code == 409 and response.json()["error"] == "transition_not_allowed"


def test_feedback_record_and_list(barnet_api):
    created = barnet_api.post("/api/v1/feedback/", {"kind": "compliment", "text": "The crew were lovely",
                                                    "name": "Kim", "email": "kim@example.org"}, format="json")
    assert created.status_code == 201, created.json()
    barnet_api.post("/api/v1/feedback/", {"kind": "suggestion", "text": "Weekly food waste"}, format="json")
    assert [f["kind"] for f in barnet_api.get("/api/v1/feedback/").json()["results"]] == ["suggestion",
                                                                                          "compliment"]
    assert [f["text"] for f in barnet_api.get("/api/v1/feedback/?kind=compliment").json()["results"]] == [
        "The crew were lovely"]
    assert barnet_api.get("/api/v1/feedback/?kind=complaint").status_code == 400


def test_feedback_the_councils_policy_does_not_record_is_refused(lbbd_api):
    response = lbbd_api.post("/api/v1/feedback/", {"kind": "compliment", "text": "Thanks"}, format="json")
    assert response.status_code == 409 and response.json()["error"] == "policy_guard"
    assert not Feedback.objects.exists()


def test_dashboard_counts_open_and_overdue_deadlines_by_stage(lbbd_api, officer):
    stage1_case(officer, received="2026-06-01T10:00")  # acknowledge and respond both overdue
    recent = (timezone.localtime() - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    stage1_case(officer, received=recent)  # both open, not yet due
    held = complaint_hold(complaint=stage1_case(officer, received="2026-06-02T10:00"), by=officer, reason="Wait")
    assert held.state == State.ON_HOLD  # paused: open, not overdue
    answered_case(staff("lbbd"), received="2026-06-03T10:00")  # met; the escalation window is not the council's
    data = lbbd_api.get("/api/v1/dashboard/").json()
    assert data["council"] == "lbbd" and data["today"] == timezone.localdate().isoformat()
    assert data["stages"] == [{"stage": "stage1", "open": 6, "overdue": 2}]
    assert (data["open"], data["overdue"]) == (6, 2)


def test_overdue_means_the_same_everywhere(lbbd_api, officer):
    """A case the Ombudsman took keeps its old stage deadlines, but they are no longer the council's to meet;
    the Ombudsman's enquiry deadline is, case or no case."""
    from complaints.services.lifecycle import complaint_refer_to_ombudsman
    from ombudsman.services import ombudsman_case_open, ombudsman_enquiry_record
    from tests.factories import council

    taken = complaint_refer_to_ombudsman(complaint=stage1_case(officer), by=officer)
    standalone = ombudsman_case_open(council=council("lbbd"), by=officer, ombudsman="lgsco",
                                     their_reference="LG-77", received_on=dt.date(2026, 6, 1))
    ombudsman_enquiry_record(case=standalone, by=officer, received_on=dt.date(2026, 6, 1),
                             description="Send the file", respond_within=20, unit="working_days")
    assert lbbd_api.get("/api/v1/complaints/?overdue=true").json()["results"] == []
    detail = lbbd_api.get(f"/api/v1/complaints/{taken.reference}/").json()
    assert detail["overdue"] is False and not any(d["overdue"] for d in detail["deadlines"])
    overdue = lbbd_api.get("/api/v1/deadlines/?overdue=true").json()["results"]
    assert [(d["complaint"], d["kind"], d["overdue"]) for d in overdue] == [(None, "ombudsman_enquiry", True)]
    figures = lbbd_api.get("/api/v1/dashboard/").json()
    assert figures["stages"] == [{"stage": "ombudsman", "open": 1, "overdue": 1}]
