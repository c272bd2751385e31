"""Reference data shipped with Lentera: Indonesian provinces and regencies (BPS codes,
with their Kemendagri codes), and ISO 3166 countries with Indonesian names.

Sources and caveats are in ``data/SOURCES.md``. Everything is loaded once and cached.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from lentera.reference import names

__all__ = [
    "DATA_VERSION",
    "Country",
    "Province",
    "Regency",
    "countries",
    "country_name",
    "is_valid_country",
    "is_valid_region",
    "kemendagri_to_bps",
    "names",
    "province_of",
    "provinces",
    "regencies",
    "regencies_of",
    "region_name",
]

DATA_VERSION = (
    "lentera-reference/1 (BPS 2020 + 2022 Papua split; Kemendagri via idn-area-data 4.0.1; CLDR 47)"
)


@dataclass(frozen=True)
class Province:
    """A province, keyed by its BPS code."""

    code: str
    name: str
    island_group: str
    kemendagri_code: str
    geojson_id: str


@dataclass(frozen=True)
class Regency:
    """A regency (kabupaten) or city (kota), keyed by its 4-digit BPS code."""

    code: str
    name: str
    kind: str
    province_code: str
    kemendagri_code: str
    verification: str


@dataclass(frozen=True)
class Country:
    """An ISO 3166-1 country with its English and Indonesian names."""

    alpha2: str
    alpha3: str
    name_en: str
    name_id: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("lentera.reference").joinpath(f"data/{name}").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def provinces() -> Mapping[str, Province]:
    return {
        r["bps_code"]: Province(
            r["bps_code"], r["name"], r["island_group"], r["kemendagri_code"], r["geojson_id"]
        )
        for r in _rows("provinces.csv")
    }


@cache
def regencies() -> Mapping[str, Regency]:
    return {
        r["bps_code"]: Regency(
            r["bps_code"],
            r["name"],
            r["kind"],
            r["province_code"],
            r["kemendagri_code"],
            r["verification"],
        )
        for r in _rows("regencies.csv")
    }


@cache
def _regencies_by_province() -> Mapping[str, tuple[Regency, ...]]:
    out: dict[str, list[Regency]] = {}
    for regency in regencies().values():
        out.setdefault(regency.province_code, []).append(regency)
    return {k: tuple(v) for k, v in out.items()}


def regencies_of(province_code: str) -> tuple[Regency, ...]:
    return _regencies_by_province().get(province_code, ())


@cache
def countries() -> Mapping[str, Country]:
    return {
        r["alpha2"]: Country(r["alpha2"], r["alpha3"], r["name_en"], r["name_id"])
        for r in _rows("countries.csv")
    }


def region_name(code: str) -> str | None:
    """Name of a BPS province (2 digits) or regency/city (4 digits) code."""
    if len(code) == 2 and code in provinces():
        return provinces()[code].name
    if len(code) == 4 and code in regencies():
        return regencies()[code].name
    return None


def is_valid_region(code: str) -> bool:
    return region_name(code) is not None


def province_of(code: str) -> str | None:
    return code[:2] if is_valid_region(code) else None


@cache
def _kemendagri_index() -> Mapping[str, str]:
    index = {p.kemendagri_code: p.code for p in provinces().values()}
    index.update({r.kemendagri_code: r.code for r in regencies().values() if r.kemendagri_code})
    return index


def kemendagri_to_bps(code: str) -> str | None:
    """BPS code of a Kemendagri province (2) or regency (4) code, e.g. from a NIK; None if unknown."""
    return _kemendagri_index().get(code.replace(".", ""))


def is_valid_country(alpha2: str) -> bool:
    return alpha2 in countries()


def country_name(alpha2: str, lang: str = "id") -> str | None:
    country = countries().get(alpha2)
    if country is None:
        return None
    return country.name_en if lang == "en" else country.name_id
