"""Celery wiring.

The beat schedule lives in code (``CELERY_BEAT_SCHEDULE`` in settings) so that
every deployment runs the same sweeps; the broker comes from ``REDIS_URL`` or,
on a bare machine, kombu's filesystem transport.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("complaints_cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.imports = ("config.tasks",)
