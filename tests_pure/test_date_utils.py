"""Week boundaries of FRE-7.5-01 (R-1.5): Saturday 00:00 to Friday 23:59:59, local time."""

from datetime import date, datetime

import pytest


@pytest.fixture(name="du")
def fixture_du(load_pure_module):
    return load_pure_module("date_utils")


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 11, 21), (date(2026, 11, 21), date(2026, 11, 27))),  # Saturday
        (date(2026, 11, 22), (date(2026, 11, 21), date(2026, 11, 27))),  # Sunday
        (date(2026, 11, 27), (date(2026, 11, 21), date(2026, 11, 27))),  # Friday
        (date(2026, 11, 28), (date(2026, 11, 28), date(2026, 12, 4))),  # next Saturday
        (date(2026, 1, 1), (date(2025, 12, 27), date(2026, 1, 2))),  # across a year
    ],
)
def test_week_bounds(du, day, expected):
    assert du.week_bounds(day) == expected
    assert du.is_week_start(expected[0])
    assert not du.is_week_start(expected[1])


def test_week_bounds_accepts_datetime(du):
    assert du.week_bounds(datetime(2026, 11, 27, 23, 59)) == (
        date(2026, 11, 21),
        date(2026, 11, 27),
    )


def test_last_complete_week(du):
    # on Saturday, the week that ended the day before
    assert du.last_complete_week(date(2026, 11, 28)) == (date(2026, 11, 21), date(2026, 11, 27))
    # on Monday, still that same week
    assert du.last_complete_week(date(2026, 11, 30)) == (date(2026, 11, 21), date(2026, 11, 27))
    # on Friday, the week before
    assert du.last_complete_week(date(2026, 11, 27)) == (date(2026, 11, 14), date(2026, 11, 20))


@pytest.mark.parametrize(
    "utc_dt, tz, expected_saturday",
    [
        # Friday 23:59 in Tijuana (UTC-8 in November) is Saturday 07:59 UTC: previous week
        (datetime(2026, 11, 28, 7, 59, 59), "America/Tijuana", date(2026, 11, 21)),
        # Saturday 00:00 in Tijuana: new week
        (datetime(2026, 11, 28, 8, 0, 0), "America/Tijuana", date(2026, 11, 28)),
        # same instant in UTC and Madrid: already Saturday
        (datetime(2026, 11, 28, 7, 59, 59), "UTC", date(2026, 11, 28)),
        (datetime(2026, 11, 27, 23, 30), "Europe/Madrid", date(2026, 11, 28)),
        (datetime(2026, 11, 27, 23, 30), "UTC", date(2026, 11, 21)),
        # empty or unknown timezone: UTC
        (datetime(2026, 11, 27, 23, 30), False, date(2026, 11, 21)),
        (datetime(2026, 11, 27, 23, 30), "Mars/Olympus", date(2026, 11, 21)),
    ],
)
def test_week_of_datetime_in_timezone(du, utc_dt, tz, expected_saturday):
    assert du.week_of(utc_dt, tz)[0] == expected_saturday


def test_week_utc_range_in_timezone(du):
    start, end = du.week_utc_range(date(2026, 11, 21), "America/Tijuana")
    assert start == datetime(2026, 11, 21, 8, 0)
    assert end == datetime(2026, 11, 28, 8, 0)
    assert du.week_utc_range(date(2026, 11, 21), "UTC") == (
        datetime(2026, 11, 21),
        datetime(2026, 11, 28),
    )


def test_week_utc_range_across_dst_change(du):
    # Tijuana leaves daylight saving time on Sunday 2026-11-01: the week is 169 hours long
    start, end = du.week_utc_range(date(2026, 10, 31), "America/Tijuana")
    assert start == datetime(2026, 10, 31, 7, 0)
    assert end == datetime(2026, 11, 7, 8, 0)


def test_reminder_date(du):
    friday = date(2026, 11, 27)
    assert du.reminder_date(friday) == date(2026, 11, 28)  # Saturday
    assert du.reminder_date(friday, 0) == date(2026, 11, 30)  # Monday
    assert du.reminder_date(friday, 4) == date(2026, 12, 4)  # Friday after


def test_weeks_to_check(du):
    saturday = date(2026, 11, 28)
    assert du.weeks_to_check(saturday, 2) == [date(2026, 11, 21), date(2026, 11, 14)]
    assert du.weeks_to_check(saturday, 10) == [
        date(2026, 11, 21),
        date(2026, 11, 14),
        date(2026, 11, 7),
    ]
