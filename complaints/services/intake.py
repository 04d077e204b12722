"""Receiving a complaint, triaging it, and moving it between bodies.

The public form, the officer screens and the API all call ``complaint_create``
so a complaint gets the same policy checks whichever way it arrives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from complaints.models import (
    CaseStage,
    Channel,
    Complainant,
    Complaint,
    ComplaintLink,
    Consent,
    LinkKind,
    ServiceArea,
    State,
)
from complaints.services.base import locked_case, run_transition, save_case
from complaints.services.deadlines import deadlines_cancel_open, stage_deadlines_sync
from complaints.services.errors import PolicyGuardFailed
from deadlines.calendar import london_date
from deadlines.engine import complaint_time_limit
from policies.models import Council
from policies.selectors import policy_version_in_force


@dataclass
class ComplainantDetails:
    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    contact_preference: str = "email"
    complainant_type: str = ""
    reasonable_adjustments: str = ""


@dataclass
class RepresentativeDetails:
    name: str
    relationship: str
    role: str = ""
    consent: str = Consent.NONE
    consent_received_on: dt.date | None = None
    consent_evidence: str = ""


@dataclass
class ComplaintDetails:
    summary: str
    channel: str = Channel.ONLINE
    complainant_words: str = ""
    desired_outcome: str = ""
    incident_date: dt.date | None = None
    aware_date: dt.date | None = None
    category: str = ""
    service_area_ids: list[int] = field(default_factory=list)


def next_reference(council: Council, received_at: dt.datetime) -> tuple[int, str]:
    """``BAR-2026-00042``: per-council sequence, year of receipt. Caller holds the council row lock."""
    last = Complaint.objects.filter(council=council).aggregate(last=Max("sequence"))["last"] or 0
    sequence = last + 1
    return sequence, f"{council.reference_prefix}-{london_date(received_at).year}-{sequence:05d}"


# A few minutes' allowance for clocks that disagree between an integration and this server.
CLOCK_SKEW = dt.timedelta(minutes=5)


def _check_dates(details: ComplaintDetails, received_at: dt.datetime) -> None:
    """Dates that cannot be true would move the time limit and every deadline computed from them."""
    if received_at > timezone.now() + CLOCK_SKEW:
        raise PolicyGuardFailed("A complaint cannot be received in the future")
    received_on = london_date(received_at)
    if details.incident_date is not None and details.incident_date > received_on:
        raise PolicyGuardFailed("What happened cannot be after the complaint was received")
    if details.aware_date is not None and details.aware_date > received_on:
        raise PolicyGuardFailed("When they became aware cannot be after the complaint was received")


@transaction.atomic
def complaint_create(
    *,
    council: Council,
    details: ComplaintDetails,
    complainant: ComplainantDetails,
    received_at: dt.datetime,
    by=None,
    representative: RepresentativeDetails | None = None,
    anonymous: bool = False,
) -> Complaint:
    """Record a new complaint under the policy version in force on the day it was received."""
    council = Council.objects.select_for_update().get(pk=council.pk)
    version = policy_version_in_force(council=council, on=london_date(received_at))
    policy = version.policy
    if representative is not None and representative.role in policy.representatives.excluded_roles:
        route = policy.representatives.excluded_roles_route or "a separate route"
        raise PolicyGuardFailed(
            f"{council.short_name} does not accept formal complaints from a {representative.role} on someone's "
            f"behalf ({policy.representatives.source}): {route}"
        )
    if not details.summary.strip():
        raise PolicyGuardFailed("A complaint needs a summary of what it is about")
    _check_dates(details, received_at)
    # Counted from awareness where the policy says so; without an awareness date, the incident date
    # (the earliest the complainant can have known) stands in.
    matter_date = details.incident_date
    if policy.time_limit.counted_from == "awareness" and details.aware_date is not None:
        matter_date = details.aware_date
    out_of_time = bool(matter_date and london_date(received_at) > complaint_time_limit(policy, matter_date))
    person = Complainant.objects.create(council=council, **vars(complainant))
    sequence, reference = next_reference(council, received_at)
    case = Complaint(
        council=council, sequence=sequence, reference=reference, policy_version=version, channel=details.channel,
        received_at=received_at, incident_date=details.incident_date, aware_date=details.aware_date,
        category=details.category, summary=details.summary, complainant_words=details.complainant_words,
        desired_outcome=details.desired_outcome, complainant=person, is_anonymous=anonymous, out_of_time=out_of_time,
    )
    if representative is not None:
        case.representative_name = representative.name
        case.representative_relationship = representative.relationship
        case.representative_role = representative.role
        case.consent = representative.consent
        case.consent_received_on = representative.consent_received_on
        case.consent_evidence = representative.consent_evidence
    case._history_user = by
    case._change_reason = "received"
    case.save()
    if details.service_area_ids:
        areas = ServiceArea.objects.filter(council=council, pk__in=details.service_area_ids)
        if areas.count() != len(set(details.service_area_ids)):
            raise PolicyGuardFailed("A service area given does not belong to this council")
        case.service_areas.set(areas)
    return case


def needs_consent_hold(case: Complaint) -> bool:
    rules = case.policy.representatives
    return bool(case.representative_name) and rules.hold_until_consent and case.consent != Consent.RECEIVED


def start_stage(case: Complaint, stage: str, started_at: dt.datetime, by=None) -> CaseStage:
    case_stage, _ = CaseStage.objects.get_or_create(complaint=case, stage=stage, defaults={"started_at": started_at})
    if by is not None:
        case_stage.handled_by.add(by)
    stage_deadlines_sync(complaint=case, case_stage=case_stage)
    return case_stage


@transaction.atomic
def complaint_triage(*, complaint: Complaint, by, route: str, at: dt.datetime | None = None,
                     reason: str = "", expected_version: int | None = None) -> Complaint:
    """Decide what a new contact is: ``informal``, ``stage1`` or ``service_request``.

    Anonymous complaints follow the policy: where it logs them as service
    requests (Bucks), routing one to a stage is refused unless a reason of
    wider concern is given.
    """
    at = at or timezone.now()
    case = locked_case(complaint, expected_version)
    policy = case.policy
    if route == "informal":
        if policy.stage("informal") is None:
            raise PolicyGuardFailed(f"{case.council.short_name} has no informal stage")
        run_transition(case, "start_informal", "start informal resolution")
        start_stage(case, "informal", case.received_at, by)
    elif route == "stage1":
        if case.is_anonymous and policy.anonymous.handling == "service_request" and not reason.strip():
            raise PolicyGuardFailed(
                f"{case.council.short_name} logs anonymous complaints as service requests "
                f"({policy.anonymous.source}); give the wider concern that justifies a formal complaint"
            )
        started_at = case.received_at if case.state == State.NEW else at
        run_transition(case, "start_stage1", "start Stage 1")
        start_stage(case, "stage1", started_at, by)
        if needs_consent_hold(case):
            _hold_for_consent(case, at)
    elif route == "service_request":
        run_transition(case, "make_service_request", "treat as a service request")
    else:
        raise PolicyGuardFailed(f"Unknown triage route {route!r}: use informal, stage1 or service_request")
    return save_case(case, by=by, reason=reason, event=f"triaged:{route}")


def _hold_for_consent(case: Complaint, at: dt.datetime) -> None:
    from complaints.services.holds import pause_deadlines

    run_transition(case, "hold", "hold the case for consent")
    case.held_since = london_date(at)
    case.held_for_consent = True
    pause_deadlines(case)


@transaction.atomic
def complaint_transfer(*, complaint: Complaint, by, to_council: Council, at: dt.datetime | None = None,
                       reason: str, expected_version: int | None = None) -> Complaint:
    """Move a complaint to another body: closed here, received there now, under its policy."""
    at = at or timezone.now()
    if not reason.strip():
        raise PolicyGuardFailed("A transfer needs a reason")
    case = locked_case(complaint, expected_version)
    if to_council.pk == case.council_id:
        raise PolicyGuardFailed("A complaint can only be transferred to a different body")
    person = case.complainant
    details = ComplaintDetails(
        summary=case.summary, channel=case.channel, complainant_words=case.complainant_words,
        desired_outcome=case.desired_outcome, incident_date=case.incident_date, aware_date=case.aware_date,
        category=case.category,
    )
    representative = None
    if case.representative_name:
        representative = RepresentativeDetails(
            name=case.representative_name, relationship=case.representative_relationship,
            role=case.representative_role, consent=case.consent, consent_received_on=case.consent_received_on,
            consent_evidence=case.consent_evidence)
    receiving = complaint_create(
        council=to_council, details=details, received_at=at, by=by, representative=representative,
        anonymous=case.is_anonymous,
        complainant=ComplainantDetails(
            name=person.name, email=person.email, phone=person.phone, address=person.address,
            contact_preference=person.contact_preference, complainant_type=person.complainant_type,
            reasonable_adjustments=person.reasonable_adjustments),
    )
    run_transition(case, "close_on_transfer", "transfer")
    case.transferred_to = receiving
    deadlines_cancel_open(complaint=case, at=at)
    ComplaintLink.objects.create(from_complaint=case, to_complaint=receiving, kind=LinkKind.TRANSFERRED, created_by=by)
    save_case(case, by=by, reason=reason, event=f"transferred:{to_council.slug}")
    return receiving
