"""Every endpoint is scoped to the caller's council: another council's record is a 404, never a 403,
whatever the body, and lists and figures never include it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints.api.actions import ACTIONS
from complaints.models import Attachment, ComplaintLink, Feedback
from complaints.services.people import correspondence_attach
from complaints.services.records import complaint_add_note, complaint_record_correspondence
from ombudsman.services import ombudsman_case_open
from tests.api.conftest import stage1_case
from tests.factories import council, london, staff

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

VALID_BODIES = {
    "triage": {"route": "stage1"},
    "acknowledge": {},
    "extend": {"new_date": "2026-07-01", "reason": "More time"},
    "respond": {"outcome": "upheld", "findings": "Found"},
    "escalate": {},
    "hold": {"reason": "Waiting"},
    "resume": {},
    "withdraw": {},
    "refuse": {"reason": "No", "signposting": "Elsewhere"},
    "close": {},
    "reopen": {"reason": "Back"},
    "refer-to-ombudsman": {},
    "assign": {"officer": "api:lbbd"},
    "record-consent": {"received_on": "2026-06-02", "evidence": "Form"},
    "record-meeting": {"meeting_on": "2026-06-10"},
    "notify-department": {},
    "make-formal": {},
    "resolve-informally": {"reason": "Sorted"},
    "transfer": {"to_council": "lbbd", "reason": "Theirs"},
    "link": {"reference": "BAR-2026-00001", "kind": "joint"},
    "record-adjustments": {"adjustments": "Large print", "contact_preference": "letter"},
}
READS = ["", "notes/", "correspondence/", "deadlines/", "attachments/"]


@pytest.fixture
def barnet_case(loaded_policies):
    officer = staff("barnet")
    case = stage1_case(officer, "barnet")
    complaint_add_note(complaint=case, by=officer, text="Barnet's note")
    letter = complaint_record_correspondence(complaint=case, by=officer, direction="in", kind="letter",
                                             subject="Photos", occurred_at=london("2026-06-02T10:00"))
    correspondence_attach(correspondence=letter, by=officer, uploaded_file=SimpleUploadedFile(
        "photo.png", PNG, content_type="image/png"))
    case.refresh_from_db()
    return case


@pytest.fixture
def lbbd_case(loaded_policies):
    return stage1_case(staff("lbbd"))


def assert_untouched(case):
    before = (case.version, case.state)
    case.refresh_from_db()
    assert (case.version, case.state) == before


def test_every_action_has_a_valid_body_here():
    assert set(VALID_BODIES) == {spec.name for spec in ACTIONS}


@pytest.mark.parametrize("suffix", READS)
def test_reading_another_councils_complaint_is_404(lbbd_api, barnet_case, suffix):
    response = lbbd_api.get(f"/api/v1/complaints/{barnet_case.reference}/{suffix}")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "No such complaint"}


@pytest.mark.parametrize("action", sorted(VALID_BODIES))
@pytest.mark.parametrize("body_kind", ["valid", "empty"])
def test_every_action_on_another_councils_complaint_is_404(lbbd_api, barnet_case, action, body_kind):
    body = {"version": barnet_case.version, **VALID_BODIES[action]} if body_kind == "valid" else {}
    response = lbbd_api.post(f"/api/v1/complaints/{barnet_case.reference}/{action}/", body, format="json")
    assert response.status_code == 404, response.json()
    assert response.json()["error"] == "not_found"
    assert_untouched(barnet_case)


@pytest.mark.parametrize("suffix, body", [
    ("notes/", {"text": "Sneaky"}),
    ("correspondence/", {"direction": "in", "kind": "email", "subject": "Sneaky"}),
])
def test_writing_records_on_another_councils_complaint_is_404(lbbd_api, barnet_case, suffix, body):
    response = lbbd_api.post(f"/api/v1/complaints/{barnet_case.reference}/{suffix}", body, format="json")
    assert response.status_code == 404
    assert_untouched(barnet_case)
    assert barnet_case.notes.count() == 1 and barnet_case.correspondence.count() == 1


def test_another_councils_attachments_are_404_and_cannot_be_added_to(lbbd_api, barnet_case):
    attachment = Attachment.objects.get(correspondence__complaint=barnet_case)
    letter = attachment.correspondence
    urls = [f"/api/v1/complaints/{barnet_case.reference}/attachments/{attachment.pk}/download/",
            f"/api/v1/complaints/{barnet_case.reference}/correspondence/{letter.pk}/attachments/"]
    for url in urls:
        response = lbbd_api.get(url)
        assert response.status_code == 404 and response.json()["error"] == "not_found", url
    upload = SimpleUploadedFile("sneaky.png", PNG, content_type="image/png")
    response = lbbd_api.post(urls[1], {"file": upload}, format="multipart")
    assert response.status_code == 404
    assert Attachment.objects.count() == 1


def test_another_councils_attachment_is_404_through_your_own_complaint(lbbd_api, barnet_case, lbbd_case):
    """The attachment id and correspondence id are looked up within the complaint in the path."""
    attachment = Attachment.objects.get(correspondence__complaint=barnet_case)
    own = f"/api/v1/complaints/{lbbd_case.reference}"
    assert lbbd_api.get(f"{own}/attachments/{attachment.pk}/download/").status_code == 404
    assert lbbd_api.get(f"{own}/correspondence/{attachment.correspondence_id}/attachments/").status_code == 404
    upload = SimpleUploadedFile("sneaky.png", PNG, content_type="image/png")
    response = lbbd_api.post(f"{own}/correspondence/{attachment.correspondence_id}/attachments/",
                             {"file": upload}, format="multipart")
    assert response.status_code == 404
    assert lbbd_api.get(f"{own}/attachments/").json() == []


def test_another_councils_complaint_cannot_be_linked_and_is_reported_as_not_found(lbbd_api, barnet_case, lbbd_case):
    response = lbbd_api.post(f"/api/v1/complaints/{lbbd_case.reference}/link/", {
        "version": lbbd_case.version, "reference": barnet_case.reference, "kind": "joint"}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"reference": [f"No complaint '{barnet_case.reference}' in your council."]}
    assert not ComplaintLink.objects.exists()
    assert_untouched(lbbd_case)


def test_lists_and_figures_leave_out_other_councils(lbbd_api, barnet_case):
    assert lbbd_api.get("/api/v1/complaints/").json()["results"] == []
    assert lbbd_api.get("/api/v1/deadlines/").json()["results"] == []
    assert lbbd_api.get("/api/v1/dashboard/").json()["open"] == 0
    Feedback.objects.create(council=council("barnet"), kind="compliment", text="Great", received_at=london(
        "2026-06-01T10:00"))
    assert lbbd_api.get("/api/v1/feedback/").json()["results"] == []


def test_another_councils_council_and_ombudsman_case_are_404(lbbd_api, barnet_case):
    assert lbbd_api.get("/api/v1/councils/barnet/").status_code == 404
    other = ombudsman_case_open(council=council("barnet"), by=staff("barnet"), ombudsman="lgsco",
                                their_reference="LG-B-1", received_on=london("2026-06-10T10:00").date())
    assert lbbd_api.get(f"/api/v1/ombudsman-cases/{other.pk}/").status_code == 404
    assert lbbd_api.get("/api/v1/ombudsman-cases/").json()["results"] == []


def test_another_councils_complaint_cannot_be_linked_to_an_ombudsman_case(lbbd_api, barnet_case):
    response = lbbd_api.post("/api/v1/ombudsman-cases/", {
        "ombudsman": "lgsco", "their_reference": "LG-X", "received_on": "2026-06-10",
        "complaint": barnet_case.reference}, format="json")
    assert response.status_code == 400 and "complaint" in response.json()["fields"]
    assert_untouched(barnet_case)


def test_another_councils_service_area_is_refused(lbbd_api, loaded_policies):
    from tests.factories import service_area

    area = service_area("barnet")
    response = lbbd_api.post("/api/v1/complaints/", {"summary": "Bins", "complainant": {"name": "A"},
                                                     "service_areas": [area.pk]}, format="json")
    assert response.status_code == 409 and response.json()["error"] == "policy_guard"
    response = lbbd_api.post("/api/v1/feedback/", {"kind": "compliment", "text": "Thanks",
                                                   "service_area": area.pk}, format="json")
    assert response.status_code == 400 and "service_area" in response.json()["fields"]
