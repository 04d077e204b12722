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
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.db import transaction

from complaints.models import Correspondence, DeliveryStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
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
                gateway.send(to=item.recipient, subject=item.subject, body=item.body,
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
