"""Delivering emails to complainants: gateways, recorded retries with backoff, never lost, never twice."""

import datetime as dt
import json
import os
import smtplib
import threading
import uuid

import jwt
import pytest
import requests
import responses
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection

from complaints.models import Correspondence, DeliveryStatus
from complaints.services import delivery
from complaints.services.delivery import (
    MAX_ATTEMPTS,
    DjangoEmailGateway,
    NotifyEmailGateway,
    correspondence_deliver_pending,
    email_gateway,
    retry_delay,
)
from complaints.services.intake import complaint_triage
from complaints.services.letters import complaint_send_letter
from complaints.services.stage_work import complaint_acknowledge
from tests.config.test_production_settings import check_deploy, complete_values, production_env
from tests.factories import london, make_complaint, staff

NOTIFY_URL = "https://api.notifications.service.gov.uk/v2/notifications/email"
SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"complaints_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
SENT_AT = london("2026-05-20T09:05")
MIN = dt.timedelta(minutes=1)


class FailingBackend(BaseEmailBackend):
    """An SMTP server that hangs up."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class SilentBackend(BaseEmailBackend):
    """A backend that accepts the call but sends nothing."""

    def send_messages(self, email_messages):
        return 0


def pending_email(slug="lbbd"):
    officer = staff(slug)
    case = make_complaint(slug, "2026-05-18T10:00")
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=london("2026-05-18T11:00"))
    case = complaint_acknowledge(complaint=case, by=officer, at=london("2026-05-20T09:00"))
    return complaint_send_letter(complaint=case, by=officer, kind="acknowledgement", at=SENT_AT)


def reload(item) -> Correspondence:
    return Correspondence.objects.get(pk=item.pk)


def state(item):
    item = reload(item)
    return (item.delivery_status, item.delivery_attempts, item.next_attempt_at, item.delivered_at, item.delivery_error)


# --- the Django gateway ---------------------------------------------------------------------
@pytest.mark.django_db
def test_django_gateway_sends_through_the_email_backend_once():
    assert isinstance(email_gateway(), DjangoEmailGateway)
    item = pending_email()
    assert correspondence_deliver_pending(now=SENT_AT - dt.timedelta(seconds=1)) == 0  # not due yet
    assert correspondence_deliver_pending(now=SENT_AT) == 1
    [message] = mail.outbox
    assert (message.to, message.subject, message.body, message.from_email) == (
        ["alex@example.org"], "Acknowledgement of your complaint: LBD-2026-00001", item.body,
        django_settings.DEFAULT_FROM_EMAIL)
    assert state(item) == (DeliveryStatus.SENT, 1, None, SENT_AT, "")
    assert correspondence_deliver_pending(now=SENT_AT + dt.timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


def test_retry_delay_doubles_from_one_minute_and_is_capped_at_six_hours():
    assert [retry_delay(n) for n in range(1, 10)] == [MIN * m for m in (1, 2, 4, 8, 16, 32, 64, 128, 256)]
    assert retry_delay(10) == dt.timedelta(hours=6)
    assert retry_delay(50) == dt.timedelta(hours=6)


@pytest.mark.django_db
def test_failure_is_recorded_and_backed_off_then_a_later_attempt_succeeds(settings):
    item = pending_email()
    settings.EMAIL_BACKEND = "tests.complaints.test_delivery.FailingBackend"
    error = "SMTPServerDisconnected: Connection unexpectedly closed"

    assert correspondence_deliver_pending(now=SENT_AT) == 0
    assert state(item) == (DeliveryStatus.PENDING, 1, SENT_AT + MIN, None, error)
    assert correspondence_deliver_pending(now=SENT_AT + MIN - dt.timedelta(seconds=1)) == 0
    assert reload(item).delivery_attempts == 1  # backing off: not tried again early

    assert correspondence_deliver_pending(now=SENT_AT + MIN) == 0
    assert state(item) == (DeliveryStatus.PENDING, 2, SENT_AT + 3 * MIN, None, error)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert correspondence_deliver_pending(now=SENT_AT + 3 * MIN) == 1
    # Sent; the last failure stays on the record.
    assert state(item) == (DeliveryStatus.SENT, 3, None, SENT_AT + 3 * MIN, error)
    assert [m.subject for m in mail.outbox] == ["Acknowledgement of your complaint: LBD-2026-00001"]


@pytest.mark.django_db
def test_a_backend_that_sends_nothing_is_a_failure(settings):
    item = pending_email()
    settings.EMAIL_BACKEND = "tests.complaints.test_delivery.SilentBackend"
    assert correspondence_deliver_pending(now=SENT_AT) == 0
    assert state(item) == (DeliveryStatus.PENDING, 1, SENT_AT + MIN,
                           None, "DeliveryFailed: the email backend accepted no message")


@pytest.mark.django_db
def test_after_the_last_attempt_the_email_is_failed_and_kept(settings):
    item = pending_email()
    settings.EMAIL_BACKEND = "tests.complaints.test_delivery.FailingBackend"
    now = SENT_AT
    tried_at = []
    for _ in range(MAX_ATTEMPTS):
        assert correspondence_deliver_pending(now=now) == 0
        tried_at.append(now)
        now = reload(item).next_attempt_at or now
    assert MAX_ATTEMPTS == 10
    # Waits of 1, 2, 4 ... 256 minutes between the ten attempts.
    assert [b - a for a, b in zip(tried_at, tried_at[1:])] == [retry_delay(n) for n in range(1, 10)]
    assert state(item) == (DeliveryStatus.FAILED, 10, None, None,
                           "SMTPServerDisconnected: Connection unexpectedly closed")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert correspondence_deliver_pending(now=now + dt.timedelta(days=30)) == 0
    assert reload(item).delivery_status == DeliveryStatus.FAILED
    assert mail.outbox == []


@pytest.mark.django_db
def test_misconfigured_gateway_raises_and_leaves_the_email_pending(settings):
    item = pending_email()
    settings.COMPLAINANT_EMAIL_GATEWAY = "notify"
    settings.NOTIFY_API_KEY = ""
    settings.NOTIFY_EMAIL_TEMPLATE_ID = TEMPLATE_ID
    with pytest.raises(ImproperlyConfigured, match="NOTIFY_API_KEY"):
        correspondence_deliver_pending(now=SENT_AT)
    assert state(item) == (DeliveryStatus.PENDING, 0, SENT_AT, None, "")


# --- overlapping runs -----------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_delivery_runs_send_each_email_once(monkeypatch):
    items = [pending_email(), pending_email("bucks")]
    sending = threading.Event()
    release = threading.Event()
    sent = []

    class SlowGateway:
        name = "slow"

        def send(self, *, to, subject, body, reference):
            sent.append(reference)
            sending.set()
            assert release.wait(timeout=30), "the test never released the first run"

    monkeypatch.setattr(delivery, "email_gateway", SlowGateway)
    results = {}

    def first_run():
        try:
            results["first"] = correspondence_deliver_pending(now=SENT_AT)
        finally:
            connection.close()

    worker = threading.Thread(target=first_run)
    worker.start()
    try:
        assert sending.wait(timeout=30), "the first run never started sending"
        # The first run holds both rows: the second finds nothing to claim and does not wait.
        results["second"] = correspondence_deliver_pending(now=SENT_AT)
    finally:
        release.set()
        worker.join(timeout=30)
    assert results == {"first": 2, "second": 0}
    assert sorted(sent) == ["BCC-2026-00001", "LBD-2026-00001"]
    assert [reload(item).delivery_status for item in items] == [DeliveryStatus.SENT, DeliveryStatus.SENT]
    assert correspondence_deliver_pending(now=SENT_AT + dt.timedelta(hours=1)) == 0
    assert len(sent) == 2


# --- GOV.UK Notify, offline -------------------------------------------------------------------
@pytest.fixture
def notify(settings):
    settings.COMPLAINANT_EMAIL_GATEWAY = "notify"
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_EMAIL_TEMPLATE_ID = TEMPLATE_ID
    with responses.RequestsMock(assert_all_requests_are_fired=True) as stub:
        yield stub


@pytest.mark.django_db
def test_notify_gateway_posts_the_email_with_personalisation_and_the_case_reference(notify):
    item = pending_email()
    gateway = email_gateway()
    assert isinstance(gateway, NotifyEmailGateway)
    notify.post(NOTIFY_URL, status=201, json={
        "id": str(uuid.uuid4()), "reference": "LBD-2026-00001",
        "content": {"subject": item.subject, "body": item.body, "from_email": "complaints@notify.example"},
        "uri": "https://api.notifications.service.gov.uk/v2/notifications/x",
        "template": {"id": TEMPLATE_ID, "version": 1, "uri": "https://example"}})

    assert correspondence_deliver_pending(now=SENT_AT) == 1
    [call] = notify.calls
    assert json.loads(call.request.body) == {
        "email_address": "alex@example.org",
        "template_id": TEMPLATE_ID,
        "personalisation": {"subject": "Acknowledgement of your complaint: LBD-2026-00001", "body": item.body},
        "reference": "LBD-2026-00001",
    }
    scheme, token = call.request.headers["Authorization"].split(" ")
    assert scheme == "Bearer"
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["iss"] == SERVICE_ID
    assert state(item) == (DeliveryStatus.SENT, 1, None, SENT_AT, "")
    assert mail.outbox == []  # Notify sent it, not Django's backend


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "error", "message", "recorded"), [
    (400, "BadRequestError", "email_address Not a valid email address", "HTTPError: 400"),
    (403, "AuthError", "Invalid token: API key not found", "HTTPError: 403"),
    (500, "Exception", "Internal server error", "HTTPError: 500"),
    (503, "Exception", "Service unavailable", "HTTP503Error: 503"),
])
def test_notify_errors_are_recorded_as_failures_and_retried(notify, status, error, message, recorded):
    item = pending_email()
    notify.post(NOTIFY_URL, status=status,
                json={"status_code": status, "errors": [{"error": error, "message": message}]})
    assert correspondence_deliver_pending(now=SENT_AT) == 0
    assert state(item) == (DeliveryStatus.PENDING, 1, SENT_AT + MIN, None,
                           f"{recorded} - [{{'error': '{error}', 'message': '{message}'}}]")
    assert len(notify.calls) == 1


@pytest.mark.django_db
def test_notify_network_failure_is_recorded(notify):
    item = pending_email()
    notify.post(NOTIFY_URL, body=requests.exceptions.ConnectionError("Name or service not known"))
    assert correspondence_deliver_pending(now=SENT_AT) == 0
    assert state(item) == (DeliveryStatus.PENDING, 1, SENT_AT + MIN, None, "HTTP503Error: 503 - Request failed")


# --- the Celery task and beat ---------------------------------------------------------------
@pytest.mark.django_db
def test_the_task_delivers_pending_emails_and_beat_runs_it():
    from complaints.tasks import deliver_correspondence

    pending_email()
    assert deliver_correspondence() == 1
    assert len(mail.outbox) == 1
    assert django_settings.CELERY_BEAT_SCHEDULE["deliver-correspondence"] == {
        "task": "complaints.deliver_correspondence",
        "schedule": float(os.environ.get("BREACH_SWEEP_SECONDS") or 60)}


# --- production settings --------------------------------------------------------------------
def notify_env(tmp_path, **values):
    env = production_env(tmp_path, **complete_values())
    for name in ("COMPLAINANT_EMAIL_GATEWAY", "NOTIFY_API_KEY", "NOTIFY_EMAIL_TEMPLATE_ID"):
        env.pop(name, None)
    env.update(values)
    return env


@pytest.mark.parametrize("key", [None, ""], ids=["unset", "empty"])
def test_production_refuses_the_notify_gateway_without_an_api_key(tmp_path, key):
    values = {"COMPLAINANT_EMAIL_GATEWAY": "notify", "NOTIFY_EMAIL_TEMPLATE_ID": TEMPLATE_ID}
    if key is not None:
        values["NOTIFY_API_KEY"] = key
    result = check_deploy(notify_env(tmp_path, **values))
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == (
        "django.core.exceptions.ImproperlyConfigured: The environment variable NOTIFY_API_KEY is required in "
        "production settings when COMPLAINANT_EMAIL_GATEWAY is notify (see .env.example)."), result.stderr


def test_production_refuses_the_notify_gateway_without_a_template(tmp_path):
    result = check_deploy(notify_env(tmp_path, COMPLAINANT_EMAIL_GATEWAY="notify", NOTIFY_API_KEY=API_KEY))
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line and "NOTIFY_EMAIL_TEMPLATE_ID" in last_line, result.stderr


def test_production_starts_with_notify_configured_or_with_the_default_gateway(tmp_path):
    configured = check_deploy(notify_env(tmp_path, COMPLAINANT_EMAIL_GATEWAY="notify", NOTIFY_API_KEY=API_KEY,
                                         NOTIFY_EMAIL_TEMPLATE_ID=TEMPLATE_ID))
    assert configured.returncode == 0, configured.stdout + configured.stderr
    default = check_deploy(notify_env(tmp_path))
    assert default.returncode == 0, default.stdout + default.stderr


def test_an_unknown_gateway_is_refused(tmp_path):
    result = check_deploy(notify_env(tmp_path, COMPLAINANT_EMAIL_GATEWAY="smtp"))
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: COMPLAINANT_EMAIL_GATEWAY must be django or notify, got 'smtp'")
