"""The semantic index: e5 embeddings of names and queries, the shipped table, and what meaning
adds to lookups."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from matching.rerank import SEMANTIC_RERANKER_FILE
from matching.semantic import (
    MEANING_CLASSIFIER_FILE,
    NAME_EMBEDDINGS_FILE,
    PASSAGE,
    QUERY_FRAME,
    MeaningGroupClassifier,
    NameEmbeddings,
    SemanticEncoder,
    SemanticIndex,
    load_semantic_index,
)
from matching.vocabulary import (
    DATA_DIR,
    FEATURES,
    SEMANTIC_FEATURES,
    OccupationMatcher,
    default_matcher,
    group_passage,
    load_meaning_classifier,
    load_reranker,
    load_semantic_reranker,
    load_vocabulary,
)


@pytest.fixture(scope="module")
def encoder() -> SemanticEncoder:
    return load_semantic_index().encoder


def test_embeddings_are_unit_vectors_and_deterministic(encoder: SemanticEncoder) -> None:
    texts = ["Postiljon", "Brevbärare", "  Brevbärare ", "lagerjobb i Gävle"]
    vectors = encoder.encode(texts)
    assert vectors.shape == (4, encoder.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Outer spaces do not change a text; one at a time gives what a batch gives.
    assert np.array_equal(vectors[1], vectors[2])
    assert np.array_equal(encoder.encode(["Postiljon"])[0], vectors[0])
    assert encoder.encode([]).shape == (0, encoder.dim)


@pytest.mark.parametrize(
    ("text", "near", "far"),
    [
        ("dagmamma", "Dagbarnvårdare", "Sjuksköterska"),
        ("Cellist", "Musiker", "Snickare"),
        ("Doktor", "Läkare", "Lärare"),
    ],
)
def test_meaning_relates_words_that_share_no_spelling(
    encoder: SemanticEncoder, text: str, near: str, far: str
) -> None:
    query, close, other = encoder.encode([text, near, far])
    assert float(query @ close) > float(query @ other)


@pytest.mark.parametrize(
    ("text", "near", "far"),
    [("Cellist", "Musiker", "Stylist"), ("Postiljon", "Brevbärare", "Polisaspirant")],
)
def test_the_frame_reads_a_title_as_work(
    encoder: SemanticEncoder, text: str, near: str, far: str
) -> None:
    # Alone, a title is read as a word and lands near words spelt like it; set in the frame,
    # nearer the work it names.
    model = encoder._loaded()

    def unframed(texts: list[str]) -> np.ndarray:
        rows = np.asarray(model.query(texts), dtype=np.float32).reshape(len(texts), -1)  # type: ignore[attr-defined]
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    raw = unframed([text, near, far])
    framed = encoder.encode([text, near, far])
    assert np.allclose(framed[0], unframed([QUERY_FRAME.format(text)])[0], atol=1e-6)
    gap_framed = float(framed[0] @ framed[1] - framed[0] @ framed[2])
    gap_raw = float(raw[0] @ raw[1] - raw[0] @ raw[2])
    assert gap_framed > gap_raw + 0.02


def test_a_table_embedded_in_another_frame_is_refused(
    encoder: SemanticEncoder, tmp_path: Path
) -> None:
    table = NameEmbeddings.build(["Bagare"], encoder)
    table.save(tmp_path / "now.npz")
    assert NameEmbeddings.load(tmp_path / "now.npz").texts == ("Bagare",)
    with np.load(tmp_path / "now.npz") as data:
        arrays = {key: data[key] for key in data.files}
    for name, frame in (("bare.npz", np.array(["{}"])), ("old.npz", None)):
        changed = (
            dict(arrays, frame=frame)
            if frame is not None
            else {k: v for k, v in arrays.items() if k != "frame"}
        )
        np.savez(tmp_path / name, **changed)
        with pytest.raises(ValueError, match="make vocabulary"):
            NameEmbeddings.load(tmp_path / name)


_SPIN_PROBE = (
    "import os; from matching.semantic import SemanticEncoder; SemanticEncoder().encode(['kock']); "
    "print(os.environ.get('GOMP_SPINCOUNT'))"
)


@pytest.mark.parametrize(
    ("settings", "seen"),
    [
        ({}, "30000"),  # the model's threads stop spinning soon after an embedding
        ({"GOMP_SPINCOUNT": "5"}, "5"),  # the user's spin count is kept
        ({"OMP_WAIT_POLICY": "PASSIVE"}, "None"),  # as is the user's wait policy
    ],
)
def test_the_model_threads_spin_briefly_unless_the_user_says_otherwise(
    settings: dict[str, str], seen: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("GOMP_SPINCOUNT", "OMP_WAIT_POLICY")}
    env.update(settings)
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(  # noqa: S603 (our own interpreter and probe)
        [sys.executable, "-c", _SPIN_PROBE],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == seen


def test_passages_are_embedded_apart_from_queries(encoder: SemanticEncoder) -> None:
    text = "Lagerarbetare. Tar emot, lagrar och skickar varor."
    query = encoder.encode([text])[0]
    passage = encoder.encode([text], passage=True)[0]
    assert not np.allclose(query, passage)
    assert float(query @ passage) > 0.8


def test_table_round_trips_in_eight_bits_and_is_byte_stable(
    encoder: SemanticEncoder, tmp_path: Path
) -> None:
    texts = ["Bagare", "Konditor", PASSAGE + "Bagare och konditorer. Bakar bröd."]
    table = NameEmbeddings.build(texts, encoder)
    assert table.texts == tuple(sorted(texts))
    table.save(tmp_path / "a.npz")
    loaded = NameEmbeddings.load(tmp_path / "a.npz")
    assert loaded.texts == table.texts
    assert np.all(np.sum(loaded.vectors * table.vectors, axis=1) > 0.999)
    loaded.save(tmp_path / "b.npz")
    table.save(tmp_path / "c.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "c.npz").read_bytes()
    # A passage is stored as the passage embedding of the text after the prefix.
    stored = table.get(texts[2])
    assert stored is not None
    assert np.allclose(stored, encoder.encode([texts[2][len(PASSAGE) :]], passage=True)[0])


def test_index_uses_stored_vectors_and_embeds_new_texts(encoder: SemanticEncoder) -> None:
    table = NameEmbeddings(["Bagare"], np.eye(1, encoder.dim, dtype=np.float32), encoder.model_id)
    index = SemanticIndex(encoder, table)
    assert np.array_equal(index.query("Bagare"), np.eye(1, encoder.dim)[0])
    fresh = index.query("Konditor")
    assert np.allclose(fresh, encoder.encode(["Konditor"])[0])
    both = index.vectors(["Bagare", "Konditor"])
    assert both.shape == (2, encoder.dim) and np.array_equal(both[1], fresh)
    restricted = index.restricted(["Konditor"])
    assert len(restricted.table) == 0 and "Bagare" not in restricted.table


def test_scikit_learn_clones_share_the_index() -> None:
    index = load_semantic_index()
    assert copy.deepcopy(index) is index
    matcher = OccupationMatcher(semantic=index)
    assert clone(matcher, safe=False).semantic is index


def test_meaning_classifier_learns_groups_and_round_trips(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 16))
    codes = ["5321", "4322", "9111"]
    x = np.vstack([c + 0.3 * rng.normal(size=(40, 16)) for c in centres])
    y = [code for code in codes for _ in range(40)]
    model = MeaningGroupClassifier().fit(x, y)
    assert model.classes_ == sorted(codes)
    fresh = centres + 0.3 * rng.normal(size=(3, 16))
    predicted = [model.classes_[i] for i in np.argmax(model.decision_function(fresh), axis=1)]
    assert predicted == codes
    assert model.decision_function(fresh[0]).shape == (3,)
    model.save(tmp_path / "m.npz")
    loaded = MeaningGroupClassifier.load(tmp_path / "m.npz")
    assert loaded.classes_ == model.classes_
    # float16 weights: margins agree to a few thousandths.
    assert np.allclose(loaded.decision_function(fresh), model.decision_function(fresh), atol=0.05)
    with pytest.raises(ValueError, match="C must be positive"):
        MeaningGroupClassifier(C=0.0).fit(x, y)
    with pytest.raises(ValueError, match="one embedding per group code"):
        MeaningGroupClassifier().fit(x, y[:-1])
    with pytest.raises(ValueError, match="two groups"):
        MeaningGroupClassifier().fit(x[:5], ["5321"] * 5)


def test_a_matcher_with_meaning_trains_its_group_classifier_unless_given_one() -> None:
    vocabulary = load_vocabulary()
    shipped = load_meaning_classifier()
    assert shipped is not None
    given = OccupationMatcher(semantic=load_semantic_index(), meaning_classifier=shipped)
    assert given.fit(vocabulary).meaning_classifier_ is shipped
    # An unfitted one gives its settings: trained on the vocabulary's names during fit.
    settings_only = MeaningGroupClassifier(C=0.1)
    trained = (
        OccupationMatcher(semantic=load_semantic_index(), meaning_classifier=settings_only)
        .fit(vocabulary)
        .meaning_classifier_
    )
    assert trained is not settings_only and trained.C == 0.1
    assert trained.classes_ == sorted(vocabulary.groups)


# --------------------------------------------------------------------------- shipped


def test_shipped_table_holds_every_name_and_group_definition() -> None:
    table = NameEmbeddings.load(DATA_DIR / NAME_EMBEDDINGS_FILE)
    matcher = default_matcher()
    missing = [t for t in matcher.semantic_texts() if t not in table]
    assert missing == []
    vocabulary = load_vocabulary()
    group = next(iter(vocabulary.groups.values()))
    assert PASSAGE + group_passage(group) in table
    # About 4 MB: 8 bits per value.
    assert (DATA_DIR / NAME_EMBEDDINGS_FILE).stat().st_size < 6_000_000


def test_default_matcher_reranks_by_spelling_then_meaning() -> None:
    matcher = default_matcher()
    assert matcher.semantic is load_semantic_index()
    assert matcher.reranker is load_reranker()
    assert matcher.semantic_reranker is load_semantic_reranker()
    assert matcher.meaning_classifier_ is load_meaning_classifier()
    assert matcher.meaning_classifier_.classes_ == sorted(load_vocabulary().groups)
    assert (DATA_DIR / MEANING_CLASSIFIER_FILE).stat().st_size < 600_000
    assert matcher.reranker.features_ == FEATURES
    assert matcher.semantic_reranker.features_ == FEATURES + SEMANTIC_FEATURES
    assert (DATA_DIR / SEMANTIC_RERANKER_FILE).stat().st_size < 150_000


def test_meaning_is_consulted_only_when_spelling_is_unsure() -> None:
    matcher = default_matcher()
    before = matcher.semantic.embedded
    # Known names, inflections and typos: spelling is sure, no text is embedded.
    for text in ("Undersköterska", "lagerarbetaren", "busschafför", "Busschaufför"):
        assert matcher.lookup(text)
    assert matcher.semantic.embedded == before
    # A word that shares no spelling with its occupation's names is embedded, once.
    matcher.lookup("dagmamma")
    matcher.lookup("dagmamma")
    assert matcher.semantic.embedded == before + 1


def test_meaning_can_be_asked_for_or_refused() -> None:
    matcher = default_matcher()
    before = matcher.semantic.embedded
    # A wish in plain words: by spelling, "bröd" reads like Brodör and "baka" like nothing;
    # asked for, meaning puts the baker first.
    wish = "baka bröd"
    by_spelling = [c.label for c in matcher.lookup(wish, top=3, meaning=False)]
    assert matcher.semantic.embedded == before
    by_meaning = [c.label for c in matcher.lookup(wish, top=3, meaning=True)]
    assert matcher.semantic.embedded == before + 1
    assert "Bagare/Konditor" not in by_spelling
    assert by_meaning[0] == "Bagare/Konditor"
    # Without a semantic index, asking for meaning answers by spelling.
    spelling = OccupationMatcher(
        group_classifier=matcher.group_classifier, reranker=load_reranker()
    ).fit(load_vocabulary())
    assert [c.label for c in spelling.lookup(wish, top=3, meaning=True)] == by_spelling


def test_a_semantic_reranker_needs_an_index_and_its_own_features() -> None:
    reranker = load_semantic_reranker()
    with pytest.raises(ValueError, match="semantic index"):
        OccupationMatcher(semantic_reranker=reranker).fit(load_vocabulary())
    with pytest.raises(ValueError, match="semantic_reranker was trained on other features"):
        OccupationMatcher(semantic=load_semantic_index(), semantic_reranker=load_reranker()).fit(
            load_vocabulary()
        )
    with pytest.raises(ValueError, match="semantic_below"):
        OccupationMatcher(semantic_below=1.5).fit(load_vocabulary())


@pytest.mark.parametrize(
    ("text", "label", "within"),
    [
        # None of these is a name in the taxonomy, nor spelt like the occupation's names.
        ("dagmamma", "Dagbarnvårdare", 1),
        ("jobba utomhus", "Parkarbetare/Utemiljöarbetare/Miljövärd", 1),
        ("skådis", "Skådespelare", 2),
    ],
)
def test_shipped_meaning_finds_occupations_spelling_misses(
    text: str, label: str, within: int
) -> None:
    spelling = OccupationMatcher(
        group_classifier=default_matcher().group_classifier, reranker=load_reranker()
    ).fit(load_vocabulary())
    assert label in [c.label for c in default_matcher().lookup(text, top=within)]
    assert label not in [c.label for c in spelling.lookup(text, top=within)]


@pytest.mark.parametrize("text", ["", "?!", "qqqq zzzz", "xyzzy plugh", "12345"])
def test_meaning_does_not_make_garbage_name_something(text: str) -> None:
    assert default_matcher().lookup(text) == []
