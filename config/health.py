"""``/healthz``: is this process able to reach what it needs?

Load balancers and the docker-compose healthcheck read it. It checks the
database and the Celery broker with short timeouts and answers 200 only when
both are reachable, otherwise 503 with the failing part named.
"""

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app as celery_app

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not reachable"
        logger.warning("healthz database check failed", extra={"error": type(exc).__name__})
        return False, f"unreachable ({type(exc).__name__})"
    return True, "ok"


def check_broker() -> tuple[bool, str]:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as exc:
        logger.warning("healthz broker check failed", extra={"error": type(exc).__name__})
        return False, f"unreachable ({type(exc).__name__})"
    return True, "ok"


@never_cache
@require_GET
def healthz(request):
    db_ok, db_detail = check_database()
    broker_ok, broker_detail = check_broker()
    healthy = db_ok and broker_ok
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": {"database": db_detail, "broker": broker_detail},
    }
    return JsonResponse(body, status=200 if healthy else 503)
