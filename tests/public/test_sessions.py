"""A resident's answers are kept for a window of their own (24 hours), without lengthening an
officer's 30-minute idle timeout; a resident whose session ended is told their answers were lost.

The expiry tests shorten both windows to seconds and wait for Redis to expire the sessions: the
sessions are in the real Redis, as in production.
"""

from __future__ import annotations

import time

import pytest
from django.conf import settings as django_settings

from complaints.public.sessions import duration_words
from tests.factories import staff
from tests.public.conftest import answers

pytestmark = pytest.mark.django_db

DAY = 24 * 60 * 60


def cookie_age(client) -> int:
    return int(client.cookies[django_settings.SESSION_COOKIE_NAME]["max-age"])


def test_sessions_are_kept_in_redis_and_the_windows_are_set():
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.cache"
    assert django_settings.CACHES[django_settings.SESSION_CACHE_ALIAS]["BACKEND"] == "config.redis_cache.RedisCache"
    assert (django_settings.PUBLIC_SESSION_IDLE_SECONDS, django_settings.SESSION_COOKIE_AGE) == (DAY, 30 * 60)


def test_a_resident_session_lasts_the_residents_window_after_every_page(resident, fixed_now, client):
    resident("barnet").walk(answers("barnet"), until="outcome")
    assert cookie_age(client) == DAY
    assert client.session.get_expiry_age() == DAY


def test_an_officer_session_keeps_the_staff_timeout_on_the_public_form(resident, fixed_now, client):
    client.force_login(staff("barnet"))
    assert client.get("/cases/").status_code == 200
    assert cookie_age(client) == 30 * 60
    resident("barnet").walk(answers("barnet"), until="outcome")  # an officer trying the public form
    assert cookie_age(client) == 30 * 60 and client.session.get_expiry_age() == 30 * 60


def test_signing_in_after_filling_in_the_form_puts_the_session_on_the_staff_timeout(resident, fixed_now, client):
    resident("barnet").walk(answers("barnet"), until="outcome")
    assert client.session.get_expiry_age() == DAY
    client.force_login(staff("barnet"))  # Django's login(): the same data, a new key
    assert client.session.get_expiry_age() == 30 * 60
    assert client.get("/cases/").status_code == 200 and cookie_age(client) == 30 * 60


def test_the_pages_say_how_long_answers_are_kept(resident, fixed_now, client):
    resident("barnet").walk(answers("barnet"), until="what")
    kept = ("We keep your answers for 24 hours after you last use this form. After that we delete them to protect "
            "your information, and you would need to start again.")
    assert kept in client.get("/barnet/complain/what/").content.decode()
    resident("barnet").walk(answers("barnet"))
    assert kept in client.get("/barnet/complain/check/").content.decode()


def test_a_resident_who_comes_back_is_offered_to_continue_with_their_answers(resident, fixed_now, client):
    assert 'id="resume"' not in client.get("/barnet/complain/").content.decode()
    resident("barnet").walk(answers("barnet"), until="outcome")
    start = client.get("/barnet/complain/")
    html = start.content.decode()
    assert "You have already started this form. We have kept your answers, for 24 hours" in html
    assert start.context["resume_url"] == "/barnet/complain/outcome/"


@pytest.mark.parametrize(("seconds", "words"), [(DAY, "24 hours"), (3600, "1 hour"), (1800, "30 minutes"),
                                                (5400, "90 minutes"), (60, "1 minute"), (20, "20 seconds")])
def test_duration_words(seconds, words):
    assert duration_words(seconds) == words


def test_the_staff_timeout_ends_an_officer_session_while_a_residents_answers_are_kept(
        resident, fixed_now, client, settings):
    from django.test import Client

    settings.SESSION_COOKIE_AGE = 2
    settings.PUBLIC_SESSION_IDLE_SECONDS = 8
    officer = Client()
    officer.force_login(staff("barnet"))
    assert officer.get("/cases/").status_code == 200
    resident("barnet").walk(answers("barnet"), until="outcome")
    time.sleep(3.5)
    assert officer.get("/cases/").status_code == 302  # signed out after the staff timeout
    page = client.get("/barnet/complain/outcome/")
    assert page.status_code == 200 and "Our bins have not been collected" in str(client.session["public:barnet"])


def test_a_resident_whose_session_ended_is_told_their_answers_were_deleted(resident, fixed_now, client, settings):
    settings.PUBLIC_SESSION_IDLE_SECONDS = 2
    given = answers("barnet")
    resident("barnet").walk(given, until="outcome")
    time.sleep(3.5)  # Redis has expired the session
    response = client.post("/barnet/complain/outcome/", given["outcome"], follow=True)
    assert response.redirect_chain == [("/barnet/complain/", 302)]
    html = response.content.decode()
    assert "Your session ended, so your answers have been deleted. This happens when the form is not used for " \
           "2 seconds, to protect your information. You need to start again." in html
    assert 'id="resume"' not in html
    assert client.session["public:barnet"]["answers"] == {}


def test_the_first_question_sent_after_a_session_ended_is_simply_taken(resident, fixed_now, client):
    """Nothing was lost before the first question: no alarm, the answer is kept."""
    response = client.post("/barnet/complain/kind/", {"kind": "complaint"})
    assert response["Location"] == "/barnet/complain/before/"
    assert client.session["public:barnet"]["answers"]["kind"]["kind"] == "complaint"


def test_sending_the_form_after_the_session_ended_says_so_and_records_nothing(resident, fixed_now, client, settings):
    from complaints.models import Complaint

    settings.PUBLIC_SESSION_IDLE_SECONDS = 2
    resident("barnet").walk(answers("barnet"))
    key = client.get("/barnet/complain/check/").context["key"]
    time.sleep(3.5)
    response = client.post("/barnet/complain/check/", {"key": key}, follow=True)
    assert response.redirect_chain == [("/barnet/complain/", 302)]
    assert "Your session ended, so your answers have been deleted." in response.content.decode()
    assert Complaint.objects.count() == 0
