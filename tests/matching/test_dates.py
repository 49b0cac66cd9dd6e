"""The one strict date reader: YYYY-MM-DD text or a date object, 1900-01-01 ... 2200-12-31."""

from __future__ import annotations

import datetime as dt

import pytest

from matching.dates import EARLIEST, LATEST, in_range, parse_iso_date, read_date


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2024-02-29", dt.date(2024, 2, 29)),  # a leap day
        ("1900-01-01", dt.date(1900, 1, 1)),
        ("2200-12-31", dt.date(2200, 12, 31)),
        (dt.date(2026, 1, 5), dt.date(2026, 1, 5)),
    ],
)
def test_iso_text_and_date_objects_are_read(value, day):
    assert parse_iso_date(value) == day
    assert read_date(value) == day


@pytest.mark.parametrize(
    "value",
    [
        0,  # pydantic: 1970-01-01 (a Unix timestamp)
        "0",
        86400,  # pydantic: 1970-01-02
        "86400",
        1.5,
        True,
        None,
        "",
        "   ",
        "2024-1-1",
        "20240101",  # ISO basic format: date.fromisoformat takes it
        "2024-W01-1",  # a week date: date.fromisoformat takes it
        "2024-02-30",
        "2023-02-29",  # not a leap year
        "2024-13-01",
        " 2024-01-01",
        "2024-01-01T00:00:00",
        "2024-01-01 00:00",
        "٢٠٢٤-٠١-٠١",  # Arabic-Indic digits match \d but not [0-9]
        dt.datetime(2024, 1, 1),
        [2024, 1, 1],
    ],
)
def test_anything_else_is_a_value_error(value):
    with pytest.raises(ValueError, match=r"date|empty"):
        parse_iso_date(value)
    with pytest.raises(ValueError):
        read_date(value)


def test_range_limits_are_inclusive():
    assert (EARLIEST, LATEST) == (dt.date(1900, 1, 1), dt.date(2200, 12, 31))
    assert in_range(EARLIEST) == EARLIEST and in_range(LATEST) == LATEST


@pytest.mark.parametrize("value", ["1899-12-31", "2201-01-01", "0001-01-01", "9999-12-31"])
def test_days_outside_the_range_are_refused(value):
    day = parse_iso_date(value)  # a real day ...
    with pytest.raises(ValueError, match="outside"):
        in_range(day)  # ... but not one pandas (or the evaluation) can hold
    with pytest.raises(ValueError, match="outside"):
        read_date(value)
