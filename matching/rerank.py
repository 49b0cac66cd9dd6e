"""A learnt reranker for occupation lookup, trained on the taxonomy's own job titles.

:class:`~matching.vocabulary.OccupationMatcher` scores every occupation by many signals (name
fit by character n-grams and typos, several names agreeing, the SSYK-4 group models, rewritings
of the query by rules mined from synonyms, substitutes, the market prior). How much each signal
should count, and when, is not written by hand: :class:`CandidateReranker` learns it.

Training holds out each job-title synonym of the vocabulary once (``folds`` folds by a stable
hash of the title), fits the matcher and a fresh group classifier without that fold, looks the
held-out titles up and records the features of every candidate with whether it is one of the
title's occupations. A logistic regression over the standardised features is the model: a
handful of numbers, stored in ``matching/data/occupation_reranker.npz`` and applied in
microseconds. Because the folds look like the real task (a title the matcher has never seen),
the weights are those that generalise to new titles, not those that fit the known ones.

Two are shipped: one over the spelling features (``FEATURES``), used first, and one that also
weighs meaning (``FEATURES + SEMANTIC_FEATURES``, :mod:`matching.semantic`), stored in
``occupation_reranker_semantic.npz`` and used when the first is unsure. Which one a training
run makes follows the matcher it is given: with a semantic index, the second.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from matching.arrays import save_npz
from matching.vocabulary import (
    FEATURES,
    GroupClassifier,
    OccupationMatcher,
    OccupationVocabulary,
)

__all__ = [
    "RERANKER_FILE",
    "SEMANTIC_RERANKER_FILE",
    "CandidateReranker",
    "TitleCase",
    "held_out_titles",
]

RERANKER_FILE = "occupation_reranker.npz"
# The reranker trained with meaning (FEATURES + SEMANTIC_FEATURES).
SEMANTIC_RERANKER_FILE = "occupation_reranker_semantic.npz"


@dataclass(frozen=True)
class TitleCase:
    """A held-out job title and the occupations (and their current twins) it names."""

    title: str
    occupation_ids: frozenset[str]


def held_out_titles(
    vocabulary: OccupationVocabulary, keep_out: Callable[[str], bool]
) -> tuple[OccupationVocabulary, list[TitleCase]]:
    """The vocabulary without the job titles ``keep_out`` selects, and one case per such title.

    Titles that are also an occupation's own name never leave: names are the taxonomy.
    """
    labels = {o.label.strip().casefold() for o in vocabulary.occupations.values()}
    held = {
        term
        for term, _oid, kind in vocabulary.terms
        if kind == "job-title" and term.strip().casefold() not in labels and keep_out(term)
    }
    targets: dict[str, set[str]] = defaultdict(set)
    for term, occupation_id, kind in vocabulary.terms:
        if term in held and kind == "job-title":
            targets[term].add(occupation_id)
    reduced = vocabulary.without_titles(held)
    cases = []
    for term, ids in sorted(targets.items()):
        ids |= {vocabulary.current_equivalent(i).occupation_id for i in ids}
        cases.append(TitleCase(term, frozenset(ids)))
    return reduced, cases


def _fold_of(title: str, folds: int) -> int:
    # Salted, so that the folds are independent of the benchmark's split (crc32 % 5).
    return zlib.crc32(("rerank:" + title.strip().lower()).encode()) % folds


class CandidateReranker(BaseEstimator):  # type: ignore[misc]
    """Probability that a candidate is an occupation the query names, from its features.

    Parameters
    ----------
    C : float > 0, default=1.0
        Inverse regularisation strength of the logistic regression.
    folds : int >= 2, default=5
        Folds of held-out job titles used to make training examples.

    Attributes
    ----------
    features_ : tuple of str
        The feature names, as ``matching.vocabulary.FEATURES`` when trained.
    mean_, scale_ : ndarray, shape (n_features,)
        Standardisation.
    coef_ : ndarray, shape (n_features,)
    intercept_ : float
    n_queries_, n_examples_ : int
        Held-out titles and candidate rows trained on (0 when loaded).
    """

    def __init__(self, *, C: float = 1.0, folds: int = 5) -> None:  # noqa: N803
        self.C = C
        self.folds = folds

    def fit(
        self,
        vocabulary: OccupationVocabulary,
        matcher: OccupationMatcher | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> CandidateReranker:
        """Train on held-out folds of the vocabulary's job titles (about a minute).

        Parameters
        ----------
        vocabulary : OccupationVocabulary
        matcher : OccupationMatcher, optional
            Settings of the matcher the reranker will serve (unfitted is fine; its reranker
            is ignored). Each fold trains a group classifier like its ``group_classifier``
            (default settings when it has none).
        progress : callable, optional
            Called with ``(fold done, folds)``.
        """
        if self.C <= 0.0:
            raise ValueError("C must be positive")
        if self.folds < 2:
            raise ValueError("folds must be at least 2")
        rows, labels = [], []
        n_queries = 0
        for features, label in self.training_rows(vocabulary, matcher, progress):
            rows.append(features)
            labels.append(label)
            n_queries += 1
        if not rows:
            raise ValueError("the vocabulary has no job titles to train on")
        x = np.vstack(rows)
        y = np.concatenate(labels)
        if y.all() or not y.any():
            raise ValueError("training needs both right and wrong candidates")
        template = OccupationMatcher() if matcher is None else matcher
        self.fit_rows(x, y, template.feature_names())
        self.n_queries_ = n_queries
        return self

    def training_rows(
        self,
        vocabulary: OccupationVocabulary,
        matcher: OccupationMatcher | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """``(features, is one of the title's occupations)`` for each held-out title."""
        template = OccupationMatcher() if matcher is None else matcher
        classifier_template = template.group_classifier
        for fold in range(self.folds):
            folds = self.folds

            def in_fold(title: str, fold: int = fold, folds: int = folds) -> bool:
                return _fold_of(title, folds) == fold

            reduced, cases = held_out_titles(vocabulary, in_fold)
            classifier = (
                GroupClassifier()
                if classifier_template is None
                else clone(classifier_template, safe=False)
            ).fit(reduced)
            fold_matcher = clone(template, safe=False).set_params(
                group_classifier=classifier, reranker=None, semantic_reranker=None
            )
            fold_matcher.fit(reduced)
            for case in cases:
                parts = fold_matcher._score(case.title)
                if parts is None:
                    continue
                # With a semantic index, the reranker learns meaning too.
                order, features = fold_matcher._features(parts, fold_matcher._meaning(case.title))
                if not len(order):
                    continue
                ids = fold_matcher.occupation_ids_
                label = np.array([ids[i] in case.occupation_ids for i in order.tolist()])
                yield features, label
            if progress is not None:
                progress(fold + 1, self.folds)

    def fit_rows(
        self, x: np.ndarray, y: np.ndarray, features: tuple[str, ...] = FEATURES
    ) -> CandidateReranker:
        """Train on ready feature rows (columns named by ``features``) and 0/1 labels."""
        if x.ndim != 2 or x.shape[1] != len(features) or len(x) != len(y):
            raise ValueError(f"expected rows of {len(features)} features and one label each")
        scaler = StandardScaler().fit(x)
        model = LogisticRegression(C=self.C, max_iter=5000).fit(scaler.transform(x), y)
        self._set_state(
            tuple(features),
            scaler.mean_,
            np.where(scaler.scale_ > 0, scaler.scale_, 1.0),
            model.coef_.ravel(),
            float(model.intercept_[0]),
        )
        self.n_examples_ = len(x)
        self.n_queries_ = 0
        return self

    def _set_state(
        self,
        features: tuple[str, ...],
        mean: np.ndarray,
        scale: np.ndarray,
        coef: np.ndarray,
        intercept: float,
    ) -> None:
        self.features_ = tuple(features)
        self.mean_ = np.asarray(mean, dtype=np.float64)
        self.scale_ = np.asarray(scale, dtype=np.float64)
        self.coef_ = np.asarray(coef, dtype=np.float64)
        self.intercept_ = float(intercept)
        # Folded into one weight vector and bias: p = sigmoid(x @ w + b).
        self.weights_ = self.coef_ / self.scale_
        self.bias_ = self.intercept_ - float(self.mean_ @ self.weights_)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Probability of each row, shape (n_rows,)."""
        check_is_fitted(self, "weights_")
        z = np.clip(x @ self.weights_ + self.bias_, -50.0, 50.0)
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    def save(self, path: Path | str) -> None:
        """Write the model as an ``.npz`` archive with fixed timestamps (byte-stable)."""
        check_is_fitted(self, "weights_")
        arrays = {
            "features": np.array(self.features_),
            "mean": self.mean_,
            "scale": self.scale_,
            "coef": self.coef_,
            "intercept": np.array([self.intercept_]),
            "C": np.array([self.C]),
        }
        save_npz(path, arrays)

    @classmethod
    def load(cls, path: Path | str) -> CandidateReranker:
        """Read a model written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as data:
            model = cls(C=float(data["C"][0]))
            model._set_state(
                tuple(str(f) for f in data["features"].tolist()),
                data["mean"],
                data["scale"],
                data["coef"],
                float(data["intercept"][0]),
            )
        model.n_queries_ = model.n_examples_ = 0
        return model

    def weights(self) -> dict[str, float]:
        """Standardised weight of each feature (how much a typical change moves the log-odds)."""
        check_is_fitted(self, "weights_")
        return {f: float(w) for f, w in zip(self.features_, self.coef_, strict=True)}
