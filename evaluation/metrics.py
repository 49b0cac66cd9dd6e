"""Outcome metrics: employment rates per quarter, time to first contact and job, job tenure.

Every function is pure: it reads DataFrames whose column names are keyword arguments (defaults match
:mod:`evaluation.loaders`), checks those columns first and returns new DataFrames or plain values.
Dates may be ``datetime.date``, ``datetime64`` or ISO strings; missing dates are ``None``/``NaT``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

import numpy as np
import pandas as pd

from evaluation._frame import date_series, flags, require_columns, share, to_timestamp
from evaluation.survival import kaplan_meier

#: IPS learning-community benchmarks for the quarterly competitive employment rate.
IPS_BANDS: dict[str, float] = {"minimum": 0.31, "average": 0.41, "excellent": 0.50}

COMPETITIVE_TYPES: tuple[str, ...] = ("competitive",)
JOB_TYPES: tuple[str, ...] = ("competitive", "subsidised")
PRACTICE_TYPES: tuple[str, ...] = ("practice",)
STUDIES_TYPES: tuple[str, ...] = ("studies",)


def ips_band(rate: float) -> str:
    """Name the IPS benchmark band a quarterly competitive employment rate falls in.

    Parameters
    ----------
    rate : float
        Share in [0, 1].

    Returns
    -------
    str
        ``"excellent"`` (>= 50 %), ``"average"`` (>= 41 %), ``"minimum"`` (>= 31 %),
        ``"below_minimum"`` (< 31 %) or ``"no_data"`` for ``nan``.
    """
    if rate is None or np.isnan(rate):
        return "no_data"
    if rate >= IPS_BANDS["excellent"]:
        return "excellent"
    if rate >= IPS_BANDS["average"]:
        return "average"
    if rate >= IPS_BANDS["minimum"]:
        return "minimum"
    return "below_minimum"


def quarters(date_from: dt.date | str, date_to: dt.date | str) -> pd.PeriodIndex:
    """Return the calendar quarters overlapping the closed interval [date_from, date_to]."""
    start, end = to_timestamp(date_from), to_timestamp(date_to)
    if end < start:
        raise ValueError(f"date_to {end.date()} is before date_from {start.date()}")
    return pd.period_range(start.to_period("Q"), end.to_period("Q"), freq="Q")


def _overlaps(
    start: pd.Series, end: pd.Series, window_start: pd.Timestamp, window_end: pd.Timestamp
) -> pd.Series:
    """Rows whose [start, end] interval (open end for NaT) overlaps [window_start, window_end]."""
    return (start <= window_end) & (end.isna() | (end >= window_start))


def quarterly_outcome_rates(
    participants: pd.DataFrame,
    placements: pd.DataFrame,
    *,
    date_from: dt.date | str,
    date_to: dt.date | str,
    participant_col: str = "participant_code",
    entry_col: str = "entry_date",
    exit_col: str = "exit_date",
    type_col: str = "placement_type",
    start_col: str = "start_date",
    end_col: str = "end_date",
    competitive_types: Collection[str] = COMPETITIVE_TYPES,
    job_types: Collection[str] = JOB_TYPES,
    practice_types: Collection[str] = PRACTICE_TYPES,
    studies_types: Collection[str] = STUDIES_TYPES,
) -> pd.DataFrame:
    """Employment, practice and studies rates among active participants, per calendar quarter.

    Definitions
    -----------
    A participant is *active* in a quarter when programme entry is on or before the quarter's last
    day and exit is missing or on or after its first day (quarters are clipped to
    [date_from, date_to]). The *competitive employment rate* is the number of active participants
    with at least one competitive placement overlapping the quarter divided by the number of active
    participants (the IPS learning community's quarterly measure). *Any job* counts competitive and
    subsidised jobs (``job_types``); *practice* and *studies* count those placement types.

    Parameters
    ----------
    participants : pandas.DataFrame
        One row per participant: ``participant_col``, ``entry_col``, ``exit_col``.
    placements : pandas.DataFrame
        One row per placement: ``participant_col``, ``type_col``, ``start_col``, ``end_col``
        (missing end = ongoing).
    date_from, date_to : date or str
        Closed reporting interval.
    competitive_types, job_types, practice_types, studies_types : collection of str
        Values of ``type_col`` that count for each outcome.

    Returns
    -------
    pandas.DataFrame
        One row per quarter (``quarter`` as ``"2025Q1"``) with ``active`` (int), and for each
        outcome in (``competitive``, ``any_job``, ``practice``, ``studies``) the count and the
        ``<outcome>_rate`` in [0, 1] (``nan`` when nobody is active), plus ``band`` from
        :func:`ips_band` for the competitive rate.
    """
    require_columns(participants, [participant_col, entry_col, exit_col], frame_name="participants")
    require_columns(
        placements, [participant_col, type_col, start_col, end_col], frame_name="placements"
    )
    start, end = to_timestamp(date_from), to_timestamp(date_to)
    entry = date_series(participants, entry_col)
    exit_ = date_series(participants, exit_col)
    p_start = date_series(placements, start_col)
    p_end = date_series(placements, end_col)
    p_type = placements[type_col].astype("string")
    outcomes = {
        "competitive": competitive_types,
        "any_job": job_types,
        "practice": practice_types,
        "studies": studies_types,
    }
    rows: list[dict[str, Any]] = []
    for quarter in quarters(start, end):
        q_start = max(quarter.start_time.normalize(), start)
        q_end = min(quarter.end_time.normalize(), end)
        active = set(participants.loc[_overlaps(entry, exit_, q_start, q_end), participant_col])
        in_quarter = _overlaps(p_start, p_end, q_start, q_end)
        row: dict[str, Any] = {"quarter": str(quarter), "active": len(active)}
        for name, types in outcomes.items():
            mask = in_quarter & p_type.isin(list(types)).fillna(False)
            people = set(placements.loc[mask, participant_col]) & active
            row[name] = len(people)
            row[f"{name}_rate"] = share(len(people), len(active))
        row["band"] = ips_band(row["competitive_rate"])
        rows.append(row)
    return pd.DataFrame(rows)


def time_to_event(
    participants: pd.DataFrame,
    events: pd.DataFrame,
    *,
    date_to: dt.date | str,
    participant_col: str = "participant_code",
    entry_col: str = "entry_date",
    exit_col: str = "exit_date",
    event_date_col: str = "contact_date",
    event_mask: pd.Series | None = None,
) -> pd.DataFrame:
    """Days from programme entry to each participant's first event, with right censoring.

    Definitions
    -----------
    The first event is the earliest event on or after the entry date (events dated before entry
    are ignored). A participant without such an event up to ``date_to`` is *censored* at
    min(exit date, ``date_to``): we only know that the wait is at least that long. Participants
    entering after ``date_to`` are left out.

    Parameters
    ----------
    participants : pandas.DataFrame
        ``participant_col``, ``entry_col`` and ``exit_col``.
    events : pandas.DataFrame
        ``participant_col`` and ``event_date_col`` (e.g. face-to-face employer contacts, or job
        starts).
    date_to : date or str
        End of follow-up.
    event_mask : pandas.Series of bool, optional
        Which rows of ``events`` count (e.g. face-to-face contacts only); aligned on the index.

    Returns
    -------
    pandas.DataFrame
        One row per participant: ``participant_col``, ``entry_date``, ``event_date`` (NaT if
        censored), ``days`` (int >= 0) and ``observed`` (bool).
    """
    require_columns(participants, [participant_col, entry_col, exit_col], frame_name="participants")
    require_columns(events, [participant_col, event_date_col], frame_name="events")
    end = to_timestamp(date_to)
    people = pd.DataFrame(
        {
            participant_col: participants[participant_col].to_numpy(),
            "entry_date": date_series(participants, entry_col).to_numpy(),
            "exit_date": date_series(participants, exit_col).to_numpy(),
        }
    )
    people = people[people["entry_date"].notna() & (people["entry_date"] <= end)]
    ev = pd.DataFrame(
        {
            participant_col: events[participant_col].to_numpy(),
            "event_date": date_series(events, event_date_col).to_numpy(),
        }
    )
    if event_mask is not None:
        ev = ev[flags(event_mask.reindex(events.index)).to_numpy()]
    merged = people.merge(ev, on=participant_col, how="left")
    valid = (
        merged["event_date"].notna()
        & (merged["event_date"] >= merged["entry_date"])
        & (merged["event_date"] <= end)
    )
    first = merged[valid].groupby(participant_col, sort=False)["event_date"].min()
    out = people.assign(event_date=people[participant_col].map(first))
    follow_end = out["exit_date"].where(out["exit_date"].notna() & (out["exit_date"] < end), end)
    follow_end = follow_end.where(follow_end >= out["entry_date"], out["entry_date"])
    observed = out["event_date"].notna()
    stop = out["event_date"].where(observed, follow_end)
    out = out.assign(
        days=(stop - out["entry_date"]).dt.days.astype(int),
        observed=observed.astype(bool),
    )
    return out[[participant_col, "entry_date", "event_date", "days", "observed"]].reset_index(
        drop=True
    )


def time_to_event_summary(
    frame: pd.DataFrame,
    *,
    days_col: str = "days",
    observed_col: str = "observed",
    within_days: int = 30,
) -> dict[str, float]:
    """Summarise a time-to-event frame: medians, share within a deadline, KM estimates.

    Definitions
    -----------
    ``median_days_observed`` is the median of ``days`` among participants with the event (it
    ignores those still waiting, so it is optimistic). ``share_within`` is the number with the
    event within ``within_days`` divided by those who either had it that fast or were followed at
    least ``within_days`` days (people with shorter follow-up cannot yet be judged).
    ``km_median_days`` is the Kaplan-Meier median (``inf`` when fewer than half have had the event)
    and ``km_share_within`` = 1 - S(``within_days``), the KM estimate of the share with the event by
    the deadline; both account for censoring.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`time_to_event` (or any frame with ``days_col`` and ``observed_col``).
    within_days : int
        Deadline in days, 30 for the IPS one-month rule.

    Returns
    -------
    dict
        ``n``, ``n_observed``, ``n_censored``, ``median_days_observed``, ``mean_days_observed``,
        ``n_evaluable``, ``n_within``, ``share_within`` (in [0, 1]), ``km_median_days``,
        ``km_share_within`` (in [0, 1]); ``nan`` where undefined.
    """
    require_columns(frame, [days_col, observed_col], frame_name="time-to-event frame")
    days = frame[days_col].astype(float)
    observed = frame[observed_col].astype(bool)
    within = observed & (days <= within_days)
    evaluable = within | (days >= within_days)
    km = kaplan_meier(days, observed)
    return {
        "n": int(len(frame)),
        "n_observed": int(observed.sum()),
        "n_censored": int((~observed).sum()),
        "median_days_observed": float(days[observed].median()) if observed.any() else float("nan"),
        "mean_days_observed": float(days[observed].mean()) if observed.any() else float("nan"),
        "n_evaluable": int(evaluable.sum()),
        "n_within": int(within.sum()),
        "share_within": share(int(within.sum()), int(evaluable.sum())),
        "km_median_days": km.median,
        "km_share_within": km.cumulative_incidence_at(within_days) if km.n else float("nan"),
    }


def job_tenure(
    placements: pd.DataFrame,
    *,
    date_to: dt.date | str,
    type_col: str = "placement_type",
    start_col: str = "start_date",
    end_col: str = "end_date",
    hours_col: str = "hours_per_week",
    job_types: Collection[str] = JOB_TYPES,
) -> pd.DataFrame:
    """Tenure in days of each job started on or before ``date_to``, censored if still ongoing.

    Definitions
    -----------
    Tenure = end date - start date in days for ended jobs (``ended`` True). A job with no end date,
    or one ending after ``date_to``, is still ongoing: its tenure is ``date_to`` - start and
    ``ended`` is False (right-censored, use Kaplan-Meier for the median).

    Returns
    -------
    pandas.DataFrame
        The job rows of ``placements`` (types in ``job_types``) with added ``tenure_days``
        (int >= 0) and ``ended`` (bool); ``hours_col`` is carried along as float.
    """
    require_columns(placements, [type_col, start_col, end_col, hours_col], frame_name="placements")
    end = to_timestamp(date_to)
    jobs = placements[placements[type_col].isin(list(job_types))]
    start = date_series(jobs, start_col)
    stop = date_series(jobs, end_col)
    jobs = jobs[start.notna() & (start <= end)]
    start, stop = start[jobs.index], stop[jobs.index]
    ended = stop.notna() & (stop <= end)
    last = stop.where(ended, end)
    return jobs.assign(
        tenure_days=(last - start).dt.days.clip(lower=0).astype(int),
        ended=ended.astype(bool),
        **{hours_col: pd.to_numeric(jobs[hours_col], errors="coerce").astype(float)},
    ).reset_index(drop=True)


def job_tenure_summary(
    tenure: pd.DataFrame,
    *,
    hours_col: str = "hours_per_week",
) -> dict[str, float]:
    """Summarise :func:`job_tenure`: counts, Kaplan-Meier median tenure and hours per week.

    Returns
    -------
    dict
        ``n_jobs``, ``n_ended``, ``n_ongoing``, ``km_median_tenure_days`` (``inf`` if fewer than
        half have ended), ``share_lasting_90_days`` (KM estimate of S(90), in [0, 1]),
        ``median_hours_per_week``, ``mean_hours_per_week``, ``share_20_hours_or_more``
        (share of jobs with known hours that have >= 20 h/week, in [0, 1]).
    """
    require_columns(tenure, ["tenure_days", "ended", hours_col], frame_name="job tenure frame")
    km = kaplan_meier(tenure["tenure_days"], tenure["ended"], label="tenure")
    hours = tenure[hours_col].dropna()
    return {
        "n_jobs": int(len(tenure)),
        "n_ended": int(tenure["ended"].sum()),
        "n_ongoing": int((~tenure["ended"]).sum()),
        "km_median_tenure_days": km.median,
        "share_lasting_90_days": km.survival_at(90) if km.n else float("nan"),
        "median_hours_per_week": float(hours.median()) if len(hours) else float("nan"),
        "mean_hours_per_week": float(hours.mean()) if len(hours) else float("nan"),
        "share_20_hours_or_more": share(int((hours >= 20).sum()), len(hours)),
    }


def job_endings(
    placements: pd.DataFrame,
    *,
    date_from: dt.date | str,
    date_to: dt.date | str,
    type_col: str = "placement_type",
    end_col: str = "end_date",
    reason_col: str = "end_reason",
    job_types: Collection[str] = JOB_TYPES,
) -> pd.DataFrame:
    """Jobs ending within [date_from, date_to], counted by reason.

    Returns
    -------
    pandas.DataFrame
        Columns ``end_reason`` (missing reasons as ``"unknown"``), ``count`` (int) and ``share``
        (of all endings, in [0, 1]), sorted by count descending then reason.
    """
    require_columns(placements, [type_col, end_col, reason_col], frame_name="placements")
    start, end = to_timestamp(date_from), to_timestamp(date_to)
    stop = date_series(placements, end_col)
    mask = placements[type_col].isin(list(job_types)) & stop.between(start, end)
    reasons = placements.loc[mask, reason_col].astype("string").fillna("unknown")
    reasons = reasons.where(reasons.str.strip() != "", "unknown")
    counts = reasons.value_counts()
    out = pd.DataFrame(
        {"end_reason": counts.index.astype(str), "count": counts.to_numpy(dtype=int)}
    )
    total = int(out["count"].sum())
    out = out.assign(share=out["count"] / total if total else out["count"].astype(float))
    return out.sort_values(["count", "end_reason"], ascending=[False, True]).reset_index(drop=True)
