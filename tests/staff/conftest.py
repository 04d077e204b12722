"""Fixtures for the case screens.

Client tests run on a stopped clock: Wednesday 10 June 2026, 10:00 in London
(June 2026 has no bank holidays), ticking a millisecond per read so history
stays in order. Browser tests use the real clock (the browser drops a session
cookie that expired in real time).
"""

import datetime as dt
import itertools
import re

import pytest
from django.utils import timezone

from complaints.models import Complaint, StaffRole
from complaints.services.intake import (
    ComplainantDetails,
    ComplaintDetails,
    RepresentativeDetails,
    complaint_create,
    complaint_triage,
)
from complaints.services.lifecycle import complaint_escalate
from complaints.services.stage_work import ResponseDetails, complaint_acknowledge, complaint_respond
from deadlines.calendar import LONDON
from tests.factories import council, london, staff

NOW = dt.datetime(2026, 6, 10, 10, 0, tzinfo=LONDON)
D = dt.date.fromisoformat


@pytest.fixture
def clock(monkeypatch):
    ticks = itertools.count()
    start = NOW.astimezone(dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: start + dt.timedelta(milliseconds=next(ticks)))
    return NOW


@pytest.fixture
def officer(db):
    return staff("lbbd", StaffRole.COMPLAINTS_OFFICER, first_name="Olu", last_name="Officer", username="olu")


@pytest.fixture
def manager(db):
    return staff("lbbd", StaffRole.COMPLAINTS_MANAGER, first_name="Mina", last_name="Manager", username="mina")


@pytest.fixture
def investigator(db):
    return staff("lbbd", StaffRole.INVESTIGATING_OFFICER, first_name="Ivo", last_name="Investigator",
                 username="ivo")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def new_case(slug: str = "lbbd", received: str = "2026-06-01T10:00", name: str = "Alex Resident",
             representative: RepresentativeDetails | None = None, anonymous: bool = False,
             adjustments: str = "", areas=(), complainant_type: str = "resident", category: str = "",
             summary: str = "Bins not collected for three weeks") -> Complaint:
    return complaint_create(
        council=council(slug), received_at=london(received), representative=representative, anonymous=anonymous,
        details=ComplaintDetails(summary=summary, service_area_ids=[a.pk for a in areas], category=category),
        complainant=ComplainantDetails(name="" if anonymous else name, email="alex@example.org",
                                       complainant_type=complainant_type, reasonable_adjustments=adjustments))


def stage1_case(by, **kwargs) -> Complaint:
    """LBBD, received Mon 1 Jun 2026 10:00, Stage 1 from 11:00: acknowledge by Mon 8 Jun."""
    case = new_case(**kwargs)
    return complaint_triage(complaint=case, by=by, route="stage1",
                            at=london(kwargs.get("received", "2026-06-01T10:00")) + dt.timedelta(hours=1))


def acknowledged_case(by, **kwargs) -> Complaint:
    """Acknowledged Wed 3 Jun: respond by Wed 17 Jun (10 wd), latest without agreement Wed 1 Jul (20 wd)."""
    return complaint_acknowledge(complaint=stage1_case(by, **kwargs), by=by, at=london("2026-06-03T09:00"))


def answered_case(by, **kwargs) -> Complaint:
    """Answered Mon 8 Jun 15:00: the review must be asked by Mon 6 Jul (28 days)."""
    return complaint_respond(complaint=acknowledged_case(by, **kwargs), by=by, at=london("2026-06-08T15:00"),
                             details=ResponseDetails(outcome="upheld", findings="Three collections were missed."))


def review_case(by, reviewer, **kwargs) -> Complaint:
    """Review asked Tue 9 Jun 10:00 with ``reviewer`` (acknowledge by Tue 16 Jun)."""
    return complaint_escalate(complaint=answered_case(by, **kwargs), by=by, reviewer=reviewer,
                              requested_at=london("2026-06-09T10:00"))


def fresh(case: Complaint) -> Complaint:
    return Complaint.objects.get(pk=case.pk)


def row_of(case: Complaint) -> dict:
    return Complaint.objects.filter(pk=case.pk).values().get()


def error_summary(response) -> list[str]:
    """The texts of the GOV.UK error summary's items."""
    html = response.content.decode()
    match = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.DOTALL)
    if match is None:
        return []
    return [unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip())
            for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.DOTALL)]


def unescape(text: str) -> str:
    import html

    return html.unescape(text)


def actions_offered(response) -> list[str]:
    return re.findall(r'data-action="([a-z-]+)"', response.content.decode())


def post_action(client, case: Complaint, slug: str, data: dict | None = None, version: int | None = None):
    payload = {"version": fresh(case).version if version is None else version, **(data or {})}
    return client.post(f"/cases/{case.reference}/{slug}/", payload)


def success_banner(response) -> str:
    match = re.search(r'govuk-notification-banner--success.*?<p class="govuk-notification-banner__heading">(.*?)</p>',
                      response.content.decode(), re.DOTALL)
    return unescape(match.group(1)) if match else ""


def someone_else_changes(case: Complaint) -> Complaint:
    """Another officer adds a note: the case's version moves on."""
    from complaints.services.records import complaint_add_note

    other = staff(case.council.slug, username=f"other-{case.pk}-{fresh(case).version}")
    complaint_add_note(complaint=case, by=other, text="Phoned the complainant")
    return fresh(case)


def assert_refused(response, message: str, case: Complaint, before: dict) -> None:
    """The service's refusal is the one item of the error summary, and the case row did not change."""
    assert response.status_code == 200
    assert error_summary(response) == [message]
    assert "<title>Error: " in response.content.decode()
    assert row_of(case) == before


def assert_done(client, response, case: Complaint, message: str) -> None:
    """Redirected to the case, which shows the success banner."""
    assert (response.status_code, response["Location"]) == (302, f"/cases/{case.reference}/")
    assert success_banner(client.get(response["Location"])) == message


def stale_message(case: Complaint, opened: int) -> str:
    now = fresh(case).version
    return (f"{case.reference} was changed by someone else since you opened it (version {opened}, now {now}); "
            "reload the case and try again")
