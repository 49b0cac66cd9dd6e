"""Small-group suppression and per-group breakdowns."""

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluation.suppression import breakdown, suppress_small_groups

D = dt.date


def _table(counts: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": list(counts),
            "participants": list(counts.values()),
            "rate": [0.5] * len(counts),
            "label": ["x"] * len(counts),
        }
    )


def test_groups_under_five_are_blanked_with_secondary_suppression() -> None:
    out = suppress_small_groups(_table({"a": 10, "b": 3, "c": 6, "d": 7}))
    # b < 5 is blanked; being alone, it could be recovered from the total, so c (smallest) goes too.
    assert out["suppressed"].tolist() == [False, True, True, False]
    assert out["participants"].isna().tolist() == [False, True, True, False]
    assert out["rate"].isna().tolist() == [False, True, True, False]
    assert out["label"].isna().tolist() == [False, True, True, False]
    assert out.loc[0, "participants"] == 10 and out.loc[0, "rate"] == 0.5
    assert out["group"].tolist() == ["a", "b", "c", "d"]  # group names stay


def test_suppression_without_secondary_and_with_several_small_groups() -> None:
    only_primary = suppress_small_groups(_table({"a": 10, "b": 4, "c": 6}), secondary=False)
    assert only_primary["suppressed"].tolist() == [False, True, False]
    two_small = suppress_small_groups(_table({"a": 10, "b": 3, "c": 2}))
    assert two_small["suppressed"].tolist() == [False, True, True]
    five = suppress_small_groups(_table({"a": 5, "b": 5}))
    assert not five["suppressed"].any()  # exactly 5 is publishable


def test_suppression_checks_columns_and_threshold() -> None:
    with pytest.raises(ValueError, match="participants"):
        suppress_small_groups(_table({"a": 1}).drop(columns="participants"))
    with pytest.raises(ValueError, match="min_count"):
        suppress_small_groups(_table({"a": 1}), min_count=0)


def test_breakdown_by_coach_hand_computed() -> None:
    people = [(f"c{i}", "k1", D(2025, 1, 1), None) for i in range(1, 7)]
    people += [(f"d{i}", "k2", D(2025, 1, 1), None) for i in range(3)]
    people += [(f"e{i}", "k3", D(2025, 1, 1), None) for i in range(2)]
    people += [("x", "k1", D(2024, 1, 1), D(2024, 12, 15)), ("y", None, D(2025, 1, 1), None)]
    participants = pd.DataFrame(
        people, columns=["participant_code", "coach", "entry_date", "exit_date"]
    )
    placements = pd.DataFrame(
        {
            "participant_code": ["c1", "c2", "c3", "d0"],
            "placement_type": ["competitive", "subsidised", "competitive", "competitive"],
            "start_date": [D(2025, 2, 1), D(2025, 3, 1), D(2024, 6, 1), D(2025, 1, 5)],
            "end_date": [None, None, D(2024, 12, 1), None],
        }
    )
    contacts = pd.DataFrame(
        {
            "participant_code": ["c1", "c2", "c3", "c4"],
            "contact_date": [D(2025, 1, 11), D(2025, 1, 31), D(2025, 3, 2), D(2025, 1, 5)],
            "face_to_face": [True, True, True, False],
        }
    )
    table = breakdown(
        participants,
        placements,
        contacts,
        by="coach",
        date_from="2025-01-01",
        date_to="2025-03-31",
    ).set_index("group")
    assert table.index.tolist() == ["k1", "k2", "k3", "unknown"]
    assert table["suppressed"].tolist() == [False, True, True, True]
    k1 = table.loc["k1"]
    assert k1["participants"] == 6  # x left before the period
    assert k1["competitive_share"] == pytest.approx(1 / 6)  # c1; c3's job ended in 2024
    assert k1["any_job_share"] == pytest.approx(2 / 6)
    assert k1["median_days_first_contact"] == 30.0  # 10, 30, 60 days; c4's call is no visit
    assert k1["contact_within_share"] == pytest.approx(2 / 6)
    assert math.isnan(table.loc["k2", "competitive_share"])


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12))
def test_suppression_properties(counts: list[int]) -> None:
    table = _table({f"g{i}": c for i, c in enumerate(counts)})
    out = suppress_small_groups(table)
    hidden = out["suppressed"].to_numpy()
    # Nothing under 5 is ever shown, and a lone hidden group always has company.
    assert all(c >= 5 for c, h in zip(counts, hidden, strict=True) if not h)
    assert hidden.sum() != 1 or len(counts) == 1
    assert out.loc[hidden, "rate"].isna().all()
