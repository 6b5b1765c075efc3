"""Issue dates as captures write them: full dates, month-days whose year is inferred, read dates, weekdays."""

from __future__ import annotations

import datetime as dt
import re

from epaper_cli.formats.spacing import label_form

_FULL_DATE = re.compile(r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})(?![0-9])\s*日?")
_MONTH_DAY = re.compile(r"([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})(?![0-9])\s*日?")
_COMPACT_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})(?![0-9])")
_READ_DATE = re.compile(
    r"^[0-9]{4}\s*[-/.年]\s*[0-9]{1,2}\s*[-/.月]\s*[0-9]{1,2}\s*日?"
    r"(?:\s*[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?(?:\s*(?:星期|周|週)[一二三四五六日天])?$"
)
_WEEKDAY = re.compile(
    r"^(?:(?:星期|周|週|礼拜|禮拜)[一二三四五六日天七]|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\.?$",
    re.IGNORECASE,
)


def is_read_date(line: str) -> bool:
    """The header's read-date line: a full date alone, perhaps with a time or weekday."""
    return _READ_DATE.match(label_form(line)) is not None


def is_weekday(line: str) -> bool:
    """The header's weekday line (UI noise)."""
    return _WEEKDAY.match(label_form(line)) is not None


def full_date(text: str) -> dt.date | None:
    """A date written with its year; None when there is no year or it is not a real day."""
    folded = label_form(text)
    match = _FULL_DATE.match(folded) or _COMPACT_DATE.match(folded)
    if match is None:
        return None
    return make_date(int(match[1]), int(match[2]), int(match[3]))


def month_day(text: str) -> tuple[int, int] | None:
    """A month-day without a year, as the 日期 line usually gives it."""
    match = _MONTH_DAY.match(label_form(text))
    return (int(match[1]), int(match[2])) if match else None


def has_year(text: str) -> bool:
    """Whether a date value carries its own year (then no inference happens)."""
    folded = label_form(text)
    return _FULL_DATE.match(folded) is not None or _COMPACT_DATE.match(folded) is not None


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """A date, or None when the numbers make no real day (02-30)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def infer_year(read_on: dt.date, month: int, day: int) -> dt.date | None:
    """The date with that month-day nearest to the read date, never more than two days after it."""
    best: dt.date | None = None
    for year in range(read_on.year - 8, read_on.year + 2):
        candidate = make_date(year, month, day)
        if candidate is None or (candidate - read_on).days > 2:
            continue
        if best is None or abs((candidate - read_on).days) < abs((best - read_on).days):
            best = candidate
    return best
