"""Strict reading of dates typed by people and programs: ``YYYY-MM-DD`` and nothing else.

One reader for every input date of the project (register, participant side, evaluation,
command line). Pydantic reads ``0`` or ``"86400"`` as a Unix timestamp (1970-01-01,
1970-01-02) and Python's ``date.fromisoformat`` takes ``20240101`` and week dates; here those
are errors. Pure Python, so the schemas of every package can share it.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["EARLIEST", "LATEST", "in_range", "parse_iso_date", "read_date"]

# Dates pandas can hold (nanosecond timestamps: 1677-09-21 ... 2262-04-11), with room for the
# default year before a last day.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_date(value: object) -> dt.date:
    """Read one date written as ``YYYY-MM-DD``.

    Parameters
    ----------
    value : object
        Text ``YYYY-MM-DD`` (exactly four, two and two digits, a real calendar day), or a
        ``datetime.date`` (not a ``datetime.datetime``), which is returned as it is.

    Returns
    -------
    datetime.date

    Raises
    ------
    ValueError
        For anything else, with a plain message: numbers (no Unix timestamps), empty or blank
        text, ``20240101``, ``2024-1-1``, ``2024-02-30``, datetimes and their text.
    """
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
    """Check that a day lies within ``EARLIEST ... LATEST`` (1900-01-01 ... 2200-12-31).

    Parameters
    ----------
    day : datetime.date

    Returns
    -------
    datetime.date
        ``day`` itself.

    Raises
    ------
    ValueError
        When ``day`` is before ``EARLIEST`` or after ``LATEST``.
    """
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"{day} is outside {EARLIEST} ... {LATEST}")
    return day


def read_date(value: object) -> dt.date:
    """``in_range(parse_iso_date(value))``: a strict ISO date within ``EARLIEST ... LATEST``.

    Parameters
    ----------
    value : object
        As for :func:`parse_iso_date`.

    Returns
    -------
    datetime.date

    Raises
    ------
    ValueError
        When ``value`` is not ``YYYY-MM-DD`` text or a date, or lies outside the range.
    """
    return in_range(parse_iso_date(value))
