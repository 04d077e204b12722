"""Sign-in throttling (django-axes): too many wrong passwords for one username from one address lock
that pair out for a while, with a GOV.UK-style page; nothing else (tokens, sessions, other people) is hit."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from complaints.api.models import IntegrationToken
from config.security import client_ip
from tests.factories import council

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture
def user():
    return get_user_model().objects.create_user("olu", "olu@example.org", PASSWORD, is_staff=True)


def sign_in(password: str, address: str = "10.0.0.1", url: str = "/sign-in/", username: str = "olu"):
    return Client(REMOTE_ADDR=address).post(url, {"username": username, "password": password, "next": "/healthz"})


def fail(times: int, **kwargs):
    return [sign_in("wrong", **kwargs).status_code for _ in range(times)]


def test_the_limit_is_five_failures_by_default():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_wrong_passwords_up_to_the_limit_show_the_form_again_then_the_lockout_page(user):
    limit = settings.AXES_FAILURE_LIMIT
    assert fail(limit - 1) == [200] * (limit - 1)
    locked = sign_in("wrong")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "<title>You cannot sign in at the moment" in html
    assert f"wrong {limit} times" in html and "try again in 15 minutes" in html


def test_the_right_password_is_refused_while_locked(user):
    fail(settings.AXES_FAILURE_LIMIT)
    response = sign_in(PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in response.client.session


def test_the_same_username_from_another_address_can_still_sign_in(user):
    fail(settings.AXES_FAILURE_LIMIT, address="10.0.0.1")
    response = sign_in(PASSWORD, address="10.0.0.2")
    assert (response.status_code, response["Location"]) == (302, "/healthz")


def test_another_username_from_the_same_address_can_still_sign_in(user):
    get_user_model().objects.create_user("bea", "bea@example.org", PASSWORD)
    fail(settings.AXES_FAILURE_LIMIT, username="olu")
    assert sign_in(PASSWORD, username="bea").status_code == 302


def test_a_successful_sign_in_starts_the_count_again(user):
    limit = settings.AXES_FAILURE_LIMIT
    fail(limit - 1)
    assert sign_in(PASSWORD).status_code == 302
    assert fail(limit - 1) == [200] * (limit - 1)


def test_the_lockout_ends_after_the_cool_off(user):
    fail(settings.AXES_FAILURE_LIMIT)
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - settings.AXES_COOLOFF_TIME
                                 - dt.timedelta(minutes=1))
    assert sign_in(PASSWORD).status_code == 302


def test_the_admins_sign_in_page_is_throttled_too(user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in("wrong", url="/admin/login/")
    assert sign_in("wrong", url="/admin/login/").status_code == 429


def test_a_locked_out_username_does_not_stop_api_tokens_or_open_sessions(user):
    cache.clear()
    _, key = IntegrationToken.issue(council=council("lbbd"), name="crm")
    session = Client(REMOTE_ADDR="10.0.0.1")
    session.force_login(user)
    fail(settings.AXES_FAILURE_LIMIT)
    assert Client(REMOTE_ADDR="10.0.0.1").get("/api/v1/complaints/",
                                                HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert session.get("/admin/").status_code == 200
    cache.clear()


def test_a_sign_in_check_without_a_request_is_not_throttled(user):
    """Server-side checks (management commands) pass no request; axes would refuse them outright."""
    from django.contrib.auth import authenticate

    assert authenticate(username="olu", password=PASSWORD) == user


class FakeRequest:
    def __init__(self, remote: str, forwarded: str = ""):
        self.META = {"REMOTE_ADDR": remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})}


def test_the_client_address_is_the_socket_address_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(FakeRequest("10.0.0.9", "203.0.113.5")) == "10.0.0.9"


def test_behind_one_proxy_the_address_it_saw_is_used_not_what_the_client_claims(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(FakeRequest("10.0.0.9", "198.51.100.7, 203.0.113.5")) == "203.0.113.5"
    assert client_ip(FakeRequest("10.0.0.9")) == "10.0.0.9"
