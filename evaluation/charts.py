"""PNG charts of an evaluation (matplotlib, Agg backend: no display needed).

Each function draws one chart from the tables the metric modules return and saves it to ``path``;
texts come from the caller so the same charts serve the Swedish and the English report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from evaluation.metrics import IPS_BANDS  # noqa: E402
from evaluation.survival import KaplanMeierResult  # noqa: E402

COLOURS = ("#1f5f8b", "#e07b39", "#3f9b52", "#8e5ea2", "#c23b3b", "#6b6b6b")


def _save(fig: Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=110, format="png")
    plt.close(fig)
    return path


def quarterly_rates_chart(rates: pd.DataFrame, path: Path, *, labels: Mapping[str, str]) -> Path:
    """Bars of the competitive employment rate per quarter, any-job rate as a line, IPS bands.

    ``rates`` is :func:`evaluation.metrics.quarterly_outcome_rates`' table; ``labels`` needs
    ``title``, ``competitive``, ``any_job``, ``practice``, ``ylabel`` and one label per band
    (``minimum``, ``average``, ``excellent``).
    """
    fig, ax = plt.subplots(figsize=(8, 4.2))
    x = np.arange(len(rates))
    competitive = rates["competitive_rate"].astype(float).to_numpy() * 100
    ax.bar(x, np.nan_to_num(competitive), color=COLOURS[0], label=labels["competitive"], width=0.6)
    ax.plot(
        x,
        rates["any_job_rate"].astype(float) * 100,
        "o-",
        color=COLOURS[1],
        label=labels["any_job"],
    )
    ax.plot(
        x,
        rates["practice_rate"].astype(float) * 100,
        "s--",
        color=COLOURS[2],
        label=labels["practice"],
    )
    for (band, value), style in zip(IPS_BANDS.items(), (":", "--", "-"), strict=True):
        ax.axhline(
            value * 100,
            color="#777777",
            linestyle=style,
            linewidth=1,
            label=f"IPS {labels[band].lower()} {value:.0%}",
        )
    ax.set_xticks(x, rates["quarter"].tolist())
    ax.set_ylim(0, 100)
    ax.set_ylabel(labels["ylabel"])
    ax.set_title(labels["title"])
    ax.legend(loc="upper left", fontsize=8)
    return _save(fig, path)


def cumulative_incidence_chart(
    curves: Sequence[KaplanMeierResult],
    path: Path,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    deadline_days: int | None = 30,
) -> Path:
    """Kaplan-Meier curves drawn as 1 - S(t) (share with the event by day t), with 95 % bands."""
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for curve, colour in zip(curves, COLOURS, strict=False):
        if curve.table.empty:
            continue
        t = curve.table["time"].to_numpy()
        ax.step(
            t,
            (1 - curve.table["survival"]) * 100,
            where="post",
            color=colour,
            label=f"{curve.label} (n={curve.n})",
        )
        ax.fill_between(
            t,
            (1 - curve.table["ci_upper"]) * 100,
            (1 - curve.table["ci_lower"]) * 100,
            step="post",
            color=colour,
            alpha=0.15,
        )
    if deadline_days is not None:
        ax.axvline(deadline_days, color="#777777", linestyle="--", linewidth=1)
    ax.set_ylim(0, 100)
    ax.set_xlim(left=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if any(not c.table.empty for c in curves):
        ax.legend(loc="lower right", fontsize=8)
    return _save(fig, path)


def survival_chart(
    curve: KaplanMeierResult, path: Path, *, title: str, xlabel: str, ylabel: str
) -> Path:
    """One Kaplan-Meier survival curve S(t) in percent, with its 95 % band."""
    fig, ax = plt.subplots(figsize=(8, 4.2))
    if not curve.table.empty:
        t = curve.table["time"].to_numpy()
        ax.step(t, curve.table["survival"] * 100, where="post", color=COLOURS[0])
        ax.fill_between(
            t,
            curve.table["ci_lower"] * 100,
            curve.table["ci_upper"] * 100,
            step="post",
            color=COLOURS[0],
            alpha=0.15,
        )
    ax.set_ylim(0, 100)
    ax.set_xlim(left=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return _save(fig, path)


def fidelity_chart(table: pd.DataFrame, path: Path, *, title: str, title_col: str) -> Path:
    """Horizontal bars of IPS-25 item scores (1-5); unscored items are shown empty."""
    fig, ax = plt.subplots(figsize=(8, 0.55 * max(len(table), 1) + 1.2))
    y = np.arange(len(table))[::-1]
    scores = pd.to_numeric(table["score"], errors="coerce").to_numpy(dtype=float)
    colours = [
        COLOURS[2] if s >= 4 else COLOURS[1] if s >= 3 else COLOURS[4]
        for s in np.nan_to_num(scores)
    ]
    ax.barh(y, np.nan_to_num(scores), color=colours)
    ax.set_yticks(y, table[title_col].tolist())
    ax.set_xlim(0, 5)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_title(title)
    return _save(fig, path)


def bar_chart(
    categories: Sequence[str],
    values: Sequence[float],
    path: Path,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    percent: bool = False,
) -> Path:
    """A plain bar chart (values in [0, 1] shown as percent when ``percent``)."""
    fig, ax = plt.subplots(figsize=(8, 4.2))
    heights = np.nan_to_num(np.asarray(values, dtype=float)) * (100 if percent else 1)
    ax.bar(np.arange(len(categories)), heights, color=COLOURS[0])
    ax.set_xticks(np.arange(len(categories)), list(categories))
    if percent:
        ax.set_ylim(0, 100)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return _save(fig, path)
