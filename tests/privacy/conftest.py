"""Fixtures for data protection: a settable clock and finished cases closed on a chosen day.

History rows are dated by ``timezone.now()`` when a service saves, so a case "closed
on 14 May 2026" is closed with the clock set to that day; the retention rules read
the closure from history, as they do in production.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints.models import Complaint, StaffRole
from complaints.services.intake import ComplainantDetails, ComplaintDetails, RepresentativeDetails, complaint_create
from complaints.services.intake import complaint_triage
from complaints.services.lifecycle import complaint_close
from complaints.services.stage_work import ResponseDetails, complaint_acknowledge, complaint_extend, complaint_respond
from complaints.staff.services import correspondence_record, note_add
from deadlines.calendar import LONDON
from tests.factories import council, staff

NAME, EMAIL, PHONE = "Morwenna Quillfeather", "morwenna.q@example.org", "07700 900123"
ADDRESS = "12 Larkspur Close\nBarnet EN5 1AB"
REPRESENTATIVE = "Tamsin Quillfeather"


class Clock:
    """``timezone.now`` under the test's control, ticking a millisecond per read so history stays ordered."""

    def __init__(self):
        self.current = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)

    def set(self, moment: dt.datetime) -> dt.datetime:
        self.current = moment.astimezone(dt.UTC)
        return moment

    def now(self) -> dt.datetime:
        self.current += dt.timedelta(milliseconds=1)
        return self.current


@pytest.fixture
def clock(monkeypatch):
    the_clock = Clock()
    monkeypatch.setattr(timezone, "now", the_clock.now)
    return the_clock


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), LONDON)


def officer_of(slug: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=f"closer-{slug}").first()
    return user or staff(slug, StaffRole.COMPLAINTS_MANAGER, username=f"closer-{slug}", first_name="Cai",
                         last_name="Closer")


def closed_case(clock: Clock, slug: str, closed_on: dt.date, *, name: str = NAME, email: str = EMAIL,
                rich: bool = False, representative: str = "") -> Complaint:
    """A Stage 1 case received 30 days before ``closed_on``, answered, and closed on ``closed_on``.

    ``rich`` adds what personal data hides in: the complainant's words, a note, an
    extension reason, an email with an attachment, findings naming them.
    """
    officer = officer_of(slug)
    received = at(closed_on - dt.timedelta(days=30))
    clock.set(received)
    rep = RepresentativeDetails(name=representative, relationship="sister", role="relative",
                                consent="received", consent_received_on=received.date(),
                                consent_evidence=f"Signed form from {representative}") if representative else None
    case = complaint_create(
        council=council(slug), received_at=received, representative=rep,
        details=ComplaintDetails(summary=f"Missed bins at {name}'s home",
                                 complainant_words=f"I am {name}, call me on {PHONE} or write to {email}.",
                                 desired_outcome="Collect the bins"),
        complainant=ComplainantDetails(name=name, email=email, phone=PHONE, address=ADDRESS,
                                       complainant_type="resident", reasonable_adjustments="Large print letters"))
    case = complaint_triage(complaint=case, by=officer, route="stage1", at=received)
    clock.set(received + dt.timedelta(days=1))
    case = complaint_acknowledge(complaint=case, by=officer, at=received + dt.timedelta(days=1))
    if rich:
        note_add(complaint=case, by=officer, text=f"Spoke to {name} on {PHONE}")
        correspondence_record(
            complaint=case, by=officer, direction="in", kind="email", subject=f"Email from {name}",
            body=f"From {email}: photos attached", occurred_at=received + dt.timedelta(days=1),
            uploaded_file=SimpleUploadedFile(f"{name.split()[0]}-photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64,
                                             content_type="image/png"))
        deadline = case.deadlines.get(stage="stage1", kind="respond")
        complaint_extend(complaint=case, by=officer, new_date=deadline.due_date + dt.timedelta(days=7),
                         reason=f"Waiting for {name}'s photos", complainant_told_at=received + dt.timedelta(days=1))
    clock.set(received + dt.timedelta(days=8))
    case = complaint_respond(complaint=Complaint.objects.get(pk=case.pk), by=officer,
                             at=received + dt.timedelta(days=8),
                             details=ResponseDetails(outcome="upheld", findings=f"{name}'s bins were missed",
                                                     remedy_apology=True, remedy_action="Apologise",
                                                     learning_points="Check the round sheet"))
    clock.set(at(closed_on))
    return complaint_close(complaint=case, by=officer, at=at(closed_on), reason=f"{name} is satisfied")
