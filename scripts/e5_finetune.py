"""Diagnostic: how fine-tuning e5 (``matching/e5tune.py``) moves the nearest names by meaning.

Needs PyTorch (the ``tune`` extra). ``--split N`` fine-tunes on the benchmark's vocabulary
without split N's held-out titles (bench/vocabulary.py) and prints, for those titles, how often
the nearest names by meaning alone (every name in ``QUERY_FRAME``, cosine) give the right
occupation first, their MRR@10 and how often the right SSYK-4 group is among the ten best
occupations: with e5 as released and after fine-tuning. The whole resolver's numbers come from
the benchmark itself (``python -m bench.vocabulary --split N``), which fine-tunes the same way.

    .venv/bin/python scripts/e5_finetune.py --split 1 [--epochs 1] [--out values.npz]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.vocabulary import Case, held_out_split  # noqa: E402
from matching.e5tune import EPOCHS, fine_tune, names_by_occupation  # noqa: E402
from matching.semantic import SemanticEncoder  # noqa: E402
from matching.vocabulary import DATA_DIR, OccupationVocabulary  # noqa: E402


def nearest_names(
    encoder: SemanticEncoder, names: dict[str, set[str]], cases: list[Case], groups: dict[str, str]
) -> str:
    """First, MRR@10 and group among ten of the nearest names by meaning alone."""
    ordered = sorted(names)
    occupations = sorted({o for n in ordered for o in names[n]})
    index = {o: i for i, o in enumerate(occupations)}
    links = [(i, index[o]) for i, n in enumerate(ordered) for o in names[n]]
    link_name, link_occupation = (np.array(c) for c in zip(*links, strict=True))
    cosines = encoder.encode([c.query for c in cases]) @ encoder.encode(ordered).T
    first = mrr = group = 0.0
    for row, case in enumerate(cases):
        best = np.full(len(occupations), -9.0)
        np.maximum.at(best, link_occupation, cosines[row, link_name])
        ten = [occupations[j] for j in np.argsort(-best, kind="stable")[:10]]
        rank = next((r for r, o in enumerate(ten) if o in case.occupation_ids), None)
        first += rank == 0
        mrr += 0.0 if rank is None else 1.0 / (rank + 1)
        group += bool({groups[o] for o in ten} & case.ssyk4_codes)
    n = len(cases)
    return f"first {first / n:.3f}, MRR@10 {mrr / n:.3f}, right group among ten {group / n:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", type=int, default=1, choices=range(5))
    parser.add_argument("--epochs", type=float, default=EPOCHS)
    parser.add_argument("--out", type=Path, help="also write the fine-tuned values here")
    args = parser.parse_args()
    vocabulary = OccupationVocabulary.from_directory(DATA_DIR)
    reduced, cases = held_out_split(vocabulary, args.split)
    names = names_by_occupation(reduced)
    groups = {o.occupation_id: o.ssyk4_code for o in vocabulary.occupations.values()}
    print(f"{len(cases)} held-out titles of split {args.split}, {len(names)} names")
    print("e5 as released:", nearest_names(SemanticEncoder(), names, cases, groups))
    began = time.perf_counter()
    values = fine_tune(
        names,
        epochs=args.epochs,
        progress=lambda step, steps, loss: (
            print(f"step {step}/{steps} loss {loss:.3f}")
            if step % 25 == 0 or step == steps
            else None
        ),
    )
    print(f"fine-tuned in {time.perf_counter() - began:.0f} s")
    print("fine-tuned:", nearest_names(SemanticEncoder(values), names, cases, groups))
    if args.out is not None:
        values.save(args.out)
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
