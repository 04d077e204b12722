"""The content security policy in a real browser: every kind of page loads its styles and runs the GOV.UK
Frontend script with no violation reported, and signing in (throttled by django-axes) still works."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.models import StaffRole
from tests.browser import assert_accessible
from tests.security.world import B, build_world

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct-horse-battery-staple"


def watch(page) -> list[str]:
    """CSP violations and script errors the page reports."""
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: seen.append(f"script error: {error}"))
    return seen


def sign_in(page, base: str, user) -> None:
    user.set_password(PASSWORD)
    user.save()
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/cases/")


def assert_enhanced_and_styled(page, url: str) -> None:
    body_class = page.evaluate("document.body.className")
    assert "govuk-frontend-supported" in body_class, f"{url}: frontend-supported.js did not run"
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily").lower()
    assert "arial" in font or "sans-serif" in font, f"{url}: the stylesheet did not apply ({font})"


def test_pages_load_styles_and_scripts_with_no_policy_violation(page, live_server):
    world = build_world()
    base, year = live_server.url, dt.date.today().year
    violations = watch(page)
    for url in ("/", "/sign-in/", f"/{B}/complain/", f"/{B}/track/"):
        page.goto(base + url)
        assert_enhanced_and_styled(page, url)
    assert_accessible(page)  # axe is evaluated, not injected as a script, so the policy stays on
    sign_in(page, base, world.user(B, StaffRole.COUNCIL_ADMIN))
    for url in ("/cases/", f"/cases/{world.case.reference}/", f"/cases/{world.case.reference}/note/",
                "/dashboard/trends/", f"/reports/{B}/{year}/"):
        page.goto(base + url)
        assert_enhanced_and_styled(page, url)
    # The reports' own styles are an inline <style> block: it applies because it carries the nonce.
    assert page.evaluate("getComputedStyle(document.querySelector('.app-table-scroll')).overflowX") == "auto"
    for url in ("/api/docs/", "/admin/", "/admin/staff/caseview/", f"/admin/staff/lettertemplate/{B}/stage_response/"):
        page.goto(base + url)
    assert page.evaluate("getComputedStyle(document.querySelector('#letter-text')).whiteSpace") == "pre-wrap"
    assert violations == []


def test_an_inline_script_is_refused_by_the_browser(page, live_server):
    """The control: the policy is really enforced, so a violation would have been seen above."""
    violations = watch(page)
    page.goto(f"{live_server.url}/sign-in/")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';
                            document.body.appendChild(s); }""")
    assert page.evaluate("window.ran === undefined")
    page.wait_for_timeout(200)
    assert any("Content Security Policy" in text for text in violations)
