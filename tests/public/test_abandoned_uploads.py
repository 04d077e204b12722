"""Evidence uploaded on a form that is never sent is deleted after PUBLIC_UPLOAD_MAX_AGE_HOURS; a
resident whose file was deleted before they sent the form is asked for it again, losing nothing else."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints.models import Complaint
from complaints.public.tasks import discard_abandoned_uploads
from complaints.public.uploads import pending_uploads_discard_abandoned
from tests.public.conftest import answers

pytestmark = pytest.mark.django_db


def uploaded(client, walker, name: str) -> dict:
    walker.post("evidence", {"action": "upload", "evidence": SimpleUploadedFile(name, b"%PDF-1.7 " + name.encode())})
    return client.session["public:barnet"]["answers"]["evidence"]["files"][-1]


def age(media, info: dict, hours: float) -> None:
    """Make a pending file look uploaded ``hours`` ago."""
    then = (timezone.now() - dt.timedelta(hours=hours)).timestamp()
    os.utime(media / info["stored"], (then, then))


def test_pending_files_older_than_the_limit_are_deleted_and_newer_ones_kept(resident, fixed_now, client, media):
    walker = resident("barnet")
    walker.walk(answers("barnet"), until="evidence")
    old, recent = uploaded(client, walker, "old.pdf"), uploaded(client, walker, "recent.pdf")
    age(media, old, 49)
    age(media, recent, 47)
    assert django_settings.PUBLIC_UPLOAD_MAX_AGE_HOURS == 48
    assert pending_uploads_discard_abandoned(now=timezone.now()) == 1
    assert not (media / old["stored"]).exists() and (media / recent["stored"]).exists()
    assert pending_uploads_discard_abandoned(now=timezone.now()) == 0


def test_the_limit_comes_from_the_settings(resident, fixed_now, client, media, settings):
    walker = resident("barnet")
    walker.walk(answers("barnet"), until="evidence")
    info = uploaded(client, walker, "letter.pdf")
    age(media, info, 3)
    settings.PUBLIC_UPLOAD_MAX_AGE_HOURS = 4
    assert pending_uploads_discard_abandoned(now=timezone.now()) == 0
    settings.PUBLIC_UPLOAD_MAX_AGE_HOURS = 2
    assert pending_uploads_discard_abandoned(now=timezone.now()) == 1


def test_the_hourly_beat_task_deletes_them(resident, fixed_now, client, media):
    walker = resident("barnet")
    walker.walk(answers("barnet"), until="evidence")
    age(media, uploaded(client, walker, "letter.pdf"), 72)
    assert discard_abandoned_uploads() == 1
    assert django_settings.CELERY_BEAT_SCHEDULE["discard-abandoned-uploads"] == {
        "task": "public.discard_abandoned_uploads", "schedule": 3600.0}


def test_nothing_to_delete_when_no_file_was_ever_uploaded(media):
    assert pending_uploads_discard_abandoned(now=timezone.now()) == 0


def test_attachments_of_sent_complaints_are_never_touched(resident, fixed_now, client, media,
                                                         django_capture_on_commit_callbacks):
    walker = resident("barnet")
    walker.walk(answers("barnet"), until="evidence")
    uploaded(client, walker, "letter.pdf")
    walker.post("evidence", {"action": "continue"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/barnet/complain/check/", {"key": client.get("/barnet/complain/check/").context["key"]})
    [attachment] = Complaint.objects.get().correspondence.get(direction="in").attachments.all()
    then = (timezone.now() - dt.timedelta(days=30)).timestamp()
    os.utime(attachment.file.path, (then, then))
    assert pending_uploads_discard_abandoned(now=timezone.now()) == 0
    assert os.path.exists(attachment.file.path)


def test_a_file_deleted_before_the_form_was_sent_is_asked_for_again(resident, fixed_now, client, media):
    walker = resident("barnet")
    walker.walk(answers("barnet"), until="evidence")
    lost, kept = uploaded(client, walker, "lost.pdf"), uploaded(client, walker, "kept.pdf")
    walker.post("evidence", {"action": "continue"})
    age(media, lost, 49)
    pending_uploads_discard_abandoned(now=timezone.now())
    key = client.get("/barnet/complain/check/").context["key"]
    response = client.post("/barnet/complain/check/", {"key": key}, follow=True)
    assert response.redirect_chain == [("/barnet/complain/evidence/", 302)]
    assert ("We no longer have the file you uploaded (lost.pdf): files are deleted 48 hours after they are "
            "uploaded if the form has not been sent. Upload it again, or continue without.") in \
        response.content.decode()
    assert Complaint.objects.count() == 0
    journey = client.session["public:barnet"]
    assert [info["name"] for info in journey["answers"]["evidence"]["files"]] == ["kept.pdf"]
    assert journey["answers"]["what"]["what_happened"].startswith("Our bins")  # nothing else lost
    client.post("/barnet/complain/evidence/", {"action": "continue"})
    client.post("/barnet/complain/check/", {"key": key})
    case = Complaint.objects.get()
    assert [a.original_name for a in case.correspondence.get(direction="in").attachments.all()] == ["kept.pdf"]


def test_a_lost_consent_document_is_asked_for_again_on_its_page(resident, fixed_now, client, media):
    given = answers("lbbd", who={"who": "someone_else"}, role={"role": "relative"},
                    consent={"declaration": "on", "consent_file": SimpleUploadedFile("consent.pdf", b"%PDF-1.7 ok")})
    resident("lbbd").walk(given)
    consent = client.session["public:lbbd"]["answers"]["consent"]["file"]
    assert consent is not None, "LBBD asks for a consent document"
    (media / consent["stored"]).unlink()
    response = client.post("/lbbd/complain/check/", {"key": client.get("/lbbd/complain/check/").context["key"]})
    assert response["Location"] == "/lbbd/complain/consent/" and Complaint.objects.count() == 0
    assert client.session["public:lbbd"]["answers"]["consent"]["file"] is None
