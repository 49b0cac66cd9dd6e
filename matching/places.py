"""Swedish municipalities, their localities and the 2024 job-ad counts per occupation group.

The data ships in ``matching/data`` (built by ``scripts/build_places.py`` from JobTech place
concepts, GeoNames populations and Platsbanken ad counts for 2024; see ``SOURCES.md``) and is
read once per process. Codes are four-digit kommunkoder as strings (``"1780"`` Karlstad);
``concept_id`` is the id Platsbanken / JobSearch ads carry in
``workplace_address.municipality_concept_id``.

Coordinates are representative points, not boundaries: a municipality's point is the median of
its places, so distances between municipalities are straight-line approximations ("fågelväg")
and understate travel.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from matching.geo import haversine_km

DATA_DIR = Path(__file__).resolve().parent / "data"

__all__ = [
    "Locality",
    "Municipality",
    "UnknownMunicipality",
    "ad_count_2024",
    "ad_counts_2024",
    "all_municipalities",
    "find_municipality",
    "localities",
    "municipalities_near",
    "municipality",
    "municipality_by_name",
    "top_ssyk4",
]


class UnknownMunicipality(LookupError):
    """A municipality code or name that the shipped data does not hold."""


@dataclass(frozen=True, slots=True)
class Municipality:
    """One of Sweden's 290 municipalities.

    Parameters
    ----------
    code : str
        Four-digit kommunkod, e.g. ``"1780"``.
    name : str
        E.g. ``"Karlstad"``.
    concept_id : str
        JobTech taxonomy concept id of the municipality.
    lan_code : str
        Two-digit county code, e.g. ``"17"``.
    lan : str
        County name, e.g. ``"Värmlands län"``.
    lat, lon : float
        Representative point, WGS84 degrees.
    """

    code: str
    name: str
    concept_id: str
    lan_code: str
    lan: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Locality:
    """A locality (tätort, village or district) inside a municipality.

    Parameters
    ----------
    name : str
    place_id : str
        JobTech place concept id.
    municipality_code : str
    lat, lon : float
        WGS84 degrees.
    population : int or None
        GeoNames population where a GeoNames place of the same name lies within 5 km;
        ``None`` otherwise (small places).
    """

    name: str
    place_id: str
    municipality_code: str
    lat: float
    lon: float
    population: int | None


@dataclass(frozen=True, slots=True)
class _Places:
    by_code: Mapping[str, Municipality]
    by_name: Mapping[str, str]
    localities: Mapping[str, tuple[Locality, ...]]
    ads: Mapping[str, Mapping[str, int]]


def _name_key(name: str) -> str:
    text = unicodedata.normalize("NFC", name).strip().casefold()
    if text.endswith(" kommun"):
        text = text[: -len(" kommun")].strip()
    return " ".join(text.split())


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def _load() -> _Places:
    by_code = {
        r["kommunkod"]: Municipality(
            code=r["kommunkod"],
            name=r["name"],
            concept_id=r["municipality_id"],
            lan_code=r["lan_code"],
            lan=r["lan"],
            lat=float(r["lat"]),
            lon=float(r["lon"]),
        )
        for r in _rows("municipalities.csv")
    }
    by_name: dict[str, str] = {}
    for m in by_code.values():
        by_name[_name_key(m.name)] = m.code
        # "Karlstads kommun": the genitive s the municipalities' own names use.
        if not m.name.endswith("s"):
            by_name.setdefault(_name_key(m.name + "s"), m.code)
    places: dict[str, list[Locality]] = {}
    for r in _rows("localities.csv"):
        places.setdefault(r["kommunkod"], []).append(
            Locality(
                name=r["name"],
                place_id=r["place_id"],
                municipality_code=r["kommunkod"],
                lat=float(r["lat"]),
                lon=float(r["lon"]),
                population=int(r["population"]) if r["population"] else None,
            )
        )
    ads: dict[str, Mapping[str, int]] = {}
    for r in _rows("ad_counts_2024.csv"):
        pairs = (item.split(":") for item in r["ssyk4_counts"].split())
        ads[r["kommunkod"]] = MappingProxyType({s: int(n) for s, n in pairs})
    return _Places(
        by_code=MappingProxyType(by_code),
        by_name=MappingProxyType(by_name),
        localities=MappingProxyType({k: tuple(v) for k, v in places.items()}),
        ads=MappingProxyType(ads),
    )


def all_municipalities() -> tuple[Municipality, ...]:
    """Every municipality, in code order.

    Returns
    -------
    tuple of Municipality
        290 items.
    """
    return tuple(_load().by_code.values())


def find_municipality(code: str) -> Municipality | None:
    """The municipality with this kommunkod, or ``None``.

    Parameters
    ----------
    code : str
        Four digits; a three-digit code gets its leading zero back (``"180"`` -> ``"0180"``).

    Returns
    -------
    Municipality or None
    """
    code = str(code).strip()
    if len(code) == 3 and code.isdigit():
        code = "0" + code
    return _load().by_code.get(code)


def municipality(code: str) -> Municipality:
    """The municipality with this kommunkod.

    Parameters
    ----------
    code : str
        Four-digit kommunkod, e.g. ``"1780"``.

    Returns
    -------
    Municipality

    Raises
    ------
    UnknownMunicipality
        If no municipality has this code.
    """
    found = find_municipality(code)
    if found is None:
        raise UnknownMunicipality(code)
    return found


def municipality_by_name(name: str) -> Municipality:
    """The municipality with this name, case-insensitively.

    Parameters
    ----------
    name : str
        ``"Karlstad"``, ``"karlstad"``, ``"Karlstads kommun"`` or a kommunkod.

    Returns
    -------
    Municipality

    Raises
    ------
    UnknownMunicipality
        If no municipality has this name.
    """
    data = _load()
    code = data.by_name.get(_name_key(name))
    if code is None:
        found = find_municipality(name)
        if found is None:
            raise UnknownMunicipality(name)
        return found
    return data.by_code[code]


def municipalities_near(code: str, km: float) -> list[tuple[Municipality, float]]:
    """Municipalities whose point lies within ``km`` of this municipality's point.

    Parameters
    ----------
    code : str
        Kommunkod of the centre.
    km : float
        Radius in km, >= 0 (straight line between representative points).

    Returns
    -------
    list of (Municipality, float)
        Pairs of municipality and distance in km, nearest first (the centre itself first, at
        0.0), ties broken on code.

    Raises
    ------
    UnknownMunicipality
        If the centre is unknown.
    ValueError
        If ``km`` is negative.
    """
    if km < 0:
        raise ValueError(f"km must be >= 0, got {km!r}")
    centre = municipality(code)
    found = []
    for m in _load().by_code.values():
        distance = (
            0.0 if m.code == centre.code else haversine_km(centre.lat, centre.lon, m.lat, m.lon)
        )
        if distance <= km:
            found.append((m, distance))
    found.sort(key=lambda pair: (pair[1], pair[0].code))
    return found


def localities(code: str) -> tuple[Locality, ...]:
    """The localities of one municipality, in name order.

    Parameters
    ----------
    code : str
        Kommunkod.

    Returns
    -------
    tuple of Locality
        Possibly empty (a few municipalities have no locality besides their point).

    Raises
    ------
    UnknownMunicipality
        If the municipality is unknown.
    """
    m = municipality(code)
    return _load().localities.get(m.code, ())


def ad_counts_2024(municipality_code: str) -> Mapping[str, int]:
    """Platsbanken ads in 2024 per SSYK-4 group in one municipality.

    Parameters
    ----------
    municipality_code : str

    Returns
    -------
    Mapping of str to int
        SSYK-4 code -> number of ads (> 0), read-only; groups without ads are absent.

    Raises
    ------
    UnknownMunicipality
        If the municipality is unknown.
    """
    m = municipality(municipality_code)
    return _load().ads.get(m.code, MappingProxyType({}))


def ad_count_2024(ssyk4_code: str, municipality_code: str) -> int:
    """Number of Platsbanken ads in 2024 for one SSYK-4 group in one municipality.

    Parameters
    ----------
    ssyk4_code : str
        Four digits, e.g. ``"9111"``.
    municipality_code : str
        Kommunkod.

    Returns
    -------
    int
        >= 0; 0 for a group without ads there (or an unknown group).

    Raises
    ------
    UnknownMunicipality
        If the municipality is unknown.
    """
    return ad_counts_2024(municipality_code).get(str(ssyk4_code), 0)


def top_ssyk4(municipality_codes: Iterable[str], n: int = 10) -> list[tuple[str, int]]:
    """The SSYK-4 groups with the most 2024 ads over a set of municipalities.

    Parameters
    ----------
    municipality_codes : iterable of str
        Kommunkoder; counts are summed over them (duplicates count once).
    n : int
        How many groups to return, >= 0.

    Returns
    -------
    list of (str, int)
        ``(ssyk4_code, ads)`` pairs, most ads first, ties broken on code; at most ``n``.

    Raises
    ------
    UnknownMunicipality
        If a municipality is unknown.
    """
    totals: dict[str, int] = {}
    for code in sorted({municipality(c).code for c in municipality_codes}):
        for ssyk4, count in _load().ads.get(code, {}).items():
            totals[ssyk4] = totals.get(ssyk4, 0) + count
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return ranked[: max(0, n)]
