"""What a visitor sees when a request fails: a GOV.UK page, or the API's JSON error shape.

``server_error`` (500) and ``bad_request`` (400) are Django's ``handler500`` and
``handler400``. They render without the request's context processors, session,
user or database, because the failure may be the database connection itself, and
they never show the exception: Django logs it. Under ``/api/`` the answer is the
API's ``{"error": code, "detail": message}`` instead of a page.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def error_response(request, status: int, code: str, detail: str, template: str, **context) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"error": code, "detail": detail}, status=status)
    html = render_to_string(template, {"service_name": settings.SERVICE_NAME, **context})
    return HttpResponse(html, status=status)


def server_error(request):
    return error_response(request, 500, "server_error",
                          "Something went wrong on the server; nothing was half-saved. Try again later.", "500.html")


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024):.1f} MB"
        reason = f"What was sent is larger than the {limit} a request may be (files apart)."
        return error_response(request, 400, "too_large", reason, "400.html", reason=reason)
    return error_response(request, 400, "bad_request", "The request could not be read.", "400.html")
