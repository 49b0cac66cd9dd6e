"""Occupation autocomplete benchmark: letters typed until the right occupation is offered.

Run: ``.venv/bin/python -m bench.autocomplete [--names 400] [--titles 300]`` (part of
``make bench``).

The profile and employer forms list eight occupations for what has been typed so far
(``/api/occupations/suggest``, from two letters on). A name is typed one character at a time;
it counts as found at the first prefix whose list holds one of its occupations. Compared in the
same process, on the same prefixes:

- ours: :meth:`OccupationMatcher.suggest` (names the typed words begin first, then the spelling
  lookup);
- lookup: :meth:`OccupationMatcher.lookup` on each prefix, what the forms called before.

Two sets of names, each a seeded sample (seeds other than those of the samples on which the
way ``suggest`` combines completion and lookup was chosen):

- known names: occupation names and job titles of the shipped vocabulary, typed as written
  (what a coach types who knows the name), shipped matcher;
- unseen titles: the benchmark's held-out job titles (``bench/vocabulary.py``, split 0,
  ``crc32 % 5 == 0``) typed into a matcher fitted without them (spelling reranker trained on
  the rest, no semantic index, so both columns read the same signals): a title the vocabulary
  does not know, typed until a name it does know is offered.

Printed per set: the share of names listed before the whole name is typed (a click can finish
it) and with the whole name typed; the median number of characters typed until it is first
listed (of names listed at all); the share of names in first place before the whole name is
typed; the mean reciprocal rank over all prefixes of all names (how good the list is while
typing; 0 when not listed); the median and p95 latency per keystroke.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rich.console import Console
from rich.progress import track
from rich.table import Table

from bench.vocabulary import held_out_resolver, held_out_split
from matching.vocabulary import (
    DATA_DIR,
    OccupationCandidate,
    OccupationMatcher,
    OccupationVocabulary,
    default_matcher,
)

SHOWN = 8  # what the forms list (service/static/occupation-search.js)
FIRST = 2  # the forms ask from two letters on

Offer = Callable[[str], list[OccupationCandidate]]


@dataclass(frozen=True)
class Typed:
    name: str
    occupation_ids: frozenset[str]


@dataclass(frozen=True)
class Outcome:
    resolver: str
    found_early: float
    found: float
    median_chars: float
    first_early: float
    mean_rr: float
    median_ms: float
    p95_ms: float


def known_names(vocabulary: OccupationVocabulary, n: int, seed: int = 99) -> list[Typed]:
    """A seeded sample of the vocabulary's occupation names and job titles."""
    owners: dict[str, set[str]] = {}
    for term, occupation_id, kind in vocabulary.terms:
        if kind in ("occupation-name", "job-title"):
            current = vocabulary.current_equivalent(occupation_id).occupation_id
            owners.setdefault(term.strip(), set()).update({occupation_id, current})
    names = sorted(owners)
    chosen = random.Random(seed).sample(names, min(n, len(names)))
    return [Typed(name, frozenset(owners[name])) for name in chosen]


def ranks(offer: Offer, typed: Typed, latencies: list[float]) -> list[int]:
    """Per prefix (from ``FIRST`` characters to the whole name): the rank of the first of the
    name's occupations in what is offered, 0 when none is."""
    found = []
    for length in range(FIRST, len(typed.name) + 1):
        start = time.perf_counter()
        offered = offer(typed.name[:length])
        latencies.append((time.perf_counter() - start) * 1000.0)
        found.append(
            next(
                (i for i, c in enumerate(offered, 1) if c.occupation_id in typed.occupation_ids),
                0,
            )
        )
    return found


def measure(resolver: str, offer: Offer, names: Sequence[Typed], label: str) -> Outcome:
    latencies: list[float] = []
    chars: list[int] = []
    reciprocal: list[float] = []
    early = first = whole = 0
    for typed in track(names, description=f"{label}: {resolver}", transient=True):
        found = ranks(offer, typed, latencies)
        reciprocal += [1.0 / r if r else 0.0 for r in found]
        shown = [i for i, r in enumerate(found) if r]
        if shown:
            chars.append(FIRST + shown[0])
        # Before the last character: typing could stop and a click finish it.
        early += any(found[:-1])
        whole += bool(found[-1])
        first += any(r == 1 for r in found[:-1])
    return Outcome(
        resolver=resolver,
        found_early=early / len(names),
        found=whole / len(names),
        median_chars=statistics.median(chars) if chars else float("nan"),
        first_early=first / len(names),
        mean_rr=float(np.mean(reciprocal)),
        median_ms=statistics.median(latencies),
        p95_ms=float(np.percentile(latencies, 95)),
    )


def compare(matcher: OccupationMatcher, names: Sequence[Typed], label: str) -> list[Outcome]:
    return [
        measure("ours (suggest)", lambda text: matcher.suggest(text, top=SHOWN), names, label),
        measure("lookup", lambda text: matcher.lookup(text, top=SHOWN), names, label),
    ]


def table(title: str, n: int, outcomes: Sequence[Outcome]) -> Table:
    out = Table(title=f"{title} ({n} names, {SHOWN} shown, from {FIRST} letters)")
    for column in (
        "resolver",
        "listed before the end",
        "listed at the end",
        "median chars to list",
        "first before the end",
        "MRR over prefixes",
        "p50 ms/key",
        "p95 ms/key",
    ):
        out.add_column(column, justify="left" if column == "resolver" else "right")
    for o in outcomes:
        out.add_row(
            o.resolver,
            f"{o.found_early:.1%}",
            f"{o.found:.1%}",
            f"{o.median_chars:.0f}",
            f"{o.first_early:.1%}",
            f"{o.mean_rr:.3f}",
            f"{o.median_ms:.2f}",
            f"{o.p95_ms:.2f}",
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=400, help="known names to type")
    parser.add_argument("--titles", type=int, default=300, help="unseen titles to type")
    args = parser.parse_args()
    console = Console(width=132)
    started = time.perf_counter()

    shipped = default_matcher()
    known = known_names(shipped.vocabulary_, args.names)
    shipped.suggest("lager")  # builds the completion index once, as the service's first call
    known_outcomes = compare(shipped, known, "known names")
    console.print(table("Known names, shipped vocabulary", len(known), known_outcomes))

    with console.status("fitting a matcher without the held-out titles (a few minutes)"):
        reduced, cases = held_out_split(OccupationVocabulary.from_directory(DATA_DIR), 0)
        unseen_matcher = held_out_resolver(reduced, None)
    chosen = random.Random(12).sample(cases, min(args.titles, len(cases)))
    unseen = [Typed(case.query, case.occupation_ids) for case in chosen]
    unseen_matcher.suggest("lager")
    unseen_outcomes = compare(unseen_matcher, unseen, "unseen titles")
    console.print(table("Unseen titles, split 0 held out", len(unseen), unseen_outcomes))

    for label, (ours, base) in (
        ("known names", known_outcomes),
        ("unseen titles", unseen_outcomes),
    ):
        mrr_ratio = ours.mean_rr / max(base.mean_rr, 1e-9)
        console.print(
            f"{label}: ours/lookup MRR over prefixes x{mrr_ratio:.2f}, "
            f"first before the end x{ours.first_early / max(base.first_early, 1e-9):.2f}, "
            f"p50 latency per key x{ours.median_ms / base.median_ms:.2f}"
        )
    console.print(
        f"typed {len(known)} known names and {len(unseen)} unseen titles, one character at a "
        f"time, in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
