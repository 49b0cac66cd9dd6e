"""Build the compact place and labour-market files shipped in ``matching/data``.

Run from the repository root::

    .venv/bin/python scripts/build_places.py [--source ../shared/data]

Sources (see ``matching/data/SOURCES.md``):

- ``geo/municipalities.csv`` and ``geo/places.csv``: JobTech place concepts
  (JobtechSwe/elastic-importers, Apache-2.0);
- ``geo/geonames_places_pop500.csv``: populations from GeoNames (CC BY 4.0), joined to the
  localities by name and distance (within 5 km) to weight where synthetic people live;
- ``market/ssyk4_municipality_ad_counts_2024.csv``: Platsbanken ads 2024 per SSYK-4 group and
  municipality (Arbetsförmedlingen open data).

Writes ``municipalities.csv``, ``localities.csv`` and ``ad_counts_2024.csv`` (one row per
municipality, its counts as ``ssyk4:count`` pairs separated by spaces, which keeps 44,000
counts in about 400 kB). The output is deterministic (sorted rows, fixed rounding), so a rebuild
on unchanged sources changes no file.
"""

from __future__ import annotations

import argparse
import csv
import math
import unicodedata
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "data"
DEFAULT_TARGET = REPO / "matching" / "data"

# A GeoNames place counts as the same locality when its name matches and it lies this close.
_POPULATION_JOIN_KM = 5.0


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, header: list[str], rows: list[tuple[object, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def build(source: Path, target: Path) -> dict[str, int]:
    """Write the three place/market files into ``target``; return row counts per file."""
    municipalities = _read(source / "geo" / "municipalities.csv")
    places = _read(source / "geo" / "places.csv")
    geonames = _read(source / "geo" / "geonames_places_pop500.csv")
    counts = _read(source / "market" / "ssyk4_municipality_ad_counts_2024.csv")

    known = {row["kommunkod"] for row in municipalities}
    municipality_rows = sorted(
        (
            row["kommunkod"],
            row["municipality"],
            row["municipality_id"],
            row["lan_code"],
            row["lan"],
            f"{float(row['lat']):.5f}",
            f"{float(row['lon']):.5f}",
        )
        for row in municipalities
    )

    by_name: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in geonames:
        by_name[_key(row["name"])].append(row)

    locality_rows = []
    joined = 0
    for row in places:
        if row["kommunkod"] not in known:
            continue
        lat, lon = float(row["lat"]), float(row["lon"])
        population = ""
        near = [
            (_km(lat, lon, float(g["lat"]), float(g["lon"])), -int(g["population"]), g)
            for g in by_name.get(_key(row["place"]), [])
        ]
        near = [n for n in near if n[0] <= _POPULATION_JOIN_KM]
        if near:
            population = min(near, key=lambda n: (n[0], n[1]))[2]["population"]
            joined += 1
        locality_rows.append(
            (
                row["kommunkod"],
                row["place"],
                row["place_id"],
                f"{lat:.5f}",
                f"{lon:.5f}",
                population,
            )
        )
    locality_rows.sort()

    per_municipality: dict[str, dict[str, int]] = defaultdict(dict)
    for row in counts:
        code = row["kommunkod"]
        if code not in known:
            continue
        ssyk4 = row["ssyk4_code"]
        per_municipality[code][ssyk4] = per_municipality[code].get(ssyk4, 0) + int(row["ads_2024"])
    count_rows = [
        (code, " ".join(f"{s}:{n}" for s, n in sorted(per_municipality[code].items()) if n > 0))
        for code in sorted(per_municipality)
    ]

    target.mkdir(parents=True, exist_ok=True)
    _write(
        target / "municipalities.csv",
        ["kommunkod", "name", "municipality_id", "lan_code", "lan", "lat", "lon"],
        municipality_rows,
    )
    _write(
        target / "localities.csv",
        ["kommunkod", "name", "place_id", "lat", "lon", "population"],
        locality_rows,
    )
    _write(target / "ad_counts_2024.csv", ["kommunkod", "ssyk4_counts"], count_rows)
    return {
        "municipalities": len(municipality_rows),
        "localities": len(locality_rows),
        "localities_with_population": joined,
        "municipalities_with_ads": len(count_rows),
        "ad_counts": sum(len(m) for m in per_municipality.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="../shared/data")
    parser.add_argument("--target", type=Path, default=DEFAULT_TARGET, help="matching/data")
    args = parser.parse_args()
    for name, count in build(args.source, args.target).items():
        print(f"{name}: {count}")


if __name__ == "__main__":
    main()
