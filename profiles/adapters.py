"""Career profiles -> ``matching.types.Preferences`` (the only person-side input of the matcher).

Only preference fields cross over: nothing about health, diagnosis, age or any other protected
ground exists on ``Preferences``, so nothing of it can reach a score.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from matching.places import find_municipality, localities
from matching.types import LanguageSkill, PhysicalDemand, Place, Preferences, Schedule, Transport

_PHYSICAL = {
    "light": PhysicalDemand.LIGHT,
    "medium": PhysicalDemand.MEDIUM,
    "heavy": PhysicalDemand.HEAVY,
}


def unknown_occupations(occupation_ids: Iterable[str]) -> list[str]:
    """The ids, in the order given, that are no occupation of the taxonomy vocabulary."""
    from matching.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    return [oid for oid in occupation_ids if vocabulary.find(oid) is None]


def municipality_name(code: str | None) -> str | None:
    """Name of a municipality by its four-digit code, or None if unknown."""
    if not code:
        return None
    found = find_municipality(code)
    return found.name if found else None


def home_place(profile: Any) -> Place | None:
    """Where the person lives: own coordinates, else the locality, else the municipality point."""
    code = getattr(profile, "home_municipality_code", None)
    town = (getattr(profile, "home_place", None) or "").strip()
    label = town or municipality_name(code) or ""
    lat, lon = getattr(profile, "home_lat", None), getattr(profile, "home_lon", None)
    if lat is not None and lon is not None:
        return Place(lat=float(lat), lon=float(lon), municipality_code=code, label=label)
    muni = find_municipality(code) if code else None
    if muni is None:
        return None
    if town:
        for loc in localities(muni.code):
            if loc.name.casefold() == town.casefold():
                return Place(lat=loc.lat, lon=loc.lon, municipality_code=muni.code, label=loc.name)
    return Place(lat=muni.lat, lon=muni.lon, municipality_code=muni.code, label=label or muni.name)


def _languages(values: Iterable[Any]) -> tuple[LanguageSkill, ...]:
    out = []
    for v in values:
        name = v.get("name") if isinstance(v, dict) else getattr(v, "name", None)
        level = v.get("level", 3) if isinstance(v, dict) else getattr(v, "level", 3)
        if name:
            out.append(LanguageSkill(name=str(name), level=int(level or 3)))
    return tuple(out)


def to_preferences(
    profile: Any,
    *,
    participant_id: str,
    declined_offer_ids: Iterable[str] = (),
) -> Preferences:
    """Preferences from a stored ``CareerProfile`` or a ``CareerProfileIn`` (JSON profile)."""
    demand = getattr(profile, "max_physical_demand", None)
    return Preferences(
        participant_id=participant_id,
        wished_texts=tuple(profile.wished_texts or ()),
        occupation_ids=tuple(profile.occupation_ids or ()),
        hours_min=profile.hours_min,
        hours_max=profile.hours_max,
        schedules=frozenset(Schedule(s) for s in profile.schedules or ()),
        home=home_place(profile),
        commute_limit_km=profile.commute_limit_km,
        transports=frozenset(Transport(t) for t in profile.transports or ()),
        driving_licences=frozenset(profile.driving_licences or ()),
        languages=_languages(profile.languages or ()),
        refusals=frozenset(profile.refusals or ()),
        max_physical_demand=_PHYSICAL.get(demand) if demand else None,
        wants_practice=bool(profile.wants_practice),
        available_from=profile.available_from,
        declined_offer_ids=frozenset(declined_offer_ids),
    )
