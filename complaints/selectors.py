"""Reads of complaints. Every selector takes the council: no query crosses bodies by accident."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from complaints.models import OPEN, Complaint, Deadline, DeadlineKind
from policies.models import Council

# Deadlines that are the council's to meet (the escalation window is the complainant's).
COUNCIL_DEADLINES = [k for k in DeadlineKind.values if k != DeadlineKind.ESCALATE]


def complaints_for_council(*, council: Council) -> QuerySet[Complaint]:
    return Complaint.objects.filter(council=council)


def complaint_get(*, council: Council, reference: str) -> Complaint:
    """The case with this reference in this council; Complaint.DoesNotExist for any other council's."""
    return (Complaint.objects.select_related("policy_version", "complainant", "assigned_officer")
            .get(council=council, reference=reference))


def overdue_deadlines(*, council: Council, today: dt.date) -> QuerySet[Deadline]:
    """Open council deadlines past their due date, oldest first (an index scan on deadline_open_due)."""
    # An Ombudsman enquiry may have no complaint on record; it still counts.
    return (Deadline.objects.filter(Q(complaint__state__in=OPEN) | Q(complaint__isnull=True), council=council,
                                    met_at__isnull=True, cancelled_at__isnull=True, paused=False,
                                    due_date__lt=today, kind__in=COUNCIL_DEADLINES)
            .select_related("complaint").order_by("due_date"))


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # "state", "note", "correspondence", "deadline"
    actor: str
    text: str


def _actor(user) -> str:
    if user is None:
        return "system"
    return user.get_full_name() or user.username


def complaint_timeline(*, council: Council, complaint: Complaint) -> list[TimelineEntry]:
    """State changes, notes, correspondence and deadline changes, newest first."""
    if complaint.council_id != council.pk:
        raise Complaint.DoesNotExist("no such complaint in this council")
    entries: list[TimelineEntry] = []
    for record in complaint.history.select_related("history_user").order_by("history_date"):
        entries.append(TimelineEntry(record.history_date, "state", _actor(record.history_user),
                                     f"{record.history_change_reason or 'changed'} (now {record.get_state_display()})"))
    for note in complaint.notes.select_related("author"):
        entries.append(TimelineEntry(note.created_at, "note", _actor(note.author), note.text))
    for item in complaint.correspondence.select_related("recorded_by"):
        direction = "Received" if item.direction == "in" else "Sent"
        entries.append(TimelineEntry(item.occurred_at, "correspondence", _actor(item.recorded_by),
                                     f"{direction} {item.get_kind_display().lower()}: {item.subject}"))
    deadline_history = Deadline.history.filter(complaint_id=complaint.pk).select_related("history_user")
    for record in deadline_history.order_by("history_date"):
        change = {"+": "set", "~": "changed", "-": "removed"}[record.history_type]
        state = "met" if record.met_at else "cancelled" if record.cancelled_at else "paused" if record.paused else "due"
        entries.append(TimelineEntry(record.history_date, "deadline", _actor(record.history_user),
                                     f"{record.stage} {record.kind} deadline {change}: {state} {record.due_date}"))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries
