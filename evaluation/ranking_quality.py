"""Ranking quality of the matching engine, measured from coaches' decisions and placements.

ipsmatch records one row per decided suggestion (accepted, declined, saved) with the rank it had
when shown and the engine settings that produced it, and a placement can point back to the
decision it came from. A *list* is the ranking one participant saw under one engine setting;
suggestions that were shown but never decided on count as not relevant.

Graded relevance (gain) of a decided suggestion: 2 if it led to a placement, 1 if accepted,
0 otherwise (declined or saved).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
import pandas as pd

from evaluation._frame import flags, require_columns, share

ACCEPTED: tuple[str, ...] = ("accepted",)


def with_relevance(
    decisions: pd.DataFrame,
    *,
    decision_col: str = "decision",
    placed_col: str = "placed",
    accepted_values: Collection[str] = ACCEPTED,
    relevance_col: str = "relevance",
) -> pd.DataFrame:
    """Return ``decisions`` with a graded ``relevance_col``: 2 placed, 1 accepted, 0 otherwise.

    Parameters
    ----------
    decisions : pandas.DataFrame
        One row per decided suggestion with ``decision_col`` and ``placed_col`` (bool: a placement
        came from this suggestion).

    Returns
    -------
    pandas.DataFrame
        A new frame; ``relevance_col`` is int in {0, 1, 2}.
    """
    require_columns(decisions, [decision_col, placed_col], frame_name="decisions")
    placed = flags(decisions[placed_col])
    accepted = decisions[decision_col].astype("string").isin(list(accepted_values)).fillna(False)
    gain = np.where(placed, 2, np.where(accepted, 1, 0))
    return decisions.assign(**{relevance_col: gain.astype(int)})


def acceptance_by_rank(
    decisions: pd.DataFrame,
    *,
    rank_col: str = "rank_shown",
    decision_col: str = "decision",
    accepted_values: Collection[str] = ACCEPTED,
    max_rank: int = 10,
) -> pd.DataFrame:
    """Acceptance rate of decided suggestions by the rank they had when shown.

    Definitions
    -----------
    For each rank r, accepted decisions at r / all decisions at r (in [0, 1]). Ranks above
    ``max_rank`` are pooled into one row labelled ``">max_rank"``; decisions without a rank are
    left out.

    Returns
    -------
    pandas.DataFrame
        ``rank`` (label: ``"1"``, ``"2"``, ..., ``">10"``), ``decided``, ``accepted`` and
        ``acceptance_rate`` (``nan`` where nothing was decided); one row per rank 1..max_rank plus
        the pooled row.
    """
    require_columns(decisions, [rank_col, decision_col], frame_name="decisions")
    ranks = pd.to_numeric(decisions[rank_col], errors="coerce")
    known = decisions[ranks.notna()]
    rank = ranks[known.index].astype(int).clip(upper=max_rank + 1)
    accepted = known[decision_col].astype("string").isin(list(accepted_values)).fillna(False)
    rows = []
    for r in range(1, max_rank + 2):
        at = rank == r
        n, a = int(at.sum()), int((at & accepted).sum())
        label = str(r) if r <= max_rank else f">{max_rank}"
        rows.append({"rank": label, "decided": n, "accepted": a, "acceptance_rate": share(a, n)})
    return pd.DataFrame(rows)


def placement_ranks(
    placements: pd.DataFrame,
    decisions: pd.DataFrame,
    *,
    placement_id_col: str = "placement_id",
    suggestion_col: str = "suggestion_decision_id",
    decision_id_col: str = "decision_id",
    rank_col: str = "rank_shown",
    setting_col: str = "engine_settings",
) -> pd.DataFrame:
    """For placements that came from a suggestion, the rank the suggestion had when shown.

    Returns
    -------
    pandas.DataFrame
        One row per placement with a suggestion: ``placement_id``, ``rank_shown`` (int >= 1 or
        missing if the rank was not recorded) and ``engine_settings``.
    """
    require_columns(placements, [placement_id_col, suggestion_col], frame_name="placements")
    require_columns(decisions, [decision_id_col, rank_col, setting_col], frame_name="decisions")
    linked = placements[placements[suggestion_col].notna()]
    lookup = decisions.set_index(decision_id_col)
    ids = linked[suggestion_col]
    return pd.DataFrame(
        {
            "placement_id": linked[placement_id_col].to_numpy(),
            "rank_shown": pd.array(ids.map(lookup[rank_col]).to_numpy(), dtype="Int64"),
            "engine_settings": ids.map(lookup[setting_col]).to_numpy(),
        }
    )


def placement_rank_summary(ranks: pd.DataFrame, *, rank_col: str = "rank_shown") -> dict[str, Any]:
    """Summarise :func:`placement_ranks`: count, median rank, share found in the top 1/3/5.

    Returns
    -------
    dict
        ``placements_from_suggestions``, ``median_rank``, ``share_rank_1``, ``share_top_3``,
        ``share_top_5`` (shares of placements with a known rank, in [0, 1]).
    """
    require_columns(ranks, [rank_col], frame_name="placement ranks")
    known = pd.to_numeric(ranks[rank_col], errors="coerce").dropna()
    return {
        "placements_from_suggestions": int(len(ranks)),
        "median_rank": float(known.median()) if len(known) else float("nan"),
        "share_rank_1": share(int((known <= 1).sum()), len(known)),
        "share_top_3": share(int((known <= 3).sum()), len(known)),
        "share_top_5": share(int((known <= 5).sum()), len(known)),
    }


def _list_gains(
    decisions: pd.DataFrame, *, list_cols: Sequence[str], rank_col: str, relevance_col: str
) -> list[tuple[tuple[Any, ...], dict[int, float]]]:
    """Per list: {rank: gain}, keeping the best gain where a rank was decided on twice."""
    require_columns(decisions, [*list_cols, rank_col, relevance_col], frame_name="decisions")
    ranks = pd.to_numeric(decisions[rank_col], errors="coerce")
    frame = decisions[ranks.notna()].assign(_rank=ranks.dropna().astype(int))
    frame = frame[frame["_rank"] >= 1]
    out = []
    for key, part in frame.groupby(list(list_cols), sort=True, dropna=False):
        best = part.groupby("_rank")[relevance_col].max()
        out.append((key, {int(r): float(g) for r, g in best.items()}))
    return out


def _dcg(gains_by_rank: dict[int, float], k: int) -> float:
    return sum(g / np.log2(r + 1) for r, g in gains_by_rank.items() if r <= k)


def _ndcg(gains_by_rank: dict[int, float], k: int) -> float:
    ideal = sorted(gains_by_rank.values(), reverse=True)[:k]
    idcg = sum(g / np.log2(i + 2) for i, g in enumerate(ideal))
    return _dcg(gains_by_rank, k) / idcg if idcg > 0 else 0.0


def per_list_scores(
    decisions: pd.DataFrame,
    *,
    k: int = 5,
    list_cols: Sequence[str] = ("participant_code", "engine_settings"),
    rank_col: str = "rank_shown",
    relevance_col: str = "relevance",
) -> pd.DataFrame:
    """Precision@k and nDCG@k of every ranked list.

    Definitions
    -----------
    precision@k = (number of relevant suggestions, gain > 0, at ranks 1..k) / k, in [0, 1].
    DCG@k = sum over ranks r <= k of gain_r / log2(r + 1), with the rank as shown; IDCG@k is the
    DCG of the same gains sorted best first; nDCG@k = DCG@k / IDCG@k in [0, 1], and 0 for a list
    with no relevant suggestion (as :func:`sklearn.metrics.ndcg_score` does). Undecided positions
    have gain 0.

    Parameters
    ----------
    k : int
        Cut-off, >= 1.
    list_cols : sequence of str
        Columns that identify one shown list.

    Returns
    -------
    pandas.DataFrame
        One row per list: the ``list_cols``, ``decided``, ``relevant_at_k``, ``precision_at_k``,
        ``ndcg_at_k``.
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    rows = []
    for key, gains in _list_gains(
        decisions, list_cols=list_cols, rank_col=rank_col, relevance_col=relevance_col
    ):
        hits = sum(1 for r, g in gains.items() if r <= k and g > 0)
        rows.append(
            {
                **dict(zip(list_cols, key, strict=True)),
                "decided": len(gains),
                "relevant_at_k": hits,
                "precision_at_k": hits / k,
                "ndcg_at_k": _ndcg(gains, k),
            }
        )
    columns = [*list_cols, "decided", "relevant_at_k", "precision_at_k", "ndcg_at_k"]
    return pd.DataFrame(rows, columns=columns)


def precision_at_k(decisions: pd.DataFrame, *, k: int = 5, **kwargs: Any) -> float:
    """Mean precision@k over lists (see :func:`per_list_scores`), in [0, 1]; ``nan`` if none."""
    scores = per_list_scores(decisions, k=k, **kwargs)
    return float(scores["precision_at_k"].mean()) if len(scores) else float("nan")


def ndcg_at_k(decisions: pd.DataFrame, *, k: int = 5, **kwargs: Any) -> float:
    """Mean nDCG@k over lists (see :func:`per_list_scores`), in [0, 1]; ``nan`` if none."""
    scores = per_list_scores(decisions, k=k, **kwargs)
    return float(scores["ndcg_at_k"].mean()) if len(scores) else float("nan")


def compare_settings(
    decisions: pd.DataFrame,
    *,
    k: int = 5,
    setting_col: str = "engine_settings",
    list_cols: Sequence[str] = ("participant_code", "engine_settings"),
    rank_col: str = "rank_shown",
    decision_col: str = "decision",
    relevance_col: str = "relevance",
    accepted_values: Collection[str] = ACCEPTED,
) -> pd.DataFrame:
    """Ranking quality side by side for each engine setting.

    Returns
    -------
    pandas.DataFrame
        One row per setting: ``engine_settings``, ``lists``, ``decided``, ``acceptance_rate``,
        ``mean_rank_accepted``, ``precision_at_k``, ``ndcg_at_k`` (means over lists, in [0, 1]).
    """
    require_columns(
        decisions, [setting_col, rank_col, decision_col, relevance_col], frame_name="decisions"
    )
    rows = []
    for setting, part in decisions.groupby(setting_col, sort=True, dropna=False):
        scores = per_list_scores(
            part, k=k, list_cols=list_cols, rank_col=rank_col, relevance_col=relevance_col
        )
        accepted = part[decision_col].astype("string").isin(list(accepted_values)).fillna(False)
        ranks = pd.to_numeric(part.loc[accepted, rank_col], errors="coerce").dropna()
        rows.append(
            {
                "engine_settings": "unknown" if pd.isna(setting) else str(setting),
                "lists": len(scores),
                "decided": len(part),
                "acceptance_rate": share(int(accepted.sum()), len(part)),
                "mean_rank_accepted": float(ranks.mean()) if len(ranks) else float("nan"),
                "precision_at_k": float(scores["precision_at_k"].mean())
                if len(scores)
                else float("nan"),
                "ndcg_at_k": float(scores["ndcg_at_k"].mean()) if len(scores) else float("nan"),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "engine_settings",
            "lists",
            "decided",
            "acceptance_rate",
            "mean_rank_accepted",
            "precision_at_k",
            "ndcg_at_k",
        ],
    )


def bootstrap_difference(
    decisions: pd.DataFrame,
    *,
    setting_a: str,
    setting_b: str,
    k: int = 5,
    metric: str = "ndcg_at_k",
    setting_col: str = "engine_settings",
    list_cols: Sequence[str] = ("participant_code", "engine_settings"),
    rank_col: str = "rank_shown",
    relevance_col: str = "relevance",
    n_boot: int = 2000,
    seed: int = 0,
) -> dict[str, float]:
    """Difference in a per-list metric between two settings (b - a) with a bootstrap 95 % CI.

    Lists are resampled with replacement within each setting (percentile interval). Use it to say
    whether setting b ranks better than setting a, not only whether its mean is higher.

    Returns
    -------
    dict
        ``mean_a``, ``mean_b``, ``difference`` (b - a), ``ci_low``, ``ci_high``, ``lists_a``,
        ``lists_b``; ``nan`` where a setting has no lists.
    """
    if metric not in ("ndcg_at_k", "precision_at_k"):
        raise ValueError(f"metric must be 'ndcg_at_k' or 'precision_at_k', got {metric!r}")
    require_columns(decisions, [setting_col], frame_name="decisions")
    values = []
    for setting in (setting_a, setting_b):
        part = decisions[decisions[setting_col] == setting]
        scores = per_list_scores(
            part, k=k, list_cols=list_cols, rank_col=rank_col, relevance_col=relevance_col
        )
        values.append(scores[metric].to_numpy(dtype=float))
    a, b = values
    out = {"lists_a": float(len(a)), "lists_b": float(len(b))}
    if not len(a) or not len(b):
        nan = float("nan")
        return {
            **out,
            "mean_a": nan,
            "mean_b": nan,
            "difference": nan,
            "ci_low": nan,
            "ci_high": nan,
        }
    rng = np.random.default_rng(seed)
    diffs = rng.choice(b, (n_boot, len(b))).mean(axis=1) - rng.choice(a, (n_boot, len(a))).mean(
        axis=1
    )
    low, high = np.percentile(diffs, [2.5, 97.5])
    return {
        **out,
        "mean_a": float(a.mean()),
        "mean_b": float(b.mean()),
        "difference": float(b.mean() - a.mean()),
        "ci_low": float(low),
        "ci_high": float(high),
    }
