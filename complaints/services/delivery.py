"""Delivering emails to complainants. The correspondence row is the truth: a failed send is
recorded and tried again later with backoff, and a message that never gets through stays on
the case as ``failed``; nothing is deleted.

The gateway is chosen by ``settings.COMPLAINANT_EMAIL_GATEWAY``: ``django`` (Django's email
backend: console or file in development, SMTP in production) or ``notify`` (GOV.UK Notify,
one email template with ``((subject))`` and ``((body))`` placeholders).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.db import transaction

from complaints.models import Complaint, Correspondence, DeliveryStatus
from complaints.services.errors import PolicyGuardFailed

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
SUBJECT_MAX = Correspondence._meta.get_field("subject").max_length
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_RETRY = dt.timedelta(hours=6)


class DeliveryFailed(Exception):
    """The gateway did not accept the message."""


class EmailGateway(Protocol):
    name: str

    def send(self, *, to: str, subject: str, body: str, reference: str) -> None: ...


class DjangoEmailGateway:
    """Django's configured email backend (``EMAIL_BACKEND``)."""

    name = "django"

    def send(self, *, to: str, subject: str, body: str, reference: str) -> None:
        if send_mail(subject, body, None, [to], fail_silently=False) != 1:
            raise DeliveryFailed("the email backend accepted no message")


class NotifyEmailGateway:
    """GOV.UK Notify, through its Python client."""

    name = "notify"

    def __init__(self, *, api_key: str, template_id: str):
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(api_key)
        self.template_id = template_id

    def send(self, *, to: str, subject: str, body: str, reference: str) -> None:
        self.client.send_email_notification(
            email_address=to, template_id=self.template_id,
            personalisation={"subject": subject, "body": body}, reference=reference)


def email_gateway() -> EmailGateway:
    name = getattr(settings, "COMPLAINANT_EMAIL_GATEWAY", "django") or "django"
    if name == "django":
        return DjangoEmailGateway()
    if name == "notify":
        api_key = getattr(settings, "NOTIFY_API_KEY", "")
        template_id = getattr(settings, "NOTIFY_EMAIL_TEMPLATE_ID", "")
        if not api_key or not template_id:
            raise ImproperlyConfigured(
                "COMPLAINANT_EMAIL_GATEWAY is notify but NOTIFY_API_KEY or NOTIFY_EMAIL_TEMPLATE_ID is not set")
        return NotifyEmailGateway(api_key=api_key, template_id=template_id)
    raise ImproperlyConfigured(f"COMPLAINANT_EMAIL_GATEWAY must be django or notify, got {name!r}")


# A stored body never holds a secret. Where an email must carry one (a resident's private link to
# follow their case), the body keeps a placeholder and a filler, registered by the app that owns
# the secret (in its ``ready()``), puts a fresh one in the text as it is sent. A filler runs inside
# the attempt's savepoint, so a failed send leaves nothing it issued.
BodyFiller = Callable[[Correspondence, str, dt.datetime], str]
_body_fillers: list[BodyFiller] = []


def body_filler_register(fill: BodyFiller) -> None:
    if fill not in _body_fillers:
        _body_fillers.append(fill)


def text_to_send(item: Correspondence, now: dt.datetime) -> str:
    body = item.body
    for fill in _body_fillers:
        body = fill(item, body, now)
    return body


def retry_delay(attempts: int) -> dt.timedelta:
    """Wait after the ``attempts``-th failure: 1, 2, 4, 8 ... minutes, never more than six hours."""
    return min(FIRST_RETRY * 2 ** min(max(attempts, 1) - 1, 20), LONGEST_RETRY)


def correspondence_deliver_pending(*, now: dt.datetime, limit: int = 200) -> int:
    """Send emails that are due, oldest first; returns how many were sent.

    Rows are claimed with SKIP LOCKED, so overlapping runs (beat, the on-commit
    task, several workers) never send the same email twice.
    """
    sent = 0
    with transaction.atomic():
        batch = list(Correspondence.objects.select_for_update(skip_locked=True, of=("self",))
                     .filter(delivery_status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
                     .select_related("complaint").order_by("next_attempt_at", "pk")[:limit])
        if not batch:
            return 0
        gateway = email_gateway()
        for item in batch:
            item.delivery_attempts += 1
            try:
                with transaction.atomic():  # what a body filler issues stands only if the email went
                    gateway.send(to=item.recipient, subject=item.subject, body=text_to_send(item, now),
                                 reference=item.complaint.reference)
            except Exception as exc:  # SMTP, Notify and network failures are recorded and retried
                item.delivery_error = f"{type(exc).__name__}: {exc}"[:2000]
                if item.delivery_attempts >= MAX_ATTEMPTS:
                    item.delivery_status = DeliveryStatus.FAILED
                    item.next_attempt_at = None
                    logger.error("correspondence delivery gave up",
                                 extra={"correspondence": item.pk, "complaint": item.complaint.reference,
                                        "attempts": item.delivery_attempts, "error": type(exc).__name__})
                else:
                    item.next_attempt_at = now + retry_delay(item.delivery_attempts)
                    logger.warning("correspondence delivery failed",
                                   extra={"correspondence": item.pk, "complaint": item.complaint.reference,
                                          "attempts": item.delivery_attempts, "error": type(exc).__name__})
            else:
                item.delivery_status = DeliveryStatus.SENT
                item.delivered_at = now
                item.next_attempt_at = None
                sent += 1
            item.save(update_fields=["delivery_attempts", "delivery_status", "delivered_at", "next_attempt_at",
                                     "delivery_error"])
    return sent


def correspondence_enqueue_delivery(reference: str) -> None:
    """Ask a worker to deliver now rather than at the next beat. A broker failure is logged,
    never raised: the beat entry delivers whatever is still pending."""
    try:
        from complaints.tasks import deliver_correspondence

        deliver_correspondence.apply_async(retry=False, ignore_result=True)
    except Exception as exc:  # broker down or misconfigured
        logger.warning("could not queue correspondence delivery",
                       extra={"complaint": reference, "error": type(exc).__name__})


def complaint_queue_email(*, complaint: Complaint, by, subject: str, body: str, at: dt.datetime) -> Correspondence:
    """Keep an email to the complainant on the case, pending, and have a worker deliver it after the
    commit (the ``deliver-correspondence`` beat entry retries it): the request that writes it never
    waits for, or fails with, a mail server.

    For messages the system writes as it goes (the online form's acknowledgement, a new link to
    follow a case), which do not move the case: nothing on the case row changes, so it is neither
    locked nor given a new version (officers' letters go through ``complaint_send_letter``). One
    insert, so no transaction of its own: inside the caller's, the email is queued only if it commits.
    """
    recipient = complaint.complainant.email.strip()
    if not recipient:
        raise PolicyGuardFailed(f"{complaint.reference} has no email address to write to")
    subject = subject.strip()
    if not subject or not body.strip():
        raise PolicyGuardFailed("An email needs a subject and a body")
    item = Correspondence.objects.create(
        complaint=complaint, direction="out", kind="email", subject=subject[:SUBJECT_MAX], body=body, occurred_at=at,
        recorded_by=by, recipient=recipient, delivery_status=DeliveryStatus.PENDING, next_attempt_at=at)
    reference = complaint.reference
    transaction.on_commit(lambda: correspondence_enqueue_delivery(reference))
    return item
