"""Ranking quality on a hand-built decision log, with nDCG cross-checked against scikit-learn."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import ndcg_score

from evaluation.ranking_quality import (
    acceptance_by_rank,
    bootstrap_difference,
    compare_settings,
    ndcg_at_k,
    per_list_scores,
    placement_rank_summary,
    placement_ranks,
    precision_at_k,
    with_relevance,
)


def _decisions() -> pd.DataFrame:
    rows = [
        # decision_id, participant, setting, rank, decision, placed
        (1, "P1", "v1", 1, "declined", False),
        (2, "P1", "v1", 2, "accepted", True),
        (3, "P1", "v1", 4, "accepted", False),
        (4, "P2", "v1", 1, "accepted", False),
        (5, "P2", "v1", 3, "declined", False),
        (6, "P3", "v2", 6, "accepted", False),
        (7, "P4", "v2", 1, "saved", False),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "decision_id",
            "participant_code",
            "engine_settings",
            "rank_shown",
            "decision",
            "placed",
        ],
    )
    return with_relevance(frame)


# Hand-computed nDCG@3 of P1's list: gains by rank {1: 0, 2: 2, 4: 1}.
NDCG_P1 = (2 / math.log2(3)) / (2 + 1 / math.log2(3))


def test_relevance_grades() -> None:
    assert list(_decisions()["relevance"]) == [0, 2, 1, 1, 0, 1, 0]


def test_per_list_precision_and_ndcg_hand_computed() -> None:
    scores = per_list_scores(_decisions(), k=3).set_index("participant_code")
    assert list(scores["relevant_at_k"]) == [1, 1, 0, 0]
    assert scores.loc["P1", "precision_at_k"] == pytest.approx(1 / 3)
    assert scores.loc["P1", "ndcg_at_k"] == pytest.approx(NDCG_P1)  # 0.4796
    assert scores.loc["P2", "ndcg_at_k"] == 1.0  # the only relevant item is on top
    assert scores.loc["P3", "ndcg_at_k"] == 0.0  # relevant item at rank 6, beyond k
    assert scores.loc["P4", "ndcg_at_k"] == 0.0  # nothing relevant
    assert precision_at_k(_decisions(), k=3) == pytest.approx(1 / 6)
    assert ndcg_at_k(_decisions(), k=3) == pytest.approx((NDCG_P1 + 1) / 4)


def _as_sklearn(decisions: pd.DataFrame, width: int) -> tuple[np.ndarray, np.ndarray]:
    lists = sorted(decisions.groupby(["participant_code", "engine_settings"]))
    y_true = np.zeros((len(lists), width))
    for i, (_, part) in enumerate(lists):
        for rank, gain in zip(part["rank_shown"], part["relevance"], strict=True):
            y_true[i, rank - 1] = gain
    y_score = np.tile(np.arange(width, 0, -1, dtype=float), (len(lists), 1))
    return y_true, y_score


@pytest.mark.parametrize("k", [1, 3, 5])
def test_ndcg_matches_sklearn_on_hand_built_log(k: int) -> None:
    y_true, y_score = _as_sklearn(_decisions(), width=6)
    assert ndcg_at_k(_decisions(), k=k) == pytest.approx(ndcg_score(y_true, y_score, k=k))


def test_ndcg_matches_sklearn_on_random_logs() -> None:
    rng = np.random.default_rng(3)
    rows = []
    for person in range(40):
        ranks = rng.choice(np.arange(1, 11), size=rng.integers(1, 8), replace=False)
        for rank in ranks:
            rows.append((f"P{person}", "v1", int(rank), int(rng.choice([0, 0, 1, 2]))))
    frame = pd.DataFrame(
        rows, columns=["participant_code", "engine_settings", "rank_shown", "relevance"]
    )
    y_true, y_score = _as_sklearn(frame, width=10)
    for k in (1, 3, 5, 10):
        assert ndcg_at_k(frame, k=k) == pytest.approx(ndcg_score(y_true, y_score, k=k))


def test_acceptance_by_rank_pools_the_tail() -> None:
    table = acceptance_by_rank(_decisions(), max_rank=3)
    assert list(table["rank"]) == ["1", "2", "3", ">3"]
    assert list(table["decided"]) == [3, 1, 1, 2]
    assert list(table["accepted"]) == [1, 1, 0, 2]
    assert table["acceptance_rate"].tolist() == [pytest.approx(1 / 3), 1.0, 0.0, 1.0]


def test_compare_two_engine_settings() -> None:
    table = compare_settings(_decisions(), k=3).set_index("engine_settings")
    assert table.loc["v1", "lists"] == 2 and table.loc["v1", "decided"] == 5
    assert table.loc["v1", "acceptance_rate"] == pytest.approx(0.6)
    assert table.loc["v1", "mean_rank_accepted"] == pytest.approx(7 / 3)  # ranks 2, 4, 1
    assert table.loc["v1", "precision_at_k"] == pytest.approx(1 / 3)
    assert table.loc["v1", "ndcg_at_k"] == pytest.approx((NDCG_P1 + 1) / 2)
    assert table.loc["v2", "acceptance_rate"] == 0.5
    assert table.loc["v2", "ndcg_at_k"] == 0.0


def test_bootstrap_difference_is_deterministic_and_brackets_the_difference() -> None:
    result = bootstrap_difference(_decisions(), setting_a="v1", setting_b="v2", k=3, n_boot=500)
    assert result["difference"] == pytest.approx(-(NDCG_P1 + 1) / 2)
    assert result["ci_low"] <= result["difference"] <= result["ci_high"]
    again = bootstrap_difference(_decisions(), setting_a="v1", setting_b="v2", k=3, n_boot=500)
    assert again == result
    missing = bootstrap_difference(_decisions(), setting_a="v1", setting_b="v9", k=3)
    assert math.isnan(missing["difference"])


def test_rank_of_placements_from_suggestions() -> None:
    placements = pd.DataFrame(
        {"placement_id": [10, 11, 12], "suggestion_decision_id": [2, None, 6]}
    )
    ranks = placement_ranks(placements, _decisions())
    assert ranks["placement_id"].tolist() == [10, 12]
    assert ranks["rank_shown"].tolist() == [2, 6]
    assert ranks["engine_settings"].tolist() == ["v1", "v2"]
    summary = placement_rank_summary(ranks)
    assert summary == {
        "placements_from_suggestions": 2,
        "median_rank": 4.0,
        "share_rank_1": 0.0,
        "share_top_3": 0.5,
        "share_top_5": 0.5,
    }


def test_column_checks_and_k() -> None:
    with pytest.raises(ValueError, match="relevance"):
        per_list_scores(_decisions().drop(columns="relevance"))
    with pytest.raises(ValueError, match="k must be"):
        per_list_scores(_decisions(), k=0)
    with pytest.raises(ValueError, match="placed"):
        with_relevance(_decisions().drop(columns="placed"))


@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(1, 12), st.sampled_from([0, 1, 2])),
        min_size=1,
        max_size=40,
    ),
    st.integers(1, 12),
)
def test_scores_stay_in_range_and_match_sklearn(rows: list[tuple[int, int, int]], k: int) -> None:
    frame = pd.DataFrame(rows, columns=["person", "rank_shown", "relevance"])
    frame = frame.drop_duplicates(["person", "rank_shown"]).assign(
        participant_code=lambda f: "P" + f["person"].astype(str), engine_settings="v1"
    )
    scores = per_list_scores(frame, k=k)
    assert scores["precision_at_k"].between(0, 1).all()
    assert scores["ndcg_at_k"].between(0, 1 + 1e-12).all()
    y_true, y_score = _as_sklearn(frame, width=12)
    if y_true.shape[0] > 0:
        assert ndcg_at_k(frame, k=k) == pytest.approx(ndcg_score(y_true, y_score, k=k))
