"""Which council and policy a public page works to: the version in force today, read in one query."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from complaints.public import views_journey
from policies.models import Council, PolicyVersion
from policies.selectors import policy_version_in_force
from tests.factories import london
from tests.public.conftest import fix_clock

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


def test_each_version_is_validated_once_and_its_content_read_once(client, loaded_policies, fixed_now,
                                                                  monkeypatch, django_assert_num_queries):
    validated = []
    real = views_journey.policy_from_content
    monkeypatch.setattr(views_journey, "policy_from_content", lambda content: validated.append(1) or real(content))
    views_journey._POLICIES.clear()
    council, policy = views_journey.council_and_policy("barnet")
    with django_assert_num_queries(1):  # the council and the version together; the content is not read again
        again = views_journey.council_and_policy("barnet")
    assert again == (council, policy) and again[1] is policy and len(validated) == 1
    assert client.get("/barnet/complain/").status_code == 200
    assert len(validated) == 1
