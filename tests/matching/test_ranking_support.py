"""Test helpers for the ranking tests: a tiny real in-memory occupation resolver and builders.

The resolver implements :class:`matching.types.OccupationResolver` over a handful of occupations
(exact or substring match on names), so known answers can be worked out by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matching.types import Offer, Place, SuggestionKind

# Three occupations in SSYK-4 group 6129 (animals) plus two in 4322 (warehouse) and one in 5120.
OCCUPATIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "occ_djur": ("Djurskötare", "6129", ("djurskötare", "djur", "jobba med djur")),
    "occ_hund": ("Hundskötare", "6129", ("hundskötare", "hundar")),
    "occ_hast": ("Hästskötare", "6129", ("hästskötare", "hästar", "stall")),
    "occ_lager": ("Lagerarbetare", "4322", ("lagerarbetare", "lager", "lagerjobb")),
    "occ_truck": ("Truckförare", "4322", ("truckförare", "truck")),
    "occ_kock": ("Kock", "5120", ("kock", "restaurang")),
}
# occupation -> {neighbour: weight}; symmetric substitutability of the toy taxonomy.
SUBSTITUTES: dict[str, dict[str, float]] = {
    "occ_djur": {"occ_hund": 0.8},
    "occ_hund": {"occ_djur": 0.8},
    "occ_lager": {"occ_truck": 0.5},
    "occ_truck": {"occ_lager": 0.5},
}


@dataclass(frozen=True)
class Candidate:
    occupation_id: str
    label: str
    ssyk4_code: str
    score: float


@dataclass(frozen=True)
class Neighbour:
    occupation_id: str
    label: str
    ssyk4_code: str
    weight: float


@dataclass
class TinyResolver:
    """Exact name -> score 1.0; a name inside the text -> 0.8. Neighbours from SUBSTITUTES."""

    calls: list[str] = field(default_factory=list)
    meanings: list[bool | None] = field(default_factory=list)

    def lookup(self, text: str, top: int = 10, *, meaning: bool | None = None) -> list[Candidate]:
        self.calls.append(text)
        self.meanings.append(meaning)
        t = text.strip().casefold()
        found: dict[str, float] = {}
        for oid, (_label, _g, names) in OCCUPATIONS.items():
            for name in names:
                if t == name:
                    found[oid] = max(found.get(oid, 0.0), 1.0)
                elif name in t:
                    found[oid] = max(found.get(oid, 0.0), 0.8)
        ranked = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        return [Candidate(o, OCCUPATIONS[o][0], OCCUPATIONS[o][1], s) for o, s in ranked]

    def neighbours(self, occupation_id: str) -> list[Neighbour]:
        return [
            Neighbour(o, OCCUPATIONS[o][0], OCCUPATIONS[o][1], w)
            for o, w in sorted(SUBSTITUTES.get(occupation_id, {}).items())
        ]


HOME = Place(59.8586, 17.6389, "0380", "Uppsala")


def place_km_north(km: float, base: Place = HOME) -> Place:
    """A place ``km`` straight north of ``base`` (1 degree of latitude ~ 111.195 km)."""
    return Place(base.lat + km / 111.19508, base.lon, base.municipality_code, f"{km} km N")


def offer(
    offer_id: str,
    occupation: str | None = "occ_djur",
    *,
    kind: SuggestionKind | None = None,
    km: float | None = 5.0,
    **kw: object,
) -> Offer:
    """An offer of one toy occupation, ``km`` north of HOME."""
    if kind is None:
        kind = SuggestionKind(offer_id.split(":")[0])
    occ = (occupation,) if occupation else ()
    grp = (OCCUPATIONS[occupation][1],) if occupation else ()
    title = OCCUPATIONS[occupation][0] if occupation else "Okänd"
    defaults: dict[str, object] = {
        "employer_id": f"emp-{offer_id}",
        "employer_name": f"Arbetsgivare {offer_id}",
        "title": title,
        "occupation_ids": occ,
        "ssyk4_codes": grp,
        "place": None if km is None else place_km_north(km),
    }
    defaults.update(kw)
    return Offer(offer_id=offer_id, kind=kind, **defaults)  # type: ignore[arg-type]
