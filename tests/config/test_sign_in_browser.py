"""Signing in, in headless Chromium, with the GOV.UK error pattern and an axe check."""

import pytest
from django.contrib.auth import get_user_model

from tests.browser import assert_accessible, assert_title_starts

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def user():
    return get_user_model().objects.create_user("officer", "officer@example.org", "correct-horse-battery")


def test_sign_in_shows_a_gov_uk_error_summary_for_a_wrong_password(page, live_server, user):
    page.goto(f"{live_server.url}/sign-in/?next=/healthz")
    assert_accessible(page)
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    assert_title_starts(page, "Error: Sign in")
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)


def test_sign_in_then_out(page, live_server, user):
    page.goto(f"{live_server.url}/sign-in/?next=/healthz")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/healthz")
    assert '"database": "ok"' in page.content()


def test_the_page_uses_arial_and_no_crown(page, live_server):
    page.goto(f"{live_server.url}/sign-in/")
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert font.lower().startswith("arial")
    assert page.locator(".govuk-header__logotype").count() == 0
    assert page.locator(".govuk-generic-header").count() == 1
