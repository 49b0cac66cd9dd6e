"""Kaplan-Meier estimates for time-to-event data with right censoring.

A thin, typed layer over :class:`lifelines.KaplanMeierFitter`, so that the rest of the package works
with plain DataFrames and the estimator's conventions (censoring, confidence intervals) are in one
place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter

from evaluation._frame import require_columns


@dataclass(frozen=True)
class KaplanMeierResult:
    """A fitted Kaplan-Meier curve.

    Attributes
    ----------
    label : str
        Name of the curve (e.g. the group it describes).
    table : pandas.DataFrame
        One row per distinct time (starting at 0) with columns ``time`` (days), ``at_risk``,
        ``events``, ``censored``, ``survival`` (the estimate of S(t), in [0, 1]) and
        ``ci_lower``/``ci_upper`` (95 % exponential Greenwood interval, in [0, 1]).
    median : float
        Smallest time at which S(t) <= 0.5; ``inf`` when the curve never falls that low and ``nan``
        when there are no observations.
    n : int
        Number of subjects.
    n_events : int
        Number of observed (uncensored) events.
    """

    label: str
    table: pd.DataFrame
    median: float
    n: int
    n_events: int

    def survival_at(self, time: float) -> float:
        """Return S(``time``): the step function's value at ``time`` (``nan`` if no data)."""
        if self.table.empty:
            return float("nan")
        before = self.table[self.table["time"] <= time]
        return float(before["survival"].iloc[-1]) if not before.empty else 1.0

    def cumulative_incidence_at(self, time: float) -> float:
        """Return 1 - S(``time``): the estimated share with the event by ``time``, in [0, 1]."""
        return 1.0 - self.survival_at(time)


def kaplan_meier(
    durations: pd.Series | np.ndarray | list[float],
    observed: pd.Series | np.ndarray | list[bool],
    *,
    label: str = "KM",
) -> KaplanMeierResult:
    """Fit a Kaplan-Meier survival curve with right censoring.

    Parameters
    ----------
    durations : array-like of float, shape (n,)
        Time from origin (e.g. programme entry) to the event or to censoring, in days, >= 0.
    observed : array-like of bool, shape (n,)
        True when the event happened at ``durations``; False when the subject was censored then
        (still waiting when follow-up ended).
    label : str
        Name of the curve.

    Returns
    -------
    KaplanMeierResult
        The step function S(t) = prod over event times t_i <= t of (1 - d_i / n_i), where d_i is the
        number of events at t_i and n_i the number still at risk just before t_i.

    Raises
    ------
    ValueError
        If the inputs differ in length or a duration is negative or missing.
    """
    t = np.asarray(durations, dtype=float)
    e = np.asarray(observed, dtype=bool)
    if t.shape != e.shape:
        raise ValueError(f"durations and observed differ in length: {t.shape} vs {e.shape}")
    if t.size and (np.isnan(t).any() or (t < 0).any()):
        raise ValueError("durations must be non-negative numbers")
    if t.size == 0:
        empty = pd.DataFrame(
            {
                "time": pd.Series(dtype=float),
                "at_risk": pd.Series(dtype=int),
                "events": pd.Series(dtype=int),
                "censored": pd.Series(dtype=int),
                "survival": pd.Series(dtype=float),
                "ci_lower": pd.Series(dtype=float),
                "ci_upper": pd.Series(dtype=float),
            }
        )
        return KaplanMeierResult(label=label, table=empty, median=float("nan"), n=0, n_events=0)

    fitter = KaplanMeierFitter(label=label).fit(t, event_observed=e)
    events = fitter.event_table
    survival = fitter.survival_function_[label]
    ci = fitter.confidence_interval_survival_function_
    table = pd.DataFrame(
        {
            "time": events.index.to_numpy(dtype=float),
            "at_risk": events["at_risk"].to_numpy(dtype=int),
            "events": events["observed"].to_numpy(dtype=int),
            "censored": events["censored"].to_numpy(dtype=int),
            "survival": survival.reindex(events.index).to_numpy(dtype=float),
            "ci_lower": ci.iloc[:, 0].reindex(events.index).to_numpy(dtype=float),
            "ci_upper": ci.iloc[:, 1].reindex(events.index).to_numpy(dtype=float),
        }
    )
    median = float(fitter.median_survival_time_)
    return KaplanMeierResult(
        label=label,
        table=table,
        median=median if not math.isnan(median) else float("nan"),
        n=int(t.size),
        n_events=int(e.sum()),
    )


def kaplan_meier_by_group(
    frame: pd.DataFrame,
    *,
    duration_col: str = "days",
    observed_col: str = "observed",
    group_col: str | None = None,
    overall_label: str = "all",
) -> list[KaplanMeierResult]:
    """Fit one Kaplan-Meier curve per group of ``frame`` (or one for all rows).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per subject, e.g. the output of :func:`evaluation.metrics.time_to_event`.
    duration_col, observed_col : str
        Columns holding the duration in days (>= 0) and the event indicator (bool).
    group_col : str or None
        Column to split on; groups are returned sorted by their value. ``None`` fits one curve.
    overall_label : str
        Label of the single curve when ``group_col`` is None.

    Returns
    -------
    list of KaplanMeierResult
    """
    columns = [duration_col, observed_col] + ([group_col] if group_col else [])
    require_columns(frame, columns, frame_name="time-to-event frame")
    if group_col is None:
        return [kaplan_meier(frame[duration_col], frame[observed_col], label=overall_label)]
    return [
        kaplan_meier(part[duration_col], part[observed_col], label=str(key))
        for key, part in frame.groupby(group_col, sort=True, dropna=False)
    ]
