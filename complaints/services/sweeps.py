"""The breach and due-soon sweeps: set-based, idempotent, safe to overlap.

Each sweep is one conditional UPDATE ... RETURNING over the partial index of
open deadlines, so two sweeps running at once (or a retried task) cannot flag
a deadline twice: the second UPDATE finds ``breached_at`` already set. The
notifications for the flagged deadlines are inserted in one statement and a
unique constraint on (deadline, kind) makes a repeat a no-op.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from complaints.models import OPEN, Deadline, Notification, NotificationKind, StaffMember, StaffRole
from complaints.selectors import COUNCIL_DEADLINES
from deadlines.calendar import london_date
from deadlines.engine import working_days_later
from policies.models import Council
from policies.selectors import policy_version_in_force

_OPEN_STATES = [str(state) for state in OPEN]


@dataclass(frozen=True)
class SweepResult:
    flagged: int
    notifications: int


def _flag(sql_condition: str, column: str, params: list, now: dt.datetime) -> list[tuple[int, int, int | None]]:
    """Set ``column`` = now on matching open deadlines; return (deadline, complaint, officer) of those changed."""
    table = Deadline._meta.db_table
    complaint_table = Deadline._meta.get_field("complaint").related_model._meta.db_table
    sql = f"""
        UPDATE {table} AS d SET {column} = %s
        FROM {complaint_table} AS c
        WHERE c.id = d.complaint_id
          AND d.{column} IS NULL AND d.met_at IS NULL AND d.cancelled_at IS NULL AND NOT d.paused
          AND d.kind = ANY(%s) AND c.state = ANY(%s) AND {sql_condition}
        RETURNING d.id, d.complaint_id, c.assigned_officer_id, c.council_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, list(COUNCIL_DEADLINES), _OPEN_STATES, *params])
        return cursor.fetchall()


def _managers_by_council() -> dict[int, list[int]]:
    managers: dict[int, list[int]] = {}
    for council_id, user_id in StaffMember.objects.filter(role=StaffRole.COMPLAINTS_MANAGER).values_list(
            "council_id", "user_id"):
        managers.setdefault(council_id, []).append(user_id)
    return managers


def _notify(rows, kind: str, include_managers: bool) -> int:
    managers = _managers_by_council() if include_managers else {}
    notifications = []
    for deadline_id, complaint_id, officer_id, council_id in rows:
        recipients = [officer_id] if officer_id else []
        recipients += [m for m in managers.get(council_id, []) if m not in recipients]
        notifications.append(Notification(deadline_id=deadline_id, complaint_id=complaint_id, kind=kind,
                                          recipient_ids=recipients))
    created = Notification.objects.bulk_create(notifications, ignore_conflicts=True, batch_size=2000)
    return len(created)


@transaction.atomic
def deadlines_flag_breaches(*, now: dt.datetime) -> SweepResult:
    """Mark open deadlines whose London due date has ended; notify officer and managers once."""
    rows = _flag("d.due_date < %s", "breached_at", [london_date(now)], now)
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
        rows += _flag("d.council_id = %s AND d.due_date >= %s AND d.due_date <= %s", "warned_at",
                      [council.pk, today, horizon], now)
    return SweepResult(flagged=len(rows), notifications=_notify(rows, NotificationKind.DUE_SOON, False))
