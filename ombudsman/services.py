"""Working a case at the Ombudsman: the only writers of the ombudsman app's records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from complaints.models import Complaint, Deadline, DeadlineKind, State
from complaints.services.base import locked_case, save_case
from complaints.services.deadlines import deadlines_mark_met
from complaints.services.errors import PolicyGuardFailed
from complaints.services.lifecycle import complaint_refer_to_ombudsman
from complaints.services.people import history_words
from complaints.services.stage_work import FUTURE_TOLERANCE
from deadlines.calendar import london_date
from deadlines.engine import apply_rule, format_date, policy_calendar
from ombudsman.models import Decision, DecisionKind, Enquiry, OmbudsmanCase, Remedy
from policies.models import Council
from policies.schema import TimeRule
from policies.selectors import policy_version_in_force


@transaction.atomic
def ombudsman_case_open(*, council: Council, by, ombudsman: str, their_reference: str, received_on: dt.date,
                        complaint: Complaint | None = None, council_contact=None) -> OmbudsmanCase:
    """Record the Ombudsman's case; a linked complaint moves to the Ombudsman stage.

    A case that arrives before the council's procedure has finished is marked
    premature (the Ombudsman may take it anyway).
    """
    if not their_reference.strip():
        raise PolicyGuardFailed("Record the Ombudsman's own reference")
    premature = complaint is None
    if complaint is not None:
        if complaint.council_id != council.pk:
            raise PolicyGuardFailed(f"{complaint.reference} is not a complaint of {council.short_name}")
        final = complaint.policy.stage_keys[-1]
        finished = complaint.state == State.CLOSED and complaint.closed_after_stage in {final, "stage2"}
        premature = not (finished or complaint.state in {State.STAGE2_RESPONDED, State.PANEL_RESPONDED})
        if complaint.state != State.OMBUDSMAN:
            complaint_refer_to_ombudsman(complaint=complaint, by=by, reason=f"{ombudsman} {their_reference}")
    return OmbudsmanCase.objects.create(council=council, complaint=complaint, ombudsman=ombudsman,
                                        their_reference=their_reference.strip(), received_on=received_on,
                                        council_contact=council_contact, premature=premature)


@transaction.atomic
def ombudsman_enquiry_record(*, case: OmbudsmanCase, by, received_on: dt.date, description: str,
                             respond_within: int, unit: str) -> Enquiry:
    """An enquiry with the Ombudsman's own deadline, tracked like every other deadline."""
    if unit not in {"working_days", "calendar_days"}:
        raise PolicyGuardFailed("The Ombudsman sets its deadline in working days or calendar days")
    if respond_within < 1:
        raise PolicyGuardFailed("The response time must be at least one day")
    policy = policy_version_in_force(council=case.council, on=received_on).policy
    rule = TimeRule(amount=respond_within, unit=unit, source=f"Ombudsman letter {case.their_reference}",
                    **{"from": "receipt"})
    due = apply_rule(rule, received_on, policy_calendar(policy))
    words = unit.replace("_", " ")
    deadline = Deadline.objects.create(
        complaint=case.complaint, council=case.council, responsible=case.council_contact, stage="ombudsman",
        kind=DeadlineKind.OMBUDSMAN_ENQUIRY, due_date=due, original_due_date=due, rule_source=rule.source,
        explanation=f"Answer the {case.get_ombudsman_display()} by {format_date(due)}: {respond_within} {words} "
                    f"after the enquiry received on {format_date(received_on)} (as the Ombudsman's letter sets).")
    return Enquiry.objects.create(case=case, received_on=received_on, description=description,
                                  respond_within=respond_within, respond_unit=unit, deadline=deadline)


@transaction.atomic
def ombudsman_enquiry_answer(*, enquiry: Enquiry, by, at: dt.datetime | None = None) -> Enquiry:
    at = at or timezone.now()
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if enquiry.answered_at is not None:
        raise PolicyGuardFailed("That enquiry was already answered")
    enquiry.answered_at = at
    enquiry.save()
    deadline = enquiry.deadline
    if deadline.complaint_id:
        deadlines_mark_met(complaint=deadline.complaint, stage="ombudsman", kinds=[DeadlineKind.OMBUDSMAN_ENQUIRY],
                           at=at)
    else:
        deadline.met_at = at
        deadline.save()
    return enquiry


@dataclass
class RemedyDetails:
    kind: str
    description: str
    due_date: dt.date
    amount: str = "0"


@transaction.atomic
def ombudsman_decision_record(*, case: OmbudsmanCase, by, kind: str, outcome: str, decided_on: dt.date,
                              summary: str, remedies: list[RemedyDetails] = ()) -> Decision:
    if kind == DecisionKind.FINAL and case.decisions.filter(kind=DecisionKind.FINAL).exists():
        raise PolicyGuardFailed(f"{case} already has a final decision")
    if not summary.strip():
        raise PolicyGuardFailed("Summarise the Ombudsman's view or decision")
    decision = Decision.objects.create(case=case, kind=kind, outcome=outcome, decided_on=decided_on,
                                       summary=summary, recorded_by=by)
    for remedy in remedies:
        Remedy.objects.create(decision=decision, kind=remedy.kind, description=remedy.description,
                              due_date=remedy.due_date, amount=remedy.amount)
    return decision


@transaction.atomic
def ombudsman_decision_inform(*, decision: Decision, by, who: str, at: dt.datetime | None = None) -> Decision:
    """Record that the service manager or director was told (Brighton & Hove's procedure asks for both)."""
    at = at or timezone.now()
    field = {"service_manager": "service_manager_informed_at", "director": "director_informed_at"}.get(who)
    if field is None:
        raise PolicyGuardFailed("Inform the service_manager or the director")
    setattr(decision, field, at)
    decision.save(update_fields=[field])
    return decision


@transaction.atomic
def remedy_comply(*, remedy: Remedy, by, evidence: str, at: dt.datetime | None = None,
                  expected_version: int | None = None) -> Remedy:
    """Record that the council did what the Ombudsman recommended, with the evidence.

    When the Ombudsman's case is about a complaint, that case is locked first
    (and checked against ``expected_version``) and the compliance goes on its
    history, so the case's timeline shows it.
    """
    now = timezone.now()
    at = at or now
    complaint = Remedy.objects.select_related("decision__case__complaint").get(pk=remedy.pk).decision.case.complaint
    case = locked_case(complaint, expected_version) if complaint is not None else None
    remedy = Remedy.objects.select_for_update(of=("self",)).select_related("decision").get(pk=remedy.pk)
    if remedy.complied_at is not None:
        raise PolicyGuardFailed("That remedy is already recorded as complied with")
    if not evidence.strip():
        raise PolicyGuardFailed("Record the evidence of compliance")
    if at > now + FUTURE_TOLERANCE:
        raise PolicyGuardFailed(f"Compliance cannot be dated in the future ({format_date(london_date(at))})")
    if london_date(at) < remedy.decision.decided_on:
        raise PolicyGuardFailed(f"Compliance cannot be dated before the Ombudsman's decision "
                                f"({format_date(remedy.decision.decided_on)})")
    remedy.complied_at, remedy.evidence = at, evidence.strip()
    remedy.save(update_fields=["complied_at", "evidence"])
    if case is not None:
        save_case(case, by=by, reason=history_words(f"{remedy.get_kind_display()}: {remedy.description}"),
                  event="ombudsman_remedy_complied")
    return remedy
