"""Likely duplicate employers: the same organisation number, or a similar name in the same
municipality (rapidfuzz token-sort ratio after dropping company-form words such as "AB") unless
the two have different organisation numbers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from sqlmodel import Session, col, select

from employers.models import Employer

#: Names scoring at least this (0-100) are offered as duplicates.
NAME_THRESHOLD = 85.0

_COMPANY_FORMS = re.compile(
    r"\b(ab|aktiebolag|hb|kb|handelsbolag|kommanditbolag|ek\s*för|ekonomisk förening|"
    r"i sverige|sverige|sweden|group|filial|publ)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DuplicateCandidate:
    employer_id: int
    name: str
    municipality_code: str | None
    org_number: str | None
    reason: str  # "org_number" or "similar_name"
    score: float  # 0-100


def name_key(name: str) -> str:
    """The part of a company name that identifies it: no company form, case or punctuation."""
    stripped = _COMPANY_FORMS.sub(" ", name)
    key = utils.default_process(stripped)
    return key or utils.default_process(name)


def similar_names(
    name: str, candidates: Sequence[str], *, threshold: float = NAME_THRESHOLD
) -> list[tuple[int, float]]:
    """(index, score) of candidate names similar to ``name``, best first."""
    if not candidates:
        return []
    keys = [name_key(c) for c in candidates]
    hits = process.extract(
        name_key(name),
        keys,
        scorer=fuzz.token_sort_ratio,
        processor=utils.default_process,
        score_cutoff=threshold,
        limit=None,
    )
    # "ICA Nära 2" and "ICA Nära 3" are different shops however alike the names look.
    numbers = _numbers(name)
    found = [(index, float(score)) for _, score, index in hits if _numbers(keys[index]) == numbers]
    return sorted(found, key=lambda h: (-h[1], h[0]))


def _numbers(name: str) -> frozenset[str]:
    return frozenset(re.findall(r"\d+", name))


def find_duplicates(
    session: Session,
    *,
    name: str,
    org_number: str | None = None,
    municipality_code: str | None = None,
    exclude_id: int | None = None,
) -> list[DuplicateCandidate]:
    """Active employers that are probably the same as the one described, strongest first."""
    found: dict[int, DuplicateCandidate] = {}
    base = select(Employer).where(col(Employer.merged_into_id).is_(None))
    if exclude_id is not None:
        base = base.where(Employer.id != exclude_id)
    if org_number:
        for e in session.exec(base.where(Employer.org_number == org_number)):
            assert e.id is not None  # noqa: S101
            found[e.id] = DuplicateCandidate(
                e.id, e.name, e.municipality_code, e.org_number, "org_number", 100.0
            )
    if municipality_code:
        same_place = list(session.exec(base.where(Employer.municipality_code == municipality_code)))
        for index, score in similar_names(name, [e.name for e in same_place]):
            e = same_place[index]
            assert e.id is not None  # noqa: S101
            if org_number and e.org_number and e.org_number != org_number:
                continue  # two organisation numbers: two legal entities, however alike the names
            if e.id not in found:
                found[e.id] = DuplicateCandidate(
                    e.id, e.name, e.municipality_code, e.org_number, "similar_name", score
                )
    return sorted(found.values(), key=lambda d: (d.reason != "org_number", -d.score, d.employer_id))
