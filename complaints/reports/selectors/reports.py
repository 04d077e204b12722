"""The three report reads: twelve-month trends, the annual report and the quarterly service report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from complaints.models import ServiceArea
from complaints.reports.periods import Period, last_twelve_months, quarter_period, year_period
from complaints.reports.selectors import lists
from complaints.reports.selectors.common import AREA, policy_stage_keys, stage_names, stage_sort_key
from complaints.reports.selectors.figures import Figures, period_figures
from policies.models import Council


@dataclass
class Trends:
    council: Council | None
    today: dt.date
    months: list[Period]
    names: dict[str, str]
    by_month: list[Figures]  # one per month, oldest first
    stage_keys: list[str]  # the council's stages, in order


def trends(*, council: Council | None, today: dt.date) -> Trends:
    """The last twelve months (the current month to date and the eleven before), month by month."""
    months = last_twelve_months(today)
    span = Period(months[0].start, months[-1].end, f"{months[0].label} to {months[-1].label}")
    names = stage_names(council)
    found = period_figures(council=council, period=span, names=names, group="month")
    by_start = {key.date() if isinstance(key, dt.datetime) else key: figures for key, figures in found.items()}
    by_month = [by_start.get(month.start, Figures()) for month in months]
    keys = policy_stage_keys(council) | {key for figures in by_month for key in figures.stages}
    return Trends(council, today, months, names, by_month, sorted(keys, key=stage_sort_key))


@dataclass
class AreaFigures:
    area_id: int | None
    name: str
    figures: Figures


@dataclass
class Report:
    council: Council
    year: int
    quarter: int | None
    period: Period
    names: dict[str, str]
    totals: Figures
    refusal_reasons: list[dict]
    learning_points: list[dict]
    completed_actions: list[dict]
    feedback: list[dict]
    assessment: list[lists.VersionDepartures]
    areas: list[AreaFigures] = field(default_factory=list)
    open_actions: list[dict] = field(default_factory=list)

    @property
    def stage_keys(self) -> list[str]:
        """The stages of the policy versions in force, in order, and any other stage with figures."""
        keys = {stage.key for entry in self.assessment for stage in entry.version.policy.stages}
        return sorted(keys | set(self.totals.stages), key=stage_sort_key)


def _report(council: Council, year: int, quarter: int | None, period: Period) -> Report:
    names = stage_names(council)
    totals = period_figures(council=council, period=period, names=names).get(None, Figures())
    return Report(
        council=council, year=year, quarter=quarter, period=period, names=names, totals=totals,
        refusal_reasons=lists.refusal_reasons(council=council, period=period),
        learning_points=lists.learning_points(council=council, period=period),
        completed_actions=lists.completed_actions(council=council, period=period),
        feedback=lists.feedback_items(council=council, period=period),
        assessment=lists.self_assessment(council=council, period=period),
    )


def annual_report(*, council: Council, year: int) -> Report:
    """The annual complaints performance and service improvement report of one council."""
    return _report(council, year, None, year_period(year))


def quarterly_report(*, council: Council, year: int, quarter: int) -> Report:
    """The quarterly service report: the annual report's figures for the quarter, per service area."""
    period = quarter_period(year, quarter)
    report = _report(council, year, quarter, period)
    by_area = period_figures(council=council, period=period, names=report.names, group=AREA)
    areas = [AreaFigures(pk, name, by_area.get(pk, Figures()))
             for pk, name in ServiceArea.objects.filter(council=council).order_by("name").values_list("pk", "name")]
    if None in by_area:
        areas.append(AreaFigures(None, "No service area", by_area[None]))
    report.areas = areas
    report.open_actions = lists.open_actions(council=council, period=period)
    return report
