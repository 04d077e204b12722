"""A NUL character in the address or a cookie is refused before anything reads it.

PostgreSQL cannot store or compare text holding NUL (U+0000), so a NUL that
reaches a query fails there as a server error: a case reference typed into the
address (``/cases/%00/``), a filter of the admin's lists or of the dashboard, a
session cookie the sessions table is searched for. No address or cookie of the
service ever holds one, so they are refused at the door: an address with a NUL
names nothing (404), a query string or cookie with one is a bad request (400);
under ``/api/`` both are the API's JSON error. Form fields and JSON bodies are
left to their own fields, which refuse NUL with a message on the field ("Null
characters are not allowed"), clearer than a page.
"""

from __future__ import annotations

from urllib.parse import unquote

from django.http import Http404, JsonResponse

from config.errors import error_response, is_api

NUL = "\x00"
REASON = "The address or a cookie sent with it contains a character that is not allowed (NUL)."


def in_query_or_cookies(request) -> bool:
    return (NUL in unquote(request.META.get("QUERY_STRING", ""))
            or any(NUL in name or NUL in value for name, value in request.COOKIES.items()))


class RefuseNulCharacters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if in_query_or_cookies(request):
            return error_response(request, 400, "bad_request", REASON, "400.html", reason=REASON)
        if NUL in request.path_info:
            if is_api(request):
                return JsonResponse({"error": "not_found", "detail": "No such record"}, status=404)
            raise Http404("No such page")
        return self.get_response(request)
