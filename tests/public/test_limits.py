"""Protection without barriers: per-address and per-email limits and a honeypot, no CAPTCHA."""

from __future__ import annotations

import logging
import uuid

import pytest
from django.core.cache import caches

from complaints.models import Complaint
from complaints.public.limits import HONEYPOT_FIELD
from complaints.public.models import TrackingToken
from tests.public.conftest import answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts():
    caches["limits"].clear()
    yield
    caches["limits"].clear()


def address() -> str:
    """An address of its own for each test, so counts never carry over between tests or runs."""
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def send(resident, given, ip, **extra_post):
    walker = resident("barnet")
    walker.walk(given)
    page = walker.client.get("/barnet/complain/check/", REMOTE_ADDR=ip)
    return walker.client.post("/barnet/complain/check/", {"key": page.context["key"], **extra_post}, REMOTE_ADDR=ip)


def test_the_check_page_has_a_honeypot_hidden_from_sight_and_assistive_technology(resident, fixed_now):
    walker = resident("barnet")
    walker.walk(answers())
    html = walker.client.get("/barnet/complain/check/").content.decode()
    assert f'name="{HONEYPOT_FIELD}"' in html
    assert '<div class="govuk-!-display-none" aria-hidden="true">' in html
    assert "captcha" not in html.lower()


def test_a_filled_honeypot_sends_nothing_and_says_so_clearly(resident, fixed_now, caplog):
    with caplog.at_level(logging.WARNING, logger="complaints.public.limits"):
        response = send(resident, answers(), address(), **{HONEYPOT_FIELD: "http://spam.example"})
    assert response.status_code == 400
    assert "We could not send this form" in response.content.decode()
    assert not Complaint.objects.exists()
    assert any(record.getMessage() == "public honeypot filled" for record in caplog.records)


def test_complaints_over_the_per_address_limit_are_refused_with_a_clear_message(resident, fixed_now, settings,
                                                                               caplog, client):
    settings.PUBLIC_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 2
    ip = address()
    for n in range(2):
        client.cookies.clear()
        given = answers(contact={**answers()["contact"], "email": f"person{n}@example.org"})
        assert send(resident, given, ip).status_code == 302
    client.cookies.clear()
    with caplog.at_level(logging.WARNING, logger="complaints.public.limits"):
        refused = send(resident, answers(contact={**answers()["contact"], "email": "third@example.org"}), ip)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "a lot of forms from this internet connection" in page and "Your answers have been kept" in page
    assert Complaint.objects.count() == 2
    logged = [r for r in caplog.records if r.getMessage() == "public limit reached"]
    assert logged and "third@example.org" not in str(vars(logged[0]))
    # Answers are kept: from another address the same session sends at once.
    page = client.get("/barnet/complain/check/")
    assert client.post("/barnet/complain/check/", {"key": page.context["key"]},
                       REMOTE_ADDR=address()).status_code == 302


def test_complaints_over_the_per_email_limit_are_refused_from_any_address(resident, fixed_now, settings, client):
    settings.PUBLIC_SUBMISSIONS_PER_EMAIL_PER_DAY = 1
    assert send(resident, answers(), address()).status_code == 302
    client.cookies.clear()
    refused = send(resident, answers(), address())
    assert refused.status_code == 429 and "this email address" in refused.content.decode()
    assert Complaint.objects.count() == 1


def test_a_refused_form_does_not_use_up_the_allowance(resident, fixed_now, settings, client):
    settings.PUBLIC_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 1
    ip = address()
    assert send(resident, answers(), ip, **{HONEYPOT_FIELD: "x"}).status_code == 400
    client.cookies.clear()
    assert send(resident, answers(), ip).status_code == 302


def test_link_requests_are_limited_per_email_without_saying_whether_the_case_exists(client, loaded_policies,
                                                                                  settings):
    settings.PUBLIC_LINK_REQUESTS_PER_EMAIL_PER_DAY = 2
    data = {"reference": "BAR-2026-00001", "email": "someone@example.org"}
    for _ in range(2):
        assert client.post("/barnet/track/", data, REMOTE_ADDR=address()).status_code == 200
    refused = client.post("/barnet/track/", data, REMOTE_ADDR=address())
    assert refused.status_code == 429 and "this email address" in refused.content.decode()
    assert not TrackingToken.objects.exists()


def test_a_filled_honeypot_on_the_link_page_sends_no_link(client, loaded_policies):
    data = {"reference": "BAR-2026-00001", "email": "someone@example.org", HONEYPOT_FIELD: "x"}
    response = client.post("/barnet/track/", data, REMOTE_ADDR=address())
    assert response.status_code == 400 and "We could not send this form" in response.content.decode()
