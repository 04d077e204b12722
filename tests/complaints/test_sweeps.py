"""The breach and due-soon sweeps: set-based, once per deadline, notifications exactly once."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from complaints.models import Deadline, Notification, NotificationKind, StaffRole
from complaints.services import notify
from complaints.services.intake import complaint_triage
from complaints.services.lifecycle import complaint_assign
from complaints.services.notify import notifications_deliver
from complaints.services.stage_work import (
    ResponseDetails,
    complaint_acknowledge,
    complaint_extend,
    complaint_respond,
)
from complaints.services.sweeps import deadlines_flag_breaches, deadlines_warn_due_soon
from tests.factories import london, make_complaint, staff

UTC = dt.timezone.utc


def bucks_case(officer, received="2026-08-28T10:00"):
    """Bucks Stage 1 received Fri 28 Aug 2026: acknowledge by Mon 7 Sep, respond by Mon 28 Sep."""
    case = complaint_triage(complaint=make_complaint("bucks", received), by=officer, route="stage1")
    return complaint_assign(complaint=case, by=officer, officer=officer)


@pytest.fixture
def people(db):
    officer = staff("bucks", email="officer@bucks.example")
    manager = staff("bucks", role=StaffRole.COMPLAINTS_MANAGER, email="manager@bucks.example")
    return officer, manager


def test_a_deadline_is_breached_only_after_its_london_day_ends(people):
    officer, _ = people
    case = bucks_case(officer)
    # 22:30 UTC on 7 Sep is 23:30 BST: still the due day in London.
    assert deadlines_flag_breaches(now=dt.datetime(2026, 9, 7, 22, 30, tzinfo=UTC)).flagged == 0
    # 23:30 UTC is 00:30 BST on 8 Sep: the acknowledgement deadline has passed.
    result = deadlines_flag_breaches(now=dt.datetime(2026, 9, 7, 23, 30, tzinfo=UTC))
    assert result.flagged == 1
    ack = Deadline.objects.get(complaint=case, kind="acknowledge")
    assert ack.breached_at == dt.datetime(2026, 9, 7, 23, 30, tzinfo=UTC)
    assert Deadline.objects.get(complaint=case, kind="respond").breached_at is None


def test_breach_notifies_the_officer_and_the_managers_once(people):
    officer, manager = people
    case = bucks_case(officer)
    first = deadlines_flag_breaches(now=london("2026-09-08T09:00"))
    second = deadlines_flag_breaches(now=london("2026-09-08T09:01"))
    assert (first.flagged, first.notifications) == (1, 1)
    assert (second.flagged, second.notifications) == (0, 0)
    [note] = Notification.objects.filter(complaint=case)
    assert note.kind == NotificationKind.BREACHED
    assert note.recipient_ids == [officer.pk, manager.pk]


def test_met_cancelled_and_paused_deadlines_are_not_flagged(people):
    officer, _ = people
    acknowledged = bucks_case(officer)
    complaint_acknowledge(complaint=acknowledged, by=officer, at=london("2026-09-01T10:00"))
    assert deadlines_flag_breaches(now=london("2026-09-08T09:00")).flagged == 0


def test_flag_breaches_command_flags_nothing_the_second_time(people, capsys):
    officer, _ = people
    bucks_case(officer, "2026-01-05T10:00")
    call_command("flag_breaches")
    # acknowledge, target, respond and the 12-week overall limit have all passed by now.
    assert "Flagged 4 deadlines as breached" in capsys.readouterr().out
    call_command("flag_breaches")
    assert "Flagged 0 deadlines as breached; 0 notifications created." in capsys.readouterr().out


def test_due_soon_warns_once_within_the_working_day_horizon(people):
    officer, _ = people
    case = bucks_case(officer)
    # Thu 3 Sep 2026: Fri 4 is working day 1, Mon 7 (acknowledge) is day 2; Mon 14 (target) is beyond.
    result = deadlines_warn_due_soon(now=london("2026-09-03T09:00"), working_days=2)
    assert result.flagged == 1 and result.notifications == 1
    assert Deadline.objects.get(complaint=case, kind="acknowledge").warned_at is not None
    assert deadlines_warn_due_soon(now=london("2026-09-03T09:05"), working_days=2).flagged == 0
    [note] = Notification.objects.filter(complaint=case)
    assert (note.kind, note.recipient_ids) == (NotificationKind.DUE_SOON, [officer.pk])


def test_delivery_emails_each_recipient_once_and_retries_failures(people, monkeypatch):
    officer, manager = people
    bucks_case(officer)
    deadlines_flag_breaches(now=london("2026-09-08T09:00"))

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(notify, "send_mail", broken)
    assert notifications_deliver(now=london("2026-09-08T09:01")) == 0
    note = Notification.objects.get()
    assert (note.attempts, note.sent_at) == (1, None) and "smtp down" in note.last_error
    assert note.next_attempt_at == london("2026-09-08T09:02")  # backs off: 1 minute after the first failure
    monkeypatch.undo()
    assert notifications_deliver(now=london("2026-09-08T09:01:30")) == 0  # not yet due again
    assert notifications_deliver(now=london("2026-09-08T09:02")) == 1
    assert notifications_deliver(now=london("2026-09-08T09:03")) == 0
    [message] = mail.outbox
    assert sorted(message.to) == ["manager@bucks.example", "officer@bucks.example"]
    assert "breached" in message.subject


@pytest.mark.django_db(transaction=True)
def test_overlapping_sweeps_flag_and_notify_each_deadline_once():
    officer = staff("bucks", email="officer@bucks.example")
    for hour in range(10, 16):
        bucks_case(officer, f"2026-08-28T{hour}:00")
    barrier = threading.Barrier(2)
    results = []

    def sweep():
        try:
            barrier.wait()
            results.append(deadlines_flag_breaches(now=london("2026-09-08T09:00")))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.flagged for r in results) == 6
    assert sum(r.notifications for r in results) == 6
    assert Notification.objects.count() == 6


def test_a_late_response_records_working_days_late_and_tells_the_officer_once(people):
    officer, _ = people
    case = bucks_case(officer)
    complaint_acknowledge(complaint=case, by=officer, at=london("2026-09-01T10:00"))
    deadlines_flag_breaches(now=london("2026-09-29T09:00"))  # respond by Mon 28 Sep has passed
    # Answered Thu 1 Oct: Tue 29, Wed 30, Thu 1 = 3 working days late.
    complaint_respond(complaint=case, by=officer, at=london("2026-10-01T10:00"),
                      details=ResponseDetails(outcome="upheld", findings="Missed collections"))
    respond = Deadline.objects.get(complaint=case, stage="stage1", kind="respond")
    assert respond.late_working_days == 3
    late = Notification.objects.get(deadline=respond, kind=NotificationKind.RESPONDED_LATE)
    assert late.recipient_ids == [officer.pk]


def test_an_on_time_response_is_not_late(people):
    officer, _ = people
    case = bucks_case(officer)
    complaint_respond(complaint=case, by=officer, at=london("2026-09-10T10:00"),
                      details=ResponseDetails(outcome="not_upheld", findings="Collected as scheduled"))
    assert Deadline.objects.get(complaint=case, stage="stage1", kind="respond").late_working_days is None
    assert not Notification.objects.filter(kind=NotificationKind.RESPONDED_LATE).exists()


def test_an_extension_tells_the_officer_once(people):
    officer, _ = people
    case = bucks_case(officer)
    for new_date in (dt.date(2026, 10, 5), dt.date(2026, 10, 12)):
        complaint_extend(complaint=case, by=officer, new_date=new_date, reason="Waiting for the contractor",
                         complainant_told_at=london("2026-09-20T10:00"))
    assert Notification.objects.filter(complaint=case, kind=NotificationKind.EXTENDED).count() == 1
