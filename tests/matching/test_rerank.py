"""The learnt occupation reranker: training on held-out titles, its file, and the shipped one."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

from matching.rerank import RERANKER_FILE, CandidateReranker, held_out_titles
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
    weights = reranker.weights()
    assert set(weights) == set(FEATURES)
    assert all(np.isfinite(list(weights.values())))


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


def test_a_reranker_of_other_features_is_refused(small: OccupationVocabulary) -> None:
    other = CandidateReranker()
    width = len(FEATURES)
    other._set_state(("x",) * width, np.zeros(width), np.ones(width), np.zeros(width), 0.0)
    with pytest.raises(ValueError, match="other features"):
        OccupationMatcher(reranker=other).fit(small)


def test_parameters_and_rows_are_validated(small: OccupationVocabulary) -> None:
    with pytest.raises(ValueError, match="C must be positive"):
        CandidateReranker(C=0.0).fit(small)
    with pytest.raises(ValueError, match="folds"):
        CandidateReranker(folds=1).fit(small)
    with pytest.raises(ValueError, match="features"):
        CandidateReranker().fit_rows(np.zeros((3, 2)), np.array([0, 1, 0]))
    with pytest.raises(NotFittedError):
        CandidateReranker().predict_proba(np.zeros((1, len(FEATURES))))
    with pytest.raises(ValueError, match="rerank_decay"):
        OccupationMatcher(rerank_decay=0.0).fit(small)


# --------------------------------------------------------------------------- shipped model


def test_default_matcher_uses_the_shipped_reranker() -> None:
    model = load_reranker()
    assert model is not None and default_matcher().reranker is model
    assert model.features_ == FEATURES
    assert (DATA_DIR / RERANKER_FILE).stat().st_size < 20_000


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
