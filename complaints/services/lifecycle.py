"""Moving a case between stages and out of the procedure.

Every function here is the one way its move happens: it locks the case,
checks the council's policy, runs the django-fsm transition, records who,
when and why, and keeps the stored deadlines right.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from complaints.models import OPEN, CaseStage, Complaint, Deadline, DeadlineKind
from complaints.services.base import locked_case, run_transition, save_case
from complaints.services.deadlines import deadlines_cancel_open, deadlines_mark_met
from complaints.services.errors import PolicyGuardFailed
from complaints.services.intake import start_stage
from deadlines.calendar import london_date

NEXT_TRANSITION = {"stage2": "escalate_to_stage2", "panel": "escalate_to_panel"}


def stage1_handlers(case: Complaint, stage: str) -> set[int]:
    """Everyone who handled a stage: assigned to the case during it, acknowledged or answered it."""
    handlers = set(CaseStage.objects.filter(complaint=case, stage=stage).values_list("handled_by", flat=True))
    assigned = case.history.filter(stage=stage, assigned_officer__isnull=False).values_list("assigned_officer", flat=True)
    return {pk for pk in handlers | set(assigned) if pk is not None}


def _check_independent(case: Complaint, next_key: str, reviewer) -> None:
    handler = case.policy.stage(next_key).handler
    if handler is not None and not handler.independent_of_previous_stage and next_key != "stage2":
        return
    previous = case.policy.stage_keys[case.policy.stage_keys.index(next_key) - 1]
    if reviewer is not None and reviewer.pk in stage1_handlers(case, previous):
        raise PolicyGuardFailed(
            f"{reviewer.get_full_name() or reviewer.username} handled {previous} of {case.reference}, so cannot "
            f"review it at {next_key}: the reviewer must not be anyone who handled the earlier stage"
        )


def _check_panel_eligibility(case: Complaint) -> None:
    eligibility = case.policy.stage("panel").eligibility
    categories = set(case.service_areas.values_list("category", flat=True)) | {case.category}
    if not categories & set(eligibility.categories):
        raise PolicyGuardFailed(
            f"The panel is only for {', '.join(eligibility.categories)} complaints ({eligibility.source})"
        )
    if case.complainant.complainant_type in eligibility.excluded_complainant_types:
        raise PolicyGuardFailed(
            f"The panel is not open to a {case.complainant.complainant_type} ({eligibility.source})"
        )


def _check_window(case: Complaint, requested_at: dt.datetime, discretion_reason: str) -> None:
    window = Deadline.objects.filter(complaint=case, stage=case.stage, kind=DeadlineKind.ESCALATE).first()
    if window is None or london_date(requested_at) <= window.due_date:
        return
    if not discretion_reason.strip():
        raise PolicyGuardFailed(
            f"The request on {london_date(requested_at).isoformat()} is after the last day to ask, "
            f"{window.due_date.isoformat()} ({window.rule_source}); an officer may accept it with a recorded reason"
        )


@transaction.atomic
def complaint_escalate(*, complaint: Complaint, by, requested_at: dt.datetime, reviewer=None,
                       discretion_reason: str = "", expected_version: int | None = None) -> Complaint:
    """The complainant asks for the next stage: guard the window, eligibility and independence, start it."""
    case = locked_case(complaint, expected_version)
    policy = case.policy
    next_stage = policy.next_stage(case.stage) if case.stage in policy.stage_keys else None
    if next_stage is None or next_stage.key not in NEXT_TRANSITION:
        raise PolicyGuardFailed(f"{case.council.short_name} has no stage after {case.stage or 'this one'}")
    answered = CaseStage.objects.filter(complaint=case, stage=case.stage).values_list("responded_at", flat=True).first()
    if answered is not None and london_date(requested_at) < london_date(answered):
        raise PolicyGuardFailed(
            f"The request for {next_stage.name} cannot be dated before the {case.stage} response "
            f"({london_date(answered).isoformat()})"
        )
    _check_window(case, requested_at, discretion_reason)
    if next_stage.key == "panel":
        _check_panel_eligibility(case)
    _check_independent(case, next_stage.key, reviewer)
    previous = case.stage
    run_transition(case, NEXT_TRANSITION[next_stage.key], f"escalate to {next_stage.name}")
    deadlines_mark_met(complaint=case, stage=previous, kinds=[DeadlineKind.ESCALATE], at=requested_at)
    if reviewer is not None:
        case.assigned_officer = reviewer
    elif case.assigned_officer_id in stage1_handlers(case, previous):
        case.assigned_officer = None  # back to the team queue: the earlier handler cannot review it
    case_stage = start_stage(case, next_stage.key, requested_at, reviewer)
    if discretion_reason:
        case_stage.escalation_discretion_reason = discretion_reason
        case_stage.save()
    return save_case(case, by=by, reason=discretion_reason, event=f"escalated:{next_stage.key}")


@transaction.atomic
def complaint_make_formal(*, complaint: Complaint, by, at: dt.datetime | None = None, reason: str = "",
                          expected_version: int | None = None) -> Complaint:
    """Informal resolution did not work: Stage 1 starts, counted from the original receipt."""
    at = at or timezone.now()
    case = locked_case(complaint, expected_version)
    run_transition(case, "make_formal", "make the complaint formal")
    deadlines_mark_met(complaint=case, stage="informal", kinds=[DeadlineKind.RESPOND], at=at)
    start_stage(case, "stage1", case.received_at, by)
    return save_case(case, by=by, reason=reason, event="made_formal")


@transaction.atomic
def complaint_resolve_informally(*, complaint: Complaint, by, at: dt.datetime | None = None, reason: str,
                                 expected_version: int | None = None) -> Complaint:
    at = at or timezone.now()
    case = locked_case(complaint, expected_version)
    run_transition(case, "resolve_informally", "resolve informally")
    CaseStage.objects.filter(complaint=case, stage="informal").update(responded_at=at)
    deadlines_mark_met(complaint=case, stage="informal", kinds=[DeadlineKind.RESPOND], at=at)
    return save_case(case, by=by, reason=reason, event="resolved_informally")


@transaction.atomic
def complaint_close(*, complaint: Complaint, by, at: dt.datetime | None = None, reason: str = "",
                    expected_version: int | None = None) -> Complaint:
    at = at or timezone.now()
    case = locked_case(complaint, expected_version)
    run_transition(case, "close", "close the case")
    deadlines_mark_met(complaint=case, stage="stage1", kinds=[DeadlineKind.OVERALL], at=at)
    deadlines_cancel_open(complaint=case, at=at)
    return save_case(case, by=by, reason=reason, event="closed")


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, by, reason: str, at: dt.datetime | None = None,
                     expected_version: int | None = None) -> Complaint:
    case = locked_case(complaint, expected_version)
    if case.transferred_to_id is not None:
        raise PolicyGuardFailed(
            f"{case.reference} was transferred to {case.transferred_to.reference}; the complaint continues there"
        )
    policy = case.policy
    final = policy.stage_keys[-1]
    final_general = "stage2" if "stage2" in policy.stage_keys else final
    if case.closed_after_stage in {final, final_general} and not any(
            s.reopen_after_close for s in policy.stages):
        source = next((s.reopen_source for s in policy.stages if s.reopen_source), "code")
        raise PolicyGuardFailed(
            f"{case.reference} completed the {case.closed_after_stage} stage; a case closed after the final stage "
            f"cannot be reopened on the same matters ({source})"
        )
    if not reason.strip():
        raise PolicyGuardFailed("Reopening a case needs a reason")
    run_transition(case, "reopen", "reopen the case")
    return save_case(case, by=by, reason=reason, event="reopened")


@transaction.atomic
def complaint_refuse(*, complaint: Complaint, by, reason: str, signposting: str, at: dt.datetime | None = None,
                     expected_version: int | None = None) -> Complaint:
    at = at or timezone.now()
    if not reason.strip() or not signposting.strip():
        raise PolicyGuardFailed("Refusing a complaint needs a reason and signposting (where to go instead)")
    case = locked_case(complaint, expected_version)
    run_transition(case, "refuse", "refuse the complaint")
    case.refusal_reason, case.signposting = reason, signposting
    deadlines_cancel_open(complaint=case, at=at)
    return save_case(case, by=by, reason=reason, event="refused")


@transaction.atomic
def complaint_withdraw(*, complaint: Complaint, by, reason: str, at: dt.datetime | None = None,
                       expected_version: int | None = None) -> Complaint:
    at = at or timezone.now()
    case = locked_case(complaint, expected_version)
    run_transition(case, "withdraw", "withdraw the complaint")
    deadlines_cancel_open(complaint=case, at=at)
    return save_case(case, by=by, reason=reason, event="withdrawn")


@transaction.atomic
def complaint_refer_to_ombudsman(*, complaint: Complaint, by, reason: str = "", at: dt.datetime | None = None,
                                 expected_version: int | None = None) -> Complaint:
    """The Ombudsman took the case (it may do so at any point, even before the procedure ends).

    From then on the Ombudsman's own timetable (its enquiries) governs the case, so the council's
    stage deadlines stop counting; otherwise the sweeps would report breaches of a procedure that
    is no longer running.
    """
    at = at or timezone.now()
    case = locked_case(complaint, expected_version)
    run_transition(case, "refer_to_ombudsman", "record an Ombudsman referral")
    for stage in case.deadlines.exclude(stage="ombudsman").values_list("stage", flat=True).distinct():
        deadlines_cancel_open(complaint=case, at=at, stage=stage)
    return save_case(case, by=by, reason=reason, event="ombudsman")


@transaction.atomic
def complaint_assign(*, complaint: Complaint, by, officer, expected_version: int | None = None) -> Complaint:
    case = locked_case(complaint, expected_version)
    if case.state not in OPEN:
        raise PolicyGuardFailed(f"{case.reference} is {case.get_state_display().lower()}: it cannot be assigned")
    member = getattr(officer, "staff_member", None)
    if member is None or member.council_id != case.council_id:
        raise PolicyGuardFailed(f"{officer.username} does not work for {case.council.short_name}")
    if case.stage in NEXT_TRANSITION:
        _check_independent(case, case.stage, officer)
    case.assigned_officer = officer
    return save_case(case, by=by, reason=officer.username, event="assigned")
