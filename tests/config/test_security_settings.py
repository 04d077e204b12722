"""Production's cookie, header, sign-in throttling and CSP settings, read from the settings module itself
(in a subprocess, because the settings read the environment once, at import)."""

import json
import subprocess
import sys

import pytest

from tests.config.test_production_settings import ROOT, complete_values, production_env

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
names = ["SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "SESSION_SAVE_EVERY_REQUEST",
         "SESSION_COOKIE_AGE", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE", "X_FRAME_OPTIONS",
         "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "SECURE_CROSS_ORIGIN_OPENER_POLICY",
         "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "AXES_FAILURE_LIMIT", "AXES_LOCKOUT_PARAMETERS",
         "AUTHENTICATION_BACKENDS", "MIDDLEWARE", "INSTALLED_APPS", "TRUSTED_PROXY_COUNT"]
values = {name: getattr(settings, name) for name in names}
values["CSP"] = {k: [str(v) for v in vs] for k, vs in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].items()}
print(json.dumps(values))
"""


def production_settings(tmp_path, **extra) -> dict:
    result = subprocess.run([sys.executable, "-c", PRINT_SETTINGS], cwd=ROOT, capture_output=True, text=True,
                            env=production_env(tmp_path, **complete_values(), **extra), timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def prod(tmp_path_factory):
    return production_settings(tmp_path_factory.mktemp("var"))


def test_session_and_csrf_cookies_are_secure_http_only_and_same_site_lax(prod):
    for prefix in ("SESSION", "CSRF"):
        assert (prod[f"{prefix}_COOKIE_SECURE"], prod[f"{prefix}_COOKIE_HTTPONLY"],
                prod[f"{prefix}_COOKIE_SAMESITE"]) == (True, True, "Lax"), prefix


def test_sessions_end_after_half_an_hour_of_inactivity(prod):
    assert (prod["SESSION_COOKIE_AGE"], prod["SESSION_SAVE_EVERY_REQUEST"]) == (1800, True)


def test_security_headers(prod):
    assert prod["X_FRAME_OPTIONS"] == "DENY" and prod["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert prod["SECURE_REFERRER_POLICY"] == "same-origin"
    assert prod["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert prod["SECURE_SSL_REDIRECT"] is True and prod["SECURE_HSTS_SECONDS"] >= 31536000
    assert "config.security.PermissionsPolicyMiddleware" in prod["MIDDLEWARE"]


def test_the_content_security_policy_allows_only_this_site(prod):
    csp = prod["CSP"]
    assert csp["default-src"] == ["'none'"]
    for directive in ("script-src", "img-src", "font-src"):
        assert csp[directive] == ["'self'"], directive
    assert csp["style-src"] == ["'self'", "csp.constants.NONCE"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "csp.middleware.CSPMiddleware" in prod["MIDDLEWARE"]


def test_sign_in_is_throttled_per_username_and_address(prod):
    assert prod["AUTHENTICATION_BACKENDS"][0] == "config.security.LoginThrottleBackend"
    assert prod["MIDDLEWARE"][-1] == "axes.middleware.AxesMiddleware" and "axes" in prod["INSTALLED_APPS"]
    assert prod["AXES_LOCKOUT_PARAMETERS"] == [["username", "ip_address"]] and prod["AXES_FAILURE_LIMIT"] == 5


def test_the_limit_and_the_proxy_count_come_from_the_environment(tmp_path):
    values = production_settings(tmp_path, LOGIN_FAILURE_LIMIT="3", TRUSTED_PROXY_COUNT="1")
    assert (values["AXES_FAILURE_LIMIT"], values["TRUSTED_PROXY_COUNT"]) == (3, 1)
