"""The annual, quarterly and trend figures for known Barnet cases, every one counted by hand."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from complaints.models import Deadline
from complaints.reports.selectors import annual_report, quarterly_report, trends
from policies.departures import policy_departures
from tests.factories import council
from tests.reports.scenario import LEARNING, D, build_barnet_2026

pytestmark = pytest.mark.django_db


@pytest.fixture
def barnet():
    return build_barnet_2026()


def stage_figures(stage):
    return {name: getattr(stage, name) for name in (
        "started", "answered", "on_time", "extended", "extensions_used", "stage_answered", "code_on_time",
        "code_acknowledged", "days_total", "escalated")} | {
        "policy %": stage.policy_percent, "code %": stage.code_percent, "days": stage.days_average,
        "escalation %": stage.escalation_percent, "outcomes": dict(stage.outcomes)}


def test_the_hand_counted_deadlines_hold(barnet):
    def due(name, stage):
        row = Deadline.objects.get(complaint=barnet.cases[name], stage=stage, kind="respond")
        return row.original_due_date, row.due_date, row.late_working_days

    assert due("A", "stage1") == (D("2026-02-18"), D("2026-02-18"), None)
    assert due("A", "stage2") == (D("2026-04-01"), D("2026-04-01"), 2)
    assert due("B", "stage1") == (D("2026-03-27"), D("2026-04-10"), None)
    assert due("C", "stage1") == (D("2026-06-02"), D("2026-06-02"), 2)
    assert due("G", "stage1") == (D("2026-01-05"), D("2026-01-05"), 1)


def test_annual_report_figures(barnet):
    report = annual_report(council=council("barnet"), year=2026)
    f = report.totals
    assert (f.received, f.refused, f.service_requests, f.withdrawn, f.ombudsman) == (9, 3, 1, 1, 1)
    assert report.stage_keys == ["informal", "stage1", "stage2"]
    assert stage_figures(f.stages["stage1"]) == {
        "started": 4, "answered": 4, "on_time": 2, "extended": 1, "extensions_used": 1, "stage_answered": 4,
        "code_on_time": 1, "code_acknowledged": 4, "days_total": 11 + 21 + 17 + 13, "escalated": 1,
        "policy %": 50.0, "code %": 25.0, "days": 15.5, "escalation %": 25.0,
        "outcomes": {"upheld": 2, "not_upheld": 2}}
    assert stage_figures(f.stages["stage2"]) == {
        "started": 1, "answered": 1, "on_time": 0, "extended": 0, "extensions_used": 0, "stage_answered": 1,
        "code_on_time": 0, "code_acknowledged": 1, "days_total": 24, "escalated": 0,
        "policy %": 0.0, "code %": 0.0, "days": 24.0, "escalation %": None, "outcomes": {"partly_upheld": 1}}
    assert stage_figures(f.stages["informal"]) == {
        "started": 1, "answered": 1, "on_time": 1, "extended": 0, "extensions_used": 0, "stage_answered": 1,
        "code_on_time": 0, "code_acknowledged": 0, "days_total": 0, "escalated": 0,
        "policy %": 100.0, "code %": None, "days": 0.0, "escalation %": None, "outcomes": {}}
    assert dict(f.outcomes) == {"upheld": 2, "partly_upheld": 1, "not_upheld": 2}
    assert (f.apology, f.explanation, f.action, f.compensated, f.learning) == (1, 1, 1, 2, 2)
    assert (f.compensation, f.offset, f.compensation_paid) == (Decimal("150.00"), Decimal("25.00"), Decimal("125.00"))
    assert (f.completed_actions, f.open_actions) == (1, 1)
    assert dict(f.feedback) == {"compliment": 2, "suggestion": 1}
    assert report.refusal_reasons == [{"refusal_reason": "Insurance claim", "count": 2},
                                      {"refusal_reason": "Legal proceedings", "count": 1}]
    assert report.learning_points == [{"learning_points": LEARNING, "count": 2}]
    assert report.completed_actions == [{"description": "Retrain crews on missed bins", "count": 1}]
    assert [(item["kind"], item["text"]) for item in report.feedback] == [
        ("compliment", "The crew were helpful"), ("compliment", "Thank you"), ("suggestion", "=Put benefit forms online")]
    [entry] = report.assessment
    assert entry.version.version_id == "2024.1"
    assert entry.departures == policy_departures(entry.version.policy)
    assert {d.rule for d in entry.departures} >= {"informal_stage", "extension"}


def test_a_year_with_nothing_is_all_zeros(barnet):
    report = annual_report(council=council("barnet"), year=2024)
    assert (report.totals.received, report.totals.responses, report.totals.stages) == (0, 0, {})
    assert report.stage_keys == ["informal", "stage1", "stage2"]


def test_quarterly_report_by_service_area(barnet):
    report = quarterly_report(council=council("barnet"), year=2026, quarter=2)
    assert (report.period.start, report.period.end) == (D("2026-04-01"), D("2026-07-01"))
    areas = {area.name: area.figures for area in report.areas}
    assert list(areas) == ["Housing benefit", "Waste and recycling", "No service area"]
    benefits, waste, none = areas["Housing benefit"], areas["Waste and recycling"], areas["No service area"]
    # Benefits: C and D1-D3 received (D refused); B answered on time after an extension, C late.
    assert (benefits.received, benefits.refused) == (4, 3)
    assert stage_figures(benefits.stages["stage1"]) | {"outcomes": None} == {
        "started": 1, "answered": 2, "on_time": 1, "extended": 1, "extensions_used": 1, "stage_answered": 2,
        "code_on_time": 0, "code_acknowledged": 2, "days_total": 21 + 17, "escalated": 0, "policy %": 50.0,
        "code %": 0.0, "days": 19.0, "escalation %": 0.0, "outcomes": None}
    assert dict(benefits.outcomes) == {"not_upheld": 1, "upheld": 1}
    assert (benefits.open_actions, dict(benefits.feedback)) == (1, {"suggestion": 1})
    # Waste: C received and answered late; A's Review answered late, partly upheld with GBP 50.
    assert (waste.received, waste.stages["stage1"].answered, waste.stages["stage2"].answered) == (1, 1, 1)
    assert dict(waste.outcomes) == {"upheld": 1, "partly_upheld": 1}
    assert (waste.compensation_paid, waste.open_actions, waste.completed_actions) == (Decimal("50.00"), 1, 0)
    # The compliment with no service area.
    assert (none.received, dict(none.feedback)) == (0, {"compliment": 1})
    # The whole council in the quarter: C once (not once per area), D1-D3.
    assert (report.totals.received, report.totals.stages["stage1"].answered) == (4, 2)
    assert [(row["outcome__complaint__reference"], row["outcome__complaint__service_areas__name"])
            for row in report.open_actions] == [(barnet.cases["C"].reference, "Housing benefit"),
                                                 (barnet.cases["C"].reference, "Waste and recycling")]


def test_trends_month_by_month_add_up_to_the_year(barnet):
    result = trends(council=council("barnet"), today=D("2026-12-31"))
    assert [m.label for m in result.months][:2] == ["Jan 2026", "Feb 2026"]
    by_label = {month.label: figures for month, figures in zip(result.months, result.by_month)}
    assert [by_label[m].received for m in ("Jan 2026", "Feb 2026", "Mar 2026", "May 2026", "Jun 2026")] == [
        0, 1, 1, 1, 3]
    january, april = by_label["Jan 2026"].stages["stage1"], by_label["Apr 2026"]
    assert (january.answered, january.on_time, january.code_on_time, january.days_average) == (1, 0, 0, 13.0)
    assert (april.stages["stage1"].on_time, april.stages["stage1"].extended, april.stages["stage2"].answered) == (
        1, 1, 1)
    assert dict(april.outcomes) == {"not_upheld": 1, "partly_upheld": 1}
    assert (by_label["Feb 2026"].stages["stage1"].escalated, by_label["Feb 2026"].ombudsman) == (1, 1)
    year = annual_report(council=council("barnet"), year=2026).totals
    assert sum(f.received for f in result.by_month) == year.received
    for key in ("stage1", "stage2", "informal"):
        months = [f.stages[key] for f in result.by_month if key in f.stages]
        for name in ("started", "answered", "on_time", "code_on_time", "days_total", "escalated"):
            assert sum(getattr(s, name) for s in months) == getattr(year.stages[key], name), (key, name)


def test_trends_reach_back_twelve_months_from_today(barnet):
    result = trends(council=council("barnet"), today=dt.date(2026, 11, 23))
    assert (result.months[0].start, result.months[-1].end) == (D("2025-12-01"), D("2026-12-01"))
    assert result.by_month[0].received == 1  # G, received 15 Dec 2025
    everywhere = trends(council=None, today=dt.date(2026, 11, 23))
    assert sum(f.received for f in everywhere.by_month) == 10 + 1  # Barnet's ten and LBBD's one


def test_every_figure_is_an_aggregate_query(barnet):
    """No query reads cases one by one: each is an aggregate, except the lists a report prints."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lbbd = council("lbbd")
    with CaptureQueriesContext(connection) as captured:
        annual_report(council=council("barnet"), year=2026)
        quarterly_report(council=council("barnet"), year=2026, quarter=2)
        trends(council=council("barnet"), today=D("2026-11-23"))
        from complaints.reports.selectors import deployment_dashboard, overdue_dashboard

        overdue_dashboard(council=lbbd, today=D("2026-06-10"))
        deployment_dashboard(today=D("2026-06-10"))
    lists = ('"complaints_feedback"."text"',  # the feedback, open actions and service areas listed
             '"complaints_action"."description" AS "description", "complaints_action"."due_date"',
             'FROM "complaints_servicearea" WHERE')
    case_queries = [q["sql"] for q in captured.captured_queries if '"complaints_' in q["sql"]]
    assert len(case_queries) > 20
    for sql in case_queries:
        if any(marker in sql for marker in lists):
            continue
        assert "COUNT(" in sql or "SUM(" in sql, sql[:300]
        grouped_by = sql.split("GROUP BY")[-1] if "GROUP BY" in sql else ""
        assert not re.search(r'"complaints_\w+"\."id"', grouped_by), f"one row per record: {sql[:300]}"
