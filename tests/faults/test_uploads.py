"""Huge and malformed uploads on the residents' form, the officers' correspondence form and the API.

A file over the limit gets the form's own error, nothing of it is stored and no more
than the limit is ever held (``config/uploads.py``); a file whose first bytes do not
match its type, an empty one or a cut-off header is refused with a clear message;
any name (a path, control characters, unicode, a 200-character extension) is kept as
the file's display name only: the file is stored under a random name.

Cases already tested elsewhere are not repeated: the residents' type and content
checks (tests/public/test_sending.py ``test_evidence_is_checked_by_name_and_content``),
the API's size and type refusals (tests/api/test_attachments.py).
"""

from __future__ import annotations

import re
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import RequestFactory

from complaints.models import Attachment, Correspondence
from complaints.services.people import MAX_ATTACHMENT_BYTES
from complaints.services.records import complaint_record_correspondence
from config.uploads import OversizedUpload
from tests.dates import date_parts
from tests.factories import london
from tests.public.conftest import answers
from tests.staff.conftest import error_summary, fresh, stage1_case

pytestmark = pytest.mark.django_db

TOO_BIG = MAX_ATTACHMENT_BYTES + 1024 * 1024  # 21 MB
BOUNDARY = "----fault-boundary"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def multipart(fields: dict, file_field: str, filename: bytes, content: bytes,
              content_type: bytes = b"application/pdf") -> bytes:
    """A multipart body written by hand, so the file name is sent exactly as given (bytes and all)."""
    body = b""
    for name, value in fields.items():
        body += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    body += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="'.encode()
             + filename + b'"\r\nContent-Type: ' + content_type + b"\r\n\r\n" + content + b"\r\n")
    return body + f"--{BOUNDARY}--\r\n".encode()


def post_multipart(client, url: str, body: bytes):
    return client.post(url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


def stored_files(media) -> list:
    return sorted(path for path in media.rglob("*") if path.is_file())


# Names as a browser (or anyone) may send them -> the display name kept.
ODD_NAMES = [
    (b"../../../etc/passwd.pdf", "passwd.pdf"),
    (b"C:\\Users\\alex\\letter.pdf", "letter.pdf"),
    (b"bins\x00\x07\x1b[31m\tred.pdf", "bins[31mred.pdf"),  # control characters are dropped
    ("résumé — 😀 ﷽.pdf".encode(), "résumé — 😀 ﷽.pdf"),
    ("invoice\u202egpj.pdf".encode(), "invoicegpj.pdf"),  # the right-to-left override is dropped
    (b"report." + b"p" * 200, None),  # an extension no file system takes: refused by type (residents) or kept
]


# --- how the server receives files ----------------------------------------------------
def upload_request(size: int):
    return RequestFactory().post("/", {"file": SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * (size - 5))})


def test_a_file_over_2_5_mb_is_streamed_to_a_temporary_file_not_held_in_memory(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    upload = upload_request(3 * 1024 * 1024).FILES["file"]
    assert isinstance(upload, TemporaryUploadedFile)
    assert upload.temporary_file_path().startswith(str(tmp_path)) and upload.size == 3 * 1024 * 1024


def test_a_file_over_the_limit_arrives_with_its_size_and_no_content_and_no_copy_is_left(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    request = upload_request(TOO_BIG)
    upload = request.FILES["file"]
    assert isinstance(upload, OversizedUpload)
    assert (upload.name, upload.size, upload.read()) == ("big.pdf", TOO_BIG, b"")
    assert list(tmp_path.iterdir()) == []  # the first 20 MB, streamed to a temporary file, were deleted


def test_receiving_a_huge_file_holds_only_a_few_chunks_in_memory(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    request = upload_request(TOO_BIG)  # the test's own copy of the body is made before measuring
    tracemalloc.start()
    try:
        request.FILES["file"]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024


# --- the residents' form --------------------------------------------------------------------
def evidence_page(resident):
    walker = resident("barnet")
    walker.walk(answers("barnet"), until="evidence")
    return walker


def test_huge_evidence_is_refused_with_the_size_message_and_nothing_is_kept(resident, fixed_now, client, media):
    walker = evidence_page(resident)
    response = walker.post("evidence", {"action": "upload",
                                        "evidence": SimpleUploadedFile("cctv.pdf", b"%PDF-" + b"x" * TOO_BIG)})
    assert response.context["form"].errors["evidence"] == ["The selected file must be smaller than 20MB"]
    assert isinstance(response.context["form"].files["evidence"], OversizedUpload)
    assert stored_files(media) == []
    assert client.session["public:barnet"]["answers"].get("evidence", {}).get("files", []) == []


@pytest.mark.parametrize(("content", "message"), [
    (b"%PD", "The selected file must be a PDF, JPG, PNG, TXT or Word (DOCX) document"),  # cut inside the header
    (b"\x00" * 10, "The selected file must be a PDF, JPG, PNG, TXT or Word (DOCX) document"),
    (b"", "The selected file is empty"),
])
def test_truncated_or_empty_evidence_is_refused(resident, fixed_now, media, content, message):
    walker = evidence_page(resident)
    body = multipart({"action": "upload"}, "evidence", b"letter.pdf", content)
    response = post_multipart(walker.client, walker.url("evidence"), body)
    assert response.context["form"].errors["evidence"] == [message]
    assert stored_files(media) == []


def test_a_pdf_cut_short_after_its_header_is_kept_exactly_as_sent(resident, fixed_now, client, media):
    """The server checks the type by the first bytes and never opens the file, so a damaged PDF is evidence
    like any other: kept byte for byte for the officer to see."""
    walker = evidence_page(resident)
    cut = PDF[:20]
    post_multipart(client, walker.url("evidence"), multipart({"action": "upload"}, "evidence", b"scan.pdf", cut))
    stored = client.session["public:barnet"]["answers"]["evidence"]["files"]
    assert [(info["name"], (media / info["stored"]).read_bytes()) for info in stored] == [("scan.pdf", cut)]


@pytest.mark.parametrize(("sent", "kept"), ODD_NAMES)
def test_evidence_with_an_odd_name_is_stored_under_a_random_name(resident, fixed_now, client, media, sent, kept):
    walker = evidence_page(resident)
    response = post_multipart(client, walker.url("evidence"), multipart({"action": "upload"}, "evidence", sent, PDF))
    files = client.session["public:barnet"]["answers"].get("evidence", {}).get("files", [])
    if kept is None:
        assert response.context["form"].errors["evidence"] == [
            "The selected file must be a PDF, JPG, PNG, TXT or Word (DOCX) document"]
        assert files == [] and stored_files(media) == []
        return
    assert response.status_code == 302
    assert [info["name"] for info in files] == [kept]
    assert stored_files(media) == [media / files[0]["stored"]]
    assert re.fullmatch(r"public-uploads/[0-9a-f]{32}", files[0]["stored"])


# --- the officers' correspondence form ------------------------------------------------------------
def correspondence(client, case, filename: bytes, content: bytes, content_type: bytes = b"application/pdf"):
    fields = {"version": fresh(case).version, "direction": "in", "kind": "letter", "subject": "Photos of the bins",
              **date_parts("on", "2026-06-09")}
    return post_multipart(client, f"/cases/{case.reference}/correspondence/",
                          multipart(fields, "attachment", filename, content, content_type))


def test_a_huge_attachment_is_refused_nothing_is_recorded_and_the_form_is_kept(officer_client, officer, clock,
                                                                                 media):
    case = stage1_case(officer)
    response = correspondence(officer_client, case, b"cctv.pdf", b"%PDF-" + b"x" * TOO_BIG)
    assert error_summary(response) == ["cctv.pdf is larger than 20 MB"]
    assert 'value="Photos of the bins"' in response.content.decode()
    assert (Correspondence.objects.count(), Attachment.objects.count(), stored_files(media)) == (0, 0, [])


@pytest.mark.parametrize(("content", "content_type", "message"), [
    (b"%PD", b"application/pdf", "letter.pdf does not contain what its type says (application/pdf)"),
    (b"MZ\x90\x00", b"application/pdf", "letter.pdf does not contain what its type says (application/pdf)"),
    (PDF, b"application/x-msdownload",
     "letter.pdf: files of type application/x-msdownload are not accepted (PDF, JPEG, PNG, text or Word documents)"),
    (b"", b"application/pdf", "The submitted file is empty."),
])
def test_a_malformed_attachment_is_refused_with_a_clear_message(officer_client, officer, clock, media, content,
                                                               content_type, message):
    case = stage1_case(officer)
    response = correspondence(officer_client, case, b"letter.pdf", content, content_type)
    assert error_summary(response) == [message]
    assert (Correspondence.objects.count(), stored_files(media)) == (0, [])


@pytest.mark.parametrize(("sent", "kept"), ODD_NAMES)
def test_an_attachment_with_an_odd_name_is_kept_under_a_random_name(officer_client, officer, clock, media, sent,
                                                                    kept):
    case = stage1_case(officer)
    response = correspondence(officer_client, case, sent, PDF)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == (kept or sent.decode())
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", attachment.file.name)
    assert stored_files(media) == [media / attachment.file.name]
    assert attachment.file.read() == PDF


# --- the API -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("sent", "kept"), ODD_NAMES)
def test_an_api_upload_with_an_odd_name_is_kept_under_a_random_name(lbbd_api, officer, media, sent, kept):
    case = stage1_case(officer)
    letter = complaint_record_correspondence(complaint=case, by=officer, direction="in", kind="letter",
                                             subject="Photos", occurred_at=london("2026-06-02T10:00"))
    url = f"/api/v1/complaints/{case.reference}/correspondence/{letter.pk}/attachments/"
    response = lbbd_api.post(url, multipart({}, "file", sent, PDF),
                             content_type=f"multipart/form-data; boundary={BOUNDARY}")
    assert response.status_code == 201, response.json()
    assert response.json()["name"] == (kept or sent.decode())
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", Attachment.objects.get().file.name)


def test_an_api_upload_cut_inside_its_header_or_empty_is_a_400_on_file(lbbd_api, officer, media):
    case = stage1_case(officer)
    letter = complaint_record_correspondence(complaint=case, by=officer, direction="in", kind="letter",
                                             subject="Photos", occurred_at=london("2026-06-02T10:00"))
    url = f"/api/v1/complaints/{case.reference}/correspondence/{letter.pk}/attachments/"
    for content in (b"%PD", b""):
        response = lbbd_api.post(url, multipart({}, "file", b"scan.pdf", content),
                                 content_type=f"multipart/form-data; boundary={BOUNDARY}")
        assert response.status_code == 400 and list(response.json()["fields"]) == ["file"]
    assert (Attachment.objects.count(), stored_files(media)) == (0, [])
