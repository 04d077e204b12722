"""Celery tasks of the public form. Tasks parse input and call a service; nothing more."""

from celery import shared_task
from django.utils import timezone

from complaints.public.uploads import pending_uploads_discard_abandoned


@shared_task(name="public.discard_abandoned_uploads", ignore_result=True)
def discard_abandoned_uploads() -> int:
    """Delete evidence and consent files uploaded on forms that were never sent (beat: hourly)."""
    return pending_uploads_discard_abandoned(now=timezone.now())
