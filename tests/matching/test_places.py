"""Known answers from the shipped municipality, locality and 2024 ad-count files."""

from __future__ import annotations

import csv

import pytest

from matching import places
from matching.geo import haversine_km


def test_every_municipality_is_loaded_with_a_point_in_sweden() -> None:
    everything = places.all_municipalities()
    assert len(everything) == 290
    assert len({m.code for m in everything}) == 290
    for m in everything:
        assert len(m.code) == 4 and m.code.isdigit()
        assert 55.0 < m.lat < 69.5 and 10.5 < m.lon < 24.5, m
        assert m.code.startswith(m.lan_code)


def test_municipality_by_code_and_by_name() -> None:
    karlstad = places.municipality("1780")
    assert karlstad.name == "Karlstad"
    assert karlstad.concept_id == "hRDj_PoV_sFU"
    assert karlstad.lan == "Värmlands län"
    assert places.municipality_by_name("karlstad") is karlstad
    assert places.municipality_by_name("  Karlstads kommun ") is karlstad
    assert places.municipality_by_name("1780") is karlstad
    assert places.municipality("180").name == "Stockholm"
    assert places.municipality_by_name("Malmö").code == "1280"


def test_unknown_municipality_raises_a_lookup_error() -> None:
    with pytest.raises(places.UnknownMunicipality):
        places.municipality("9999")
    with pytest.raises(LookupError):
        places.municipality_by_name("Atlantis")
    assert places.find_municipality("9999") is None


def test_municipalities_near_are_within_the_radius_nearest_first() -> None:
    near = places.municipalities_near("1780", 50)
    names = [m.name for m, _ in near]
    assert names[0] == "Karlstad" and near[0][1] == 0.0
    assert {"Hammarö", "Forshaga", "Kil", "Grums"} <= set(names)
    assert "Stockholm" not in names
    distances = [d for _, d in near]
    assert distances == sorted(distances)
    centre = places.municipality("1780")
    for m, d in near:
        assert d <= 50
        assert d == pytest.approx(haversine_km(centre.lat, centre.lon, m.lat, m.lon))
    assert [m.code for m, _ in places.municipalities_near("1780", 0)] == ["1780"]
    with pytest.raises(ValueError, match="km"):
        places.municipalities_near("1780", -1)


def test_a_wider_radius_never_loses_municipalities() -> None:
    small = {m.code for m, _ in places.municipalities_near("0380", 30)}
    large = {m.code for m, _ in places.municipalities_near("0380", 80)}
    assert small < large


def test_localities_belong_to_their_municipality() -> None:
    karlstad = places.localities("1780")
    names = [p.name for p in karlstad]
    assert {"Karlstad", "Skåre", "Molkom", "Vålberg"} <= set(names)
    assert names == sorted(names)
    centre = places.municipality("1780")
    for p in karlstad:
        assert p.municipality_code == "1780"
        assert haversine_km(centre.lat, centre.lon, p.lat, p.lon) < 40
    town = next(p for p in karlstad if p.name == "Karlstad")
    assert town.population is not None and town.population > 50_000
    with pytest.raises(places.UnknownMunicipality):
        places.localities("0000")


def test_ad_counts_match_the_public_source_for_a_known_cell() -> None:
    # Städare (9111) in Karlstad: 107 ads in 2024 (market/ssyk4_municipality_ad_counts_2024.csv).
    assert places.ad_count_2024("9111", "1780") == 107
    assert places.ad_count_2024("0000", "1780") == 0
    assert all(n > 0 for n in places.ad_counts_2024("1780").values())
    with pytest.raises(places.UnknownMunicipality):
        places.ad_count_2024("9111", "0000")


def test_ad_counts_add_up_to_the_vocabulary_totals_per_group() -> None:
    # The vocabulary ships national totals per SSYK-4 group from the same source file.
    with (places.DATA_DIR / "ssyk4_groups.csv").open(encoding="utf-8") as handle:
        national = {r["ssyk4_code"]: int(r["ads_2024"]) for r in csv.DictReader(handle)}
    codes = [m.code for m in places.all_municipalities()]
    summed = dict(places.top_ssyk4(codes, n=10_000))
    for ssyk4 in ("9111", "5321", "4321", "2512"):
        assert summed[ssyk4] == national[ssyk4]


def test_top_ssyk4_sums_over_municipalities_most_first() -> None:
    top = places.top_ssyk4(["1780", "1781"], n=5)
    assert len(top) == 5
    assert [c for _, c in top] == sorted((c for _, c in top), reverse=True)
    for ssyk4, count in top:
        assert count == places.ad_count_2024(ssyk4, "1780") + places.ad_count_2024(ssyk4, "1781")
    assert places.top_ssyk4(["1780", "1780"], n=3) == places.top_ssyk4(["1780"], n=3)
    assert places.top_ssyk4(["1780"], n=0) == []
    assert places.top_ssyk4([], n=3) == []


def test_loading_is_cached() -> None:
    places._load.cache_clear()
    assert places._load() is places._load()
