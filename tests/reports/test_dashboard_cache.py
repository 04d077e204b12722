"""The cached dashboard: the same figures as the selector after every kind of change, and no query on a hit."""

import copy
import logging

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from complaints.reports import dashboard_cache, views
from complaints.reports.dashboard_cache import cached_deployment_dashboard, cached_overdue_dashboard
from complaints.reports.selectors import deployment_dashboard, overdue_dashboard
from complaints.services.holds import complaint_hold
from complaints.services.lifecycle import complaint_assign, complaint_close, complaint_escalate, complaint_withdraw
from complaints.services.stage_work import ResponseDetails, complaint_acknowledge, complaint_extend, complaint_respond
from complaints.services.sweeps import deadlines_flag_breaches
from tests.factories import council, london, staff
from tests.reports.scenario import D, _stage1, build_lbbd_open_cases

pytestmark = pytest.mark.django_db
TODAY = D("2026-06-10")
WITHIN = 10  # wide enough that Stage 2's new acknowledgement deadline is due soon


@pytest.fixture
def cases():
    return build_lbbd_open_cases()


@pytest.fixture
def lbbd(cases):
    return council("lbbd")


def cached(lbbd, today=TODAY):
    return cached_overdue_dashboard(council=lbbd, today=today, within=WITHIN)


def fresh(lbbd, today=TODAY):
    return overdue_dashboard(council=lbbd, today=today, within=WITHIN)


def deadline_queries(queries) -> list[str]:
    return [query["sql"] for query in queries if "complaints_deadline" in query["sql"]]


def changes_at_once(lbbd, change) -> None:
    """The board read after ``change`` is the selector's, and differs from the one cached before it."""
    before = cached(lbbd)
    assert cached(lbbd) == before  # cached
    change()
    after = cached(lbbd)
    assert after == fresh(lbbd)
    assert after != before


def test_a_second_load_runs_no_query(lbbd):
    first = cached(lbbd)
    with CaptureQueriesContext(connection) as queries:
        second = cached(lbbd)
    assert list(queries) == []
    assert second == first == fresh(lbbd)


def test_a_second_page_load_runs_no_dashboard_aggregate(client, lbbd, monkeypatch):
    monkeypatch.setattr(views, "report_today", lambda: TODAY)
    client.force_login(staff("lbbd", role="complaints_manager"))
    assert client.get("/dashboard/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/dashboard/")
    assert response.status_code == 200 and "Sam Second" in response.text
    assert deadline_queries(queries) == []


def test_a_new_complaint_counts_at_once(lbbd, cases):
    changes_at_once(lbbd, lambda: _stage1("lbbd", "2026-06-01T11:00", cases.first))


def test_acknowledging_meets_the_deadline_at_once(lbbd, cases):
    changes_at_once(lbbd, lambda: complaint_acknowledge(complaint=cases.cases["P"], by=cases.first,
                                                        at=london("2026-06-10T09:00")))


def test_responding_meets_the_deadline_at_once(lbbd, cases):
    changes_at_once(lbbd, lambda: complaint_respond(complaint=cases.cases["Q"], by=cases.second,
                                                    at=london("2026-06-10T09:00"),
                                                    details=ResponseDetails(outcome="upheld", findings="Yes.")))


def test_an_extension_moves_the_deadline_at_once(lbbd, cases):
    changes_at_once(lbbd, lambda: complaint_extend(
        complaint=cases.cases["Q"], by=cases.second, new_date=D("2026-06-30"), reason="Waiting for the contractor",
        complainant_told_at=london("2026-06-03T09:00"), complainant_agreed=True))


def test_a_hold_pauses_the_deadlines_at_once(lbbd, cases):
    changes_at_once(lbbd, lambda: complaint_hold(complaint=cases.cases["P"], by=cases.first, reason="Site visit",
                                                 at=london("2026-06-10T09:00")))


def test_an_escalation_counts_at_once(lbbd, cases):
    s = complaint_acknowledge(complaint=cases.cases["S"], by=cases.first, at=london("2026-06-08T09:00"))
    s = complaint_respond(complaint=s, by=cases.first, at=london("2026-06-09T09:00"),
                          details=ResponseDetails(outcome="not_upheld", findings="No."))
    changes_at_once(lbbd, lambda: complaint_escalate(complaint=s, by=cases.first,
                                                     requested_at=london("2026-06-10T09:00"), reviewer=cases.second))


def test_withdrawing_stops_the_deadlines_at_once(lbbd, cases):
    changes_at_once(lbbd, lambda: complaint_withdraw(complaint=cases.cases["Q"], by=cases.second, reason="Sorted",
                                                     at=london("2026-06-10T09:00")))


def test_closing_an_answered_case_keeps_the_board_exact(lbbd, cases):
    """Answered, only the complainant's escalation window runs (not counted), so closing moves no figure."""
    q = complaint_respond(complaint=cases.cases["Q"], by=cases.second, at=london("2026-06-10T09:00"),
                          details=ResponseDetails(outcome="upheld", findings="Yes."))
    before = cached(lbbd)
    generation = dashboard_cache._generations([lbbd.pk])
    complaint_close(complaint=q, by=cases.second, at=london("2026-06-10T10:00"))
    assert dashboard_cache._generations([lbbd.pk]) != generation
    assert cached(lbbd) == before == fresh(lbbd)


def test_assigning_an_officer_counts_at_once(lbbd, cases):
    changes_at_once(lbbd, lambda: complaint_assign(complaint=cases.cases["R"], by=cases.first, officer=cases.second))


def test_renaming_an_officer_or_a_service_area_relabels_at_once(lbbd, cases):
    def rename_officer():
        cases.first.first_name = "Olu"
        cases.first.save()

    def rename_area():
        cases.east.name = "Eastern housing"
        cases.east.save()

    changes_at_once(lbbd, rename_officer)
    assert "Olu First" in [row.label for row in cached(lbbd).by_officer]
    changes_at_once(lbbd, rename_area)
    assert "Eastern housing" in [row.label for row in cached(lbbd).by_area]


def test_changing_a_cases_service_areas_counts_at_once(lbbd, cases):
    changes_at_once(lbbd, lambda: cases.cases["P"].service_areas.set([cases.west]))


def test_the_breach_sweep_changes_no_figure(lbbd, cases):
    """The sweeps set ``breached_at``/``warned_at`` with ``update()`` (no signal); no figure reads them."""
    before = cached(lbbd)
    assert deadlines_flag_breaches(now=london("2026-06-10T12:00")).flagged > 0
    assert cached(lbbd) == before == fresh(lbbd)


def test_the_day_rolling_over_is_a_new_board(lbbd):
    cached(lbbd)
    with CaptureQueriesContext(connection) as queries:
        tomorrow = cached(lbbd, D("2026-06-11"))
    assert deadline_queries(queries)
    assert tomorrow == fresh(lbbd, D("2026-06-11"))
    assert tomorrow.total.days_total != cached(lbbd).total.days_total


def test_the_deployment_board_counts_every_councils_change_at_once(cases):
    before = cached_deployment_dashboard(today=TODAY, within=WITHIN)
    _stage1("barnet", "2026-06-01T11:00", staff("barnet"))
    after = cached_deployment_dashboard(today=TODAY, within=WITHIN)
    assert after == deployment_dashboard(today=TODAY, within=WITHIN) and after != before


def test_the_generation_moves_again_on_commit(lbbd, cases, django_capture_on_commit_callbacks):
    """A board computed from the old snapshot before the commit is not read after it."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        complaint_withdraw(complaint=cases.cases["Q"], by=cases.second, reason="Sorted", at=london("2026-06-10T09:00"))
    during = dashboard_cache._generations([lbbd.pk])
    for callback in callbacks:
        callback()
    assert dashboard_cache._generations([lbbd.pk]) != during


def unreachable_redis():
    caches = copy.deepcopy(settings.CACHES)
    caches["dashboard"] = {**caches["dashboard"], "BACKEND": "config.redis_cache.RedisCache",
                           "LOCATION": "redis://127.0.0.1:1/0"}
    return override_settings(CACHES=caches)


def test_the_dashboard_renders_without_redis(client, lbbd, cases, monkeypatch, caplog):
    monkeypatch.setattr(views, "report_today", lambda: TODAY)
    client.force_login(staff("lbbd", role="complaints_manager"))
    with unreachable_redis(), caplog.at_level(logging.WARNING, logger="complaints.reports.dashboard_cache"):
        complaint_withdraw(complaint=cases.cases["Q"], by=cases.second, reason="Sorted", at=london("2026-06-10T09:00"))
        response = client.get("/dashboard/")
        assert cached(lbbd) == fresh(lbbd)
    assert response.status_code == 200 and "Sam Second" in response.text
    assert "dashboard cache unavailable; computing uncached" in caplog.messages
    assert "could not bump the dashboard generation" in caplog.messages
