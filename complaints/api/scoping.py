"""What a caller may see: their council's records only; anything else is a 404.

Token callers see every case of the token's council. Staff sessions see what
the case screens show them: their council's cases less those they are barred
from by a conflict of interest, and an investigating officer only the cases
assigned to them.
"""

from __future__ import annotations

import re

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from complaints.api.authentication import caller
from complaints.models import OPEN, Complaint, Deadline, DeadlineKind, StaffRole
from complaints.selectors import COUNCIL_DEADLINES, complaints_for_council

REFERENCE = re.compile(r"^[A-Za-z0-9-]{1,30}$")


def _has_conflicts_relation() -> bool:
    try:
        Complaint._meta.get_field("conflicts_of_interest")
    except FieldDoesNotExist:
        return False
    return True


def visible_complaints(request) -> QuerySet[Complaint]:
    who = caller(request)
    cases = complaints_for_council(council=who.council)
    if who.token is None:
        if _has_conflicts_relation():
            cases = cases.exclude(conflicts_of_interest__user=who.user.pk)
        if who.role == StaffRole.INVESTIGATING_OFFICER:
            cases = cases.filter(assigned_officer=who.user.pk)
    return cases


def open_council_deadlines(council) -> QuerySet[Deadline]:
    """Deadlines the council still has to meet: unmet, not cancelled, of open cases (or Ombudsman enquiries).

    Overdue is one of these, not paused, due before today: the same rule for the complaint list,
    the deadline list, each deadline's ``overdue`` and the dashboard.
    """
    return Deadline.objects.filter(council=council, met_at__isnull=True, cancelled_at__isnull=True,
                                   kind__in=COUNCIL_DEADLINES).filter(
        Q(complaint__state__in=OPEN) | Q(kind=DeadlineKind.OMBUDSMAN_ENQUIRY))


def overdue_council_deadlines(council, today) -> QuerySet[Deadline]:
    return open_council_deadlines(council).filter(paused=False, due_date__lt=today)


def deadline_is_overdue(row: Deadline, today) -> bool:
    """``overdue_council_deadlines`` for one row already read."""
    if not row.is_open or row.paused or row.due_date >= today or row.kind not in COUNCIL_DEADLINES:
        return False
    return row.kind == DeadlineKind.OMBUDSMAN_ENQUIRY or (row.complaint_id is not None
                                                          and row.complaint.state in OPEN)


def with_overdue_flag(cases: QuerySet[Complaint], today) -> QuerySet[Complaint]:
    overdue = overdue_council_deadlines(OuterRef("council"), today).filter(complaint=OuterRef("pk"))
    return cases.annotate(is_overdue=Exists(overdue))


def get_case(request, reference: str) -> Complaint:
    if not REFERENCE.match(reference):
        raise Http404("No such complaint")
    try:
        return (visible_complaints(request)
                .select_related("council", "policy_version", "complainant", "assigned_officer")
                .get(reference=reference))
    except Complaint.DoesNotExist:
        raise Http404("No such complaint") from None


def case_for_output(case: Complaint) -> Complaint:
    """The case re-read with what the full representation needs, after a service changed it."""
    return (Complaint.objects.select_related("council", "policy_version", "complainant", "assigned_officer",
                                             "transferred_to__council")
            .prefetch_related("deadlines", "service_areas", "links_out__to_complaint", "links_in__from_complaint")
            .get(pk=case.pk))
