"""Differentially private count tables over a declared domain, with OpenDP's discrete Laplace.

What is released: the number of victims in every cell of the cross product of the declared
category lists of the chosen dimensions (``sex × age_band × year`` …). Every cell is noised,
also the empty ones, so the shape of the table says nothing about the data; values outside the
declared domain (e.g. a year not listed) are dropped before counting.

Privacy unit: a person (``person_key``). A person may be a survivor in several cases; only
``max_contributions`` of their survivor rows are kept (chosen in a
data-independent order: the hash of the survivor key), so adding or removing one person changes
the count vector by at most ``max_contributions`` in L1 norm. Noise: OpenDP's
``make_laplace`` on a vector of integers, i.e. the discrete Laplace (two-sided geometric)
mechanism with ``scale = max_contributions / epsilon``, which OpenDP proves ε-DP for that L1
sensitivity (pure DP, δ = 0); the library's own privacy map is checked to be ≤ ε.

Post-processing (free under DP): negative counts are clamped to 0 and, optionally, counts are
rounded to a multiple of ``round_to``. The 95 % error bound reported is OpenDP's accuracy of
the discrete Laplace at α = 0.05 (floored), plus half the rounding base; clamping never makes
the error larger (true counts are ≥ 0).

OpenDP 0.16.0 is pinned (see docs/disclosure.md for why; its wheel needs only ``deprecated``).
"""

# ruff: noqa: S608 - SQL text here is built only from fixed identifiers and quoted column
# names; every value from outside is bound as a parameter.

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from lentera import reference
from lentera.analytics.snapshot import AGE_BANDS, Snapshot, codes
from lentera.disclosure._common import DisclosureError, check_epsilon, world_regions
from lentera.disclosure.guard import assert_no_identifiers

__all__ = [
    "DIMENSIONS",
    "MAX_CELLS",
    "DpTable",
    "dimension_domain",
    "discrete_laplace_error95",
    "dp_counts",
    "write_dp_table",
]

MAX_CELLS = 2_000_000
UNKNOWN = "unknown"
MECHANISM = "discrete_laplace"
DEFAULT_STATUSES = ("possible_victim", "actual_victim")

#: dimension → SQL expression over the survivor (s) and case (c) rows
DIMENSIONS: dict[str, str] = {
    "sex": "s.sex",
    "age_band": "s.age_band",
    "year": "CAST(year(c.opened_month) AS VARCHAR)",
    "origin_province": "coalesce(nullif(s.origin_province_code, ''), 'unknown')",
    "island_group": "coalesce(nullif(s.origin_province_code, ''), 'unknown')",
    "destination_country": "coalesce(nullif(s.destination_country, ''), 'unknown')",
    "destination_region": "coalesce(nullif(s.destination_country, ''), 'unknown')",
    "trafficking_status": "s.trafficking_status",
    "sector": "coalesce(nullif(s.sector, ''), 'unknown')",
    "is_child": "coalesce(CAST(s.is_child AS VARCHAR), 'unknown')",
    "is_migrant_worker": "coalesce(CAST(s.is_migrant_worker AS VARCHAR), 'unknown')",
}


@cache
def _opendp() -> Any:
    try:
        import opendp.prelude as dp
    except ImportError as exc:  # pragma: no cover - opendp is a runtime dependency
        raise DisclosureError(
            "opendp_missing", "OpenDP is not installed (pip install opendp==0.16.0)"
        ) from exc
    dp.enable_features("contrib")
    return dp


def dimension_domain(name: str, *, years: Sequence[int] | None = None) -> tuple[str, ...]:
    """The declared category list of a dimension (public: it must not depend on the data)."""
    if name not in DIMENSIONS:
        raise DisclosureError(
            "unknown_dimension",
            f"unknown dimension {name!r} (known: {', '.join(sorted(DIMENSIONS))})",
        )
    if name == "sex":
        return tuple(codes()["sex"])
    if name == "age_band":
        return AGE_BANDS
    if name == "year":
        if not years:
            raise DisclosureError(
                "years_required", "the year dimension needs a declared year range (years=)"
            )
        return tuple(str(y) for y in sorted(set(years)))
    if name == "origin_province":
        return (*sorted(reference.provinces()), UNKNOWN)
    if name == "island_group":
        return (*sorted({p.island_group for p in reference.provinces().values()}), UNKNOWN)
    if name == "destination_country":
        return (*sorted(reference.countries()), UNKNOWN)
    if name == "destination_region":
        return (*sorted({sub for sub, _ in world_regions().values()}), UNKNOWN)
    if name == "trafficking_status":
        return tuple(codes()["trafficking_status"])
    if name == "sector":
        return (*codes()["sector"], UNKNOWN)
    return ("false", "true", UNKNOWN)


def _recode(name: str, values: pd.Series) -> pd.Series:
    if name == "island_group":
        groups = {code: p.island_group for code, p in reference.provinces().items()}
        return values.map(lambda v: groups.get(v, UNKNOWN))
    if name == "destination_region":
        regions = world_regions()
        return values.map(lambda v: regions[v][0] if v in regions else UNKNOWN)
    return values


def discrete_laplace_error95(scale: float) -> int:
    """Smallest integer t with P(|noise| > t) ≤ 0.05 for the discrete Laplace of ``scale``
    (OpenDP's ``discrete_laplacian_scale_to_accuracy`` at α = 0.05, floored)."""
    dp = _opendp()
    accuracy = float(dp.discrete_laplacian_scale_to_accuracy(float(scale), 0.05))
    return math.floor(accuracy)


def dp_measurement(cells: int, scale: float) -> Any:
    """OpenDP's discrete Laplace measurement over a vector of ``cells`` counts (L1 distance)."""
    dp = _opendp()
    space = (
        dp.vector_domain(dp.atom_domain(T=dp.i64), size=cells),
        dp.l1_distance(T=dp.i64),
    )
    return dp.m.make_laplace(*space, scale=scale)


def noisy_counts(counts: np.ndarray, scale: float) -> np.ndarray:
    """Discrete Laplace noise added by OpenDP (no clamping): the raw mechanism output."""
    meas = dp_measurement(len(counts), scale)
    return np.asarray(meas([int(x) for x in counts]), dtype=np.int64)


def _scale_for(epsilon: float, sensitivity: int, cells: int) -> float:
    """The smallest scale (from sensitivity/ε up) whose OpenDP privacy map is ≤ ε."""
    scale = sensitivity / epsilon
    for _ in range(60):
        if float(dp_measurement(cells, scale).map(sensitivity)) <= epsilon:
            return scale
        scale = math.nextafter(scale, math.inf) * (1 + 1e-12)
    raise DisclosureError(
        "scale_search", "could not find a scale meeting epsilon"
    )  # pragma: no cover


@cache
def _opendp_version() -> str:
    try:
        return version("opendp")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


@dataclass(frozen=True)
class DpTable:
    """A released DP count table and what the reader needs to interpret it."""

    table: pd.DataFrame
    dimensions: tuple[str, ...]
    domains: Mapping[str, tuple[str, ...]]
    epsilon: float
    scale: float
    sensitivity: int
    error95: int
    round_to: int
    statuses: tuple[str, ...] | None = None
    mechanism: str = MECHANISM
    library: str = field(default_factory=lambda: f"opendp {_opendp_version()}")

    def parameters(self) -> dict[str, Any]:
        """JSON-ready parameters for manifests and the web side."""
        return {
            "mechanism": self.mechanism,
            "library": self.library,
            "privacy_unit": "person (person_key)",
            "epsilon": self.epsilon,
            "delta": 0.0,
            "max_contributions": self.sensitivity,
            "l1_sensitivity": self.sensitivity,
            "scale": self.scale,
            "error95": self.error95,
            "error95_meaning": (
                "each published count is within ±error95 of the true count with probability "
                "≥ 95 % (before clamping; clamping and rounding included in the bound)"
            ),
            "round_to": self.round_to,
            "clamped_at_zero": True,
            "trafficking_statuses": list(self.statuses) if self.statuses else "all",
            "dimensions": list(self.dimensions),
            "domains": {k: list(v) for k, v in self.domains.items()},
            "cells": len(self.table),
        }


def true_counts(
    snapshot: Snapshot,
    dims: Sequence[str],
    max_contributions: int,
    statuses: Sequence[str] | None,
) -> pd.DataFrame:
    """The exact counts per cell of ``dims`` (each person counted in at most
    ``max_contributions`` cells), before noise: what :func:`dp_counts` protects."""
    con = duckdb.connect()
    try:
        con.register("s", snapshot["survivors"])
        con.register("c", snapshot["cases"])
        select = ", ".join(f"{DIMENSIONS[d]} AS d{i}" for i, d in enumerate(dims))
        group = ", ".join(f"d{i}" for i in range(len(dims)))
        where = "WHERE list_contains(?, s.trafficking_status)" if statuses else ""
        params: list[Any] = [list(statuses)] if statuses else []
        # contribution bounding: at most max_contributions survivor rows per person, picked in
        # the order of a hash of the survivor key (depends on nothing but the person's own rows)
        sql = f"""
            SELECT {group}, count(*) AS n FROM (
                SELECT {select}, row_number() OVER (
                    PARTITION BY s.person_key ORDER BY md5(s.survivor_key), s.survivor_key
                ) AS contribution
                FROM s JOIN c ON s.case_key = c.case_key {where}
            ) WHERE contribution <= {int(max_contributions)}
            GROUP BY ALL
        """
        return con.execute(sql, params).df()
    finally:
        con.close()


def dp_counts(
    snapshot: Snapshot,
    *,
    by: Sequence[str],
    epsilon: float,
    years: Sequence[int] | None = None,
    max_contributions: int = 1,
    round_to: int = 1,
    statuses: Sequence[str] | None = DEFAULT_STATUSES,
    domains: Mapping[str, Sequence[str]] | None = None,
) -> DpTable:
    """ε-DP counts of victims by ``by`` over the full declared domain (see the module doc).

    ``domains`` may narrow or replace a dimension's declared category list (it must be chosen
    without looking at the data). ``statuses`` restricts to trafficking statuses (default:
    possible and actual victims, as the CTDC exports; ``None`` counts everyone).
    """
    if not by:
        raise DisclosureError("no_dimensions", "choose at least one dimension (--by)")
    if len(set(by)) != len(by):
        raise DisclosureError("duplicate_dimension", "a dimension appears twice")
    check_epsilon(epsilon)
    if isinstance(max_contributions, bool) or not 1 <= int(max_contributions) <= 100:
        raise DisclosureError("bad_contributions", "max_contributions must be from 1 to 100")
    if isinstance(round_to, bool) or int(round_to) < 1:
        raise DisclosureError("bad_round", "round_to must be a whole number ≥ 1")
    doms: dict[str, tuple[str, ...]] = {}
    for d in by:
        if domains and d in domains:
            doms[d] = tuple(str(v) for v in domains[d])
            if not doms[d]:
                raise DisclosureError("empty_domain", f"the domain of {d} is empty")
        else:
            doms[d] = dimension_domain(d, years=years)
    cells = math.prod(len(v) for v in doms.values())
    if cells > MAX_CELLS:
        raise DisclosureError(
            "too_many_cells", f"{cells} cells in the cross product (at most {MAX_CELLS})"
        )
    grouped = true_counts(snapshot, by, int(max_contributions), statuses)
    # dense index of every cell of the cross product; rows outside the domain are dropped
    index = np.zeros(len(grouped), dtype=np.int64)
    valid = np.ones(len(grouped), dtype=bool)
    for i, d in enumerate(by):
        values = _recode(d, grouped[f"d{i}"].astype("object").fillna(UNKNOWN).astype(str))
        pos = pd.Categorical(values, categories=list(doms[d])).codes.astype(np.int64)
        valid &= pos >= 0
        index = index * len(doms[d]) + np.where(pos >= 0, pos, 0)
    true = np.bincount(
        index[valid], weights=grouped["n"].to_numpy()[valid], minlength=cells
    ).astype(np.int64)
    sensitivity = int(max_contributions)
    scale = _scale_for(float(epsilon), sensitivity, cells)
    noisy = noisy_counts(true, scale)
    published = np.maximum(noisy, 0)
    base = int(round_to)
    if base > 1:
        published = (np.floor(published / base + 0.5) * base).astype(np.int64)
    grid = pd.MultiIndex.from_product([list(doms[d]) for d in by], names=list(by))
    table = grid.to_frame(index=False)
    table["count"] = published
    error = discrete_laplace_error95(scale) + (base // 2 if base > 1 else 0)
    return DpTable(
        table=table,
        dimensions=tuple(by),
        domains=doms,
        epsilon=float(epsilon),
        scale=scale,
        sensitivity=sensitivity,
        error95=error,
        round_to=base,
        statuses=tuple(statuses) if statuses else None,
    )


def write_dp_table(release: DpTable, out: str | Path) -> Path:
    """Write the table as CSV (dimension columns, then ``count``) after the identifier guard."""
    assert_no_identifiers(release.table, where="DP table")
    if (release.table["count"] < 0).any():  # pragma: no cover - clamped above
        raise DisclosureError("negative_count", "a DP count is negative")
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    release.table.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return path
