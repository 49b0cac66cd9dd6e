"""A logistic regression fitted on standardised features, folded back onto the raw features.

Standardising makes the solver converge and the regularisation fair across features of
different scales; folding the scaler into the weights leaves a model that is applied as
``x @ weights.T + bias``, with nothing else to store.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

__all__ = ["fit_standardised_logistic"]


def fit_standardised_logistic(
    x: np.ndarray,
    y: Sequence[object] | np.ndarray,
    *,
    C: float,
    max_iter: int,  # noqa: N803
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(classes, weights, bias)`` of a logistic regression on the standardised columns of
    ``x``, as weights on the raw columns: the decision function is ``x @ weights.T + bias``.

    ``weights`` has shape ``(1, n_features)`` for two classes (the margin of the second) and
    ``(n_classes, n_features)`` for more (multinomial); constant columns get no weight.
    """
    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    model = LogisticRegression(C=C, max_iter=max_iter).fit((x - scaler.mean_) / scale, y)
    weights = model.coef_ / scale
    return model.classes_, weights, model.intercept_ - weights @ scaler.mean_
