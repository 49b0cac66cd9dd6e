"""Build the compact occupation vocabulary shipped in ``matching/data`` from the public taxonomy.

Run from the repository root::

    .venv/bin/python scripts/build_occupation_vocabulary.py [--source ../shared/data]

Sources (JobTech Taxonomy, Arbetsförmedlingen open data): ``taxonomy/occupations.csv`` (2024
download), ``taxonomy/job_titles.csv``, ``taxonomy/ssyk4_groups.csv``,
``taxonomy/substitutability_edges.csv``, ``taxonomy/ssyk4_skills.csv`` and
``market/ssyk4_municipality_ad_counts_2024.csv``.
It also trains the linear SSYK-4 group classifier on the written vocabulary (some seconds) and
stores it compactly as ``ssyk4_classifier.npz``, and the occupation reranker
(``occupation_reranker.npz``, boosted trees, a few minutes: five folds of held-out job
titles). It fine-tunes the multilingual e5 model on pairs of names of one occupation
(``e5_tuned.npz``, the trained scales, biases and LayerNorm weights, four to five minutes; needs
PyTorch: ``pip install -e '.[tune]'``; see ``matching/e5tune.py``), embeds every name of the
matcher and every SSYK-4 group's label and definition with it (``name_embeddings.npz``, about
two minutes; see ``matching/semantic.py``), trains a group classifier over those vectors
(``ssyk4_meaning_classifier.npz``) and a second reranker that weighs meaning too
(``occupation_reranker_semantic.npz``), whose five folds each fine-tune and embed again without
their titles (40 to 45 minutes).
The output is deterministic (sorted rows, a seeded single-threaded solver, fixed archive
timestamps), so a rebuild on unchanged sources changes no file on the same machine. On another
machine e5's last bits may differ (its activations are rounded to 8 bits at every layer, and the
C library's expf and erff move a rounding now and then), and with them the name table and the
models trained on it.
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from matching.e5model import TUNED_FILE
from matching.rerank import RERANKER_FILE, SEMANTIC_RERANKER_FILE, CandidateReranker
from matching.semantic import (
    MEANING_CLASSIFIER_FILE,
    NAME_EMBEDDINGS_FILE,
    NameEmbeddings,
    SemanticEncoder,
    SemanticIndex,
)
from matching.vocabulary import (
    GROUP_CLASSIFIER_FILE,
    GroupClassifier,
    OccupationMatcher,
    OccupationVocabulary,
)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "data"
DEFAULT_TARGET = REPO / "matching" / "data"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, header: list[str], rows: list[tuple[object, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def build(source: Path, target: Path, *, models: bool = True) -> dict[str, int]:
    """Write the vocabulary files and the group classifier into ``target``; return row counts.

    With ``models`` false, stop there: the e5 name table and the models trained on it (about
    an hour on two cores) are left out."""
    taxonomy = source / "taxonomy"
    current = _read(taxonomy / "occupations.csv")
    titles = _read(taxonomy / "job_titles.csv")
    groups = _read(taxonomy / "ssyk4_groups.csv")
    edges = _read(taxonomy / "substitutability_edges.csv")
    skills = _read(taxonomy / "ssyk4_skills.csv")
    counts = _read(source / "market" / "ssyk4_municipality_ad_counts_2024.csv")

    # The 2024 download is authoritative for label and group; job_titles.csv adds the older
    # occupation names that ads and people still use (see the data README).
    occupations: dict[str, tuple[str, str, str, str]] = {}
    for row in current:
        occupations[row["occupation_id"]] = (
            row["occupation_label"],
            row["ssyk4_code"],
            "1",
            row["no_education_required"],
        )
    for row in titles:
        occupations.setdefault(
            row["occupation_id"], (row["occupation_label"], row["ssyk4_code"], "0", "")
        )

    terms: set[tuple[str, str, str]] = set()
    for row in titles:
        terms.add((row["term"].strip(), row["occupation_id"], row["term_type"]))
    for occupation_id, (label, *_rest) in occupations.items():
        terms.add((label, occupation_id, "occupation-name"))
    # One row per (term, occupation): an occupation-name wins over the same text as a job-title.
    best: dict[tuple[str, str], str] = {}
    for term, occupation_id, kind in sorted(terms):
        key = (term, occupation_id)
        if best.get(key) != "occupation-name":
            best[key] = kind

    ads: dict[str, int] = defaultdict(int)
    for row in counts:
        ads[row["ssyk4_code"]] += int(row["ads_2024"])

    missing = {code for _, code, _, _ in occupations.values()} - {g["ssyk4_code"] for g in groups}
    if missing:
        raise SystemExit(f"occupations refer to unknown SSYK-4 groups: {sorted(missing)}")
    unknown = {e["occupation_id"] for e in edges} | {e["substitute_id"] for e in edges}
    unknown -= occupations.keys()
    if unknown:
        raise SystemExit(f"substitutability edges refer to unknown occupations: {sorted(unknown)}")

    target.mkdir(parents=True, exist_ok=True)
    occupation_rows = sorted((oid, *values) for oid, values in occupations.items())
    _write(
        target / "occupations.csv",
        ["occupation_id", "label", "ssyk4_code", "current", "no_education_required"],
        occupation_rows,
    )
    term_rows = sorted((term, oid, kind) for (term, oid), kind in best.items())
    _write(target / "occupation_terms.csv", ["term", "occupation_id", "kind"], term_rows)
    group_rows = sorted(
        (
            g["ssyk4_code"],
            g["ssyk4_id"],
            g["ssyk4_label"],
            ads.get(g["ssyk4_code"], 0),
            " ".join(g["definition"].split()),
        )
        for g in groups
    )
    _write(
        target / "ssyk4_groups.csv",
        ["ssyk4_code", "ssyk4_id", "label", "ads_2024", "definition"],
        group_rows,
    )
    edge_rows = sorted((e["occupation_id"], e["substitute_id"], int(e["level"])) for e in edges)
    _write(
        target / "occupation_substitutes.csv",
        ["occupation_id", "substitute_id", "level"],
        edge_rows,
    )
    skill_rows = sorted({(s["ssyk4_code"], " ".join(s["skill"].split())) for s in skills})
    _write(target / "ssyk4_skills.csv", ["ssyk4_code", "skill"], skill_rows)
    vocabulary = OccupationVocabulary.from_directory(target)
    classifier = GroupClassifier().fit(vocabulary)
    classifier.save(target / GROUP_CLASSIFIER_FILE)
    counts = {
        GROUP_CLASSIFIER_FILE: classifier.coef_.nnz,
        "ssyk4_skills.csv": len(skill_rows),
        "occupations.csv": len(occupation_rows),
        "occupation_terms.csv": len(term_rows),
        "ssyk4_groups.csv": len(group_rows),
        "occupation_substitutes.csv": len(edge_rows),
    }
    if not models:
        return counts
    try:
        from matching.e5tune import fine_tune, names_by_occupation, tuned_index
    except ImportError as error:  # pragma: no cover - the tune extra is part of dev
        raise SystemExit("fine-tuning e5 needs PyTorch: pip install -e '.[tune]'") from error
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    ) as progress:

        def shown(task: TaskID) -> Callable[..., None]:
            """A ``progress(done, total, ...)`` callback that moves ``task``'s bar."""
            return lambda done, total, *_: progress.update(task, completed=done, total=total)

        task = progress.add_task("fine-tuning e5 on the names (steps)", total=None)
        tuned = fine_tune(names_by_occupation(vocabulary), progress=shown(task))
        tuned.save(target / TUNED_FILE)
        encoder = SemanticEncoder(tuned)
        # Every name the matcher searches, and each group's label and definition (passages).
        texts = OccupationMatcher().fit(vocabulary).semantic_texts()
        task = progress.add_task("embedding names by meaning (e5)", total=len(texts))
        table = NameEmbeddings.build(texts, encoder, progress=shown(task))
        table.save(target / NAME_EMBEDDINGS_FILE)
        index = SemanticIndex(encoder, table)
        # Which group a text belongs to by meaning, learnt from every name's vector.
        task = progress.add_task("training the group classifier by meaning", total=None)
        meaning = OccupationMatcher(semantic=index).fit(vocabulary).meaning_classifier_
        meaning.save(target / MEANING_CLASSIFIER_FILE)
        progress.update(task, total=1, completed=1)

        # The rerankers learn from held-out folds of the job titles, each fold with its own
        # classifier: one by spelling, one by spelling and meaning. The second's folds each
        # fine-tune e5 without their titles (tuned_index), as the shipped model never saw the
        # titles it will be asked: five more fine-tunings and tables, 40 to 45 minutes.
        def fold_index(reduced: OccupationVocabulary) -> SemanticIndex:
            step = progress.add_task("  a fold's e5 (steps, then names)", total=None)
            fold = tuned_index(
                reduced,
                tune=lambda names: fine_tune(names, progress=shown(step)),
                progress=shown(step),
            )
            progress.remove_task(step)
            return fold

        rerankers = {}
        for name, semantic, settings, for_fold in (
            (RERANKER_FILE, None, CandidateReranker(), None),
            (SEMANTIC_RERANKER_FILE, index, CandidateReranker.for_meaning(), fold_index),
        ):
            task = progress.add_task(f"training {name} (folds)", total=None)
            rerankers[name] = settings.fit(
                vocabulary,
                OccupationMatcher(group_classifier=GroupClassifier(), semantic=semantic),
                progress=shown(task),
                semantic_for=for_fold,
            )
            rerankers[name].save(target / name)
    return counts | {
        RERANKER_FILE: len(rerankers[RERANKER_FILE].features_),
        SEMANTIC_RERANKER_FILE: len(rerankers[SEMANTIC_RERANKER_FILE].features_),
        NAME_EMBEDDINGS_FILE: len(table),
        TUNED_FILE: sum(array.size for array in tuned.arrays.values()),
        MEANING_CLASSIFIER_FILE: len(meaning.classes_),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--target", type=Path, default=DEFAULT_TARGET)
    args = parser.parse_args()
    written = build(args.source, args.target)
    for name, rows in written.items():
        unit = "rows"
        if name == GROUP_CLASSIFIER_FILE:
            unit = "weights"
        elif name in (RERANKER_FILE, SEMANTIC_RERANKER_FILE):
            unit = "features"
        elif name == NAME_EMBEDDINGS_FILE:
            unit = "texts"
        elif name == MEANING_CLASSIFIER_FILE:
            unit = "groups"
        elif name == TUNED_FILE:
            unit = "values"
        print(f"{name}: {rows} {unit}")


if __name__ == "__main__":
    main()
