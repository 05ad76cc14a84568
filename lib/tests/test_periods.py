"""Month arithmetic (lib/periods.py), checked against the calendar by stepping one day at a time."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from lib import periods

PERIODS = st.builds(lambda y, m: y * 100 + m, st.integers(2000, 2100), st.integers(1, 12))


def test_december_moves_into_the_next_year_and_january_back():
    assert periods.shift(202612, 1) == 202701
    assert periods.shift(202701, -1) == 202612
    assert periods.shift(202603, -15) == 202412
    assert periods.shift_month(2026, 12, 1) == (2027, 1)


def test_the_months_between_two_dates_count_only_whole_months():
    assert periods.months_between(date(2026, 4, 3), date(2026, 7, 2)) == 2
    assert periods.months_between(date(2026, 4, 3), date(2026, 7, 3)) == 3
    assert periods.months_between(date(2026, 7, 3), date(2026, 4, 3)) == 0


def test_a_day_past_the_end_of_a_shorter_month_is_its_last_day():
    assert periods.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert periods.add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)


def test_lists_of_months_stop_at_their_ends():
    assert periods.months_back(202602, first=202511, count=12) == [202602, 202601, 202512, 202511]
    assert periods.months_back(202602, first=202001, count=2) == [202602, 202601]
    assert periods.months_from(202511, 202602) == [202511, 202512, 202601, 202602]


@given(PERIODS, st.integers(-300, 300))
def test_shifting_agrees_with_walking_the_calendar(period, months):
    shifted = periods.shift(period, months)
    assert periods.shift(shifted, -months) == period
    day = periods.period_bounds(period)[0]
    step = 1 if months >= 0 else -1
    for _ in range(abs(months)):  # one month at a time, by days
        day = (periods.period_bounds(periods.period_of(day))[1] + timedelta(days=1)) if step > 0 else \
            (day - timedelta(days=1)).replace(day=1)
    assert periods.period_of(day) == shifted
    first, last = periods.period_bounds(shifted)
    assert first.day == 1 and (last + timedelta(days=1)).day == 1 and periods.period_of(last) == shifted
