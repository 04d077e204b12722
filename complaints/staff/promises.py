"""What the council promised on a case: remedy and learning actions, and the Ombudsman's remedies.

Actions come with a stage response and stay open after the case closes until
someone marks them completed (``complaints.services.people.action_complete``);
the Ombudsman's recommended remedies are tracked to compliance with evidence
(``ombudsman.services.remedy_comply``). The case page lists both with a form
for each open one; these functions read them (in a fixed number of queries) and
say who may close them: the action's owner or the Ombudsman case's council
contact, and complaints officers, managers and administrators.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from complaints.models import Action, Complaint, StaffMember, StageOutcome
from complaints.staff.access import CASEWORKERS
from complaints.staff.status import DeadlineStatus, due_status
from deadlines.calendar import london_date
from ombudsman.models import Decision, OmbudsmanCase, Remedy


def may_complete_action(member: StaffMember, action: Action) -> bool:
    return member.role in CASEWORKERS or action.owner_id == member.user_id


def may_record_compliance(member: StaffMember, referral: OmbudsmanCase) -> bool:
    return member.role in CASEWORKERS or referral.council_contact_id == member.user_id


@dataclass
class ActionRow:
    action: Action
    stage_name: str
    responded_on: dt.date
    status: DeadlineStatus | None  # None once completed
    may_complete: bool
    form: object = None


@dataclass
class RemedyRow:
    remedy: Remedy
    decision: Decision
    status: DeadlineStatus | None
    may_record: bool
    form: object = None


@dataclass
class ReferralRow:
    referral: OmbudsmanCase
    decisions: list[Decision]
    remedies: list[RemedyRow]


def action_rows(outcomes: list[StageOutcome], *, member: StaffMember, policy, stage_names: dict,
                today: dt.date) -> list[ActionRow]:
    """Every action of the case's responses, open ones first by due date (from outcomes with actions prefetched)."""
    rows = [ActionRow(action, stage_names.get(outcome.stage, outcome.stage), london_date(outcome.responded_at),
                      None if action.completed_at else due_status(policy, action.due_date, today),
                      action.completed_at is None and may_complete_action(member, action))
            for outcome in outcomes for action in outcome.actions.all()]
    return sorted(rows, key=lambda row: (row.action.completed_at is not None, row.action.due_date, row.action.pk))


def referral_rows(case: Complaint, *, member: StaffMember, policy, today: dt.date) -> list[ReferralRow]:
    """The case's Ombudsman cases with their decisions and remedies (three queries)."""
    remedies = Prefetch("remedies", queryset=Remedy.objects.order_by("due_date", "pk"))
    decisions = Prefetch("decisions", queryset=Decision.objects.order_by("decided_on", "pk").prefetch_related(remedies))
    referrals = (OmbudsmanCase.objects.filter(complaint=case).select_related("council_contact")
                 .order_by("received_on", "pk").prefetch_related(decisions))
    rows = []
    for referral in referrals:
        decisions = list(referral.decisions.all())
        allowed = may_record_compliance(member, referral)
        remedies = [RemedyRow(remedy, decision,
                              None if remedy.complied_at else due_status(policy, remedy.due_date, today),
                              remedy.complied_at is None and allowed)
                    for decision in decisions for remedy in decision.remedies.all()]
        rows.append(ReferralRow(referral, decisions, remedies))
    return rows
