"""Security headers and the content security policy on every kind of page, and nothing inline that the
policy would block (so the policy needs no 'unsafe-inline')."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache

from complaints.models import StaffRole
from tests.security.world import B, build_world

pytestmark = pytest.mark.django_db
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle=")
STYLE_ELEMENT = re.compile(r"<style([^>]*)>")


@pytest.fixture
def world():
    cache.clear()
    return build_world()


def policy(response) -> dict[str, str]:
    return {part.split()[0]: part.strip() for part in response["Content-Security-Policy"].split(";") if part.strip()}


def pages(world) -> list[tuple[str, str | None]]:
    """(url, role signed in or None): one of each kind of page the service renders."""
    year = dt.date.today().year
    return [("/", None), ("/sign-in/", None), (f"/{B}/complain/", None), (f"/{B}/track/", None),
            ("/api/docs/", None), ("/cases/", StaffRole.COMPLAINTS_OFFICER),
            (f"/cases/{world.case.reference}/", StaffRole.COMPLAINTS_OFFICER),
            (f"/cases/{world.case.reference}/note/", StaffRole.COMPLAINTS_OFFICER),
            ("/dashboard/", StaffRole.COMPLAINTS_MANAGER), ("/dashboard/trends/", StaffRole.COMPLAINTS_MANAGER),
            (f"/reports/{B}/{year}/", StaffRole.COMPLAINTS_MANAGER),
            ("/admin/", StaffRole.COUNCIL_ADMIN), ("/admin/staff/caseview/", StaffRole.COUNCIL_ADMIN),
            (f"/admin/staff/lettertemplate/{B}/stage_response/", StaffRole.COUNCIL_ADMIN)]


def fetch(client, world, url, role):
    if role:
        client.force_login(world.user(B, role))
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def test_the_policy_allows_only_this_site_and_nothing_inline(client):
    csp = policy(client.get("/sign-in/"))
    assert csp["default-src"] == "default-src 'none'"
    for directive in ("script-src", "img-src", "font-src", "connect-src", "form-action"):
        assert csp[directive] == f"{directive} 'self'"
    assert csp["style-src"] == "style-src 'self'"  # a nonce only on pages with a <style> block
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert csp["object-src"] == "object-src 'none'" and csp["base-uri"] == "base-uri 'none'"
    assert "unsafe" not in client.get("/sign-in/")["Content-Security-Policy"]


def test_security_headers_are_on_every_page(client):
    response = client.get("/sign-in/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_no_page_has_an_inline_script_or_style_attribute_and_style_blocks_carry_the_nonce(client, world):
    problems = []
    for url, role in pages(world):
        response = fetch(client, world, url, role)
        html = response.content.decode()
        if INLINE_SCRIPT.search(html):
            problems.append(f"{url}: inline <script>")
        if STYLE_ATTRIBUTE.search(html):
            problems.append(f"{url}: style= attribute")
        styles = STYLE_ELEMENT.findall(html)
        if styles:
            nonce = re.search(r"'nonce-([^']+)'", policy(response)["style-src"])
            if nonce is None or any(f'nonce="{nonce.group(1)}"' not in attrs for attrs in styles):
                problems.append(f"{url}: <style> without the policy's nonce")
    assert not problems, problems


def test_cookies_are_http_only_and_same_site(client, world):
    client.get("/sign-in/")  # sets the CSRF cookie
    client.force_login(world.user(B, StaffRole.COMPLAINTS_OFFICER))
    client.get("/cases/")
    for name in ("sessionid", "csrftoken"):
        cookie = client.cookies[name]
        assert cookie["httponly"] is True and cookie["samesite"] == "Lax", name
