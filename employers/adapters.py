"""Register rows -> ``matching.types.Offer``, and the register's other uses of ``matching``
(occupation resolution of titles, municipalities, 2024 demand). The only module of this
package that imports ``matching``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache

from sqlmodel import Session, col, select

from employers.models import (
    Employer,
    Opening,
    OpeningStatus,
    PracticeSlot,
    Workplace,
)
from employers.models import (
    EmploymentForm as RowEmploymentForm,
)
from matching.places import ad_count_2024, find_municipality, municipality_by_name
from matching.types import (
    CONDITION_TAGS,
    EmploymentForm,
    LanguageSkill,
    Offer,
    PhysicalDemand,
    Place,
    Schedule,
    SuggestionKind,
)

#: Lowest vocabulary score at which a title's candidate occupation is kept.
MIN_TITLE_SCORE = 0.6
#: At most this many occupations are kept for one title (ambiguous titles keep several).
MAX_TITLE_OCCUPATIONS = 3

_PHYSICAL = {
    "light": PhysicalDemand.LIGHT,
    "medium": PhysicalDemand.MEDIUM,
    "heavy": PhysicalDemand.HEAVY,
}
_LANGUAGE = re.compile(r"^\s*(?P<name>[^:]+?)\s*(?::\s*(?P<level>[1-5]))?\s*$")


def resolve_title(text: str) -> tuple[list[str], list[str]]:
    """Occupation ids and SSYK-4 codes for an opening title, best first.

    Keeps every candidate within 0.05 of the best one (up to ``MAX_TITLE_OCCUPATIONS``) scoring
    at least ``MIN_TITLE_SCORE``; an unrecognisable title gives two empty lists.
    """
    ids, codes = _resolve_title(text.strip())
    return list(ids), list(codes)


@lru_cache(maxsize=4096)
def _resolve_title(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    # Imports repeat the same titles many times; the vocabulary is fixed per process.
    from matching.vocabulary import default_matcher

    candidates = default_matcher().lookup(text, top=MAX_TITLE_OCCUPATIONS)
    if not candidates or candidates[0].score < MIN_TITLE_SCORE:
        return (), ()
    best = candidates[0].score
    kept = [c for c in candidates if c.score >= max(MIN_TITLE_SCORE, best - 0.05)]
    return (
        tuple(c.occupation_id for c in kept),
        tuple(dict.fromkeys(c.ssyk4_code for c in kept)),
    )


def known_occupation(occupation_id: str) -> str | None:
    """The SSYK-4 code of a taxonomy occupation id, or None if the vocabulary lacks it."""
    from matching.vocabulary import load_vocabulary

    found = load_vocabulary().find(occupation_id)
    return found.ssyk4_code if found else None


def occupation_label(occupation_id: str) -> str:
    """Label of a taxonomy occupation id (the id itself if unknown)."""
    from matching.vocabulary import load_vocabulary

    found = load_vocabulary().find(occupation_id)
    return found.label if found else occupation_id


def municipality_code_for(name: str | None) -> str | None:
    """Kommunkod for a municipality name (``"Karlstad"``), or None."""
    if not name:
        return None
    try:
        return municipality_by_name(name).code
    except LookupError:
        return None


def municipality_label(code: str | None) -> str:
    """Name of a municipality by code ('' for None; the code itself if unknown)."""
    if not code:
        return ""
    found = find_municipality(code)
    return found.name if found else code


def demand_2024(ssyk4_codes: Iterable[str], municipality_code: str | None) -> int | None:
    """2024 Platsbanken ads for the best of these SSYK-4 groups in the municipality."""
    codes = list(ssyk4_codes)
    if not codes or not municipality_code or find_municipality(municipality_code) is None:
        return None
    return max(ad_count_2024(code, municipality_code) for code in codes)


def _place(
    lat: float | None, lon: float | None, municipality_code: str | None, label: str
) -> Place | None:
    if lat is not None and lon is not None:
        return Place(lat=lat, lon=lon, municipality_code=municipality_code, label=label)
    found = find_municipality(municipality_code) if municipality_code else None
    if found is None:
        return None
    # Only the municipality is known: its representative point stands in.
    return Place(lat=found.lat, lon=found.lon, municipality_code=found.code, label=found.name)


def offer_place(
    row: Opening | PracticeSlot, employer: Employer, workplace: Workplace | None = None
) -> Place | None:
    """Where the work is: the row's own point, its workplace's, the employer's, or the
    municipality's representative point, in that order."""
    for source in (row, workplace, employer):
        if source is not None and source.lat is not None and source.lon is not None:
            code = row.municipality_code or source.municipality_code  # type: ignore[union-attr]
            label = getattr(source, "address", None) or getattr(source, "name", "") or ""
            return _place(source.lat, source.lon, code, label)
    code = row.municipality_code or (workplace.municipality_code if workplace else None)
    return _place(None, None, code or employer.municipality_code, "")


def _condition_key(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


# A condition written in words (Swedish or English label, or the tag with spaces) -> its tag.
_CONDITION_WORDS: dict[str, str] = {
    _condition_key(word): tag for tag, labels in CONDITION_TAGS.items() for word in (tag, *labels)
}


def condition_tags(values: Iterable[str]) -> frozenset[str]:
    """Conditions as the tags refusals use: "tunga lyft" or "Heavy lifting" is "heavy_lifting"
    (else a typed condition would never meet a refusal); unknown words are kept as written."""
    out = set()
    for value in values:
        text = value.strip()
        if text:
            out.add(_CONDITION_WORDS.get(_condition_key(text), text))
    return frozenset(out)


def _schedules(values: Iterable[str]) -> frozenset[Schedule]:
    return frozenset(Schedule(v) for v in values if v in Schedule._value2member_map_)


def _languages(values: Iterable[str]) -> tuple[LanguageSkill, ...]:
    out = []
    for value in values:
        match = _LANGUAGE.match(value)
        if match:
            out.append(LanguageSkill(match["name"], int(match["level"] or 3)))
    return tuple(out)


def _common(row: Opening | PracticeSlot, employer: Employer, workplace: Workplace | None) -> dict:
    return {
        "employer_id": str(employer.id),
        "employer_name": employer.name,
        "title": row.title,
        "occupation_ids": tuple(row.occupation_ids or ()),
        "ssyk4_codes": tuple(row.ssyk4_codes or ()),
        "place": offer_place(row, employer, workplace),
        "hours_per_week": row.hours_per_week,
        "schedules": _schedules(row.schedules or ()),
        "required_licences": frozenset(row.required_licences or ()),
        "required_languages": _languages(row.required_languages or ()),
        "physical_demand": _PHYSICAL.get(row.physical_demand or ""),
        "conditions": condition_tags(row.conditions or ()),
    }


def opening_to_offer(
    opening: Opening,
    employer: Employer,
    *,
    workplace: Workplace | None = None,
    warmth: float = 0.0,
    taken: int = 0,
) -> Offer:
    """An opening as an ``Offer`` of kind OPENING (``capacity`` = vacancies)."""
    subsidised = opening.employment_form == RowEmploymentForm.subsidised
    return Offer(
        offer_id=f"opening:{opening.id}",
        kind=SuggestionKind.OPENING,
        employment_form=EmploymentForm.SUBSIDISED if subsidised else EmploymentForm.COMPETITIVE,
        subsidy_label=opening.subsidy_type if subsidised else None,
        deadline=opening.deadline,
        is_open=opening.status == OpeningStatus.open and employer.merged_into_id is None,
        capacity=opening.vacancies,
        taken=taken,
        relationship_warmth=warmth,
        **_common(opening, employer, workplace),
    )


def slot_to_offer(
    slot: PracticeSlot,
    employer: Employer,
    *,
    workplace: Workplace | None = None,
    warmth: float = 0.0,
    taken: int = 0,
) -> Offer:
    """A practice slot as an ``Offer`` of kind PRACTICE with its capacity and period."""
    return Offer(
        offer_id=f"practice:{slot.id}",
        kind=SuggestionKind.PRACTICE,
        employment_form=EmploymentForm.PRACTICE,
        is_open=slot.status == OpeningStatus.open and employer.merged_into_id is None,
        capacity=slot.capacity,
        taken=taken,
        period_start=slot.period_start,
        period_end=slot.period_end,
        relationship_warmth=warmth,
        **_common(slot, employer, workplace),
    )


def employer_to_offer(
    employer: Employer, *, warmth: float = 0.0, demand: int | None = None
) -> Offer:
    """An employer to approach without an opening ("hidden job"), of kind EMPLOYER."""
    return Offer(
        offer_id=f"employer:{employer.id}",
        kind=SuggestionKind.EMPLOYER,
        employer_id=str(employer.id),
        employer_name=employer.name,
        title=employer.trade or employer.name,
        occupation_ids=tuple(employer.occupation_ids or ()),
        ssyk4_codes=tuple(employer.ssyk4_codes or ()),
        place=_place(
            employer.lat,
            employer.lon,
            employer.municipality_code,
            employer.address or employer.name,
        ),
        is_open=employer.merged_into_id is None,
        relationship_warmth=warmth,
        demand_2024=demand,
    )


def load_offers(
    session: Session,
    *,
    today: date | None = None,
    taken: Mapping[str, int] | None = None,
    include_closed: bool = False,
) -> list[Offer]:
    """Every open opening, open practice slot and active employer of the register as offers.

    ``taken`` maps an offer id (``"practice:3"``) to the places already promised or filled.
    Employers carry their relationship warmth and the 2024 demand of their SSYK-4 groups in
    their municipality.
    """
    from employers.service import relationships

    taken = taken or {}
    employers = {
        e.id: e
        for e in session.exec(select(Employer).where(col(Employer.merged_into_id).is_(None)))
    }
    workplaces = {w.id: w for w in session.exec(select(Workplace))}
    warmth = {
        i: r.warmth
        for i, r in relationships(session, employer_ids=list(employers), today=today).items()
    }
    offers: list[Offer] = []
    for model, convert in ((Opening, opening_to_offer), (PracticeSlot, slot_to_offer)):
        statement = select(model).where(col(model.employer_id).in_(list(employers)))
        if not include_closed:
            statement = statement.where(model.status == OpeningStatus.open)
        for row in session.exec(statement.order_by(model.id)):
            employer = employers[row.employer_id]
            offer = convert(
                row,  # type: ignore[arg-type]
                employer,
                workplace=workplaces.get(row.workplace_id),
                warmth=warmth.get(row.employer_id, 0.0),
            )
            if offer.offer_id in taken:
                offer = _with_taken(offer, taken[offer.offer_id])
            offers.append(offer)
    for employer_id in sorted(employers):
        employer = employers[employer_id]
        offers.append(
            employer_to_offer(
                employer,
                warmth=warmth.get(employer_id, 0.0),
                demand=demand_2024(employer.ssyk4_codes or (), employer.municipality_code),
            )
        )
    return offers


def _with_taken(offer: Offer, taken: int) -> Offer:
    from dataclasses import replace

    return replace(offer, taken=taken)
