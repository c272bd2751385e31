"""Shared pieces of the disclosure engine: the error type, data files, the per-victim frame."""

# ruff: noqa: S608 - SQL text here is built only from fixed identifiers and quoted column
# names; every value from outside is bound as a parameter.

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from lentera.analytics.snapshot import Snapshot
from lentera.errors import LenteraError

__all__ = [
    "DisclosureError",
    "check_epsilon",
    "data_text",
    "data_yaml",
    "victims_frame",
    "world_regions",
    "write_csv",
]


class DisclosureError(LenteraError):
    """An expected failure of a release: bad parameters, a failed check, a refused spend."""

    def __init__(self, code: str, message: str, *, kind: str = "invalid", **params: Any) -> None:
        super().__init__(code, message, kind=kind, params=params)


def check_epsilon(epsilon: float) -> None:
    """Refuse an ε that is not a positive finite number (``bad_epsilon``); a bool is not a number."""
    if (
        isinstance(epsilon, bool)
        or not isinstance(epsilon, int | float)
        or not math.isfinite(epsilon)
        or epsilon <= 0
    ):
        raise DisclosureError("bad_epsilon", f"epsilon must be a positive number, got {epsilon!r}")


def data_text(name: str) -> str:
    """Text of a file in ``lentera/disclosure/data``."""
    return resources.files("lentera.disclosure").joinpath(f"data/{name}").read_text("utf-8")


@cache
def data_yaml(name: str) -> Mapping[str, Any]:
    """A YAML data file of the package, parsed once."""
    loaded = yaml.safe_load(data_text(name))
    if not isinstance(loaded, dict):
        raise ValueError(f"{name}: not a mapping")
    return loaded


@cache
def world_regions() -> Mapping[str, tuple[str, str]]:
    """ISO 3166 alpha-2 → (UN M49 sub-region, region)."""
    rows = csv.DictReader(io.StringIO(data_text("world_regions.csv")))
    return {r["alpha2"]: (r["subregion"], r["region"]) for r in rows}


#: columns of :func:`victims_frame`
VICTIM_COLUMNS = (
    "person_key",
    "survivor_key",
    "case_key",
    "org_code",
    "opened_month",
    "closed_month",
    "status",
    "offence_year",
    "year",
    "sex",
    "age_band",
    "is_child",
    "citizenship",
    "origin_province",
    "origin_regency",
    "trafficking_status",
    "exploitation_types",
    "sector",
    "recruitment_method",
    "means_of_control",
    "is_migrant_worker",
    "destination_country",
)


def victims_frame(snapshot: Snapshot, *, per: str = "person") -> pd.DataFrame:
    """One row per victim (``per="person"``) or per survivor-in-case (``per="survivor"``).

    A person in several cases is represented by the survivor row of their most recent case
    (latest ``opened_month``, ties broken by the larger ``survivor_key``), so a release counts
    people, not registrations. ``year`` is the year of registration: the year the case opened.
    """
    if per not in ("person", "survivor"):
        raise ValueError(f"per must be 'person' or 'survivor', got {per!r}")
    con = duckdb.connect()
    try:
        con.register("s", snapshot["survivors"])
        con.register("c", snapshot["cases"])
        qualify = (
            "QUALIFY row_number() OVER (PARTITION BY s.person_key "
            "ORDER BY c.opened_month DESC, s.survivor_key DESC) = 1"
            if per == "person"
            else ""
        )
        frame = con.execute(
            f"""
            SELECT s.person_key, s.survivor_key, s.case_key, c.org_code, c.opened_month,
                   c.closed_month, c.status, c.offence_year,
                   CAST(year(c.opened_month) AS VARCHAR) AS year,
                   s.sex, s.age_band, s.is_child, coalesce(s.citizenship, '') AS citizenship,
                   coalesce(s.origin_province_code, '') AS origin_province,
                   coalesce(s.origin_regency_code, '') AS origin_regency,
                   s.trafficking_status, s.exploitation_types, coalesce(s.sector, '') AS sector,
                   coalesce(s.recruitment_method, '') AS recruitment_method,
                   s.means_of_control, s.is_migrant_worker,
                   coalesce(s.destination_country, '') AS destination_country
            FROM s JOIN c ON s.case_key = c.case_key
            {qualify}
            ORDER BY s.survivor_key
            """
        ).df()
    finally:
        con.close()
    return frame.reset_index(drop=True)


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a frame of text cells as CSV (comma, header, quotes only where needed, empty
    cells unquoted) through DuckDB's writer, which is many times faster than pandas'."""
    columns = []
    for name in frame.columns:
        column = pa.array(frame[name].to_numpy(dtype=object), type=pa.string(), from_pandas=True)
        columns.append(pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column))
    table = pa.table(columns, names=[str(c) for c in frame.columns])
    con = duckdb.connect()
    try:
        con.register("release", table)
        con.execute(
            "COPY release TO ? (FORMAT csv, HEADER true, DELIMITER ',', NULLSTR '')",
            [str(path)],
        )
    finally:
        con.close()
