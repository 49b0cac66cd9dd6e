"""The learnt occupation reranker: training on held-out titles, its file, and the shipped one."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression

from matching.e5model import PackedModel, TunedValues, base_model_file
from matching.rerank import RERANKER_FILE, CandidateReranker, _fold_of, held_out_titles
from matching.semantic import SemanticEncoder, SemanticIndex
from matching.vocabulary import (
    DATA_DIR,
    FEATURES,
    GroupClassifier,
    OccupationMatcher,
    OccupationVocabulary,
    default_matcher,
    load_reranker,
    load_vocabulary,
    normalize,
)

# Drivers, cleaners and warehouse staff of the real taxonomy: large enough to learn from,
# small enough to train in seconds.
PREFIXES = ("83", "91", "432")


def _subset(vocabulary: OccupationVocabulary) -> OccupationVocabulary:
    keep = {oid for oid, o in vocabulary.occupations.items() if o.ssyk4_code.startswith(PREFIXES)}
    groups = [g for code, g in vocabulary.groups.items() if code.startswith(PREFIXES)]
    terms = [t for t in vocabulary.terms if t[1] in keep]
    edges = [
        (oid, sub, level)
        for oid in sorted(keep)
        for sub, level in vocabulary.substitutes(oid).items()
        if sub in keep
    ]
    return OccupationVocabulary(
        [vocabulary.occupations[o] for o in sorted(keep)], groups, terms, edges
    )


@pytest.fixture(scope="module")
def small() -> OccupationVocabulary:
    return _subset(load_vocabulary())


def _test_split(title: str) -> bool:
    return zlib.crc32(title.strip().lower().encode()) % 4 == 0


@pytest.fixture(scope="module")
def trained(small: OccupationVocabulary) -> tuple[OccupationVocabulary, list, CandidateReranker]:
    reduced, cases = held_out_titles(small, _test_split)
    reranker = CandidateReranker(folds=3).fit(reduced)
    return reduced, cases, reranker


def test_held_out_titles_keep_every_occupation_name(small: OccupationVocabulary) -> None:
    reduced, cases = held_out_titles(small, _test_split)
    assert (
        cases
        and len(reduced.terms)
        == len(small.terms)
        - len({c.title for c in cases} & {t[0] for t in small.terms if t[2] == "job-title"})
        or len(reduced.terms) < len(small.terms)
    )
    kept = {t[0] for t in reduced.terms}
    for case in cases:
        assert case.title not in kept
        assert case.occupation_ids <= set(small.occupations)
    labels = {o.label for o in small.occupations.values()}
    assert labels <= kept
    assert reduced.groups.keys() == small.groups.keys()


def test_training_makes_a_model_of_every_feature(trained) -> None:
    _reduced, _cases, reranker = trained
    assert reranker.features_ == FEATURES
    assert reranker.n_queries_ > 50 and reranker.n_examples_ > reranker.n_queries_
    assert reranker.feature_.shape == (reranker.trees, 2**reranker.depth - 1)
    assert np.isfinite(reranker.leaf_).all()
    # The trees split on several signals, not one.
    used = reranker.feature_[np.isfinite(reranker.threshold_)]
    assert len(set(used.tolist())) >= 5


@pytest.mark.parametrize("depth", [1, 3, 4, 6])
def test_flat_trees_score_as_scikit_learn_does(depth: int) -> None:
    """Trees of any shape, shallower leaves included, give scikit-learn's probabilities (depth 6:
    leaves found by walking the trees, not by the table of outcome patterns)."""
    rng = np.random.default_rng(depth)
    x = rng.normal(size=(3000, 6))
    x[:, 5] = np.round(x[:, 5])  # ties at thresholds
    y = (x[:, 0] + x[:, 1] * x[:, 2] + rng.normal(scale=0.5, size=len(x))) > 0.5
    reranker = CandidateReranker(trees=40, learning_rate=0.2, depth=depth, min_leaf=150)
    reranker.fit_rows(x, y, tuple("abcdef"))
    reference = HistGradientBoostingClassifier(
        max_iter=40,
        learning_rate=0.2,
        max_depth=depth,
        max_leaf_nodes=None,
        min_samples_leaf=150,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=0,
    ).fit(x, y)
    fresh = rng.normal(size=(500, 6))
    fresh[:, 5] = np.round(fresh[:, 5])
    assert np.allclose(reranker.predict_proba(fresh), reference.predict_proba(fresh)[:, 1])
    # Padded leaves: a min_leaf this large stops some branches above full depth.
    if depth == 4:
        assert np.isinf(reranker.threshold_).any()


def test_reranked_lookup_is_at_least_as_good_on_unseen_titles(trained) -> None:
    reduced, cases, reranker = trained
    classifier = GroupClassifier().fit(reduced)
    plain = OccupationMatcher(group_classifier=classifier).fit(reduced)
    learnt = OccupationMatcher(group_classifier=classifier, reranker=reranker).fit(reduced)

    def mrr(matcher: OccupationMatcher) -> float:
        total = 0.0
        for case in cases:
            found = [c.occupation_id for c in matcher.lookup(case.title, top=10)]
            rank = next((i for i, o in enumerate(found, 1) if o in case.occupation_ids), 0)
            total += 1.0 / rank if rank else 0.0
        return total / len(cases)

    # On titles neither has seen; the reranker learnt its weights from other titles only.
    assert len(cases) > 40
    assert mrr(learnt) >= mrr(plain) - 0.03


def test_exact_names_come_first_and_garbage_stays_empty(trained) -> None:
    reduced, _cases, reranker = trained
    matcher = OccupationMatcher(reranker=reranker).fit(reduced)
    returned = [
        o
        for i, o in enumerate(matcher.vocabulary_.occupations.values())
        if not matcher.shadowed_[i]
    ]
    for occupation in returned[:60]:
        found = matcher.lookup(occupation.label, top=3)
        # First, or after an occupation that has the same name ("Bussförare" is also a part
        # of "Bussförare/Busschaufför").
        assert occupation.occupation_id in {c.occupation_id for c in found}
        assert normalize(occupation.label) in {
            normalize(part) for part in found[0].label.split("/")
        } | {normalize(found[0].label)}
        assert found[0].score >= 0.95  # 1 unless the label has words a query drops ("och")
    for text in ("", "?!", "ö", "qqqq zzzz", "12345"):
        assert matcher.lookup(text) == []


def test_model_round_trips_through_its_file(trained, tmp_path: Path) -> None:
    _reduced, _cases, reranker = trained
    reranker.save(tmp_path / "r.npz")
    loaded = CandidateReranker.load(tmp_path / "r.npz")
    rows = np.random.default_rng(0).normal(size=(30, len(FEATURES)))
    assert np.allclose(loaded.predict_proba(rows), reranker.predict_proba(rows))
    assert loaded.features_ == reranker.features_
    loaded.save(tmp_path / "again.npz")
    assert (tmp_path / "again.npz").read_bytes() == (tmp_path / "r.npz").read_bytes()


def test_a_linear_reranker_scores_as_a_logistic_regression_and_round_trips(
    tmp_path: Path,
) -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(800, 4)) * [1.0, 10.0, 0.1, 1.0] + [0.0, 5.0, 0.0, -2.0]
    y = (x[:, 0] - 0.1 * x[:, 1] + rng.normal(size=800)) > 0
    linear = CandidateReranker.for_meaning().fit_rows(x, y, tuple("abcd"))
    assert linear.trees == 0 and linear.feature_.shape[0] == 0
    scaled = (x - x.mean(axis=0)) / x.std(axis=0)
    reference = LogisticRegression(C=1.0, max_iter=5000).fit(scaled, y)
    assert np.allclose(linear.predict_proba(x), reference.predict_proba(scaled)[:, 1])
    linear.save(tmp_path / "linear.npz")
    loaded = CandidateReranker.load(tmp_path / "linear.npz")
    assert loaded.trees == 0
    assert np.allclose(loaded.predict_proba(x[:50]), linear.predict_proba(x[:50]))


def test_a_file_of_the_older_linear_kind_asks_for_a_rebuild(tmp_path: Path) -> None:
    np.savez(tmp_path / "old.npz", features=np.array(FEATURES), coef=np.zeros(len(FEATURES)))
    with pytest.raises(ValueError, match="older format"):
        CandidateReranker.load(tmp_path / "old.npz")


def test_a_reranker_of_other_features_is_refused(small: OccupationVocabulary) -> None:
    other = CandidateReranker()
    width = len(FEATURES)
    other._set_state(
        ("x",) * width,
        np.zeros(width),
        np.zeros((1, 7)),
        np.full((1, 7), np.inf),
        np.zeros((1, 8)),
        0.0,
    )
    with pytest.raises(ValueError, match="other features"):
        OccupationMatcher(reranker=other).fit(small)


def test_parameters_and_rows_are_validated(small: OccupationVocabulary) -> None:
    with pytest.raises(ValueError, match="trees must be at least 0"):
        CandidateReranker(trees=-1).fit(small)
    with pytest.raises(ValueError, match="C must be positive"):
        CandidateReranker(trees=0, C=0.0).fit(small)
    with pytest.raises(ValueError, match="learning_rate"):
        CandidateReranker(learning_rate=0.0).fit(small)
    with pytest.raises(ValueError, match="depth"):
        CandidateReranker(depth=9).fit(small)
    with pytest.raises(ValueError, match="folds"):
        CandidateReranker(folds=1).fit(small)
    with pytest.raises(ValueError, match="features"):
        CandidateReranker().fit_rows(np.zeros((3, 2)), np.array([0, 1, 0]))
    with pytest.raises(ValueError, match="finite"):
        CandidateReranker().fit_rows(np.full((2, 2), np.nan), np.array([0, 1]), ("a", "b"))
    with pytest.raises(ValueError, match="both right and wrong"):
        CandidateReranker().fit_rows(np.zeros((2, 2)), np.array([1, 1]), ("a", "b"))
    with pytest.raises(NotFittedError):
        CandidateReranker().predict_proba(np.zeros((1, len(FEATURES))))
    with pytest.raises(ValueError, match="rerank_decay"):
        OccupationMatcher(rerank_decay=0.0).fit(small)


# --------------------------------------------------------------------------- shipped model


def test_default_matcher_uses_the_shipped_reranker() -> None:
    model = load_reranker()
    assert model is not None and default_matcher().reranker is model
    assert model.features_ == FEATURES
    assert (DATA_DIR / RERANKER_FILE).stat().st_size < 150_000


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Lagerarbetare/Terminalarbetare", "Lagerarbetare/Terminalarbetare"),
        ("lagerarbetaren", "Lagerarbetare/Terminalarbetare"),
        ("adminstratör", "Administratör"),
        ("Undersköterska, hemtjänst, äldreboende och habilitering", None),
    ],
)
def test_shipped_known_answers(text: str, label: str | None) -> None:
    first = default_matcher().lookup(text, top=3)[0]
    assert first.label == (label or text)
    assert first.score >= 0.95


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60))
def test_shipped_answers_are_sorted_bounded_and_deterministic(text: str) -> None:
    matcher = default_matcher()
    first = matcher.lookup(text, top=5)
    assert first == matcher.lookup(text, top=5)
    scores = [c.score for c in first]
    assert scores == sorted(scores, reverse=True)
    assert all(matcher.min_score <= s <= 1.0 for s in scores)
    assert len({c.occupation_id for c in first}) == len(first)


def test_meaning_learns_from_each_folds_own_index(small: OccupationVocabulary) -> None:
    reduced, _cases = held_out_titles(small, _test_split)
    base = SemanticIndex(SemanticEncoder())
    # Another model: the last layer's output LayerNorm reweighted.
    values = PackedModel.read(base_model_file()).trainable()
    arrays = dict(values.arrays)
    arrays["l11.oln.w"] = arrays["l11.oln.w"] * np.linspace(0.2, 2.0, 384, dtype=np.float32)
    other = SemanticIndex(SemanticEncoder(TunedValues(arrays, values.base_sha256)))
    given: list[OccupationVocabulary] = []

    def semantic_for(vocabulary: OccupationVocabulary) -> SemanticIndex:
        given.append(vocabulary)
        return other

    settings = CandidateReranker.for_meaning(folds=2)
    rows = list(
        settings.training_rows(reduced, OccupationMatcher(semantic=base), None, semantic_for)
    )
    # One index per fold, for the vocabulary without that fold's titles.
    assert [sorted(v.terms) for v in given] == [
        sorted(held_out_titles(reduced, lambda t, f=f: _fold_of(t, 2) == f)[0].terms)
        for f in (0, 1)
    ]
    # The folds' features come from the fold's index, not the matcher's.
    by_other = list(settings.training_rows(reduced, OccupationMatcher(semantic=other)))
    by_base = list(settings.training_rows(reduced, OccupationMatcher(semantic=base)))
    assert len(rows) == len(by_other) == len(by_base) > 40
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(rows, by_other, strict=True))
    assert not all(
        a[0].shape == b[0].shape and np.allclose(a[0], b[0])
        for a, b in zip(rows, by_base, strict=True)
    )
