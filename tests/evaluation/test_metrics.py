"""Outcome metrics on tiny hand-computed frames; expected numbers are worked out in comments."""

import datetime as dt
import math

import pandas as pd
import pytest

from evaluation.metrics import (
    ips_band,
    job_endings,
    job_tenure,
    job_tenure_summary,
    quarterly_outcome_rates,
    time_to_event,
    time_to_event_summary,
)

D = dt.date


def _participants() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "participant_code": ["A", "B", "C", "D", "E", "F"],
            "entry_date": [
                D(2024, 12, 1),
                D(2025, 2, 10),
                D(2025, 4, 5),
                D(2025, 7, 1),
                D(2024, 1, 1),
                D(2025, 4, 1),
            ],
            "exit_date": [None, D(2025, 3, 15), None, None, D(2024, 12, 31), None],
        }
    )


def _placements() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "participant_code": ["A", "B", "C", "E", "C"],
            "placement_type": ["competitive", "practice", "subsidised", "competitive", "studies"],
            "start_date": [
                D(2025, 3, 1),
                D(2025, 2, 20),
                D(2025, 5, 1),
                D(2024, 6, 1),
                D(2025, 4, 10),
            ],
            "end_date": [D(2025, 4, 10), D(2025, 3, 10), None, D(2024, 12, 1), D(2025, 6, 1)],
        }
    )


def test_quarterly_rates_hand_computed() -> None:
    rates = quarterly_outcome_rates(
        _participants(), _placements(), date_from="2025-01-01", date_to="2025-06-30"
    )
    assert list(rates["quarter"]) == ["2025Q1", "2025Q2"]
    q1, q2 = rates.iloc[0], rates.iloc[1]
    # Q1 active: A, B. A competitive (job spans Q1-Q2), B practice.
    assert q1["active"] == 2
    assert (q1["competitive"], q1["competitive_rate"]) == (1, 0.5)
    assert (q1["any_job"], q1["practice"], q1["studies"]) == (1, 1, 0)
    assert q1["band"] == "excellent"
    # Q2 active: A, C, F (B left in March, D enters in July, E left in 2024).
    assert q2["active"] == 3
    assert q2["competitive_rate"] == pytest.approx(1 / 3)
    assert q2["any_job_rate"] == pytest.approx(2 / 3)  # A competitive, C subsidised
    assert (q2["practice"], q2["studies"]) == (0, 1)
    assert q2["band"] == "minimum"


def test_quarterly_rates_without_active_participants_are_nan() -> None:
    rates = quarterly_outcome_rates(
        _participants(), _placements(), date_from="2023-01-01", date_to="2023-03-31"
    )
    assert rates.loc[0, "active"] == 0
    assert math.isnan(rates.loc[0, "competitive_rate"])
    assert rates.loc[0, "band"] == "no_data"


def test_quarterly_rates_name_the_missing_column() -> None:
    with pytest.raises(ValueError, match="exit_date"):
        quarterly_outcome_rates(
            _participants().drop(columns="exit_date"),
            _placements(),
            date_from="2025-01-01",
            date_to="2025-06-30",
        )
    with pytest.raises(ValueError, match="kind"):
        quarterly_outcome_rates(
            _participants(),
            _placements(),
            date_from="2025-01-01",
            date_to="2025-06-30",
            type_col="kind",
        )


def test_quarterly_rates_reject_reversed_interval() -> None:
    with pytest.raises(ValueError, match="before"):
        quarterly_outcome_rates(
            _participants(), _placements(), date_from="2025-06-30", date_to="2025-01-01"
        )


@pytest.mark.parametrize(
    ("rate", "band"),
    [(0.30, "below_minimum"), (0.31, "minimum"), (0.41, "average"), (0.5, "excellent")],
)
def test_ips_bands(rate: float, band: str) -> None:
    assert ips_band(rate) == band


def _tte() -> pd.DataFrame:
    participants = pd.DataFrame(
        {
            "participant_code": ["P1", "P2", "P3", "P4", "P5", "P6"],
            "entry_date": [
                D(2025, 1, 1),
                D(2025, 1, 1),
                D(2025, 3, 1),
                D(2025, 2, 1),
                D(2025, 4, 15),
                D(2025, 1, 1),
            ],
            "exit_date": [None, D(2025, 2, 15), None, None, None, None],
        }
    )
    contacts = pd.DataFrame(
        {
            "participant_code": ["P1", "P1", "P1", "P4", "P6"],
            "contact_date": [
                D(2024, 12, 20),
                D(2025, 1, 21),
                D(2025, 1, 10),
                D(2025, 4, 10),
                D(2025, 3, 2),
            ],
            "face_to_face": [True, True, False, True, True],
        }
    )
    return time_to_event(
        participants,
        contacts,
        date_to="2025-03-31",
        event_mask=contacts["face_to_face"],
    )


def test_time_to_first_face_to_face_contact_with_censoring() -> None:
    tte = _tte().set_index("participant_code")
    # P5 enters after the period; P1's contact before entry and phone call are ignored.
    assert list(tte.index) == ["P1", "P2", "P3", "P4", "P6"]
    assert tte.loc["P1", "days"] == 20 and tte.loc["P1", "observed"]
    assert tte.loc["P2", "days"] == 45 and not tte.loc["P2", "observed"]  # censored at exit
    assert tte.loc["P3", "days"] == 30 and not tte.loc["P3", "observed"]
    assert tte.loc["P4", "days"] == 58 and not tte.loc["P4", "observed"]  # contact after period
    assert tte.loc["P6", "days"] == 60 and tte.loc["P6", "observed"]


def test_time_to_event_summary_hand_computed() -> None:
    summary = time_to_event_summary(_tte(), within_days=30)
    assert summary["n"] == 5 and summary["n_observed"] == 2 and summary["n_censored"] == 3
    assert summary["median_days_observed"] == 40.0  # (20 + 60) / 2
    # Within 30 days: P1. Evaluable: P1 plus everyone followed >= 30 days (P2, P3, P4, P6).
    assert (summary["n_within"], summary["n_evaluable"]) == (1, 5)
    assert summary["share_within"] == pytest.approx(0.2)
    # KM: S(20) = 4/5; at 60 only P6 is at risk and has the event, so S(60) = 0.
    assert summary["km_share_within"] == pytest.approx(0.2)
    assert summary["km_median_days"] == 60.0


def test_time_to_event_names_missing_event_column() -> None:
    with pytest.raises(ValueError, match="contact_date"):
        time_to_event(
            _participants(),
            pd.DataFrame({"participant_code": ["A"], "date": [D(2025, 1, 1)]}),
            date_to="2025-03-31",
        )


def _jobs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "placement_type": [
                "competitive",
                "subsidised",
                "practice",
                "competitive",
                "competitive",
                "competitive",
                "competitive",
            ],
            "start_date": [
                D(2025, 1, 1),
                D(2025, 3, 1),
                D(2025, 1, 1),
                D(2025, 5, 1),
                D(2025, 7, 15),
                D(2024, 10, 1),
                D(2025, 2, 1),
            ],
            "end_date": [
                D(2025, 1, 31),
                None,
                D(2025, 2, 1),
                D(2025, 8, 1),
                None,
                D(2025, 2, 1),
                D(2025, 3, 1),
            ],
            "hours_per_week": [20, 10, 40, None, 30, 25, 40],
            "end_reason": [
                "contract_ended",
                None,
                "done",
                None,
                None,
                None,
                "contract_ended",
            ],
        }
    )


def test_job_tenure_and_hours() -> None:
    jobs = _jobs().iloc[:5]
    tenure = job_tenure(jobs, date_to="2025-06-30")
    # J1 ended after 30 days, J2 ongoing for 121 days, J4 ends after date_to: ongoing 60 days.
    assert list(tenure["tenure_days"]) == [30, 121, 60]
    assert list(tenure["ended"]) == [True, False, False]
    summary = job_tenure_summary(tenure)
    assert (summary["n_jobs"], summary["n_ended"], summary["n_ongoing"]) == (3, 1, 2)
    assert math.isinf(summary["km_median_tenure_days"])  # S never falls to 0.5 (S(30) = 2/3)
    assert summary["share_lasting_90_days"] == pytest.approx(2 / 3)
    assert summary["median_hours_per_week"] == 15.0
    assert summary["share_20_hours_or_more"] == 0.5


def test_job_endings_by_reason() -> None:
    endings = job_endings(_jobs(), date_from="2025-01-01", date_to="2025-06-30")
    assert endings.to_dict("list") == {
        "end_reason": ["contract_ended", "unknown"],
        "count": [2, 1],
        "share": [pytest.approx(2 / 3), pytest.approx(1 / 3)],
    }
