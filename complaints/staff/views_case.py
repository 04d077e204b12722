"""A case: summary, people, adjustments, deadlines, outcomes, the actions and Ombudsman remedies still to do
(each with its form), links, timeline and the moves possible now."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from complaints.models import Complaint, ComplaintLink, Deadline
from complaints.selectors import complaint_timeline
from complaints.staff.access import MANAGERS, case_for, staff_required
from complaints.staff.models import ConflictOfInterest
from complaints.staff.forms_promises import ActionCompleteForm, RemedyComplyForm, action_prefix, remedy_prefix
from complaints.staff.moves import available_moves
from complaints.staff.promises import ActionRow, ReferralRow, action_rows, referral_rows
from complaints.staff.services import case_view_record
from complaints.staff.status import DeadlineStatus, deadline_status
from complaints.staff.views_files import case_files
from deadlines.calendar import london_date

STAGE_ORDER = {"informal": 0, "stage1": 1, "stage2": 2, "panel": 3}
RECORD_SLUGS = {"note", "correspondence", "adjustments", "link", "assign", "conflict"}


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    stage_name: str
    status: DeadlineStatus


@dataclass(frozen=True)
class LinkRow:
    other: Complaint
    kind: str
    same_council: bool


def _deadline_rows(case: Complaint, policy, today) -> list[DeadlineRow]:
    rows = sorted(case.deadlines.all(), key=lambda d: (STAGE_ORDER.get(d.stage, 9), d.due_date, d.pk))
    names = {stage.key: stage.name for stage in policy.stages}
    return [DeadlineRow(d, names.get(d.stage, d.stage), deadline_status(policy, d, today)) for d in rows]


def _link_rows(case: Complaint) -> list[LinkRow]:
    """Links both ways in one query: the ones this case made first, then the ones made to it."""
    links = sorted(ComplaintLink.objects.filter(Q(from_complaint=case) | Q(to_complaint=case))
                   .select_related("from_complaint", "to_complaint"),
                   key=lambda link: (link.from_complaint_id != case.pk, link.pk))
    rows = []
    for link in links:
        other = link.to_complaint if link.from_complaint_id == case.pk else link.from_complaint
        rows.append(LinkRow(other, link.get_kind_display(), other.council_id == case.council_id))
    return rows


def _with_forms(rows: list[ActionRow], case: Complaint, member) -> list[ActionRow]:
    """A "Mark as completed" form for each open action this member may complete."""
    for row in rows:
        if row.may_complete:
            row.form = ActionCompleteForm(case=case, member=member, prefix=action_prefix(row.action.pk))
    return rows


def _with_remedy_forms(row: ReferralRow, case: Complaint, member) -> ReferralRow:
    for remedy in row.remedies:
        if remedy.may_record:
            remedy.form = RemedyComplyForm(case=case, member=member, prefix=remedy_prefix(remedy.remedy.pk))
    return row


@staff_required
def case_detail(request, reference: str):
    member = request.member
    case = case_for(member, reference)
    case_view_record(complaint=case, user=request.user)
    policy = case.policy
    today = london_date(timezone.now())
    moves = available_moves(case, member)
    stage = policy.stage(case.stage) if case.stage else None
    names = {s.key: s.name for s in policy.stages}
    outcomes = list(case.outcomes.prefetch_related("actions__owner").select_related("responded_by")
                    .order_by("responded_at"))
    return render(request, "staff/case_detail.html", {
        "case": case,
        "policy": policy,
        "stage_name": stage.name if stage else "",
        "service_areas": list(case.service_areas.all()),
        "deadlines": _deadline_rows(case, policy, today),
        "outcomes": [(o, names.get(o.stage, o.stage)) for o in outcomes],
        "actions": _with_forms(action_rows(outcomes, member=member, policy=policy, stage_names=names, today=today),
                               case, member),
        "referrals": [_with_remedy_forms(row, case, member)
                      for row in referral_rows(case, member=member, policy=policy, today=today)],
        "links": _link_rows(case),
        "timeline": complaint_timeline(council=case.council, complaint=case),
        "moves": [m for m in moves if m.slug not in RECORD_SLUGS],
        "records": [m for m in moves if m.slug in RECORD_SLUGS],
        "conflicts": (list(ConflictOfInterest.objects.filter(complaint=case).select_related("user", "recorded_by"))
                      if member.role in MANAGERS else []),
        "files": case_files(case),
        "organisation_name": member.council.name,
    })
