"""The managers' overdue dashboard: open cases overdue now, and due in the next N working days.

Definitions (the case list's ``overdue=1`` and ``due_within=N`` filters count the same way):

* an *open case* is in one of the ``OPEN`` states (new, being worked, answered and waiting
  for a possible escalation, or on hold);
* a case is *overdue* when one of its council deadlines (every kind but the complainant's
  escalation window) is still running (not met, cancelled or paused by a hold) and its due
  date is before today;
* a case is *due soon* when it is not overdue and its next running council deadline falls due
  between today and the N-th working day after today, inclusive (the case list's
  ``due_within=N``: the earliest open deadline is in that window);
* *working days overdue* are counted from the case's earliest overdue deadline to today,
  ``working_days_between(due, today)`` on the calendar of the policy version the case was
  received under: due yesterday (a working day) is 1.

Every figure comes from two aggregate queries per breakdown (stage, service area, officer):
overdue and due soon, each an index range scan of the running deadlines (``deadline_open_due``);
the working days are counted in SQL (``complaints.reports.workdays``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum

from complaints.models import OPEN, Deadline
from complaints.reports.selectors.common import open_deadline_q, stage_names, stage_sort_key
from complaints.reports.workdays import Calendars, date_value
from deadlines.engine import policy_calendar
from policies.models import Council
from policies.selectors import NoPolicyInForce, policy_version_in_force

DEFAULT_WITHIN = 2
MAX_WITHIN = 60


@dataclass
class OverdueRow:
    key: object  # stage key, service area id, officer id or council slug; None for "none"
    label: str
    filters: dict | None  # the case list's query parameters for this row; None: no filter expresses it
    overdue: int = 0
    due_soon: int = 0
    days_total: int = 0
    days_max: int | None = None

    @property
    def days_average(self) -> float | None:
        return round(self.days_total / self.overdue, 1) if self.overdue else None


@dataclass
class Dashboard:
    council: Council | None
    today: dt.date
    within: int
    window_end: dt.date
    total: OverdueRow
    by_stage: list[OverdueRow] = field(default_factory=list)
    by_area: list[OverdueRow] = field(default_factory=list)
    by_officer: list[OverdueRow] = field(default_factory=list)
    by_council: list[OverdueRow] = field(default_factory=list)


def due_window_end(council: Council, today: dt.date, within: int) -> dt.date:
    """The N-th working day after today on the calendar of the council's policy in force today."""
    try:
        policy = policy_version_in_force(council=council, on=today).policy
    except NoPolicyInForce:
        return today
    return policy_calendar(policy).add_working_days(today, within)


@dataclass(frozen=True)
class _Scope:
    councils: dict  # council -> last day of the due-soon window
    today: dt.date
    calendars: Calendars

    def running(self):
        # The case's council repeats the deadline's, so the planner can read open cases from the
        # (council, state) index instead of scanning every case.
        councils = list(self.councils)
        return Deadline.objects.filter(open_deadline_q(), council__in=councils, complaint__council__in=councils,
                                       complaint__state__in=OPEN)

    def first_overdue(self):
        """Each overdue open case's earliest overdue running deadline, with its working days overdue.

        An anti-join keeps one row per case (no running overdue deadline of the same case falls
        due before it; ties broken by id), so the aggregates need no per-case subquery.
        """
        earlier = Deadline.objects.filter(open_deadline_q(), complaint=OuterRef("complaint_id"),
                                          due_date__lt=self.today).filter(
            Q(due_date__lt=OuterRef("due_date")) | Q(due_date=OuterRef("due_date"), pk__lt=OuterRef("pk")))
        late = self.calendars.between(F("due_date"), date_value(self.today), "complaint__policy_version")
        return (self.running().filter(due_date__lt=self.today)
                .filter(~Exists(earlier)).annotate(late_days=late))

    def due_soon(self):
        """Running deadlines in the window of cases with none overdue (their next deadline is in it)."""
        window = Q()
        for council, end in self.councils.items():
            window |= Q(council=council, due_date__gte=self.today, due_date__lte=end)
        overdue = Deadline.objects.filter(open_deadline_q(), complaint=OuterRef("complaint_id"),
                                          due_date__lt=self.today)
        return self.running().filter(window).filter(~Exists(overdue))


def _breakdown(scope: _Scope, fields: list[str]) -> dict[tuple, dict]:
    """Two aggregate queries (overdue, due soon) per breakdown, merged by group."""
    found: dict[tuple, dict] = {}
    for values in (scope.first_overdue().values(*fields).order_by()
                   .annotate(overdue=Count("pk"), days_total=Sum("late_days"), days_max=Max("late_days"))):
        found[tuple(values[f] for f in fields)] = {**values, "due_soon": 0}
    for values in scope.due_soon().values(*fields).order_by().annotate(due_soon=Count("complaint_id", distinct=True)):
        key = tuple(values[f] for f in fields)
        found.setdefault(key, {**values, "overdue": 0, "days_total": 0, "days_max": None})["due_soon"] = \
            values["due_soon"]
    return found


def _collect(groups, describe) -> list[OverdueRow]:
    """Add up grouped rows into one ``OverdueRow`` per ``describe(values) -> (key, label, filters)``.

    Each case is in exactly one group of a breakdown, so counts and day totals add up exactly.
    """
    rows: dict[object, OverdueRow] = {}
    for values in groups:
        key, label, filters = describe(values)
        row = rows.setdefault(key, OverdueRow(key, label, filters))
        row.overdue += values["overdue"]
        row.due_soon += values["due_soon"]
        row.days_total += values["days_total"] or 0
        if values["days_max"] is not None:
            row.days_max = max(row.days_max or 0, values["days_max"])
    return list(rows.values())


def _total(groups) -> OverdueRow:
    return (_collect(groups, lambda v: (None, "All open cases", {})) or [OverdueRow(None, "All open cases", {})])[0]


def _clamp(within: int) -> int:
    return max(0, min(int(within), MAX_WITHIN))


STAGE, AREA_ID, AREA_NAME, OFFICER = ("complaint__stage", "complaint__service_areas__id",
                                      "complaint__service_areas__name", "complaint__assigned_officer")
OFFICER_NAMES = [f"{OFFICER}__first_name", f"{OFFICER}__last_name", f"{OFFICER}__username"]


def _officer(values: dict) -> tuple:
    key = values[OFFICER]
    if key is None:
        return None, "Not assigned", None  # the case list has no "unassigned" filter
    first, last, username = (values[name] for name in OFFICER_NAMES)
    return key, f"{first} {last}".strip() or username, {"officer": key}


def overdue_dashboard(*, council: Council, today: dt.date, within: int = DEFAULT_WITHIN) -> Dashboard:
    """One council's overdue and due-soon open cases by stage, service area and officer."""
    within = _clamp(within)
    end = due_window_end(council, today, within)
    scope = _Scope({council: end}, today, Calendars.for_council(council))
    names = stage_names(council)
    # Stage and officer from one breakdown (each case has one of each); service areas from another.
    by_stage_officer = list(_breakdown(scope, [STAGE, OFFICER, *OFFICER_NAMES]).values())
    by_stage = _collect(by_stage_officer, lambda v: (v[STAGE], names.get(v[STAGE], v[STAGE]),
                                                     {"stage": v[STAGE]} if v[STAGE] else {"state": "new"}))
    by_stage.sort(key=lambda row: stage_sort_key(row.key))
    by_officer = _collect(by_stage_officer, _officer)
    by_officer.sort(key=lambda row: (row.key is None, -row.overdue, row.label))
    by_area = _collect(_breakdown(scope, [AREA_ID, AREA_NAME]).values(),
                       lambda v: (v[AREA_ID], v[AREA_NAME], {"service_area": v[AREA_ID]}) if v[AREA_ID]
                       else (None, "No service area", None))
    by_area.sort(key=lambda row: (row.key is None, row.label))
    return Dashboard(council, today, within, end, _total(by_stage_officer), by_stage, by_area, by_officer)


def deployment_dashboard(*, today: dt.date, within: int = DEFAULT_WITHIN) -> Dashboard:
    """A system administrator's view: every council's overdue and due-soon open cases."""
    within = _clamp(within)
    councils = {council: due_window_end(council, today, within) for council in Council.objects.order_by("name")}
    found = {}
    if councils:
        scope = _Scope(councils, today, Calendars.for_council(None))
        found = {key: values for (key,), values in _breakdown(scope, ["council__slug"]).items()}
    empty = {"overdue": 0, "due_soon": 0, "days_total": 0, "days_max": None}
    groups = [{**found.get(council.slug, empty), "council": council} for council in councils]
    by_council = _collect(groups, lambda v: (v["council"].slug, v["council"].name, {"council": v["council"].slug}))
    end = max(councils.values(), default=today)
    return Dashboard(None, today, within, end, _total(groups), by_council=by_council)
