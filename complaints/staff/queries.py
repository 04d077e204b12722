"""The case list: queues, filters, search, ordering by the next open deadline, paging without COUNT(*).

Cases are listed earliest open deadline first (the council's own deadlines,
not the complainant's escalation window), then the cases with none running,
oldest first. ``case_list`` is that list as one queryset (it counts and
defines the order); ``page_of`` fetches one page of it in one SQL query that
does not grow with the council's open cases:

* the cases with a deadline running come from the deadlines themselves, in
  due-date order on the ``deadline_open_due`` index (council, due date, open
  only), keeping each case's earliest open deadline: the scan stops once the
  page is full;
* the cases with none running come in received order on the
  (council, received) index;
* each part is cut at the end of the page, the two are merged in SQL, and only
  the page's rows are joined to their complainant, officer and policy version;
* the policy snapshot itself (a large JSON document) is not fetched per row:
  it is read and parsed once per process per content hash.

Sorting every open case of the council by a computed next deadline instead
(what ``case_list`` describes) costs time in proportion to the council's open
cases on every page view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import DateField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL

from complaints.models import OPEN, Complaint, Deadline, StaffRole
from complaints.selectors import COUNCIL_DEADLINES
from complaints.staff.access import visibility
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


RUNNING = Q(met_at__isnull=True, cancelled_at__isnull=True, paused=False, kind__in=COUNCIL_DEADLINES)
ORDER = (F("next_due").asc(nulls_last=True), "received_at", "pk")


def _open_deadlines(case: str = "pk"):
    """The running council deadlines of the outer query's case (``case`` names it), earliest first."""
    return Deadline.objects.filter(RUNNING, complaint=OuterRef(case)).order_by("due_date", "pk")


@dataclass(frozen=True)
class CaseSearch:
    """Whose list, which queue, which filters, on which day."""

    member: object
    queue: str
    filters: dict
    today: dt.date

    def conditions(self, via: str = "") -> Q:
        """Every condition on the case itself, seen from a query that reaches it through ``via``."""
        member, filters = self.member, self.filters
        q = visibility(member, via)
        if self.queue == "mine":
            q &= Q(**{f"{via}assigned_officer": member.user_id})
        elif self.queue == "unassigned":
            q &= Q(**{f"{via}assigned_officer__isnull": True})
        q &= Q(**{f"{via}state": filters["state"]}) if filters.get("state") else Q(**{f"{via}state__in": OPEN})
        if filters.get("q"):
            text = filters["q"].strip()
            q &= Q(**{f"{via}reference__icontains": text}) | Q(**{f"{via}complainant__name__icontains": text})
        if filters.get("stage"):
            q &= Q(**{f"{via}stage": filters["stage"]})
        if filters.get("service_area"):
            q &= Q(**{f"{via}service_areas": filters["service_area"]})
        if filters.get("officer"):
            q &= Q(**{f"{via}assigned_officer": filters["officer"]})
        if filters.get("received_from"):
            q &= Q(**{f"{via}received_at__date__gte": filters["received_from"]})
        if filters.get("received_to"):
            q &= Q(**{f"{via}received_at__date__lte": filters["received_to"]})
        return q

    def due(self, field: str) -> Q | None:
        """The overdue and due-within filters on the next deadline's date; None if neither is set."""
        q = Q()
        if self.filters.get("overdue"):
            q &= Q(**{f"{field}__lt": self.today})
        if self.filters.get("due_within") is not None:
            horizon = _horizon(self.member, self.today, self.filters["due_within"])
            q &= Q(**{f"{field}__gte": self.today, f"{field}__lte": horizon})
        return q or None

    def queryset(self) -> QuerySet[Complaint]:
        cases = Complaint.objects.filter(self.conditions()).annotate(
            next_due=Subquery(_open_deadlines().values("due_date")[:1]))
        due = self.due("next_due")
        return (cases.filter(due) if due is not None else cases).order_by(*ORDER)

    def window_sql(self, start: int, count: int) -> RawSQL:
        """SQL for the ids of rows ``start`` to ``start + count`` of the list, in order (see the module notes)."""
        earlier = _open_deadlines("complaint").filter(
            Q(due_date__lt=OuterRef("due_date")) | Q(due_date=OuterRef("due_date"), pk__lt=OuterRef("pk")))
        first = (Deadline.objects.filter(RUNNING, self.conditions("complaint__"), council=self.member.council_id)
                 .filter(~Exists(earlier)))
        due = self.due("due_date")
        if due is not None:
            first = first.filter(due)
        parts = [first.order_by("due_date", "complaint__received_at", "complaint_id")
                 .values_list("complaint_id", "due_date", "complaint__received_at")[:start + count]]
        if due is None:  # a case with no deadline running has no next due date to be overdue or due soon
            idle = (Complaint.objects.filter(self.conditions()).filter(~Exists(_open_deadlines()))
                    .annotate(no_due=Value(None, output_field=DateField()))
                    .order_by("received_at", "pk").values_list("pk", "no_due", "received_at")[:start + count])
            parts.append(idle)
        sqls, params = [], []
        for part in parts:
            sql, part_params = part.query.sql_with_params()
            sqls.append(f"({sql})")
            params.extend(part_params)
        offset = " OFFSET %s" if start else ""
        return RawSQL(
            f'SELECT "id" FROM ({" UNION ALL ".join(sqls)}) AS "listed" ("id", "next_due", "received_at") '
            f'ORDER BY "next_due" ASC NULLS LAST, "received_at" ASC, "id" ASC LIMIT %s{offset}',
            (*params, count, *([start] if start else [])))


def case_list(member, *, queue: str, filters: dict, today: dt.date) -> QuerySet[Complaint]:
    """The member's visible cases in a queue, filtered, earliest open deadline first (none last).

    The definition of the list and its order (and its count); pages are fetched with ``page_of``.
    """
    return CaseSearch(member, queue, filters, today).queryset()


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


def page_of(search: CaseSearch, number: int, size: int | None = None) -> Page:
    """One page in one query: size + 1 rows are fetched to know whether there is a next page, so no COUNT(*)."""
    size = size or PAGE_SIZE
    today = search.today
    fetched = list(
        Complaint.objects.filter(pk__in=search.window_sql((number - 1) * size, size + 1))
        .annotate(next_due=Subquery(_open_deadlines().values("due_date")[:1]),
                  next_kind=Subquery(_open_deadlines().values("kind")[:1]))
        .select_related("complainant", "assigned_officer", "policy_version")
        .defer("policy_version__content")
        .order_by(*ORDER))
    rows = []
    for case in fetched[:size]:
        policy = case.policy_version.policy  # content deferred: read once per process (policies.snapshots)
        stage = policy.stage(case.stage) if case.stage else None
        status = due_status(policy, case.next_due, today) if case.next_due else None
        kind = Deadline(kind=case.next_kind).get_kind_display() if case.next_kind else ""
        rows.append(Row(case, stage.name if stage else "", case.next_due, kind, status))
    return Page(rows=rows, number=number, has_previous=number > 1, has_next=len(fetched) > size)
