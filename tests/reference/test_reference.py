"""Reference data: provinces, regencies (BPS ↔ Kemendagri), countries, synthetic names."""

from __future__ import annotations

import random

import pytest

from lentera import reference
from lentera.reference import names


def test_38_provinces_with_island_groups() -> None:
    provinces = reference.provinces()
    assert len(provinces) == 38
    assert {p.island_group for p in provinces.values()} == {
        "Sumatera",
        "Jawa",
        "Bali–Nusa Tenggara",
        "Kalimantan",
        "Sulawesi",
        "Maluku",
        "Papua",
    }
    assert provinces["94"].name == "Papua" and provinces["91"].name == "Papua Barat"


def test_every_regency_belongs_to_a_known_province() -> None:
    regencies = reference.regencies()
    assert len(regencies) == 514
    assert all(
        r.province_code in reference.provinces() and r.code.startswith(r.province_code)
        for r in regencies.values()
    )
    assert all(reference.regencies_of(code) for code in reference.provinces())


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("3201", "Kabupaten Bogor"),
        ("3578", "Kota Surabaya"),
        ("5171", "Kota Denpasar"),
        ("1101", "Kabupaten Simeulue"),
        ("9501", "Kabupaten Merauke"),
        ("9471", "Kota Jayapura"),
    ],
)
def test_spot_checks(code: str, name: str) -> None:
    assert reference.region_name(code) == name


def test_kemendagri_codes_round_trip() -> None:
    """NIKs carry Kemendagri codes; they differ from BPS (Aceh, Papua)."""
    assert reference.kemendagri_to_bps("1101") == "1103"  # Kab. Aceh Selatan
    assert reference.kemendagri_to_bps("11.09") == "1101"  # Kab. Simeulue
    assert reference.kemendagri_to_bps("93") == "95"  # Papua Selatan
    assert reference.kemendagri_to_bps("9301") == "9501"
    for regency in reference.regencies().values():
        assert reference.kemendagri_to_bps(regency.kemendagri_code) == regency.code
    moved = [r for r in reference.regencies().values() if r.verification == "derived_unverified"]
    assert len(moved) == 26 and {r.province_code for r in moved} == {"92", "95", "96", "97"}


def test_invalid_codes() -> None:
    assert not reference.is_valid_region("99")
    assert not reference.is_valid_region("3299")
    assert reference.province_of("3201") == "32"


def test_countries_with_indonesian_names() -> None:
    countries = reference.countries()
    assert len(countries) >= 249
    assert all(c.name_id and c.name_en and len(c.alpha3) == 3 for c in countries.values())
    assert reference.country_name("MY") == "Malaysia"
    assert reference.country_name("SA") == "Arab Saudi"
    assert reference.country_name("KH") == "Kamboja"
    assert reference.country_name("SA", lang="en") == "Saudi Arabia"
    assert not reference.is_valid_country("XX")


def test_synthetic_names_are_deterministic_and_follow_customs() -> None:
    rng_a, rng_b = random.Random(5), random.Random(5)
    a = [names.synthetic_name(rng_a, "female", "balinese") for _ in range(50)]
    assert a == [names.synthetic_name(rng_b, "female", "balinese") for _ in range(50)]
    assert all(n.startswith("Ni ") or " " not in n for n in a)
    assert (
        names.group_for_province("51") == "balinese" and names.group_for_province("12") == "batak"
    )
    rng = random.Random(1)
    malay = [names.synthetic_name(rng, "male", "malay_muslim") for _ in range(200)]
    assert not any("binti" in n for n in malay)
