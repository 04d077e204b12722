"""Holds: the clock stops while a case waits for consent or information, where the policy allows."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from complaints.models import Complaint, Consent, State
from complaints.services.base import locked_case, run_transition, save_case
from complaints.services.errors import PolicyGuardFailed
from deadlines.calendar import london_date
from deadlines.engine import working_days_between, working_days_later


def pause_deadlines(case: Complaint) -> None:
    for row in case.deadlines.filter(met_at__isnull=True, cancelled_at__isnull=True, paused=False):
        row.paused = True
        row.save()


def resume_deadlines(case: Complaint, resumed_on: dt.date) -> int:
    """Move each paused deadline later by the working days the case was on hold."""
    held_days = working_days_between(case.policy, case.held_since, resumed_on) if case.held_since else 0
    for row in case.deadlines.filter(paused=True):
        row.paused = False
        if held_days > 0:
            row.due_date = working_days_later(case.policy, row.due_date, held_days)
            if row.cap_date:
                row.cap_date = working_days_later(case.policy, row.cap_date, held_days)
            row.explanation += f" Moved {held_days} working day{'s' if held_days != 1 else ''} later: on hold from " \
                               f"{case.held_since.isoformat()} to {resumed_on.isoformat()}."
        row.save()
    return held_days


@transaction.atomic
def complaint_hold(*, complaint: Complaint, by, reason: str, at: dt.datetime | None = None,
                   expected_version: int | None = None) -> Complaint:
    at = at or timezone.now()
    if not reason.strip():
        raise PolicyGuardFailed("Putting a case on hold needs a reason (what are we waiting for?)")
    case = locked_case(complaint, expected_version)
    run_transition(case, "hold", "put the case on hold")
    case.held_since = london_date(at)
    pause_deadlines(case)
    return save_case(case, by=by, reason=reason, event="held")


@transaction.atomic
def complaint_resume(*, complaint: Complaint, by, at: dt.datetime | None = None, reason: str = "",
                     expected_version: int | None = None) -> Complaint:
    at = at or timezone.now()
    case = locked_case(complaint, expected_version)
    if case.state == State.ON_HOLD and _waiting_for_consent(case):
        raise PolicyGuardFailed(
            f"{case.reference} cannot proceed until the complainant's consent is recorded "
            f"({case.policy.representatives.source})"
        )
    run_transition(case, "resume", "resume the case")
    resume_deadlines(case, london_date(at))
    case.held_from, case.held_since, case.held_for_consent = "", None, False
    return save_case(case, by=by, reason=reason, event="resumed")


def _waiting_for_consent(case: Complaint) -> bool:
    rules = case.policy.representatives
    return bool(case.representative_name) and rules.hold_until_consent and case.consent != Consent.RECEIVED


@transaction.atomic
def complaint_record_consent(*, complaint: Complaint, by, received_on: dt.date, evidence: str,
                             at: dt.datetime | None = None, expected_version: int | None = None) -> Complaint:
    """Consent arrived: record it, and resume a case that was held for it."""
    at = at or timezone.now()
    if not evidence.strip():
        raise PolicyGuardFailed("Record what the consent evidence is (e.g. signed form received by post)")
    case = locked_case(complaint, expected_version)
    if not case.representative_name:
        raise PolicyGuardFailed(f"{case.reference} has no representative, so no consent is needed")
    case.consent, case.consent_received_on, case.consent_evidence = Consent.RECEIVED, received_on, evidence
    if case.state == State.ON_HOLD and case.held_for_consent:
        run_transition(case, "resume", "resume the case")
        resume_deadlines(case, london_date(at))
        case.held_from, case.held_since, case.held_for_consent = "", None, False
    return save_case(case, by=by, reason=evidence, event="consent_received")
