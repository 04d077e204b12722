"""Working days counted in SQL agree with the deadline engine's calendar, day for day."""

import datetime as dt
import random
from types import SimpleNamespace

import pytest

from complaints.reports.workdays import Calendars, date_value
from deadlines.engine import policy_calendar
from policies.models import PolicyVersion
from policies.schema import ClosureDay

pytestmark = pytest.mark.django_db


def sql_days(calendars, pairs, version_path="pk", rows=None):
    """Working days for each (start, end) pair, in one query per pair, over the first row of ``rows``."""
    rows = rows if rows is not None else PolicyVersion.objects.order_by("pk")
    results = []
    for start, end in pairs:
        value = rows.annotate(days=calendars.between(date_value(start), date_value(end), version_path))
        results.append(value.values_list("days", flat=True)[0])
    return results


def test_sql_working_days_match_the_engine_on_random_pairs_across_holidays(loaded_policies):
    version = PolicyVersion.objects.get(council__slug="lbbd")
    cal = policy_calendar(version.policy)
    rng = random.Random(7)
    pairs = [(dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(4000)), None) for _ in range(150)]
    pairs = [(start, start + dt.timedelta(days=rng.randrange(-40, 120))) for start, _ in pairs]
    # Hand-picked edges: Easter 2026 (Good Friday 3 Apr, Easter Monday 6 Apr), Christmas, weekends, same day.
    pairs += [(dt.date(2026, 4, 2), dt.date(2026, 4, 7)), (dt.date(2026, 12, 24), dt.date(2026, 12, 29)),
              (dt.date(2026, 5, 16), dt.date(2026, 5, 18)), (dt.date(2026, 5, 18), dt.date(2026, 5, 18))]
    calendars = Calendars([version])
    expected = [cal.working_days_between(start, end) for start, end in pairs]
    assert sql_days(calendars, pairs, rows=PolicyVersion.objects.filter(pk=version.pk)) == expected
    assert expected[-4:] == [1, 1, 1, 0]  # Tue 7 Apr; Tue 29 Dec; Mon 18 May; none


def test_each_policy_version_counts_on_its_own_closure_days(loaded_policies):
    plain = PolicyVersion.objects.get(council__slug="barnet")
    closed = SimpleNamespace(pk=PolicyVersion.objects.get(council__slug="bucks").pk, policy=plain.policy.model_copy(
        update={"closure_days": [ClosureDay(date=dt.date(2026, 12, 29), reason="Office closed", source="4.1")]}))
    calendars = Calendars([plain, closed])
    pairs = [(dt.date(2026, 12, 24), dt.date(2026, 12, 31))]
    # (24, 31 Dec 2026]: Christmas Day (Fri) and the Boxing Day substitute (Mon 28) are bank holidays,
    # so 29, 30 and 31 Dec count; with 29 Dec a closure day, two.
    assert sql_days(calendars, pairs, rows=PolicyVersion.objects.filter(pk=plain.pk)) == [3]
    assert sql_days(calendars, pairs, rows=PolicyVersion.objects.filter(pk=closed.pk)) == [2]
