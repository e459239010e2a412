"""What the day makes of dated facts: a program's status from its period, and whether an
entry's last review is too long ago.

A program is 開始予定 before the first day of its period, 終了 after the last one and
実施中 on both ends and between (``program_status``).

Staleness is one rule, used by every stage that speaks of it (the ``review-overdue`` warning,
the pages, the data exports and ``catalog review``): an entry reviewed on day
``reviewed`` is **stale** on the build date ``as_of`` when

    as_of > add_months(reviewed, interval)

in calendar months, a day the target month lacks being its last day
(31 January + 1 month = 28 or 29 February). Exactly the interval is still fresh;
one day more is stale. Pure functions of dates: nothing here reads the clock.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .model import Period

ProgramStatus = Literal["active", "ended", "upcoming"]


def program_status(period: Period, as_of: date) -> ProgramStatus:
    """実施中 / 終了 / 開始予定 of a program on a given day (both ends inclusive)."""
    if period.start is not None and as_of < period.start.value:
        return "upcoming"
    if period.end is not None and as_of > period.end.value:
        return "ended"
    return "active"


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, clamped to the last day of the target month."""
    year, month = divmod(day.year * 12 + (day.month - 1) + months, 12)
    month += 1
    if day.day <= 28:  # every month has it
        return date(year, month, day.day)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_due(reviewed: date, interval_months: int) -> date:
    """The last day on which an entry reviewed on ``reviewed`` is still fresh."""
    return add_months(reviewed, interval_months)


def is_stale(reviewed: date, as_of: date, interval_months: int) -> bool:
    """True when ``as_of`` is later than ``interval_months`` calendar months after ``reviewed``."""
    return as_of > review_due(reviewed, interval_months)


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end``: the largest n with ``add_months(start, n) <= end``.

    0 when ``end`` is before ``start``. Consistent with ``is_stale``: an entry is
    stale exactly when more than ``interval`` whole months and a day have passed,
    so a stale entry has ``months_between(reviewed, as_of) >= interval``.
    """
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def elapsed_text(months: int) -> str:
    """Japanese years and months: 37 → 3年1か月, 24 → 2年, 11 → 11か月, 0 → 1か月未満."""
    years, rest = divmod(months, 12)
    if years and rest:
        return f"{years}年{rest}か月"
    if years:
        return f"{years}年"
    return f"{rest}か月" if rest else "1か月未満"
