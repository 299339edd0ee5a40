"""Week arithmetic of the FRE-7.5-01 weekly report, free of Odoo.

Procedure PAD-7.2-05 (R-1.5) defines the reporting week as Saturday to Friday:
on Saturday the promoter sends the activities of the previous Saturday through
Friday. Datetimes stored by Odoo are naive UTC; the week a datetime belongs to
depends on the collaborator's timezone, so every helper that starts from a
datetime takes a timezone name.

This module imports nothing from Odoo so that it can be tested with plain
pytest (``tests_pure/test_date_utils.py``).
"""

from datetime import datetime, time, timedelta

import pytz

SATURDAY = 5  # date.weekday(): Monday is 0
WEEK_DAYS = 7


def get_zone(tz_name):
    """The zone called ``tz_name``; UTC when it is empty or unknown."""
    if not tz_name:
        return pytz.utc
    try:
        return pytz.timezone(tz_name)
    except (pytz.UnknownTimeZoneError, ValueError):
        return pytz.utc


def week_bounds(day):
    """``(saturday, friday)`` of the reporting week that contains ``day``."""
    if isinstance(day, datetime):
        day = day.date()
    saturday = day - timedelta(days=(day.weekday() - SATURDAY) % WEEK_DAYS)
    return saturday, saturday + timedelta(days=WEEK_DAYS - 1)


def is_week_start(day):
    """Whether ``day`` is a Saturday, the first day of a reporting week."""
    return bool(day) and day.weekday() == SATURDAY


def last_complete_week(day):
    """``(saturday, friday)`` of the last week that ended before ``day``."""
    saturday, _friday = week_bounds(day)
    previous = saturday - timedelta(days=WEEK_DAYS)
    return previous, saturday - timedelta(days=1)


def local_date(utc_dt, tz_name):
    """The calendar date, in ``tz_name``, of the naive UTC datetime ``utc_dt``."""
    aware = pytz.utc.localize(utc_dt) if utc_dt.tzinfo is None else utc_dt
    return aware.astimezone(get_zone(tz_name)).date()


def week_of(utc_dt, tz_name):
    """``(saturday, friday)`` of the week that contains ``utc_dt`` in ``tz_name``."""
    return week_bounds(local_date(utc_dt, tz_name))


def local_day_start_utc(day, tz_name):
    """Naive UTC datetime of 00:00 of ``day`` in ``tz_name``."""
    local = get_zone(tz_name).localize(datetime.combine(day, time.min))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def week_utc_range(saturday, tz_name):
    """``[start, end)`` in naive UTC of the week starting ``saturday`` in ``tz_name``.

    The end is exclusive: Saturday 00:00 of the following week, so that
    Friday 23:59:59.999 still belongs to the week.
    """
    return (
        local_day_start_utc(saturday, tz_name),
        local_day_start_utc(saturday + timedelta(days=WEEK_DAYS), tz_name),
    )


def next_weekday_on_or_after(day, weekday):
    """The first date on or after ``day`` that falls on ``weekday`` (0 = Monday)."""
    return day + timedelta(days=(weekday - day.weekday()) % WEEK_DAYS)


def reminder_date(friday, weekday=SATURDAY):
    """Day on which the report of the week ending ``friday`` is due a reminder:
    the first ``weekday`` after the week ends (Saturday by default)."""
    return next_weekday_on_or_after(friday + timedelta(days=1), weekday)


def weeks_to_check(today, grace_days):
    """Saturdays of the recent weeks whose report the reminder may still chase.

    The last complete week always counts; older weeks count while their grace
    period (``grace_days`` after their Friday) may not have been reached yet on
    the previous run, so that a missed cron day never loses an escalation.
    """
    saturday, _friday = last_complete_week(today)
    extra_weeks = max(int(grace_days or 0), 0) // WEEK_DAYS + 1
    return [saturday - timedelta(days=WEEK_DAYS * k) for k in range(extra_weeks + 1)]


__all__ = [
    "get_zone",
    "is_week_start",
    "last_complete_week",
    "local_date",
    "local_day_start_utc",
    "next_weekday_on_or_after",
    "reminder_date",
    "week_bounds",
    "week_of",
    "week_utc_range",
    "weeks_to_check",
]
