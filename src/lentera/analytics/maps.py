"""Choropleth maps of the 38 provinces or of the 514 regencies/cities, as server-side SVG.

Geometry: ``data/indonesia_38_provinces.geo.json`` (simplified copy, see ``data/SOURCES.md``).
Its ``KODE_PROV`` is **not** a BPS code (all Papua provinces share 91/92), so features are joined
to BPS codes through ``data/province_code_crosswalk_38.csv`` on the GeoJSON ``id``.
Regencies: ``data/indonesia_regencies.geo.json`` (built by ``tools/reference/build_regency_map.py``,
keyed by BPS regency code; 507 of 514 have a shape, seven small cities have none and keep
their figures in the page's tables). A regency map draws the provinces underneath, so an area
without a regency shape still shows as its province.
Projection: equirectangular (longitude, latitude scaled by cos 2.5°), enough at this scale.

Survivor counts are suppressed before drawing (:func:`survivor_map` runs
:func:`lentera.analytics.metrics.compute`): a province with 1–4 survivors is grey and labelled
``<5`` in its tooltip and legend. Classes are sequential ColorBrewer blues for counts and
yellow–orange–brown for poverty %, both readable with colour-vision deficiencies.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from functools import cache
from html import escape
from typing import Any

from lentera import reference
from lentera.analytics.charts import FONT, fmt
from lentera.analytics.metrics import compute
from lentera.analytics.suppress import is_small, is_suppressed
from lentera.analytics.warehouse import data_text, read_data_csv

__all__ = [
    "BLUES",
    "YLORBR",
    "choropleth",
    "count_classes",
    "joined_provinces",
    "poverty_map",
    "province_paths",
    "regency_paths",
    "survivor_map",
    "survivor_regency_values",
]

BLUES = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")
YLORBR = ("#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404")
SUPPRESSED_FILL = "#bdbdbd"
ZERO_FILL = "#ffffff"
NODATA_FILL = "#f0f0f0"
LON0, LON1, LAT0, LAT1 = 94.8, 141.2, -11.2, 6.3
SCALE = 20.0
KX = math.cos(math.radians(2.5))


def _xy(lon: float, lat: float) -> tuple[float, float]:
    return (lon - LON0) * SCALE * KX, (LAT1 - lat) * SCALE


@cache
def province_paths() -> Mapping[str, str]:
    """SVG path data by BPS province code, joined through the crosswalk."""
    crosswalk = {
        r["geojson_id"]: r["bps_province_code"]
        for r in read_data_csv("province_code_crosswalk_38.csv")
    }
    geo = json.loads(data_text("indonesia_38_provinces.geo.json"))
    out: dict[str, str] = {}
    for feature in geo["features"]:
        code = crosswalk.get(str(feature["properties"]["id"]))
        if code is None:
            continue
        out[code] = _path(feature["geometry"]["coordinates"])
    return out


@cache
def regency_paths() -> Mapping[str, str]:
    """SVG path data by BPS regency code (the regencies that have a shape)."""
    geo = json.loads(data_text("indonesia_regencies.geo.json"))
    return {f["properties"]["bps"]: _path(f["geometry"]["coordinates"]) for f in geo["features"]}


def _path(multipolygon: Sequence[Any]) -> str:
    d = []
    for polygon in multipolygon:
        for ring in polygon:
            pts = [_xy(lon, lat) for lon, lat in ring]
            d.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
    return "".join(d)


def joined_provinces() -> set[str]:
    """BPS codes of the reference provinces that have a map shape (should be all 38)."""
    return set(province_paths()) & set(reference.provinces())


def _nice(x: float) -> int:
    if x <= 10:
        return max(5, math.ceil(x))
    mag = 10 ** math.floor(math.log10(x))
    return int(math.ceil(x / mag) * mag)


def count_classes(values: Sequence[Any], n: int = 4) -> list[int]:
    """Lower bounds of up to ``n`` classes over the displayed (≥5) counts; the first is 5."""
    shown = sorted(float(v) for v in values if isinstance(v, int | float) and v >= 5)
    if not shown:
        return [5]
    bounds = [5]
    for k in range(1, n):
        q = shown[min(len(shown) - 1, int(len(shown) * k / n))]
        b = _nice(q)
        if b > bounds[-1] and b <= shown[-1]:
            bounds.append(b)
    return bounds


def choropleth(
    values: Mapping[str, Any],
    *,
    title: str,
    desc: str,
    legend_title: str,
    unit: str = "count",
    lang: str = "id",
    bounds: Sequence[float] | None = None,
    palette: Sequence[str] = BLUES,
    uid: str = "map",
    level: str = "province",
    province_values: Mapping[str, Any] | None = None,
) -> str:
    """A choropleth of the 38 provinces from ``{bps_code: value}`` (suppressed values only), or
    with ``level="regency"`` of the regencies from ``{bps_regency_code: value}``.

    A regency map draws the provinces underneath and their borders on top. A regency with no
    value (None or 0) is transparent, so the province underneath shows: "no data" grey, or —
    the province fallback — its value in ``province_values`` (what is recorded by province
    only, e.g. activities without a regency) in a lighter shade of the same classes."""
    for v in [*values.values(), *(province_values or {}).values()]:
        if unit == "count" and isinstance(v, int | float) and is_small(v):
            raise ValueError("unsuppressed small count given to a map; suppress first")
    bounds = (
        list(bounds) if bounds is not None else count_classes(list(values.values()), len(palette))
    )
    palette = list(palette)[: len(bounds)] if len(bounds) <= len(palette) else list(palette)
    names = {code: p.name for code, p in reference.provinces().items()}
    w, h = _xy(LON1 + (LON1 - LON0) * 0, LAT0)[0], _xy(LON0, LAT0)[1]
    width, height = int(w) + 10, int(h) + 150
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'{FONT} role="img" aria-labelledby="{uid}-t {uid}-d">',
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>',
        f'<text x="8" y="24" font-size="22" font-weight="600" fill="#222">{escape(title)}</text>',
        '<g transform="translate(5,40)" stroke="#666" stroke-width="0.6">',
    ]

    def fill(v: Any) -> str:
        if is_suppressed(v):
            return SUPPRESSED_FILL
        if v is None:
            return NODATA_FILL
        if unit == "count" and float(v) == 0:
            return ZERO_FILL
        k = max((i for i, b in enumerate(bounds) if float(v) >= b), default=0)
        return palette[min(k, len(palette) - 1)]

    def shape(code: str, d: str, v: Any, name: str, extra: str = "") -> str:
        tip = f"{name}: {fmt(v, unit, lang)}"
        return (
            f'<path d="{d}" fill="{fill(v)}" data-bps="{code}"{extra}>'
            f"<title>{escape(tip)}</title></path>"
        )

    if level == "regency":
        only = " (provinsi saja)" if lang == "id" else " (by province only)"
        for code, d in sorted(province_paths().items()):
            v = province_values.get(code) if province_values is not None else None
            faded = ' fill-opacity="0.55"' if v not in (None, 0) else ""
            parts.append(shape(code, d, v, names.get(code, code) + only, faded))
        parts.append('<g stroke="#999" stroke-width="0.3">')
        for code, d in sorted(regency_paths().items()):
            v = values.get(code)
            region = reference.regencies()[code].name
            if v in (None, 0):  # transparent: the province (fallback) shows through
                tip = f"{region}: {fmt(v, unit, lang)}"
                parts.append(
                    f'<path d="{d}" fill="#fff" fill-opacity="0" data-bps="{code}">'
                    f"<title>{escape(tip)}</title></path>"
                )
            else:
                parts.append(shape(code, d, v, region))
        parts.append("</g>")
        parts.append(f'<path d="{"".join(province_paths().values())}" fill="none" stroke="#444"/>')
    else:
        for code, d in sorted(province_paths().items()):
            parts.append(shape(code, d, values.get(code), names.get(code, code)))
    parts.append("</g>")
    ly = height - 88
    parts.append(
        f'<text x="10" y="{ly - 10}" font-size="24" fill="#222">{escape(legend_title)}</text>'
    )
    items: list[tuple[str, str]] = []
    for i, b in enumerate(bounds):
        hi = bounds[i + 1] if i + 1 < len(bounds) else None
        if unit == "count":
            label = f"{int(b)}–{int(hi) - 1}" if hi is not None else f"{int(b)}+"
        else:
            label = (
                f"{fmt(b, 'number', lang)}–{fmt(hi, 'number', lang)}"
                if hi is not None
                else f"{fmt(b, 'number', lang)}+"
            )
        items.append((palette[min(i, len(palette) - 1)], label))
    if unit == "count":
        items.insert(0, (ZERO_FILL, "0"))
        items.append(
            (SUPPRESSED_FILL, "<5 / x" + (" (disembunyikan)" if lang == "id" else " (suppressed)"))
        )
    items.append((NODATA_FILL, "tidak ada data" if lang == "id" else "no data"))
    if level == "regency" and province_values is not None:
        items.append(("faded", "provinsi saja" if lang == "id" else "by province only"))
    x, y = 10, ly
    for color, label in items:
        step = 56 + 14 * len(label)
        if x + step > width:
            x, y = 10, y + 34
        paint = (
            f'fill="{palette[min(1, len(palette) - 1)]}" fill-opacity="0.55"'
            if color == "faded"
            else f'fill="{color}"'
        )
        parts.append(f'<rect x="{x}" y="{y}" width="30" height="24" {paint} stroke="#666"/>')
        parts.append(
            f'<text x="{x + 38}" y="{y + 19}" font-size="24" fill="#222">{escape(label)}</text>'
        )
        x += step
    parts.append("</svg>")
    return "".join(parts)


def survivor_values(warehouse: Any, filters: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Suppressed survivors by BPS province of origin, for all 38 provinces (0 where none)."""
    frame = compute(warehouse, "survivors", ["origin_province"], filters)
    values: dict[str, Any] = dict.fromkeys(reference.provinces(), 0)
    for code, value in zip(frame["origin_province"], frame["value"], strict=True):
        if code in values:
            values[code] = value
    return values


def survivor_regency_values(
    warehouse: Any, filters: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Suppressed survivors by BPS regency of origin (only regencies in the reference list;
    survivors recorded by province only are not in it)."""
    frame = compute(warehouse, "survivors", ["origin_regency"], filters)
    regencies = reference.regencies()
    return {
        code: value
        for code, value in zip(frame["origin_regency"], frame["value"], strict=True)
        if code in regencies
    }


def survivor_map(
    warehouse: Any,
    filters: Mapping[str, Any] | None = None,
    *,
    lang: str = "id",
    level: str = "province",
) -> str:
    """Choropleth of survivors by province (or, ``level="regency"``, regency) of origin,
    suppressed."""
    if level == "regency":
        values = survivor_regency_values(warehouse, filters)
        if lang == "id":
            title, legend = "Korban menurut kabupaten/kota asal", "Jumlah korban"
            desc = (
                "Peta kabupaten/kota; warna menurut jumlah korban; abu-abu = 1–4 korban "
                "(disembunyikan); abu-abu muda = tidak ada data kabupaten/kota."
            )
        else:
            title, legend = "Survivors by regency/city of origin", "Survivors"
            desc = (
                "Map of the regencies and cities, shaded by number of survivors; grey = 1–4 "
                "survivors (suppressed); light grey = no regency recorded."
            )
        return choropleth(
            values, title=title, desc=desc, legend_title=legend, lang=lang,
            uid="map-survivors", level="regency",
        )  # fmt: skip
    values = survivor_values(warehouse, filters)
    if lang == "id":
        title, legend = "Korban menurut provinsi asal", "Jumlah korban"
        desc = (
            "Peta 38 provinsi; warna menurut jumlah korban; abu-abu = 1–4 korban (disembunyikan)."
        )
    else:
        title, legend = "Survivors by province of origin", "Survivors"
        desc = "Map of the 38 provinces, shaded by number of survivors; grey = 1–4 survivors (suppressed)."
    return choropleth(
        values, title=title, desc=desc, legend_title=legend, lang=lang, uid="map-survivors"
    )


def poverty_values(year: int = 2024) -> dict[str, float | None]:
    """BPS poverty % (P0) by province for ``year`` (None where not published)."""
    out: dict[str, float | None] = dict.fromkeys(reference.provinces())
    for row in read_data_csv("bps_poverty_pct_by_province_2019_2024.csv"):
        if int(row["year"]) == year and row["poverty_pct"].strip():
            out[row["bps_province_code"]] = float(row["poverty_pct"])
    return out


def poverty_map(year: int = 2024, *, lang: str = "id") -> str:
    """Choropleth of the BPS poverty percentage by province."""
    values = poverty_values(year)
    if lang == "id":
        title, legend = f"Persentase penduduk miskin {year} (BPS)", "% penduduk miskin"
        desc = f"Peta 38 provinsi menurut persentase penduduk miskin tahun {year} (BPS, via Open Data Jabar)."
    else:
        title, legend = f"Population in poverty {year} (BPS)", "% poor"
        desc = f"Map of the 38 provinces by percentage of population in poverty, {year} (BPS via Open Data Jabar)."
    return choropleth(
        values,
        title=title,
        desc=desc,
        legend_title=legend,
        unit="number",
        lang=lang,
        bounds=[0, 5, 10, 15, 20],
        palette=YLORBR,
        uid="map-poverty",
    )
