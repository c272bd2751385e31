"""Rebuild src/lentera/analytics/data/indonesia_regencies.geo.json (a maintainer's tool).

Input: a checkout of github.com/mashadinoor/Indonesia-Geojson-2026 (MIT; geometry from Badan
Informasi Geospasial, codes after Kepmendagri 100.1.1-6117/2022), commit c95911f: one GeoJSON
file per regency under ``Kabupaten/<province>/``, Kemendagri code in ``KDPKAB`` ("11.05").

Each regency is matched to the BPS code of ``lentera/reference/data/regencies.csv`` through its
Kemendagri code; the 26 regencies moved to the 2022 Papua provinces carry their pre-2022 code in
the source, so they are matched by name within their new province. Rings are simplified with
Douglas–Peucker (tolerance ``TOLERANCE`` degrees), rounded to 0.001° and rings that collapse
are dropped. The output keeps only ``{"bps": code}`` per feature; the match report is printed.

Usage: python tools/reference/build_regency_map.py /path/to/Indonesia-Geojson-2026
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REGENCIES = ROOT / "src" / "lentera" / "reference" / "data" / "regencies.csv"
OUT = ROOT / "src" / "lentera" / "analytics" / "data" / "indonesia_regencies.geo.json"
TOLERANCE = 0.004  # degrees (≈ 450 m)
# source folder of the 2022 Papua provinces -> BPS province code
NEW_PAPUA = {
    "Papua_Barat_Daya": "92",
    "Papua_Selatan": "95",
    "Papua_Tengah": "96",
    "Papua_Pegunungan": "97",
}

Point = tuple[float, float]


def _norm(name: str) -> str:
    name = name.lower().replace("administrasi ", "")
    name = re.sub(r"^(kabupaten|kab\.?)\s+", "", name)
    return re.sub(r"[^a-z]", "", name)


def _dp(points: list[Point], tol: float) -> list[Point]:
    """Douglas–Peucker on an open polyline (iterative, keeps both ends)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        (x1, y1), (x2, y2) = points[i], points[j]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, at = -1.0, -1
        for k in range(i + 1, j):
            x, y = points[k]
            if norm == 0:
                d = ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            else:
                d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
            if d > best:
                best, at = d, k
        if best > tol:
            keep[at] = True
            stack += [(i, at), (at, j)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: list[Point], tol: float = TOLERANCE) -> list[list[float]] | None:
    """A closed ring simplified and rounded; None when fewer than 4 points remain."""
    pts = [(float(x), float(y)) for x, y in ring]
    if len(pts) > 3:
        # split the closed ring at its farthest point from the start so both halves are open
        far = max(
            range(len(pts)),
            key=lambda k: (pts[k][0] - pts[0][0]) ** 2 + (pts[k][1] - pts[0][1]) ** 2,
        )
        pts = _dp(pts[: far + 1], tol)[:-1] + _dp(pts[far:], tol)
    out: list[list[float]] = []
    for x, y in pts:
        p = [round(x, 3), round(y, 3)]
        if not out or out[-1] != p:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def main(src: Path) -> None:
    regs = list(csv.DictReader(REGENCIES.open(encoding="utf-8")))
    by_kmd = {r["kemendagri_code"]: r for r in regs}
    by_name = {(r["province_code"], _norm(r["name"])): r for r in regs}
    features, matched, no_shape, unknown = [], set(), [], []
    for path in sorted((src / "Kabupaten").glob("*/*.json")):
        geo = json.loads(path.read_text(encoding="utf-8"))
        for feature in geo["features"]:
            props, geom = feature["properties"], feature["geometry"]
            kmd = (props.get("KDPKAB") or "").replace(".", "")
            folder = path.parent.name
            if folder in NEW_PAPUA:
                key = (NEW_PAPUA[folder], _norm(props.get("WADMKK") or ""))
                row = by_name.get(key)
            else:
                row = by_kmd.get(kmd)
            if row is None:
                unknown.append(f"{path.relative_to(src)} ({kmd or '?'})")
                continue
            if geom is None:
                no_shape.append(row["bps_code"])
                continue
            polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
            out = []
            for poly in polys:
                rings = [r for r in (simplify_ring(ring) for ring in poly) if r]
                if rings and len(rings[0]) >= 4:
                    out.append(rings[:1] + rings[1:])
            if not out:
                no_shape.append(row["bps_code"])
                continue
            matched.add(row["bps_code"])
            features.append(
                {
                    "type": "Feature",
                    "properties": {"bps": row["bps_code"]},
                    "geometry": {"type": "MultiPolygon", "coordinates": out},
                }
            )
    features.sort(key=lambda f: f["properties"]["bps"])
    OUT.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")),
        encoding="utf-8",
    )
    missing = sorted({r["bps_code"] for r in regs} - matched)
    print(f"{len(matched)} of {len(regs)} regencies with a shape; {OUT.stat().st_size:,} bytes")
    print("without a shape:", ", ".join(missing))
    print("source files not matched:", "; ".join(unknown) or "none")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
