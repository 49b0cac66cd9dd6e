"""Preference-first ranking of openings, practice slots and employers for one participant.

The :class:`Matcher` is a scikit-learn style estimator: ``fit`` turns a catalogue of
:class:`~matching.types.Offer` into arrays and inverted indexes, ``rank`` scores one
:class:`~matching.types.Preferences` against them.

How a suggestion is scored
--------------------------
1. *Occupation fit* decides which offers are candidates at all (the person's preferences come
   first): an occupation the person chose scores 1.0; the occupations their own words resolve to
   score by the vocabulary's confidence relative to the best candidate; near occupations
   (substitutes) score ``near_factor`` times that; other occupations of the same SSYK-4 group
   ``group_factor`` times.
   A person with no wish at all gets every offer as a candidate (zero exclusion), ranked by the
   other components.
2. *Hard constraints* remove candidates and are counted per list and reason: closed, deadline
   passed, declined before, a refusal matching a condition (schedules imply night/evening/weekend
   tags), a required licence the person lacks, straight-line commute beyond the limit, slot full,
   slot period over before the person can start.
3. *Soft components* in [0, 1] (:data:`~matching.types.COMPONENTS`) are combined by a weighted mean
   with weights per list; subsidised openings lose ``subsidised_penalty`` so competitive work comes
   first. Ties break on ``offer_id``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process, utils
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from matching.geo import haversine_km_many
from matching.types import (
    COMPONENTS,
    EmploymentForm,
    Exclusion,
    ExclusionReason,
    OccupationCandidate,
    OccupationResolver,
    Offer,
    Preferences,
    RankingResult,
    Schedule,
    ScoredSuggestion,
    SuggestionKind,
    condition_label,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "Matcher",
    "NotFittedError",
    "OccupationWeight",
    "check_is_fitted",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Component weights per list. A list's weights are normalised to sum to 1.
DEFAULT_WEIGHTS: Mapping[SuggestionKind, Mapping[str, float]] = MappingProxyType(
    {
        SuggestionKind.OPENING: MappingProxyType(
            {
                "occupation": 0.45,
                "hours": 0.10,
                "schedule": 0.08,
                "commute": 0.17,
                "requirements": 0.10,
                "freshness": 0.05,
                "relationship": 0.03,
                "demand": 0.02,
            }
        ),
        SuggestionKind.PRACTICE: MappingProxyType(
            {
                "occupation": 0.45,
                "hours": 0.08,
                "schedule": 0.08,
                "commute": 0.17,
                "requirements": 0.07,
                "freshness": 0.07,
                "relationship": 0.08,
                "demand": 0.00,
            }
        ),
        SuggestionKind.EMPLOYER: MappingProxyType(
            {
                "occupation": 0.40,
                "hours": 0.00,
                "schedule": 0.00,
                "commute": 0.15,
                "requirements": 0.05,
                "freshness": 0.00,
                "relationship": 0.25,
                "demand": 0.15,
            }
        ),
    }
)

_KINDS: tuple[SuggestionKind, ...] = (
    SuggestionKind.OPENING,
    SuggestionKind.PRACTICE,
    SuggestionKind.EMPLOYER,
)
_KIND_CODE = {k: i for i, k in enumerate(_KINDS)}
_SCHED_BIT = {Schedule.DAY: 1, Schedule.EVENING: 2, Schedule.NIGHT: 4, Schedule.WEEKEND: 8}
_POPCOUNT4 = np.array([bin(i).count("1") for i in range(16)], dtype=np.float64)
_NO_DATE = np.iinfo(np.int64).max
_NO_DATE_MIN = np.iinfo(np.int64).min

#: A licence class also covers these (Swedish rules: C needs B, BE covers B, ...).
_LICENCE_COVERS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "A": frozenset({"A", "A1", "A2", "AM"}),
        "A2": frozenset({"A2", "A1", "AM"}),
        "A1": frozenset({"A1", "AM"}),
        "B": frozenset({"B", "AM"}),
        "BE": frozenset({"BE", "B", "AM"}),
        "C1": frozenset({"C1", "B", "AM"}),
        "C1E": frozenset({"C1E", "C1", "BE", "B", "AM"}),
        "C": frozenset({"C", "C1", "B", "AM"}),
        "CE": frozenset({"CE", "C", "C1E", "C1", "BE", "B", "AM"}),
        "D1": frozenset({"D1", "B", "AM"}),
        "D1E": frozenset({"D1E", "D1", "BE", "B", "AM"}),
        "D": frozenset({"D", "D1", "B", "AM"}),
        "DE": frozenset({"DE", "D", "D1E", "D1", "BE", "B", "AM"}),
    }
)

_SCHEDULE_SV = {
    Schedule.DAY: "dagtid",
    Schedule.EVENING: "kväll",
    Schedule.NIGHT: "natt",
    Schedule.WEEKEND: "helg",
}
_SCHEDULE_EN = {
    Schedule.DAY: "daytime",
    Schedule.EVENING: "evenings",
    Schedule.NIGHT: "nights",
    Schedule.WEEKEND: "weekends",
}
_SCHEDULE_ORDER = (Schedule.DAY, Schedule.EVENING, Schedule.NIGHT, Schedule.WEEKEND)

#: Hours per week counted as full time.
FULL_TIME_HOURS = 40.0


@dataclass(frozen=True, slots=True)
class OccupationWeight:
    """How much one occupation fits a participant, and why.

    Parameters
    ----------
    weight : float
        In (0, 1].
    label : str
        Occupation label to show.
    relation : {"wished", "near", "group", "title"}
        Chosen/resolved from own words; a near occupation; same SSYK-4 group; title text match.
    wish : str or None
        The person's own words it came from, if any.
    ssyk4_code : str or None
        SSYK-4 group of the occupation, when known.
    """

    weight: float
    label: str
    relation: str
    wish: str | None
    ssyk4_code: str | None = None


class Matcher(BaseEstimator):  # type: ignore[misc]
    """Rank offers for a participant, preference first, with reasons.

    Parameters
    ----------
    top_k : int, default 10
        Length of each ranked list (>= 1).
    weights : mapping, optional
        ``{kind: {component: weight}}`` overriding :data:`DEFAULT_WEIGHTS` per list.
    near_factor : float, default 0.6
        Occupation score of a near occupation relative to the wish it is near to, times the
        vocabulary's neighbour weight.
    group_factor : float, default 0.4
        Occupation score of another occupation in the same SSYK-4 group.
    lookup_top : int, default 15
        Candidates taken from the vocabulary per wish text.
    min_candidate_score : float, default 0.3
        Resolved candidates whose relative score is below this are ignored.
    subsidised_penalty : float, default 0.05
        Subtracted from a subsidised opening's total so competitive work ranks first at equal fit.
    title_match_threshold : float, default 90
        rapidfuzz ``QRatio`` (0-100; ``WRatio`` for offers without occupation ids) from which
        a wish text matches an offer's title as the employer wrote it; such an offer gets
        occupation fit ``title_factor * ratio / 100`` if that is more than its occupations give
        (catches titles the vocabulary does not know, and offers without occupation ids).
    title_factor : float, default 1.0
        In [0, 1]; 0 turns title matching off.
    sharpness : float, default 2.0
        Exponent (> 0) on a resolved candidate's score relative to the best one: higher trusts
        the vocabulary's first choice more.
    consensus : float, default 0.5
        In [0, 1]: share of a resolved candidate's weight that depends on how much of the
        candidates' score lies in its SSYK-4 group.
    chosen_first : float, default 0.5
        In [0, 1]: when the participant has chosen occupations, a candidate resolved from their
        own words outside the SSYK-4 groups of those choices counts this much (the choices made
        with the coach say more than a loose look-alike of the words; 1 turns this off). A
        wish of one thing (no "och", "eller", comma ...) one of whose readings was chosen keeps
        only its readings in the chosen groups.

    Attributes
    ----------
    offers_ : tuple of Offer
        The catalogue sorted by ``offer_id`` (index order is the tie-break order).
    n_offers_ : int
    vocabulary_ : OccupationResolver or None
    """

    def __init__(
        self,
        *,
        top_k: int = 10,
        weights: Mapping[SuggestionKind, Mapping[str, float]] | None = None,
        near_factor: float = 0.6,
        group_factor: float = 0.4,
        lookup_top: int = 15,
        min_candidate_score: float = 0.3,
        subsidised_penalty: float = 0.05,
        title_match_threshold: float = 90.0,
        title_factor: float = 1.0,
        sharpness: float = 2.0,
        consensus: float = 0.5,
        chosen_first: float = 0.5,
    ) -> None:
        self.top_k = top_k
        self.weights = weights
        self.near_factor = near_factor
        self.group_factor = group_factor
        self.lookup_top = lookup_top
        self.min_candidate_score = min_candidate_score
        self.subsidised_penalty = subsidised_penalty
        self.title_match_threshold = title_match_threshold
        self.title_factor = title_factor
        self.sharpness = sharpness
        self.consensus = consensus
        self.chosen_first = chosen_first

    # ------------------------------------------------------------------ fit
    def fit(self, offers: Iterable[Offer], vocabulary: OccupationResolver | None = None) -> Matcher:
        """Index a catalogue of offers.

        Parameters
        ----------
        offers : iterable of Offer
            Openings, practice slots and employers; ``offer_id`` must be unique.
        vocabulary : OccupationResolver, optional
            Resolves wish texts and near occupations. Without it, wish texts match offer titles.

        Returns
        -------
        Matcher
            self.

        Raises
        ------
        ValueError
            On duplicate ``offer_id`` or invalid parameters.
        """
        if self.top_k < 1:
            raise ValueError("top_k must be >= 1")
        if self.sharpness <= 0:
            raise ValueError("sharpness must be > 0")
        for name in ("near_factor", "group_factor", "min_candidate_score", "consensus"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1]")
        items = sorted(offers, key=lambda o: o.offer_id)
        ids = [o.offer_id for o in items]
        if len(set(ids)) != len(ids):
            dup = next(i for i, c in Counter(ids).items() if c > 1)
            raise ValueError(f"duplicate offer_id {dup!r}")
        n = len(items)
        weights = {k: dict(DEFAULT_WEIGHTS[k]) for k in _KINDS}
        for k, w in (self.weights or {}).items():
            unknown = set(w) - set(COMPONENTS)
            if unknown:
                raise ValueError(f"unknown components {sorted(unknown)}")
            weights[SuggestionKind(k)].update(w)
        wmat = np.zeros((len(_KINDS), len(COMPONENTS)))
        for k in _KINDS:
            row = np.array([max(0.0, float(weights[k].get(c, 0.0))) for c in COMPONENTS])
            if row.sum() <= 0:
                raise ValueError(f"weights of {k} sum to 0")
            wmat[_KIND_CODE[k]] = row / row.sum()

        self.offers_: tuple[Offer, ...] = tuple(items)
        self.n_offers_ = n
        self.vocabulary_ = vocabulary
        self.weight_matrix_ = wmat
        self.kind_ = np.fromiter((_KIND_CODE[o.kind] for o in items), np.int8, n)
        self.lat_ = np.array([o.place.lat if o.place else np.nan for o in items], dtype=float)
        self.lon_ = np.array([o.place.lon if o.place else np.nan for o in items], dtype=float)
        self.hours_ = np.array(
            [np.nan if o.hours_per_week is None else o.hours_per_week for o in items], dtype=float
        )
        self.sched_ = np.fromiter(
            (sum(_SCHED_BIT[s] for s in o.schedules) for o in items), np.int64, n
        )
        self.open_ = np.fromiter((o.is_open for o in items), np.bool_, n)
        self.deadline_ = np.fromiter(
            (o.deadline.toordinal() if o.deadline else _NO_DATE for o in items), np.int64, n
        )
        self.period_start_ = np.fromiter(
            (o.period_start.toordinal() if o.period_start else _NO_DATE_MIN for o in items),
            np.int64,
            n,
        )
        self.period_end_ = np.fromiter(
            (o.period_end.toordinal() if o.period_end else _NO_DATE for o in items), np.int64, n
        )
        self.free_ = np.fromiter(
            (-1 if o.free_capacity is None else o.free_capacity for o in items), np.int64, n
        )
        self.warmth_ = np.clip(
            np.fromiter((o.relationship_warmth for o in items), np.float64, n), 0.0, 1.0
        )
        demand = np.fromiter((o.demand_2024 or 0 for o in items), np.float64, n)
        top_demand = float(demand.max()) if n else 0.0
        self.demand_ = np.log1p(demand) / np.log1p(top_demand) if top_demand > 0 else demand * 0
        self.has_demand_ = np.fromiter((o.demand_2024 is not None for o in items), np.bool_, n)
        self.physical_ = np.fromiter(
            (int(o.physical_demand) if o.physical_demand else 0 for o in items), np.int64, n
        )
        self.subsidised_ = np.fromiter(
            (o.employment_form is EmploymentForm.SUBSIDISED for o in items), np.bool_, n
        )
        self.has_languages_ = np.fromiter((bool(o.required_languages) for o in items), np.bool_, n)

        # Inverted indexes: occupation / SSYK-4 / condition tag / licence -> sorted offer indices.
        occ: dict[str, list[int]] = {}
        grp: dict[str, list[int]] = {}
        cond: dict[str, list[int]] = {}
        lic: dict[str, list[int]] = {}
        occ_group: dict[str, str] = {}
        title_code: dict[str, int] = {}
        for i, o in enumerate(items):
            for oc in o.occupation_ids:
                occ.setdefault(oc, []).append(i)
            for g in o.ssyk4_codes:
                grp.setdefault(g, []).append(i)
            if len(o.occupation_ids) == len(o.ssyk4_codes):
                for oc, g in zip(o.occupation_ids, o.ssyk4_codes, strict=True):
                    occ_group.setdefault(oc, g)
            for t in o.all_conditions:
                cond.setdefault(t, []).append(i)
            for li in o.required_licences:
                lic.setdefault(li, []).append(i)

        def arrays(d: dict[str, list[int]]) -> dict[str, IntArray]:
            return {k: np.asarray(v, dtype=np.int64) for k, v in d.items()}

        self.occupation_index_ = arrays(occ)
        self.group_index_ = arrays(grp)

        def masks(d: dict[str, list[int]]) -> dict[str, BoolArray]:
            out = {}
            for key, idx in d.items():
                m = np.zeros(n, dtype=np.bool_)
                m[idx] = True
                out[key] = m
            return out

        self.condition_mask_ = masks(cond)
        self.licence_mask_ = masks(lic)
        self.occupation_group_ = occ_group
        # Titles as employers write them: matched against the person's own words as well.
        for t in sorted({o.title for o in items}):
            title_code[t] = len(title_code)
        self.titles_ = list(title_code)
        self.processed_titles_ = [utils.default_process(t) for t in self.titles_]
        self.title_of_ = np.fromiter((title_code[o.title] for o in items), np.int64, n)
        # Offers with no occupation: their title is all we have, so it is matched generously.
        self.untagged_titles_ = np.asarray(
            sorted({title_code[o.title] for o in items if not o.occupation_ids}), dtype=np.int64
        )
        return self

    # ----------------------------------------------------------------- rank
    def occupation_weights(self, preferences: Preferences) -> dict[str, OccupationWeight]:
        """Occupations that fit a participant, with their weight and origin.

        Parameters
        ----------
        preferences : Preferences

        Returns
        -------
        dict
            occupation id -> :class:`OccupationWeight`; the best weight per occupation is kept.
        """
        check_is_fitted(self)
        out: dict[str, OccupationWeight] = {}

        def put(oc: str, w: OccupationWeight) -> None:
            old = out.get(oc)
            if old is None or w.weight > old.weight:
                out[oc] = w

        voc = self.vocabulary_
        chosen_groups: set[str] = set()
        for oc in preferences.occupation_ids:
            label, g = self._describe(oc)
            put(oc, OccupationWeight(1.0, label, "wished", None, g))
            if g:
                chosen_groups.add(g)
        if voc is not None:
            for text in preferences.wished_texts:
                if not text.strip():
                    continue
                # A wish is the participant's own words ("hjälpa äldre"): weigh its meaning.
                cands = list(voc.lookup(text, top=self.lookup_top, meaning=True))
                if not cands:
                    continue
                # A wish of one thing has one meaning: once the occupation it names was chosen
                # with the coach ("baka" -> Bagare/Konditor, "laga mat" -> Kock), its other
                # readings are look-alikes of the spelling (Bakteriolog, Lagerarbetare) and count
                # for nothing. A wish that joins several ("djur och restaurang", "butik, typ
                # sport eller kläder") keeps its other readings, discounted.
                settled = _one_wish(text) and any(
                    c.occupation_id in preferences.occupation_ids for c in cands
                )
                for c, rel in zip(cands, self._candidate_weights(cands), strict=True):
                    if rel < self.min_candidate_score:
                        continue
                    g = c.ssyk4_code or self.occupation_group_.get(c.occupation_id)
                    if chosen_groups and g not in chosen_groups:
                        if settled:
                            continue
                        rel *= self.chosen_first
                    put(c.occupation_id, OccupationWeight(rel, c.label, "wished", text, g))
            if self.near_factor > 0:
                for oc, w in list(out.items()):
                    for nb in voc.neighbours(oc):
                        nw = w.weight * self.near_factor * float(nb.weight)
                        if nw > 0:
                            put(
                                nb.occupation_id,
                                OccupationWeight(nw, nb.label, "near", w.wish, nb.ssyk4_code),
                            )
        return out

    def _candidate_weights(self, cands: Sequence[OccupationCandidate]) -> list[float]:
        """Occupation weight of each resolved candidate of one wish text, in [0, 1].

        Relative to the best candidate (a best below 0.5 caps every weight below 1), raised to
        ``sharpness``, and scaled by how much of the candidates' total score falls in the
        candidate's SSYK-4 group (``consensus``): a lone look-alike among many candidates of
        one trade ("Stadssekreterare" for "städ") counts less.
        """
        scores = [max(0.0, float(c.score)) for c in cands]
        best = max(scores)
        floor = max(best, 0.5)
        rel = [min(1.0, x / floor) ** self.sharpness for x in scores]
        if self.consensus <= 0:
            return rel
        share: dict[str, float] = {}
        for c, x in zip(cands, scores, strict=True):
            share[c.ssyk4_code] = share.get(c.ssyk4_code, 0.0) + x
        top = max(share.values()) or 1.0
        return [
            r * ((1.0 - self.consensus) + self.consensus * share[c.ssyk4_code] / top)
            for c, r in zip(cands, rel, strict=True)
        ]

    def _describe(self, occupation_id: str) -> tuple[str, str | None]:
        """Label and SSYK-4 code of an occupation id, from the vocabulary if it can tell."""
        voc = self.vocabulary_
        store = getattr(voc, "vocabulary_", voc)
        finder = getattr(store, "find", None) if store is not None else None
        if callable(finder):
            found = finder(occupation_id)
            label = getattr(found, "label", None)
            if isinstance(label, str) and label:
                code = getattr(found, "ssyk4_code", None)
                return label, code if isinstance(code, str) else None
        group = self.occupation_group_.get(occupation_id)
        idx = self.occupation_index_.get(occupation_id)
        if idx is not None and len(idx):
            return self.offers_[int(idx[0])].title, group
        return occupation_id, group

    def _occupation_scores(
        self, preferences: Preferences, occ_w: Mapping[str, OccupationWeight]
    ) -> tuple[FloatArray, dict[str, float]]:
        """Occupation component for every offer (0 = no fit), and the title-match weights."""
        score = np.zeros(self.n_offers_, dtype=np.float64)
        groups: dict[str, float] = {}
        for oc, w in occ_w.items():
            idx = self.occupation_index_.get(oc)
            if idx is not None:
                np.maximum.at(score, idx, w.weight)
            g = w.ssyk4_code
            if g and w.relation == "wished":
                groups[g] = max(groups.get(g, 0.0), w.weight * self.group_factor)
        for g, gw in groups.items():
            idx = self.group_index_.get(g)
            if idx is not None and gw > 0:
                np.maximum.at(score, idx, gw)
        title_w: dict[str, float] = {}
        texts = [t for t in preferences.wished_texts if t.strip()]
        if self.titles_ and texts and self.title_factor > 0:
            queries = [utils.default_process(t) for t in texts]
            # QRatio (whole strings) for every title; WRatio (also partial and token matches,
            # five times slower) only for titles of offers without occupation ids.
            sims = process.cdist(
                queries,
                self.processed_titles_,
                scorer=fuzz.QRatio,
                score_cutoff=self.title_match_threshold,
                dtype=np.float64,
                workers=1,
            ).max(axis=0)
            if len(self.untagged_titles_):
                loose = process.cdist(
                    queries,
                    [self.processed_titles_[j] for j in self.untagged_titles_.tolist()],
                    scorer=fuzz.WRatio,
                    score_cutoff=self.title_match_threshold,
                    dtype=np.float64,
                    workers=1,
                ).max(axis=0)
                sims[self.untagged_titles_] = np.maximum(sims[self.untagged_titles_], loose)
            best = sims * (self.title_factor / 100.0)
            hit = np.flatnonzero(best > 0)
            title_w = {self.titles_[j]: float(best[j]) for j in hit.tolist()}
            if len(hit):
                np.maximum(score, best[self.title_of_], out=score)
        return score, title_w

    def rank(
        self,
        preferences: Preferences,
        *,
        top_k: int | None = None,
        include_practice: bool | None = None,
        today: date | None = None,
    ) -> RankingResult:
        """Rank the catalogue for one participant.

        Parameters
        ----------
        preferences : Preferences
        top_k : int, optional
            List length; defaults to the matcher's ``top_k``.
        include_practice : bool, optional
            Rank practice slots; defaults to ``preferences.wants_practice`` (a coach may ask).
        today : date, optional
            Reference day for deadlines and periods; defaults to ``date.today()``. Pass it for
            reproducible results.

        Returns
        -------
        RankingResult
            Up to ``top_k`` suggestions per list, scores in [0, 1], plus hard-constraint counts.
        """
        check_is_fitted(self)
        k = self.top_k if top_k is None else top_k
        if k < 1:
            raise ValueError("top_k must be >= 1")
        practice = preferences.wants_practice if include_practice is None else include_practice
        today = today or date.today()
        occ_w = self.occupation_weights(preferences)
        occ_score, title_w = self._occupation_scores(preferences, occ_w)
        has_wish = bool(occ_w or title_w or preferences.wished_texts or preferences.occupation_ids)
        if has_wish:
            cand = np.flatnonzero(occ_score > 0)
        else:
            cand = np.arange(self.n_offers_)
        if not practice:
            cand = cand[self.kind_[cand] != _KIND_CODE[SuggestionKind.PRACTICE]]

        cand, dist, excluded = self._apply_constraints(preferences, cand, today)
        comps = self._components(preferences, cand, occ_score, dist, today, has_wish)
        total = np.einsum("ij,ij->i", comps, self.weight_matrix_[self.kind_[cand]])
        total = total - self.subsidised_penalty * self.subsidised_[cand]
        total = np.clip(total, 0.0, 1.0)

        lists: dict[SuggestionKind, tuple[ScoredSuggestion, ...]] = {}
        for kind in _KINDS:
            sel = np.flatnonzero(self.kind_[cand] == _KIND_CODE[kind])
            top = _top_indices(total[sel], cand[sel], k)
            rows = sel[top]
            lists[kind] = tuple(
                self._suggestion(
                    preferences,
                    int(cand[r]),
                    float(total[r]),
                    comps[r],
                    None if np.isnan(dist[r]) else float(dist[r]),
                    rank + 1,
                    occ_w,
                    title_w,
                    today,
                )
                for rank, r in enumerate(rows)
            )
        return RankingResult(
            participant_id=preferences.participant_id,
            openings=lists[SuggestionKind.OPENING],
            practice=lists[SuggestionKind.PRACTICE],
            employers=lists[SuggestionKind.EMPLOYER],
            exclusions=excluded,
            practice_included=practice,
        )

    def _apply_constraints(
        self, p: Preferences, cand: IntArray, today: date
    ) -> tuple[IntArray, FloatArray, tuple[Exclusion, ...]]:
        """Remove candidates that break a hard constraint; count each once, first reason wins."""
        n = len(cand)
        reason = np.full(n, -1, dtype=np.int64)  # index into `labels`
        labels: list[tuple[ExclusionReason, str | None]] = []

        def mark(mask: BoolArray, why: ExclusionReason, detail: str | None = None) -> None:
            hit = mask & (reason < 0)
            if hit.any():
                labels.append((why, detail))
                reason[hit] = len(labels) - 1

        def member(masks: Mapping[str, BoolArray], key: str) -> BoolArray:
            m = masks.get(key)
            return np.zeros(n, dtype=np.bool_) if m is None else m[cand]

        t = today.toordinal()
        mark(~self.open_[cand], ExclusionReason.CLOSED)
        mark(self.deadline_[cand] < t, ExclusionReason.DEADLINE_PASSED)
        if p.declined_offer_ids:
            declined = np.fromiter(
                (self.offers_[int(i)].offer_id in p.declined_offer_ids for i in cand),
                np.bool_,
                n,
            )
            mark(declined, ExclusionReason.DECLINED)
        for tag in sorted(p.refusals):
            mark(member(self.condition_mask_, tag), ExclusionReason.REFUSAL, tag)
        held: set[str] = set()
        for li in p.driving_licences:
            held |= _LICENCE_COVERS.get(li, frozenset({li}))
        for li in sorted(set(self.licence_mask_) - held):
            mark(member(self.licence_mask_, li), ExclusionReason.LICENCE, li)
        dist = np.full(n, np.nan)
        if p.home is not None:
            dist = haversine_km_many(p.home.lat, p.home.lon, self.lat_[cand], self.lon_[cand])
            with np.errstate(invalid="ignore"):
                mark(dist > p.effective_commute_limit_km(), ExclusionReason.COMMUTE)
        slot = self.kind_[cand] == _KIND_CODE[SuggestionKind.PRACTICE]
        mark(self.free_[cand] == 0, ExclusionReason.FULL)
        start = max(t, p.available_from.toordinal()) if p.available_from else t
        mark(slot & (self.period_end_[cand] < start), ExclusionReason.OUTSIDE_PERIOD)

        bad = reason >= 0
        width = max(len(labels), 1)
        code = self.kind_[cand[bad]].astype(np.int64) * width + reason[bad]
        binned = np.bincount(code, minlength=len(_KINDS) * width)
        counts = {(int(c) // width, int(c) % width): int(binned[c]) for c in np.flatnonzero(binned)}
        order = list(ExclusionReason)
        excl = sorted(
            (
                Exclusion(_KINDS[kc], labels[rc][0], labels[rc][1], c)
                for (kc, rc), c in counts.items()
            ),
            key=lambda e: (_KIND_CODE[e.kind], -e.count, order.index(e.reason), e.detail or ""),
        )
        keep = reason < 0
        return cand[keep], dist[keep], tuple(excl)

    def _components(
        self,
        p: Preferences,
        cand: IntArray,
        occ_score: FloatArray,
        dist: FloatArray,
        today: date,
        has_wish: bool,
    ) -> FloatArray:
        """Component matrix of shape (len(cand), len(COMPONENTS)), values in [0, 1]."""
        n = len(cand)
        out = np.empty((n, len(COMPONENTS)))
        col = {c: i for i, c in enumerate(COMPONENTS)}
        out[:, col["occupation"]] = occ_score[cand] if has_wish else 0.0

        # Hours: 1 inside the wished range, falling 1/20 per hour outside; unknown hours 0.6.
        h = self.hours_[cand]
        lo = -np.inf if p.hours_min is None else p.hours_min
        hi = np.inf if p.hours_max is None else p.hours_max
        gap = np.maximum(lo - h, 0.0) + np.maximum(h - hi, 0.0)
        with np.errstate(invalid="ignore"):
            hours = np.clip(1.0 - gap / 20.0, 0.0, 1.0)
        hours = np.where(np.isnan(h), 0.6, hours)
        if p.hours_min is None and p.hours_max is None:
            hours = np.ones(n)
        out[:, col["hours"]] = hours

        # Schedule: share of the offer's schedules the person accepts (no schedule = day work).
        s = self.sched_[cand]
        if p.schedules:
            acc = sum(_SCHED_BIT[x] for x in p.schedules)
            s_eff = np.where(s == 0, _SCHED_BIT[Schedule.DAY], s)
            out[:, col["schedule"]] = _POPCOUNT4[s_eff & acc] / _POPCOUNT4[s_eff]
        else:
            out[:, col["schedule"]] = 1.0

        # Commute: 1 at the door, 0.1 at the limit; unknown 0.5.
        if p.home is not None:
            limit = p.effective_commute_limit_km()
            commute = 1.0 - 0.9 * np.clip(dist / limit, 0.0, 1.0) if limit > 0 else dist * 0
            out[:, col["commute"]] = np.where(np.isnan(dist), 0.5, commute)
        else:
            out[:, col["commute"]] = 0.5

        # Requirements: languages (share of levels met) times physical demand fit.
        req = np.ones(n)
        if p.max_physical_demand is not None:
            over = np.maximum(self.physical_[cand] - int(p.max_physical_demand), 0)
            req = req * np.clip(1.0 - 0.5 * over, 0.0, 1.0)
        lang_rows = np.flatnonzero(self.has_languages_[cand])
        if len(lang_rows):
            levels = {ls.name.casefold(): ls.level for ls in p.languages}
            for r in lang_rows:
                needs = self.offers_[int(cand[r])].required_languages
                met = [min(1.0, levels.get(x.name.casefold(), 0) / max(x.level, 1)) for x in needs]
                req[r] *= sum(met) / len(met)
        out[:, col["requirements"]] = req

        # Freshness: known open deadline 1.0, unknown 0.8; slots starting later score lower.
        t = today.toordinal()
        fresh = np.where(self.deadline_[cand] == _NO_DATE, 0.8, 1.0)
        ps = self.period_start_[cand]
        wait = np.where(ps == _NO_DATE_MIN, 0, np.maximum(ps - t, 0)).astype(np.float64)
        fresh = np.where(
            self.kind_[cand] == _KIND_CODE[SuggestionKind.PRACTICE],
            1.0 - 0.5 * np.clip(wait / 90.0, 0.0, 1.0),
            fresh,
        )
        out[:, col["freshness"]] = fresh
        out[:, col["relationship"]] = self.warmth_[cand]
        out[:, col["demand"]] = np.where(self.has_demand_[cand], self.demand_[cand], 0.0)
        return out

    # -------------------------------------------------------------- reasons
    def _suggestion(
        self,
        p: Preferences,
        i: int,
        total: float,
        comps: FloatArray,
        dist: float | None,
        rank: int,
        occ_w: Mapping[str, OccupationWeight],
        title_w: Mapping[str, float],
        today: date,
    ) -> ScoredSuggestion:
        o = self.offers_[i]
        sv: list[str] = []
        en: list[str] = []
        matched = _best_match(o, occ_w)
        label: str | None = None
        if matched is not None:
            label = matched.label
            wish = _wish_sv(matched.wish) if matched.wish else "Ditt valda yrke"
            wish_en = f'Your wish "{matched.wish}"' if matched.wish else "Your chosen occupation"
            if matched.relation == "wished":
                sv.append(f"{wish}: {matched.label}")
                en.append(f"{wish_en}: {matched.label}")
            elif matched.relation == "near":
                sv.append(f"Närliggande yrke till det du önskar: {matched.label}")
                en.append(f"An occupation close to your wish: {matched.label}")
            else:
                sv.append(f"Samma yrkesgrupp som det du önskar ({matched.label})")
                en.append(f"Same occupational group as your wish ({matched.label})")
        if o.title in title_w and (matched is None or title_w[o.title] > matched.weight):
            sv.clear()
            en.clear()
            label = o.title
            sv.append(f"Titeln liknar din önskan: {o.title}")
            en.append(f"The title resembles your wish: {o.title}")
        if dist is not None:
            km = f"{dist:.0f}" if dist >= 1 else "<1"
            sv.append(f"{km} km fågelväg")
            en.append(f"{km} km in a straight line")
        if o.hours_per_week is not None and o.kind is not SuggestionKind.EMPLOYER:
            pct = round(100 * o.hours_per_week / FULL_TIME_HOURS)
            if pct >= 100:
                sv.append("heltid")
                en.append("full time")
            else:
                sv.append(f"deltid {pct} %")
                en.append(f"part time {pct}%")
        if o.schedules:
            ss = [s for s in _SCHEDULE_ORDER if s in o.schedules]
            sv.append(", ".join(_SCHEDULE_SV[s] for s in ss))
            en.append(", ".join(_SCHEDULE_EN[s] for s in ss))
        if o.is_subsidised:
            extra = f" ({o.subsidy_label})" if o.subsidy_label else ""
            sv.append(f"Subventionerad anställning{extra}")
            en.append(f"Subsidised employment{extra}")
        if o.kind is SuggestionKind.PRACTICE:
            free = o.free_capacity
            if free is not None:
                sv.append(f"Praktikplats: {free} av {o.capacity} platser lediga")
                en.append(f"Practice slot: {free} of {o.capacity} places free")
            if o.period_start or o.period_end:
                a = o.period_start.isoformat() if o.period_start else "…"
                b = o.period_end.isoformat() if o.period_end else "…"
                sv.append(f"Period {a} – {b}")
                en.append(f"Period {a} – {b}")
        if o.deadline is not None and o.kind is SuggestionKind.OPENING:
            days = o.deadline.toordinal() - today.toordinal()
            sv.append(f"Sista ansökningsdag {o.deadline.isoformat()} (om {days} dagar)")
            en.append(f"Apply by {o.deadline.isoformat()} (in {days} days)")
        if o.required_licences:
            lic = ", ".join(sorted(o.required_licences))
            sv.append(f"Kräver körkort {lic}, som du har")
            en.append(f"Requires driving licence {lic}, which you hold")
        comp = dict(zip(COMPONENTS, comps.tolist(), strict=True))
        if comp["requirements"] < 1.0:
            sv.append("Alla krav uppfylls inte (språk eller fysiska krav)")
            en.append("Not every requirement is met (language or physical demands)")
        if p.schedules and comp["schedule"] < 1.0:
            sv.append("Arbetstiderna passar bara delvis dina önskemål")
            en.append("The working times only partly fit your wishes")
        if o.relationship_warmth >= 0.5:
            sv.append("Vi har en god relation med arbetsgivaren")
            en.append("We have a good relationship with the employer")
        elif o.kind is SuggestionKind.EMPLOYER and o.relationship_warmth > 0:
            sv.append("Vi har haft kontakt med arbetsgivaren")
            en.append("We have been in contact with the employer")
        if o.kind is SuggestionKind.EMPLOYER and o.demand_2024:
            sv.append(f"Efterfrågan: {o.demand_2024} annonser 2024 i kommunen")
            en.append(f"Demand: {o.demand_2024} job ads in 2024 in the municipality")
        if p.refusals:
            kept = ", ".join(condition_label(t) for t in sorted(p.refusals))
            kept_en = ", ".join(condition_label(t, "en") for t in sorted(p.refusals))
            sv.append(f"Respekterar dina nej: {kept}")
            en.append(f"Respects your refusals: {kept_en}")
        return ScoredSuggestion(
            offer=o,
            score=round(total, 6),
            components=MappingProxyType({c: round(v, 6) for c, v in comp.items()}),
            distance_km=None if dist is None else round(dist, 3),
            reasons_sv=tuple(sv),
            reasons_en=tuple(en),
            rank=rank,
            matched_occupation=label,
        )


_VERB_STARTS = ("jobba", "arbeta", "bli ", "vara ", "hålla på", "syssla")


def _wish_sv(wish: str) -> str:
    """ "djur" -> "Du vill jobba med djur"; "jobba med djur" -> "Du vill jobba med djur"."""
    w = wish.strip()
    if w.casefold().startswith(_VERB_STARTS):
        return f"Du vill {w}"
    return f"Du vill jobba med {w}"


#: Words and signs that join several wishes in one text (Swedish and English).
_JOINERS = frozenset({"och", "eller", "samt", "plus", "alternativt", "and", "or"})


def _one_wish(text: str) -> bool:
    """Whether a wish text names one thing: no list sign (, ; / + &) and no joining word."""
    if any(sign in text for sign in ",;/+&"):
        return False
    return not _JOINERS.intersection(utils.default_process(text).split())


def _best_match(o: Offer, occ_w: Mapping[str, OccupationWeight]) -> OccupationWeight | None:
    best: OccupationWeight | None = None
    for oc in o.occupation_ids:
        w = occ_w.get(oc)
        if w is not None and (best is None or w.weight > best.weight):
            best = w
    if best is None and o.ssyk4_codes:
        groups = set(o.ssyk4_codes)
        for _oc, w in sorted(occ_w.items()):
            if w.relation == "wished" and w.ssyk4_code in groups:
                if best is None or w.weight > best.weight:
                    best = OccupationWeight(w.weight, w.label, "group", w.wish, w.ssyk4_code)
    return best


def _top_indices(scores: FloatArray, ids: IntArray, k: int) -> IntArray:
    """Positions of the ``k`` best scores, best first, ties by offer index (= offer_id order)."""
    n = len(scores)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    # Round so float noise from summation order cannot reorder equal scores.
    s = np.round(scores, 9)
    if n > k:
        kth = np.partition(s, n - k)[n - k]
        pos = np.flatnonzero(s >= kth)
    else:
        pos = np.arange(n)
    order = np.lexsort((ids[pos], -s[pos]))
    return pos[order[:k]]
