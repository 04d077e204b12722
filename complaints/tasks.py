"""Celery tasks of the complaints app. Tasks parse input and call services; nothing more."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="complaints.case_event", ignore_result=True)
def case_event(complaint_id: int, event: str) -> None:
    """A state change was committed. Notifications hang off this (breach issue)."""
    logger.info("case event", extra={"complaint_id": complaint_id, "event": event})
