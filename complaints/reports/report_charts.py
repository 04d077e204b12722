"""The report's charts: timeliness and outcomes by stage, drawn from the figures of the tables they precede."""

from __future__ import annotations

from complaints.models import Outcome
from complaints.reports.charts import Chart, bar_chart
from complaints.reports.selectors import Report, StageFigures
from complaints.reports.tables import Table


def _stages(report: Report) -> list[StageFigures]:
    return [report.totals.stages.get(key) or StageFigures(key, report.names.get(key, key))
            for key in report.stage_keys]


def report_charts(report: Report) -> dict[str, Chart]:
    """Charts by the key of the table that gives their figures (``report_tables.timeliness``, ``outcomes``)."""
    stages = _stages(report)
    timeliness = bar_chart(
        "report-timeliness", "Stage responses within timescale", [stage.name for stage in stages],
        [("Policy timescale", [stage.policy_percent for stage in stages]),
         ("The code's timescale", [stage.code_percent for stage in stages])], percent=True,
        summary="Stages with no responses, or not in the code, have no bar.")
    answered = [stage for stage in stages if stage.outcomes]
    outcomes = bar_chart(
        "report-outcomes", "Outcomes of responses by stage", [stage.name for stage in answered],
        [(label, [stage.outcomes.get(value, 0) for stage in answered]) for value, label in Outcome.choices],
        stacked=True)
    return {"timeliness": timeliness, "outcomes": outcomes}


def with_charts(sections: list[tuple[str, list[Table]]], charts: dict[str, Chart]) -> list[tuple[str, list]]:
    """Sections as (heading, [(table, chart or None), ...]) for the template."""
    return [(heading, [(table, charts.get(table.key)) for table in tables]) for heading, tables in sections]
