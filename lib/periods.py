"""Month arithmetic, written once.

A *period* is a month as the integer YYYYMM (202603 is March 2026): the books close by it, the
summary rows are keyed by it and the LPJ's quarters and years are lists of it. Everything that
moves between months, or between a date and its month, goes through here, so that a December
never turns into month 13 in one place and not in another.
"""

from __future__ import annotations

import calendar
from datetime import date


def period_of(day: date) -> int:
    """The period a date falls in (2026-03-05 → 202603)."""
    return day.year * 100 + day.month


def split(period: int) -> tuple[int, int]:
    """The year and the month of a period (202603 → (2026, 3))."""
    year, month = divmod(period, 100)
    return year, month


def month_index(period: int) -> int:
    """Months since the year 0, so that periods can be subtracted and counted."""
    year, month = split(period)
    return year * 12 + month - 1


def from_index(index: int) -> int:
    """The period of a month index (the inverse of month_index)."""
    year, month0 = divmod(index, 12)
    return year * 100 + month0 + 1


def shift(period: int, months: int) -> int:
    """The period `months` later (earlier when negative): shift(202612, 1) is 202701."""
    return from_index(month_index(period) + months)


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    """shift() for a year and a month kept apart, as the pages' ?bulan= parameter has them."""
    return split(shift(year * 100 + month, delta))


def months_back(latest: int, *, first: int, count: int) -> list[int]:
    """Up to `count` periods from `latest` back in time, none before `first`, newest first."""
    out: list[int] = []
    period = latest
    while period >= first and len(out) < count:
        out.append(period)
        period = shift(period, -1)
    return out


def months_from(first: int, through: int) -> list[int]:
    """Every period from `first` to `through`, both included, oldest first."""
    return [from_index(i) for i in range(month_index(first), month_index(through) + 1)]


def months_between(earlier: date, later: date) -> int:
    """Whole months from `earlier` to `later` (3 April → 2 July is 2; never negative)."""
    months = month_index(period_of(later)) - month_index(period_of(earlier))
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and the last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def period_bounds(period: int) -> tuple[date, date]:
    """The first and the last day of a period."""
    return month_bounds(*split(period))


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 → 28 Feb)."""
    year, month = split(shift(period_of(day), months))
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
