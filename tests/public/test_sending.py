"""Sending the form: the complaint recorded through complaint_create, the confirmation page and
email with the deadline engine's dates, one complaint however often the form is sent."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from complaints.models import Channel, Complaint, Correspondence, State
from complaints.public import uploads
from complaints.public.journey import Journey
from complaints.public.models import Submission, TrackingToken
from complaints.public.submit import complaint_send
from complaints.public.tokens import token_hash
from tests.factories import council, service_area
from tests.public.conftest import answers, deliver_emails

pytestmark = pytest.mark.django_db


def test_a_barnet_complaint_is_recorded_with_every_answer(resident, fixed_now):
    walker = resident("barnet")
    given = answers("barnet", support={"needs": "yes", "details": "Large print, please."},
                    contact={"name": "Alex Resident", "email": "alex@example.org", "phone": "07700 900982",
                             "address": "1 High Street", "preference": "phone"})
    assert walker.send(given)["Location"] == "/barnet/complain/done/"
    case = Complaint.objects.get()
    assert case.reference == "BAR-2026-00001"
    assert (case.channel, case.state, case.received_at, case.is_anonymous, case.out_of_time) == (
        Channel.ONLINE, State.NEW, fixed_now, False, False)
    assert case.summary == "Our bins have not been collected for three weeks. I reported it twice."
    assert case.complainant_words == (
        "Our bins have not been collected for three weeks.\nI reported it twice.\n\n"
        "Contacted us about this before? Yes: asked the council to do something and unhappy with how it was dealt "
        "with")
    assert case.desired_outcome == "Collect the bins and explain why they were missed."
    assert (str(case.incident_date), str(case.aware_date)) == ("2026-05-20", "2026-05-20")
    assert list(case.service_areas.all()) == [service_area("barnet")]
    assert case.category == "council_services"
    person = case.complainant
    assert (person.name, person.email, person.phone, person.address, person.contact_preference,
            person.reasonable_adjustments) == ("Alex Resident", "alex@example.org", "07700 900982", "1 High Street",
                                               "phone", "Large print, please.")
    assert case.policy_version.version_id == "2024.1"


def test_the_confirmation_page_gives_the_reference_and_the_barnet_dates(resident, fixed_now, client):
    resident("barnet").send(answers("barnet"))
    html = client.get("/barnet/complain/done/").content.decode()
    assert '<strong id="reference">BAR-2026-00001</strong>' in html
    assert "We received it on Monday 1 June 2026." in html
    # Mon 1 Jun + 5 working days = Mon 8 Jun; + 10 working days of acknowledgement = Mon 22 Jun.
    assert re.search(r"We will acknowledge your complaint by</dt>\s*<dd[^>]*>\s*<strong>Monday 8 June 2026</strong>",
                     html)
    assert re.search(r"We will send you our response by</dt>\s*<dd[^>]*>\s*<strong>Monday 22 June 2026</strong>",
                     html)
    assert "That is within 10 working days of acknowledging your complaint (if we acknowledge it sooner" in html
    assert "you can ask the Local Government and Social Care Ombudsman to look at your complaint" in html
    assert "www.lgo.org.uk" in html and "0300 061 0614" in html


def test_bucks_gives_its_target_latest_and_overall_dates(resident, fixed_now, client):
    service_area("bucks")
    resident("bucks").send(answers("bucks"))
    dates = [(item.label, item.words) for item in client.get("/bucks/complain/done/").context["dates"]]
    assert dates == [
        ("We will acknowledge your complaint by", "Monday 8 June 2026"),
        ("We aim to send you our response by", "Monday 15 June 2026"),
        ("At the latest, we will send you our response by", "Monday 29 June 2026"),
        ("We aim to resolve your complaint completely by", "Monday 24 August 2026"),
    ]


def test_the_barnet_group_housing_ombudsman_is_named(resident, fixed_now, client):
    service_area("barnet-group", "Tenancy management", "social_housing")
    given = answers("barnet-group", service={"service": str(service_area("barnet-group", "Tenancy management",
                                                                          "social_housing").pk)})
    resident("barnet-group").send(given)
    info = client.get("/barnet-group/complain/done/").context["ombudsman"]
    assert (info.name, info.website, info.when) == ("Housing Ombudsman Service", "www.housing-ombudsman.org.uk",
                                                    "If you're still unhappy after our Stage 2 response")


def test_the_acknowledgement_email_has_the_reference_dates_next_steps_and_a_private_link(resident, fixed_now, client,
                                                                                      mailoutbox):
    resident("barnet").send(answers("barnet"))
    assert mailoutbox == []  # queued with the complaint, delivered by the worker
    assert deliver_emails() == 1 and len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["alex@example.org"]
    assert email.subject == "Barnet Council: we have received your complaint BAR-2026-00001"
    assert "Your reference number is BAR-2026-00001." in email.body
    assert "- We will acknowledge your complaint by Monday 8 June 2026: within 5 working days of receiving your " \
           "complaint." in email.body
    assert "- We will send you our response by Monday 22 June 2026" in email.body
    assert "If you're unhappy with our response, you can ask for Review." in email.body
    assert "Local Government and Social Care Ombudsman to look at your complaint: www.lgo.org.uk, telephone " \
           "0300 061 0614." in email.body
    token = re.search(r"http://testserver/barnet/track/([A-Za-z0-9_-]+)/", email.body).group(1)
    assert client.get(f"/barnet/track/{token}/").status_code == 200
    # The email is kept on the case as sent, without the private link in it: the link was issued as it was sent.
    kept = Correspondence.objects.get(direction="out")
    assert kept.subject == email.subject and token not in kept.body
    assert "http://testserver/barnet/track/[private link]/" in kept.body
    assert email.body == kept.body.replace("[private link]", token)
    assert (kept.delivery_status, kept.recipient) == ("sent", "alex@example.org")
    assert TrackingToken.objects.get().token_hash == token_hash(token) != token


def test_sending_the_final_page_twice_creates_one_complaint(resident, fixed_now, client, mailoutbox):
    walker = resident("barnet")
    walker.walk(answers("barnet"))
    key = client.get("/barnet/complain/check/").context["key"]
    first = client.post("/barnet/complain/check/", {"key": key})
    second = client.post("/barnet/complain/check/", {"key": key})
    assert first["Location"] == second["Location"] == "/barnet/complain/done/"
    assert Complaint.objects.count() == 1 and Submission.objects.count() == 1
    assert deliver_emails() == 1 and len(mailoutbox) == 1
    assert client.get("/barnet/complain/done/").context["complaint"].reference == "BAR-2026-00001"


def test_two_sends_racing_with_the_same_session_answers_make_one_complaint(resident, fixed_now, client, rf):
    """The second request read the session before the first saved it: same key, same answers."""
    resident("barnet").walk(answers("barnet"))
    session = client.session
    journey = Journey(session, council("barnet"), council("barnet").policy_versions.get().policy)
    first = complaint_send(journey=journey, received_at=fixed_now)
    second = complaint_send(journey=journey, received_at=fixed_now)
    assert (first.created, second.created) == (True, False)
    assert second.submission.pk == first.submission.pk
    assert Complaint.objects.count() == 1


def test_the_submission_key_is_unique_in_the_database(loaded_policies):
    Submission.objects.create(key="abc", council=council("barnet"), kind="complaint")
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(key="abc", council=council("bucks"), kind="complaint")


def test_a_stale_key_sends_nothing(resident, fixed_now, client):
    resident("barnet").walk(answers("barnet"))
    response = client.post("/barnet/complain/check/", {"key": "not-the-session-key"})
    assert response.status_code == 200 and Complaint.objects.count() == 0


def test_after_sending_the_form_starts_afresh(resident, fixed_now, client):
    resident("barnet").send(answers("barnet"))
    assert client.get("/barnet/complain/check/")["Location"] == "/barnet/complain/kind/"


# --- evidence files ---------------------------------------------------------------------------
def upload(walker, name: str, content: bytes, action: str = "upload"):
    return walker.post("evidence", {"action": action, "evidence": SimpleUploadedFile(name, content)})


def evidence_error(response) -> list[str]:
    return response.context["form"].errors["evidence"]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("notes.exe", b"MZ\x90\x00", "The selected file must be a PDF, JPG, PNG, TXT or Word (DOCX) document"),
    ("fake.pdf", b"<html>not a pdf</html>", "The selected file must be a PDF, JPG, PNG, TXT or Word (DOCX) document"),
    ("photo.jpg", b"\x89PNG\r\n\x1a\n....", "The selected file must be a PDF, JPG, PNG, TXT or Word (DOCX) document"),
    ("binary.txt", b"abc\x00def", "The selected file must be a PDF, JPG, PNG, TXT or Word (DOCX) document"),
    ("empty.pdf", b"", "The selected file is empty"),
])
def test_evidence_is_checked_by_name_and_content(resident, fixed_now, media, name, content, message):
    walker = resident("barnet")
    walker.walk(answers("barnet"), until="evidence")
    assert evidence_error(upload(walker, name, content)) == [message]


def test_evidence_over_the_size_limit_is_refused(resident, fixed_now, media, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ATTACHMENT_BYTES", 10)
    walker = resident("barnet")
    walker.walk(answers("barnet"), until="evidence")
    assert evidence_error(upload(walker, "big.pdf", b"%PDF-" + b"x" * 10)) == [
        "The selected file must be smaller than 20MB"]


def test_upload_without_a_file_asks_for_one(resident, fixed_now, media):
    walker = resident("barnet")
    walker.walk(answers("barnet"), until="evidence")
    assert evidence_error(walker.post("evidence", {"action": "upload"})) == ["Select a file to upload"]


def test_evidence_is_kept_privately_then_attached_to_the_case(resident, fixed_now, client, media,
                                                             django_capture_on_commit_callbacks):
    walker = resident("barnet")
    given = answers("barnet")
    walker.walk(given, until="evidence")
    assert upload(walker, "letter.pdf", b"%PDF-1.7 the letter")["Location"] == "/barnet/complain/evidence/"
    assert upload(walker, "photo.jpg", b"\xff\xd8\xff\xe0 jpeg")["Location"] == "/barnet/complain/evidence/"
    assert upload(walker, "wrong.txt", b"oops")["Location"] == "/barnet/complain/evidence/"
    files = client.session["public:barnet"]["answers"]["evidence"]["files"]
    assert [info["name"] for info in files] == ["letter.pdf", "photo.jpg", "wrong.txt"]
    pending = [media / info["stored"] for info in files]
    assert all(path.exists() and path.parent == media / "public-uploads" for path in pending)
    # The stored names are random: nothing the resident typed reaches the file system.
    assert not any(info["name"] in info["stored"] for info in files)
    walker.post("evidence", {"remove": files[2]["id"]})
    assert not pending[2].exists()
    assert walker.post("evidence", {"action": "continue"})["Location"] == "/barnet/complain/check/"
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get("/barnet/complain/check/")
        assert "letter.pdf (1KB)" in page.content.decode()
        client.post("/barnet/complain/check/", {"key": page.context["key"]})
    item = Complaint.objects.get().correspondence.get(direction="in")
    assert item.subject == "Evidence sent with the online complaint form"
    assert sorted((a.original_name, a.content_type) for a in item.attachments.all()) == [
        ("letter.pdf", "application/pdf"), ("photo.jpg", "image/jpeg")]
    assert all(a.file.path.startswith(str(media)) for a in item.attachments.all())
    assert not any(path.exists() for path in pending)  # the pending copies are gone once sent


def test_uploaded_files_are_never_served(client, resident, fixed_now, media, settings):
    walker = resident("barnet")
    walker.walk(answers("barnet"), until="evidence")
    upload(walker, "letter.pdf", b"%PDF-1.7 the letter")
    stored = client.session["public:barnet"]["answers"]["evidence"]["files"][0]["stored"]
    for prefix in ("/media/", "/static/", "/"):
        assert client.get(prefix + stored).status_code == 404
    assert not str(media).startswith(str(settings.STATIC_ROOT))
