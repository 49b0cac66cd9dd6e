"""Occupation vocabulary benchmark: held-out job titles, ours beside two baselines.

Run: ``.venv/bin/python -m bench.vocabulary [--split 0]`` (part of ``make bench``).

20 % of the job-title synonyms (``term_type == job-title``) of ``taxonomy/job_titles.csv`` are
held out: a title is held out when ``zlib.crc32(title.strip().lower().encode()) % 5 == split``
(split 0 by default, the same rule as ``bench/ranking.py``; split 1 is the development split
the resolver's weights were tuned on). Titles that are also an occupation's own name are never
held out: names stay. The held-out titles are removed from the vocabulary's terms before
anything is fitted; occupation names, SSYK-4 labels, definitions, skills and substitutability
stay, because they are the taxonomy, not the answers.

Each held-out title is looked up (top 10). A title that names several occupations counts as
correct at the rank of the first of them (MRR@10, top-1) and its SSYK-4 groups count likewise
(SSYK-4 hit@10: any of the ten candidates in any of the title's groups). An older occupation id
counts as its current twin (same label and group), since lookups return only current ones.

Compared in the same process, on the same reduced vocabulary:

- spelling: ours without the semantic index (``matching/semantic.py``), with a reranker of its
  own trained likewise: what meaning adds, and what embedding each new text costs in latency;
- hand-weights: ours without the learnt reranker (the spelling signals blended by hand-set
  weights, as before the reranker);

- substring keyword search (what a search box does): occupations with a name or title that
  contains every query word, else the most query words; shorter names first;
- word-level TF-IDF: ``TfidfVectorizer(analyzer="word")`` over occupation names and titles,
  cosine, each occupation scored by its best name.

Ours includes the linear SSYK-4 group classifier and the reranker, both trained here on the
reduced vocabulary (the same training as the build script's: the reranker's own folds hold out
titles of the reduced vocabulary), never the shipped models, which have seen the held-out
titles; training time (about a minute each) is not counted as start-up, because the service
loads the trained models from ``matching/data``. Its e5 model is fine-tuned here too, on the
reduced vocabulary's names (``matching/e5tune.py``, four to five minutes in a child process;
needs PyTorch, the ``tune`` extra that ``make bench`` installs), and its semantic index holds
that model's vectors of the reduced vocabulary's names (two to five minutes), so every held-out
title is embedded by a model that never saw it when it is looked up, as a text the vocabulary
does not know would be. The reranker by meaning learns, as the build's does, from folds that
each fine-tune and embed again without their own titles (``semantic_for``): about 45 minutes
more, an hour in all on two cores.

The demo's wishes in plain words (``service.demo.WISHES``) are looked up too, by the shipped
resolver with meaning (as the ranking engine looks a wish up) and by spelling only.

Latency is per query with the vocabulary loaded (median, p95); start-up is reading the shipped
files (vocabulary, classifier, reranker, name vectors), reading the fitted matcher from the
fit cache (``matching/fitcache.py``, a temporary directory here), and a first lookup of a new
text (which loads the e5 model). The time to fit instead (the first start after an install or
a data change) is printed beside it.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import multiprocessing
import os
import statistics
import tempfile
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.e5model import TunedValues
from matching.fitcache import CACHE_ENV
from matching.rerank import CandidateReranker, held_out_titles
from matching.semantic import SemanticIndex, load_semantic_index
from matching.vocabulary import (
    DATA_DIR,
    GroupClassifier,
    OccupationMatcher,
    OccupationVocabulary,
    default_matcher,
    load_group_classifier,
    load_meaning_classifier,
    load_reranker,
    load_semantic_reranker,
    load_vocabulary,
    normalize,
)

K = 10

Lookup = Callable[[str], list[tuple[str, str]]]  # query -> [(occupation_id, ssyk4_code)]


@dataclass(frozen=True)
class Case:
    query: str
    occupation_ids: frozenset[str]
    ssyk4_codes: frozenset[str]


@dataclass(frozen=True)
class Result:
    name: str
    mrr: float
    top1: float
    ssyk4_hit: float
    median_ms: float
    p95_ms: float
    startup_s: float
    note: str = ""


def is_held_out(title: str, split: int = 0) -> bool:
    """The shared split rule: 20 % of titles by a stable hash, ``split`` in 0..4."""
    return zlib.crc32(title.strip().lower().encode()) % 5 == split


def held_out_split(
    vocabulary: OccupationVocabulary, split: int = 0
) -> tuple[OccupationVocabulary, list[Case]]:
    """The vocabulary without the held-out job titles, and one case per held-out title."""
    reduced, titles = held_out_titles(vocabulary, lambda title: is_held_out(title, split))
    cases = [
        Case(
            case.title,
            case.occupation_ids,
            frozenset(vocabulary.get(i).ssyk4_code for i in case.occupation_ids),
        )
        for case in titles
    ]
    return reduced, cases


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    )


def _fine_tune(names: dict[str, set[str]]) -> TunedValues:
    """:func:`matching.e5tune.fine_tune` with a progress bar (run in a child process)."""
    from matching.e5tune import fine_tune

    with _progress() as progress:
        task = progress.add_task("fine-tuning e5 without the held-out titles", total=None)
        return fine_tune(
            names,
            progress=lambda step, steps, _loss: progress.update(task, completed=step, total=steps),
        )


def _fine_tune_in_child(names: dict[str, set[str]]) -> TunedValues:
    """:func:`_fine_tune` in a child process: PyTorch's memory (about 2.5 GB at its peak) and
    its threads stay out of the process whose latency and memory the benchmarks measure."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as child:
        return child.submit(_fine_tune, names).result()


def held_out_semantic(vocabulary: OccupationVocabulary) -> SemanticIndex:
    """A semantic index as shipped, built from ``vocabulary`` alone (a vocabulary without
    held-out titles): :func:`matching.e5tune.tuned_index`, fine-tuning in a child process."""
    if importlib.util.find_spec("torch") is None:
        raise SystemExit(
            "the benchmark fine-tunes e5 without the held-out titles, which needs PyTorch: "
            "pip install -e '.[tune]'"
        )
    from matching.e5tune import tuned_index

    with _progress() as progress:
        task = progress.add_task("embedding the remaining names", total=None)
        return tuned_index(
            vocabulary,
            tune=_fine_tune_in_child,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )


def held_out_resolver(
    vocabulary: OccupationVocabulary,
    semantic: SemanticIndex | None,
    classifier: GroupClassifier | None = None,
) -> OccupationMatcher:
    """The resolver as shipped, trained on ``vocabulary`` (a vocabulary without held-out titles).

    The group classifier and both rerankers are trained here: the shipped ones have seen the
    held-out titles. The rerankers' training folds hold out titles of ``vocabulary`` only. The
    semantic index keeps the vectors of ``vocabulary``'s names only, so a held-out title is
    embedded when it is looked up, as any text the vocabulary does not know is; pass one from
    :func:`held_out_semantic`, whose model has not seen the held-out titles either. The
    reranker by meaning gets one from :func:`held_out_semantic` per fold of its training.
    Without ``semantic``: the resolver by spelling only.
    """
    classifier = GroupClassifier().fit(vocabulary) if classifier is None else classifier
    spelling = CandidateReranker().fit(vocabulary, OccupationMatcher(group_classifier=classifier))
    if semantic is None:
        return OccupationMatcher(group_classifier=classifier, reranker=spelling).fit(vocabulary)
    known = semantic.restricted(OccupationMatcher().fit(vocabulary).semantic_texts())
    meaning = CandidateReranker.for_meaning().fit(
        vocabulary,
        OccupationMatcher(group_classifier=classifier, semantic=known),
        semantic_for=held_out_semantic,
    )
    return OccupationMatcher(
        group_classifier=classifier, reranker=spelling, semantic=known, semantic_reranker=meaning
    ).fit(vocabulary)


def answers(matcher: OccupationMatcher) -> Lookup:
    """The matcher's first ``K`` answers as ``(occupation_id, ssyk4_code)``."""

    def find(query: str) -> list[tuple[str, str]]:
        return [(c.occupation_id, c.ssyk4_code) for c in matcher.lookup(query, top=K)]

    return find


def _names(vocabulary: OccupationVocabulary) -> tuple[list[str], list[list[str]]]:
    """Distinct normalised names (occupation names and titles) and the occupations of each."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for term, occupation_id, _kind in vocabulary.terms:
        key = normalize(term)
        if key:
            by_name[key].add(vocabulary.current_equivalent(occupation_id).occupation_id)
    names = sorted(by_name)
    return names, [sorted(by_name[n]) for n in names]


def substring_baseline(vocabulary: OccupationVocabulary) -> Lookup:
    names, owners = _names(vocabulary)
    codes = {oid: o.ssyk4_code for oid, o in vocabulary.occupations.items()}

    def lookup(query: str) -> list[tuple[str, str]]:
        words = normalize(query).split()
        if not words:
            return []
        best: dict[str, tuple[int, int]] = {}
        for name, occupation_ids in zip(names, owners, strict=True):
            hits = sum(w in name for w in words)
            if not hits:
                continue
            key = (-hits, len(name))
            for oid in occupation_ids:
                if oid not in best or key < best[oid]:
                    best[oid] = key
        ranked = sorted(best, key=lambda oid: (best[oid], oid))[:K]
        return [(oid, codes[oid]) for oid in ranked]

    return lookup


def word_tfidf_baseline(vocabulary: OccupationVocabulary) -> Lookup:
    names, owners = _names(vocabulary)
    codes = {oid: o.ssyk4_code for oid, o in vocabulary.occupations.items()}
    vectorizer = TfidfVectorizer(analyzer="word", sublinear_tf=True)
    matrix = vectorizer.fit_transform(names).T.tocsr()

    def lookup(query: str) -> list[tuple[str, str]]:
        cosine = (vectorizer.transform([normalize(query)]) @ matrix).toarray()[0]
        best: dict[str, float] = {}
        for index in np.flatnonzero(cosine > 0):
            for oid in owners[index]:
                best[oid] = max(best.get(oid, 0.0), float(cosine[index]))
        ranked = sorted(best, key=lambda oid: (-best[oid], oid))[:K]
        return [(oid, codes[oid]) for oid in ranked]

    return lookup


def evaluate(name: str, lookup: Lookup, cases: Sequence[Case], startup_s: float) -> Result:
    reciprocal, top1, group_hit, latencies = [], [], [], []
    for case in cases:
        start = time.perf_counter()
        found = lookup(case.query)[:K]
        latencies.append((time.perf_counter() - start) * 1000.0)
        rank = next((i for i, (oid, _) in enumerate(found, 1) if oid in case.occupation_ids), 0)
        reciprocal.append(1.0 / rank if rank else 0.0)
        top1.append(rank == 1)
        group_hit.append(any(code in case.ssyk4_codes for _, code in found))
    return Result(
        name=name,
        mrr=float(np.mean(reciprocal)),
        top1=float(np.mean(top1)),
        ssyk4_hit=float(np.mean(group_hit)),
        median_ms=statistics.median(latencies),
        p95_ms=float(np.percentile(latencies, 95)),
        startup_s=startup_s,
    )


def startup_seconds() -> float:
    """Cold start of the shipped resolver (:func:`default_matcher`): read the files and fit."""
    for cached in (
        load_vocabulary,
        load_group_classifier,
        load_reranker,
        load_semantic_reranker,
        load_meaning_classifier,
        load_semantic_index,
    ):
        cached.cache_clear()
    start = time.perf_counter()
    matcher = default_matcher.__wrapped__()
    matcher.lookup("lagerjobb", top=10)
    matcher.semantic.query("cellospelare i orkester")  # loads the e5 model, embeds a new text
    return time.perf_counter() - start


def run(split: int = 0) -> list[Result]:
    """Evaluate ours and both baselines on one split; returns one result each."""
    # Start-up as a process after the first sees it: the fitted matcher read from the cache
    # (matching/fitcache.py). The first process after an install or a data change fits it.
    saved = os.environ.get(CACHE_ENV)
    try:
        os.environ[CACHE_ENV] = "off"
        fitting = startup_seconds()
        with tempfile.TemporaryDirectory() as directory:
            os.environ[CACHE_ENV] = directory
            startup_seconds()  # fits and keeps the fit
            cold = startup_seconds()
    finally:
        if saved is None:
            os.environ.pop(CACHE_ENV, None)
        else:
            os.environ[CACHE_ENV] = saved
    reduced, cases = held_out_split(OccupationVocabulary.from_directory(DATA_DIR), split)
    classifier = GroupClassifier().fit(reduced)
    shipped = held_out_resolver(reduced, held_out_semantic(reduced), classifier)
    spelling_only = OccupationMatcher(group_classifier=classifier, reranker=shipped.reranker)
    meaning, spelling, plain = (
        answers(m)
        for m in (
            shipped,
            spelling_only.fit(reduced),
            OccupationMatcher(group_classifier=classifier).fit(reduced),
        )
    )
    semantic = shipped.semantic
    assert semantic is not None  # noqa: S101
    embedded = semantic.embedded
    results = [
        evaluate("ours", meaning, cases, cold),
        # Without the semantic index: spelling and the taxonomy only, as before it.
        evaluate("spelling", spelling, cases, cold),
        # The resolver before the reranker: the spelling signals weighted by hand.
        evaluate("hand-weights", plain, cases, cold),
    ]
    for name, build in [
        ("substring", substring_baseline),
        ("word-tfidf", word_tfidf_baseline),
    ]:
        start = time.perf_counter()
        lookup = build(reduced)
        fitted = time.perf_counter() - start
        results.append(evaluate(name, lookup, cases, fitted))
    results[0] = dataclasses.replace(
        results[0],
        note=f"ours consulted meaning (embedded the text) for {semantic.embedded - embedded} "
        f"of {len(cases)} titles; spelling answered the rest\n"
        f"start-up reads the fitted matcher from the cache; fitting it (first start after an "
        f"install or a data change) took {fitting:.2f} s",
    )
    return results


@dataclass(frozen=True)
class WishResult:
    name: str
    mrr: float
    top3: int
    n: int


def wish_results() -> list[WishResult]:
    """The demo's wishes in plain words ("diska, kök", "köra bil, bud"), looked up by the shipped
    resolver as the ranking engine does (meaning always), and by spelling only.

    A wish counts at the rank of the first occupation a coach would pick for it
    (``service.demo.Wish.labels``). The shipped models have seen every name but no wish.
    """
    from service.demo import WISHES, resolve_wish  # the demo's wishes and their occupations

    vocabulary = load_vocabulary()
    matcher = default_matcher()
    wanted_by_wish = [
        {
            vocabulary.current_equivalent(o.occupation_id).occupation_id
            for o in resolve_wish(vocabulary, wish)
        }
        for wish in WISHES
    ]
    results = []
    for name, meaning in (("ours", True), ("spelling", False)):
        reciprocal, top3 = [], 0
        for wish, wanted in zip(WISHES, wanted_by_wish, strict=True):
            found = [c.occupation_id for c in matcher.lookup(wish.text, top=K, meaning=meaning)]
            rank = next((i for i, oid in enumerate(found, 1) if oid in wanted), 0)
            reciprocal.append(1.0 / rank if rank else 0.0)
            top3 += 0 < rank <= 3
        results.append(WishResult(name, float(np.mean(reciprocal)), top3, len(WISHES)))
    return results


def report(results: Sequence[Result], split: int, n_cases: int) -> str:
    lines = [
        f"held-out job titles: split crc32 % 5 == {split}, {n_cases} titles, top {K}",
        "any of a title's occupations (groups) counts as correct",
        f"{'':12}{'MRR@10':>8}{'top-1':>8}{'SSYK4@10':>10}{'p50 ms':>9}{'p95 ms':>9}{'start s':>9}",
    ]
    for r in results:
        lines.append(
            f"{r.name:12}{r.mrr:8.3f}{r.top1:8.3f}{r.ssyk4_hit:10.3f}{r.median_ms:9.2f}"
            f"{r.p95_ms:9.2f}{r.startup_s:9.2f}"
        )
    ours_result = results[0]
    for base in results[1:]:
        lines.append(
            f"ours/{base.name:11} MRR x{ours_result.mrr / max(base.mrr, 1e-9):.2f}  "
            f"top-1 x{ours_result.top1 / max(base.top1, 1e-9):.2f}  "
            f"SSYK4@10 x{ours_result.ssyk4_hit / max(base.ssyk4_hit, 1e-9):.2f}  "
            f"p50 latency x{ours_result.median_ms / max(base.median_ms, 1e-9):.2f}"
        )
    lines += [r.note for r in results if r.note]
    targets = [
        ("MRR@10 >= 0.65", ours_result.mrr >= 0.65),
        ("SSYK-4 hit@10 >= 0.90", ours_result.ssyk4_hit >= 0.90),
        ("median < 5 ms", ours_result.median_ms < 5.0),
        ("start-up < 1 s", ours_result.startup_s < 1.0),
    ]
    lines.append("targets: " + ", ".join(f"{t} {'met' if ok else 'MISSED'}" for t, ok in targets))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", type=int, default=0, choices=range(5))
    args = parser.parse_args()
    _, cases = held_out_split(OccupationVocabulary.from_directory(DATA_DIR), args.split)
    print(report(run(args.split), args.split, len(cases)))
    wishes = wish_results()
    print(f"wishes in plain words (the demo's {wishes[0].n}), shipped resolver:")
    for w in wishes:
        print(f"  {w.name:10} MRR@10 {w.mrr:.3f}  right among the first three {w.top3}/{w.n}")
    print(f"  ours/spelling MRR x{wishes[0].mrr / max(wishes[1].mrr, 1e-9):.2f}")


if __name__ == "__main__":
    main()
