"""Strict reading of dates typed by people and programs: ``YYYY-MM-DD`` and nothing else.

Pydantic reads ``0`` or ``"86400"`` as a Unix timestamp (1970-01-01, 1970-01-02) and Python's
``date.fromisoformat`` takes ``20240101`` and week dates; here those are errors naming the field.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BeforeValidator

# Dates pandas can hold (nanosecond timestamps: 1677-09-21 ... 2262-04-11), with room for the
# default year before a last day.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_date(value: object) -> dt.date:
    """``value`` as a date if it is ``YYYY-MM-DD`` text (or already a date); ``ValueError``
    with a plain message otherwise."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("empty: write a date as YYYY-MM-DD")
        if _ISO_DATE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError as exc:
                raise ValueError(f"{value!r} is not a date ({exc})") from None
    raise ValueError(f"{value!r} is not a date: write it as YYYY-MM-DD")


def in_range(day: dt.date) -> dt.date:
    """``day`` if it lies within ``EARLIEST ... LATEST``; ``ValueError`` otherwise."""
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"{day} is outside {EARLIEST} ... {LATEST}")
    return day


def _period_day(value: object) -> object:
    return in_range(parse_iso_date(value))


PeriodDay = Annotated[dt.date, BeforeValidator(_period_day)]
"""A day of an evaluation period, as a query parameter: strict ISO, within what pandas holds."""


def check_period(
    date_from: dt.date | None, date_to: dt.date | None, *, names: tuple[str, str] = ("from", "to")
) -> None:
    """``ValueError("<name>: ...")`` when the first day given is after the last day given, or
    after today when no last day is given (today is then the default last day)."""
    if date_from is None:
        return
    if date_to is not None:
        if date_to < date_from:
            raise ValueError(f"{names[1]}: {date_to} is before the first day, {date_from}")
        return
    today = dt.date.today()
    if date_from > today:
        raise ValueError(f"{names[0]}: {date_from} is after today, the default last day")
