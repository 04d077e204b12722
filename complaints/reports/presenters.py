"""Dashboard and trends: selector results turned into tables and charts."""

from __future__ import annotations

import datetime as dt

from complaints.models import Outcome
from complaints.reports.charts import Chart, bar_chart
from complaints.reports.selectors import Dashboard, OverdueRow, StageFigures, Trends
from complaints.reports.selectors.common import CODE_RESPOND_DAYS, percent
from complaints.reports.tables import Cell, Column, Table, case_list_url


def _overdue_columns(first: str, within: int) -> list[Column]:
    days = "working day" if within == 1 else "working days"
    return [Column(first), Column("Overdue", "count"), Column(f"Due in the next {within} {days}", "count"),
            Column("Average working days overdue", "days"), Column("Most working days overdue", "count")]


def _overdue_row(table: Table, row: OverdueRow, within: int, scope: dict, label: Cell | None = None) -> None:
    """A row of counts, each linked to the case list filtered the same way (when a filter can say it)."""
    link = row.filters is not None
    filters = {**scope, **(row.filters or {})}
    table.add(label or Cell(row.label),
              Cell(row.overdue, case_list_url(filters, overdue=1) if link else ""),
              Cell(row.due_soon, case_list_url(filters, due_within=within) if link else ""),
              row.days_average, row.days_max)


def dashboard_tables(board: Dashboard, scope: dict) -> list[Table]:
    """Overdue and due-soon counts by stage, service area and officer (or by council, deployment-wide)."""
    within = board.within
    if board.council is None:
        table = Table("Open cases overdue and due soon, by council", _overdue_columns("Council", within),
                      sheet="Overdue by council")
        for row in board.by_council:
            _overdue_row(table, row, within, {}, Cell(row.label, f"/dashboard/?council={row.key}"))
        _overdue_row(table, board.total, within, {})
        return [table]
    tables = []
    for caption, first, rows in (("By stage", "Stage", board.by_stage), ("By service area", "Service area",
                                 board.by_area), ("By officer", "Officer", board.by_officer)):
        table = Table(f"Open cases overdue and due soon: {caption.lower()}", _overdue_columns(first, within),
                      key=f"overdue-{first.lower().replace(' ', '-')}", sheet=f"Overdue {caption.lower()}")
        for row in rows:
            _overdue_row(table, row, within, scope)
        _overdue_row(table, board.total, within, scope)
        tables.append(table)
    tables[1].note = ("A case with several service areas is counted under each of them; the total counts it once. "
                      "Cases with no service area are not linked: the case list cannot filter for them.")
    tables[2].note = "Cases assigned to nobody are not linked: the case list cannot filter for them."
    return tables


def _month_range(month) -> dict:
    return {"received_from": month.start.isoformat(), "received_to": month.last_day.isoformat()}


def trend_tables(trends: Trends, scope: dict) -> tuple[list[Table], list[Chart]]:
    """The twelve months as tables, and the charts drawn from them."""
    months, figures = trends.months, trends.by_month
    labels = [month.label for month in months]
    keys = trends.stage_keys
    names = trends.names
    received = Table("Complaints received by month and stage",
                     [Column("Month"), Column("Complaints received", "count")]
                     + [Column(f"Started: {names.get(k, k)}", "count") for k in keys], key="received",
                     sheet="Received by month",
                     note="Started: complaints starting the stage (received, or escalated to it) in the month.")
    for month, f in zip(months, figures):
        received.add(month.label, f.received,
                     *[f.stages[k].started if k in f.stages else 0 for k in keys])
    charts = [bar_chart("received", "Stages started by month", labels,
                        [(names.get(k, k), [f.stages[k].started if k in f.stages else 0 for f in figures])
                         for k in keys], stacked=True)]

    tables = [received]
    for key in keys:
        code = key in CODE_RESPOND_DAYS
        name = names.get(key, key)
        columns = [Column("Month"), Column("Answered", "count"), Column("Within policy timescale", "count"),
                   Column("Within policy timescale (%)", "percent")]
        if code:
            columns += [Column("Within the code's timescale", "count"),
                        Column("Within the code's timescale (%)", "percent")]
        columns += [Column("Average working days to respond", "days"), Column("Answered after an extension", "count")]
        table = Table(f"{name}: answered within timescale", columns, key=f"timeliness-{key}",
                      sheet=f"{name} timeliness")
        policy_series, code_series = [], []
        for month, f in zip(months, figures):
            stage = f.stages.get(key) or StageFigures(key, name)
            cells = [month.label, stage.answered, stage.on_time, stage.policy_percent]
            if code:
                cells += [stage.code_on_time, stage.code_percent]
            cells += [stage.days_average, stage.extended]
            table.add(*cells)
            policy_series.append(stage.policy_percent)
            code_series.append(stage.code_percent)
        tables.append(table)
        if code:
            days = CODE_RESPOND_DAYS[key]
            charts.append(bar_chart(f"timeliness-{key}", f"{name} answered within timescale", labels,
                                    [("Policy timescale", policy_series),
                                     (f"Code: {days} working days of acknowledgement", code_series)], percent=True,
                                    summary="Months with no answers have no bars."))

    outcomes = Table("Outcomes of responses by month", [Column("Month")]
                     + [Column(label, "count") for _, label in Outcome.choices], key="outcomes")
    for month, f in zip(months, figures):
        outcomes.add(month.label, *[f.outcomes.get(value, 0) for value, _ in Outcome.choices])
    tables.append(outcomes)
    charts.append(bar_chart("outcomes", "Outcomes of responses by month", labels,
                            [(label, [f.outcomes.get(value, 0) for f in figures]) for value, label in Outcome.choices],
                            stacked=True))

    escalation = Table("Escalation, extensions and Ombudsman referrals by month",
                       [Column("Month"), Column("Stage 1 answered", "count"), Column("Escalated to Stage 2", "count"),
                        Column("Escalation rate (%)", "percent"), Column("Extensions used", "count"),
                        Column("Ombudsman referrals", "count")], key="escalation", sheet="Escalations and referrals",
                       note="Escalation is counted for the month the Stage 1 answer was sent; Ombudsman referrals "
                            "for the month the complaint was received.")
    for month, f in zip(months, figures):
        stage1 = f.stages.get("stage1")
        answered, escalated = (stage1.stage_answered, stage1.escalated) if stage1 else (0, 0)
        extensions = sum(stage.extensions_used for stage in f.stages.values())
        escalation.add(month.label, answered, escalated, percent(escalated, answered), extensions,
                       Cell(f.ombudsman, case_list_url({**scope, "state": "ombudsman", **_month_range(month)})))
    tables.append(escalation)
    return tables, charts


def as_of(today: dt.date) -> str:
    return f"{today.day} {today:%B %Y}"
