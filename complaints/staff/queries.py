"""The case list: queues, filters, search, ordering by the next open deadline, paging without COUNT(*)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from complaints.models import OPEN, Complaint, Deadline, StaffRole
from complaints.selectors import COUNCIL_DEADLINES
from complaints.staff.access import visible_complaints
from complaints.staff.status import DeadlineStatus, due_status
from deadlines.engine import working_days_later
from policies.selectors import NoPolicyInForce, policy_version_in_force

PAGE_SIZE = 25
QUEUES = {"mine": "My cases", "team": "Team queue", "unassigned": "Unassigned"}


def queues_for(member) -> dict[str, str]:
    if member.role == StaffRole.INVESTIGATING_OFFICER:
        return {"mine": QUEUES["mine"]}
    return QUEUES


def default_queue(member) -> str:
    return "mine" if member.role == StaffRole.INVESTIGATING_OFFICER else "team"


def _open_deadlines():
    return (Deadline.objects.filter(complaint=OuterRef("pk"), met_at__isnull=True, cancelled_at__isnull=True,
                                    paused=False, kind__in=COUNCIL_DEADLINES)
            .order_by("due_date", "pk"))


def case_list(member, *, queue: str, filters: dict, today: dt.date) -> QuerySet[Complaint]:
    """The member's visible cases in a queue, filtered, earliest open deadline first (none last)."""
    cases = visible_complaints(member).annotate(
        next_due=Subquery(_open_deadlines().values("due_date")[:1]),
        next_kind=Subquery(_open_deadlines().values("kind")[:1]),
    )
    if queue == "mine":
        cases = cases.filter(assigned_officer=member.user_id)
    elif queue == "unassigned":
        cases = cases.filter(assigned_officer__isnull=True)
    cases = cases.filter(state=filters["state"]) if filters.get("state") else cases.filter(state__in=OPEN)
    if filters.get("q"):
        text = filters["q"].strip()
        cases = cases.filter(Q(reference__icontains=text) | Q(complainant__name__icontains=text))
    if filters.get("stage"):
        cases = cases.filter(stage=filters["stage"])
    if filters.get("service_area"):
        cases = cases.filter(service_areas=filters["service_area"])
    if filters.get("officer"):
        cases = cases.filter(assigned_officer=filters["officer"])
    if filters.get("received_from"):
        cases = cases.filter(received_at__date__gte=filters["received_from"])
    if filters.get("received_to"):
        cases = cases.filter(received_at__date__lte=filters["received_to"])
    if filters.get("overdue"):
        cases = cases.filter(next_due__lt=today)
    if filters.get("due_within") is not None:
        cases = cases.filter(next_due__gte=today, next_due__lte=_horizon(member, today, filters["due_within"]))
    return (cases.select_related("complainant", "assigned_officer", "policy_version")
            .order_by(F("next_due").asc(nulls_last=True), "received_at", "pk"))


def _horizon(member, today: dt.date, days: int) -> dt.date:
    """``days`` working days from today on the council's calendar (its policy in force today)."""
    try:
        policy = policy_version_in_force(council=member.council, on=today).policy
    except NoPolicyInForce:
        return today + dt.timedelta(days=days)
    return working_days_later(policy, today, days)


@dataclass(frozen=True)
class Row:
    case: Complaint
    stage_name: str
    next_due: dt.date | None
    next_kind: str
    status: DeadlineStatus | None


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    number: int
    has_previous: bool
    has_next: bool


def page_of(cases: QuerySet[Complaint], number: int, today: dt.date, size: int | None = None) -> Page:
    """One page: size + 1 rows are fetched to know whether there is a next page, so no COUNT(*) runs."""
    size = size or PAGE_SIZE
    start = (number - 1) * size
    fetched = list(cases[start:start + size + 1])
    policies: dict[int, object] = {}
    rows = []
    for case in fetched[:size]:
        policy = policies.setdefault(case.policy_version_id, case.policy_version.policy)
        stage = policy.stage(case.stage) if case.stage else None
        status = due_status(policy, case.next_due, today) if case.next_due else None
        kind = Deadline(kind=case.next_kind).get_kind_display() if case.next_kind else ""
        rows.append(Row(case, stage.name if stage else "", case.next_due, kind, status))
    return Page(rows=rows, number=number, has_previous=number > 1, has_next=len(fetched) > size)
