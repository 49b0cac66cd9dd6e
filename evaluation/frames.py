"""The pseudonymised input of an evaluation: one DataFrame per log, for one reporting period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

PARTICIPANT_COLUMNS = (
    "participant_code",
    "coach",
    "municipality",
    "group_label",
    "status",
    "entry_date",
    "exit_date",
)
CONTACT_COLUMNS = (
    "contact_id",
    "participant_code",
    "coach",
    "employer_id",
    "contact_date",
    "mode",
    "face_to_face",
)
PLACEMENT_COLUMNS = (
    "placement_id",
    "participant_code",
    "placement_type",
    "employer_id",
    "occupation_id",
    "ssyk4_code",
    "start_date",
    "end_date",
    "end_reason",
    "hours_per_week",
    "suggestion_decision_id",
)
DECISION_COLUMNS = (
    "decision_id",
    "participant_code",
    "kind",
    "offer_ref",
    "employer_id",
    "rank_shown",
    "score",
    "decision",
    "reason_code",
    "engine_settings",
    "decided_date",
    "placed",
)
FOLLOW_ALONG_COLUMNS = ("participant_code", "placement_id", "contact_date", "mode", "face_to_face")


def empty_frame(columns: tuple[str, ...]) -> pd.DataFrame:
    """An empty frame with ``columns`` (object dtype)."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


@dataclass(frozen=True)
class EvaluationFrames:
    """Everything an evaluation reads, pseudonymised (participant codes only, never names).

    Attributes
    ----------
    date_from, date_to : datetime.date
        Closed reporting period.
    participants : pandas.DataFrame
        One row per participant active at some time in the period: ``PARTICIPANT_COLUMNS``.
    contacts : pandas.DataFrame
        Employer contacts carried out (not planned or cancelled) up to ``date_to``:
        ``CONTACT_COLUMNS``; ``participant_code`` is missing for general contacts.
    placements : pandas.DataFrame
        Jobs, practice and studies of those participants started by ``date_to``:
        ``PLACEMENT_COLUMNS``; ``placement_type`` in {competitive, subsidised, practice, studies}.
    decisions : pandas.DataFrame
        Suggestion decisions made in the period: ``DECISION_COLUMNS``; ``placed`` tells whether a
        placement came from the suggestion.
    follow_along : pandas.DataFrame
        Follow-along support contacts carried out up to ``date_to``: ``FOLLOW_ALONG_COLUMNS``.
    coaches : list of str
        Pseudonymous labels of all active coaches (so that a coach without contacts counts).
    """

    date_from: dt.date
    date_to: dt.date
    participants: pd.DataFrame = field(default_factory=lambda: empty_frame(PARTICIPANT_COLUMNS))
    contacts: pd.DataFrame = field(default_factory=lambda: empty_frame(CONTACT_COLUMNS))
    placements: pd.DataFrame = field(default_factory=lambda: empty_frame(PLACEMENT_COLUMNS))
    decisions: pd.DataFrame = field(default_factory=lambda: empty_frame(DECISION_COLUMNS))
    follow_along: pd.DataFrame = field(default_factory=lambda: empty_frame(FOLLOW_ALONG_COLUMNS))
    coaches: list[str] = field(default_factory=list)
