"""Occupation vocabulary: taxonomy occupations, their names, and free text to occupation lookup.

The vocabulary is the JobTech occupation taxonomy (SSYK-2012) as shipped in ``matching/data``
(built by ``scripts/build_occupation_vocabulary.py``). Occupation ids are the concept ids that
Platsbanken / JobSearch ads carry in ``occupation.concept_id``: store ids, show labels.

Three objects:

- :class:`OccupationVocabulary`, an immutable look-up of occupations, SSYK-4 groups, names and
  the taxonomy's "can substitute" judgements, with :meth:`OccupationVocabulary.relation` grading
  how close two occupations are.
- :class:`OccupationMatcher`, a scikit-learn style estimator: ``fit(vocabulary)`` builds the
  search index, ``lookup(text)`` returns the best occupations with scores in [0, 1].
- :class:`GroupClassifier`, a linear SSYK-4 group classifier trained offline (the shipped one
  is ``data/ssyk4_classifier.npz``) that the matcher blends into its group evidence.
"""

from __future__ import annotations

import bisect
import csv
import enum
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse
from scipy.special import log_softmax
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import ThreadpoolController

from matching.arrays import save_npz
from matching.completion import NameCompleter, fold
from matching.fitcache import cached_fit
from matching.rewrites import RewriteRules
from matching.semantic import (
    MEANING_CLASSIFIER_FILE,
    PASSAGE,
    MeaningGroupClassifier,
    SemanticIndex,
    load_semantic_index,
)

if TYPE_CHECKING:
    from matching.rerank import CandidateReranker

DATA_DIR = Path(__file__).resolve().parent / "data"
GROUP_CLASSIFIER_FILE = "ssyk4_classifier.npz"

__all__ = [
    "DATA_DIR",
    "FEATURES",
    "SEMANTIC_FEATURES",
    "GROUP_CLASSIFIER_FILE",
    "GroupClassifier",
    "Occupation",
    "OccupationCandidate",
    "OccupationMatcher",
    "OccupationNeighbour",
    "OccupationRelation",
    "OccupationVocabulary",
    "Ssyk4Group",
    "UnknownOccupation",
    "default_matcher",
    "load_group_classifier",
    "load_meaning_classifier",
    "load_semantic_reranker",
    "load_reranker",
    "load_vocabulary",
    "normalize",
]


class UnknownOccupation(LookupError):
    """An occupation id that the vocabulary does not hold."""


@dataclass(frozen=True, slots=True)
class Ssyk4Group:
    """An SSYK-2012 unit group (four digits), e.g. ``9111`` Städare."""

    ssyk4_code: str
    ssyk4_id: str
    label: str
    ads_2024: int
    """Platsbanken ads in 2024 in this group, all of Sweden (used only to order exact ties)."""
    definition: str = ""
    """The taxonomy's description of the work of the group (may be empty)."""
    skills: tuple[str, ...] = ()
    """The taxonomy's skills related to the group (may be empty)."""


@dataclass(frozen=True, slots=True)
class Occupation:
    """One taxonomy occupation (``yrkesbenämning``)."""

    occupation_id: str
    label: str
    ssyk4_code: str
    current: bool
    """Listed in the 2024 taxonomy download; older names are kept because ads still use them."""
    no_education_required: bool | None
    """The taxonomy's "no educational requirement" flag; ``None`` where it is not published."""

    @property
    def ssyk3_code(self) -> str:
        return self.ssyk4_code[:3]

    @property
    def ssyk2_code(self) -> str:
        return self.ssyk4_code[:2]

    @property
    def ssyk1_code(self) -> str:
        return self.ssyk4_code[:1]


@dataclass(frozen=True, slots=True)
class OccupationCandidate:
    """One answer of :meth:`OccupationMatcher.lookup`."""

    occupation_id: str
    label: str
    ssyk4_code: str
    score: float
    """Match quality in [0, 1]; 1 means the text is the occupation's own name."""
    matched_term: str
    """The taxonomy name (occupation name, job title or group name) that matched best."""

    def as_dict(self) -> dict[str, str | float]:
        """The public JSON shape: ``occupation_id``, ``label``, ``ssyk4_code``, ``score``."""
        return {
            "occupation_id": self.occupation_id,
            "label": self.label,
            "ssyk4_code": self.ssyk4_code,
            "score": self.score,
        }


@dataclass(frozen=True, slots=True)
class OccupationNeighbour:
    """An occupation near another one: a substitute or a member of the same SSYK-4 group."""

    occupation_id: str
    label: str
    ssyk4_code: str
    weight: float
    """In (0, 1): the score of ``relation``."""
    relation: OccupationRelation


class OccupationRelation(enum.Enum):
    """How an offered occupation relates to a wanted one, strongest first.

    Each member carries ``score`` in [0, 1] and a short reason in Swedish (``sv``) and English
    (``en``). Substitution levels are the taxonomy's judgements (75: high, 25: some).
    """

    SAME = (1.0, "Samma yrke", "Same occupation")
    SUBSTITUTE_HIGH = (0.8, "Närliggande yrke (hög utbytbarhet)", "Closely related occupation")
    SAME_SSYK4 = (0.7, "Samma yrkesgrupp", "Same occupation group")
    SUBSTITUTE_LOW = (0.5, "Delvis närliggande yrke", "Partly related occupation")
    SAME_SSYK3 = (0.4, "Närliggande yrkesgrupp", "Neighbouring occupation group")
    SAME_SSYK2 = (0.2, "Samma yrkesområde", "Same occupational field")
    UNRELATED = (0.0, "Annat yrke", "Different occupation")

    def __init__(self, score: float, sv: str, en: str) -> None:
        self.score = score
        self.sv = sv
        self.en = en


_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    """Fold text for matching: case, diacritics (å→a, ö→o, é→e) and punctuation.

    Diacritics are folded because people type without a Swedish keyboard; among the taxonomy's
    names this merges only two pairs of spellings, both of the same occupations.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        Lower-case ASCII letters and digits separated by single spaces (possibly empty).
    """
    return _NON_WORD.sub(" ", fold(text.casefold())).strip()


def _label_parts(label: str) -> list[tuple[str, str]]:
    """``(part, kind)`` names hidden in a label, kind ``label-part`` or ``label-head``."""
    # "Städare/Lokalvårdare" names two equal alternatives; each alone is a name of the occupation.
    parts = [part.strip() for part in label.split("/")]
    found = [(part, "label-part") for part in parts if part and part != label]
    # "Undersköterska, hemtjänst ...": the head before the comma is a broader name of it.
    found += [(p.split(",")[0].strip(), "label-head") for p in parts if "," in p]
    return found


def _group_parts(label: str) -> list[str]:
    # "Undersköterskor, hemtjänst, hemsjukvård och äldreboende": the head and each field.
    label = label.replace("m.fl.", " ").replace("m. fl.", " ")
    parts = (part.strip() for part in re.split(r",| och |/", label))
    # "Restaurang- och köksbiträden": the dangling "Restaurang-" names the field ("restaurang").
    return [part.rstrip("-") for part in parts if len(part.rstrip("-")) > 2]


def _successors(vocabulary: OccupationVocabulary) -> dict[str, str]:
    """Older occupations named by one part of a current label of the same group.

    "Lagerarbetare" (older) lives on in "Lagerarbetare/Terminalarbetare" (2024): the matcher
    returns the current one and credits it with the older one's titles.
    """
    parts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for occupation in vocabulary.occupations.values():
        if occupation.current:
            for part in occupation.label.split("/"):
                key = (normalize(part), occupation.ssyk4_code)
                parts[key].append(occupation.occupation_id)
    found = {}
    for occupation in vocabulary.occupations.values():
        heirs = parts.get((normalize(occupation.label), occupation.ssyk4_code), [])
        if not occupation.current and len(heirs) == 1:
            found[occupation.occupation_id] = heirs[0]
    return found


class OccupationVocabulary:
    """The occupations of the taxonomy with their names, groups and substitution judgements.

    Build it with :func:`load_vocabulary` (the shipped data, cached) or
    :meth:`OccupationVocabulary.from_directory`; the constructor takes plain records, so tests can
    build small vocabularies by hand.

    Parameters
    ----------
    occupations : iterable of Occupation
        Unique ``occupation_id``.
    groups : iterable of Ssyk4Group
        Must include every ``ssyk4_code`` the occupations use.
    terms : iterable of (str, str, str)
        ``(term, occupation_id, kind)`` with kind ``occupation-name`` or ``job-title``.
        Each occupation's own label is always a name of it, whether listed or not.
    substitutes : iterable of (str, str, int)
        ``(occupation_id, substitute_id, level)``, level 25 or 75: ``substitute_id`` can do
        the work of ``occupation_id``.
    """

    def __init__(
        self,
        occupations: Iterable[Occupation],
        groups: Iterable[Ssyk4Group],
        terms: Iterable[tuple[str, str, str]] = (),
        substitutes: Iterable[tuple[str, str, int]] = (),
    ) -> None:
        by_id: dict[str, Occupation] = {}
        for occupation in occupations:
            if occupation.occupation_id in by_id:
                raise ValueError(f"duplicate occupation id {occupation.occupation_id!r}")
            by_id[occupation.occupation_id] = occupation
        self._occupations = MappingProxyType(dict(sorted(by_id.items())))
        self._groups = MappingProxyType({g.ssyk4_code: g for g in groups})
        missing = {o.ssyk4_code for o in by_id.values()} - self._groups.keys()
        if missing:
            raise ValueError(f"occupations refer to unknown SSYK-4 groups: {sorted(missing)}")

        members: dict[str, list[Occupation]] = defaultdict(list)
        for occupation in self._occupations.values():
            members[occupation.ssyk4_code].append(occupation)
        self._members = {code: tuple(items) for code, items in members.items()}

        names: dict[tuple[str, str], str] = {}
        for occupation in self._occupations.values():
            names[(occupation.label, occupation.occupation_id)] = "occupation-name"
        for term, occupation_id, kind in terms:
            if occupation_id not in by_id:
                raise UnknownOccupation(occupation_id)
            if kind not in ("occupation-name", "job-title"):
                raise ValueError(f"unknown term kind {kind!r}")
            names.setdefault((term.strip(), occupation_id), kind)
        self._terms = tuple(sorted((t, oid, kind) for (t, oid), kind in names.items()))

        edges: dict[str, dict[str, int]] = defaultdict(dict)
        for occupation_id, substitute_id, level in substitutes:
            for known in (occupation_id, substitute_id):
                if known not in by_id:
                    raise UnknownOccupation(known)
            if level not in (25, 75):
                raise ValueError(f"substitution level must be 25 or 75, got {level!r}")
            edges[occupation_id][substitute_id] = level
        self._substitutes = {oid: dict(sorted(levels.items())) for oid, levels in edges.items()}
        substituted: dict[str, set[str]] = defaultdict(set)
        for occupation_id, levels in edges.items():
            for substitute_id in levels:
                substituted[substitute_id].add(occupation_id)
        self._substituted = dict(substituted)

        current = {
            (normalize(o.label), o.ssyk4_code): o for o in self._occupations.values() if o.current
        }
        self._twins = {
            o.occupation_id: twin
            for o in self._occupations.values()
            if not o.current
            and (twin := current.get((normalize(o.label), o.ssyk4_code))) is not None
        }

    @classmethod
    def from_directory(cls, directory: Path | str) -> OccupationVocabulary:
        """Read the four CSV files written by ``scripts/build_occupation_vocabulary.py``."""
        directory = Path(directory)

        def rows(name: str) -> list[dict[str, str]]:
            with (directory / name).open(encoding="utf-8", newline="") as handle:
                return list(csv.DictReader(handle))

        occupations = [
            Occupation(
                occupation_id=r["occupation_id"],
                label=r["label"],
                ssyk4_code=r["ssyk4_code"],
                current=r["current"] == "1",
                no_education_required=(
                    None if r["no_education_required"] == "" else r["no_education_required"] == "1"
                ),
            )
            for r in rows("occupations.csv")
        ]
        skills: dict[str, list[str]] = defaultdict(list)
        if (directory / "ssyk4_skills.csv").exists():
            for r in rows("ssyk4_skills.csv"):
                skills[r["ssyk4_code"]].append(r["skill"])
        groups = [
            Ssyk4Group(
                r["ssyk4_code"],
                r["ssyk4_id"],
                r["label"],
                int(r["ads_2024"]),
                r.get("definition") or "",
                tuple(skills.get(r["ssyk4_code"], ())),
            )
            for r in rows("ssyk4_groups.csv")
        ]
        terms = [(r["term"], r["occupation_id"], r["kind"]) for r in rows("occupation_terms.csv")]
        substitutes = [
            (r["occupation_id"], r["substitute_id"], int(r["level"]))
            for r in rows("occupation_substitutes.csv")
        ]
        return cls(occupations, groups, terms, substitutes)

    def without_titles(self, titles: Iterable[str]) -> OccupationVocabulary:
        """A copy without these job-title synonyms (occupation names stay); for held-out tests."""
        drop = set(titles)
        edges = [
            (occupation_id, substitute_id, level)
            for occupation_id, levels in self._substitutes.items()
            for substitute_id, level in levels.items()
        ]
        return OccupationVocabulary(
            self._occupations.values(),
            self._groups.values(),
            terms=[t for t in self._terms if not (t[2] == "job-title" and t[0] in drop)],
            substitutes=edges,
        )

    def __len__(self) -> int:
        return len(self._occupations)

    def __contains__(self, occupation_id: object) -> bool:
        return occupation_id in self._occupations

    @property
    def occupations(self) -> Mapping[str, Occupation]:
        """All occupations by id, in id order (read-only)."""
        return self._occupations

    @property
    def groups(self) -> Mapping[str, Ssyk4Group]:
        """All SSYK-4 groups by code (read-only)."""
        return self._groups

    @property
    def terms(self) -> tuple[tuple[str, str, str], ...]:
        """Every ``(term, occupation_id, kind)``, sorted; a term may name several occupations."""
        return self._terms

    def find(self, occupation_id: str) -> Occupation | None:
        """The occupation with this id, or ``None``."""
        return self._occupations.get(occupation_id)

    def get(self, occupation_id: str) -> Occupation:
        """The occupation with this id; raises :class:`UnknownOccupation`."""
        occupation = self._occupations.get(occupation_id)
        if occupation is None:
            raise UnknownOccupation(occupation_id)
        return occupation

    def current_equivalent(self, occupation_id: str) -> Occupation:
        """The current occupation with the same label and group as an older one, else itself.

        Ads and old records may carry an older concept id of an occupation the 2024 taxonomy
        lists under a new id; this maps it to the one to store and show. Raises
        :class:`UnknownOccupation`.
        """
        return self._twins.get(occupation_id) or self.get(occupation_id)

    def group(self, ssyk4_code: str) -> Ssyk4Group:
        """The SSYK-4 group with this code; raises ``KeyError``."""
        return self._groups[ssyk4_code]

    def in_group(self, ssyk4_code: str) -> tuple[Occupation, ...]:
        """The occupations of one SSYK-4 group, in id order (empty for an unknown code)."""
        return self._members.get(ssyk4_code, ())

    def substitutes(self, occupation_id: str) -> dict[str, int]:
        """Occupations that can do the work of this one, ``{substitute_id: level}``."""
        self.get(occupation_id)
        return dict(self._substitutes.get(occupation_id, {}))

    def neighbours(self, occupation_id: str) -> tuple[OccupationNeighbour, ...]:
        """Substitutes and same-group occupations of one occupation, nearest first.

        Parameters
        ----------
        occupation_id : str
            Any id; an unknown id has no neighbours.

        Returns
        -------
        tuple of OccupationNeighbour
            Ordered by weight (descending); among equal weights current occupations before
            older ids, then the closest names first (the neighbour's label against this
            occupation's label and its group's label, so the group's general occupation leads:
            Florist -> "Butikssäljare, fackhandel" before "Båtförsäljare"), then id. The
            occupation itself is not included.
        """
        occupation = self._occupations.get(occupation_id)
        if occupation is None:
            return ()
        own = normalize(occupation.label)
        group_label = self._groups.get(occupation.ssyk4_code)
        general = normalize(group_label.label) if group_label is not None else own

        def closeness(label: str) -> float:
            name = normalize(label)
            return max(
                fuzz.token_set_ratio(name, own, processor=None),
                fuzz.token_set_ratio(name, general, processor=None),
            )

        near = set(self._substitutes.get(occupation_id, {}))
        near.update(o.occupation_id for o in self.in_group(occupation.ssyk4_code))
        near.update(self._substituted.get(occupation_id, ()))
        near.discard(occupation_id)
        found = []
        for other_id in near:
            relation = self.relation(occupation_id, other_id)
            other = self._occupations[other_id]
            found.append(
                OccupationNeighbour(
                    other_id, other.label, other.ssyk4_code, relation.score, relation
                )
            )
        return tuple(
            sorted(
                found,
                key=lambda n: (
                    -n.weight,
                    not self._occupations[n.occupation_id].current,
                    -closeness(n.label),
                    n.occupation_id,
                ),
            )
        )

    def relation(self, wanted_id: str, offered_id: str) -> OccupationRelation:
        """How well an offered occupation fits a wanted one.

        Parameters
        ----------
        wanted_id : str
            The occupation the participant wants.
        offered_id : str
            The occupation of an opening or an employer's trade.

        Returns
        -------
        OccupationRelation
            The strongest relation that holds; ``.score`` is in [0, 1]. Substitution counts in
            either direction, because a wish for one job is a wish for work of that kind.

        Raises
        ------
        UnknownOccupation
            If either id is not in the vocabulary.
        """
        wanted, offered = self.get(wanted_id), self.get(offered_id)
        if wanted.occupation_id == offered.occupation_id:
            return OccupationRelation.SAME
        level = max(
            self._substitutes.get(wanted_id, {}).get(offered_id, 0),
            self._substitutes.get(offered_id, {}).get(wanted_id, 0),
        )
        if level == 75:
            return OccupationRelation.SUBSTITUTE_HIGH
        if wanted.ssyk4_code == offered.ssyk4_code:
            return OccupationRelation.SAME_SSYK4
        if level == 25:
            return OccupationRelation.SUBSTITUTE_LOW
        if wanted.ssyk3_code == offered.ssyk3_code:
            return OccupationRelation.SAME_SSYK3
        if wanted.ssyk2_code == offered.ssyk2_code:
            return OccupationRelation.SAME_SSYK2
        return OccupationRelation.UNRELATED


def group_passage(group: Ssyk4Group) -> str:
    """A group's label and definition as one text (what the semantic index embeds)."""
    return f"{group.label}. {group.definition}".strip()


def _char_ngrams(text: str, low: int, high: int) -> list[str]:
    """The ``char_wb`` n-grams of already normalised text (as scikit-learn cuts them)."""
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        for n in range(low, high + 1):
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
            if len(padded) <= n:  # a padded word shorter than n gives itself once
                break
    return grams


class GroupClassifier(BaseEstimator):  # type: ignore[misc]
    """A linear SSYK-4 group classifier over character n-grams, stored compactly.

    A one-vs-rest linear support vector machine (:class:`sklearn.svm.LinearSVC`) is trained
    on every name of the vocabulary (occupation names, job titles, the parts of labels and the
    group names), each labelled with its occupation's SSYK-4 group, as TF-IDF of ``char_wb``
    n-grams. Where naive Bayes counts how a group writes, the margin learns which n-grams set
    one group apart from the others ("-montör", "-sköterska"), so an unseen title lands in its
    group more often. Training takes some seconds; :meth:`save` keeps only the
    ``max_features_per_group`` largest weights of each group (float16), so the shipped model
    (``matching/data/ssyk4_classifier.npz``, built by
    ``scripts/build_occupation_vocabulary.py``) is small and loads in milliseconds.

    Parameters
    ----------
    ngram_range : tuple of int, default=(2, 4)
        Character n-gram lengths.
    min_df : int >= 1, default=2
        N-grams in fewer names are dropped (caps the feature space).
    C : float > 0, default=0.3
        Inverse regularisation strength of the SVM.
    max_features_per_group : int >= 1, default=1000
        Largest-magnitude weights kept per group after training.
    random_state : int, default=0
        Seed of the solver (training is single-threaded and deterministic).

    Attributes
    ----------
    classes_ : list of str
        SSYK-4 codes, sorted; shape (n_groups,).
    features_ : list of str
        The n-grams, shape (n_features,).
    idf_ : ndarray of float32, shape (n_features,)
    coef_ : scipy.sparse.csr_matrix, shape (n_features, n_groups)
        The kept weights, transposed so that a query's n-grams select rows.
    intercept_ : ndarray of float32, shape (n_groups,)
    """

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (2, 4),
        min_df: int = 2,
        C: float = 0.3,  # noqa: N803 - scikit-learn's name
        max_features_per_group: int = 1000,
        random_state: int = 0,
    ) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.C = C
        self.max_features_per_group = max_features_per_group
        self.random_state = random_state

    @staticmethod
    def training_names(vocabulary: OccupationVocabulary) -> tuple[list[str], list[str]]:
        """Distinct ``(normalised name, SSYK-4 code)`` pairs as two aligned lists, sorted."""
        pairs: set[tuple[str, str]] = set()
        for term, occupation_id, _kind in vocabulary.terms:
            pairs.add((normalize(term), vocabulary.get(occupation_id).ssyk4_code))
        for occupation in vocabulary.occupations.values():
            for part, _kind in _label_parts(occupation.label):
                pairs.add((normalize(part), occupation.ssyk4_code))
        for code, group in vocabulary.groups.items():
            for part in [group.label, *_group_parts(group.label)]:
                pairs.add((normalize(part), code))
        ordered = sorted(p for p in pairs if p[0])
        return [p[0] for p in ordered], [p[1] for p in ordered]

    def fit(self, vocabulary: OccupationVocabulary) -> GroupClassifier:
        """Train on the vocabulary's names (slow: seconds, not milliseconds).

        Returns
        -------
        self
        """
        if self.C <= 0.0:
            raise ValueError("C must be positive")
        if self.min_df < 1 or self.max_features_per_group < 1:
            raise ValueError("min_df and max_features_per_group must be at least 1")
        names, codes = self.training_names(vocabulary)
        classes = sorted(set(codes))
        if len(classes) < 2:
            raise ValueError("the group classifier needs names of at least two groups")
        vectorizer = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=self.ngram_range,
            min_df=self.min_df,
            sublinear_tf=True,
            dtype=np.float32,
        )
        try:
            matrix = vectorizer.fit_transform(names)
        except ValueError:  # min_df left no n-gram
            vectorizer.set_params(min_df=1)
            matrix = vectorizer.fit_transform(names)
        index = {code: i for i, code in enumerate(classes)}
        labels = np.array([index[c] for c in codes])
        svm = LinearSVC(C=self.C, random_state=self.random_state).fit(matrix, labels)
        weights = np.atleast_2d(svm.coef_)
        intercept = np.atleast_1d(svm.intercept_)
        if len(classes) == 2:  # a binary SVM has one weight vector: the second class's
            weights = np.vstack([-weights, weights])
            intercept = np.concatenate([-intercept, intercept])
        keep = min(self.max_features_per_group, weights.shape[1])
        # Largest |w| per group; the stable sort makes ties fall on the lower feature index.
        columns = np.sort(np.argsort(-np.abs(weights), axis=1, kind="stable")[:, :keep], axis=1)
        rows = np.repeat(np.arange(len(classes)), keep)
        values = np.take_along_axis(weights, columns, axis=1).ravel().astype(np.float16)
        coef = sparse.csr_matrix(
            (values.astype(np.float32), (columns.ravel(), rows)),
            shape=(weights.shape[1], len(classes)),
        )
        coef.eliminate_zeros()
        self._set_state(
            classes,
            list(vectorizer.get_feature_names_out()),
            vectorizer.idf_.astype(np.float16).astype(np.float32),
            coef,
            intercept.astype(np.float16).astype(np.float32),
        )
        return self

    def _set_state(
        self,
        classes: list[str],
        features: list[str],
        idf: np.ndarray,
        coef: sparse.csr_matrix,
        intercept: np.ndarray,
    ) -> None:
        self.classes_ = classes
        self.features_ = features
        self.feature_index_ = {f: i for i, f in enumerate(features)}
        self.idf_ = idf
        self.coef_ = coef
        self.intercept_ = intercept

    def decision_function(self, text: str) -> np.ndarray:
        """Margin of each group for one text, shape (n_groups,); 0 weights for no known n-gram.

        Parameters
        ----------
        text : str
            Any text; it is :func:`normalize`\\ d first.
        """
        check_is_fitted(self)
        low, high = self.ngram_range
        counts: dict[int, int] = defaultdict(int)
        for gram in _char_ngrams(normalize(text), low, high):
            column = self.feature_index_.get(gram)
            if column is not None:
                counts[column] += 1
        if not counts:
            return np.zeros(len(self.classes_), dtype=np.float32)
        columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
        weights = tf * self.idf_[columns]
        weights /= float(np.sqrt(np.dot(weights, weights)))
        rows = _dense_rows(self.coef_, columns)
        return np.asarray(weights @ rows + self.intercept_, dtype=np.float32)

    def save(self, path: Path | str) -> None:
        """Write the fitted model as an ``.npz`` archive with fixed timestamps (byte-stable)."""
        check_is_fitted(self)
        coef = self.coef_.tocsr()
        arrays = {
            "classes": np.array(self.classes_),
            "features": np.array(self.features_),
            "idf": self.idf_.astype(np.float16),
            "intercept": self.intercept_.astype(np.float16),
            "coef_data": coef.data.astype(np.float16),
            "coef_indices": coef.indices.astype(np.int16),
            "coef_indptr": coef.indptr.astype(np.int32),
            "ngram_range": np.array(self.ngram_range, dtype=np.int32),
        }
        save_npz(path, arrays)

    @classmethod
    def load(cls, path: Path | str) -> GroupClassifier:
        """Read a model written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as data:
            low, high = (int(v) for v in data["ngram_range"])
            model = cls(ngram_range=(low, high))
            classes = data["classes"].tolist()
            features = data["features"].tolist()
            coef = sparse.csr_matrix(
                (
                    data["coef_data"].astype(np.float32),
                    data["coef_indices"].astype(np.int32),
                    data["coef_indptr"],
                ),
                shape=(len(features), len(classes)),
            )
            model._set_state(
                classes,
                features,
                data["idf"].astype(np.float32),
                coef,
                data["intercept"].astype(np.float32),
            )
        return model


@lru_cache(maxsize=1)
def load_vocabulary() -> OccupationVocabulary:
    """The shipped vocabulary (JobTech Taxonomy 2024), read once per process."""
    return OccupationVocabulary.from_directory(DATA_DIR)


@lru_cache(maxsize=1)
def load_group_classifier() -> GroupClassifier | None:
    """The shipped :class:`GroupClassifier` (trained on the shipped vocabulary), read once.

    ``None`` when the file is absent (the matcher then uses its naive Bayes group models only).
    """
    path = DATA_DIR / GROUP_CLASSIFIER_FILE
    return GroupClassifier.load(path) if path.exists() else None


@lru_cache(maxsize=1)
def load_reranker() -> CandidateReranker | None:
    """The shipped :class:`~matching.rerank.CandidateReranker`, read once.

    ``None`` when the file is absent (the matcher then orders by its hand-weighted score).
    """
    from matching.rerank import RERANKER_FILE, CandidateReranker

    path = DATA_DIR / RERANKER_FILE
    return CandidateReranker.load(path) if path.exists() else None


@lru_cache(maxsize=1)
def load_semantic_reranker() -> CandidateReranker | None:
    """The shipped reranker that weighs meaning too, read once (``None`` when absent)."""
    from matching.rerank import SEMANTIC_RERANKER_FILE, CandidateReranker

    path = DATA_DIR / SEMANTIC_RERANKER_FILE
    return CandidateReranker.load(path) if path.exists() else None


@lru_cache(maxsize=1)
def load_meaning_classifier() -> MeaningGroupClassifier | None:
    """The shipped :class:`~matching.semantic.MeaningGroupClassifier`, read once (``None``
    when absent: a matcher with a semantic index then trains one when fitted)."""
    path = DATA_DIR / MEANING_CLASSIFIER_FILE
    return MeaningGroupClassifier.load(path) if path.exists() else None


@lru_cache(maxsize=1)
def default_matcher() -> OccupationMatcher:
    """An :class:`OccupationMatcher` fitted on :func:`load_vocabulary`, built once per process.

    Callers that look up often (the web service, the command line, the ranking engine) share
    this one. It is an ``OccupationResolver``. It weighs meaning too
    (:func:`matching.semantic.load_semantic_index`), as the shipped reranker was trained to.

    Fitting takes most of a second, so the fitted matcher is kept in the user's cache
    directory (:mod:`matching.fitcache`, keyed by the shipped files and the code) and later
    processes read it back in a few hundredths of a second.
    """
    vocabulary = load_vocabulary()
    models = {
        "group_classifier": load_group_classifier(),
        "reranker": load_reranker(),
        "semantic": load_semantic_index(),
        "semantic_reranker": load_semantic_reranker(),
        "meaning_classifier": load_meaning_classifier(),
    }
    shared: dict[str, object] = {"vocabulary": vocabulary}
    shared.update((name, model) for name, model in models.items() if model is not None)
    return cached_fit(
        "occupation.matcher",
        OccupationMatcher,
        lambda: OccupationMatcher(**models).fit(vocabulary),  # type: ignore[arg-type]
        inputs=sorted(path for path in DATA_DIR.iterdir() if path.is_file()),
        shared=shared,
    )


# Words that say nothing about the occupation in "jobba i butik", "Sjuksköterskor till Gävle i
# sommar" or "vill arbeta med djur". Already normalised (no diacritics).
_STOPWORDS = frozenset(
    """
    och i pa med som till for av hos inom en ett den det de vi jag du att eller samt
    vill kan ska jobba jobb jobbet arbeta arbete arbetet jobbar arbetar soker sokes
    sommar sommaren sommarjobb extrajobb heltid deltid tillsvidare vikariat vikarie
    nagot nagon nagra typ garna helst inte ej sa var vart vara ni er ert oss dig mig min mitt
    """.split()
)

# Relative trust in each kind of name. A group name ("Vårdbiträden") or the head of a label
# ("Undersköterska" in "Undersköterska, hemtjänst ...") fits several occupations, so it should
# lose to a name of one of them.
_KIND_WEIGHT = {
    "occupation-name": 1.0,
    "label-part": 1.0,
    "job-title": 1.0,
    "label-head": 0.95,
    "group": 0.85,
}

# A completion scores below this unless the text is the whole name (which scores 1).
_PARTIAL_MAX = 0.99
# A completion's score: how much of the name is typed, whether the name is the occupation's own
# label (or a part of it) rather than a job title, how common the occupation is.
_COMPLETE_WEIGHTS = (0.5, 0.2, 0.3)

# Names this short are abbreviations ("TAD", "MAS", "SYV"); fuzzy scores on them are noise.
_SHORT = 3
# A first part shorter than this is too often part of unrelated compounds ("el", "bil").
_MIN_COMPOUND_HEAD = 4
# A compound's modifier this long or longer is looked up in the groups' definitions and skills.
_MIN_MODIFIER = 3
# A last part must be longer and a whole word: "stad" ends "verkstad", "förare" ends
# "truckförare".
_MIN_COMPOUND_TAIL = 6
_AFTER_ALL = "\U0010ffff"
# Agreeing names of one occupation fill at most this share of the gap to 1.
_MAX_EVIDENCE = 0.5
# A window that explains none of the rest of the query keeps this share of its score.
_COVERAGE_FLOOR = 0.6


# "lagerjobb", "butiksjobbet": the kind of work is the first part; "jobb" names none.
_FILLER_TAIL = re.compile(r"(?<=[a-z]{3})jobb(?:et|en)?$")


def _strip_filler(word: str) -> str:
    return _FILLER_TAIL.sub("", word)


@dataclass(frozen=True, slots=True)
class _Window:
    text: str
    coverage: float


# What the reranker sees of each candidate (see ``OccupationMatcher._features``). A reranker
# trained on another list is refused.
FEATURES = (
    "score",
    "log_rank",
    "score_gap",
    "name_fit",
    "plain_fit",
    "evidence",
    "label_fit",
    "fit",
    "log_naive_bayes",
    "log_complement",
    "log_classifier",
    "log_group_posterior",
    "group_rank",
    "classifier_rank",
    "naive_bayes_rank",
    "log_occupation_bayes",
    "prior",
    "n_names",
    "rank_in_group",
    "group_candidates",
    "shared_ending",
    "shared_beginning",
    "substitute_fit",
    "query_words",
    "query_length",
    "rewrite_support",
    "rewrite_best",
    "rewrite_share",
    "group_rewrite_support",
    "margin",
    "margin_gap",
    "best_margin",
    "group_best_fit",
    "group_top3_fit",
    "best_fit",
    "fit_below_group_best",
    "head_group_share",
    "modifier_group_share",
    "neighbour_group_share",
    "neighbour_occupation_share",
    "modifier_topic",
)
# With a semantic index (matching.semantic), these follow FEATURES.
SEMANTIC_FEATURES = (
    "semantic",
    "semantic_gap",
    "semantic_rank",
    "group_semantic",
    "group_semantic_gap",
    "group_semantic_rank",
    "group_label_semantic",
    "semantic_neighbour_group_share",
    "semantic_neighbour_occupation_share",
    "group_definition_semantic",
    "group_definition_rank",
    "log_meaning_group",
    "meaning_group_rank",
)
# A part of a word is a head (modifier) worth counting when this many one-word names end
# (begin) with it.
_MIN_PART_NAMES = 3
# Nearest names whose groups and occupations vote.
_NEIGHBOURS = 20
# Candidates found only by rewriting the query, at most this many.
_REWRITE_CANDIDATES = 20
# Candidates found only by meaning (the semantic index), at most this many.
_SEMANTIC_CANDIDATES = 20
# Groups likeliest by meaning whose nearest member joins the candidates.
_MEANING_GROUPS = 5
# Cosines of e5 lie close together: votes of the nearest names by meaning are weighted by
# exp(this * (cosine - best cosine)).
_SEMANTIC_SHARPNESS = 50.0
# Shared beginnings and endings are counted up to this many letters.
_SHARED_WIDTH = 24
# A stage-1 rank beyond this is just "far down".
_MAX_RANK = 200


@lru_cache(maxsize=1)
def _blas_controller() -> ThreadpoolController:
    return ThreadpoolController()  # once, after numpy's and scipy's BLAS are loaded


def _one_blas_thread() -> AbstractContextManager[object]:
    """BLAS limited to one thread for the duration of a lookup (microseconds to enter)."""
    return _blas_controller().limit(limits=1, user_api="blas")


# Per process (a forked child must not wait on its parent's threads): threads for the part of
# a lookup that runs without the GIL while the rest goes on.
_HELPERS: dict[int, ThreadPoolExecutor] = {}


def _helpers() -> ThreadPoolExecutor:
    pool = _HELPERS.get(os.getpid())
    if pool is None:
        workers = min(4, os.cpu_count() or 1)
        pool = _HELPERS.setdefault(
            os.getpid(), ThreadPoolExecutor(workers, thread_name_prefix="ipsmatch-lookup")
        )
    return pool


def _first_row(rows: sparse.csr_matrix) -> sparse.csr_matrix:
    """``rows[0]``, sharing its arrays (scipy's row indexing costs a tenth of a millisecond)."""
    end = rows.indptr[1]
    return sparse.csr_matrix(
        (rows.data[:end], rows.indices[:end], rows.indptr[:2]), shape=(1, rows.shape[1])
    )


try:  # scipy's own kernels, without the checks and passes around them (see their users)
    from scipy.sparse._sparsetools import csr_matmat as _csr_matmat
    from scipy.sparse._sparsetools import csr_row_index as _csr_row_index
    from scipy.sparse._sparsetools import csr_todense as _csr_todense
except ImportError:  # pragma: no cover - a scipy that moved them: the public operations
    _csr_matmat = _csr_row_index = _csr_todense = None


def _dense_rows(matrix: sparse.csr_matrix, rows: np.ndarray) -> np.ndarray:
    """``matrix[rows].toarray()``, the same values, without scipy's indexing around its kernels.

    scipy's row indexing checks the indices, picks an index type and builds and checks a new
    sparse matrix (about 55 us for a query's 40 n-grams); its two kernels, called here
    directly on the same arrays, do the work (the group classifier's margin: 166 -> 92 us).
    Falls back to the public indexing when the kernels are not where they were or the arrays
    are not 32-bit.
    """
    if (
        _csr_row_index is None
        or _csr_todense is None
        or matrix.indptr.dtype != np.int32
        or matrix.indices.dtype != np.int32
    ):
        return np.asarray(matrix[rows].toarray())
    rows = np.asarray(rows, dtype=np.int32)
    indptr = np.zeros(len(rows) + 1, dtype=np.int32)
    np.cumsum(matrix.indptr[rows + 1] - matrix.indptr[rows], out=indptr[1:])
    indices = np.empty(int(indptr[-1]), dtype=np.int32)
    data = np.empty(int(indptr[-1]), dtype=matrix.dtype)
    _csr_row_index(len(rows), rows, matrix.indptr, matrix.indices, matrix.data, indices, data)
    dense = np.zeros((len(rows), matrix.shape[1]), dtype=matrix.dtype)
    _csr_todense(len(rows), matrix.shape[1], indptr, indices, data, dense)
    return dense


def _dense_product(rows: sparse.csr_matrix, matrix: sparse.csr_matrix) -> np.ndarray:
    """``(rows @ matrix).toarray()`` for a few query rows, to the last bit, in about 60 % of
    the time.

    scipy's product first walks the operands once to size its sparse answer, then again to
    compute it; a lookup's answer has one dense row per window, so its size is known and the
    first walk (and scipy's checks of the answer) can go. The same kernel is called with the
    same arrays as scipy's ``_matmul_sparse`` passes it, so the sums are the same. Falls back
    to the public product when the kernel is not where it was or indices need 64 bits.
    """
    n_rows, n_columns = rows.shape[0], matrix.shape[1]
    index = (rows.indptr, rows.indices, matrix.indptr, matrix.indices)
    if (
        _csr_matmat is None
        or n_rows * n_columns >= np.iinfo(np.int32).max
        or any(array.dtype != np.int32 for array in index)
    ):
        return np.asarray((rows @ matrix).toarray())
    indptr = np.empty(n_rows + 1, dtype=np.int32)
    indices = np.empty(n_rows * n_columns, dtype=np.int32)
    data = np.empty(n_rows * n_columns, dtype=np.result_type(rows.dtype, matrix.dtype))
    _csr_matmat(
        n_rows, n_columns, *index[:2], rows.data, *index[2:], matrix.data, indptr, indices, data
    )
    dense = np.zeros((n_rows, n_columns), dtype=data.dtype)
    stored = int(indptr[-1])
    dense[np.repeat(np.arange(n_rows), np.diff(indptr)), indices[:stored]] = data[:stored]
    return dense


def _begun_by(keys: Sequence[str], prefix: str) -> tuple[int, int]:
    """The range ``lo:hi`` of the sorted ``keys`` that begin with ``prefix`` (binary search)."""
    return (
        bisect.bisect_left(keys, prefix),
        bisect.bisect_left(keys, prefix + _AFTER_ALL),
    )


def _append_new(order: np.ndarray, extra: np.ndarray) -> np.ndarray:
    """``order`` followed by the values of ``extra`` it lacks, ascending (``np.setdiff1d``'s
    answer, without its sorting of ``order``: both are a few dozen candidates)."""
    known = set(order.tolist())
    new = sorted({value for value in extra.tolist() if value not in known})
    return np.concatenate([order, np.array(new, dtype=order.dtype)])


def _power(values: np.ndarray, power: float) -> np.ndarray:
    """``values ** power``, by repeated squaring when ``power`` is a small whole number.

    numpy's ``**`` calls ``pow`` per element for any exponent but a few (2, 0.5 ...): for the
    default evidence power 5 over a lookup's 18,000 name links that takes about ten times as
    long as three multiplications (0.28 against 0.03 ms on the 2-core VM).
    """
    exponent = int(power)
    if exponent != power or not 1 <= exponent <= 16:
        return np.asarray(values**power)
    result: np.ndarray | None = None
    while True:
        if exponent & 1:
            result = values if result is None else result * values
        exponent >>= 1
        if not exponent:
            return result if result is not None else values
        values = values * values


def _run_positions(keys: np.ndarray) -> np.ndarray:
    """Each element's position within its run of equal ``keys`` (``keys`` sorted)."""
    return np.arange(len(keys)) - np.searchsorted(keys, keys)


def _ranges(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """``concatenate([arange(a, a + n) for a, n in zip(starts, sizes)])`` without the loop."""
    offsets = np.cumsum(sizes) - sizes
    return np.asarray(np.repeat(starts - offsets, sizes) + np.arange(int(sizes.sum())), np.int64)


@dataclass(frozen=True, slots=True)
class _Meaning:
    """One query compared by meaning (:mod:`matching.semantic`): cosines of e5 embeddings."""

    names: np.ndarray
    """Per name: its cosine to the query."""
    occupations: np.ndarray
    """Per occupation: the best cosine of its own names (not its group's label)."""
    groups: np.ndarray
    """Per SSYK-4 group: the cosine of its label and definition (as a passage) to the query."""
    group_log: np.ndarray
    """Per SSYK-4 group: log-probability of the query being in it, by the meaning classifier."""


@dataclass(frozen=True, slots=True)
class _Parts:
    """Every signal :meth:`OccupationMatcher.lookup` has on one query, per occupation."""

    query: str
    """The query's content words, normalised."""
    string_scores: np.ndarray
    """Per name: its fit to the query (without the compound floor)."""
    link_scores: np.ndarray
    """Per (name, occupation) link: the name's fit, weighted by its kind."""
    names: np.ndarray
    """Best name fit (with the compound floor)."""
    plain: np.ndarray
    """Best name fit without the compound floor."""
    gain: np.ndarray
    """Extra evidence from several fitting names."""
    label: np.ndarray
    """Fit of the occupation's own label."""
    fit: np.ndarray
    """The name part of the score, before the group models."""
    naive: np.ndarray
    complement: np.ndarray
    linear: np.ndarray | None
    margin: np.ndarray | None
    posterior: np.ndarray
    """Group models, per SSYK-4 group (see ``_group_models``)."""
    occupation: np.ndarray
    """Naive Bayes posterior over occupations."""
    scores: np.ndarray
    """The hand-weighted score (-1 for an older twin that is never returned)."""


class OccupationMatcher(BaseEstimator):  # type: ignore[misc]
    """Free text to taxonomy occupations (an ``OccupationResolver``, see ``matching.types``).

    Each query is normalised (:func:`normalize`) and cut into windows of up to
    ``max_window_words`` consecutive words (and all its content words together), so that
    "Sjuksköterskor till Uppsala i sommar" is matched on "sjukskoterskor". Every window is
    compared with every taxonomy name by character n-gram TF-IDF cosine (robust to Swedish
    compounds and inflection) and by rapidfuzz's normalised Indel similarity (robust to typos);
    the two are blended by ``tfidf_weight``. Names of at most three characters count only when
    equal. An occupation's score is its best name's score, scaled by how much of the query the
    window covers and by the kind of name, plus ``label_weight`` times how close the query is to
    the occupation's own label (this orders occupations that share a job title). A one-word
    query that begins or ends a name scores at least ``compound_score`` on it. Finally the
    occupation group's share of 2024 ads fills ``prior_weight`` of the gap to 1, so that
    near-equal candidates come in order of how common the work is.

    An older occupation with the same label and group as a current one, or named by one part
    of a current label of its group ("Lagerarbetare" in "Lagerarbetare/Terminalarbetare"), is
    not returned by :meth:`lookup`: the current one is, and inherits its names. Its id stays
    valid in the vocabulary. Several names of one occupation that fit the query add to its
    score (``evidence_weight``).

    The SSYK-4 group of the query is estimated by naive Bayes models fitted here and, when
    ``group_classifier`` is given, a linear classifier trained beforehand
    (:class:`GroupClassifier`); the likeliest groups lift their matching members and vouch
    for their best-fitting one (``group_vouch``), so an unseen title keeps its probable groups
    among the first candidates.

    Parameters
    ----------
    ngram_range : tuple of int, default=(2, 4)
        Character n-gram lengths for TF-IDF.
    tfidf_weight : float in [0, 1], default=0.5
        Weight of the TF-IDF cosine; the Indel similarity gets the rest.
    label_weight : float in [0, 1), default=0.05
        Share of the score that comes from similarity to the occupation's own label.
    prior_weight : float in [0, 1], default=0.1
        Share of the gap to 1 filled by the occupation group's share of 2024 job ads (log
        scale, largest group 1). Orders near-equal candidates by how common the work is.
    compound_score : float in [0, 1], default=0.75
        Least score of a name that begins or ends with a one-word query of four letters or
        more ("butik" in "Butikssäljare", "förare" in "Truckförare").
    max_window_words : int >= 1, default=3
        Longest run of words matched on its own.
    min_score : float in [0, 1], default=0.3
        Candidates scoring below are not returned.
    group_weight : float in [0, 1], default=0.7
        Share of the gap to 1 filled by the SSYK-4 group model's posterior for the
        occupation's group (only for occupations that already reach ``min_score``).
    group_alpha : float > 0, default=0.01
        Additive smoothing of the group model's n-gram counts.
    group_decay : float in [0, 1], default=0.85
        Factor applied once per better-ranked candidate of the same SSYK-4 group.
    evidence_weight : float >= 0, default=1.0
        How much an occupation gains from several of its names fitting the query: this
        times the excess of the ``evidence_power``-norm of its name scores over its best
        one fills (at most half) the gap to 1.
    evidence_power : float >= 1, default=5.0
        The norm's power; large values count only names that fit about as well as the best.
    complement_weight : float in [0, 1], default=0.5
        Share of the group model taken from a complement naive Bayes model (each group
        against all the others), which keeps the right group among the first ten more often
        than the plain model; the plain model is sharper at the first place.
    complement_alpha : float > 0, default=0.3
        Additive smoothing of the complement model.
    complement_temperature : float > 0, default=1.0
        Sharpness of the complement model's softmax over standardised group scores.
    occupation_weight : float in [0, 1], default=0.3
        Share of the gap to 1 filled by a naive Bayes model over each occupation's names
        together (lifts only occupations that already reach ``min_score``).
    group_classifier : GroupClassifier or None, default=None
        A fitted linear group classifier (:func:`load_group_classifier` is the shipped one,
        trained on the shipped vocabulary; :func:`default_matcher` uses it). Its softmax
        over groups is blended into the group model. Pass one trained on the vocabulary
        being fitted: a model that has seen names the matcher is tested on flatters it.
    classifier_weight : float in [0, 1], default=0.5
        Share of the group model taken from ``group_classifier`` (ignored without one).
    classifier_temperature : float > 0, default=25.0
        Sharpness of the softmax over the classifier's margins (SVM margins are mostly
        within [-1, 1], so it takes a large factor to be as decided as naive Bayes).
    group_vouch : float in [0, 1], default=0.85
        In each of the ``vouch_groups`` likeliest groups (by the blended group model), the
        member whose names fit best scores at least this times the group's standing, so that
        likely groups appear among the candidates even when a name of another group fits the
        words better. 0 turns it off.
    group_floor : float in [0, 1], default=0.2
        Least name fit of a member the group vouches for.
    vouch_power : float >= 0, default=0.05
        The standing of a group is its posterior relative to the likeliest group's, to this
        power: small values keep runner-up groups close to the first.
    vouch_groups : int >= 1, default=8
        How many of the likeliest groups vouch for a member.
    reranker : CandidateReranker or None, default=None
        A learnt reranker (:func:`load_reranker` is the shipped one; :func:`default_matcher`
        uses it). Without one, candidates come in the order of the hand-weighted score above.
        With one, the ``rerank_candidates`` best by that score, and occupations named by
        rewritings of the query (rules mined from the taxonomy's synonyms, see
        :mod:`matching.rewrites`), are described by ``FEATURES`` and ordered by the reranker's
        probability. It must have been trained on a vocabulary without the names it will be
        tested on (:class:`matching.rerank.CandidateReranker` trains on held-out folds).
    rerank_candidates : int >= 1, default=60
        How many of the hand-weighted best candidates the reranker sees.
    rerank_decay : float in (0, 1], default=0.4
        Factor on the reranker's probability once per better-ranked candidate of the same
        SSYK-4 group, so that an ambiguous title keeps its other readings (and an unseen title
        more of its likely groups among the first ten).
    semantic : SemanticIndex or None, default=None
        Embeddings of the names by a multilingual sentence model (:mod:`matching.semantic`;
        :func:`matching.semantic.load_semantic_index` is the shipped one), to compare a text
        with the names by meaning: "Doktor" with Läkare, "Cellist" with Musiker.
    semantic_reranker : CandidateReranker or None, default=None
        A reranker trained with meaning (features ``FEATURES + SEMANTIC_FEATURES``, see
        :func:`load_semantic_reranker`); needs ``semantic``.
    semantic_below : float in [0, 1], default=0.4
        Meaning is consulted (about 10 ms to embed a new text) only when the spelling
        ``reranker`` is less sure than this of its best candidate: known names, their
        inflections and typos are answered by spelling alone. 1 consults it always.
    meaning_classifier : MeaningGroupClassifier or None, default=None
        Which SSYK-4 group a text belongs to by its embedding (with ``semantic`` only;
        :func:`load_meaning_classifier` is the shipped one). A fitted one is used as it is;
        an unfitted one (its settings) or none is trained on this vocabulary's names during
        :meth:`fit` (about ten seconds on the taxonomy): like ``group_classifier``, it must
        not have seen the names the matcher is tested on.

    Attributes
    ----------
    vocabulary_ : OccupationVocabulary
    n_terms_ : int
        Number of distinct normalised names searched.
    """

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (2, 4),
        tfidf_weight: float = 0.5,
        label_weight: float = 0.05,
        prior_weight: float = 0.1,
        compound_score: float = 0.75,
        max_window_words: int = 3,
        min_score: float = 0.3,
        group_weight: float = 0.7,
        group_alpha: float = 0.01,
        group_decay: float = 0.85,
        evidence_weight: float = 1.0,
        evidence_power: float = 5.0,
        complement_weight: float = 0.5,
        complement_alpha: float = 0.3,
        complement_temperature: float = 1.0,
        occupation_weight: float = 0.3,
        group_classifier: GroupClassifier | None = None,
        classifier_weight: float = 0.5,
        classifier_temperature: float = 25.0,
        group_vouch: float = 0.85,
        group_floor: float = 0.2,
        vouch_power: float = 0.05,
        vouch_groups: int = 8,
        reranker: CandidateReranker | None = None,
        rerank_candidates: int = 60,
        rerank_decay: float = 0.4,
        semantic: SemanticIndex | None = None,
        semantic_reranker: CandidateReranker | None = None,
        semantic_below: float = 0.4,
        meaning_classifier: MeaningGroupClassifier | None = None,
    ) -> None:
        self.ngram_range = ngram_range
        self.tfidf_weight = tfidf_weight
        self.label_weight = label_weight
        self.prior_weight = prior_weight
        self.compound_score = compound_score
        self.max_window_words = max_window_words
        self.min_score = min_score
        self.group_weight = group_weight
        self.group_alpha = group_alpha
        self.group_decay = group_decay
        self.evidence_weight = evidence_weight
        self.evidence_power = evidence_power
        self.complement_weight = complement_weight
        self.complement_alpha = complement_alpha
        self.complement_temperature = complement_temperature
        self.occupation_weight = occupation_weight
        self.group_classifier = group_classifier
        self.classifier_weight = classifier_weight
        self.classifier_temperature = classifier_temperature
        self.group_vouch = group_vouch
        self.group_floor = group_floor
        self.vouch_power = vouch_power
        self.vouch_groups = vouch_groups
        self.reranker = reranker
        self.rerank_candidates = rerank_candidates
        self.rerank_decay = rerank_decay
        self.semantic = semantic
        self.semantic_reranker = semantic_reranker
        self.semantic_below = semantic_below
        self.meaning_classifier = meaning_classifier

    def fit(self, vocabulary: OccupationVocabulary | None = None) -> OccupationMatcher:
        """Index the vocabulary's names (default: :func:`load_vocabulary`).

        Returns
        -------
        self
        """
        if not 0.0 <= self.tfidf_weight <= 1.0:
            raise ValueError("tfidf_weight must be in [0, 1]")
        if not 0.0 <= self.label_weight < 1.0:
            raise ValueError("label_weight must be in [0, 1)")
        if self.group_alpha <= 0.0:
            raise ValueError("group_alpha must be positive")
        if self.complement_alpha <= 0.0:
            raise ValueError("complement_alpha must be positive")
        if self.complement_temperature <= 0.0:
            raise ValueError("complement_temperature must be positive")
        if self.classifier_temperature <= 0.0:
            raise ValueError("classifier_temperature must be positive")
        for name in (
            "prior_weight",
            "compound_score",
            "min_score",
            "group_weight",
            "group_decay",
            "complement_weight",
            "occupation_weight",
            "classifier_weight",
            "group_vouch",
            "group_floor",
            "semantic_below",
        ):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1]")
        if self.max_window_words < 1:
            raise ValueError("max_window_words must be at least 1")
        if self.vouch_groups < 1:
            raise ValueError("vouch_groups must be at least 1")
        if self.rerank_candidates < 1:
            raise ValueError("rerank_candidates must be at least 1")
        if not 0.0 < self.rerank_decay <= 1.0:
            raise ValueError("rerank_decay must be in (0, 1]")
        for name, model, features in (
            ("reranker", self.reranker, FEATURES),
            ("semantic_reranker", self.semantic_reranker, FEATURES + SEMANTIC_FEATURES),
        ):
            if model is not None and tuple(model.features_) != features:
                raise ValueError(
                    f"the {name} was trained on other features than this matcher computes; "
                    "retrain it (scripts/build_occupation_vocabulary.py)"
                )
        if self.semantic_reranker is not None and self.semantic is None:
            raise ValueError("a semantic_reranker needs a semantic index")
        if self.vouch_power < 0.0:
            raise ValueError("vouch_power must be non-negative")
        if self.evidence_weight < 0.0:
            raise ValueError("evidence_weight must be non-negative")
        if self.evidence_power < 1.0:
            raise ValueError("evidence_power must be at least 1")
        vocabulary = load_vocabulary() if vocabulary is None else vocabulary

        occupations = vocabulary.occupations
        occupation_ids = list(occupations)
        occupation_index = {oid: i for i, oid in enumerate(occupation_ids)}
        successor = _successors(vocabulary)

        def current(occupation_id: str) -> str:
            twin = vocabulary.current_equivalent(occupation_id).occupation_id
            return successor.get(twin, twin)

        strings: dict[str, int] = {}
        originals: list[str] = []
        links: dict[tuple[int, int], tuple[float, bool]] = {}
        labels = {oid: normalize(o.label) for oid, o in occupations.items()}

        def link(text: str, occupation_id: str, kind: str) -> None:
            key_text = normalize(text)
            if not key_text:
                return
            if key_text not in strings:
                strings[key_text] = len(originals)
                originals.append(text)
            key = (strings[key_text], occupation_index[occupation_id])
            weight, was_label = links.get(key, (0.0, False))
            is_label = kind == "label-part" or key_text == labels[occupation_id]
            links[key] = (max(weight, _KIND_WEIGHT[kind]), was_label or is_label)

        for term, occupation_id, kind in vocabulary.terms:
            # An older twin is never returned; its names lead to the current occupation.
            link(term, current(occupation_id), kind)
        for occupation_id, occupation in occupations.items():
            for part, kind in _label_parts(occupation.label):
                link(part, occupation_id, kind)
        for code, group in vocabulary.groups.items():
            parts = [group.label, *_group_parts(group.label)]
            for member in vocabulary.in_group(code):
                for part in parts:
                    link(part, member.occupation_id, "group")
        if not strings:
            raise ValueError("the vocabulary has no names to match")

        keys = sorted(links, key=lambda k: (k[1], k[0]))  # grouped by occupation
        self.vocabulary_ = vocabulary
        self.occupation_ids_ = occupation_ids
        self.strings_ = list(strings)
        self.originals_ = originals
        self.n_terms_ = len(self.strings_)
        # Indices of the short names (a few dozen abbreviations: only an exact match counts).
        self.short_ = np.flatnonzero([len(t) <= _SHORT for t in self.strings_])
        self.prefix_order_ = np.argsort(np.array(self.strings_), kind="stable")
        self.prefix_sorted_ = [self.strings_[i] for i in self.prefix_order_]
        words = np.array([i for i, t in enumerate(self.strings_) if " " not in t], dtype=np.int64)
        backwards = [self.strings_[i][::-1] for i in words]
        order = np.argsort(np.array(backwards), kind="stable")
        self.suffix_order_ = words[order]
        self.suffix_sorted_ = [backwards[i] for i in order]
        self.link_string_ = np.array([k[0] for k in keys], dtype=np.int64)
        self.link_occupation_ = np.array([k[1] for k in keys], dtype=np.int64)
        self.link_weight_ = np.array([links[k][0] for k in keys])
        self.link_start_ = np.searchsorted(
            self.link_occupation_, np.arange(len(occupation_ids) + 1)
        )
        # Each occupation's own label and label parts (a few), as a table of string indices
        # padded with one past the last string: row i holds every occupation's i-th part, so
        # the best part is a maximum over a few contiguous rows (numpy reduces a short last
        # axis row by row, several times slower).
        label_links = np.flatnonzero([links[k][1] for k in keys])
        owners = self.link_occupation_[label_links]
        position = _run_positions(owners)
        self.label_strings_ = np.full(
            (int(position.max(initial=0)) + 1, len(occupation_ids)), len(strings), dtype=np.int64
        )
        self.label_strings_[position, owners] = self.link_string_[label_links]

        groups = vocabulary.groups
        self.shadowed_ = np.array([current(oid) != oid for oid in occupation_ids])
        ads = np.array([groups[occupations[o].ssyk4_code].ads_2024 for o in occupation_ids])
        self.ads_ = ads  # per occupation: its group's 2024 ads
        self.occupation_index_ = occupation_index
        self.prior_ = np.log1p(ads) / np.log1p(max(ads.max(), 1))
        # Exact ties: current taxonomy names first, then the group with more ads, then the id.
        self.tie_rank_ = np.lexsort(
            (
                np.arange(len(occupation_ids)),  # ids are already sorted
                -ads,
                np.array([not occupations[o].current for o in occupation_ids]),
            )
        ).argsort()
        self.vectorizer_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=self.ngram_range, sublinear_tf=True, dtype=np.float32
        )
        string_matrix = self.vectorizer_.fit_transform(self.strings_)
        self.ngram_index_ = self.vectorizer_.vocabulary_
        self.idf_ = self.vectorizer_.idf_.astype(np.float32)
        self.term_matrix_ = string_matrix.T.tocsr()
        # The n-gram models (groups, their complements, occupations) all weigh the same query
        # row: their weights side by side make one product per lookup instead of three.
        groups, complement = self._fit_groups(vocabulary, string_matrix)
        blocks = [groups, complement, self._fit_occupations(string_matrix)]
        self.model_weights_ = sparse.vstack(blocks, format="csr").T.tocsr()
        self.model_split_ = np.cumsum([block.shape[0] for block in blocks])[:-1]
        self._fit_classifier(vocabulary)
        self._fit_rewrites(occupation_index)
        if self.semantic is not None:
            self.string_vectors_ = self.semantic.vectors(self.originals_)
            # Group labels name no occupation by meaning; the group features cover them.
            self.link_named_ = self.link_weight_ > _KIND_WEIGHT["group"]
            self.group_vectors_ = self.semantic.vectors(
                [group_passage(vocabulary.groups[code]) for code in sorted(vocabulary.groups)],
                passage=True,
            )
            self._fit_meaning_classifier(vocabulary)
        return self

    def _fit_meaning_classifier(self, vocabulary: OccupationVocabulary) -> None:
        """The meaning classifier, trained on each name's vector and group unless fitted, and
        its classes mapped onto this vocabulary's groups."""
        model = self.meaning_classifier
        if model is None or not hasattr(model, "weights_"):
            model = MeaningGroupClassifier() if model is None else clone(model)
            n_groups = len(vocabulary.groups)
            pairs = np.unique(
                self.link_string_ * n_groups + self.occupation_group_[self.link_occupation_]
            )
            codes = sorted(vocabulary.groups)
            model.fit(
                self.string_vectors_[pairs // n_groups],
                [codes[g] for g in (pairs % n_groups).tolist()],
            )
        self.meaning_classifier_ = model
        known = {code: i for i, code in enumerate(model.classes_)}
        self.meaning_columns_ = np.array(
            [known.get(code, -1) for code in sorted(vocabulary.groups)], dtype=np.int64
        )

    def semantic_texts(self) -> list[str]:
        """Every text a semantic index embeds for this matcher's vocabulary: its names, and each
        group's label and definition as a passage (prefixed ``matching.semantic.PASSAGE``)."""
        check_is_fitted(self)
        groups = self.vocabulary_.groups
        return list(self.originals_) + [PASSAGE + group_passage(groups[c]) for c in sorted(groups)]

    def feature_names(self) -> tuple[str, ...]:
        """The reranker's features for this matcher: ``FEATURES``, and ``SEMANTIC_FEATURES``
        with a semantic index."""
        return FEATURES + (SEMANTIC_FEATURES if self.semantic is not None else ())

    def _fit_rewrites(self, occupation_index: dict[str, int]) -> None:
        """Rewrite rules from the names, and what the reranker's features need."""
        self.string_index_ = {text: i for i, text in enumerate(self.strings_)}
        names: list[list[str]] = [[] for _ in self.occupation_ids_]
        for string, occupation in zip(
            self.link_string_.tolist(), self.link_occupation_.tolist(), strict=True
        ):
            names[occupation].append(self.strings_[string])
        self.rewrites_ = RewriteRules.mine(names)
        # Per name: the occupations it links to (links are sorted by occupation, not name).
        by_string = np.argsort(self.link_string_, kind="stable")
        self.string_link_order_ = by_string
        self.string_links_ = self.link_occupation_[by_string]
        self.string_start_ = np.searchsorted(
            self.link_string_[by_string], np.arange(len(self.strings_) + 1)
        )
        # The group most of a name's occupations belong to.
        link_groups = self.occupation_group_[self.string_links_]
        self.string_group_ = np.array(
            [
                np.bincount(link_groups[a:b]).argmax() if b > a else 0
                for a, b in zip(self.string_start_[:-1], self.string_start_[1:], strict=True)
            ],
            dtype=np.int64,
        )
        # First and last words of the names as code-point matrices (the last ones reversed),
        # for how long a beginning (ending) a query's first (last) word shares with them.
        self.first_words_, self.link_first_ = self._word_matrix(
            [t.split()[0] for t in self.strings_], reverse=False
        )
        self.last_words_, self.link_last_ = self._word_matrix(
            [t.split()[-1] for t in self.strings_], reverse=True
        )
        self.n_names_ = np.diff(self.link_start_).astype(np.float64)
        rows, columns = [], []
        vocabulary = self.vocabulary_
        for occupation_id, row in occupation_index.items():
            for substitute in vocabulary.substitutes(occupation_id):
                column = occupation_index[substitute]
                rows += [row, column]
                columns += [column, row]
        self.substitutes_ = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, columns)), shape=(len(occupation_index),) * 2
        )
        self.substitutes_.sum_duplicates()
        # Every word of each group's definition and skills, sorted, with its group: which
        # groups write of what a compound's modifier names ("get" of "getskötare" begins
        # "getter" in the definition of the animal keepers).
        pairs = sorted(
            {
                (word, group_index)
                for group_index, code in enumerate(sorted(vocabulary.groups))
                for word in normalize(
                    " ".join([vocabulary.groups[code].definition, *vocabulary.groups[code].skills])
                ).split()
                if len(word) >= _MIN_MODIFIER
            }
        )
        self.topic_words_ = [word for word, _ in pairs]
        self.topic_group_ = np.array([group for _, group in pairs], dtype=np.int64)

    def _fit_classifier(self, vocabulary: OccupationVocabulary) -> None:
        """Map the group classifier's classes onto this vocabulary's groups."""
        classifier = self.group_classifier
        if classifier is None:
            self.classifier_columns_ = None
            return
        check_is_fitted(classifier)
        known = {code: i for i, code in enumerate(classifier.classes_)}
        # -1: a group the classifier never saw gets no share of its softmax.
        self.classifier_columns_ = np.array(
            [known.get(code, -1) for code in sorted(vocabulary.groups)], dtype=np.int64
        )

    def _classifier_scores(self, text: str) -> np.ndarray | None:
        """Softmax of the classifier's margins over this vocabulary's groups, or ``None``."""
        return self._classifier_softmax(self._classifier_margin(text))

    def _classifier_margin(self, text: str) -> np.ndarray | None:
        """The classifier's margin for each of this vocabulary's groups (-inf for unknown)."""
        columns, classifier = self.classifier_columns_, self.group_classifier
        if columns is None or classifier is None or self.classifier_weight == 0.0:
            return None
        margin = classifier.decision_function(text)
        return np.where(columns >= 0, margin[columns], -np.inf)

    def _classifier_softmax(self, margin: np.ndarray | None) -> np.ndarray | None:
        if margin is None or not np.isfinite(margin).any():
            return None
        z = self.classifier_temperature * margin
        posterior = np.exp(z - z.max())
        return np.asarray(posterior / posterior.sum())

    def _fit_groups(
        self, vocabulary: OccupationVocabulary, string_matrix: sparse.csr_matrix
    ) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """A multinomial naive Bayes model of SSYK-4 groups over character n-grams.

        Each group's "document" is every name of its occupations plus its own label,
        definition and related skills, so an unseen compound ("Trappmontör") is placed by its
        parts as the whole group writes them, not by one nearest name. Returns the sparse
        weights (groups x n-grams): naive Bayes log-odds and the complement correction.
        """
        codes = sorted(vocabulary.groups)
        group_index = {code: i for i, code in enumerate(codes)}
        occupations = vocabulary.occupations
        self.occupation_group_ = np.array(
            [group_index[occupations[oid].ssyk4_code] for oid in self.occupation_ids_],
            dtype=np.int64,
        )
        # Occupations grouped by SSYK-4 group (every group has members), for per-group maxima.
        self.group_order_ = np.argsort(self.occupation_group_, kind="stable")
        self.group_start_ = np.searchsorted(
            self.occupation_group_[self.group_order_], np.arange(len(codes) + 1)
        )
        pairs = np.unique(
            np.stack([self.occupation_group_[self.link_occupation_], self.link_string_]), axis=1
        )
        membership = sparse.csr_matrix(
            (np.ones(pairs.shape[1], dtype=np.float32), (pairs[0], pairs[1])),
            shape=(len(codes), len(self.strings_)),
        )
        # Skills count once per distinct word: "Svetsning, MIG" and "Svetsning, TIG" say
        # "svetsning" once, and the long lists of some groups do not drown their names.
        descriptions = [
            " ".join(
                [
                    normalize(f"{group.label} {group.definition}"),
                    *sorted(set(normalize(" ".join(group.skills)).split())),
                ]
            )
            for group in (vocabulary.groups[code] for code in codes)
        ]
        counts = membership @ string_matrix + self._transform_documents(descriptions)
        counts = sparse.csr_matrix(counts, dtype=np.float64)
        totals = np.asarray(counts.sum(axis=1)).ravel()
        correction = self._fit_complement(counts, totals)
        alpha = self.group_alpha
        # log P(f | g) = log(alpha + n_gf) - log(n_g + alpha F); the first part is sparse.
        counts.data = np.log1p(counts.data / alpha)
        self.group_norm_ = np.log(totals + alpha * string_matrix.shape[1])
        return counts, correction

    def _fit_complement(self, counts: sparse.csr_matrix, totals: np.ndarray) -> sparse.csr_matrix:
        """Complement naive Bayes weights (Rennie et al. 2003), kept sparse.

        ``log P(f | not g)`` is ``log(T_f - n_gf + alpha) - log(Z_g)``; where ``n_gf`` is 0 it
        is a per-feature term minus a per-group one, so only the group's own n-grams need a
        stored correction (returned, groups x n-grams). Each group's weights are normalised by
        their absolute sum.
        """
        alpha = self.complement_alpha
        n_features = counts.shape[1]
        feature_totals = np.asarray(counts.sum(axis=0)).ravel()
        base = np.log(feature_totals + alpha)
        correction = counts.tocoo()
        correction.data = (
            np.log(feature_totals[correction.col] - correction.data + alpha) - base[correction.col]
        )
        correction = correction.tocsr()
        group_norm = np.log(feature_totals.sum() - totals + alpha * n_features)
        row_sums = np.asarray(correction.sum(axis=1)).ravel()
        self.complement_base_ = base
        self.complement_group_norm_ = group_norm
        self.complement_scale_ = -(base.sum() + row_sums - n_features * group_norm)
        return correction

    def _complement_scores(
        self, query: sparse.csr_matrix, correction: np.ndarray, total: float
    ) -> np.ndarray:
        """Softmax of the standardised complement scores of each group, shape (n_groups,).

        ``correction`` is the query row times the stored correction, ``total`` its sum.
        """
        weight = query @ self.complement_base_ + correction - total * self.complement_group_norm_
        score = -np.asarray(weight).ravel() / self.complement_scale_
        z = (score - score.mean()) / max(float(score.std()), 1e-12)
        z = self.complement_temperature * (z - z.max())
        posterior = np.exp(z)
        return np.asarray(posterior / posterior.sum())

    def _fit_occupations(self, string_matrix: sparse.csr_matrix) -> sparse.csr_matrix:
        """The same naive Bayes model with each occupation's names as its document.

        Returns its sparse log-odds, occupations x n-grams.
        """
        membership = sparse.csr_matrix(
            (np.ones(len(self.link_string_)), (self.link_occupation_, self.link_string_)),
            shape=(len(self.occupation_ids_), len(self.strings_)),
        )
        counts = sparse.csr_matrix(membership @ string_matrix, dtype=np.float64)
        totals = np.asarray(counts.sum(axis=1)).ravel()
        alpha = self.group_alpha
        counts.data = np.log1p(counts.data / alpha)
        self.occupation_norm_ = np.log(totals + alpha * string_matrix.shape[1])
        return counts

    def _model_products(self, query: sparse.csr_matrix) -> list[np.ndarray]:
        """The query row times each n-gram model's sparse weights, from one product.

        Returns ``[group log-odds, complement correction, occupation log-odds]``, each one
        value per group or occupation.
        """
        return np.split(_dense_product(query, self.model_weights_).ravel(), self.model_split_)

    def _occupation_scores(
        self, query: sparse.csr_matrix, log_odds: np.ndarray, total: float
    ) -> np.ndarray:
        """Posterior of each occupation given the query's n-gram row, shape (n_occupations,).

        ``log_odds`` is the query row times the occupations' log-odds, ``total`` its sum.
        """
        if query.nnz == 0:
            return np.zeros(len(self.occupation_norm_))
        log_like = log_odds - total * self.occupation_norm_
        log_like[self.shadowed_] = -np.inf  # an older twin has no names of its own
        posterior = np.exp(log_like - log_like.max())
        return np.asarray(posterior / posterior.sum())

    def _group_models(
        self, text: str, query: sparse.csr_matrix, products: list[np.ndarray], total: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None, np.ndarray]:
        """The group models one by one and blended, each shape (n_groups,).

        ``query`` is the text's n-gram row (:meth:`_transform`), ``products`` its
        :meth:`_model_products` and ``total`` its sum. Returns ``(naive Bayes,
        complement naive Bayes, classifier softmax or None, classifier margin or None, blend)``;
        the Bayes models and the blend are zeros when the text has no known n-gram.
        """
        n_groups = len(self.group_norm_)
        margin = self._classifier_margin(text)
        linear = self._classifier_softmax(margin)
        if query.nnz == 0:
            zeros = np.zeros(n_groups)
            return zeros, zeros, linear, margin, zeros
        log_like = products[0] - total * self.group_norm_
        naive = np.exp(log_like - log_like.max())
        naive = naive / naive.sum()
        complement = self._complement_scores(query, products[1], total)
        posterior = naive
        if self.complement_weight > 0.0:
            posterior = (1.0 - self.complement_weight) * naive + (
                self.complement_weight * complement
            )
        if linear is not None:
            posterior = (1.0 - self.classifier_weight) * posterior + self.classifier_weight * linear
        return naive, complement, linear, margin, np.asarray(posterior)

    def _transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """``vectorizer_.transform`` for already normalised texts, without its overhead.

        The same sublinear TF-IDF of ``char_wb`` n-grams, L2-normalised, one row per text.
        """
        low, high = self.ngram_range
        indptr, indices, data = [0], [], []
        for text in texts:
            counts: dict[int, int] = {}
            for gram in _char_ngrams(text, low, high):
                column = self.ngram_index_.get(gram)
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
            columns = np.fromiter(counts, dtype=np.int32, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
            weights = (1.0 + np.log(tf)) * self.idf_[columns]
            norm = float(np.sqrt(np.dot(weights, weights)))
            if norm > 0.0:
                weights /= norm
            order = np.argsort(columns)
            indices.append(columns[order])
            data.append(weights[order])
            indptr.append(indptr[-1] + len(columns))
        return sparse.csr_matrix(
            (
                np.concatenate(data) if data else np.empty(0, np.float32),
                np.concatenate(indices) if indices else np.empty(0, np.int32),
                np.array(indptr),
            ),
            shape=(len(texts), len(self.idf_)),
        )

    def _transform_documents(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """:meth:`_transform` for long texts, counting each distinct word's n-grams once.

        ``char_wb`` n-grams never cross words, so a text's counts are its words' counts
        summed: (texts x words) @ (words x n-grams).
        """
        low, high = self.ngram_range
        words: dict[str, int] = {}
        rows, columns = [], []
        for row, text in enumerate(texts):
            for word in text.split():
                rows.append(row)
                columns.append(words.setdefault(word, len(words)))
        occurrences = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, columns)), shape=(len(texts), len(words))
        )
        grams_rows, grams_columns = [], []
        for row, word in enumerate(words):
            for gram in _char_ngrams(word, low, high):
                column = self.ngram_index_.get(gram)
                if column is not None:
                    grams_rows.append(row)
                    grams_columns.append(column)
        grams = sparse.csr_matrix(
            (np.ones(len(grams_rows), dtype=np.float32), (grams_rows, grams_columns)),
            shape=(len(words), len(self.idf_)),
        )
        counts = sparse.csr_matrix(occurrences @ grams)
        counts.data = (1.0 + np.log(counts.data)) * self.idf_[counts.indices]
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        counts = sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)).astype(np.float32) @ counts
        return sparse.csr_matrix(counts, dtype=np.float32)

    def _windows(self, text: str) -> list[_Window]:
        words = [w if w in _STOPWORDS else _strip_filler(w) for w in normalize(text).split()]
        content = [w for w in words if w not in _STOPWORDS]
        if not content:
            return [_Window(" ".join(words), 1.0)] if words else []
        windows = {" ".join(content): 1.0}
        for size in range(1, self.max_window_words + 1):
            for start in range(len(words) - size + 1):
                span = words[start : start + size]
                if span[0] in _STOPWORDS or span[-1] in _STOPWORDS:
                    continue
                coverage = sum(w not in _STOPWORDS for w in span) / len(content)
                joined = " ".join(span)
                windows[joined] = max(windows.get(joined, 0.0), coverage)
        return [_Window(joined, coverage) for joined, coverage in windows.items()]

    def _compounds(self, window: str) -> np.ndarray:
        """Indices of the names that ``window`` begins, or ends as the last part of one word."""
        found = []
        if len(window) >= _MIN_COMPOUND_HEAD:
            lo, hi = _begun_by(self.prefix_sorted_, window)
            found.append(self.prefix_order_[lo:hi])
        if len(window) >= _MIN_COMPOUND_TAIL:
            backwards = window[::-1]
            lo, hi = _begun_by(self.suffix_sorted_, backwards)
            found.append(self.suffix_order_[lo:hi])
        return np.concatenate(found) if found else np.empty(0, dtype=np.int64)

    def _indel(self, texts: list[str]) -> Future[np.ndarray]:
        """rapidfuzz's Indel similarity (0-100) of each text with every name, as bytes.

        Run on a helper thread: rapidfuzz releases the GIL, so the n-gram products of the same
        lookup go on meanwhile (about a fifth of a spelling lookup's time on two cores).
        """
        # processor=None: both sides are already normalize()d, a superset of default_process.
        return _helpers().submit(
            process.cdist, texts, self.strings_, scorer=fuzz.ratio, processor=None, dtype=np.uint8
        )

    def _string_scores(
        self, windows: Sequence[_Window], cosine: np.ndarray, indel: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per name: the best window score, and the same without the compound floor.

        ``cosine`` holds the windows' n-gram cosines with every name, ``indel`` their Indel
        similarities (:meth:`_indel`), one row per window, in order.
        """
        # (1 - tfidf_weight) * indel / 100 by table: indel scores are bytes.
        share = (1.0 - self.tfidf_weight) * (np.arange(256) / 100.0)
        blended = self.tfidf_weight * cosine + share[indel]
        blended[:, self.short_] = indel[:, self.short_] == 100
        # A window that leaves part of the query unexplained is worth a little less.
        coverage = np.array([w.coverage for w in windows])[:, None]
        blended *= _COVERAGE_FLOOR + (1.0 - _COVERAGE_FLOOR) * coverage
        plain = blended.max(axis=0)
        # Swedish compounds: "butik" is the first part of "butikssäljare", "förare" the last part
        # of "truckförare". Such a name fits the word, however long the rest is.
        for row, window in enumerate(windows):
            if " " not in window.text:
                hits = self._compounds(window.text)
                floor = self.compound_score * (
                    _COVERAGE_FLOOR + (1.0 - _COVERAGE_FLOOR) * window.coverage
                )
                blended[row, hits] = np.maximum(blended[row, hits], floor)
        return blended.max(axis=0), plain

    def lookup(
        self, text: str, top: int = 10, *, meaning: bool | None = None
    ) -> list[OccupationCandidate]:
        """The occupations that best match one free-text query.

        Parameters
        ----------
        text : str
            Any text: an occupation name, a job title, an ad headline, a wish in plain words.
        top : int >= 1, default=10
            Most candidates to return.
        meaning : bool or None, default=None
            Whether to compare the text by meaning (with a semantic index and a semantic
            reranker): ``None`` when the spelling reranker is unsure (``semantic_below``; fast
            for names, as autocomplete needs), ``True`` always (a participant's wish in plain
            words, "hjälpa äldre", looked up once per profile), ``False`` never.

        Returns
        -------
        list of OccupationCandidate
            At most ``top``, best first, scores in [``min_score``, 1]; equal scores are ordered
            by current names first, then more ads in the group, then id. Empty when the text
            has no letters or digits or nothing reaches ``min_score``.
        """
        check_is_fitted(self)
        if top < 1:
            raise ValueError("top must be at least 1")
        # The vectors here are small: BLAS threads only wait for each other (and, spinning,
        # slow down the e5 model's own threads).
        with _one_blas_thread():
            return self._lookup(text, top, meaning)

    def _lookup(self, text: str, top: int, meaning: bool | None) -> list[OccupationCandidate]:
        parts = self._score(text)
        if parts is None:
            return []
        if self.reranker is not None or self.semantic_reranker is not None:
            return self._reranked(text, parts, top, meaning)
        scores = np.round(self._diversify(parts.scores, top), 6)
        order = np.lexsort((self.tie_rank_, -scores))[:top]
        keep = order[scores[order] >= self.min_score]
        return self._candidates(parts, keep, scores[keep])

    def _score(self, text: str) -> _Parts | None:
        """Every signal of one query, per occupation; ``None`` when the text names nothing."""
        windows = self._windows(text)
        # One letter names nothing; it would only hit abbreviations by chance.
        if not windows or len(windows[0].text.replace(" ", "")) < 2:
            return None
        texts = [w.text for w in windows]
        pending = self._indel(texts)
        # One n-gram row per window; the first window is the whole query's content words.
        queries = self._transform(texts)
        first = _first_row(queries)
        products, total = self._model_products(first), first.sum()
        cosine = _dense_product(queries, self.term_matrix_)
        string_scores, plain_scores = self._string_scores(windows, cosine, pending.result())
        link_scores = string_scores[self.link_string_] * self.link_weight_
        # Plain scores: names that merely begin with a one-word query ("lager") are no evidence
        # beyond the first.
        own = plain_scores[self.link_string_] * self.link_weight_
        plain_max = self._per_occupation_max(own)
        # The compound floor lifted a few names above their plain score: only their links can
        # lift an occupation's best name above its best plain one.
        best = plain_max.copy()
        lifted = np.flatnonzero(string_scores != plain_scores)
        if len(lifted):
            starts = self.string_start_[lifted]
            links = self.string_link_order_[
                _ranges(starts, self.string_start_[lifted + 1] - starts)
            ]
            np.maximum.at(best, self.link_occupation_[links], link_scores[links])
        gain = np.zeros_like(best)
        plain_best = best
        if self.evidence_weight > 0.0:
            # Several names of one occupation that all fit are more evidence than one: the
            # p-norm over its names exceeds the best name by how many come close to it. It
            # fills at most half the gap to 1, which stays the score of an exact name.
            power = self.evidence_power
            plain_best = plain_max
            pnorm = self._per_occupation_sum(_power(np.maximum(own, 0.0), power)) ** (1.0 / power)
            gain = np.minimum(self.evidence_weight * (pnorm - plain_best), _MAX_EVIDENCE)
        names = best
        best = best + gain * (1.0 - best)
        label = np.append(plain_scores, 0.0)[self.label_strings_].max(axis=0)
        label = np.maximum(label, 0.0)
        base = (1.0 - self.label_weight) * best + self.label_weight * label
        # The market prior only fills part of the gap to 1: it orders near-equal candidates
        # ("butik": Butikssäljare before Butikschef) but never lifts a weak match past a good one.
        # The group model lends a share of its confidence to every member of a likely group,
        # so an unseen title lands among the occupations its group writes like. It only lifts
        # names that already match by themselves: garbage stays below ``min_score``.
        naive, complement, linear, margin, posterior = self._group_models(
            windows[0].text, first, products, total
        )
        group = posterior[self.occupation_group_]
        fit = base.copy()
        lift = base >= self.min_score
        base[lift] += self.group_weight * group[lift] * (1.0 - base[lift])
        occupation = np.zeros_like(base)
        if self.occupation_weight > 0.0:
            occupation = self._occupation_scores(first, products[2], total)
            base[lift] += self.occupation_weight * occupation[lift] * (1.0 - base[lift])
        base[~lift] = 0.0  # neither the group model nor the prior lifts a name that fits badly
        scores = base + self.prior_weight * self.prior_ * (1.0 - base)
        # Only a query that already names something gets vouched-for runners-up: garbage
        # stays empty.
        if self.group_vouch > 0.0 and lift.any():
            scores = self._vouch(scores, fit, posterior)
        scores[self.shadowed_] = -1.0
        return _Parts(
            query=windows[0].text,
            string_scores=plain_scores,
            link_scores=link_scores,
            names=names,
            plain=plain_best,
            gain=gain,
            label=label,
            fit=fit,
            naive=naive,
            complement=complement,
            linear=linear,
            margin=margin,
            posterior=posterior,
            occupation=occupation,
            scores=scores,
        )

    def _meaning(self, text: str) -> _Meaning | None:
        """The query compared with every name and group by meaning (no semantic index: None)."""
        if self.semantic is None:
            return None
        vector = self.semantic.query(text)
        names = self.string_vectors_ @ vector
        columns = self.meaning_columns_
        margin = self.meaning_classifier_.decision_function(vector).astype(np.float64)
        margin = np.where(columns >= 0, margin[columns], -np.inf)
        return _Meaning(
            names=names,
            occupations=self._per_occupation_max(
                np.where(self.link_named_, names[self.link_string_], 0.0)
            ),
            groups=self.group_vectors_ @ vector,
            group_log=log_softmax(margin),
        )

    def _candidates(
        self, parts: _Parts, order: np.ndarray, scores: np.ndarray
    ) -> list[OccupationCandidate]:
        occupations = self.vocabulary_.occupations
        result = []
        for index, score in zip(order.tolist(), scores.tolist(), strict=True):
            start, stop = self.link_start_[index], self.link_start_[index + 1]
            matched = self.link_string_[start + int(np.argmax(parts.link_scores[start:stop]))]
            occupation = occupations[self.occupation_ids_[index]]
            result.append(
                OccupationCandidate(
                    occupation_id=occupation.occupation_id,
                    label=occupation.label,
                    ssyk4_code=occupation.ssyk4_code,
                    score=float(min(score, 1.0)),
                    matched_term=self.originals_[matched],
                )
            )
        return result

    def _rewrite_scores(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """Per occupation: summed and best weight of the rewritings of the query that name it.

        Each word of the query is rewritten by the mined rules; a rewriting that is a name
        (alone, or with the query's other words around it) counts for that name's occupations.
        """
        total = np.zeros(len(self.occupation_ids_))
        best = np.zeros(len(self.occupation_ids_))
        words = query.split()
        for position, word in enumerate(words):
            rewritings = self.rewrites_.into_names(word, self.prefix_sorted_, self.suffix_sorted_)
            for variant, weight in rewritings.items():
                texts = [variant]
                if len(words) > 1:
                    texts.append(" ".join([*words[:position], variant, *words[position + 1 :]]))
                for text in texts:
                    string = self.string_index_.get(text)
                    if string is None:
                        continue
                    owners = self.string_links_[
                        self.string_start_[string] : self.string_start_[string + 1]
                    ]
                    total[owners] += weight
                    best[owners] = np.maximum(best[owners], weight)
        return total, best

    def _word_matrix(self, words: list[str], reverse: bool) -> tuple[np.ndarray, np.ndarray]:
        """Distinct words as a zero-padded code-point matrix, and each link's row in it.

        One column more than :data:`_SHARED_WIDTH`, always 0, so that :meth:`_shared` finds a
        difference in every row.
        """
        distinct = sorted(set(words))
        row = {w: i for i, w in enumerate(distinct)}
        matrix = np.zeros((len(distinct), _SHARED_WIDTH + 1), dtype=np.uint32)
        for i, word in enumerate(distinct):
            codes = np.frombuffer((word[::-1] if reverse else word).encode("utf-32-le"), np.uint32)
            matrix[i, : min(len(codes), _SHARED_WIDTH)] = codes[:_SHARED_WIDTH]
        per_string = np.array([row[w] for w in words], dtype=np.int64)
        return matrix, per_string[self.link_string_]

    def _shared(
        self, word: str, matrix: np.ndarray, rows: np.ndarray, starts: np.ndarray, reverse: bool
    ) -> np.ndarray:
        """Per candidate: the longest run of letters ``word`` shares with one of its names from
        the start (or, ``reverse``, the end), as a share of the word's length.

        ``rows`` are the candidates' names' rows of ``matrix``, candidate by candidate from
        ``starts``.
        """
        codes = np.frombuffer((word[::-1] if reverse else word).encode("utf-32-le"), np.uint32)
        width = min(len(codes), _SHARED_WIDTH)
        # The word's letters and then one no name has at that place (no code point is this
        # large), so the first difference in a row is the length shared, ``width`` at most.
        compared = np.empty(width + 1, dtype=np.uint32)
        compared[:width] = codes[:width]
        compared[width] = np.iinfo(np.uint32).max
        differ = matrix.take(rows, axis=0)[:, : width + 1] != compared
        shared = differ.argmax(axis=1)
        return np.maximum.reduceat(shared, starts).astype(np.float64) / len(codes)

    def _part_groups(self, word: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Share of each group among the one-word names that end with the word's head, and
        among those that begin with its modifier; and the groups whose definitions and skills
        name what the rest of the word before the head names (:meth:`_topic_groups`).

        The head is the longest proper ending of the word that at least ``_MIN_PART_NAMES``
        names end with ("chaufför" of "budbilschaufför"); the modifier is the longest proper
        beginning likewise ("budbil"). Swedish compounds name the kind of work by the head and
        the trade by the modifier, and a trade no name begins with is often one the groups'
        definitions speak of ("get" of "getskötare": "getter"). Zeros where the word has no
        such part.
        """
        n_groups = len(self.group_start_) - 1
        heads = np.zeros(n_groups)
        modifiers = np.zeros(n_groups)
        topics = np.zeros(n_groups)
        for size in range(len(word) - 1, _MIN_COMPOUND_HEAD - 1, -1):
            backwards = word[-size:][::-1]
            lo, hi = _begun_by(self.suffix_sorted_, backwards)
            if hi - lo >= _MIN_PART_NAMES:
                counts = np.bincount(
                    self.string_group_[self.suffix_order_[lo:hi]], minlength=n_groups
                )
                heads = counts / counts.sum()
                topics = self._topic_groups(word[:-size], n_groups)
                break
        for size in range(len(word) - 1, _MIN_COMPOUND_HEAD - 1, -1):
            stem = word[:size]
            lo, hi = _begun_by(self.prefix_sorted_, stem)
            if hi - lo >= _MIN_PART_NAMES:
                counts = np.bincount(
                    self.string_group_[self.prefix_order_[lo:hi]], minlength=n_groups
                )
                modifiers = counts / counts.sum()
                break
        return heads, modifiers, topics

    def _topic_groups(self, modifier: str, n_groups: int) -> np.ndarray:
        """Per group, 1 / (groups matched) when a word of its definition or skills begins with
        ``modifier`` (a linking "s" dropped), else 0: the fewer groups write of it, the more
        it tells."""
        topics = np.zeros(n_groups)
        if modifier.endswith("s") and len(modifier) > _MIN_MODIFIER + 1:
            modifier = modifier[:-1]
        if len(modifier) < _MIN_MODIFIER:
            return topics
        lo, hi = _begun_by(self.topic_words_, modifier)
        matched = np.unique(self.topic_group_[lo:hi])
        if len(matched):
            topics[matched] = 1.0 / len(matched)
        return topics

    def _features(
        self, parts: _Parts, meaning: _Meaning | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The candidates to rerank and their features, ``(indices, X)`` with X in ``FEATURES``
        (and ``SEMANTIC_FEATURES`` when ``meaning`` is given).

        Candidates are the ``rerank_candidates`` best by the hand-weighted score, up to
        ``_REWRITE_CANDIDATES`` more named by rewritings of the query and, with ``meaning``, up
        to ``_SEMANTIC_CANDIDATES`` nearest by meaning.
        """
        scores = parts.scores
        # The best by the hand-weighted score (ties: current names, more ads, id).
        k = min(self.rerank_candidates, len(scores) - 1)
        head = np.argpartition(-scores, k)[: k + 1]
        head = head[np.lexsort((self.tie_rank_[head], -scores[head]))]
        order = head[: self.rerank_candidates]
        order = order[scores[order] > 0.0]
        rewrite_total, rewrite_best = self._rewrite_scores(parts.query)
        named = np.flatnonzero((rewrite_total > 0.0) & ~self.shadowed_)
        named = named[np.argsort(-rewrite_total[named], kind="stable")][:_REWRITE_CANDIDATES]
        order = _append_new(order, named)
        if meaning is not None:
            # The occupations nearest by meaning, however they are spelt.
            near = np.where(self.shadowed_, -1.0, meaning.occupations)
            meant = np.argpartition(-near, _SEMANTIC_CANDIDATES)[:_SEMANTIC_CANDIDATES]
            meant = meant[near[meant] > 0.0]
            order = _append_new(order, meant)
            # The groups likeliest by meaning, each by its member nearest by meaning.
            likely = np.argsort(-meaning.group_log, kind="stable")[:_MEANING_GROUPS]
            best = self._group_best(near, likely)
            best = best[best >= 0]
            best = best[near[best] > 0.0]
            order = _append_new(order, best)
        order = order[self.link_start_[order + 1] > self.link_start_[order]]  # has names
        # Rank by the hand-weighted score (rewrite candidates may lie far down).
        # (How many score higher, counted among the best _MAX_RANK + 1: ranks stop there.)
        leading = np.sort(np.partition(-scores, min(_MAX_RANK, len(scores) - 1))[: _MAX_RANK + 1])
        rank = np.searchsorted(leading, -scores[order], side="left").astype(float)
        if not len(order):
            width = len(FEATURES) + (len(SEMANTIC_FEATURES) if meaning is not None else 0)
            return order, np.empty((0, width))

        group = self.occupation_group_[order]
        fit = parts.fit
        n_groups = len(parts.posterior)

        def ranks(values: np.ndarray) -> np.ndarray:
            out = np.empty(n_groups)
            out[np.argsort(-values, kind="stable")] = np.arange(n_groups)
            return out

        def log(values: np.ndarray) -> np.ndarray:
            return np.log(values + 1e-12)

        linear = parts.linear if parts.linear is not None else np.zeros(n_groups)
        margin = parts.margin if parts.margin is not None else np.zeros(n_groups)
        margin = np.where(np.isfinite(margin), margin, -10.0)
        # Rank of each candidate within its group (by name fit) and how many share its group.
        by_group = np.lexsort((-fit[order], group))
        rank_in_group = np.empty(len(order))
        rank_in_group[by_group] = _run_positions(group[by_group])
        present, inverse, counts = np.unique(group, return_inverse=True, return_counts=True)
        ordered_fit = fit[self.group_order_]
        group_best = np.maximum.reduceat(ordered_fit, self.group_start_[:-1])
        # Sum of the three best name fits of each candidate's group: the members of those
        # groups, sorted by group and then by fit (descending; fits are within [0, 1]).
        firsts = self.group_start_[present]
        members = self.group_order_[_ranges(firsts, self.group_start_[present + 1] - firsts)]
        key = self.occupation_group_[members] * 4.0 - fit[members]
        members = members[np.argsort(key, kind="stable")]
        member_group = self.occupation_group_[members]
        position = _run_positions(member_group)
        top3 = np.bincount(
            member_group, weights=np.where(position < 3, fit[members], 0.0), minlength=n_groups
        )
        # The longest ending (beginning) the query's last (first) word shares with a name.
        words = parts.query.split()
        starts = self.link_start_[order]
        sizes = self.link_start_[order + 1] - starts  # every candidate has a name
        offsets = np.cumsum(sizes) - sizes
        links = _ranges(starts, sizes)
        ending = self._shared(
            words[-1], self.last_words_, self.link_last_[links], offsets, reverse=True
        )
        beginning = self._shared(
            words[0], self.first_words_, self.link_first_[links], offsets, reverse=False
        )
        # Best name fit among each candidate's substitutes (0 without any).
        first_cell = self.substitutes_.indptr[order]
        n_cells = self.substitutes_.indptr[order + 1] - first_cell
        cells = self.substitutes_.indices[_ranges(first_cell, n_cells)]
        substitute_fit = np.zeros(len(order))
        has = n_cells > 0
        if has.any():
            offsets = (np.cumsum(n_cells) - n_cells)[has]
            substitute_fit[has] = np.maximum.reduceat(fit[cells], offsets)
        heads, modifiers, topics = self._part_groups(words[-1])
        # The nearest names vote for their groups and occupations, by similarity.
        near = np.argpartition(-parts.string_scores, _NEIGHBOURS)[:_NEIGHBOURS]
        weight = np.maximum(parts.string_scores[near], 0.0)
        total = max(float(weight.sum()), 1e-9)
        neighbour_groups = (
            np.bincount(self.string_group_[near], weights=weight, minlength=n_groups) / total
        )
        n_owners = self.string_start_[near + 1] - self.string_start_[near]
        owners = self.string_links_[_ranges(self.string_start_[near], n_owners)]
        neighbour_occupations = np.bincount(
            owners, weights=np.repeat(weight / total, n_owners), minlength=len(self.occupation_ids_)
        )
        group_rewrites = np.bincount(
            self.occupation_group_, weights=rewrite_total, minlength=n_groups
        )
        n = len(order)
        columns = [
            scores[order],
            np.log1p(np.minimum(rank, _MAX_RANK)),
            scores[order] - scores.max(),
            parts.names[order],
            parts.plain[order],
            parts.gain[order],
            parts.label[order],
            fit[order],
            log(parts.naive)[group],
            log(parts.complement)[group],
            log(linear)[group],
            log(parts.posterior)[group],
            ranks(parts.posterior)[group],
            ranks(linear)[group],
            ranks(parts.naive)[group],
            log(parts.occupation)[order],
            self.prior_[order],
            self.n_names_[order],
            rank_in_group,
            counts[inverse],
            ending,
            beginning,
            substitute_fit,
            np.full(n, len(words)),
            np.full(n, len(parts.query)),
            rewrite_total[order],
            rewrite_best[order],
            rewrite_total[order] / max(float(rewrite_total.max()), 1e-9),
            group_rewrites[group],
            margin[group],
            margin[group] - margin.max(),
            np.full(n, margin.max()),
            group_best[group],
            top3[group],
            np.full(n, fit.max()),
            fit[order] - group_best[group],
            heads[group],
            modifiers[group],
            neighbour_groups[group],
            neighbour_occupations[order],
            topics[group],
        ]
        if meaning is not None:
            columns += self._meaning_columns(meaning, order, group)
        features = np.empty((n, len(columns)))
        for j, column in enumerate(columns):
            features[:, j] = column
        return order, features

    def _group_best(self, values: np.ndarray, groups: np.ndarray) -> np.ndarray:
        """Per group of ``groups``: its member with the largest ``values`` (-1 if empty)."""
        out = np.full(len(groups), -1, dtype=np.int64)
        for i, g in enumerate(groups.tolist()):
            members = self.group_order_[self.group_start_[g] : self.group_start_[g + 1]]
            if len(members):
                out[i] = members[int(np.argmax(values[members]))]
        return out

    def _meaning_columns(
        self, meaning: _Meaning, order: np.ndarray, group: np.ndarray
    ) -> list[np.ndarray]:
        """The ``SEMANTIC_FEATURES`` of the candidates ``order`` (in groups ``group``)."""

        def log_rank(values: np.ndarray) -> np.ndarray:
            rank = np.empty(len(values))
            rank[np.argsort(-values, kind="stable")] = np.arange(len(values))
            return np.log1p(rank)

        occupations, names, groups = meaning.occupations, meaning.names, meaning.groups
        # A group is as near as its nearest member.
        members = np.maximum.reduceat(occupations[self.group_order_], self.group_start_[:-1])
        group_label = self._per_occupation_max(
            np.where(self.link_named_, 0.0, names[self.link_string_])
        )
        # The names nearest by meaning vote for their groups and occupations.
        near = np.argpartition(-names, _NEIGHBOURS)[:_NEIGHBOURS]
        weight = np.exp(_SEMANTIC_SHARPNESS * (names[near] - names[near].max()))
        weight /= weight.sum()
        group_votes = np.bincount(self.string_group_[near], weights=weight, minlength=len(groups))
        n_owners = self.string_start_[near + 1] - self.string_start_[near]
        owners = self.string_links_[_ranges(self.string_start_[near], n_owners)]
        occupation_votes = np.bincount(
            owners, weights=np.repeat(weight, n_owners), minlength=len(occupations)
        )
        return [
            occupations[order],
            occupations[order] - occupations.max(),
            log_rank(occupations)[order],
            members[group],
            members[group] - members.max(),
            log_rank(members)[group],
            group_label[order],
            group_votes[group],
            occupation_votes[order],
            groups[group],
            log_rank(groups)[group],
            np.maximum(meaning.group_log, -50.0)[group],
            log_rank(meaning.group_log)[group],
        ]

    def _reranked(
        self, text: str, parts: _Parts, top: int, meaning: bool | None = None
    ) -> list[OccupationCandidate]:
        """The candidates in the reranker's order, ambiguity kept, scores on the match's scale.

        The spelling reranker orders the candidates when it is sure enough (its best probability
        at least ``semantic_below``); otherwise, with a semantic index, the text is compared by
        meaning too and the semantic reranker orders the candidates, those nearest by meaning
        among them. The second, third ... of one SSYK-4
        group are discounted by ``rerank_decay`` each so that an ambiguous title keeps its other
        readings. The text's own occupation name always comes first. Scores keep the scale of
        the name match: the first candidate gets the best hand-weighted score of all (1 for an
        exact name; garbage stays below ``min_score``), the others between half and all of it by
        the square root of their probability relative to the first's.
        """
        order, features = self._features(parts)
        if not len(order):
            return []
        can_mean = (
            self.semantic_reranker is not None
            and self.semantic is not None
            and meaning is not False
        )
        probability = None
        if self.reranker is not None and not (can_mean and meaning):
            probability = self.reranker.predict_proba(features)
        if can_mean and (probability is None or float(probability.max()) < self.semantic_below):
            order, features = self._features(parts, self._meaning(text))
            probability = self.semantic_reranker.predict_proba(features)
        if probability is None:
            raise NotFittedError("no reranker")
        # The second, third ... most probable candidate of one group is discounted once, twice
        # ... by ``rerank_decay``: ambiguous titles keep several groups near the top.
        ranked = np.argsort(-probability, kind="stable")
        group = self.occupation_group_[order[ranked]]
        by_group = np.argsort(group, kind="stable")
        earlier = np.empty(len(ranked))
        earlier[by_group] = _run_positions(group[by_group])
        adjusted = probability.copy()
        adjusted[ranked] *= self.rerank_decay**earlier
        exact = parts.fit[order] >= 1.0 - 1e-6  # float32 n-gram weights
        final = np.lexsort((self.tie_rank_[order], -adjusted, ~exact))[:top]
        confidence = float(parts.scores[order].max())
        relative = adjusted[final] / max(float(adjusted[final[0]]), 1e-12)
        scores = confidence * (0.5 + 0.5 * np.sqrt(np.clip(relative, 0.0, 1.0)))
        scores[exact[final]] = np.maximum(scores[exact[final]], confidence)
        scores = np.round(scores, 6)
        keep = scores >= self.min_score
        return self._candidates(parts, order[final][keep], scores[keep])

    def _vouch(self, scores: np.ndarray, fit: np.ndarray, posterior: np.ndarray) -> np.ndarray:
        """Let the likeliest groups vouch for their best-fitting members.

        An unseen title often fits no name of its own occupation better than names of other
        groups, while the group models know which group writes like it. In each of the
        ``vouch_groups`` likeliest groups the member whose names fit best (at least
        ``group_floor``) scores at least ``group_vouch`` times the group's standing, its
        posterior relative to the likeliest group's to the power ``vouch_power``.
        """
        eligible = np.where((fit >= self.group_floor) & ~self.shadowed_, fit, -1.0)
        ordered = eligible[self.group_order_]
        group_best = np.maximum.reduceat(ordered, self.group_start_[:-1])
        candidates = np.flatnonzero(group_best >= 0.0)
        if not len(candidates):
            return scores
        likely = posterior[candidates]
        keep = np.argsort(-likely, kind="stable")[: self.vouch_groups]
        # Sharp as the posterior is, a runner-up group keeps most of its standing.
        standing = (likely[keep] / max(float(likely[keep[0]]), 1e-300)) ** self.vouch_power
        scores = scores.copy()
        for group, floor in zip(candidates[keep].tolist(), standing.tolist(), strict=True):
            start, stop = self.group_start_[group], self.group_start_[group + 1]
            member = self.group_order_[start + int(np.argmax(ordered[start:stop]))]
            scores[member] = max(scores[member], self.group_vouch * floor)
        return scores

    def _per_occupation_sum(self, values: np.ndarray) -> np.ndarray:
        """Sum of per-link values for each occupation (0 without links), shape (n_occupations,)."""
        starts = self.link_start_[:-1]
        total = np.add.reduceat(np.append(values, 0.0), np.minimum(starts, len(values)))
        total[starts == self.link_start_[1:]] = 0.0
        return total

    def _per_occupation_max(self, values: np.ndarray) -> np.ndarray:
        """Max of per-link values for each occupation (0 without links), shape (n_occupations,)."""
        # Links are sorted by occupation, so a segmented reduce is one pass (np.maximum.at is
        # an order of magnitude slower).
        starts = self.link_start_[:-1]
        padded = np.append(np.maximum(values, 0.0), 0.0)
        best = np.maximum.reduceat(padded, np.minimum(starts, len(values)))
        best[starts == self.link_start_[1:]] = 0.0
        return best

    def _diversify(self, scores: np.ndarray, top: int) -> np.ndarray:
        """Discount the second, third ... candidate of one SSYK-4 group by ``group_decay``.

        Ambiguous titles stay ambiguous: the best candidate of a less likely group can pass the
        third-best of the likeliest one. Only the leading candidates are touched.
        """
        if self.group_decay >= 1.0:
            return scores
        pool = np.argsort(-scores, kind="stable")[: max(4 * top, 40)]
        seen: dict[int, int] = {}
        adjusted = scores.copy()
        for index in pool.tolist():
            if scores[index] <= 0.0:
                break
            group = int(self.occupation_group_[index])
            adjusted[index] = scores[index] * self.group_decay ** seen.get(group, 0)
            seen[group] = seen.get(group, 0) + 1
        return adjusted

    def suggest(self, text: str, top: int = 10) -> list[OccupationCandidate]:
        """Autocomplete: the occupations whose names the text a person is still typing begins.

        A name completes the text when every typed word begins a word of it ("unders" ->
        "Undersköterska", "lärare f" -> "Lärare i förskoleklass"; see
        :mod:`matching.completion`). A completed occupation scores ``0.5 * coverage + 0.2 *
        own + 0.3 * popularity``: how much of the name is typed, whether the name is the
        occupation's own label (or a part of it) rather than a job title, how common the
        occupation is (its group's 2024 ads, shared by its number of names); 1 when the text is
        the whole name. The spelling lookup (:meth:`lookup` without meaning) scores the same
        text, and each occupation's final score is the mean of the two, so that the lookup
        orders the completed names by how well they fit and adds what no name begins with
        ("kock" -> Grillkock). When no name completes the text (a typo, an inflection, a wish
        in plain words) this is :meth:`lookup`, meaning included.

        On names typed one character at a time, the right occupation is listed higher
        earlier than by :meth:`lookup` (``bench/autocomplete.py``).

        Parameters
        ----------
        text : str
            What has been typed so far.
        top : int >= 1, default=10
            Most candidates to return.

        Returns
        -------
        list of OccupationCandidate
            At most ``top``, best first, scores in [0, 1]; ``matched_term`` is the name
            completed (or the lookup's best name). Empty for text with fewer than two letters
            or digits.
        """
        check_is_fitted(self)
        if top < 1:
            raise ValueError("top must be at least 1")
        if len(normalize(text).replace(" ", "")) < 2:
            return []
        best = self._completed(text)
        with _one_blas_thread():
            # A stub of a word has no meaning to compare; finished text may well have one.
            looked = self._lookup(text, max(3 * top, 10), False if best else None)
        if not best:
            return looked[:top]
        # Completions and the spelling lookup vote together: the lookup knows which of the
        # completed names fit best, and offers the inflections and compounds no name begins
        # with ("kock" -> Grillkock).
        completed = {
            self.occupation_ids_[o]: (score, self.originals_[name])
            for o, (score, name) in best.items()
        }
        spelled = {c.occupation_id: c for c in looked}
        ranked = []
        for occupation_id in completed.keys() | spelled.keys():
            completion, name = completed.get(occupation_id, (0.0, ""))
            found = spelled.get(occupation_id)
            score = round((completion + (found.score if found else 0.0)) / 2.0, 6)
            ranked.append((score, occupation_id, name or found.matched_term))
        index = self.occupation_index_
        ranked.sort(key=lambda r: (-r[0], self.tie_rank_[index[r[1]]]))
        occupations = self.vocabulary_.occupations
        result = []
        for score, occupation_id, name in ranked[:top]:
            occupation = occupations[occupation_id]
            result.append(
                OccupationCandidate(
                    occupation_id=occupation_id,
                    label=occupation.label,
                    ssyk4_code=occupation.ssyk4_code,
                    score=score,
                    matched_term=name,
                )
            )
        return result

    def _completed(self, text: str) -> dict[int, tuple[float, int]]:
        """Per occupation that a name completing ``text`` names: its completion score and the
        name (index into ``originals_``)."""
        completions = self._name_completer().complete(text, skip=_STOPWORDS)
        canonical, popularity = self._completion_weights()
        group_link = _KIND_WEIGHT["group"]
        best: dict[int, tuple[float, int]] = {}
        for completion in completions:
            start, stop = self.string_start_[completion.name : completion.name + 2]
            for link in self.string_link_order_[start:stop].tolist():
                occupation = int(self.link_occupation_[link])
                # A group's name completes no one of its members; older ids are never shown.
                if self.link_weight_[link] <= group_link or self.shadowed_[occupation]:
                    continue
                if completion.whole:
                    score = 1.0
                else:
                    own = float(occupation in canonical.get(completion.name, ()))
                    score = (
                        _COMPLETE_WEIGHTS[0] * completion.coverage
                        + _COMPLETE_WEIGHTS[1] * own
                        + _COMPLETE_WEIGHTS[2] * popularity[occupation]
                    )
                    score = min(score, _PARTIAL_MAX)
                if score > best.get(occupation, (-1.0, 0))[0]:
                    best[occupation] = (score, completion.name)
        return best

    def _name_completer(self) -> NameCompleter:
        """The completion index of the names, built on first use (about 0.1 s)."""
        completer = getattr(self, "_completer", None)
        if completer is None:
            completer = self._completer = NameCompleter(self.originals_)
        return completer

    def _completion_weights(self) -> tuple[dict[int, frozenset[int]], np.ndarray]:
        """Per name, the occupations it is the label, a part or the head of; per occupation,
        how common it is: its group's 2024 ads shared among the group's occupations by their
        number of names, on a log scale in [0, 1]."""
        weights = getattr(self, "_completion", None)
        if weights is None:
            occupations = self.vocabulary_.occupations
            owners: dict[int, set[int]] = defaultdict(set)
            for index, occupation_id in enumerate(self.occupation_ids_):
                label = occupations[occupation_id].label
                for name in [label, *(part for part, _ in _label_parts(label))]:
                    string = self.string_index_.get(normalize(name))
                    if string is not None:
                        owners[string].add(index)
            canonical = {string: frozenset(found) for string, found in owners.items()}
            names = self.n_names_
            group_names = np.bincount(self.occupation_group_, weights=names)
            share = self.ads_ * names / np.maximum(group_names[self.occupation_group_], 1.0)
            popularity = np.log1p(share) / np.log1p(max(float(share.max()), 1.0))
            weights = self._completion = (canonical, popularity)
        return weights

    def lookup_many(self, texts: Iterable[str], top: int = 10) -> list[list[OccupationCandidate]]:
        """:meth:`lookup` for each text, in order."""
        return [self.lookup(text, top) for text in texts]

    def neighbours(self, occupation_id: str) -> tuple[OccupationNeighbour, ...]:
        """:meth:`OccupationVocabulary.neighbours` of the fitted vocabulary."""
        check_is_fitted(self)
        return self.vocabulary_.neighbours(occupation_id)
