"""Kaplan-Meier against a published worked example and against lifelines itself."""

import math

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter

from evaluation.survival import kaplan_meier, kaplan_meier_by_group

# Gehan (1965) leukaemia remission data, 6-MP arm, as worked in Kleinbaum & Klein,
# "Survival Analysis: A Self-Learning Text", chapter 2 (weeks; False = censored).
SIX_MP_WEEKS = [6, 6, 6, 7, 10, 13, 16, 22, 23, 6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35]
SIX_MP_EVENT = [True] * 9 + [False] * 12
# The textbook's table: S(t) at each event time.
PUBLISHED = {6: 0.8571, 7: 0.8067, 10: 0.7529, 13: 0.6902, 16: 0.6275, 22: 0.5378, 23: 0.4482}


def test_kaplan_meier_matches_published_worked_example() -> None:
    km = kaplan_meier(SIX_MP_WEEKS, SIX_MP_EVENT, label="6-MP")
    for week, expected in PUBLISHED.items():
        assert km.survival_at(week) == pytest.approx(expected, abs=5e-5)
    assert km.median == 23.0
    assert (km.n, km.n_events) == (21, 9)
    row = km.table.set_index("time").loc[10.0]
    assert (row["at_risk"], row["events"], row["censored"]) == (15, 1, 1)
    assert km.survival_at(5) == 1.0
    assert km.survival_at(100) == pytest.approx(0.4482, abs=5e-5)


def test_kaplan_meier_agrees_with_lifelines_on_random_data() -> None:
    rng = np.random.default_rng(7)
    t = rng.integers(0, 120, size=60).astype(float)
    e = rng.random(60) < 0.6
    km = kaplan_meier(t, e)
    ref = KaplanMeierFitter().fit(t, e)
    expected = ref.survival_function_.iloc[:, 0]
    assert np.allclose(km.table["survival"].to_numpy(), expected.to_numpy())
    assert km.median == ref.median_survival_time_
    assert (km.table["ci_lower"] <= km.table["survival"] + 1e-12).all()


def test_kaplan_meier_empty_and_invalid() -> None:
    empty = kaplan_meier([], [])
    assert empty.n == 0 and math.isnan(empty.median) and math.isnan(empty.survival_at(3))
    with pytest.raises(ValueError, match="non-negative"):
        kaplan_meier([-1.0, 2.0], [True, True])
    with pytest.raises(ValueError, match="length"):
        kaplan_meier([1.0, 2.0], [True])


def test_kaplan_meier_by_group() -> None:
    frame = pd.DataFrame(
        {"days": [1, 2, 3, 4], "observed": [True, True, False, True], "coach": list("abab")}
    )
    curves = kaplan_meier_by_group(frame, group_col="coach")
    assert [c.label for c in curves] == ["a", "b"]
    assert curves[0].survival_at(1) == 0.5  # a: events at 1, censored at 3
    with pytest.raises(ValueError, match="team"):
        kaplan_meier_by_group(frame, group_col="team")
