"""Transfer to another body, linking cases, reasonable adjustments, and who may take which action:
each through its service, with the optimistic lock, 409s from the service and 400s for bad input."""

import pytest
from rest_framework.test import APIClient

from complaints.models import Complaint, ComplaintLink, State, StaffRole
from complaints.services.lifecycle import complaint_assign, complaint_withdraw
from tests.api.conftest import new_case, ok, post, refused, stage1_case
from tests.factories import staff

pytestmark = pytest.mark.django_db


# --- transfer ---------------------------------------------------------------------------------
def test_transfer_closes_the_case_here_and_names_where_it_went(lbbd_api, officer):
    case = stage1_case(officer)
    data = ok(post(lbbd_api, case, "transfer", to_council="barnet", reason="The road is Barnet's"), State.CLOSED)
    receiving = Complaint.objects.get(council__slug="barnet")
    assert data["transferred_to"] == {"council": "barnet", "reference": receiving.reference}
    assert (receiving.state, receiving.summary) == (State.NEW, case.summary)
    assert all(d["cancelled_at"] for d in data["deadlines"] if d["met_at"] is None)
    assert data["links"] == []  # the transfer link crosses councils: it is transferred_to, not a link
    assert "reopen" not in data["available_actions"]


def test_transfer_to_an_unknown_body_is_a_400_and_to_the_same_body_a_409(lbbd_api, officer):
    case = stage1_case(officer)
    unknown = post(lbbd_api, case, "transfer", to_council="atlantis", reason="Lost")
    assert unknown.status_code == 400
    assert unknown.json()["fields"] == {"to_council": ["No body 'atlantis' on this service."]}
    assert "different body" in refused(post(lbbd_api, case, "transfer", to_council="lbbd", reason="Same"),
                                       "policy_guard")["detail"]
    assert "needs a reason" in refused(post(lbbd_api, case, "transfer", to_council="barnet", reason="  "),
                                       "policy_guard")["detail"]
    assert Complaint.objects.filter(council__slug="barnet").count() == 0


def test_transferring_a_withdrawn_case_is_refused_and_creates_nothing(lbbd_api, officer):
    case = complaint_withdraw(complaint=stage1_case(officer), by=officer, reason="Gone")
    refused(post(lbbd_api, case, "transfer", to_council="barnet", reason="Theirs"))
    assert not Complaint.objects.filter(council__slug="barnet").exists()


# --- link ---------------------------------------------------------------------------------------
def test_link_shows_on_both_cases(lbbd_api, officer):
    first, second = stage1_case(officer), stage1_case(officer, received="2026-06-02T10:00")
    data = ok(post(lbbd_api, first, "link", reference=second.reference.lower(), kind="joint"), State.STAGE1)
    assert [(link["reference"], link["kind"]) for link in data["links"]] == [(second.reference, "joint")]
    assert data["version"] == first.version + 1
    other = lbbd_api.get(f"/api/v1/complaints/{second.reference}/").json()
    assert [(link["reference"], link["kind"]) for link in other["links"]] == [(first.reference, "joint")]


def test_linking_again_changes_nothing(lbbd_api, officer):
    first, second = stage1_case(officer), stage1_case(officer, received="2026-06-02T10:00")
    version = ok(post(lbbd_api, first, "link", reference=second.reference, kind="joint"), State.STAGE1)["version"]
    again = ok(post(lbbd_api, first, "link", reference=second.reference, kind="joint", version=version),
               State.STAGE1)
    assert again["version"] == version and ComplaintLink.objects.count() == 1


def test_link_refusals(lbbd_api, officer):
    case = stage1_case(officer)
    assert "cannot be linked to itself" in refused(
        post(lbbd_api, case, "link", reference=case.reference, kind="joint"), "policy_guard")["detail"]
    unknown = post(lbbd_api, case, "link", reference="LBD-2099-99999", kind="joint")
    assert unknown.status_code == 400 and "reference" in unknown.json()["fields"]
    transferred = post(lbbd_api, case, "link", reference=case.reference, kind="transferred")
    assert transferred.status_code == 400 and "kind" in transferred.json()["fields"]
    other = stage1_case(officer, received="2026-06-02T10:00")
    stale = post(lbbd_api, case, "link", reference=other.reference, kind="joint", version=case.version - 1)
    assert "changed by someone else" in refused(stale, "stale")["detail"]
    assert not ComplaintLink.objects.exists()


# --- record-adjustments ---------------------------------------------------------------------------
def test_record_adjustments(lbbd_api):
    case = new_case()
    data = ok(post(lbbd_api, case, "record-adjustments", adjustments="Large print letters",
                   contact_preference="letter"), State.NEW)
    assert (data["complainant"]["reasonable_adjustments"], data["complainant"]["contact_preference"]) == (
        "Large print letters", "letter")
    assert data["version"] == case.version + 1
    case.complainant.refresh_from_db()
    assert case.complainant.adjustments_reviewed_at is not None


def test_record_adjustments_refuses_an_unknown_preference_and_a_stale_version(lbbd_api):
    case = new_case()
    bad = post(lbbd_api, case, "record-adjustments", adjustments="", contact_preference="pigeon")
    assert bad.status_code == 400 and "contact_preference" in bad.json()["fields"]
    refused(post(lbbd_api, case, "record-adjustments", adjustments="", contact_preference="email",
                 version=case.version + 5), "stale")


# --- who may -----------------------------------------------------------------------------------------
def test_a_session_needs_the_role_the_case_screens_require(loaded_policies):
    """An investigating officer may work their case (acknowledge) but not move it out (transfer, link)."""
    investigator = staff("lbbd", role=StaffRole.INVESTIGATING_OFFICER)
    case = complaint_assign(complaint=stage1_case(staff("lbbd")), by=staff("lbbd"), officer=investigator)
    client = APIClient()
    client.force_login(investigator)
    for action, body, refusal in [
            ("transfer", {"to_council": "barnet", "reason": "Theirs"}, "Your role cannot transfer to another body"),
            ("link", {"reference": case.reference, "kind": "joint"}, "Your role cannot link cases")]:
        response = post(client, case, action, **body)
        assert response.status_code == 403, action
        assert response.json() == {"error": "permission_denied", "detail": refusal}
    ok(post(client, case, "acknowledge"), State.STAGE1)


def test_a_token_acts_as_a_complaints_officer_and_may_transfer(lbbd_api, officer):
    ok(post(lbbd_api, stage1_case(officer), "transfer", to_council="barnet", reason="Theirs"), State.CLOSED)
