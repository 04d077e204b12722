"""Delivering staff notifications. The database row is the truth: a failed send is
recorded and tried again by the next delivery sweep, never lost."""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q

from complaints.models import Deadline, Notification
from complaints.services.delivery import retry_delay

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def notification_record(*, deadline: Deadline, kind: str) -> Notification:
    """The one notification of this kind for this deadline, to the officer on the case.

    The unique constraint makes a repeat (a retried call, a second extension)
    return the existing row instead of telling anyone twice.
    """
    officer = deadline.complaint.assigned_officer_id if deadline.complaint_id else deadline.responsible_id
    notification, _ = Notification.objects.get_or_create(
        deadline=deadline, kind=kind,
        defaults={"complaint_id": deadline.complaint_id, "recipient_ids": [officer] if officer else []})
    return notification


def _message(notification: Notification) -> tuple[str, str]:
    deadline = notification.deadline
    case = notification.complaint
    label = case.reference if case else "Ombudsman enquiry"
    about = f"{case.reference} ({case.summary})" if case else "An Ombudsman enquiry with no complaint on record"
    subject = f"{label}: {notification.get_kind_display().lower()} ({deadline.get_kind_display().lower()})"
    body = (f"{about}\n"
            f"{deadline.stage} {deadline.get_kind_display().lower()} deadline: {deadline.due_date:%A %-d %B %Y}.\n\n"
            f"{deadline.explanation}\n")
    return subject, body


def notifications_deliver(*, now: dt.datetime, limit: int = 200) -> int:
    """Send pending notifications, oldest first; rows claimed with SKIP LOCKED so workers never double-send."""
    sent = 0
    with transaction.atomic():
        batch = list(Notification.objects.select_for_update(skip_locked=True, of=("self",))
                     .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
                             sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
                     .select_related("deadline", "complaint").order_by("created_at")[:limit])
        emails = dict(get_user_model().objects.filter(
            pk__in={pk for n in batch for pk in n.recipient_ids}).values_list("pk", "email"))
        for notification in batch:
            recipients = [emails[pk] for pk in notification.recipient_ids if emails.get(pk)]
            notification.attempts += 1
            try:
                if recipients:
                    subject, body = _message(notification)
                    send_mail(subject, body, None, recipients)
                notification.sent_at = now
                notification.last_error = ""
                notification.next_attempt_at = None
                sent += 1
            except Exception as exc:  # SMTP/Notify failures are recorded and retried, later each time
                notification.last_error = f"{type(exc).__name__}: {exc}"[:1000]
                notification.next_attempt_at = now + retry_delay(notification.attempts)
                logger.warning("notification delivery failed",
                               extra={"notification": notification.pk, "error": type(exc).__name__})
            notification.save(update_fields=["attempts", "sent_at", "last_error", "next_attempt_at"])
    return sent
