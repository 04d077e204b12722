"""Settings shared by every environment. Values come from environment variables."""

import datetime as dt
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "insecure-local-development-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "config.admin_site.ServiceAdminConfig",  # django.contrib.admin, permission before object (config/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "axes",
    "csp",
    "policies",
    "deadlines",
    "complaints",
    "complaints.staff",
    "complaints.public",
    "complaints.reports",
    "complaints.api",
    "complaints.privacy",
    "ombudsman",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.security.PermissionsPolicyMiddleware",
    # Before anything reads the address or the session cookie (config/nul_guard.py).
    "config.nul_guard.RefuseNulCharacters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a refused sign-in (too many failures) into the lockout page.
    "axes.middleware.AxesMiddleware",
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
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no script reads it: every form sends the token as a field
CSRF_COOKIE_SAMESITE = "Lax"
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
# Uploads: files over 2.5 MB stream to a temporary file, and each is cut off past the largest
# attachment accepted (config/uploads.py), so a huge upload fills neither memory nor disk; every
# form takes one file at a time. Other fields of a request: at most 2.5 MB (Django's default).
FILE_UPLOAD_HANDLERS = [
    "config.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
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
# Sessions live in Redis when there is one: no database read and write on every page (a resident's
# form is some 26 requests). SESSION_ENGINE=django.contrib.sessions.backends.cached_db keeps a
# database copy too. Without Redis (bin/run's embedded defaults) they stay in the database.
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # JSON, as sessions in the database are stored (never unpickled from Redis).
        "sessions": {"BACKEND": "config.redis_cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "sessions",
                     "OPTIONS": {"serializer": "django.core.signing.JSONSerializer",
                                 "socket_connect_timeout": 2, "socket_timeout": 2}},
    }
    SESSION_CACHE_ALIAS = "sessions"
    SESSION_ENGINE = env_str("SESSION_ENGINE", "django.contrib.sessions.backends.cache")
# Counts for the public pages' per-address and per-email limits (complaints/public/limits.py): shared
# by every web process, so in Redis when there is one; a file cache under VAR_DIR otherwise.
CACHES = globals().get("CACHES", {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
CACHES["limits"] = (
    {"BACKEND": "config.redis_cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "limits",
     "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}
    if REDIS_URL else
    {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache" / "limits")}
)
# The overdue dashboard's boards and per-council generations (complaints/reports/dashboard_cache.py):
# shared by every process that changes a case, so in Redis when there is one; a file cache otherwise.
CACHES["dashboard"] = (
    {"BACKEND": "config.redis_cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "dashboard",
     "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}
    if REDIS_URL else
    {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache" / "dashboard")}
)
# Generous: a library's public computers or an advice worker sending for several clients must get through.
PUBLIC_SUBMISSIONS_PER_ADDRESS_PER_HOUR = env_int("PUBLIC_SUBMISSIONS_PER_ADDRESS_PER_HOUR", 30)
PUBLIC_SUBMISSIONS_PER_EMAIL_PER_DAY = env_int("PUBLIC_SUBMISSIONS_PER_EMAIL_PER_DAY", 10)
PUBLIC_LINK_REQUESTS_PER_ADDRESS_PER_HOUR = env_int("PUBLIC_LINK_REQUESTS_PER_ADDRESS_PER_HOUR", 30)
PUBLIC_LINK_REQUESTS_PER_EMAIL_PER_DAY = env_int("PUBLIC_LINK_REQUESTS_PER_EMAIL_PER_DAY", 5)
# Residents' answers on the public form are kept this long after their last page (24 hours: over
# WCAG 2.2's 20-hour limit, so a form without JavaScript needs no timeout warning); an officer's
# signed-in session keeps SESSION_COOKIE_AGE (complaints/public/sessions.py).
PUBLIC_SESSION_IDLE_SECONDS = env_int("PUBLIC_SESSION_IDLE_SECONDS", 24 * 60 * 60)
# Evidence uploaded on a form that is never sent is deleted this long after upload (longer than the window above).
PUBLIC_UPLOAD_MAX_AGE_HOURS = env_int("PUBLIC_UPLOAD_MAX_AGE_HOURS", 48)
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
    "discard-abandoned-uploads": {"task": "public.discard_abandoned_uploads", "schedule": 3600.0},
    # Attachment files whose row was rolled back (complaints/services/attachment_files.py).
    "discard-orphaned-attachment-files": {"task": "complaints.discard_orphaned_attachment_files",
                                          "schedule": crontab(hour=3, minute=15)},
    # Nightly, London time: anonymise what has passed each council's retention period.
    "apply-retention": {"task": "privacy.apply_retention", "schedule": crontab(hour=2, minute=30)},
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
    # Personal data never reaches the log: emails, phone numbers and personal extras are scrubbed.
    "filters": {"personal_data": {"()": "complaints.privacy.log_scrub.PersonalDataFilter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json",
                            "filters": ["personal_data"]}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": LOG_LEVEL},
        "weasyprint.progress": {"level": "WARNING"},  # a dozen "Step n" lines for every report PDF
        "axes.apps": {"level": "WARNING"},  # a banner at every start, on stdout before a command's own output
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
    "DEFAULT_PARSER_CLASSES": ["complaints.api.parsers.JSONParser"],
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
        "LinkKindEnum": "complaints.api.serializers_actions.LINK_KINDS",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "complaints.api.schema.document_errors",
    ],
}

# --- Security: sign-in throttling, content security policy, headers (config/security.py) -------
# django-axes counts failed sign-ins per username *and* client address: after
# LOGIN_FAILURE_LIMIT failures that pair is refused for LOGIN_LOCKOUT_MINUTES (the
# lockout page, HTTP 429), so a guesser cannot lock a colleague out from elsewhere.
AUTHENTICATION_BACKENDS = [
    "config.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
# How many reverse proxies in front of the app append to X-Forwarded-For (0: use the socket address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# django-csp 4: this site's own files only; inline <style> blocks carry the request's nonce.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page of the service uses, switched off (config.security.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
                      "magnetometer=(), microphone=(), midi=(), payment=(), usb=()")
