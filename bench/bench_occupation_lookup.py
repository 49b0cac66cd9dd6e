"""Occupation lookup: quality and speed of OccupationMatcher against a plain rapidfuzz baseline.

Run: ``.venv/bin/python bench/bench_occupation_lookup.py`` (part of ``make bench``).

Two query sets, both built from the shipped vocabulary with a fixed seed:

- held-out job titles: 10 % of the job-title synonyms are removed from the vocabulary before
  fitting and then looked up; a hit is any occupation the title belongs to (or its SSYK-4 group).
  This measures how well unseen wordings of a job are placed.
- noisy names: occupation names and job titles as people type them: lower case, no å/ä/ö,
  one typo, or a plural "-or/-are" ending; the vocabulary is complete.
- coach words: short everyday wishes ("jobba i butik", "städ", "djur") with the SSYK-4 groups
  a job coach would accept, written by hand for the entry-level trades IPS placements go to.
  Only the SSYK-4 measures apply; its occupation columns count the same groups.
- ad headlines: the real Platsbanken ads in ``../shared/data/ads`` that carry a taxonomy
  occupation concept id; the headline is the query, the ad's occupation the answer.

The baseline is ``rapidfuzz.process.extract`` with ``fuzz.WRatio`` over the same names, each
name voting for its occupations. Both run in this process; the ratio column is matcher/baseline.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process, utils
from rich.console import Console
from rich.table import Table

from matching.vocabulary import (
    OccupationMatcher,
    OccupationVocabulary,
    load_vocabulary,
)

SEED = 20240301
TOP_K = 5


@dataclass(frozen=True)
class Case:
    query: str
    occupation_ids: frozenset[str]
    ssyk4_codes: frozenset[str]


#: (wish, acceptable SSYK-4 groups), labelled by hand.
COACH_WORDS: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (text, frozenset(codes.split()))
    for text, codes in [
        ("lager", "4322"),
        ("jobba på lager", "4322"),
        ("lagerjobb", "4322"),
        ("butik", "5222 5223"),
        ("jobba i butik", "5222 5223"),
        ("butiksbiträde", "5222 5223"),
        ("kassa", "5230"),
        ("kassörska", "5230"),
        ("städ", "9111"),
        ("städning", "9111"),
        ("lokalvård", "9111"),
        ("kock", "5120"),
        ("diska", "9412"),
        ("restaurang", "9412 5131"),
        ("café", "9413 5132"),
        ("servitris", "5131"),
        ("barnskötare", "5311"),
        ("jobba med barn", "5311 2343 5312"),
        ("förskola", "5311 2343"),
        ("elevassistent", "5312"),
        ("hemtjänst", "5321 5330"),
        ("äldreomsorg", "5321 5330"),
        ("vårdbiträde", "5330"),
        ("undersköterska", "5321 5323"),
        ("personlig assistent", "5343"),
        ("truck", "8344"),
        ("truckkort", "8344"),
        ("lastbilschaufför", "8332"),
        ("buss", "8331"),
        ("bilmekaniker", "7231"),
        ("frisör", "5141"),
        ("snickare", "7111"),
        ("målare", "7131"),
        ("jobba med djur", "6121 6122 6129 3240"),
        ("hundar", "6122"),
        ("trädgård", "6113"),
        ("vaktmästare", "9622 5152"),
        ("fastighetsskötare", "5152"),
        ("tidningsbud", "9621"),
        ("sophämtning", "9610"),
        ("återvinning", "9610"),
        ("kundtjänst", "4222"),
        ("pizzabagare", "9411"),
        ("flyttgubbe", "9332"),
        ("slakteri", "7611"),
    ]
)


def coach_cases(vocabulary: OccupationVocabulary) -> list[Case]:
    """:data:`COACH_WORDS` as cases; every occupation of an accepted group is a hit."""
    return [
        Case(
            text,
            frozenset(o.occupation_id for code in codes for o in vocabulary.in_group(code)),
            codes,
        )
        for text, codes in COACH_WORDS
    ]


ADS = Path(__file__).resolve().parents[2] / "shared" / "data" / "ads" / "real_ads_jobsearch.jsonl"


def ad_cases(vocabulary: OccupationVocabulary, path: Path = ADS) -> list[Case]:
    """Headlines of real ads whose occupation concept id is in the vocabulary."""
    if not path.exists():
        return []
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        ad = json.loads(line)
        concept = (ad.get("occupation") or {}).get("concept_id") or ""
        if concept in vocabulary and ad.get("headline"):
            cases.append(_case(vocabulary, ad["headline"], {concept}))
    return cases


Lookup = Callable[[str], list[tuple[str, str]]]  # query -> [(occupation_id, ssyk4_code)] best first


def held_out_split(
    vocabulary: OccupationVocabulary, share: float = 0.1, seed: int = SEED
) -> tuple[OccupationVocabulary, list[Case]]:
    """Remove a share of job-title names; return the reduced vocabulary and the removed names."""
    labels = {o.label.casefold() for o in vocabulary.occupations.values()}
    for o in vocabulary.occupations.values():
        labels.update(part.strip().casefold() for part in o.label.split("/"))
    titles = sorted(
        {t for t, _, kind in vocabulary.terms if kind == "job-title" and t.casefold() not in labels}
    )
    held = set(random.Random(seed).sample(titles, round(share * len(titles))))
    targets: dict[str, set[str]] = {}
    for term, occupation_id, _ in vocabulary.terms:
        if term in held:
            targets.setdefault(term, set()).add(occupation_id)
    kept = [t for t in vocabulary.terms if t[0] not in held]
    edges = [
        (oid, sub, level)
        for oid in vocabulary.occupations
        for sub, level in vocabulary.substitutes(oid).items()
    ]
    reduced = OccupationVocabulary(
        vocabulary.occupations.values(), vocabulary.groups.values(), kept, edges
    )
    cases = [_case(vocabulary, term, ids) for term, ids in sorted(targets.items())]
    return reduced, cases


def _case(vocabulary: OccupationVocabulary, query: str, ids: set[str]) -> Case:
    # An older id's current twin (same label and group) is the same occupation.
    ids = ids | {vocabulary.current_equivalent(i).occupation_id for i in ids}
    codes = frozenset(vocabulary.get(i).ssyk4_code for i in ids)
    return Case(query, frozenset(ids), codes)


_FOLD = str.maketrans("åäöéÅÄÖÉ", "aaoeAAOE")


def _typo(text: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 5:
        return text
    i = rng.choice(letters[1:-1])
    op = rng.randrange(3)
    if op == 0:
        return text[:i] + text[i + 1 :]
    if op == 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rng.choice("aeiklmnorst") + text[i + 1 :]


def _plural(text: str) -> str:
    if text.endswith("are"):
        return text + "n"  # "lagerarbetaren"; Swedish "-are" plurals are unchanged
    if text.endswith("a"):
        return text[:-1] + "or"
    return text + "er"


def noisy_cases(vocabulary: OccupationVocabulary, n: int = 400, seed: int = SEED) -> list[Case]:
    """Names as people type them; targets are every occupation bearing the clean name."""
    rng = random.Random(seed)
    by_term: dict[str, set[str]] = {}
    for term, occupation_id, _ in vocabulary.terms:
        if "/" not in term and "," not in term and len(term) >= 6:
            by_term.setdefault(term, set()).add(occupation_id)
    terms = rng.sample(sorted(by_term), n)
    noises = [str.lower, lambda t: t.translate(_FOLD).lower(), lambda t: _typo(t, rng), _plural]
    return [
        _case(vocabulary, noises[i % len(noises)](term), by_term[term])
        for i, term in enumerate(terms)
    ]


def matcher_lookup(matcher: OccupationMatcher) -> Lookup:
    def lookup(query: str) -> list[tuple[str, str]]:
        return [(c.occupation_id, c.ssyk4_code) for c in matcher.lookup(query, TOP_K)]

    return lookup


def baseline_lookup(vocabulary: OccupationVocabulary) -> Lookup:
    names: dict[str, list[str]] = {}
    for term, occupation_id, _ in vocabulary.terms:
        names.setdefault(term, []).append(occupation_id)
    choices = list(names)

    def lookup(query: str) -> list[tuple[str, str]]:
        found = process.extract(
            query, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=4 * TOP_K
        )
        seen: dict[str, str] = {}
        for name, _score, _index in found:
            for occupation_id in sorted(names[name]):
                seen.setdefault(occupation_id, vocabulary.get(occupation_id).ssyk4_code)
        return list(seen.items())[:TOP_K]

    return lookup


@dataclass(frozen=True)
class Result:
    top1_occupation: float
    top5_occupation: float
    top1_ssyk4: float
    top5_ssyk4: float
    ms_per_query: float


def score(lookup: Lookup, cases: Sequence[Case]) -> Result:
    hits = [0, 0, 0, 0]
    start = time.perf_counter()
    answers = [lookup(case.query) for case in cases]
    elapsed = time.perf_counter() - start
    for case, answer in zip(cases, answers, strict=True):
        ids = [a[0] for a in answer]
        codes = [a[1] for a in answer]
        hits[0] += bool(ids[:1]) and ids[0] in case.occupation_ids
        hits[1] += any(i in case.occupation_ids for i in ids)
        hits[2] += bool(codes[:1]) and codes[0] in case.ssyk4_codes
        hits[3] += any(c in case.ssyk4_codes for c in codes)
    n = len(cases)
    return Result(*(h / n for h in hits), 1000 * elapsed / n)


def main() -> None:
    console = Console()
    vocabulary = load_vocabulary()
    reduced, held = held_out_split(vocabulary)
    noisy = noisy_cases(vocabulary)
    start = time.perf_counter()
    full_matcher = OccupationMatcher().fit(vocabulary)
    fit_seconds = time.perf_counter() - start
    suites = [
        ("held-out job titles", held, OccupationMatcher().fit(reduced), reduced),
        ("noisy names", noisy, full_matcher, vocabulary),
        ("coach words", coach_cases(vocabulary), full_matcher, vocabulary),
        ("ad headlines", ad_cases(vocabulary), full_matcher, vocabulary),
    ]
    table = Table(title=f"Occupation lookup, top-{TOP_K} (fit {fit_seconds:.2f} s)")
    for column in ("query set", "n", "measure", "baseline", "matcher", "ratio"):
        table.add_column(
            column, justify="right" if column not in ("query set", "measure") else "left"
        )
    for name, cases, matcher, vocab in suites:
        if not cases:
            console.print(f"{name}: no cases (source data not present), skipped")
            continue
        base = score(baseline_lookup(vocab), cases)
        ours = score(matcher_lookup(matcher), cases)
        for field in Result.__dataclass_fields__:
            b, o = getattr(base, field), getattr(ours, field)
            table.add_row(name, str(len(cases)), field, f"{b:.3f}", f"{o:.3f}", f"{o / b:.2f}")
    console.print(table)
    console.print(
        "Summary: ratio > 1 on hit rates means the matcher finds the right occupation more often; "
        "on ms_per_query, ratio < 1 means it is faster."
    )


if __name__ == "__main__":
    main()
