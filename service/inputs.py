"""Strict dates at the web and command-line edges: evaluation periods.

The reader itself (``YYYY-MM-DD`` only, within ``EARLIEST ... LATEST``) lives in
:mod:`matching.dates` so that the register and participant schemas share it; its names are
re-exported here for the routes and commands that import them from this module.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BeforeValidator

from matching.dates import EARLIEST, LATEST, in_range, parse_iso_date, read_date

__all__ = [
    "EARLIEST",
    "LATEST",
    "PeriodDay",
    "check_period",
    "in_range",
    "parse_iso_date",
    "read_date",
]

PeriodDay = Annotated[dt.date, BeforeValidator(read_date)]
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
