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
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from complaints.models import (
    OPEN,
    Complaint,
    Deadline,
    DeadlineKind,
    Notification,
    NotificationKind,
    StaffMember,
    StaffRole,
)
from complaints.selectors import COUNCIL_DEADLINES
from deadlines.calendar import london_date
from deadlines.engine import working_days_later
from policies.models import Council
from policies.selectors import policy_version_in_force

UPDATE_CHUNK = 900  # stays under SQLite's bound-parameter limit on the embedded database
BIG_CHUNK = 10_000
OPEN_STATES = {str(state) for state in OPEN}


@dataclass(frozen=True)
class SweepResult:
    flagged: int
    notifications: int


def _chunk() -> int:
    """Ids per statement: under SQLite's bound-parameter limit on the embedded database, larger elsewhere."""
    return UPDATE_CHUNK if connection.vendor == "sqlite" else BIG_CHUNK


def _flag(column: str, conditions: Q, now: dt.datetime) -> list[tuple]:
    """Set ``column`` = now on matching open deadlines; return (deadline, complaint, person, council, kind).

    The person told is the case's assigned officer, or for a deadline with no
    complaint (an Ombudsman enquiry that came first) the one responsible for it.

    Rows are claimed with SELECT ... FOR UPDATE SKIP LOCKED (PostgreSQL), so an
    overlapping sweep skips what this one holds, and the UPDATE repeats the
    ``column IS NULL`` condition, so a row is never flagged twice.

    The claim reads the open-deadline index alone; the cases' states and
    officers are then read by primary key. Joined in one query, PostgreSQL
    overestimates how many open deadlines there are (it multiplies the shares
    of ``met_at IS NULL``, ``cancelled_at IS NULL`` and ``NOT paused``) and
    hashes the whole complaints table for a handful of rows: 0.7 s at
    1,000,000 complaints for one day's breaches, against milliseconds this way.
    An open deadline of a case no longer open (rare: ending a case cancels its
    deadlines) is claimed too but left unflagged.
    """
    claimed = list(
        Deadline.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(conditions, **{f"{column}__isnull": True}, met_at__isnull=True, cancelled_at__isnull=True,
                paused=False, kind__in=COUNCIL_DEADLINES)
        .values_list("id", "complaint_id", "responsible_id", "council_id", "kind")
    )
    chunk = _chunk()
    case_ids = sorted({row[1] for row in claimed if row[1] is not None})
    cases = {}
    for start in range(0, len(case_ids), chunk):
        cases.update((pk, (state, officer)) for pk, state, officer in Complaint.objects.filter(
            id__in=case_ids[start:start + chunk]).values_list("id", "state", "assigned_officer_id"))
    rows = []
    for deadline_id, complaint_id, responsible_id, council_id, kind in claimed:
        if complaint_id is None:
            rows.append((deadline_id, None, responsible_id, council_id, kind))
            continue
        state, officer = cases.get(complaint_id, (None, None))
        if state in OPEN_STATES:
            rows.append((deadline_id, complaint_id, officer if officer is not None else responsible_id, council_id,
                         kind))
    for start in range(0, len(rows), chunk):
        ids = [row[0] for row in rows[start:start + chunk]]
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
        notifications.append((deadline_id, complaint_id, str(kind_here), recipients))
    if not notifications:
        return 0
    if connection.vendor == "postgresql":
        return _insert_notifications(notifications)
    created = Notification.objects.bulk_create(
        [Notification(deadline_id=d, complaint_id=c, kind=k, recipient_ids=r) for d, c, k, r in notifications],
        ignore_conflicts=True, batch_size=2000)
    return len(created)


def _insert_notifications(notifications: list[tuple]) -> int:
    """PostgreSQL: every notification in one INSERT from arrays; a repeat is skipped by the unique constraint.

    A backlog of 50,000 breaches costs about a second less this way than as 50,000 model instances through
    ``bulk_create``, and the count is of rows actually inserted.
    """
    meta = Notification._meta
    column = {f.name: f.column for f in meta.concrete_fields}
    deadline_ids, complaint_ids, kinds, recipients = zip(*notifications)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{meta.db_table}" ("{column["deadline"]}", "{column["complaint"]}", "{column["kind"]}", '
            f'"{column["recipient_ids"]}", "{column["created_at"]}", "{column["attempts"]}", '
            f'"{column["last_error"]}") '
            "SELECT d, c, k, r, now(), 0, '' FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::jsonb[]) "
            f'AS t(d, c, k, r) ON CONFLICT ("{column["deadline"]}", "{column["kind"]}") DO NOTHING',
            [list(deadline_ids), list(complaint_ids), list(kinds), [json.dumps(r) for r in recipients]])
        return cursor.rowcount


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
