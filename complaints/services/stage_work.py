"""The work of a stage: acknowledge, meet, notify, extend, respond.

Each records an event on the stage, marks the deadline it meets and
recomputes the deadlines that count from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from complaints.models import (
    Action,
    CaseStage,
    Complaint,
    Deadline,
    DeadlineKind,
    Extension,
    NotificationKind,
    StageOutcome,
    State,
)
from complaints.services.base import locked_case, run_transition, save_case
from complaints.services.deadlines import deadlines_mark_met, stage_deadlines_sync
from complaints.services.errors import PolicyGuardFailed, TransitionRefused
from complaints.services.notify import notification_record
from complaints.services.holds import _waiting_for_consent
from deadlines.calendar import london_date

WORKING_STATES = {State.INFORMAL, State.STAGE1, State.STAGE2, State.PANEL}


def current_stage(case: Complaint) -> CaseStage:
    if case.state not in WORKING_STATES:
        raise TransitionRefused(f"{case.reference} is {State(case.state).label.lower()}: no stage is being worked")
    return CaseStage.objects.select_for_update().get(complaint=case, stage=case.stage)


FUTURE_TOLERANCE = dt.timedelta(minutes=5)


def _not_in_future(at: dt.datetime, what: str) -> None:
    """Events are recorded when they happened; a date in the future would meet a deadline early."""
    if at > timezone.now() + FUTURE_TOLERANCE:
        raise PolicyGuardFailed(f"The {what} cannot be dated in the future ({london_date(at).isoformat()})")


def _require_consent(case: Complaint, action: str) -> None:
    if _waiting_for_consent(case):
        raise PolicyGuardFailed(
            f"Cannot {action}: the representative's complaint needs the complainant's consent first "
            f"({case.policy.representatives.source})"
        )


@transaction.atomic
def complaint_acknowledge(*, complaint: Complaint, by, at: dt.datetime | None = None,
                          expected_version: int | None = None) -> Complaint:
    at = at or timezone.now()
    _not_in_future(at, "acknowledgement")
    case = locked_case(complaint, expected_version)
    stage = current_stage(case)
    if stage.acknowledged_at is not None:
        raise TransitionRefused(f"{case.reference} {stage.stage} was already acknowledged")
    if at < stage.started_at:
        raise PolicyGuardFailed("The acknowledgement cannot be dated before the stage started")
    stage.acknowledged_at = at
    stage.save()
    stage.handled_by.add(by)
    deadlines_mark_met(complaint=case, stage=stage.stage, kinds=[DeadlineKind.ACKNOWLEDGE], at=at)
    stage_deadlines_sync(complaint=case, case_stage=stage)
    return save_case(case, by=by, reason="", event=f"acknowledged:{stage.stage}")


@transaction.atomic
def complaint_record_meeting(*, complaint: Complaint, by, meeting_on: dt.date,
                             expected_version: int | None = None) -> Complaint:
    if meeting_on > timezone.localdate():
        raise PolicyGuardFailed(f"Record the meeting once it has happened (not {meeting_on.isoformat()})")
    case = locked_case(complaint, expected_version)
    stage = current_stage(case)
    if case.policy.stage(stage.stage).meeting is None:
        raise PolicyGuardFailed(f"{stage.stage} of {case.council.short_name} has no meeting")
    if meeting_on < london_date(stage.started_at):
        raise PolicyGuardFailed("The meeting cannot be dated before the stage started")
    stage.meeting_on = meeting_on
    stage.save()
    met_at = timezone.make_aware(dt.datetime.combine(meeting_on, dt.time(12)))
    deadlines_mark_met(complaint=case, stage=stage.stage, kinds=[DeadlineKind.MEETING], at=met_at)
    stage_deadlines_sync(complaint=case, case_stage=stage)
    return save_case(case, by=by, reason="", event="meeting_recorded")


@transaction.atomic
def complaint_notify_department(*, complaint: Complaint, by, at: dt.datetime | None = None,
                                expected_version: int | None = None) -> Complaint:
    at = at or timezone.now()
    case = locked_case(complaint, expected_version)
    stage = current_stage(case)
    stage.department_notified_at = at
    stage.save()
    deadlines_mark_met(complaint=case, stage=stage.stage, kinds=[DeadlineKind.NOTIFY_DEPARTMENT], at=at)
    return save_case(case, by=by, reason="", event="department_notified")


@transaction.atomic
def complaint_extend(*, complaint: Complaint, by, new_date: dt.date, reason: str, complainant_told_at: dt.datetime,
                     complainant_agreed: bool = False, expected_version: int | None = None) -> Deadline:
    """Move the stage's response deadline later, within the policy's cap unless the complainant agreed."""
    case = locked_case(complaint, expected_version)
    stage = current_stage(case)
    rule = case.policy.stage(stage.stage).extension
    if rule is None or not rule.allowed:
        raise PolicyGuardFailed(f"{case.council.short_name}'s policy allows no extension at {stage.stage}")
    if not reason.strip():
        raise PolicyGuardFailed("An extension needs a reason, which the complainant is told")
    deadline = Deadline.objects.select_for_update().get(complaint=case, stage=stage.stage, kind=DeadlineKind.RESPOND)
    if new_date <= deadline.due_date:
        raise PolicyGuardFailed(
            f"An extension moves the deadline later: {new_date.isoformat()} is not after {deadline.due_date.isoformat()}"
        )
    if deadline.cap_date is not None and new_date > deadline.cap_date:
        if not rule.agreement_allows_more:
            raise PolicyGuardFailed(
                f"{new_date.isoformat()} is past the policy's limit of {deadline.cap_date.isoformat()} "
                f"({rule.cap.source}) and the policy allows no more"
            )
        if not complainant_agreed:
            raise PolicyGuardFailed(
                f"{new_date.isoformat()} is past the policy's limit of {deadline.cap_date.isoformat()} "
                f"({rule.cap.source}): record the complainant's agreement to go further"
            )
    Extension.objects.create(deadline=deadline, from_date=deadline.due_date, to_date=new_date, reason=reason,
                             agreed_by_complainant=complainant_agreed, complainant_told_at=complainant_told_at,
                             granted_by=by)
    deadline.due_date = new_date
    deadline.extensions += 1
    deadline.explanation += f" Extended to {new_date.isoformat()}: {reason}"
    deadline.save()
    notification_record(deadline=deadline, kind=NotificationKind.EXTENDED)
    save_case(case, by=by, reason=reason, event=f"extended:{stage.stage}")
    return deadline


@dataclass
class ResponseDetails:
    outcome: str
    findings: str
    remedy_apology: bool = False
    remedy_explanation: bool = False
    remedy_action: str = ""
    compensation_amount: Decimal = Decimal("0")
    compensation_offset_against_arrears: Decimal = Decimal("0")
    learning_points: str = ""
    actions: list[tuple[str, object, dt.date]] = field(default_factory=list)  # (description, owner, due)


@transaction.atomic
def complaint_respond(*, complaint: Complaint, by, details: ResponseDetails, at: dt.datetime | None = None,
                      expected_version: int | None = None) -> Complaint:
    """Send the stage response: record the outcome and actions, meet the deadlines, open the escalation window."""
    at = at or timezone.now()
    _not_in_future(at, "response")
    case = locked_case(complaint, expected_version)
    stage = current_stage(case)
    if stage.stage == "informal":
        raise TransitionRefused("An informal complaint is resolved or made formal, not answered with a stage response")
    if at < stage.started_at:
        raise PolicyGuardFailed("The response cannot be dated before the stage started")
    _require_consent(case, "respond")
    if not details.findings.strip():
        raise PolicyGuardFailed("A stage response needs the findings")
    if details.compensation_offset_against_arrears > details.compensation_amount:
        raise PolicyGuardFailed("The arrears offset cannot be more than the compensation")
    outcome = StageOutcome.objects.create(
        complaint=case, stage=stage.stage, outcome=details.outcome, findings=details.findings, responded_at=at,
        responded_by=by, remedy_apology=details.remedy_apology, remedy_explanation=details.remedy_explanation,
        remedy_action=details.remedy_action, compensation_amount=details.compensation_amount,
        compensation_offset_against_arrears=details.compensation_offset_against_arrears,
        learning_points=details.learning_points)
    for description, owner, due in details.actions:
        Action.objects.create(outcome=outcome, description=description, owner=owner, due_date=due)
    run_transition(case, "respond", "record a stage response")
    stage.responded_at = at
    if stage.acknowledged_at is None and case.policy.stage(stage.stage).acknowledge is not None:
        stage.acknowledged_at = at  # a full response acknowledges too
    stage.save()
    stage.handled_by.add(by)
    deadlines_mark_met(complaint=case, stage=stage.stage,
                       kinds=[DeadlineKind.ACKNOWLEDGE, DeadlineKind.RESPOND, DeadlineKind.TARGET,
                              DeadlineKind.NOTIFY_DEPARTMENT, DeadlineKind.MEETING], at=at)
    stage_deadlines_sync(complaint=case, case_stage=stage)
    return save_case(case, by=by, reason=details.outcome, event=f"responded:{stage.stage}:{london_date(at)}")
