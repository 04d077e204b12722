"""Attachments of correspondence: listed, uploaded through correspondence_attach (type, first bytes, size),
and downloaded only by whoever may see the case, always as a download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from complaints.models import Attachment, StaffRole
from complaints.services.people import MAX_ATTACHMENT_BYTES, correspondence_attach
from complaints.services.records import complaint_record_correspondence
from complaints.staff.models import CaseAccess, CaseView
from complaints.staff.services import conflict_of_interest_record
from tests.api.conftest import stage1_case, token_client
from tests.factories import london, staff

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def letter(officer):
    case = stage1_case(officer)
    return complaint_record_correspondence(complaint=case, by=officer, direction="in", kind="letter",
                                           subject="Photos of the bins", occurred_at=london("2026-06-02T10:00"))


def attach(letter, by, name="photo.png", content=PNG, content_type="image/png") -> Attachment:
    return correspondence_attach(correspondence=letter, by=by, uploaded_file=SimpleUploadedFile(
        name, content, content_type=content_type))


def upload_url(letter) -> str:
    return f"/api/v1/complaints/{letter.complaint.reference}/correspondence/{letter.pk}/attachments/"


def download_url(attachment) -> str:
    reference = attachment.correspondence.complaint.reference
    return f"/api/v1/complaints/{reference}/attachments/{attachment.pk}/download/"


def upload(client, letter, name="letter.pdf", content=PDF, content_type="application/pdf"):
    return client.post(upload_url(letter), {"file": SimpleUploadedFile(name, content, content_type=content_type)},
                       format="multipart")


def test_upload_stores_the_file_through_the_service_and_answers_with_its_download_url(lbbd_api, letter):
    response = upload(lbbd_api, letter, name="Reply from housing.pdf")
    assert response.status_code == 201, response.json()
    data = response.json()
    stored = Attachment.objects.get()
    assert data == {"id": stored.pk, "correspondence": letter.pk, "name": "Reply from housing.pdf",
                    "content_type": "application/pdf", "size": len(PDF), "download_url": download_url(stored)}
    with stored.file.open("rb") as handle:
        assert handle.read() == PDF


@pytest.mark.parametrize("name, content, content_type, message", [
    ("script.pdf", b"<script>alert(1)</script>", "application/pdf", "does not contain what its type says"),
    ("page.html", b"<html></html>", "text/html", "files of type text/html are not accepted"),
    ("photo.png", PDF, "image/png", "does not contain what its type says"),
    ("blob.bin", b"\x00\x01", "application/octet-stream", "not accepted"),
])
def test_a_file_whose_type_or_first_bytes_are_wrong_is_a_400_on_file_and_nothing_is_stored(
        lbbd_api, letter, name, content, content_type, message):
    response = upload(lbbd_api, letter, name=name, content=content, content_type=content_type)
    assert response.status_code == 400, response.json()
    assert response.json()["error"] == "invalid"
    assert message in response.json()["fields"]["file"][0]
    assert not Attachment.objects.exists()


def test_a_file_over_the_size_limit_is_refused_by_the_service(lbbd_api, letter):
    big = PDF + b"0" * (MAX_ATTACHMENT_BYTES - len(PDF) + 1)
    response = upload(lbbd_api, letter, name="huge.pdf", content=big)
    assert response.status_code == 400
    assert "larger than 20 MB" in response.json()["fields"]["file"][0]
    assert not Attachment.objects.exists()


def test_a_request_declaring_more_than_the_limit_is_refused_before_it_is_read(lbbd_api, letter):
    response = lbbd_api.generic("POST", upload_url(letter), b"--x--\r\n",
                                content_type="multipart/form-data; boundary=x",
                                CONTENT_LENGTH=str(MAX_ATTACHMENT_BYTES * 2))
    assert response.status_code == 400
    assert response.json()["fields"] == {"file": ["The file is larger than 20 MB."]}


def test_upload_without_a_file_or_as_json_is_refused(lbbd_api, letter):
    missing = lbbd_api.post(upload_url(letter), {"name": "x"}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()["fields"]
    empty = upload(lbbd_api, letter, content=b"")
    assert empty.status_code == 400 and "file" in empty.json()["fields"]
    as_json = lbbd_api.post(upload_url(letter), {"file": "JVBERi0="}, format="json")
    assert as_json.status_code == 415
    assert not Attachment.objects.exists()


def test_an_unknown_correspondence_is_404(lbbd_api, letter):
    url = f"/api/v1/complaints/{letter.complaint.reference}/correspondence/{letter.pk + 1000}/attachments/"
    assert lbbd_api.get(url).status_code == 404
    response = lbbd_api.post(url, {"file": SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")},
                             format="multipart")
    assert response.status_code == 404 and not Attachment.objects.exists()


def test_lists_per_complaint_per_correspondence_and_within_correspondence(lbbd_api, letter, officer):
    first = attach(letter, officer, "one.png")
    other = complaint_record_correspondence(complaint=letter.complaint, by=officer, direction="out", kind="email",
                                            subject="Our reply", occurred_at=london("2026-06-03T10:00"))
    second = attach(other, officer, "two.txt", b"Thank you", "text/plain")
    reference = letter.complaint.reference
    everything = lbbd_api.get(f"/api/v1/complaints/{reference}/attachments/").json()
    assert [(a["id"], a["correspondence"], a["name"]) for a in everything] == [
        (first.pk, letter.pk, "one.png"), (second.pk, other.pk, "two.txt")]
    assert [a["id"] for a in lbbd_api.get(upload_url(other)).json()] == [second.pk]
    items = lbbd_api.get(f"/api/v1/complaints/{reference}/correspondence/").json()
    assert [[a["name"] for a in item["attachments"]] for item in items] == [["one.png"], ["two.txt"]]
    assert items[0]["attachments"][0]["download_url"] == download_url(first)


def test_download_is_served_as_an_attachment_with_its_type_nosniff_and_not_cached(lbbd_api, letter, officer):
    attachment = attach(letter, officer, "Résumé of the visit.txt", b"<html><script>x</script>", "text/plain")
    response = lbbd_api.get(download_url(attachment), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"<html><script>x</script>"
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].startswith("attachment; ")
    assert "filename*=utf-8''R%C3%A9sum%C3%A9%20of%20the%20visit.txt" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Length"] == str(len(b"<html><script>x</script>"))


def test_downloads_and_lists_go_into_the_access_audit(lbbd_api, letter, officer):
    attachment = attach(letter, officer, "photo.png")
    assert lbbd_api.get(download_url(attachment)).status_code == 200
    assert lbbd_api.get(f"/api/v1/complaints/{letter.complaint.reference}/attachments/").status_code == 200
    records = CaseView.objects.filter(complaint=letter.complaint).order_by("pk")
    assert [(r.user.username, r.action, r.detail) for r in records] == [
        ("api:lbbd", CaseAccess.DOWNLOADED, "photo.png via API"),
        ("api:lbbd", CaseAccess.API_READ, "attachments via API (token 'housing-crm')")]


def test_a_file_missing_from_storage_is_a_json_404(lbbd_api, letter, officer):
    attachment = attach(letter, officer)
    attachment.file.storage.delete(attachment.file.name)
    response = lbbd_api.get(download_url(attachment))
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "The file of this attachment is missing from storage"}


def test_download_needs_credentials(letter, officer):
    response = APIClient().get(download_url(attach(letter, officer)))
    assert response.status_code == 401 and response.json()["error"] == "not_authenticated"


def test_a_token_downloads_only_its_own_councils_attachments(loaded_policies, letter, officer):
    url = download_url(attach(letter, officer))
    assert token_client("lbbd").get(url).status_code == 200
    other = token_client("barnet").get(url)
    assert other.status_code == 404 and other.json()["error"] == "not_found"


def test_staff_who_see_the_case_may_download_and_others_may_not(letter, officer):
    url = download_url(attach(letter, officer))
    client = APIClient()
    client.force_login(staff("lbbd"))
    assert client.get(url).status_code == 200
    client.force_login(staff("lbbd", role=StaffRole.INVESTIGATING_OFFICER))  # not assigned this case
    assert client.get(url).status_code == 404
    client.force_login(staff("barnet", role=StaffRole.COMPLAINTS_MANAGER))
    assert client.get(url).status_code == 404
    barred = staff("lbbd")
    conflict_of_interest_record(complaint=letter.complaint, user=barred, reason="Neighbour",
                                by=staff("lbbd", role=StaffRole.COMPLAINTS_MANAGER))
    client.force_login(barred)
    assert client.get(url).status_code == 404
