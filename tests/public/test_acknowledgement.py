"""The acknowledgement email goes through the delivery queue: the complaint commits with the email
pending, and a worker sends it, so a slow or broken mail server never slows or fails a submission."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection

from complaints.models import Complaint, Correspondence, DeliveryStatus
from complaints.public.models import TrackingToken
from complaints.public.tokens import token_hash
from tests.public.conftest import answers, deliver_emails

ROOT = Path(__file__).resolve().parents[2]
SENT_IN_REQUEST = []


class HangingBackend(BaseEmailBackend):
    """A mail server that would hold the request for a minute, then fail."""

    def send_messages(self, email_messages):
        SENT_IN_REQUEST.append(email_messages)
        time.sleep(60)
        raise ConnectionError("mail server timed out")


@pytest.mark.django_db
def test_a_complaint_is_recorded_at_once_whatever_the_mail_server_does(resident, fixed_now, client, settings,
                                                                       mailoutbox):
    settings.EMAIL_BACKEND = "tests.public.test_acknowledgement.HangingBackend"
    SENT_IN_REQUEST.clear()
    started = time.monotonic()
    response = resident("barnet").send(answers("barnet"))
    assert response["Location"] == "/barnet/complain/done/" and time.monotonic() - started < 30
    assert SENT_IN_REQUEST == []  # the request never spoke to the mail server
    case = Complaint.objects.get()
    email = Correspondence.objects.get(complaint=case, direction="out")
    assert (email.kind, email.recipient, email.delivery_status, email.delivery_attempts) == (
        "email", "alex@example.org", DeliveryStatus.PENDING, 0)
    assert email.subject == f"Barnet Council: we have received your complaint {case.reference}"
    assert not TrackingToken.objects.exists()  # the link is issued as the email is sent
    assert "We are sending a confirmation email to <strong>alex@example.org</strong>" in \
        client.get("/barnet/complain/done/").content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_emails() == 1
    [sent] = mailoutbox
    email.refresh_from_db()
    assert (email.delivery_status, email.delivery_attempts) == (DeliveryStatus.SENT, 1)
    token = re.search(r"http://testserver/barnet/track/([A-Za-z0-9_-]+)/", sent.body).group(1)
    assert TrackingToken.objects.get().token_hash == token_hash(token)
    assert client.get(f"/barnet/track/{token}/").context["complaint"] == case


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionError("Connection refused")


@pytest.mark.django_db
def test_a_failed_delivery_issues_no_link_and_is_retried(resident, fixed_now, settings, mailoutbox):
    resident("barnet").send(answers("barnet"))
    settings.EMAIL_BACKEND = "tests.public.test_acknowledgement.FailingBackend"
    assert deliver_emails() == 0
    email = Correspondence.objects.get(direction="out")
    assert (email.delivery_status, email.delivery_attempts, email.delivery_error) == (
        DeliveryStatus.PENDING, 1, "ConnectionError: Connection refused")
    assert not TrackingToken.objects.exists()  # the failed attempt's link was rolled back with it
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    email.next_attempt_at = email.created_at  # the retry is due
    email.save(update_fields=["next_attempt_at"])
    assert deliver_emails() == 1 and len(mailoutbox) == 1 and TrackingToken.objects.count() == 1


@pytest.mark.django_db
def test_a_body_without_the_placeholder_is_sent_as_stored(loaded_policies, mailoutbox):
    """An officer's letter mentioning a private link in words gets no link: only the exact placeholder
    address of the case's own council is filled in."""
    from complaints.services.delivery import complaint_queue_email
    from tests.factories import london, make_complaint

    case = make_complaint("barnet", "2026-06-01T10:00")
    body = "We cannot send a [private link] by post. https://example.org/bucks/track/[private link]/\n"
    complaint_queue_email(complaint=case, by=None, subject="About your link", body=body,
                          at=london("2026-06-01T10:00"))
    assert deliver_emails() == 1 and mailoutbox[0].body == body and not TrackingToken.objects.exists()


# --- a real worker, from the real Redis ------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_the_acknowledgement_queued_when_the_complaint_committed(
        resident, fixed_now, client, tmp_path):
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "VAR_DIR": str(tmp_path),
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
           "BREACH_SWEEP_SECONDS": "3600"}  # no beat runs: only the task queued on commit can deliver
    log = tmp_path / "worker.log"
    with open(log, "w") as out:
        worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
                                   "--loglevel", "INFO", "--without-mingle", "--without-gossip",
                                   "--without-heartbeat"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while "ready" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "ready" in log.read_text(), log.read_text()[-3000:]
        resident("barnet").send(answers("barnet"))
        email = Correspondence.objects.get(direction="out")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            email.refresh_from_db()
            if email.delivery_status == DeliveryStatus.SENT:
                break
            time.sleep(0.5)
        assert email.delivery_status == DeliveryStatus.SENT, log.read_text()[-3000:]
        assert email.delivery_attempts == 1 and email.delivered_at is not None
        assert TrackingToken.objects.filter(complaint=email.complaint).count() == 1  # issued by the worker
        assert "complaints.deliver_correspondence" in log.read_text()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
