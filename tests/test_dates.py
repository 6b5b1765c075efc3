"""`--date` values: days, months, years and ranges with open ends, one parser for every command."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from epaper_cli.dates import FORMS, parse_day, parse_span
from epaper_cli.errors import UsageError

D = dt.date


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2025-08-26", D(2025, 8, 26), D(2025, 8, 26)),
        (" 2025-08-26 ", D(2025, 8, 26), D(2025, 8, 26)),
        ("2025-08", D(2025, 8, 1), D(2025, 8, 31)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2025", D(2025, 1, 1), D(2025, 12, 31)),
        ("2025-08-01..2025-08-15", D(2025, 8, 1), D(2025, 8, 15)),
        ("2025-06..2025-08", D(2025, 6, 1), D(2025, 8, 31)),
        ("2024..2025-02", D(2024, 1, 1), D(2025, 2, 28)),
        ("2025-08-01..", D(2025, 8, 1), None),
        ("..2025-06", None, D(2025, 6, 30)),
    ],
)
def test_accepted_forms(value: str, first: dt.date | None, last: dt.date | None) -> None:
    span = parse_span(value)
    assert (span.first, span.last) == (first, last)


@pytest.mark.parametrize(
    "value",
    ["", "..", "20250826", "2025-8-26", "2025/08/26", "2025-13", "2025-02-30", "yesterday", "2025-08-26T10:00", "...5"],
)
def test_malformed_values_are_usage_errors_that_list_the_forms(value: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_span(value)
    assert caught.value.exit_code == 2
    assert caught.value.what == "--date"
    assert "YYYY-MM-DD" in caught.value.why


def test_an_empty_range_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="empty range"):
        parse_span("2025-08-15..2025-08-01")


def test_one_day_is_a_day_and_nothing_else_is() -> None:
    assert parse_span("2025-08-26").day == D(2025, 8, 26)
    assert parse_span("2025-08-26..2025-08-26").day is None
    assert parse_span("2025-08").day is None
    assert parse_day("2025-08-26") == D(2025, 8, 26)
    with pytest.raises(UsageError):
        parse_day("2025-08")


def test_file_part_writes_a_range_with_an_underscore() -> None:
    assert parse_span("2025-08-01..2025-08-15").file_part == "2025-08-01_2025-08-15"
    assert parse_span("2025-08").file_part == "2025-08"
    assert parse_span("2025-08-01..").file_part == "2025-08-01_"


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)), st.dates(D(1900, 1, 1), D(2100, 12, 31)))
def test_membership_matches_the_bounds(day: dt.date, probe: dt.date) -> None:
    assert (probe in parse_span(day.isoformat())) == (probe == day)
    assert (probe in parse_span(f"{day.year}-{day.month:02d}")) == ((probe.year, probe.month) == (day.year, day.month))
    assert (probe in parse_span(f"{day.isoformat()}..")) == (probe >= day)
    assert (probe in parse_span(f"..{day.isoformat()}")) == (probe <= day)


def test_the_forms_are_named_once() -> None:
    assert "YYYY-MM" in FORMS and ".." in FORMS
