"""The overdue dashboard's figures for known LBBD cases on Wed 10 June 2026, counted by hand."""

import pytest

from complaints.models import Deadline, State
from complaints.reports.selectors import deployment_dashboard, overdue_dashboard
from tests.factories import council
from tests.reports.scenario import D, build_lbbd_open_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    return build_lbbd_open_cases()


def figures(row):
    return (row.label, row.overdue, row.due_soon, row.days_total, row.days_average, row.days_max)


def test_the_hand_counted_deadlines_hold(cases):
    def due(name, stage, kind):
        return Deadline.objects.get(complaint=cases.cases[name], stage=stage, kind=kind).due_date

    assert due("P", "stage1", "acknowledge") == D("2026-06-08")
    assert due("Q", "stage1", "respond") == D("2026-06-04")
    assert due("R", "stage1", "acknowledge") == D("2026-06-10")
    assert due("S", "stage1", "acknowledge") == D("2026-06-12")
    assert due("V", "stage2", "acknowledge") == D("2026-05-05")
    assert due("V", "stage2", "respond") == D("2026-06-03")
    assert cases.cases["T"].state == State.ON_HOLD


def test_overdue_and_due_soon_by_stage_area_and_officer(cases):
    board = overdue_dashboard(council=council("lbbd"), today=cases.today, within=2)
    assert board.window_end == D("2026-06-12")
    assert [figures(row) for row in board.by_stage] == [
        ("Stage 1", 2, 2, 6, 3.0, 4),  # P 2 days, Q 4 days; R and S due soon
        ("Review", 1, 0, 25, 25.0, 25),  # V
    ]
    assert figures(board.total) == ("All open cases", 3, 2, 31, 10.3, 25)
    assert [figures(row) for row in board.by_area] == [
        ("East housing", 2, 1, 27, 13.5, 25),  # P, V; R
        ("West housing", 1, 1, 4, 4.0, 4),  # Q; S
    ]
    assert [figures(row) for row in board.by_officer] == [
        ("Sam Second", 2, 0, 29, 14.5, 25),  # Q, V
        ("Ola First", 1, 1, 2, 2.0, 2),  # P; S
        ("Not assigned", 0, 1, 0, None, None),  # R
    ]
    assert [row.filters for row in board.by_stage] == [{"stage": "stage1"}, {"stage": "stage2"}]
    assert [row.filters for row in board.by_area] == [{"service_area": cases.east.pk},
                                                      {"service_area": cases.west.pk}]
    assert [row.filters for row in board.by_officer] == [{"officer": cases.second.pk}, {"officer": cases.first.pk}, None]


def test_the_due_soon_window_is_n_working_days(cases):
    lbbd = council("lbbd")
    one = overdue_dashboard(council=lbbd, today=cases.today, within=1)
    assert (one.window_end, one.total.overdue, one.total.due_soon) == (D("2026-06-11"), 3, 1)  # R only
    none = overdue_dashboard(council=lbbd, today=cases.today, within=0)
    assert (none.window_end, none.total.due_soon) == (cases.today, 1)  # due today
    later = overdue_dashboard(council=lbbd, today=D("2026-06-12"), within=10)  # a Friday
    # On Fri 12 Jun R's acknowledgement is overdue too. P's response (provisional, Mon 22 Jun) and R's
    # (Wed 24 Jun) fall within 10 working days (to Fri 26 Jun), but P and R are overdue, so only S
    # (acknowledge today) is due soon: as in the case list, a case's next deadline decides.
    assert later.window_end == D("2026-06-26")
    assert (later.total.overdue, later.total.due_soon) == (4, 1)


def test_councils_never_mix_and_the_deployment_view_has_each(cases):
    barnet = overdue_dashboard(council=council("barnet"), today=cases.today, within=2)
    assert figures(barnet.total) == ("All open cases", 1, 0, 2, 2.0, 2)
    everywhere = deployment_dashboard(today=cases.today, within=2)
    rows = {row.key: (row.overdue, row.due_soon, row.days_max) for row in everywhere.by_council}
    assert rows["lbbd"] == (3, 2, 25)
    assert rows["barnet"] == (1, 0, 2)
    assert rows["bucks"] == (0, 0, None)
    assert (everywhere.total.overdue, everywhere.total.due_soon, everywhere.total.days_total) == (4, 2, 33)
