"""Report figures in SQL against the deadline engine's calendar in Python, row by row.

Used on seeded data by ``test_seeded_crosscheck`` (PostgreSQL, in process) and
``test_embedded_sqlite`` (SQLite, through ``manage.py shell``).
"""

import datetime as dt
import json

from complaints.models import OPEN, CaseStage, Deadline, Feedback, StageOutcome
from complaints.reports.periods import year_period
from complaints.reports.selectors import annual_report, overdue_dashboard, quarterly_report, trends
from complaints.reports.selectors.common import within
from complaints.selectors import COUNCIL_DEADLINES, overdue_deadlines
from deadlines.calendar import london_date
from deadlines.engine import working_days_between
from policies.models import Council

TODAY = dt.date(2026, 11, 23)


def figures(today: dt.date = TODAY, year: int = 2026) -> dict:
    """Per council: the same figures from the report selectors ("sql") and counted in Python ("python")."""
    out = {}
    period = year_period(year)
    for council in Council.objects.order_by("slug"):
        report = annual_report(council=council, year=year)
        days, code, acknowledged = 0, 0, 0
        stages = (CaseStage.objects.filter(within("responded_at", period), complaint__council=council, stage="stage1")
                  .select_related("complaint__policy_version"))
        for stage in stages:
            policy = stage.complaint.policy_version.policy
            started, responded = london_date(stage.started_at), london_date(stage.responded_at)
            days += working_days_between(policy, started, responded)
            code += working_days_between(policy, london_date(stage.acknowledged_at or stage.started_at), responded) <= 10
            acknowledged += bool(stage.acknowledged_at) and working_days_between(
                policy, started, london_date(stage.acknowledged_at)) <= 5
        paid = sum(o.compensation_amount - o.compensation_offset_against_arrears for o in StageOutcome.objects.filter(
            within("responded_at", period), complaint__council=council))
        stage1 = report.totals.stages.get("stage1")
        board = overdue_dashboard(council=council, today=today, within=2)
        late = {}
        for row in overdue_deadlines(council=council, today=today).select_related("complaint__policy_version"):
            late.setdefault(row.complaint_id, working_days_between(row.complaint.policy, row.due_date, today))
        next_due = {}  # each open case's next running council deadline, as the case list orders by
        for row in Deadline.objects.filter(council=council, met_at__isnull=True, cancelled_at__isnull=True,
                                           paused=False, kind__in=COUNCIL_DEADLINES, complaint__state__in=OPEN):
            next_due[row.complaint_id] = min(next_due.get(row.complaint_id, row.due_date), row.due_date)
        soon = sum(1 for due in next_due.values() if today <= due <= board.window_end)
        quarters = [quarterly_report(council=council, year=year, quarter=q).totals.received for q in (1, 2, 3, 4)]
        months = trends(council=council, today=dt.date(year, 12, 31)).by_month
        out[council.slug] = {
            "sql": [stage1.days_total if stage1 else 0, stage1.code_on_time if stage1 else 0,
                    stage1.code_acknowledged if stage1 else 0, str(report.totals.compensation_paid),
                    sum(report.totals.feedback.values()), board.total.overdue, board.total.days_total,
                    board.total.days_max, board.total.due_soon, sum(quarters), sum(m.received for m in months)],
            "python": [days, code, acknowledged, str(paid),
                       Feedback.objects.filter(within("received_at", period), council=council).count(), len(late),
                       sum(late.values()), max(late.values(), default=None), soon, report.totals.received,
                       report.totals.received],
            "answered": stages.count(),
        }
    return out


def main() -> None:
    print("RESULT" + json.dumps(figures()))
