"""Settings shared by every environment. Values come from environment variables."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "insecure-local-development-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "policies",
    "deadlines",
    "complaints",
    "complaints.staff",
    "complaints.public",
    "complaints.reports",
    "complaints.api",
    "ombudsman",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.service",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
FORM_RENDERER = "config.forms.GovukFormRenderer"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/cases/"
LOGOUT_REDIRECT_URL = "login"
# Staff sessions end after inactivity (the expiry is renewed on every request).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SERVICE_NAME = env_str("SERVICE_NAME", "Complaints")

# With no DATABASE_URL the project runs on an embedded SQLite file, so a
# newcomer needs nothing installed; deployments and tests set PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL is None:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Compiled GOV.UK / MOJ Frontend (bin/build-assets) and the project's own static files.
ASSETS_DIR = Path(env_str("ASSETS_DIR", str(BASE_DIR / "var" / "assets")))
STATICFILES_DIRS = [BASE_DIR / "config" / "static", ASSETS_DIR]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Celery -----------------------------------------------------------------
# REDIS_URL selects Redis; without it kombu's filesystem transport is the
# embedded broker, so worker and beat run on a bare machine.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Short socket timeouts: queuing a side effect must never hold up a request
    # for more than a couple of seconds when Redis is down.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 2}
else:
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("out", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Let Django's LOGGING (JSON to stdout) format worker and beat logs too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The beat schedule is defined here, in code, so every deployment runs the
# same jobs. The heartbeat proves beat -> broker -> worker end to end and is
# what /healthz's "beat" check can read later.
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "config.tasks.heartbeat", "schedule": 60.0},
    "flag-breaches": {"task": "complaints.flag_breaches", "schedule": float(env_int("BREACH_SWEEP_SECONDS", 60))},
    "warn-due-soon": {"task": "complaints.warn_due_soon", "schedule": 300.0},
    "deliver-notifications": {"task": "complaints.deliver_notifications",
                              "schedule": float(env_int("BREACH_SWEEP_SECONDS", 60))},
    "deliver-correspondence": {"task": "complaints.deliver_correspondence",
                               "schedule": float(env_int("BREACH_SWEEP_SECONDS", 60))},
}
# How many working days ahead the "due soon" warning looks.
DUE_SOON_WORKING_DAYS = env_int("DUE_SOON_WORKING_DAYS", 2)

# --- Logging: structured JSON lines to stdout ---------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": LOG_LEVEL},
    },
}

# --- Letters and emails to complainants --------------------------------------------
# "django" sends through EMAIL_BACKEND (console locally, SMTP in production);
# "notify" sends through GOV.UK Notify, with one email template whose subject is
# ((subject)) and whose body is ((body)).
COMPLAINANT_EMAIL_GATEWAY = env_str("COMPLAINANT_EMAIL_GATEWAY", "django")
if COMPLAINANT_EMAIL_GATEWAY not in {"django", "notify"}:
    raise ImproperlyConfigured(
        f"COMPLAINANT_EMAIL_GATEWAY must be django or notify, got {COMPLAINANT_EMAIL_GATEWAY!r}")
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY", "")
NOTIFY_EMAIL_TEMPLATE_ID = env_str("NOTIFY_EMAIL_TEMPLATE_ID", "")

# --- Policies ------------------------------------------------------------------
POLICY_DIR = Path(env_str("POLICY_DIR", str(BASE_DIR / "policies" / "files")))

# --- REST API for integrations (complaints.api) ---------------------------------------
REST_FRAMEWORK = {
    # Integrations send "Authorization: Bearer <key>"; staff browsing the API use their session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "complaints.api.authentication.IntegrationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["complaints.api.permissions.ActsForCouncil"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["complaints.api.throttling.IntegrationRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"integration": env_str("API_THROTTLE_RATE", "600/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "complaints.api.errors.exception_handler",
    "DEFAULT_METADATA_CLASS": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Complaints case management API",
    "DESCRIPTION": "Complaints, their deadlines and actions, for one council per token. Errors are "
                   '{"error": code, "detail": message}; a refused action is 409.',
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {
        "DeadlineKindEnum": "complaints.models.DeadlineKind",
        "FeedbackKindEnum": "complaints.models.FeedbackKind",
        "CorrespondenceKindEnum": "complaints.models.Correspondence.KINDS",
        "OmbudsmanDecisionKindEnum": "ombudsman.models.DecisionKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "complaints.api.schema.document_errors",
    ],
}
