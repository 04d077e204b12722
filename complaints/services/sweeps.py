"""The breach and due-soon sweeps: set-based, idempotent, safe to overlap.

Each sweep claims the matching open deadlines in one locking SELECT over the
partial index of open deadlines and flags them with conditional UPDATEs, so two
sweeps running at once (or a retried task) cannot flag a deadline twice. The
notifications for the flagged deadlines are inserted in bulk and a unique
constraint on (deadline, kind) makes a repeat a no-op. It runs on PostgreSQL
and, for the run command's embedded default, on SQLite.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce

from complaints.models import OPEN, Deadline, DeadlineKind, Notification, NotificationKind, StaffMember, StaffRole
from complaints.selectors import COUNCIL_DEADLINES
from deadlines.calendar import london_date
from deadlines.engine import working_days_later
from policies.models import Council
from policies.selectors import policy_version_in_force

UPDATE_CHUNK = 900  # stays under SQLite's bound-parameter limit on the embedded database


@dataclass(frozen=True)
class SweepResult:
    flagged: int
    notifications: int


def _flag(column: str, conditions: Q, now: dt.datetime) -> list[tuple]:
    """Set ``column`` = now on matching open deadlines; return (deadline, complaint, person, council, kind).

    The person told is the case's assigned officer, or for a deadline with no
    complaint (an Ombudsman enquiry that came first) the one responsible for it.

    Rows are claimed with SELECT ... FOR UPDATE SKIP LOCKED (PostgreSQL), so an
    overlapping sweep skips what this one holds, and the UPDATE repeats the
    ``column IS NULL`` condition, so a row is never flagged twice.
    """
    candidates = (
        Deadline.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(conditions, Q(complaint__state__in=OPEN) | Q(complaint__isnull=True),
                **{f"{column}__isnull": True}, met_at__isnull=True, cancelled_at__isnull=True, paused=False,
                kind__in=COUNCIL_DEADLINES)
        .values_list("id", "complaint_id", Coalesce("complaint__assigned_officer_id", "responsible_id"), "council_id",
                     "kind")
    )
    rows = list(candidates)
    for start in range(0, len(rows), UPDATE_CHUNK):
        ids = [row[0] for row in rows[start:start + UPDATE_CHUNK]]
        Deadline.objects.filter(id__in=ids, **{f"{column}__isnull": True}).update(**{column: now})
    return rows


def _managers_by_council() -> dict[int, list[int]]:
    managers: dict[int, list[int]] = {}
    for council_id, user_id in StaffMember.objects.filter(role=StaffRole.COMPLAINTS_MANAGER).values_list(
            "council_id", "user_id"):
        managers.setdefault(council_id, []).append(user_id)
    return managers


def _notify(rows, kind: str, include_managers: bool) -> int:
    managers = _managers_by_council() if include_managers else {}
    notifications = []
    for deadline_id, complaint_id, officer_id, council_id, deadline_kind in rows:
        kind_here = kind
        if kind == NotificationKind.DUE_SOON and deadline_kind == DeadlineKind.OMBUDSMAN_ENQUIRY:
            kind_here = NotificationKind.OMBUDSMAN_ENQUIRY_DUE
        recipients = [officer_id] if officer_id else []
        recipients += [m for m in managers.get(council_id, []) if m not in recipients]
        notifications.append(Notification(deadline_id=deadline_id, complaint_id=complaint_id, kind=kind_here,
                                          recipient_ids=recipients))
    created = Notification.objects.bulk_create(notifications, ignore_conflicts=True, batch_size=2000)
    return len(created)


@transaction.atomic
def deadlines_flag_breaches(*, now: dt.datetime) -> SweepResult:
    """Mark open deadlines whose London due date has ended; notify officer and managers once."""
    rows = _flag("breached_at", Q(due_date__lt=london_date(now)), now)
    return SweepResult(flagged=len(rows), notifications=_notify(rows, NotificationKind.BREACHED, True))


@transaction.atomic
def deadlines_warn_due_soon(*, now: dt.datetime, working_days: int | None = None) -> SweepResult:
    """Warn once about deadlines due within the next N working days (per council calendar)."""
    days = settings.DUE_SOON_WORKING_DAYS if working_days is None else working_days
    today = london_date(now)
    rows = []
    for council in Council.objects.all():
        try:
            policy = policy_version_in_force(council=council, on=today).policy
        except LookupError:
            continue
        horizon = working_days_later(policy, today, days)
        rows += _flag("warned_at", Q(council=council, due_date__gte=today, due_date__lte=horizon), now)
    return SweepResult(flagged=len(rows), notifications=_notify(rows, NotificationKind.DUE_SOON, False))
