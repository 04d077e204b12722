"""Which council and policy a public page works to: the version in force today, cached per process."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from django.conf import settings

from complaints.models import Complaint, ServiceArea
from complaints.public import bodies
from policies import snapshots
from policies.models import Council, PolicyVersion
from policies.selectors import policy_version_in_force
from tests.factories import london
from tests.public.conftest import answers, fix_clock

pytestmark = pytest.mark.django_db


def new_bucks_version() -> PolicyVersion:
    """Bucks' policy again as version 2027.01, from 1 January 2027, answering Stage 1 in 10 working days."""
    old = PolicyVersion.objects.get(council__slug="bucks")
    content = copy.deepcopy(old.content)
    content["version"].update({"id": "2027.01", "effective_from": "2027-01-01"})
    content["stages"][0]["respond"]["amount"] = 10
    return PolicyVersion.objects.create(council=old.council, version_id="2027.01",
                                        effective_from=dt.date(2027, 1, 1), content=content, sha256="e" * 64,
                                        source_file="bucks.toml")


@pytest.mark.parametrize(("today", "version", "days"), [("2026-12-31T23:00", "2019.04", 20),
                                                        ("2027-01-01T09:00", "2027.01", 10)])
def test_the_form_works_to_the_version_in_force_that_day(client, loaded_policies, monkeypatch, today, version,
                                                         days):
    new_bucks_version()
    fix_clock(monkeypatch, london(today))
    policy = client.get("/bucks/complain/").context["policy"]
    assert (policy.version.id, policy.stage("stage1").respond.amount) == (version, days)
    in_force = policy_version_in_force(council=Council.objects.get(slug="bucks"), on=london(today).date())
    assert in_force.version_id == version


def test_a_body_with_no_policy_in_force_yet_or_no_body_is_not_found(client, loaded_policies, monkeypatch):
    fix_clock(monkeypatch, london("2019-03-31T12:00"))  # the day before Bucks' first version
    assert client.get("/bucks/complain/").status_code == 404
    assert client.get("/bucks/track/").status_code == 404
    assert client.get("/nowhere/complain/").status_code == 404


def test_each_version_is_validated_once_per_process_and_shared_with_every_screen(
        client, loaded_policies, fixed_now, monkeypatch, django_assert_num_queries):
    validated = []
    real = snapshots.policy_from_content
    monkeypatch.setattr(snapshots, "policy_from_content", lambda content: validated.append(1) or real(content))
    snapshots.forget_policies()
    bodies.forget_bodies()
    with django_assert_num_queries(3):  # the version with its council, the content (first time), the service areas
        body = bodies.public_body("barnet")
    with django_assert_num_queries(0):
        assert bodies.public_body("barnet") is body
    barnet = Council.objects.get(slug="barnet")
    # The case screens, the sweeps and the intake read the same validated policy.
    assert policy_version_in_force(council=barnet, on=fixed_now.date()).policy is body.policy
    assert client.get("/barnet/complain/").status_code == 200
    assert len(validated) == 1


def test_a_journey_page_makes_no_database_query(resident, fixed_now, client, django_assert_num_queries):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cache", "tests run with REDIS_URL set"
    given = answers("barnet")
    resident("barnet").walk(given, until="outcome")
    with django_assert_num_queries(0):  # the session is in Redis; the council, policy and areas cached
        assert client.get("/barnet/complain/outcome/").status_code == 200
        assert client.post("/barnet/complain/outcome/", given["outcome"]).status_code == 302


def test_a_new_service_area_is_offered_at_once_and_other_changes_within_the_cache_lifetime(
        resident, fixed_now, client, settings):
    resident("barnet").walk(answers("barnet"), until="service")
    ServiceArea.objects.create(council=Council.objects.get(slug="barnet"), name="Libraries", category="council")
    assert "Libraries" in client.get("/barnet/complain/service/").content.decode()  # saved here: forgotten here
    # Another process's change (no signal here) is read once the cache lifetime has passed.
    ServiceArea.objects.filter(name="Libraries").update(name="Libraries and archives")
    assert "Libraries and archives" not in client.get("/barnet/complain/service/").content.decode()
    settings.PUBLIC_BODY_CACHE_SECONDS = 0
    assert "Libraries and archives" in client.get("/barnet/complain/service/").content.decode()


def test_the_chosen_service_area_is_read_again_when_the_form_is_sent(resident, fixed_now, client):
    given = answers("barnet")
    resident("barnet").walk(given)
    chosen = ServiceArea.objects.get(pk=given["service"]["service"])
    ServiceArea.objects.filter(pk=chosen.pk).update(category="social_housing")  # as another process would
    client.post("/barnet/complain/check/", {"key": client.get("/barnet/complain/check/").context["key"]})
    assert Complaint.objects.get().category == "social_housing"
