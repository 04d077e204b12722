"""Fixtures and a walker for the residents' complaint form.

The public pages read the time from ``complaints.public.clock``; ``fixed_now``
pins it to Monday 1 June 2026, 10:00 in London (BST), so every date a page
shows can be counted by hand: June and July 2026 have no bank holidays.
"""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.public import clock
from tests.dates import date_parts  # noqa: F401 (the public tests import it from here)
from tests.factories import london, service_area

FIXED_NOW = london("2026-06-01T10:00")


def fix_clock(monkeypatch, at: dt.datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: at)


@pytest.fixture(autouse=True)
def _no_cached_bodies():
    """Each test starts without the per-process council cache (``bodies``): rows rolled back after a
    test fire no signal, so a cached council could otherwise outlive its test."""
    from complaints.public.bodies import forget_bodies

    forget_bodies()


@pytest.fixture
def fixed_now(monkeypatch):
    fix_clock(monkeypatch, FIXED_NOW)
    return FIXED_NOW


def deliver_emails() -> int:
    """Run the delivery task as a worker does: the form's emails are queued, never sent in the request."""
    from complaints.tasks import deliver_correspondence

    return deliver_correspondence()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def answers(slug: str = "barnet", **overrides) -> dict:
    """A resident's answers for every page, by page; ``overrides`` replace a page's answers."""
    area = service_area(slug)
    base = {
        "kind": {"kind": "complaint"},
        "before": {"before": "asked"},
        "before-info": {},
        "what": {"what_happened": "Our bins have not been collected for three weeks.\nI reported it twice."},
        "when": {**date_parts("incident", "2026-05-20"), **date_parts("aware", "")},
        "late": {"reason": "I was in hospital."},
        "service": {"service": str(area.pk)},
        "outcome": {"outcome": "Collect the bins and explain why they were missed."},
        "who": {"who": "myself"},
        "role": {"role": "relative"},
        "representative": {"person_name": "Sam Smith", "your_name": "Jo Smith", "relationship": "Daughter"},
        "consent": {"declaration": "on"},
        "support": {"needs": "no", "details": ""},
        "anonymous": {"give_details": "yes"},
        "contact": {"name": "Alex Resident", "email": "alex@example.org", "phone": "", "address": "",
                    "preference": "email"},
        "feedback": {"text": "The library staff were wonderful."},
        "feedback-contact": {"name": "", "email": ""},
        "evidence": {"action": "continue"},
    }
    base.update(overrides)
    return base


class Resident:
    """Walks the form with Django's test client, one page at a time, as a browser without JavaScript would."""

    def __init__(self, client, slug: str):
        self.client = client
        self.slug = slug
        self.visited: list[str] = []

    def url(self, step: str) -> str:
        return f"/{self.slug}/complain/{step}/"

    def post(self, step: str, data: dict, **extra):
        return self.client.post(self.url(step), data, **extra)

    def walk(self, given: dict, until: str = "check"):
        """Answer each page the journey asks for, in its order, until ``until`` (or the check page)."""
        response = self.client.get(f"/{self.slug}/complain/")
        assert response.status_code == 200
        location = response.context["start_url"]
        for _ in range(30):
            step = location.rstrip("/").split("/")[-1]
            if step == until or step == "check":
                return location
            self.visited.append(step)
            assert step in given, f"the journey asked {step!r}, which the test did not answer"
            response = self.post(step, given[step])
            assert response.status_code == 302, (step, _errors(response))
            location = response["Location"]
        raise AssertionError("the journey did not end")

    def send(self, given: dict):
        self.walk(given)
        page = self.client.get(f"/{self.slug}/complain/check/")
        assert page.status_code == 200
        return self.client.post(f"/{self.slug}/complain/check/", {"key": page.context["key"]})


def _errors(response):
    form = response.context.get("form") if response.context else None
    return dict(form.errors) if form is not None else response.status_code


@pytest.fixture
def resident(client, loaded_policies):
    return lambda slug="barnet": Resident(client, slug)
