"""A learnt reranker for occupation lookup, trained on the taxonomy's own job titles.

:class:`~matching.vocabulary.OccupationMatcher` scores every occupation by many signals (name
fit by character n-grams and typos, several names agreeing, the SSYK-4 group models, rewritings
of the query by rules mined from synonyms, substitutes, the market prior). How much each signal
should count, and when, is not written by hand: :class:`CandidateReranker` learns it.

Training holds out each job-title synonym of the vocabulary once (``folds`` folds by a stable
hash of the title), fits the matcher and a fresh group classifier without that fold, looks the
held-out titles up and records the features of every candidate with whether it is one of the
title's occupations. Because the folds look like the real task (a title the matcher has never
seen), the model learns what generalises to new titles, not what fits the known ones.

Two are shipped: one over the spelling features (``FEATURES``), used first: shallow
gradient-boosted trees (``occupation_reranker.npz``, about 50 kB, a millisecond or two per
query); and one that also weighs meaning (``FEATURES + SEMANTIC_FEATURES``,
:mod:`matching.semantic`), used when the first is unsure: a logistic regression
(``occupation_reranker_semantic.npz``), which stays sensible on plain-word wishes unlike the
titles it learnt from. Which features a training run uses follows the matcher it is given:
with a semantic index, the second's.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.utils.validation import check_is_fitted

from matching.arrays import save_npz
from matching.linear import fit_standardised_logistic
from matching.semantic import SemanticIndex
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
# Deepest trees the flat layout holds (2**8 leaves each).
_MAX_DEPTH = 8
# Rows scored in one step (bounds the temporary comparison matrix).
_ROWS_AT_ONCE = 512
# Trees up to this many comparisons (depth 4) find their leaves by a table of outcome patterns.
_PATTERN_NODES = 15


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

    Two kinds of model, chosen by ``trees``:

    - gradient-boosted decision trees (scikit-learn's
      :class:`~sklearn.ensemble.HistGradientBoostingClassifier`, ``trees > 0``): whether a
      signal counts depends on the others (a group model's vote counts for more when no name
      fits well), which a linear model cannot express. The trees are shallow and kept as
      complete binary trees in flat arrays, so that the candidates of one query (about a
      hundred rows) are scored by a few vectorised steps per level, not one call per tree.
      The spelling reranker is this kind: on held-out titles it orders better.
    - a logistic regression over the standardised features (``trees=0``). It extrapolates more
      calmly to text unlike the job titles it learnt from, such as a wish in plain words
      ("måla hus", "dagmamma"), where trees trained on titles put odd occupations first. The
      reranker that weighs meaning, which answers such text, is this kind.

    Parameters
    ----------
    trees : int >= 0, default=600
        Boosting iterations (one tree each); 0 for a logistic regression.
    learning_rate : float > 0, default=0.05
        Shrinkage of each tree.
    depth : int in [1, 8], default=3
        Depth of every tree.
    min_leaf : int >= 1, default=100
        Fewest training rows in a leaf.
    C : float > 0, default=1.0
        Inverse regularisation strength of the logistic regression (``trees=0``).
    folds : int >= 2, default=5
        Folds of held-out job titles used to make training examples.

    Attributes
    ----------
    features_ : tuple of str
        The feature names, as ``matching.vocabulary.FEATURES`` when trained.
    weights_ : ndarray of float, shape (n_features,)
        Linear log-odds per unit of each feature (zero for trees).
    feature_ : ndarray of int, shape (n_trees, 2**depth - 1)
        Feature compared at each inner node of each tree (heap order: the children of node i
        are 2i+1 and 2i+2); no rows for a logistic regression.
    threshold_ : ndarray of float, shape (n_trees, 2**depth - 1)
        A row goes left when its feature is at most this (+inf where a shallower leaf was
        padded to full depth).
    leaf_ : ndarray of float, shape (n_trees, 2**depth)
        Log-odds each leaf adds.
    bias_ : float
        Log-odds of a row of zeros before the trees.
    n_queries_, n_examples_ : int
        Held-out titles and candidate rows trained on (0 when loaded).
    """

    def __init__(
        self,
        *,
        trees: int = 600,
        learning_rate: float = 0.05,
        depth: int = 3,
        min_leaf: int = 100,
        C: float = 1.0,  # noqa: N803 - scikit-learn's name
        folds: int = 5,
    ) -> None:
        self.trees = trees
        self.learning_rate = learning_rate
        self.depth = depth
        self.min_leaf = min_leaf
        self.C = C
        self.folds = folds

    @classmethod
    def for_meaning(cls, folds: int = 5) -> CandidateReranker:
        """Settings of the reranker that weighs meaning: a logistic regression (see above)."""
        return cls(trees=0, folds=folds)

    def _check_params(self) -> None:
        if self.trees < 0:
            raise ValueError("trees must be at least 0 (0: a logistic regression)")
        if self.learning_rate <= 0.0:
            raise ValueError("learning_rate must be positive")
        if not 1 <= self.depth <= _MAX_DEPTH:
            raise ValueError(f"depth must be within 1..{_MAX_DEPTH}")
        if self.min_leaf < 1:
            raise ValueError("min_leaf must be at least 1")
        if self.C <= 0.0:
            raise ValueError("C must be positive")
        if self.folds < 2:
            raise ValueError("folds must be at least 2")

    def fit(
        self,
        vocabulary: OccupationVocabulary,
        matcher: OccupationMatcher | None = None,
        progress: Callable[[int, int], None] | None = None,
        semantic_for: Callable[[OccupationVocabulary], SemanticIndex] | None = None,
    ) -> CandidateReranker:
        """Train on held-out folds of the vocabulary's job titles (minutes on the taxonomy).

        Parameters
        ----------
        vocabulary : OccupationVocabulary
        matcher : OccupationMatcher, optional
            Settings of the matcher the reranker will serve (unfitted is fine; its reranker
            is ignored). Each fold trains a group classifier like its ``group_classifier``
            (default settings when it has none).
        progress : callable, optional
            Called with ``(fold done, folds)``.
        semantic_for : callable, optional
            A semantic index for each fold's vocabulary (the vocabulary without the fold's
            titles), used instead of ``matcher``'s. Pass one whose model is fine-tuned on that
            vocabulary alone (:func:`matching.e5tune.tuned_index`): the held-out titles are
            then embedded by a model that never saw them, as a new title is when served. With
            ``matcher``'s index, whose model was fine-tuned on every title, meaning looks
            surer on the folds than it is on new text.
        """
        self._check_params()
        rows, labels = [], []
        n_queries = 0
        for features, label in self.training_rows(vocabulary, matcher, progress, semantic_for):
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
        semantic_for: Callable[[OccupationVocabulary], SemanticIndex] | None = None,
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """``(features, is one of the title's occupations)`` for each held-out title (see
        :meth:`fit` for the parameters)."""
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
            if semantic_for is not None:
                fold_matcher.set_params(semantic=semantic_for(reduced))
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
        self._check_params()
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != len(features) or len(x) != len(y):
            raise ValueError(f"expected rows of {len(features)} features and one label each")
        if not np.isfinite(x).all():
            raise ValueError("features must be finite")
        labels = np.asarray(y, dtype=bool)
        if labels.all() or not labels.any():
            raise ValueError("training needs both right and wrong candidates")
        if self.trees == 0:
            _classes, weights, bias = fit_standardised_logistic(x, labels, C=self.C, max_iter=5000)
            inner = 2**self.depth - 1
            no_trees = (np.zeros((0, inner)), np.zeros((0, inner)), np.zeros((0, inner + 1)))
            self._set_state(tuple(features), weights[0], *no_trees, float(bias[0]))
        else:
            model = HistGradientBoostingClassifier(
                max_iter=self.trees,
                learning_rate=self.learning_rate,
                max_depth=self.depth,
                max_leaf_nodes=None,
                min_samples_leaf=self.min_leaf,
                l2_regularization=1.0,
                early_stopping=False,
                random_state=0,
            ).fit(x, labels)
            feature, threshold, leaf, bias = _complete_trees(model, self.depth)
            self._set_state(tuple(features), np.zeros(x.shape[1]), feature, threshold, leaf, bias)
            # The flat trees must score as scikit-learn does (a guard against a changed
            # internal layout of its fitted trees).
            sample = x[:: max(1, len(x) // 2000)]
            if not np.allclose(self.predict_proba(sample), model.predict_proba(sample)[:, 1]):
                raise RuntimeError("the flattened trees disagree with scikit-learn's model")
        self.n_examples_ = len(x)
        self.n_queries_ = 0
        return self

    def _set_state(
        self,
        features: tuple[str, ...],
        weights: np.ndarray,
        feature: np.ndarray,
        threshold: np.ndarray,
        leaf: np.ndarray,
        bias: float,
    ) -> None:
        weights = np.asarray(weights, dtype=np.float64)
        feature = np.asarray(feature, dtype=np.intp)
        threshold = np.asarray(threshold, dtype=np.float64)
        leaf = np.asarray(leaf, dtype=np.float64)
        n_trees, inner = feature.shape
        if weights.shape != (len(features),):
            raise ValueError("one weight per feature")
        if threshold.shape != (n_trees, inner) or leaf.shape != (n_trees, inner + 1):
            raise ValueError("trees of inconsistent shapes")
        if (inner + 1) & inner:
            raise ValueError("trees must be complete (2**depth - 1 inner nodes)")
        if ((feature < 0) | (feature >= len(features))).any():
            raise ValueError("a tree compares a feature the model does not have")
        self.features_ = tuple(features)
        self.weights_ = weights
        self.feature_, self.threshold_, self.leaf_ = feature, threshold, leaf
        self.bias_ = float(bias)
        self.levels_ = inner.bit_length()
        # Node i of tree t is at t * inner + i among a row's comparisons; its leaf j at
        # t * (inner + 1) + j.
        self._node_base = (np.arange(n_trees) * inner)[None, :]
        self._leaf_base = (np.arange(n_trees) * (inner + 1) - inner)[None, :]
        # Each feature's thresholds, sorted: a value's code is how many of them it is above, so
        # "value > threshold k" is "code > k", compared in bytes (boosted trees have at most
        # 255 bins per feature).
        self._cuts = [np.unique(threshold[feature == f]) for f in range(len(features))]
        most = max((len(cuts) for cuts in self._cuts), default=0)
        self._code_type = np.uint8 if most <= np.iinfo(np.uint8).max else np.uint32
        self._threshold_code = np.zeros(feature.shape, dtype=self._code_type)
        for f, cuts in enumerate(self._cuts):
            self._threshold_code[feature == f] = np.searchsorted(cuts, threshold[feature == f])
        # Trees of at most 15 comparisons: the leaf each pattern of a tree's outcomes leads to
        # (bit i: node i goes right), so a row's leaf value is one lookup instead of a walk.
        self._value_of_pattern = None
        if 0 < inner <= _PATTERN_NODES:
            bits = (np.arange(2**inner)[:, None] >> np.arange(inner)) & 1
            node = np.zeros(2**inner, dtype=np.intp)
            for _ in range(self.levels_):
                node = 2 * node + 1 + bits[np.arange(2**inner), node]
            # Each tree's leaf value by pattern, tree after tree: one lookup per row and tree.
            self._value_of_pattern = leaf[:, node - inner].ravel()
            self._pattern_base = (np.arange(n_trees) * 2**inner)[None, :]
            self._feature_by_node = feature.T.ravel()
            bit_type = np.uint8 if inner <= 8 else np.uint16
            self._bit_of_node = (bit_type(1) << np.arange(inner, dtype=bit_type))[None, :, None]
            self._threshold_code_by_node = self._threshold_code.T.ravel()

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Probability of each row, shape (n_rows,)."""
        check_is_fitted(self, "leaf_")
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != len(self.features_):
            raise ValueError(f"expected rows of {len(self.features_)} features")
        if len(x) > _ROWS_AT_ONCE:
            return np.concatenate(
                [
                    self.predict_proba(x[i : i + _ROWS_AT_ONCE])
                    for i in range(0, len(x), _ROWS_AT_ONCE)
                ]
            )
        z = x @ self.weights_ + self.bias_
        n_trees, inner = self.feature_.shape
        if n_trees:
            # Every comparison of every tree at once (on codes: NaN goes left, as "NaN > t" is
            # false), then each row's leaf in each tree. Codes are found feature by feature on
            # contiguous columns (x transposed), then turned back to rows x features.
            columns = np.ascontiguousarray(x.T)
            codes = np.empty(columns.shape, dtype=self._code_type)
            for f, cuts in enumerate(self._cuts):
                codes[f] = cuts.searchsorted(columns[f])
            codes[np.isnan(columns)] = 0
            codes = codes.T
            if self._value_of_pattern is not None:
                # Node by node across all trees: bit i of a tree's pattern is its node i.
                by_node = codes[:, self._feature_by_node] > self._threshold_code_by_node
                by_node = by_node.reshape(len(x), inner, n_trees).view(np.uint8)
                bit = self._bit_of_node
                pattern = (by_node * bit).sum(axis=1, dtype=bit.dtype)
                z = z + self._value_of_pattern[pattern + self._pattern_base].sum(axis=1)
            else:
                goes_right = codes[:, self.feature_.ravel()] > self._threshold_code.ravel()
                goes_right = goes_right.ravel()
                row_base = (np.arange(len(x)) * (n_trees * inner))[:, None] + self._node_base
                node = np.zeros((len(x), n_trees), dtype=np.intp)
                for _ in range(self.levels_):
                    node = 2 * node + 1 + goes_right[row_base + node]
                z = z + self.leaf_.ravel()[node + self._leaf_base].sum(axis=1)
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0))))

    def save(self, path: Path | str) -> None:
        """Write the model as an ``.npz`` archive with fixed timestamps (byte-stable)."""
        check_is_fitted(self, "leaf_")
        arrays = {
            "features": np.array(self.features_),
            "weights": self.weights_,
            "feature": self.feature_.astype(np.int16),
            "threshold": self.threshold_,
            "leaf": self.leaf_,
            "bias": np.array([self.bias_]),
            "params": np.array(
                [self.trees, self.learning_rate, self.depth, self.min_leaf, self.C, self.folds],
                dtype=np.float64,
            ),
        }
        save_npz(path, arrays)

    @classmethod
    def load(cls, path: Path | str) -> CandidateReranker:
        """Read a model written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as data:
            if "leaf" not in data or "weights" not in data:
                raise ValueError(
                    f"{path} holds a reranker of an older format; rebuild it "
                    "(scripts/build_occupation_vocabulary.py)"
                )
            trees, rate, depth, min_leaf, c, folds = data["params"].tolist()
            model = cls(
                trees=int(trees),
                learning_rate=rate,
                depth=int(depth),
                min_leaf=int(min_leaf),
                C=c,
                folds=int(folds),
            )
            model._set_state(
                tuple(str(f) for f in data["features"].tolist()),
                data["weights"],
                data["feature"],
                data["threshold"],
                data["leaf"],
                float(data["bias"][0]),
            )
        model.n_queries_ = model.n_examples_ = 0
        return model


def _complete_trees(
    model: HistGradientBoostingClassifier, depth: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The trees of a fitted binary ``model`` as complete trees of ``depth`` in heap order,
    ``(feature, threshold, leaf, bias)``. A leaf above full depth becomes always-left splits
    (threshold +inf) down to a leaf at full depth."""
    inner = 2**depth - 1
    stages = [stage[0].nodes for stage in model._predictors]  # noqa: SLF001
    feature = np.zeros((len(stages), inner), dtype=np.intp)
    threshold = np.full((len(stages), inner), np.inf)
    leaf = np.zeros((len(stages), inner + 1))
    for t, nodes in enumerate(stages):
        stack = [(0, 0)]  # (node of the fitted tree, heap position)
        while stack:
            index, position = stack.pop()
            node = nodes[index]
            if position >= inner:
                if not node["is_leaf"]:
                    raise RuntimeError("a tree is deeper than its max_depth")
                leaf[t, position - inner] = node["value"]
            elif node["is_leaf"]:
                stack.append((index, 2 * position + 1))  # threshold +inf: always left
            else:
                feature[t, position] = node["feature_idx"]
                threshold[t, position] = node["num_threshold"]
                stack.append((int(node["left"]), 2 * position + 1))
                stack.append((int(node["right"]), 2 * position + 2))
    bias = float(np.ravel(model._baseline_prediction)[0])  # noqa: SLF001
    return feature, threshold, leaf, bias
