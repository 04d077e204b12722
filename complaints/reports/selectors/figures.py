"""The figures of a period (a year, a quarter, a month) for one council, whole or per service area.

Each figure is a SQL aggregate (``Count``/``Sum`` with conditional filters), one query per
kind of record; Python only files the returned rows (a handful per stage, outcome, month or
service area) into ``Figures``. Working days are counted in SQL too (``workdays.py``); an
average is the SQL sum divided by the SQL count, so figures for several groups add up exactly. Periods are London dates; a record belongs to the period its
event falls in: a complaint by receipt, a stage by its start or its response, an outcome by
its response, an action by its completion, feedback by receipt. Ombudsman referrals are the
complaints now with the Ombudsman, counted by receipt (the referral date is not stored).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q

from complaints.models import Action, Complaint, Feedback, State
from complaints.reports.periods import Period
from complaints.reports.selectors import timeliness
from complaints.reports.selectors.common import AREA, CODE_RESPOND_DAYS, grouped, instant, mean, percent, scoped, within
from complaints.reports.selectors.timeliness import grouping
from policies.models import Council

ZERO = Decimal("0.00")


@dataclass
class StageFigures:
    key: str
    name: str
    started: int = 0
    answered: int = 0  # respond deadlines met in the period
    on_time: int = 0  # ... on or before their due date
    extended: int = 0  # ... after at least one extension
    extensions_used: int = 0
    stage_answered: int = 0  # stage responses in the period (the code's and the average's denominator)
    code_on_time: int = 0
    acknowledged: int = 0
    code_acknowledged: int = 0
    days_total: int = 0
    escalated: int = 0
    outcomes: Counter = field(default_factory=Counter)  # outcome -> responses at this stage

    @property
    def in_code(self) -> bool:
        return self.key in CODE_RESPOND_DAYS

    @property
    def policy_percent(self) -> float | None:
        return percent(self.on_time, self.answered)

    @property
    def code_percent(self) -> float | None:
        return percent(self.code_on_time, self.stage_answered) if self.in_code else None

    @property
    def code_acknowledged_percent(self) -> float | None:
        return percent(self.code_acknowledged, self.stage_answered) if self.in_code else None

    @property
    def days_average(self) -> float | None:
        return mean(self.days_total, self.stage_answered)

    @property
    def escalation_percent(self) -> float | None:
        return percent(self.escalated, self.stage_answered) if self.key in timeliness.NEXT_STAGE else None


@dataclass
class Figures:
    """Everything counted for one council (or one of its service areas) over one period."""

    received: int = 0
    refused: int = 0
    service_requests: int = 0
    withdrawn: int = 0
    ombudsman: int = 0
    stages: dict[str, StageFigures] = field(default_factory=dict)
    outcomes: Counter = field(default_factory=Counter)  # outcome -> responses
    apology: int = 0
    explanation: int = 0
    action: int = 0
    compensated: int = 0
    compensation: Decimal = ZERO
    offset: Decimal = ZERO
    learning: int = 0
    completed_actions: int = 0
    open_actions: int = 0
    feedback: Counter = field(default_factory=Counter)  # kind -> count

    @property
    def compensation_paid(self) -> Decimal:
        return self.compensation - self.offset

    @property
    def responses(self) -> int:
        return sum(self.outcomes.values())

    def stage(self, key: str, names: dict[str, str]) -> StageFigures:
        if key not in self.stages:
            self.stages[key] = StageFigures(key, names.get(key, key))
        return self.stages[key]


def _add(target, values: dict, names: list[str]) -> None:
    for name in names:
        setattr(target, name, getattr(target, name) + (values[name] or 0))


def complaints_received(*, council: Council | None, period: Period, group: str | None = None) -> list[dict]:
    extra, names = grouping(group, "received_at", "service_areas")
    received = Complaint.objects.filter(scoped("council", council), within("received_at", period)).annotate(**extra)
    return grouped(received, names, received=Count("pk"), refused=Count("pk", filter=Q(state=State.REFUSED)),
                   service_requests=Count("pk", filter=Q(state=State.SERVICE_REQUEST)),
                   withdrawn=Count("pk", filter=Q(state=State.WITHDRAWN)),
                   ombudsman=Count("pk", filter=Q(state=State.OMBUDSMAN)))


def actions_completed(*, council: Council | None, period: Period, group: str | None = None) -> list[dict]:
    extra, names = grouping(group, "completed_at", "outcome__complaint__service_areas")
    done = Action.objects.filter(scoped("outcome__complaint__council", council), within("completed_at", period))
    return grouped(done.annotate(**extra), names, completed_actions=Count("pk"))


def open_actions_q(period: Period) -> Q:
    """Actions promised in responses before the period ended and not completed by then."""
    end = instant(period.end)
    return Q(outcome__responded_at__lt=end) & (Q(completed_at__isnull=True) | Q(completed_at__gte=end))


def actions_open(*, council: Council | None, period: Period, group: str | None = None) -> list[dict]:
    extra, names = grouping(group, "outcome__responded_at", "outcome__complaint__service_areas")
    still_open = Action.objects.filter(scoped("outcome__complaint__council", council), open_actions_q(period))
    return grouped(still_open.annotate(**extra), names, open_actions=Count("pk"))


def feedback_counts(*, council: Council | None, period: Period, group: str | None = None) -> list[dict]:
    extra = {"area": F("service_area_id")} if group == AREA else grouping(group, "received_at", "")[0]
    received = Feedback.objects.filter(scoped("council", council), within("received_at", period)).annotate(**extra)
    return grouped(received, ["kind", *extra], count=Count("pk"))


def period_figures(*, council: Council | None, period: Period, names: dict[str, str],
                   group: str | None = None) -> dict[object, Figures]:
    """Figures keyed by group (``None`` for the whole period, a month, or a service area id)."""
    found: dict[object, Figures] = {}

    def figures(values: dict) -> Figures:
        key = values.get(group) if group else None
        return found.setdefault(key, Figures())

    args = {"council": council, "period": period, "group": group}
    for values in complaints_received(**args):
        _add(figures(values), values, ["received", "refused", "service_requests", "withdrawn", "ombudsman"])
    for values in timeliness.stages_started(**args):
        _add(figures(values).stage(values["stage"], names), values, ["started"])
    for values in timeliness.respond_deadlines(**args):
        _add(figures(values).stage(values["stage"], names), values,
             ["answered", "on_time", "extended", "extensions_used"])
    for values in timeliness.answered_stages(**args):
        stage = figures(values).stage(values["stage"], names)
        stage.stage_answered += values["answered"]
        _add(stage, values, ["code_on_time", "acknowledged", "code_acknowledged", "days_total", "escalated"])
    for values in timeliness.outcomes(**args):
        target = figures(values)
        target.outcomes[values["outcome"]] += values["responses"]
        target.stage(values["stage"], names).outcomes[values["outcome"]] += values["responses"]
        _add(target, values, ["apology", "explanation", "action", "compensated", "learning"])
        target.compensation += values["compensation"] or ZERO
        target.offset += values["offset"] or ZERO
    for values in actions_completed(**args):
        _add(figures(values), values, ["completed_actions"])
    if group != "month":
        for values in actions_open(**args):
            _add(figures(values), values, ["open_actions"])
    for values in feedback_counts(**args):
        figures(values).feedback[values["kind"]] += values["count"]
    return found
