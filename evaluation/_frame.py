"""Small helpers shared by the metric modules: column checks and date coercion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd


def require_columns(frame: pd.DataFrame, columns: Iterable[str], *, frame_name: str) -> None:
    """Raise ``ValueError`` naming the first column of ``columns`` missing from ``frame``."""
    for column in columns:
        if column not in frame.columns:
            present = ", ".join(map(str, frame.columns))
            raise ValueError(f"{frame_name} has no column {column!r} (columns: {present})")


def to_timestamp(value: dt.date | str | pd.Timestamp) -> pd.Timestamp:
    """Return ``value`` as a midnight ``pd.Timestamp`` (dates, ISO strings and timestamps)."""
    return pd.Timestamp(value).normalize()


def date_series(frame: pd.DataFrame, column: str) -> pd.Series:
    """Return ``frame[column]`` as a normalised datetime64 series (``NaT`` for missing values)."""
    return pd.to_datetime(frame[column]).dt.normalize()


def share(numerator: float, denominator: float) -> float:
    """Return ``numerator / denominator``, or ``nan`` when the denominator is zero."""
    return float(numerator) / float(denominator) if denominator else float("nan")


def flags(series: pd.Series) -> pd.Series:
    """Return a plain bool series: True where ``series`` holds True, False for False or missing.

    (``fillna(False)`` on an object column would trigger pandas' downcasting warning.)
    """
    return series.isin([True]).astype(bool)
