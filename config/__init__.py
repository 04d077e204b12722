"""Project configuration package.

The Celery app is imported here so that ``@shared_task`` functions bind to it
whenever Django starts (web, worker, beat or a management command).
"""

from .celery import app as celery_app

__all__ = ("celery_app",)
