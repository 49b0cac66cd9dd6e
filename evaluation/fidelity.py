"""IPS-25 fidelity items that can be scored from the programme's own logs.

The IPS Supported Employment Fidelity Scale (IPS-25; Becker, Swanson, Reese, Bond & McLeman,
*Supported Employment Fidelity Review Manual*, 4th ed., 2019) rates 25 items from 1 (not
implemented) to 5 (fully implemented). Seven of them depend only on counts ipsmatch records;
each function below scores one of them and returns the score together with the data behind it, so
that an evaluator can check the number. The remaining items need interviews and file review and are
not scored here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from evaluation._frame import date_series, flags, require_columns, share, to_timestamp
from evaluation.metrics import COMPETITIVE_TYPES, JOB_TYPES, time_to_event


@dataclass(frozen=True)
class FidelityItem:
    """One scored IPS-25 item.

    Attributes
    ----------
    key : str
        Stable identifier, e.g. ``"caseload_size"``.
    title_sv, title_en : str
        Item name in Swedish and English.
    score : int or None
        Anchor score in 1..5; ``None`` when there is no data to score.
    value : float
        The measured quantity the score is read from (its unit is in ``unit``).
    unit : str
        Unit of ``value`` (e.g. ``"participants per coach"``).
    anchors : tuple of str
        The five anchors, index 0 = score 1.
    data : pandas.DataFrame
        The rows the value was computed from (per coach or per job), pseudonymised.
    details : dict
        Further numbers behind the value (counts, denominators).
    """

    key: str
    title_sv: str
    title_en: str
    score: int | None
    value: float
    unit: str
    anchors: tuple[str, ...]
    data: pd.DataFrame
    details: dict[str, Any] = field(default_factory=dict)
    unit_sv: str = ""
    anchors_sv: tuple[str, ...] = ()

    def as_row(self) -> dict[str, Any]:
        """Return the item as a flat, JSON-able summary row (texts in English and Swedish)."""
        return {
            "key": self.key,
            "title_sv": self.title_sv,
            "title_en": self.title_en,
            "score": self.score,
            "value": None if math.isnan(self.value) else round(float(self.value), 4),
            "unit": self.unit,
            "unit_sv": self.unit_sv,
            "anchor": self.anchors[self.score - 1] if self.score else None,
            "anchor_sv": self.anchors_sv[self.score - 1]
            if self.score and self.anchors_sv
            else None,
        }


def _score_descending(value: float, thresholds: Sequence[float]) -> int | None:
    """Score where smaller is better: ``thresholds`` are the upper bounds for scores 5, 4, 3, 2."""
    if math.isnan(value):
        return None
    for score, bound in zip((5, 4, 3, 2), thresholds, strict=True):
        if value <= bound:
            return score
    return 1


def _score_ascending(value: float, thresholds: Sequence[float]) -> int | None:
    """Score where larger is better: ``thresholds`` are the lower bounds for scores 2, 3, 4, 5."""
    if math.isnan(value):
        return None
    score = 1
    for candidate, bound in zip((2, 3, 4, 5), thresholds, strict=True):
        if value >= bound:
            score = candidate
    return score


CASELOAD_ANCHORS = (
    "41 or more participants per coach",
    "31-40 participants per coach",
    "26-30 participants per coach",
    "21-25 participants per coach",
    "20 or fewer participants per coach",
)

CASELOAD_ANCHORS_SV = (
    "41 eller fler deltagare per handledare",
    "31-40 deltagare per handledare",
    "26-30 deltagare per handledare",
    "21-25 deltagare per handledare",
    "20 eller färre deltagare per handledare",
)


def caseload_size(
    participants: pd.DataFrame,
    *,
    as_of: dt.date | str,
    participant_col: str = "participant_code",
    coach_col: str = "coach",
    entry_col: str = "entry_date",
    exit_col: str = "exit_date",
    coach_fte: dict[str, float] | None = None,
) -> FidelityItem:
    """IPS-25 item 1, caseload size: active participants per full-time coach on ``as_of``.

    Definitions
    -----------
    A participant is active on ``as_of`` when entry <= ``as_of`` and exit is missing or later.
    The ratio is active participants with a coach divided by the coaches' summed full-time
    equivalents (1.0 each unless ``coach_fte`` says otherwise; coaches without active participants
    do not count). Anchors: <= 20 -> 5, 21-25 -> 4, 26-30 -> 3, 31-40 -> 2, >= 41 -> 1.

    Returns
    -------
    FidelityItem
        ``value`` = participants per coach (>= 0); ``data`` has one row per coach with ``active``,
        ``fte`` and ``caseload`` (active / fte).
    """
    require_columns(
        participants, [participant_col, coach_col, entry_col, exit_col], frame_name="participants"
    )
    day = to_timestamp(as_of)
    entry, exit_ = date_series(participants, entry_col), date_series(participants, exit_col)
    active = participants[
        (entry <= day) & (exit_.isna() | (exit_ > day)) & participants[coach_col].notna()
    ]
    per_coach = active.groupby(coach_col, sort=True)[participant_col].nunique()
    fte = {str(c): (coach_fte or {}).get(str(c), 1.0) for c in per_coach.index}
    data = pd.DataFrame(
        {
            "coach": per_coach.index.astype(str),
            "active": per_coach.to_numpy(dtype=int),
            "fte": [fte[str(c)] for c in per_coach.index],
        }
    )
    data = data.assign(caseload=data["active"] / data["fte"])
    total_fte = float(data["fte"].sum())
    ratio = share(int(data["active"].sum()), total_fte)
    # Anchors are whole numbers of people: 20.4 still rounds to "20 or fewer".
    score = _score_descending(round(ratio, 0) if not math.isnan(ratio) else ratio, (20, 25, 30, 40))
    return FidelityItem(
        key="caseload_size",
        title_sv="Antal deltagare per IPS-handledare",
        title_en="Caseload size",
        score=score,
        value=ratio,
        unit="participants per coach",
        anchors=CASELOAD_ANCHORS,
        anchors_sv=CASELOAD_ANCHORS_SV,
        unit_sv="deltagare per handledare",
        data=data,
        details={
            "as_of": day.date().isoformat(),
            "active_participants": int(data["active"].sum()),
            "coaches": len(data),
            "max_caseload": float(data["caseload"].max()) if len(data) else float("nan"),
        },
    )


RAPID_JOB_SEARCH_ANCHORS = (
    "first face-to-face employer contact on average 271 days or more after entry",
    "on average 151-270 days after entry",
    "on average 61-150 days after entry",
    "on average 31-60 days after entry",
    "on average within 30 days after entry",
)

RAPID_JOB_SEARCH_ANCHORS_SV = (
    "första arbetsgivarkontakten ansikte mot ansikte i snitt 271 dagar eller mer efter start",
    "i snitt 151-270 dagar efter start",
    "i snitt 61-150 dagar efter start",
    "i snitt 31-60 dagar efter start",
    "i snitt inom 30 dagar efter start",
)


def rapid_job_search(
    participants: pd.DataFrame,
    contacts: pd.DataFrame,
    *,
    date_to: dt.date | str,
    participant_col: str = "participant_code",
    entry_col: str = "entry_date",
    exit_col: str = "exit_date",
    contact_date_col: str = "contact_date",
    face_to_face_col: str = "face_to_face",
) -> FidelityItem:
    """IPS-25 rapid job search: mean days from entry to first face-to-face employer contact.

    Definitions
    -----------
    For each participant entered by ``date_to``, days from programme entry to the first
    face-to-face employer contact about a job (on their behalf, with or without them). Participants
    still without one contribute their days of follow-up so far (a lower bound; leaving them out
    would flatter the programme). Anchors on the mean: <= 30 -> 5, 31-60 -> 4, 61-150 -> 3,
    151-270 -> 2, >= 271 -> 1.

    Returns
    -------
    FidelityItem
        ``value`` = mean days (>= 0); ``data`` is :func:`evaluation.metrics.time_to_event`'s frame;
        ``details`` holds the mean over contacted participants only and the count still waiting.
    """
    require_columns(
        contacts, [participant_col, contact_date_col, face_to_face_col], frame_name="contacts"
    )
    tte = time_to_event(
        participants,
        contacts,
        date_to=date_to,
        participant_col=participant_col,
        entry_col=entry_col,
        exit_col=exit_col,
        event_date_col=contact_date_col,
        event_mask=flags(contacts[face_to_face_col]),
    )
    mean_days = float(tte["days"].mean()) if len(tte) else float("nan")
    observed = tte[tte["observed"]]
    return FidelityItem(
        key="rapid_job_search",
        title_sv="Snabb jobbsökning",
        title_en="Rapid job search",
        score=_score_descending(
            math.ceil(mean_days) if not math.isnan(mean_days) else mean_days, (30, 60, 150, 270)
        ),
        value=mean_days,
        unit="days",
        anchors=RAPID_JOB_SEARCH_ANCHORS,
        anchors_sv=RAPID_JOB_SEARCH_ANCHORS_SV,
        unit_sv="dagar",
        data=tte,
        details={
            "participants": len(tte),
            "with_contact": len(observed),
            "still_waiting": len(tte) - len(observed),
            "mean_days_with_contact": float(observed["days"].mean())
            if len(observed)
            else float("nan"),
        },
    )


EMPLOYER_CONTACT_ANCHORS = (
    "fewer than 2 face-to-face employer contacts per coach per week",
    "2-3 face-to-face employer contacts per coach per week",
    "4 face-to-face employer contacts per coach per week",
    "5 face-to-face employer contacts per coach per week",
    "6 or more face-to-face employer contacts per coach per week",
)

EMPLOYER_CONTACT_ANCHORS_SV = (
    "färre än 2 arbetsgivarkontakter ansikte mot ansikte per handledare och vecka",
    "2-3 arbetsgivarkontakter ansikte mot ansikte per handledare och vecka",
    "4 arbetsgivarkontakter ansikte mot ansikte per handledare och vecka",
    "5 arbetsgivarkontakter ansikte mot ansikte per handledare och vecka",
    "6 eller fler arbetsgivarkontakter ansikte mot ansikte per handledare och vecka",
)


def employer_contacts_per_week(
    contacts: pd.DataFrame,
    *,
    date_from: dt.date | str,
    date_to: dt.date | str,
    coach_col: str = "coach",
    contact_date_col: str = "contact_date",
    face_to_face_col: str = "face_to_face",
    coaches: Collection[str] | None = None,
) -> FidelityItem:
    """IPS-25 job development, frequent employer contact: face-to-face contacts per coach per week.

    Definitions
    -----------
    Face-to-face employer contacts logged in [date_from, date_to] per coach, divided by the number
    of weeks in the period (days / 7); client-specific and general contacts both count, and so do
    repeated visits to the same employer. When ``coaches`` (the employment specialists) is given,
    only their contacts count (an employer liaison's are left out; the item is about the
    specialists) and a coach without contacts counts as 0; otherwise every contact maker counts.
    The item is read from the mean over coaches, rounded down to whole contacts. Anchors:
    >= 6 -> 5, 5 -> 4, 4 -> 3, 2-3 -> 2, < 2 -> 1.

    Returns
    -------
    FidelityItem
        ``value`` = mean contacts per coach per week (>= 0); ``data`` has one row per coach with
        ``face_to_face_contacts`` and ``per_week``; ``details["contacts_by_others"]`` counts
        face-to-face contacts left out because their maker is not in ``coaches``.
    """
    require_columns(
        contacts, [coach_col, contact_date_col, face_to_face_col], frame_name="contacts"
    )
    start, end = to_timestamp(date_from), to_timestamp(date_to)
    weeks = ((end - start).days + 1) / 7
    when = date_series(contacts, contact_date_col)
    f2f = contacts[
        when.between(start, end) & flags(contacts[face_to_face_col]) & contacts[coach_col].notna()
    ]
    counts = f2f.groupby(coach_col)[coach_col].size()
    counted = {str(k): int(v) for k, v in counts.items()}
    if coaches is None:
        names = sorted(counted)
    else:
        names = sorted({str(c) for c in coaches})
    by_others = sum(v for k, v in counted.items() if k not in names)
    data = pd.DataFrame(
        {"coach": names, "face_to_face_contacts": [counted.get(n, 0) for n in names]}
    )
    data = data.assign(per_week=data["face_to_face_contacts"] / weeks)
    value = float(data["per_week"].mean()) if len(data) else float("nan")
    return FidelityItem(
        key="employer_contacts",
        title_sv="Täta arbetsgivarkontakter",
        title_en="Job development: frequent employer contact",
        score=_score_ascending(
            math.floor(value + 1e-9) if not math.isnan(value) else value, (2, 4, 5, 6)
        ),
        value=value,
        unit="face-to-face contacts per coach per week",
        anchors=EMPLOYER_CONTACT_ANCHORS,
        anchors_sv=EMPLOYER_CONTACT_ANCHORS_SV,
        unit_sv="kontakter per handledare och vecka",
        data=data,
        details={"weeks": round(weeks, 3), "coaches": len(data), "contacts_by_others": by_others},
    )


DIVERSITY_ANCHORS = (
    "less than 50 % different",
    "50-59 % different",
    "60-69 % different",
    "70-84 % different",
    "85-100 % different",
)

DIVERSITY_ANCHORS_SV = (
    "under 50 % olika",
    "50-59 % olika",
    "60-69 % olika",
    "70-84 % olika",
    "85-100 % olika",
)


def _jobs_in_period(
    placements: pd.DataFrame,
    *,
    date_from: dt.date | str,
    date_to: dt.date | str,
    type_col: str,
    start_col: str,
    job_types: Collection[str],
) -> pd.DataFrame:
    start, end = to_timestamp(date_from), to_timestamp(date_to)
    began = date_series(placements, start_col)
    return placements[placements[type_col].isin(list(job_types)) & began.between(start, end)]


def _diversity(
    placements: pd.DataFrame,
    *,
    key: str,
    what_col: str,
    title_sv: str,
    title_en: str,
    date_from: dt.date | str,
    date_to: dt.date | str,
    type_col: str,
    start_col: str,
    job_types: Collection[str],
) -> FidelityItem:
    require_columns(placements, [what_col, type_col, start_col], frame_name="placements")
    jobs = _jobs_in_period(
        placements,
        date_from=date_from,
        date_to=date_to,
        type_col=type_col,
        start_col=start_col,
        job_types=job_types,
    )
    known = jobs[what_col].dropna().astype(str)
    counts = known.value_counts().sort_index()
    data = pd.DataFrame({what_col: counts.index.astype(str), "jobs": counts.to_numpy(dtype=int)})
    value = share(len(counts), len(known))
    return FidelityItem(
        key=key,
        title_sv=title_sv,
        title_en=title_en,
        score=_score_ascending(value, (0.50, 0.60, 0.70, 0.85)),
        value=value,
        unit="share different",
        anchors=DIVERSITY_ANCHORS,
        anchors_sv=DIVERSITY_ANCHORS_SV,
        unit_sv="andel olika",
        data=data,
        details={
            "jobs": len(known),
            "distinct": len(counts),
            "jobs_without_value": len(jobs) - len(known),
        },
    )


def diversity_of_job_types(
    placements: pd.DataFrame,
    *,
    date_from: dt.date | str,
    date_to: dt.date | str,
    job_type_col: str = "occupation_id",
    type_col: str = "placement_type",
    start_col: str = "start_date",
    job_types: Collection[str] = JOB_TYPES,
) -> FidelityItem:
    """IPS-25 diversity of job types among jobs obtained in [date_from, date_to].

    Definitions
    -----------
    Share different = number of distinct job types (``job_type_col``, e.g. occupation) / number of
    jobs started in the period, in [0, 1]: each repeat of a job type counts as one job "not
    different". Anchors: >= 85 % -> 5, 70-84 % -> 4, 60-69 % -> 3, 50-59 % -> 2, < 50 % -> 1.

    Returns
    -------
    FidelityItem
        ``data`` lists each job type with its number of jobs.
    """
    return _diversity(
        placements,
        key="diversity_job_types",
        what_col=job_type_col,
        title_sv="Variation av yrken",
        title_en="Diversity of job types",
        date_from=date_from,
        date_to=date_to,
        type_col=type_col,
        start_col=start_col,
        job_types=job_types,
    )


def diversity_of_employers(
    placements: pd.DataFrame,
    *,
    date_from: dt.date | str,
    date_to: dt.date | str,
    employer_col: str = "employer_id",
    type_col: str = "placement_type",
    start_col: str = "start_date",
    job_types: Collection[str] = JOB_TYPES,
) -> FidelityItem:
    """IPS-25 diversity of employers among jobs obtained in [date_from, date_to].

    Definitions
    -----------
    Share different = number of distinct employers / number of jobs started in the period, in
    [0, 1]. Anchors as for job types: >= 85 % -> 5, 70-84 % -> 4, 60-69 % -> 3, 50-59 % -> 2,
    < 50 % -> 1.

    Returns
    -------
    FidelityItem
        ``data`` lists each employer id with its number of jobs.
    """
    return _diversity(
        placements,
        key="diversity_employers",
        what_col=employer_col,
        title_sv="Variation av arbetsgivare",
        title_en="Diversity of employers",
        date_from=date_from,
        date_to=date_to,
        type_col=type_col,
        start_col=start_col,
        job_types=job_types,
    )


COMPETITIVE_ANCHORS = (
    "competitive jobs less than 64 % of the time",
    "competitive jobs 64-74 % of the time",
    "competitive jobs 75-84 % of the time",
    "competitive jobs 85-94 % of the time",
    "competitive jobs 95 % of the time or more",
)

COMPETITIVE_ANCHORS_SV = (
    "konkurrensutsatta anställningar i under 64 % av fallen",
    "konkurrensutsatta anställningar i 64-74 % av fallen",
    "konkurrensutsatta anställningar i 75-84 % av fallen",
    "konkurrensutsatta anställningar i 85-94 % av fallen",
    "konkurrensutsatta anställningar i 95 % av fallen eller mer",
)


def competitive_jobs(
    placements: pd.DataFrame,
    *,
    date_from: dt.date | str,
    date_to: dt.date | str,
    type_col: str = "placement_type",
    start_col: str = "start_date",
    job_types: Collection[str] = JOB_TYPES,
    competitive_types: Collection[str] = COMPETITIVE_TYPES,
) -> FidelityItem:
    """IPS-25 competitive jobs: share of jobs obtained that are competitive.

    Definitions
    -----------
    Jobs started in [date_from, date_to] of a type in ``competitive_types`` (open labour market,
    ordinary pay, anyone can apply) divided by all jobs started (``job_types``: competitive and
    subsidised; practice and studies are not jobs). Anchors: >= 95 % -> 5, 85-94 % -> 4,
    75-84 % -> 3, 64-74 % -> 2, < 64 % -> 1.

    Returns
    -------
    FidelityItem
        ``data`` counts jobs per placement type.
    """
    require_columns(placements, [type_col, start_col], frame_name="placements")
    jobs = _jobs_in_period(
        placements,
        date_from=date_from,
        date_to=date_to,
        type_col=type_col,
        start_col=start_col,
        job_types=job_types,
    )
    counts = jobs[type_col].astype(str).value_counts().sort_index()
    data = pd.DataFrame({"placement_type": counts.index.astype(str), "jobs": counts.to_numpy()})
    n_competitive = int(jobs[type_col].isin(list(competitive_types)).sum())
    value = share(n_competitive, len(jobs))
    return FidelityItem(
        key="competitive_jobs",
        title_sv="Konkurrensutsatta anställningar",
        title_en="Competitive jobs",
        score=_score_ascending(value, (0.64, 0.75, 0.85, 0.95)),
        value=value,
        unit="share competitive",
        anchors=COMPETITIVE_ANCHORS,
        anchors_sv=COMPETITIVE_ANCHORS_SV,
        unit_sv="andel konkurrensutsatta",
        data=data,
        details={"jobs": len(jobs), "competitive": n_competitive},
    )


FOLLOW_ALONG_ANCHORS = (
    "no face-to-face support after the first month of a job",
    "face-to-face support at least monthly for 4 months after a job start",
    "face-to-face support at least monthly for 6 months after a job start",
    "face-to-face support at least monthly for 9 months after a job start",
    "contact within 3 days of the start, weekly the first month and monthly for a year or more",
)

FOLLOW_ALONG_ANCHORS_SV = (
    "inget stöd ansikte mot ansikte efter första månaden i arbetet",
    "stöd ansikte mot ansikte minst varje månad i 4 månader efter anställningsstart",
    "stöd ansikte mot ansikte minst varje månad i 6 månader efter anställningsstart",
    "stöd ansikte mot ansikte minst varje månad i 9 månader efter anställningsstart",
    "kontakt inom 3 dagar efter start, varje vecka första månaden och varje månad i minst ett år",
)


def follow_along_supports(
    placements: pd.DataFrame,
    follow_along: pd.DataFrame,
    *,
    date_to: dt.date | str,
    placement_id_col: str = "placement_id",
    participant_col: str = "participant_code",
    type_col: str = "placement_type",
    start_col: str = "start_date",
    contact_date_col: str = "contact_date",
    face_to_face_col: str = "face_to_face",
    job_types: Collection[str] = JOB_TYPES,
) -> FidelityItem:
    """IPS-25 time-unlimited follow-along supports, timed from each job start.

    Definitions
    -----------
    For every job started on or before ``date_to``, the participant's face-to-face follow-along
    contacts from the start date on are cut into 30-day months (month 1 = days 0-29). *Months
    supported* is the number of consecutive months from month 1 with at least one contact.
    *Early start* means a contact within 3 days of the start; *weekly first month* means a contact
    in each of the 7-day weeks covering days 0-27. The item is read from the mean months supported:
    >= 12 with most jobs (>= 50 %) having an early start and weekly first month -> 5, >= 9 -> 4,
    >= 6 -> 3, >= 4 -> 2, otherwise 1. Jobs observed for fewer months than a threshold cannot
    reach it, so recent jobs pull the score down; ``details`` reports how long jobs were observed.

    Returns
    -------
    FidelityItem
        ``value`` = mean months supported (>= 0); ``data`` has one row per job with
        ``months_observed``, ``months_supported``, ``early_start`` and ``weekly_first_month``.
    """
    require_columns(
        placements,
        [placement_id_col, participant_col, type_col, start_col],
        frame_name="placements",
    )
    require_columns(
        follow_along,
        [participant_col, contact_date_col, face_to_face_col],
        frame_name="follow_along",
    )
    end = to_timestamp(date_to)
    began = date_series(placements, start_col)
    jobs = placements[placements[type_col].isin(list(job_types)) & (began <= end)]
    starts = began[jobs.index]
    contact_days = date_series(follow_along, contact_date_col)
    f2f = follow_along[flags(follow_along[face_to_face_col]) & (contact_days <= end)]
    by_person: dict[Any, np.ndarray] = {
        key: np.sort(contact_days[part.index].to_numpy(dtype="datetime64[D]"))
        for key, part in f2f.groupby(participant_col)
    }
    rows = []
    for idx, job in jobs.iterrows():
        start = starts[idx]
        observed_days = (end - start).days + 1
        months_observed = observed_days // 30
        dates = by_person.get(job[participant_col], np.array([], dtype="datetime64[D]"))
        offsets = (dates - np.datetime64(start.date(), "D")).astype(int)
        offsets = offsets[offsets >= 0]
        months = set((offsets // 30).tolist())
        supported = 0
        while supported in months:
            supported += 1
        weeks = set((offsets[offsets < 28] // 7).tolist())
        rows.append(
            {
                "placement_id": job[placement_id_col],
                "start_date": start.date(),
                "months_observed": int(months_observed),
                "months_supported": int(supported),
                "early_start": bool((offsets <= 3).any()),
                "weekly_first_month": weeks == {0, 1, 2, 3},
            }
        )
    data = pd.DataFrame(
        rows,
        columns=[
            "placement_id",
            "start_date",
            "months_observed",
            "months_supported",
            "early_start",
            "weekly_first_month",
        ],
    )
    value = float(data["months_supported"].mean()) if len(data) else float("nan")
    good_start = share(int((data["early_start"] & data["weekly_first_month"]).sum()), len(data))
    if math.isnan(value):
        score = None
    elif value >= 12 and good_start >= 0.5:
        score = 5
    else:
        score = _score_ascending(value, (4, 6, 9, 12))
        score = min(score, 4) if score is not None else None
    return FidelityItem(
        key="follow_along",
        title_sv="Tidsobegränsat stöd efter anställning",
        title_en="Time-unlimited follow-along supports",
        score=score,
        value=value,
        unit="months supported",
        anchors=FOLLOW_ALONG_ANCHORS,
        anchors_sv=FOLLOW_ALONG_ANCHORS_SV,
        unit_sv="månader med stöd",
        data=data,
        details={
            "jobs": len(data),
            "share_early_and_weekly_start": good_start,
            "median_months_observed": float(data["months_observed"].median())
            if len(data)
            else float("nan"),
        },
    )


def fidelity_table(items: Sequence[FidelityItem]) -> pd.DataFrame:
    """Return the scored items as one table (one row per item, see :meth:`FidelityItem.as_row`)."""
    return pd.DataFrame(
        [item.as_row() for item in items],
        columns=[
            "key",
            "title_sv",
            "title_en",
            "score",
            "value",
            "unit",
            "unit_sv",
            "anchor",
            "anchor_sv",
        ],
    )
