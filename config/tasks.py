"""Project-wide Celery tasks that belong to no single app."""

import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(name="config.tasks.heartbeat")
def heartbeat() -> str:
    """Beat's proof of life: shows in the worker log that beat, broker and worker connect."""
    now = timezone.now().isoformat()
    logger.info("heartbeat", extra={"at": now})
    return now
