"""Rebuild src/lentera/reference/data/*.csv from their sources (a maintainer's tool, not run at install).

Inputs:
- tools/reference/bps_regencies_2020.txt — BPS regency/city codes and names (514, before the 2022
  Papua split), transcribed from the BPS-API seed file in github.com/zeixs/bps-wilayah-indonesia
  (database/seeders/RegenciesTableSeeder.php, commit 15af4742); K = kabupaten, C = kota.
- the npm package idn-area-data 4.0.1 (ODbL; github.com/fityannugroho/idn-area-data): Kemendagri
  codes of provinces and regencies after the 2022 Papua split: `npm pack idn-area-data@4.0.1`,
  then pass the unpacked `package/data` directory.
- ../shared/data/province_code_crosswalk_38.csv — the 38 provinces with BPS codes.
- Babel's CLDR data (Indonesian and English country names) and pycountry (ISO 3166 alpha-3).

Usage: python tools/reference/build.py /path/to/idn-area-data/package/data
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "src" / "lentera" / "reference" / "data"
SHARED = ROOT.parent / "shared" / "data"

ISLAND_GROUP = {
    **dict.fromkeys(["11", "12", "13", "14", "15", "16", "17", "18", "19", "21"], "Sumatera"),
    **dict.fromkeys(["31", "32", "33", "34", "35", "36"], "Jawa"),
    **dict.fromkeys(["51", "52", "53"], "Bali–Nusa Tenggara"),
    **dict.fromkeys(["61", "62", "63", "64", "65"], "Kalimantan"),
    **dict.fromkeys(["71", "72", "73", "74", "75", "76"], "Sulawesi"),
    **dict.fromkeys(["81", "82"], "Maluku"),
    **dict.fromkeys(["91", "92", "94", "95", "96", "97"], "Papua"),
}
# BPS province code -> Kemendagri province code (they differ only for the Papua provinces)
BPS_TO_KMD_PROVINCE = {"91": "92", "92": "96", "94": "91", "95": "93", "96": "94", "97": "95"}
KMD_TO_BPS_PROVINCE = {v: k for k, v in BPS_TO_KMD_PROVINCE.items()}


def norm(name: str) -> str:
    name = (
        name.upper()
        .replace("KABUPATEN ", "")
        .replace("KOTA ", "")
        .replace("ADM. ", "")
        .replace("ADMINISTRASI ", "")
    )
    name = re.sub(r"[^A-Z]", "", name)
    return {
        "TOBASAMOSIR": "TOBA",
        "BANYUASIN": "BANYUASIN",
        "TULANGBAWANG": "TULANGBAWANG",
        "PANGKAJENEDANKEPULAUAN": "PANGKAJENEKEPULAUAN",
        "KEPULAUANSIAUTAGULANDANGBIARO": "SIAUTAGULANDANGBIARO",
    }.get(name, name)


def title(name: str) -> str:
    words = name.replace("B A T A M", "BATAM").split()
    return " ".join(
        w.capitalize() if "-" not in w else "-".join(p.capitalize() for p in w.split("-"))
        for w in words
    )


def main(idn_data: Path) -> None:
    provinces = list(csv.DictReader((SHARED / "province_code_crosswalk_38.csv").open()))
    kmd_regencies = list(csv.DictReader((idn_data / "regencies.csv").open()))
    kmd_by_prov_name: dict[tuple[str, str, str], str] = {}
    kmd_kind = {}
    for r in kmd_regencies:
        kind = "kota" if r["name"].lower().startswith("kota") else "kabupaten"
        kmd_by_prov_name[(r["province_code"], norm(r["name"]), kind)] = r["code"].replace(".", "")
        kmd_kind[r["code"].replace(".", "")] = (r["name"], r["province_code"], kind)

    rows = []
    used_kmd = set()
    for line in (Path(__file__).with_name("bps_regencies_2020.txt")).read_text().splitlines():
        code, kind_letter, name = line.split(" ", 2)
        kind = "kota" if kind_letter == "C" else "kabupaten"
        bps_prov = code[:2]
        kmd_prov_candidates = [BPS_TO_KMD_PROVINCE.get(bps_prov, bps_prov)]
        if bps_prov in {"91", "94"}:  # pre-split Papua: the regency may now be in a new province
            kmd_prov_candidates = ["91", "92", "93", "94", "95", "96"]
        kmd = None
        for kp in kmd_prov_candidates:
            kmd = kmd_by_prov_name.get((kp, norm(name), kind))
            if kmd:
                break
        new_code, verification = code, "bps"
        if kmd:
            used_kmd.add(kmd)
            kmd_prov = kmd[:2]
            bps_now = KMD_TO_BPS_PROVINCE.get(kmd_prov, kmd_prov)
            if bps_now != bps_prov:
                # moved to a province created in 2022: BPS code taken as <new BPS province><Kemendagri serial>
                new_code, verification = bps_now + kmd[2:], "derived_unverified"
        rows.append(
            {
                "bps_code": new_code,
                "name": ("Kota " if kind == "kota" else "Kabupaten ") + title(name),
                "kind": kind,
                "province_code": new_code[:2],
                "kemendagri_code": kmd or "",
                "verification": verification,
            }
        )
    missing = [k for k in kmd_kind if k not in used_kmd]
    for k in missing:
        print("no BPS match for Kemendagri", k, kmd_kind[k], file=sys.stderr)
    rows.sort(key=lambda r: r["bps_code"])
    with (OUT / "regencies.csv").open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with (OUT / "provinces.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["bps_code", "name", "island_group", "kemendagri_code", "geojson_id"])
        for p in sorted(provinces, key=lambda p: p["bps_province_code"]):
            code = p["bps_province_code"]
            w.writerow(
                [
                    code,
                    title(p["bps_province_name"]).replace("Dki ", "DKI ").replace("Di ", "DI "),
                    ISLAND_GROUP[code],
                    BPS_TO_KMD_PROVINCE.get(code, code),
                    p["geojson_id"],
                ]
            )

    import pycountry
    from babel import Locale

    id_names, en_names = Locale("id").territories, Locale("en").territories
    with (OUT / "countries.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["alpha2", "alpha3", "name_en", "name_id"])
        for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
            w.writerow(
                [
                    c.alpha_2,
                    c.alpha_3,
                    en_names.get(c.alpha_2, c.name),
                    id_names.get(c.alpha_2, c.name),
                ]
            )
    print(f"{len(rows)} regencies, {len(provinces)} provinces written")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
