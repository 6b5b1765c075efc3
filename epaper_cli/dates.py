"""`--date` as every command takes it: a day, a month, a year, or an inclusive range of those with open ends.

One parser for export, list, search and report, with one message listing the accepted forms, so a date that
works in one command works in all of them, on every Python version (no `fromisoformat` leniency).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

from epaper_cli.errors import UsageError

FORMS = "YYYY-MM-DD, YYYY-MM, YYYY, or a range A..B of those (either end may be left open: 2025-08-01.., ..2025-06)"
_PART = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class DateSpan(NamedTuple):
    """The days a `--date` value selects, both ends included; `None` for an open end.

    (A named tuple, as the search command's other values: loading dataclasses made a search 1.1× as long.)"""

    first: dt.date | None
    last: dt.date | None
    text: str
    """The value as given (stripped): what default export names are made of."""

    def __contains__(self, day: object) -> bool:
        return (
            isinstance(day, dt.date)
            and (self.first is None or day >= self.first)
            and (self.last is None or day <= self.last)
        )

    @property
    def day(self) -> dt.date | None:
        """The one day this selects, when it selects exactly one (`2025-08-26`); else None."""
        return self.first if self.first is not None and self.first == self.last and ".." not in self.text else None

    @property
    def file_part(self) -> str:
        """The value as a file-name part: a range's `..` written `_` (`2025-08-01_2025-08-15`)."""
        return self.text.replace("..", "_")


def parse_day(value: str, option: str = "--date") -> dt.date:
    """One full day, `YYYY-MM-DD`, for options that take exactly one (`import --date`)."""
    span = parse_span(value, option)
    if span.day is None:
        raise UsageError(option, f"{value!r} is not a day: use YYYY-MM-DD")
    return span.day


def parse_span(value: str, option: str = "--date") -> DateSpan:
    """Read a `--date` value into the days it selects; a malformed value or an empty range is a usage error."""
    text = value.strip()
    start, dots, end = text.partition("..")
    if dots:
        if not start and not end:
            raise _bad(value, option)
        first = _bounds(start, value, option)[0] if start else None
        last = _bounds(end, value, option)[1] if end else None
        if first is not None and last is not None and first > last:
            raise UsageError(option, f"{value!r} is an empty range: its start is after its end")
        return DateSpan(first, last, text)
    first, last = _bounds(text, value, option)
    return DateSpan(first, last, text)


def _bounds(part: str, value: str, option: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a day, a month or a year."""
    match = _PART.fullmatch(part)
    if match is None:
        raise _bad(value, option)
    year, month, day = int(match[1]), match[2], match[3]
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            last_day = calendar.monthrange(year, int(month))[1]
            return dt.date(year, int(month), 1), dt.date(year, int(month), last_day)
        date = dt.date(year, int(month), int(day))
    except (ValueError, calendar.IllegalMonthError):
        raise UsageError(option, f"{value!r}: {part} is not a real date (accepted: {FORMS})") from None
    return date, date


def _bad(value: str, option: str) -> UsageError:
    return UsageError(option, f"{value!r} is not a date: use {FORMS}")
