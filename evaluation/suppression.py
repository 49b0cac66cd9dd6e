"""Breakdowns by coach, municipality or any recorded grouping, with small groups suppressed.

Evaluators see pseudonymised aggregates only. A group with fewer than ``min_count`` people could
identify someone, so all its figures are blanked; when exactly one group in a table is blanked, the
next smallest is blanked too (secondary suppression), since otherwise its count could be recovered
from the total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from evaluation._frame import date_series, flags, require_columns, share, to_timestamp
from evaluation.metrics import COMPETITIVE_TYPES, JOB_TYPES, time_to_event

MIN_GROUP_SIZE = 5


def suppress_small_groups(
    table: pd.DataFrame,
    *,
    count_col: str = "participants",
    key_cols: Sequence[str] = ("group",),
    min_count: int = MIN_GROUP_SIZE,
    secondary: bool = True,
) -> pd.DataFrame:
    """Blank every figure of rows whose ``count_col`` is below ``min_count``.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per group: ``key_cols`` name the group, ``count_col`` is its number of people,
        every other column is a figure about it.
    min_count : int
        Smallest publishable group, >= 1 (5 by default).
    secondary : bool
        When exactly one row is suppressed, also suppress the smallest remaining row.

    Returns
    -------
    pandas.DataFrame
        A copy with figures of suppressed rows set to missing (``count_col`` as nullable
        ``Int64``) and a boolean ``suppressed`` column.
    """
    require_columns(table, [count_col, *key_cols], frame_name="breakdown table")
    if min_count < 1:
        raise ValueError(f"min_count must be >= 1, got {min_count}")
    counts = pd.to_numeric(table[count_col], errors="coerce")
    small = (counts < min_count).to_numpy()
    if secondary and small.sum() == 1 and (~small).sum() >= 1:
        rest = counts.where(~small)
        small[int(np.nanargmin(rest.to_numpy(dtype=float)))] = True
    out = table.assign(suppressed=small)
    out[count_col] = pd.array(counts.to_numpy(), dtype="Int64")
    for column in out.columns:
        if column in (*key_cols, "suppressed"):
            continue
        if column == count_col:
            out.loc[small, column] = pd.NA
        else:
            values = out[column]
            if pd.api.types.is_integer_dtype(values):
                out[column] = values.astype("Int64").mask(small, pd.NA)
            elif pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
                out[column] = values.astype(float).where(~small, np.nan)
            else:
                out[column] = values.astype(object).where(~small, None)
    return out


def breakdown(
    participants: pd.DataFrame,
    placements: pd.DataFrame,
    contacts: pd.DataFrame,
    *,
    by: str,
    date_from: dt.date | str,
    date_to: dt.date | str,
    participant_col: str = "participant_code",
    entry_col: str = "entry_date",
    exit_col: str = "exit_date",
    type_col: str = "placement_type",
    start_col: str = "start_date",
    end_col: str = "end_date",
    contact_date_col: str = "contact_date",
    face_to_face_col: str = "face_to_face",
    competitive_types: Collection[str] = COMPETITIVE_TYPES,
    job_types: Collection[str] = JOB_TYPES,
    within_days: int = 30,
    min_count: int = MIN_GROUP_SIZE,
) -> pd.DataFrame:
    """Key outcomes per group of participants, small groups suppressed.

    Definitions
    -----------
    Participants are those active at some point in [date_from, date_to] (entry <= date_to, exit
    missing or >= date_from); ``by`` is any participant column (coach, municipality, recorded group
    label; missing values form the group ``"unknown"``). Per group: ``participants``;
    ``competitive_share`` = share with a competitive job overlapping the period; ``any_job_share``
    likewise for any job; ``median_days_first_contact`` = median days from entry to first
    face-to-face employer contact among those who had one; ``contact_within_share`` = share with
    that contact within ``within_days`` among those who can be judged (see
    :func:`evaluation.metrics.time_to_event_summary`). All shares are in [0, 1].

    Returns
    -------
    pandas.DataFrame
        One row per group (column ``group``), sorted by group, passed through
        :func:`suppress_small_groups`.
    """
    require_columns(
        participants, [participant_col, entry_col, exit_col, by], frame_name="participants"
    )
    require_columns(
        placements, [participant_col, type_col, start_col, end_col], frame_name="placements"
    )
    start, end = to_timestamp(date_from), to_timestamp(date_to)
    entry, exit_ = date_series(participants, entry_col), date_series(participants, exit_col)
    active = participants[(entry <= end) & (exit_.isna() | (exit_ >= start))]
    groups = active[by].astype("string").fillna("unknown")

    p_start, p_end = date_series(placements, start_col), date_series(placements, end_col)
    overlapping = placements[(p_start <= end) & (p_end.isna() | (p_end >= start))]
    competitive = set(
        overlapping.loc[overlapping[type_col].isin(list(competitive_types)), participant_col]
    )
    employed = set(overlapping.loc[overlapping[type_col].isin(list(job_types)), participant_col])

    tte = time_to_event(
        active,
        contacts,
        date_to=end,
        participant_col=participant_col,
        entry_col=entry_col,
        exit_col=exit_col,
        event_date_col=contact_date_col,
        event_mask=flags(contacts[face_to_face_col])
        if face_to_face_col in contacts.columns
        else None,
    ).set_index(participant_col)

    rows = []
    for group in sorted(groups.unique()):
        people = active.loc[groups == group, participant_col]
        ids = set(people)
        waits = tte[tte.index.isin(ids)]
        seen = waits[waits["observed"]]
        within = waits["observed"] & (waits["days"] <= within_days)
        evaluable = int((within | (waits["days"] >= within_days)).sum())
        rows.append(
            {
                "group": str(group),
                "participants": len(ids),
                "competitive_share": share(len(ids & competitive), len(ids)),
                "any_job_share": share(len(ids & employed), len(ids)),
                "median_days_first_contact": float(seen["days"].median())
                if len(seen)
                else float("nan"),
                "contact_within_share": share(int(within.sum()), evaluable),
            }
        )
    table = pd.DataFrame(
        rows,
        columns=[
            "group",
            "participants",
            "competitive_share",
            "any_job_share",
            "median_days_first_contact",
            "contact_within_share",
        ],
    )
    return suppress_small_groups(table, min_count=min_count)
