"""Property-based and example tests for the working-day calendar.

The properties are checked against an independent brute-force oracle: a
day-by-day walk that asks the ``holidays`` package directly (GB, England) and
``weekday() < 5``, never the calendar's own precomputed tables. No database.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from deadlines.calendar import (
    CalendarRangeError,
    WorkingCalendar,
    add_hours,
    add_months,
    add_years,
    calendar_for,
    london_date,
)

UTC = dt.timezone.utc
LONDON = ZoneInfo("Europe/London")
ONE_DAY = dt.timedelta(days=1)

MIN_DATE = dt.date(2020, 1, 1)
MAX_DATE = dt.date(2035, 12, 31)

# The oracle's own holiday table, straight from the package (results run into 2036).
GB_ENG = holidays.country_holidays("GB", subdiv="ENG", years=range(2019, 2038))

# A couple of council closure days: between Christmas and New Year (weekdays),
# one on a weekend (no effect), one on a bank holiday (no extra effect), and a
# mid-year one.
CLOSURES: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2026, 12, 29), "Council closure"),
    (dt.date(2026, 12, 30), "Council closure"),
    (dt.date(2027, 1, 2), "Council closure (Saturday)"),
    (dt.date(2027, 12, 27), "Council closure (bank holiday)"),
    (dt.date(2030, 7, 17), "Office move"),
)
CLOSURE_DATES = frozenset(day for day, _ in CLOSURES)

PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

dates = st.dates(min_value=MIN_DATE, max_value=MAX_DATE)
amounts = st.integers(min_value=0, max_value=60)
positive_amounts = st.integers(min_value=1, max_value=60)
# Dates at most ~90 days before a closure day, so closure properties are exercised.
dates_near_closures = st.builds(
    lambda closure, back: closure - dt.timedelta(days=back),
    st.sampled_from(sorted(CLOSURE_DATES)),
    st.integers(min_value=0, max_value=90),
)
any_dates = st.one_of(dates, dates_near_closures)


# -- the oracle -----------------------------------------------------------------
def brute_is_working(day: dt.date, closures: frozenset[dt.date] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in GB_ENG and day not in closures


def brute_count(start: dt.date, end: dt.date, closures: frozenset[dt.date] = frozenset()) -> int:
    """Working days in (start, end], counted one day at a time."""
    count = 0
    day = start + ONE_DAY
    while day <= end:
        if brute_is_working(day, closures):
            count += 1
        day += ONE_DAY
    return count


def brute_add(start: dt.date, n: int, closures: frozenset[dt.date] = frozenset()) -> dt.date:
    day = start
    while n > 0:
        day += ONE_DAY
        if brute_is_working(day, closures):
            n -= 1
    return day


def brute_previous_working(day: dt.date, closures: frozenset[dt.date] = frozenset()) -> dt.date:
    while not brute_is_working(day, closures):
        day -= ONE_DAY
    return day


def brute_weekends(start: dt.date, end: dt.date) -> int:
    count = 0
    day = start + ONE_DAY
    while day <= end:
        if day.weekday() >= 5:
            count += 1
        day += ONE_DAY
    return count


@pytest.fixture(scope="module")
def plain() -> WorkingCalendar:
    return calendar_for(())


@pytest.fixture(scope="module")
def closed() -> WorkingCalendar:
    return calendar_for(CLOSURES)


# -- add_working_days -----------------------------------------------------------
@PROPERTY_SETTINGS
@given(d=any_dates, n=positive_amounts)
def test_result_is_a_working_day_strictly_after_start(plain, closed, d, n):
    for cal, closures in ((plain, frozenset()), (closed, CLOSURE_DATES)):
        result = cal.add_working_days(d, n)
        assert result > d
        assert cal.is_working_day(result)
        assert brute_is_working(result, closures)


@PROPERTY_SETTINGS
@given(d=any_dates, n=amounts)
def test_exactly_n_working_days_in_the_interval(plain, closed, d, n):
    for cal, closures in ((plain, frozenset()), (closed, CLOSURE_DATES)):
        result = cal.add_working_days(d, n)
        assert brute_count(d, result, closures) == n
        assert result == brute_add(d, n, closures)


@PROPERTY_SETTINGS
@given(d=dates)
def test_zero_working_days_is_the_start_itself(plain, d):
    assert plain.add_working_days(d, 0) == d


@PROPERTY_SETTINGS
@given(d1=any_dates, d2=any_dates, n=amounts)
def test_monotonic_in_start(plain, closed, d1, d2, n):
    low, high = sorted((d1, d2))
    for cal in (plain, closed):
        assert cal.add_working_days(low, n) <= cal.add_working_days(high, n)


@PROPERTY_SETTINGS
@given(d=any_dates, a=amounts, b=amounts)
def test_strictly_monotonic_in_n(plain, closed, d, a, b):
    low, high = sorted((a, b))
    for cal in (plain, closed):
        if low == high:
            assert cal.add_working_days(d, low) == cal.add_working_days(d, high)
        else:
            assert cal.add_working_days(d, low) < cal.add_working_days(d, high)


@PROPERTY_SETTINGS
@given(d=any_dates, a=amounts, b=amounts)
def test_additive(plain, closed, d, a, b):
    for cal in (plain, closed):
        assert cal.add_working_days(d, a + b) == cal.add_working_days(cal.add_working_days(d, a), b)


@PROPERTY_SETTINGS
@given(d=any_dates.filter(lambda day: not brute_is_working(day, CLOSURE_DATES)), n=positive_amounts)
def test_non_working_start_counts_like_previous_working_day(plain, closed, d, n):
    previous_plain = brute_previous_working(d)
    assert plain.add_working_days(d, n) == plain.add_working_days(previous_plain, n)
    previous_closed = brute_previous_working(d, CLOSURE_DATES)
    assert closed.add_working_days(d, n) == closed.add_working_days(previous_closed, n)


@PROPERTY_SETTINGS
@given(
    d=st.dates(min_value=MIN_DATE, max_value=MAX_DATE).map(
        lambda day: day + dt.timedelta(days=(5 - day.weekday()) % 7)  # the Saturday on or after
    ),
    n=positive_amounts,
)
def test_weekend_start_counts_from_the_friday_before(plain, d, n):
    assert d.weekday() == 5
    for day in (d, d + ONE_DAY):
        previous = brute_previous_working(day)
        assert previous <= d - ONE_DAY
        assert plain.add_working_days(day, n) == plain.add_working_days(previous, n)


# -- closures -------------------------------------------------------------------
@PROPERTY_SETTINGS
@given(d=any_dates, n=positive_amounts)
def test_closure_days_are_never_returned_and_push_later(plain, closed, d, n):
    without = plain.add_working_days(d, n)
    with_closures = closed.add_working_days(d, n)
    assert with_closures not in CLOSURE_DATES
    assert with_closures >= without
    # Later exactly when a counted closure day falls in the plain interval.
    counted = [c for c in CLOSURE_DATES if d < c <= without and brute_is_working(c)]
    if counted:
        assert with_closures > without
    else:
        assert with_closures == without


def test_closure_examples(plain, closed):
    # Thu 24 Dec 2026 + 3 working days: plain skips 25, 26(Sat), 27(Sun), 28 (Boxing Day observed).
    assert plain.add_working_days(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 29)
    assert plain.add_working_days(dt.date(2026, 12, 24), 3) == dt.date(2026, 12, 31)
    # With the 29th and 30th closed, working day 1 is Thu 31 Dec, day 3 is Tue 5 Jan
    # (1 Jan holiday, 2 Jan Saturday closure changes nothing).
    assert closed.add_working_days(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 31)
    assert closed.add_working_days(dt.date(2026, 12, 24), 3) == dt.date(2027, 1, 5)
    assert not closed.is_working_day(dt.date(2030, 7, 17))
    assert plain.is_working_day(dt.date(2030, 7, 17))
    assert closed.non_working_reason(dt.date(2030, 7, 17)) == "Office move"
    # A closure on a bank holiday or a weekend changes no count.
    assert closed.working_days_between(dt.date(2027, 12, 20), dt.date(2028, 1, 31)) == (
        plain.working_days_between(dt.date(2027, 12, 20), dt.date(2028, 1, 31))
    )


# -- working_days_between -------------------------------------------------------
@PROPERTY_SETTINGS
@given(d=any_dates, n=amounts)
def test_between_inverts_add(plain, closed, d, n):
    for cal in (plain, closed):
        assert cal.working_days_between(d, cal.add_working_days(d, n)) == n


@PROPERTY_SETTINGS
@given(a=any_dates, b=any_dates)
def test_between_is_antisymmetric_and_matches_brute_force(plain, closed, a, b):
    assume(abs((a - b).days) <= 400)
    for cal, closures in ((plain, frozenset()), (closed, CLOSURE_DATES)):
        forward = cal.working_days_between(a, b)
        assert forward == -cal.working_days_between(b, a)
        low, high = sorted((a, b))
        expected = brute_count(low, high, closures)
        assert forward == (expected if b >= a else -expected)
    assert plain.working_days_between(a, a) == 0


# -- skipped_days and weekend_days_between ----------------------------------------
@PROPERTY_SETTINGS
@given(d=any_dates, span=st.integers(min_value=0, max_value=120))
def test_skipped_days_are_exactly_the_weekday_bank_holidays(plain, closed, d, span):
    end = d + dt.timedelta(days=span)
    days = [d + dt.timedelta(days=i) for i in range(1, span + 1)]
    expected = [day for day in days if day.weekday() < 5 and day in GB_ENG]
    skipped = plain.skipped_days(d, end)
    assert [s.date for s in skipped] == expected
    assert [s.reason for s in skipped] == [GB_ENG.get(day) for day in expected]
    expected_closed = [
        day for day in days if day.weekday() < 5 and (day in GB_ENG or day in CLOSURE_DATES)
    ]
    assert [s.date for s in closed.skipped_days(d, end)] == expected_closed


@PROPERTY_SETTINGS
@given(d=any_dates, n=amounts)
def test_skipped_and_weekends_account_for_every_day(plain, d, n):
    end = plain.add_working_days(d, n)
    total = (end - d).days
    assert total == n + len(plain.skipped_days(d, end)) + plain.weekend_days_between(d, end)


@PROPERTY_SETTINGS
@given(a=dates, span=st.integers(min_value=0, max_value=400))
def test_weekend_days_between_matches_brute_force(plain, a, span):
    b = a + dt.timedelta(days=span)
    assert plain.weekend_days_between(a, b) == brute_weekends(a, b)
    # Reversed arguments give the negative count, like working_days_between.
    assert plain.weekend_days_between(b, a) == -brute_weekends(a, b)


# -- calendar windows -----------------------------------------------------------
@PROPERTY_SETTINGS
@given(d=dates, m=amounts)
def test_add_months_is_same_day_clamped(d, m):
    result = add_months(d, m)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == m
    last = stdlib_calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(d.day, last)
    assert result.day <= d.day
    assert result >= d


@PROPERTY_SETTINGS
@given(d=dates, y=st.integers(min_value=0, max_value=20))
def test_add_years_is_same_day_or_28_february(d, y):
    result = add_years(d, y)
    assert result.year == d.year + y
    if (d.month, d.day) == (2, 29) and not stdlib_calendar.isleap(result.year):
        assert (result.month, result.day) == (2, 28)
    else:
        assert (result.month, result.day) == (d.month, d.day)


def test_calendar_window_examples():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2025, 3, 31), 1) == dt.date(2025, 4, 30)
    assert add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2025, 12, 15), 1) == dt.date(2026, 1, 15)
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)
    assert add_years(dt.date(2025, 6, 30), 1) == dt.date(2026, 6, 30)


# -- the clock ------------------------------------------------------------------
def _summer_dates():
    # Safely inside BST every year (clocks go forward by 31 March, back from 25 October).
    return st.integers(min_value=2020, max_value=2035).flatmap(
        lambda year: st.dates(dt.date(year, 4, 1), dt.date(year, 10, 23))
    )


def _winter_dates():
    return st.integers(min_value=2020, max_value=2034).flatmap(
        lambda year: st.dates(dt.date(year, 11, 1), dt.date(year + 1, 3, 24))
    )


minutes = st.integers(min_value=0, max_value=59)


@PROPERTY_SETTINGS
@given(d=_summer_dates(), minute=minutes, second=minutes)
def test_summer_instants_before_midnight_utc_are_the_next_london_date(d, minute, second):
    late = dt.datetime.combine(d, dt.time(23, minute, second), tzinfo=UTC)
    assert london_date(late) == d + ONE_DAY
    early = dt.datetime.combine(d, dt.time(0, minute, second), tzinfo=UTC)
    assert london_date(early) == d


@PROPERTY_SETTINGS
@given(d=_winter_dates(), minute=minutes, second=minutes)
def test_winter_instants_near_midnight_utc_are_the_same_london_date(d, minute, second):
    late = dt.datetime.combine(d, dt.time(23, minute, second), tzinfo=UTC)
    assert london_date(late) == d
    early = dt.datetime.combine(d, dt.time(0, minute, second), tzinfo=UTC)
    assert london_date(early) == d


@PROPERTY_SETTINGS
@given(
    moment=st.datetimes(
        min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 12, 31), timezones=st.just(UTC)
    ),
    hours=st.integers(min_value=0, max_value=24 * 60),
)
def test_add_hours_is_elapsed_time(moment, hours):
    later = moment + dt.timedelta(hours=hours)  # aware UTC arithmetic is elapsed time
    assert add_hours(moment, hours) == london_date(later)
    assert add_hours(moment.astimezone(LONDON), hours) == london_date(later)


def test_london_date_examples():
    # The policy reading's example: 23:30 UTC on Sunday 29 March 2026 is Monday 30 March (BST).
    assert london_date(dt.datetime(2026, 3, 29, 23, 30, tzinfo=UTC)) == dt.date(2026, 3, 30)
    # Before the clocks go forward (01:00 UTC), 00:30 UTC is still 29 March.
    assert london_date(dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC)) == dt.date(2026, 3, 29)
    # 25 October 2026: 23:30 UTC on the 24th is 00:30 BST on the 25th; 23:30 UTC on the 25th is GMT.
    assert london_date(dt.datetime(2026, 10, 24, 23, 30, tzinfo=UTC)) == dt.date(2026, 10, 25)
    assert london_date(dt.datetime(2026, 10, 25, 23, 30, tzinfo=UTC)) == dt.date(2026, 10, 25)
    # Naive datetimes are London wall-clock time; dates pass through.
    assert london_date(dt.datetime(2026, 7, 1, 23, 30)) == dt.date(2026, 7, 1)
    assert london_date(dt.date(2026, 7, 1)) == dt.date(2026, 7, 1)


def test_add_hours_across_clock_changes():
    # Spring forward, Sunday 29 March 2026: the day has 23 hours.
    start = dt.datetime(2026, 3, 28, 23, 30, tzinfo=LONDON)  # 23:30 GMT
    assert add_hours(start, 24) == dt.date(2026, 3, 30)  # 23:30 UTC 29th = 00:30 BST 30th
    assert add_hours(dt.datetime(2026, 3, 28, 23, 30), 24) == dt.date(2026, 3, 30)  # naive = London
    assert add_hours(dt.datetime(2026, 3, 29, 0, 30, tzinfo=LONDON), 23) == dt.date(2026, 3, 30)
    # Fall back, Sunday 25 October 2026: the day has 25 hours.
    start = dt.datetime(2026, 10, 25, 0, 30, tzinfo=LONDON)  # 00:30 BST = 23:30 UTC on the 24th
    assert add_hours(start, 24) == dt.date(2026, 10, 25)  # 23:30 UTC = 23:30 GMT, still the 25th
    assert add_hours(start, 25) == dt.date(2026, 10, 26)
    # 48 hours from a Friday evening in BST, across nothing special.
    assert add_hours(dt.datetime(2026, 7, 3, 18, 0, tzinfo=UTC), 48) == dt.date(2026, 7, 5)


# -- known England dates --------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "reason_part"),
    [
        (dt.date(2026, 12, 25), "Christmas"),
        (dt.date(2026, 12, 28), "Boxing Day"),  # Boxing Day is Saturday 26 Dec 2026
        (dt.date(2027, 12, 27), "Christmas"),  # Christmas 2027 is a Saturday
        (dt.date(2027, 12, 28), "Boxing Day"),
        (dt.date(2026, 4, 3), "Good Friday"),
        (dt.date(2026, 4, 6), "Easter Monday"),
        (dt.date(2022, 9, 19), "State Funeral"),
        (dt.date(2023, 5, 8), "Coronation"),
        (dt.date(2022, 6, 3), "Jubilee"),
    ],
)
def test_known_weekday_bank_holidays(plain, day, reason_part):
    assert day.weekday() < 5
    assert not plain.is_working_day(day)
    assert reason_part in (plain.non_working_reason(day) or "")
    assert [s.date for s in plain.skipped_days(day - ONE_DAY, day)] == [day]


def test_substitute_days_and_christmas(plain):
    assert plain.is_working_day(dt.date(2026, 12, 24))
    assert plain.is_working_day(dt.date(2026, 12, 29))
    # Received Thu 24 Dec 2026: working day 1 is Tue 29 Dec (25 Fri, 26-27 weekend, 28 substitute).
    assert plain.add_working_days(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 29)
    # Christmas 2027 Saturday: Mon 27 and Tue 28 are both substitute days.
    assert plain.add_working_days(dt.date(2027, 12, 24), 1) == dt.date(2027, 12, 29)
    assert plain.working_days_between(dt.date(2027, 12, 24), dt.date(2027, 12, 31)) == 3
    assert [s.date for s in plain.skipped_days(dt.date(2027, 12, 24), dt.date(2027, 12, 31))] == [
        dt.date(2027, 12, 27),
        dt.date(2027, 12, 28),
    ]
    # The weekend holidays themselves are not "skipped" (they are weekend days).
    assert plain.weekend_days_between(dt.date(2027, 12, 24), dt.date(2027, 12, 31)) == 2


def test_easter_2026(plain):
    # Received Thu 2 Apr 2026: Good Friday, weekend and Easter Monday skipped -> Tue 7 Apr.
    assert plain.add_working_days(dt.date(2026, 4, 2), 1) == dt.date(2026, 4, 7)
    assert plain.add_working_days(dt.date(2026, 4, 2), 5) == dt.date(2026, 4, 13)
    skipped = plain.skipped_days(dt.date(2026, 4, 2), dt.date(2026, 4, 13))
    assert [(s.date, s.reason) for s in skipped] == [
        (dt.date(2026, 4, 3), "Good Friday"),
        (dt.date(2026, 4, 6), "Easter Monday"),
    ]


def test_one_off_bank_holidays(plain):
    # State Funeral, Mon 19 Sep 2022: received Fri 16 Sep, working day 1 is Tue 20 Sep.
    assert plain.add_working_days(dt.date(2022, 9, 16), 1) == dt.date(2022, 9, 20)
    # Coronation, Mon 8 May 2023 (after the early May bank holiday on the 1st).
    assert not plain.is_working_day(dt.date(2023, 5, 1))
    assert plain.add_working_days(dt.date(2023, 5, 5), 1) == dt.date(2023, 5, 9)
    # Neither is a holiday in other years.
    assert plain.is_working_day(dt.date(2023, 9, 19))
    assert plain.is_working_day(dt.date(2024, 5, 8))


# -- the calendar's range -------------------------------------------------------
def test_range_limits(plain):
    assert issubclass(CalendarRangeError, ValueError)
    assert plain.is_working_day(dt.date(1990, 1, 2))
    assert not plain.is_working_day(dt.date(1990, 1, 1))
    assert plain.is_working_day(dt.date(2099, 12, 31))  # a Thursday
    assert plain.add_working_days(dt.date(1990, 1, 1), 1) == dt.date(1990, 1, 2)
    for day in (dt.date(1989, 12, 31), dt.date(2100, 1, 1), dt.date(1900, 6, 1)):
        with pytest.raises(CalendarRangeError):
            plain.is_working_day(day)
        with pytest.raises(CalendarRangeError):
            plain.add_working_days(day, 1)
        with pytest.raises(CalendarRangeError):
            plain.working_days_between(dt.date(2026, 1, 1), day)
        with pytest.raises(CalendarRangeError):
            plain.working_days_between(day, dt.date(2026, 1, 1))
    # In range, but the answer lies beyond 2099.
    with pytest.raises(CalendarRangeError):
        plain.add_working_days(dt.date(2099, 12, 29), 5)
    with pytest.raises(ValueError):
        plain.add_working_days(dt.date(2026, 1, 1), -1)
