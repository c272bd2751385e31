"""k-anonymised CTDC exports: the 2017 Global Dataset layout and the 2024 synthetic codebook
layout, one row per victim (person), built from the analytics snapshot.

Variables, their order and their codes come from the CTDC documents as transcribed by
``lentera.analytics.ctdc`` (the 2017 data dictionary, 62 variables; the 2024 codebook, 27
variables); what each snapshot code becomes is the mapping table ``data/ctdc_mapping.yaml``.
2017 conventions: booleans ``1``/``0``/``-99``; unknown lookups ``-99``; unknown country ``00``;
age ranges written ``N--N`` as the dictionary's format column states. 2024: binaries ``1`` or
empty, countries ISO alpha-3, empty cell = missing.

Quasi-identifiers (QIs) and the layout column each becomes:

=====================  ===========================  ==========================
QI                     2017                         2024
=====================  ===========================  ==========================
sex                    gender                       gender
age_band               ageBroad (+ majorityStatus)  ageBroad
year (registration)    yearOfRegistration           yearOfRegistration
destination_country    CountryOfExploitation        CountryOfExploitation
citizenship            citizenship                  citizenship
origin_province        lenteraOriginRegion (only with ``origin=True``; a Lentera extension)
=====================  ===========================  ==========================

``strict=True`` (default) keeps the file inside the layout's codes: a QI may then only be
released as recorded (level 0) or fully suppressed to unknown (its top level), which is what
CTDC did (suppression, no recoding). ``strict=False`` lets the search use the intermediate
levels as well (``0--17``, ``2020-2024``, ``South-eastern Asia``), written as text — more rows
survive, but the file no longer validates against the dictionary's lookups.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lentera import reference
from lentera.analytics.ctdc import codebook_2024, dictionary_2017
from lentera.analytics.snapshot import Snapshot
from lentera.disclosure._common import DisclosureError, data_yaml, victims_frame, write_csv
from lentera.disclosure.guard import assert_no_identifiers
from lentera.disclosure.kanon import (
    DEFAULT_K,
    DEFAULT_MAX_SUPPRESSION,
    TOP,
    KAnonResult,
    KCheck,
    anonymise,
    quasi_identifier,
    verify_k,
)

__all__ = ["CTDC_LAYOUTS", "CtdcRelease", "ctdc_qi_columns", "ctdc_release", "write_ctdc"]

CTDC_LAYOUTS = ("2017", "2024")
ORIGIN_COLUMN = "lenteraOriginRegion"
QI_COLUMNS = {
    "sex": "gender",
    "age_band": "ageBroad",
    "year": "yearOfRegistration",
    "destination_country": "CountryOfExploitation",
    "citizenship": "citizenship",
    "origin_province": ORIGIN_COLUMN,
}
DEFAULT_STATUSES = ("possible_victim", "actual_victim")
MINOR_BANDS = {"0-8", "9-17", "0-17"}
ADULT_BANDS = {"18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+", "18-29", "30-47"}


def ctdc_qi_columns(layout: str, *, origin: bool = False) -> tuple[str, ...]:
    """The columns of a CTDC export that the verifier groups by (QIs and what derives from them)."""
    cols = ["gender", "ageBroad", "yearOfRegistration", "citizenship", "CountryOfExploitation"]
    if layout == "2017":
        cols.insert(2, "majorityStatus")
    if origin:
        cols.append(ORIGIN_COLUMN)
    return tuple(cols)


def _strict_levels(layout: str) -> dict[str, list[int]]:
    top = {q: quasi_identifier(q).max_level for q in QI_COLUMNS}
    return {
        "sex": [0],
        "age_band": [0, top["age_band"]],
        # 2017's yearOfRegistration has no unknown code; 2024 allows an empty (missing) cell
        "year": [0] if layout == "2017" else [0, top["year"]],
        "destination_country": [0, top["destination_country"]],
        "citizenship": [0, top["citizenship"]],
    }


@dataclass(frozen=True)
class CtdcRelease:
    """A k-anonymised CTDC table (all cells text) and its provenance."""

    layout: str
    frame: pd.DataFrame
    kanon: KAnonResult
    qi_columns: tuple[str, ...]
    strict: bool
    statuses: tuple[str, ...]

    def parameters(self) -> dict[str, Any]:
        """JSON-ready parameters for a package manifest."""
        return {
            "layout": f"ctdc-{self.layout}",
            "strict_codes": self.strict,
            "trafficking_statuses": list(self.statuses),
            "qi_columns": list(self.qi_columns),
            **self.kanon.summary(),
        }


def ctdc_release(
    snapshot: Snapshot,
    *,
    layout: str = "2017",
    k: int = DEFAULT_K,
    max_suppression: float = DEFAULT_MAX_SUPPRESSION,
    strict: bool = True,
    origin: bool = False,
    statuses: Sequence[str] = DEFAULT_STATUSES,
    loss: str = "discernibility",
) -> CtdcRelease:
    """Build a k-anonymous CTDC table from a snapshot (nothing is written)."""
    if layout not in CTDC_LAYOUTS:
        raise DisclosureError("bad_layout", f"unknown CTDC layout {layout!r} (use 2017 or 2024)")
    victims = victims_frame(snapshot)
    victims = victims[victims["trafficking_status"].isin(list(statuses))].reset_index(drop=True)
    qis = ["sex", "age_band", "year", "destination_country", "citizenship"]
    if origin:
        qis.append("origin_province")
    columns = {q: ("origin_province" if q == "origin_province" else q) for q in qis}
    allowed = _strict_levels(layout) if strict else None
    result = anonymise(
        victims, columns, k=k, max_suppression=max_suppression, allowed_levels=allowed, loss=loss
    )
    frame = _render(result.frame, layout, origin=origin)
    return CtdcRelease(
        layout=layout,
        frame=frame,
        kanon=result,
        qi_columns=ctdc_qi_columns(layout, origin=origin),
        strict=strict,
        statuses=tuple(statuses),
    )


def write_ctdc(release: CtdcRelease, out: str | Path) -> KCheck:
    """Write the release as CSV after the identifier guard, then prove k on the written file.

    Raises :class:`DisclosureError` (and removes the file) if the written file does not meet k.
    """
    path = Path(out)
    assert_no_identifiers(release.frame, where=f"CTDC {release.layout} export")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_csv(release.frame, path)
    check = verify_k(
        path,
        k=release.kanon.k,
        qi_columns=release.qi_columns,
        suppressed_declared=release.kanon.suppressed,
    )
    if not check.ok:
        path.unlink(missing_ok=True)
        check.require()
    return check


# --- rendering ---------------------------------------------------------------------------------


class _Lists:
    """Membership tests on a list column, vectorised through one explode."""

    def __init__(self, series: pd.Series) -> None:
        self.n = len(series)
        exploded = series.explode()
        exploded = exploded[exploded.notna()]
        self.rows = exploded.index.to_numpy()
        self.values = exploded.astype(str).to_numpy()
        self.nonempty = np.zeros(self.n, dtype=bool)
        self.nonempty[self.rows] = True

    def has(self, codes: Sequence[str] | set[str]) -> np.ndarray:
        out = np.zeros(self.n, dtype=bool)
        out[self.rows[np.isin(self.values, list(codes))]] = True
        return out

    def joined(self, labels: Mapping[str, str], empty: str) -> np.ndarray:
        """Sorted distinct labels of each row's codes joined by ";" (``empty`` if none).

        Vectorised through a bit mask per row: one string is built per distinct mask only.
        """
        ordered = sorted(set(labels.values()))
        bit = {label: 1 << i for i, label in enumerate(ordered)}
        mask = np.zeros(self.n, dtype=np.int64)
        codes = pd.Series(self.values).map(labels)
        keep = codes.notna().to_numpy()
        np.bitwise_or.at(mask, self.rows[keep], codes[keep].map(bit).to_numpy(dtype=np.int64))
        distinct, inverse = np.unique(mask, return_inverse=True)
        text = np.asarray(
            [
                ";".join(label for label in ordered if m & bit[label]) or empty
                for m in distinct.tolist()
            ],
            dtype=object,
        )
        return text[inverse]


def _flag(
    present: np.ndarray, recorded: np.ndarray, *, yes: str, no: str, unknown: str
) -> np.ndarray:
    return np.where(present, yes, np.where(recorded, no, unknown)).astype(object)


def _country(values: pd.Series, layout: str, unknown: str) -> np.ndarray:
    alpha3 = {c.alpha2: c.alpha3 for c in reference.countries().values()}

    def one(value: str) -> str:
        if value in ("", TOP):
            return unknown
        if layout == "2024" and value in alpha3:
            return alpha3[value]
        return value

    mapped: np.ndarray = values.map({v: one(v) for v in values.unique()}).to_numpy(dtype=object)
    return mapped


def _age(values: pd.Series, layout: str, unknown: str) -> np.ndarray:
    def one(value: str) -> str:
        if value in ("unknown", "", TOP):
            return unknown
        return value.replace("-", "--") if layout == "2017" else value

    mapped: np.ndarray = values.map({v: one(v) for v in values.unique()}).to_numpy(dtype=object)
    return mapped


def _render(frame: pd.DataFrame, layout: str, *, origin: bool) -> pd.DataFrame:
    spec = data_yaml("ctdc_mapping.yaml")[layout]
    n = len(frame)
    means = _Lists(frame["means_of_control"].reset_index(drop=True))
    expl = _Lists(frame["exploitation_types"].reset_index(drop=True))
    sector = frame["sector"].astype(str).to_numpy()
    method = frame["recruitment_method"].astype(str).to_numpy()
    out: dict[str, Any] = {}
    if layout == "2017":
        unk, unk_country = spec["unknown"], spec["unknown_country"]
        variables = list(dictionary_2017()["variables"])
        out["yearOfRegistration"] = frame["year"].astype(str).to_numpy(dtype=object)
        out["Datasource"] = np.full(n, spec["datasource"], dtype=object)
        out["gender"] = frame["sex"].map(spec["gender"]).fillna("Unknown").to_numpy(dtype=object)
        age = frame["age_band"].astype(str)
        out["ageBroad"] = _age(age, layout, unk)
        out["majorityStatus"] = np.where(
            age.isin(MINOR_BANDS), "Minor", np.where(age.isin(ADULT_BANDS), "Adult", "Unknown")
        ).astype(object)
        out["citizenship"] = _country(frame["citizenship"].astype(str), layout, unk_country)
        out["CountryOfExploitation"] = _country(
            frame["destination_country"].astype(str), layout, unk_country
        )
        recorded = means.nonempty
        for code, (var, _label) in spec["means_of_control"].items():
            out[var] = _flag(means.has([code]), recorded, yes="1", no="0", unknown=unk)
        out[spec["means_not_specified"]] = np.where(recorded, "0", "1").astype(object)
        out[spec["means_concatenated"]] = means.joined(
            {c: lab for c, (_v, lab) in spec["means_of_control"].items()}, unk
        )
        by_var: dict[str, list[str]] = {}
        for code, (var, _label) in spec["exploitation"].items():
            by_var.setdefault(var, []).append(code)
        labour = expl.has(by_var["isForcedLabour"])
        sexual = expl.has(by_var["isSexualExploit"])
        both = labour & sexual
        for var in spec["exploitation_variables"]:
            if var == spec["sex_and_labour"]:
                present = both
            elif var in ("isForcedLabour", "isSexualExploit"):
                present = expl.has(by_var[var]) & ~both
            else:
                present = expl.has(by_var.get(var, []))
            out[var] = _flag(present, expl.nonempty, yes="1", no="0", unknown=unk)
        out[spec["exploitation_concatenated"]] = expl.joined(
            {c: lab for c, (_v, lab) in spec["exploitation"].items()}, unk
        )
        known_sector = labour & (sector != "")
        labour_vars = {var: code for code, (var, _lab) in spec["labour"].items()}
        other_var, other_label = spec["labour_other"]
        mapped = np.isin(sector, list(spec["labour"]))
        for var in (
            "typeOfLabourAgriculture",
            "typeOfLabourAquafarming",
            "typeOfLabourBegging",
            "typeOfLabourConstruction",
            "typeOfLabourDomesticWork",
            "typeOfLabourHospitality",
            "typeOfLabourIllicitActivities",
            "typeOfLabourManufacturing",
            "typeOfLabourMiningOrDrilling",
            "typeOfLabourPeddling",
            "typeOfLabourTransportation",
            "typeOfLabourOther",
        ):
            if var == other_var:
                present = known_sector & ~mapped
            elif var in labour_vars:
                present = known_sector & (sector == labour_vars[var])
            else:
                present = np.zeros(n, dtype=bool)
            out[var] = _flag(present, known_sector, yes="1", no="0", unknown=unk)
        out[spec["labour_not_specified"]] = np.where(
            labour & (sector == ""), "1", np.where(known_sector, "0", unk)
        ).astype(object)
        sector_labels = {code: lab for code, (_v, lab) in spec["labour"].items()}
        concat = pd.Series(sector).map(sector_labels).fillna(other_label).to_numpy(dtype=object)
        out[spec["labour_concatenated"]] = np.where(known_sector, concat, unk).astype(object)
        relation_known = np.isin(method, list(spec["recruiter_relation"]))
        for var in spec["recruiter_relation_variables"]:
            codes = [m for m, v in spec["recruiter_relation"].items() if v == var]
            out[var] = _flag(np.isin(method, codes), relation_known, yes="1", no="0", unknown=unk)
        out[spec["recruiter_relation_unknown"]] = np.where(relation_known, "0", "1").astype(object)
        for var in variables:
            out.setdefault(var, np.full(n, unk, dtype=object))
    else:
        variables = list(codebook_2024()["variables"])
        out["yearOfRegistration"] = (
            frame["year"].astype(str).replace({TOP: ""}).to_numpy(dtype=object)
        )
        out["gender"] = frame["sex"].map(spec["gender"]).fillna("").to_numpy(dtype=object)
        out["ageBroad"] = _age(frame["age_band"].astype(str), layout, "")
        out["citizenship"] = _country(frame["citizenship"].astype(str), layout, "")
        out["CountryOfExploitation"] = _country(
            frame["destination_country"].astype(str), layout, ""
        )
        for table, lists in (("means_of_control", means), ("exploitation", expl)):
            groups: dict[str, list[str]] = {}
            for code, var in spec[table].items():
                groups.setdefault(var, []).append(code)
            for var, codes in groups.items():
                out[var] = np.where(lists.has(codes), "1", "").astype(object)
        labour = expl.has([c for c, v in spec["exploitation"].items() if v == "isForcedLabour"])
        for code, var in spec["labour"].items():
            out[var] = np.where(labour & (sector == code), "1", "").astype(object)
        for code, var in spec["recruiter_relation"].items():
            out[var] = np.where(method == code, "1", "").astype(object)
        for var in variables:
            out.setdefault(var, np.full(n, "", dtype=object))
    columns = list(variables)
    if origin:
        unknown = "-99" if layout == "2017" else ""
        region = frame["origin_province"].astype(str)
        out[ORIGIN_COLUMN] = region.replace({"": unknown, TOP: unknown}).to_numpy(dtype=object)
        columns.append(ORIGIN_COLUMN)
    return pd.DataFrame({c: out[c] for c in columns}, columns=columns, dtype=object)
