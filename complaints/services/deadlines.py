"""Keeping a case's stored deadlines in step with its events.

The deadline engine computes; this module stores. It is called by the
lifecycle services only, inside their transaction, after an event (stage
start, acknowledgement, meeting, response, hold ending). Extensions move
``due_date`` and are kept when the provisional dates are recomputed.
"""

from __future__ import annotations

import datetime as dt

from complaints.models import CaseStage, Complaint, Deadline, DeadlineKind, NotificationKind
from complaints.services.notify import notification_record
from deadlines.calendar import london_date
from deadlines.engine import Events, compute_stage_deadlines, working_days_between

ENGINE_KEYS = {
    "acknowledge_by": DeadlineKind.ACKNOWLEDGE,
    "respond_by": DeadlineKind.RESPOND,
    "target_by": DeadlineKind.TARGET,
    "meeting_by": DeadlineKind.MEETING,
    "notify_department_by": DeadlineKind.NOTIFY_DEPARTMENT,
    "escalate_by": DeadlineKind.ESCALATE,
    "overall_by": DeadlineKind.OVERALL,
}


def stage_events(case_stage: CaseStage) -> Events:
    def day(value: dt.datetime | None) -> dt.date | None:
        return london_date(value) if value else None

    return Events.from_instant(
        case_stage.started_at,
        acknowledged=day(case_stage.acknowledged_at),
        meeting=case_stage.meeting_on,
        responded=day(case_stage.responded_at),
    )


def stage_deadlines_sync(*, complaint: Complaint, case_stage: CaseStage) -> list[Deadline]:
    """Create or update the stage's deadline rows from the policy the case was received under."""
    policy = complaint.policy
    result = compute_stage_deadlines(policy, case_stage.stage, stage_events(case_stage))
    cap = result.dates.get("respond_by_max")
    existing = {row.kind: row for row in complaint.deadlines.filter(stage=case_stage.stage)}
    rows = []
    for key, kind in ENGINE_KEYS.items():
        computed = result.dates.get(key)
        if computed is None:
            continue
        if kind == DeadlineKind.ESCALATE and case_stage.responded_at is None:
            continue  # the complainant's window opens with the response
        row = existing.get(kind)
        if row is not None and not (row.provisional and row.met_at is None and not row.paused):
            # Counted from an event already recorded (or met): the engine would give the same
            # date again, minus any move a hold made to it, so the stored row stands.
            rows.append(row)
            continue
        explanation = computed.explain(policy, result.calendar)
        if row is None:
            row = Deadline(complaint=complaint, council_id=complaint.council_id, stage=case_stage.stage, kind=kind,
                           due_date=computed.date, original_due_date=computed.date)
        elif row.extensions == 0:
            row.due_date = computed.date
            row.original_due_date = computed.date
        row.provisional = computed.anchor_is_deadline
        row.explanation = explanation
        row.rule_source = computed.rule.source
        row.cap_date = cap.date if (kind == DeadlineKind.RESPOND and cap is not None) else None
        row.save()
        rows.append(row)
    return rows


def deadlines_mark_met(*, complaint: Complaint, stage: str, kinds: list[str], at: dt.datetime) -> None:
    """Record the deadlines met by an event; a late one keeps how many working days late it was."""
    met_on = london_date(at)
    for row in complaint.deadlines.filter(stage=stage, kind__in=kinds, met_at__isnull=True, cancelled_at__isnull=True):
        row.met_at = at
        if met_on > row.due_date:
            row.late_working_days = working_days_between(complaint.policy, row.due_date, met_on)
        row.save()
        if row.late_working_days and row.kind == DeadlineKind.RESPOND:
            notification_record(deadline=row, kind=NotificationKind.RESPONDED_LATE)


def deadlines_cancel_open(*, complaint: Complaint, at: dt.datetime, stage: str | None = None) -> None:
    """Withdrawn, refused or transferred: open deadlines stop counting (kept, for the record)."""
    rows = complaint.deadlines.filter(met_at__isnull=True, cancelled_at__isnull=True)
    if stage is not None:
        rows = rows.filter(stage=stage)
    for row in rows:
        row.cancelled_at = at
        row.save()
