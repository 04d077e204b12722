"""The annual report and the quarterly service report, as tables."""

from __future__ import annotations

from complaints.models import FeedbackKind, Outcome
from complaints.reports.selectors import Figures, Report, StageFigures
from complaints.reports.selectors.common import CODE_ACKNOWLEDGE_DAYS, CODE_RESPOND_DAYS, percent
from complaints.reports.tables import Cell, Column, Table, case_list_url
from deadlines.calendar import london_date

ON_PAGE = 100  # longest list printed on the page; the CSV has every line


def _received(report: Report, **filters) -> dict:
    period = report.period
    return {**filters, "received_from": period.start.isoformat(), "received_to": period.last_day.isoformat()}


def volumes(report: Report, scope: dict) -> list[Table]:
    f = report.totals
    summary = Table("Complaints received", [Column("Measure"), Column("Number", "count")], key="received",
                    note="Complaints received in the period, and of those the ones refused, treated as service "
                         "requests, withdrawn, or now with the Ombudsman.")
    summary.add("Complaints received", f.received)  # any state: the case list shows open cases only
    outcomes_of_receipt = (
        ("Refused (outside the procedure)", "refused", f.refused),
        ("Treated as service requests", "service_request", f.service_requests),
        ("Withdrawn", "withdrawn", f.withdrawn),
        ("Referred to the Ombudsman", "ombudsman", f.ombudsman),
    )
    for label, state, value in outcomes_of_receipt:
        summary.add(label, Cell(value, case_list_url(_received(report, **scope, state=state))))
    stages = Table("Volumes by stage", [Column("Stage"), Column("Started", "count"), Column("Answered", "count")],
                   key="volumes", note="Started: complaints received at the stage, or escalations asked for, in the "
                                       "period. Answered: stage responses sent in the period.")
    for key in report.stage_keys:
        stage = f.stages.get(key) or StageFigures(key, report.names.get(key, key))
        stages.add(stage.name, stage.started, stage.answered)
    return [summary, stages]


def timeliness(report: Report) -> Table:
    table = Table("Timeliness by stage", [
        Column("Stage"), Column("Answered", "count"), Column("Within policy timescale", "count"),
        Column("Within policy timescale (%)", "percent"), Column("Within the code's timescale", "count"),
        Column("Within the code's timescale (%)", "percent"), Column("Average working days to respond", "days"),
        Column("Answered after an extension", "count"), Column("Extensions used", "count")], key="timeliness",
        note="Policy timescale: the response deadline (after any extension) was met. Code: Stage 1 within "
             f"{CODE_RESPOND_DAYS['stage1']} and Stage 2 within {CODE_RESPOND_DAYS['stage2']} working days of "
             "acknowledgement. Average working days: from the start of the stage to the response.")
    for key in report.stage_keys:
        s = report.totals.stages.get(key) or StageFigures(key, report.names.get(key, key))
        table.add(s.name, s.answered, s.on_time, s.policy_percent, s.code_on_time if s.in_code else None,
                  s.code_percent, s.days_average, s.extended, s.extensions_used)
    return table


def outcomes(report: Report) -> list[Table]:
    f = report.totals
    table = Table("Outcomes by stage", [Column("Stage")] + [Column(label, "count") for _, label in Outcome.choices]
                  + [Column("Responses", "count")], key="outcomes")
    for key in report.stage_keys:
        counts = f.stages[key].outcomes if key in f.stages else {}
        if key == "informal" and not counts:
            continue  # informal complaints are resolved, not answered with an outcome
        table.add(report.names.get(key, key), *[counts.get(value, 0) for value, _ in Outcome.choices],
                  sum(counts.values()))
    table.add("All stages", *[f.outcomes.get(value, 0) for value, _ in Outcome.choices], f.responses)
    remedies = Table("Remedies and compensation", [Column("Remedy"), Column("Responses", "count"),
                                                   Column("Amount", "money")], key="remedies",
                     note="Compensation paid is the compensation awarded less any amount offset against arrears.")
    remedies.add("Apology", f.apology, None)
    remedies.add("Explanation", f.explanation, None)
    remedies.add("Action to put things right", f.action, None)
    remedies.add("Compensation awarded", f.compensated, f.compensation)
    remedies.add("Offset against arrears", None, f.offset)
    remedies.add("Compensation paid", None, f.compensation_paid)
    return [table, remedies]


def refusals(report: Report) -> Table:
    table = Table("Refused complaints by reason", [Column("Reason"), Column("Complaints", "count")], key="refused")
    for row in report.refusal_reasons:
        table.add(row["refusal_reason"] or "(no reason recorded)", row["count"])
    return table


def learning(report: Report, limit: int | None = ON_PAGE) -> list[Table]:
    points = Table("Learning recorded in responses", [Column("Learning"), Column("Responses", "count")],
                   key="learning")
    for row in report.learning_points[:limit]:
        points.add(row["learning_points"], row["count"])
    done = Table("Service improvements completed", [Column("Action"), Column("Completed", "count")],
                 key="improvements")
    for row in report.completed_actions[:limit]:
        done.add(row["description"], row["count"])
    for table, rows in ((points, report.learning_points), (done, report.completed_actions)):
        if limit is not None and len(rows) > limit:
            table.note = f"The {limit} most frequent of {len(rows):,}; the CSV export lists them all."
    return [points, done]


def assessment(report: Report) -> list[Table]:
    tables = []
    for entry in report.assessment:
        version = entry.version
        table = Table(f"Departures from the Complaint Handling Code (policy version {version.version_id}, "
                      f"from {version.effective_from:%-d %B %Y})",
                      [Column("Our policy"), Column("Source"), Column("The code requires"), Column("Code reference")],
                      key=f"departures-{version.version_id}", sheet=f"Departures, policy {version.version_id}")
        for departure in entry.departures:
            table.add(departure.policy_says, departure.policy_source, departure.code_requires,
                      departure.code_reference)
        tables.append(table)
    measured = Table("Measured compliance with the code's timescales",
                     [Column("Requirement"), Column("Met", "count"), Column("Of", "count"), Column("Met (%)", "percent")],
                     key="compliance", note="Of the stage responses sent in the period.", sheet="Measured compliance")
    for key in CODE_RESPOND_DAYS:
        stage = report.totals.stages.get(key)
        if stage is None and key not in report.stage_keys:
            continue
        stage = stage or StageFigures(key, report.names.get(key, key))
        measured.add(f"{stage.name} acknowledged within {CODE_ACKNOWLEDGE_DAYS[key]} working days",
                     stage.code_acknowledged, stage.stage_answered, stage.code_acknowledged_percent)
        measured.add(f"{stage.name} answered within {CODE_RESPOND_DAYS[key]} working days of acknowledgement",
                     stage.code_on_time, stage.stage_answered, stage.code_percent)
        measured.add(f"{stage.name} answered within the policy's own timescale", stage.on_time, stage.answered,
                     stage.policy_percent)
    return tables + [measured]


def feedback(report: Report, limit: int | None = ON_PAGE) -> list[Table]:
    counts = Table("Compliments, comments and suggestions", [Column("Kind"), Column("Received", "count")],
                   key="feedback", sheet="Compliments and suggestions")
    for value, label in FeedbackKind.choices:
        counts.add(label + "s", report.totals.feedback.get(value, 0))
    items = Table("What people told us", [Column("Received", "date"), Column("Kind"), Column("Service area"),
                                          Column("Feedback")], key="feedback-items")
    labels = dict(FeedbackKind.choices)
    for row in report.feedback[:limit]:
        items.add(london_date(row["received_at"]), labels.get(row["kind"], row["kind"]),
                  row["service_area__name"] or "", row["text"])
    if limit is not None and len(report.feedback) > limit:
        items.note = f"The first {limit} of {len(report.feedback):,}; the CSV export lists them all."
    return [counts, items]


def _in_state(report: Report, scope: dict, area_id: int | None, state: str, value: int) -> Cell:
    """A service area's count of cases received in the period and now in ``state``, linked to those cases."""
    if area_id is None:
        return Cell(value)  # the case list cannot filter for "no service area"
    return Cell(value, case_list_url(_received(report, **scope, service_area=area_id, state=state)))


def by_area(report: Report, scope: dict, limit: int | None = ON_PAGE) -> list[Table]:
    """The quarterly service report's per-department tables."""
    work = Table("Volumes and timeliness by service area", [
        Column("Service area"), Column("Complaints received", "count"), Column("Stage responses", "count"),
        Column("Within policy timescale (%)", "percent"), Column("Stage 1 within the code's timescale (%)", "percent"),
        Column("Stage 2 within the code's timescale (%)", "percent"), Column("Refused", "count"),
        Column("Ombudsman referrals", "count")], key="areas-timeliness", sheet="Timeliness by service area",
        note="A case with several service areas is counted under each of them.")
    results = Table("Outcomes and remedies by service area", [Column("Service area")]
                    + [Column(label, "count") for _, label in Outcome.choices]
                    + [Column("Compensation paid", "money")], key="areas-outcomes", sheet="Outcomes by service area")
    learning_table = Table("Learning and feedback by service area", [
        Column("Service area"), Column("Learning recorded", "count"), Column("Actions completed", "count"),
        Column("Learning actions open", "count")] + [Column(label + "s", "count") for _, label in
                                                      FeedbackKind.choices], key="areas-learning",
                           sheet="Learning by service area")
    for area in report.areas:
        f: Figures = area.figures
        answered = sum(s.answered for s in f.stages.values())
        on_time = sum(s.on_time for s in f.stages.values())
        code = [f.stages[k].code_percent if k in f.stages else None for k in CODE_RESPOND_DAYS]
        work.add(area.name, f.received, answered, percent(on_time, answered), *code,
                 _in_state(report, scope, area.area_id, "refused", f.refused),
                 _in_state(report, scope, area.area_id, "ombudsman", f.ombudsman))
        results.add(area.name, *[f.outcomes.get(value, 0) for value, _ in Outcome.choices], f.compensation_paid)
        learning_table.add(area.name, f.learning, f.completed_actions, f.open_actions,
                           *[f.feedback.get(value, 0) for value, _ in FeedbackKind.choices])
    open_list = Table("Learning actions open at the end of the quarter",
                      [Column("Service area"), Column("Case"), Column("Action"), Column("Due", "date"),
                       Column("Owner")],
                      key="open-actions", sheet="Open learning actions")
    rows = report.open_actions
    if limit is not None and len(rows) > limit:  # the earliest due, still listed by service area
        first = set(sorted(range(len(rows)), key=lambda i: (rows[i]["due_date"], rows[i]["pk"]))[:limit])
        rows = [row for i, row in enumerate(rows) if i in first]
        open_list.note = (f"The {limit} due earliest of {len(report.open_actions):,}; "
                          "the CSV export lists them all.")
    for row in rows:
        owner = f"{row['owner__first_name']} {row['owner__last_name']}".strip() or row["owner__username"]
        open_list.add(row["outcome__complaint__service_areas__name"] or "No service area",
                      row["outcome__complaint__reference"], row["description"], row["due_date"], owner)
    return [work, results, learning_table, open_list]


def report_sections(report: Report, scope: dict, *, complete: bool = False) -> list[tuple[str, list[Table]]]:
    """The report's sections (heading, tables) in page order; ``complete`` lists every line (for the CSV)."""
    limit = None if complete else ON_PAGE
    sections = [
        ("Volumes", volumes(report, scope)),
        ("Timeliness", [timeliness(report)]),
        ("Refused complaints", [refusals(report)]),
        ("Outcomes, remedies and compensation", outcomes(report)),
        ("Learning and service improvements", learning(report, limit)),
    ]
    if report.quarter:
        sections.append(("By service area", by_area(report, scope, limit)))
    sections.append(("Self-assessment against the Complaint Handling Code", assessment(report)))
    sections.append(("Compliments, comments and suggestions", feedback(report, limit)))
    return sections


def report_tables(report: Report, scope: dict, *, complete: bool = False) -> list[Table]:
    return [table for _, tables in report_sections(report, scope, complete=complete) for table in tables]
