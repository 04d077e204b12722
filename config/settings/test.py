"""Test settings: real PostgreSQL and real Redis, never the embedded fallbacks.

The test command (bin/test) checks that both answer before pytest starts; the
defaults here match the CI machine and can be overridden by the environment.
"""

import dj_database_url

from .base import *  # noqa: F401,F403
from .env import env_str

DATABASE_URL = env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/complaints")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 2}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Uploaded files written by tests go to a temporary folder, never the repository.
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

MEDIA_ROOT = Path(tempfile.gettempdir()) / "complaints-test-media"

# The suite sends many forms from 127.0.0.1; the limits' own tests set small ones.
PUBLIC_SUBMISSIONS_PER_ADDRESS_PER_HOUR = PUBLIC_SUBMISSIONS_PER_EMAIL_PER_DAY = 10**6
PUBLIC_LINK_REQUESTS_PER_ADDRESS_PER_HOUR = PUBLIC_LINK_REQUESTS_PER_EMAIL_PER_DAY = 10**6
