"""Dates a complaint cannot have: each would move the time limit and every deadline worked from it."""

import datetime as dt

import pytest
from django.utils import timezone

from complaints.models import Complaint
from complaints.services.errors import PolicyGuardFailed
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db


def test_a_complaint_cannot_be_received_in_the_future(loaded_policies):
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    with pytest.raises(PolicyGuardFailed, match="cannot be received in the future"):
        make_complaint("barnet", tomorrow.strftime("%Y-%m-%dT%H:%M"))
    assert not Complaint.objects.exists()


def test_what_happened_cannot_be_after_the_complaint_was_received(loaded_policies):
    with pytest.raises(PolicyGuardFailed, match="What happened cannot be after"):
        make_complaint("lbbd", "2026-06-01T10:00", incident_date=dt.date(2026, 6, 2))
    assert not Complaint.objects.exists()


def test_awareness_cannot_be_after_the_complaint_was_received(loaded_policies):
    with pytest.raises(PolicyGuardFailed, match="became aware cannot be after"):
        make_complaint("bucks", "2026-06-01T10:00", incident_date=dt.date(2026, 5, 1), aware_date=dt.date(2026, 6, 2))
    assert not Complaint.objects.exists()


def test_a_complaint_received_today_about_today_is_accepted(loaded_policies):
    now = timezone.localtime()
    case = make_complaint("barnet", now.strftime("%Y-%m-%dT%H:%M"), incident_date=now.date(), aware_date=now.date())
    assert case.incident_date == now.date()
