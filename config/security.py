"""Security plumbing the settings point at: sign-in throttling, the client address, Permissions-Policy.

The policies themselves (limits, CSP directives, cookie flags) are settings; this
module holds the few lines of code they need.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check for sign-ins that come from a web request.

    axes refuses ``authenticate()`` calls without a request; those only come from
    code running on the server (management commands, the demo-login check), which
    no visitor can reach, so they are passed on to the next backend unthrottled.
    Every HTTP sign-in (the sign-in page, the admin's) passes its request and is counted.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The GOV.UK-style page for a username and address locked out after too many failed sign-ins (429)."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    return render(request, "registration/locked_out.html",
                  {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}, status=429)


def client_ip(request) -> str | None:
    """The visitor's address, for counting failed sign-ins per address.

    With ``TRUSTED_PROXY_COUNT`` = N reverse proxies in front of the app, each appends
    the address it saw to X-Forwarded-For, so the client is the N-th entry from the
    right; anything further left was sent by the client and is not trusted. With no
    proxy (or too short a header) the socket's address is used.
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


class PermissionsPolicyMiddleware:
    """Adds the ``Permissions-Policy`` header (Django has no setting for it) to every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.policy
        return response
