"""The disk cache of fitted models: an equal fit is read back, any change fits anew."""

from __future__ import annotations

from pathlib import Path

import pytest

from matching.fitcache import CACHE_ENV, cached_fit


class Model:
    def __init__(self, shared: object, value: int) -> None:
        self.shared = shared
        self.value = value


def test_a_kept_fit_is_read_back_and_shared_objects_are_linked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    source = tmp_path / "input.csv"
    source.write_text("a,b\n")
    shared = {"vocabulary": object()}
    calls: list[int] = []

    def fit() -> Model:
        calls.append(1)
        return Model(shared["vocabulary"], 7)

    first = cached_fit("model", Model, fit, inputs=[source], shared=shared)
    second = cached_fit("model", Model, fit, inputs=[source], shared=shared)
    assert len(calls) == 1
    assert second is not first and second.value == 7
    assert second.shared is shared["vocabulary"]  # linked back, not a copy

    source.write_text("a,b\nc,d\n")  # a changed input: fitted anew, the old file removed
    cached_fit("model", Model, fit, inputs=[source], shared=shared)
    assert len(calls) == 2
    assert len(list((tmp_path / "cache").glob("model-*.pickle"))) == 1


def test_a_broken_file_is_fitted_anew_and_off_turns_the_cache_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    cached_fit("model", Model, lambda: Model(None, 1), inputs=[])
    (kept,) = tmp_path.glob("model-*.pickle")
    kept.write_bytes(b"not a pickle")
    assert cached_fit("model", Model, lambda: Model(None, 2), inputs=[]).value == 2
    assert cached_fit("model", Model, lambda: Model(None, 3), inputs=[]).value == 2

    monkeypatch.setenv(CACHE_ENV, "off")
    assert cached_fit("model", Model, lambda: Model(None, 4), inputs=[]).value == 4


def test_the_default_matcher_from_the_cache_answers_as_a_fresh_fit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matching.vocabulary import default_matcher

    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    fresh = default_matcher.__wrapped__()
    cached = default_matcher.__wrapped__()
    assert len(list(tmp_path.glob("occupation.matcher-*.pickle"))) == 1
    assert cached is not fresh and cached.vocabulary_ is fresh.vocabulary_
    for text in ["lagerjobb", "adminstratör", "undersköterska natt", "jobba med hästar", "xq"]:
        assert cached.lookup(text, top=10) == fresh.lookup(text, top=10)
