"""Requests per integration token (per user for staff sessions), in Django's cache."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from complaints.api.models import IntegrationToken


class IntegrationRateThrottle(SimpleRateThrottle):
    scope = "integration"

    def get_rate(self):
        # Read at each request rather than at import, so settings changes (and tests) take effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, IntegrationToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return f"throttle_api_{ident}"
