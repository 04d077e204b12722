"""Celery tasks of the complaints app. Tasks parse input and call services; nothing more."""

import logging

from celery import shared_task
from django.utils import timezone

from complaints.services.notify import notifications_deliver
from complaints.services.sweeps import deadlines_flag_breaches, deadlines_warn_due_soon

logger = logging.getLogger(__name__)


@shared_task(name="complaints.case_event", ignore_result=True)
def case_event(complaint_id: int, event: str) -> None:
    """A change was committed; deliver any notifications it produced without waiting for the sweep."""
    logger.info("case event", extra={"complaint_id": complaint_id, "event": event})
    notifications_deliver(now=timezone.now())


@shared_task(name="complaints.flag_breaches", ignore_result=True)
def flag_breaches() -> int:
    result = deadlines_flag_breaches(now=timezone.now())
    logger.info("breach sweep", extra={"flagged": result.flagged, "notifications": result.notifications})
    return result.flagged


@shared_task(name="complaints.warn_due_soon", ignore_result=True)
def warn_due_soon() -> int:
    result = deadlines_warn_due_soon(now=timezone.now())
    logger.info("due-soon sweep", extra={"flagged": result.flagged, "notifications": result.notifications})
    return result.flagged


@shared_task(name="complaints.deliver_notifications", ignore_result=True)
def deliver_notifications() -> int:
    return notifications_deliver(now=timezone.now())


@shared_task(name="complaints.deliver_correspondence", ignore_result=True)
def deliver_correspondence() -> int:
    """Send letters and emails to complainants that are due (new ones, and retries after a failure)."""
    from complaints.services.delivery import correspondence_deliver_pending

    return correspondence_deliver_pending(now=timezone.now())


@shared_task(name="complaints.discard_orphaned_attachment_files", ignore_result=True)
def discard_orphaned_attachment_files() -> int:
    """Delete attachment files left by a transaction that rolled back (beat: daily)."""
    from complaints.services.attachment_files import attachment_files_discard_orphaned

    return attachment_files_discard_orphaned(now=timezone.now())
