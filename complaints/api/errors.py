"""One JSON shape for every error: {"error": code, "detail": message[, "fields": {...}]}.

- a refused move (DomainError) is 409 with the service's code (StaleCase: "stale");
- invalid input is 400 "invalid" with the messages per field in "fields";
- anything not found, including another council's record, is 404 "not_found";
- unknown URLs under /api/ are a JSON 404 too (``not_found`` view), never Django's HTML page.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from complaints.services.errors import DomainError
from deadlines.calendar import CalendarRangeError
from policies.selectors import NoPolicyInForce


def error_body(code: str, detail: str, fields=None) -> dict:
    body = {"error": code, "detail": detail}
    if fields is not None:
        body["fields"] = fields
    return body


def _as_fields(detail) -> dict:
    if isinstance(detail, dict):
        return detail
    return {"non_field_errors": detail if isinstance(detail, list) else [detail]}


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, NoPolicyInForce):
        return Response(error_body("no_policy", str(exc)), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, CalendarRangeError):
        return Response(error_body("invalid", str(exc), {"non_field_errors": [str(exc)]}),
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's handler logs it and answers 500
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body("invalid", "The request has invalid fields; see fields", _as_fields(exc.detail))
    else:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        response.data = error_body(_code(exc), detail)
    return response


@csrf_exempt  # a POST to an unknown URL is a JSON 404, not Django's HTML CSRF page: nothing here changes state
def not_found(request, *args, **kwargs):
    """Any URL under /api/ that matches no endpoint (including a path parameter of the wrong type)."""
    return JsonResponse(error_body("not_found", f"No API endpoint at {request.path}; see /api/docs/"), status=404)
