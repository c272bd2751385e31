"""HTCDS v2.0 export (XLSX, one row per victim, HTCDS field names) and import back into
snapshot rows, so a round trip can be checked.

The export carries the de-identified snapshot, not a k-anonymised release: it is for exchange
with another HTCDS system, under a data-sharing agreement, not for publication. Values are the
HTCDS picklist value names (``data/htcds_mapping.yaml``); multiselect fields are joined with
``;``; snapshot values with no HTCDS field go to ``x_lentera_*`` extension columns. Opaque keys
are written only with ``include_keys=True``; without them the import makes new keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook, load_workbook

from lentera import reference
from lentera.analytics.snapshot import Snapshot
from lentera.disclosure._common import DisclosureError, data_yaml, victims_frame
from lentera.disclosure.guard import assert_no_identifiers

__all__ = ["htcds_columns", "htcds_frame", "read_htcds", "write_htcds"]


def _spec() -> Mapping[str, Any]:
    return data_yaml("htcds_mapping.yaml")


def htcds_columns(*, include_keys: bool = False) -> list[str]:
    """The columns of an HTCDS export, in order."""
    spec = _spec()
    cols = [*spec["columns"], *spec["extensions"]]
    return [*cols, *spec["keys"]] if include_keys else cols


def _month(value: Any) -> str:
    if value is None or pd.isna(value):
        return ""
    return str(pd.Timestamp(value).strftime("%Y-%m"))


def _flag(value: Any) -> str:
    if value is None or pd.isna(value):
        return ""
    return "1" if bool(value) else "0"


def htcds_frame(snapshot: Snapshot, *, include_keys: bool = False) -> pd.DataFrame:
    """The HTCDS table of a snapshot (all cells text), one row per victim (person)."""
    spec = _spec()
    values = spec["values"]
    sep = spec["separator"]
    victims = victims_frame(snapshot)
    provinces = reference.provinces()
    regencies = reference.regencies()

    def many(items: Any, field: str) -> str:
        mapping = values[field]
        return sep.join(mapping[x] for x in sorted(items)) if items is not None else ""

    out = pd.DataFrame(
        {
            "org_Name": victims["org_code"],
            "prs_Gender": victims["sex"].map(values["prs_Gender"]),
            "prs_Citizenship": victims["citizenship"],
            "prs_MailingCountry": victims["origin_province"].map(lambda p: "ID" if p else ""),
            "prs_MailingState": victims["origin_province"].map(
                lambda p: provinces[p].name if p else ""
            ),
            "prs_MailingCity": victims["origin_regency"].map(
                lambda r: regencies[r].name if r else ""
            ),
            "vic_TraffickingStatus": victims["trafficking_status"].map(
                values["vic_TraffickingStatus"]
            ),
            "vic_MethodOfRecruitment": victims["recruitment_method"].map(
                lambda m: values["vic_MethodOfRecruitment"][m] if m else ""
            ),
            "vic_MethodsOfControl": victims["means_of_control"].map(
                lambda v: many(v, "vic_MethodsOfControl")
            ),
            "vic_TypeOfExploitation": victims["exploitation_types"].map(
                lambda v: many(v, "vic_TypeOfExploitation")
            ),
            "vic_ForcedLabourIndustry": victims["sector"].map(
                lambda s: values["vic_ForcedLabourIndustry"][s] if s else ""
            ),
            "cas_Status": victims["status"].map(values["cas_Status"]),
            "hte_Type": victims["destination_country"].map(lambda c: "Exploitation" if c else ""),
            "hte_Country": victims["destination_country"],
            "x_lentera_age_band": victims["age_band"],
            "x_lentera_is_child": victims["is_child"].map(_flag),
            "x_lentera_is_migrant_worker": victims["is_migrant_worker"].map(_flag),
            "x_lentera_opened_month": victims["opened_month"].map(_month),
            "x_lentera_closed_month": victims["closed_month"].map(_month),
            "x_lentera_offence_year": victims["offence_year"].map(
                lambda y: "" if y is None or pd.isna(y) else str(int(y))
            ),
        }
    )
    if include_keys:
        out["x_lentera_person_key"] = victims["person_key"]
        out["x_lentera_survivor_key"] = victims["survivor_key"]
        out["x_lentera_case_key"] = victims["case_key"]
    return out[htcds_columns(include_keys=include_keys)].astype("object").fillna("")


def write_htcds(snapshot: Snapshot, out: str | Path, *, include_keys: bool = False) -> int:
    """Write the HTCDS XLSX (sheet ``Victims``); returns the number of victim rows."""
    frame = htcds_frame(snapshot, include_keys=include_keys)
    assert_no_identifiers(frame, where="HTCDS export")
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_spec()["sheet"])
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        sheet.append([str(v) for v in row])
    book.save(path)
    return len(frame)


def _month_value(text: str, row: int, column: str) -> dt.date | None:
    if not text:
        return None
    try:
        year, month = text.split("-")
        return dt.date(int(year), int(month), 1)
    except ValueError as exc:
        raise DisclosureError(
            "bad_htcds", f"row {row} column {column}: {text!r} is not YYYY-MM"
        ) from exc


def read_htcds(path: str | Path) -> Snapshot:
    """Read an HTCDS export (this module's layout) back into a validated :class:`Snapshot`
    with ``cases`` and ``survivors`` (one case per victim row when the file has no keys)."""
    spec = _spec()
    try:
        book = load_workbook(Path(path), read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as exc:
        raise DisclosureError("bad_htcds", f"cannot read {path}: {exc}") from exc
    if spec["sheet"] not in book.sheetnames:
        raise DisclosureError("bad_htcds", f"{path}: no sheet {spec['sheet']!r}")
    rows = book[spec["sheet"]].iter_rows(values_only=True)
    header = [str(h) for h in next(rows, ())]
    missing = [c for c in htcds_columns() if c not in header]
    if missing:
        raise DisclosureError("bad_htcds", f"row 1 column {missing[0]}: missing from the header")
    inverse = {f: {v: k for k, v in m.items()} for f, m in spec["values"].items()}
    prov_by_name = {p.name: code for code, p in reference.provinces().items()}
    # regency/city names are unique nationally (``Kabupaten Bandung`` vs ``Kota Bandung``)
    reg_by_name = {r.name: code for code, r in reference.regencies().items()}
    sep = spec["separator"]
    cases: dict[str, dict[str, Any]] = {}
    survivors: list[dict[str, Any]] = []
    for number, raw in enumerate(rows, start=2):
        cell = {h: ("" if v is None else str(v).strip()) for h, v in zip(header, raw, strict=False)}
        if not any(cell.values()):
            continue

        def code(field: str, value: str, row: int = number) -> str:
            if not value:
                return ""
            try:
                return str(inverse[field][value])
            except KeyError:
                raise DisclosureError(
                    "bad_htcds", f"row {row} column {field}: {value!r} is not a known value"
                ) from None

        def codes(field: str, value: str) -> list[str]:
            return sorted(code(field, v.strip()) for v in value.split(sep) if v.strip())

        province = (
            prov_by_name.get(cell["prs_MailingState"], "") if cell["prs_MailingState"] else ""
        )
        if cell["prs_MailingState"] and not province:
            raise DisclosureError(
                "bad_htcds", f"row {number} column prs_MailingState: unknown province"
            )
        regency = reg_by_name.get(cell["prs_MailingCity"], "")
        if cell["prs_MailingCity"] and not regency:
            raise DisclosureError(
                "bad_htcds", f"row {number} column prs_MailingCity: unknown regency/city"
            )
        case_key = cell.get("x_lentera_case_key") or f"htcds_c{number}"
        opened = _month_value(cell["x_lentera_opened_month"], number, "x_lentera_opened_month")
        if opened is None:
            raise DisclosureError(
                "bad_htcds", f"row {number} column x_lentera_opened_month: required"
            )
        offence = cell["x_lentera_offence_year"]
        cases.setdefault(
            case_key,
            {
                "case_key": case_key,
                "org_code": cell["org_Name"],
                "opened_month": opened,
                "closed_month": _month_value(
                    cell["x_lentera_closed_month"], number, "x_lentera_closed_month"
                ),
                "status": code("cas_Status", cell["cas_Status"]),
                "offence_year": int(offence) if offence else None,
            },
        )
        flags = {"1": True, "0": False, "": None}
        survivors.append(
            {
                "survivor_key": cell.get("x_lentera_survivor_key") or f"htcds_s{number}",
                "person_key": cell.get("x_lentera_person_key") or f"htcds_p{number}",
                "case_key": case_key,
                "sex": code("prs_Gender", cell["prs_Gender"]) or "unknown",
                "age_band": cell["x_lentera_age_band"] or "unknown",
                "is_child": flags.get(cell["x_lentera_is_child"]),
                "citizenship": cell["prs_Citizenship"],
                "origin_province_code": province,
                "origin_regency_code": regency,
                "trafficking_status": code("vic_TraffickingStatus", cell["vic_TraffickingStatus"]),
                "exploitation_types": codes(
                    "vic_TypeOfExploitation", cell["vic_TypeOfExploitation"]
                ),
                "sector": code("vic_ForcedLabourIndustry", cell["vic_ForcedLabourIndustry"]),
                "recruitment_method": code(
                    "vic_MethodOfRecruitment", cell["vic_MethodOfRecruitment"]
                ),
                "means_of_control": codes("vic_MethodsOfControl", cell["vic_MethodsOfControl"]),
                "is_migrant_worker": flags.get(cell["x_lentera_is_migrant_worker"]),
                "destination_country": cell["hte_Country"],
            }
        )
    book.close()
    return Snapshot.from_rows(cases=list(cases.values()), survivors=survivors)
