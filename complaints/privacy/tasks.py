"""Celery tasks of the data-protection app: parse nothing, call the service, log counts only."""

import logging

from celery import shared_task

from complaints.privacy.models import Trigger
from complaints.privacy.retention import retention_apply_all

logger = logging.getLogger(__name__)


@shared_task(name="privacy.apply_retention", ignore_result=True)
def apply_retention() -> int:
    """The nightly retention run for every council (no arguments: nothing personal goes to the broker)."""
    runs = retention_apply_all(trigger=Trigger.BEAT)
    for run in runs:
        logger.info("retention run", extra={"council": run.council.slug, "run": run.pk, "anonymised": run.anonymised,
                                            "held": run.held, "skipped_locked": run.skipped_locked,
                                            "failed": run.failed})
    return sum(run.anonymised for run in runs)
