"""The metric registry (``data/metrics.yaml``) and its computation over the warehouse.

A metric is data: a stable id and version, titles and definitions in Bahasa Indonesia and
English, a unit, the SQL aggregate over one fact table of the warehouse and the dimensions it
may be cut by. :func:`compute` returns a **suppressed** pandas DataFrame (dimension columns,
``value`` and ``suppressed``); :func:`dashboard` computes the main dashboard's set in one go.
:func:`compute_raw_unsuppressed` is the only unsuppressed path; it exists for the statistics
module and tests, and must never feed a display.

Filters (all optional; a value or a list of values):
``period_from``, ``period_to`` (dates or ``YYYY-MM``; on the metric's month), ``province``
(BPS province of origin), ``exploitation_type`` (survivors having that type), ``sex``,
``age_band``, ``org_code``; and for the CTDC comparisons ``ctdc_layout`` (``2017``/``2024``,
default: the one with rows, 2024 first) and ``ctdc_citizenship`` (ISO alpha-2).

Longer than 500 lines on purpose: the registry, the filter and SQL builder, suppression and
the CTDC comparisons are one small interpreter of ``metrics.yaml``; split, each part would
need the others' private rules.
"""

# ruff: noqa: S608 - SQL text here is built only from fixed identifiers (schema, registry,
# dictionaries); every value from outside is bound as a parameter.

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import yaml

from lentera import reference
from lentera.analytics.ctdc import codebook_2024
from lentera.analytics.snapshot import AGE_BANDS, codes
from lentera.analytics.suppress import (
    SUPPRESSED,
    is_small,
    is_suppressed,
    suppress_cells,
    suppress_counts,
    suppress_median,
    suppress_rate,
    suppress_sum,
)
from lentera.analytics.warehouse import Warehouse, data_text, open_warehouse
from lentera.errors import LenteraError

__all__ = [
    "FILTER_KEYS",
    "Metric",
    "compute",
    "compute_raw_unsuppressed",
    "dashboard",
    "dashboard_metric",
    "dashboard_queries",
    "registry",
    "registry_version",
]

FILTER_KEYS = (
    "period_from",
    "period_to",
    "province",
    "exploitation_type",
    "sex",
    "age_band",
    "org_code",
    "ctdc_layout",
    "ctdc_citizenship",
)
_FILTER_COLUMNS = {
    "province": "origin_province_code",
    "sex": "sex",
    "age_band": "age_band",
    "org_code": "org_code",
}


@dataclass(frozen=True)
class Metric:
    """One registered metric."""

    id: str
    version: int
    unit: str
    kind: str
    title: Mapping[str, str]
    definition: Mapping[str, str]
    dimensions: tuple[str, ...]
    source: str = ""
    value: str = ""
    where: str = ""
    numerator: str = ""
    denominator: str = ""
    n: str = ""
    topic: str = ""
    case_value: str = ""
    item_dimension: str = ""
    item_value: str = ""
    #: the snapshot table the metric needs (its source must have provided it)
    requires: str = ""
    #: sums: the largest single contribution (for the dominance rule)
    top: str = ""


@cache
def _raw() -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load(data_text("metrics.yaml"))
    return raw


def registry_version() -> str:
    return str(_raw()["version"])


def _expand(sql: str) -> str:
    """Replace ``$<code list>`` with the list literal of that code list (fixed codes only)."""
    for name, values in codes().items():
        token = f"${name}"
        if token in sql:
            literal = "[" + ", ".join(f"'{v}'" for v in values) + "]"
            sql = sql.replace(token, literal)
    return sql


@cache
def registry() -> Mapping[str, Metric]:
    """All metrics by id."""
    raw = _raw()
    out: dict[str, Metric] = {}
    for item in raw["metrics"]:
        metric = Metric(
            id=item["id"],
            version=int(item["version"]),
            unit=item["unit"],
            kind=item["kind"],
            title=item["title"],
            definition=item["definition"],
            dimensions=tuple(item["dimensions"]),
            source=item.get("source", ""),
            value=_expand(item.get("value", "")),
            where=_expand(item.get("where", "")),
            numerator=_expand(item.get("numerator", "")),
            denominator=_expand(item.get("denominator", "")),
            n=_expand(item.get("n", "")),
            topic=item.get("topic", ""),
            case_value=item.get("case_value", ""),
            item_dimension=item.get("item_dimension", ""),
            item_value=item.get("item_value", ""),
            requires=item.get("requires", ""),
            top=_expand(item.get("top", "")),
        )
        unknown = [d for d in metric.dimensions if d not in dimensions() and d != "category"]
        if unknown:
            raise ValueError(f"metric {metric.id}: unknown dimension {unknown[0]}")
        out[metric.id] = metric
    return out


@cache
def dimensions() -> Mapping[str, Mapping[str, Any]]:
    dims: Mapping[str, Mapping[str, Any]] = _raw()["dimensions"]
    return dims


def _month(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, 1)
    text = str(value)
    try:
        if len(text) == 7:
            return dt.date.fromisoformat(text + "-01")
        return _month(dt.date.fromisoformat(text))
    except ValueError as exc:
        raise LenteraError(
            "bad_filter", f"filter period: {value!r} is not a date or YYYY-MM", field="period"
        ) from exc


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str | int):
        return [str(value)]
    return [str(v) for v in value]


def _filters_sql(filters: Mapping[str, Any] | None) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for key, value in (filters or {}).items():
        if key not in FILTER_KEYS:
            raise LenteraError(
                "bad_filter", f"unknown filter {key!r} (use {', '.join(FILTER_KEYS)})", field=key
            )
        if value is None or value == [] or key.startswith("ctdc_"):
            continue
        if key == "period_from":
            clauses.append("month >= ?")
            params.append(_month(value))
        elif key == "period_to":
            clauses.append("month <= ?")
            params.append(_month(value))
        elif key == "exploitation_type":
            clauses.append("len(list_intersect(exploitation_types, ?)) > 0")
            params.append(_as_list(value))
        else:
            clauses.append(f"list_contains(?, {_FILTER_COLUMNS[key]})")
            params.append(_as_list(value))
    return clauses, params


def _metric(metric_id: str) -> Metric:
    try:
        return registry()[metric_id]
    except KeyError:
        raise LenteraError(
            "unknown_metric", f"unknown metric {metric_id!r}", kind="not_found", field="metric"
        ) from None


def _check_dims(metric: Metric, by: Sequence[str]) -> None:
    for dim in by:
        if dim not in metric.dimensions:
            raise LenteraError(
                "bad_dimension",
                f"metric {metric.id} cannot be cut by {dim!r} "
                f"(allowed: {', '.join(metric.dimensions)})",
                field="by",
            )


CASE_DIMS = frozenset({"month", "year", "org_code", "case_status"})
CASE_FILTERS = frozenset({"period_from", "period_to", "org_code"})


def _value_expr(metric: Metric, by: Sequence[str], filters: Mapping[str, Any] | None) -> str:
    """The metric's aggregate, or an exact cheaper one the registry declares for this cut."""
    used = {
        k for k, v in (filters or {}).items() if v not in (None, []) and not k.startswith("ctdc_")
    }
    if metric.case_value and set(by) <= CASE_DIMS and used <= CASE_FILTERS:
        return metric.case_value
    if metric.item_value and metric.item_dimension in by:
        return metric.item_value
    return metric.value


def metric_sql(
    metric_id: str, by: Sequence[str] = (), filters: Mapping[str, Any] | None = None
) -> tuple[str, list[Any]]:
    """The SQL and parameters of a count, rate or median metric (raw numbers)."""
    metric = _metric(metric_id)
    if metric.kind == "compare":
        raise LenteraError("bad_metric", f"metric {metric_id} is a comparison, not one query")
    _check_dims(metric, by)
    clauses, params = _filters_sql(filters)
    if metric.where:
        clauses.insert(0, f"({metric.where})")
    dims = dimensions()
    select = [f"{dims[d]['sql']} AS {d}" for d in by]
    if metric.kind == "rate":
        select += [f"{metric.numerator} AS numerator", f"{metric.denominator} AS denominator"]
    elif metric.kind in ("median", "mean"):
        select += [f"{metric.value} AS value", f"{metric.n} AS n"]
        if metric.top:
            select.append(f"{metric.top} AS top")
    elif metric.kind == "sum":
        select += [f"{metric.value} AS value", f"{metric.n} AS n", f"{metric.top} AS top"]
    else:
        select.append(f"{_value_expr(metric, by, filters)} AS value")
    sql = f"SELECT {', '.join(select)} FROM {metric.source}"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    if by:
        sql += f" GROUP BY {', '.join(str(i + 1) for i in range(len(by)))}"
        sql += f" ORDER BY {', '.join(str(i + 1) for i in range(len(by)))}"
    return sql, params


def compute_raw_unsuppressed(
    warehouse: str | Warehouse | Any,
    metric_id: str,
    by: Sequence[str] = (),
    filters: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """INTERNAL: the metric's raw, unsuppressed numbers. Never display this frame."""
    wh = open_warehouse(warehouse)
    metric = _metric(metric_id)
    if metric.kind == "compare":
        return _compare_raw(wh, metric, filters or {})
    sql, params = metric_sql(metric_id, by, filters)
    frame = wh.df(sql, params)
    if metric.kind == "rate":
        den = frame["denominator"].astype("float64")
        frame["value"] = (100.0 * frame["numerator"] / den.where(den > 0)).round(1)
    return frame


def compute(
    warehouse: str | Warehouse | Any,
    metric_id: str,
    by: Sequence[str] = (),
    filters: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """A metric cut by ``by`` under ``filters``, with small-cell suppression applied.

    Columns: the dimensions, ``value`` (int/float, or ``"<5"``/``"x"``) and ``suppressed``.
    Comparison metrics return ``category, org_count, org_value, org_suppressed, ctdc_count,
    ctdc_value, ctdc_suppressed`` (values in percent).
    """
    metric = _metric(metric_id)
    wh = open_warehouse(warehouse)
    try:
        if metric.kind == "compare":
            return _suppress_compare(_compare_raw(wh, metric, filters or {}))
        sql, params = metric_sql(metric_id, by, filters)
        return _run_suppressed(wh, metric, list(by), sql, params)
    finally:
        if not isinstance(warehouse, Warehouse):
            wh.close()


def _run_suppressed(
    wh: Warehouse, metric: Metric, by: list[str], sql: str, params: list[Any]
) -> pd.DataFrame:
    cursor = wh.con.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    pos = {c: i for i, c in enumerate(columns)}
    data: dict[str, Any] = {d: [r[pos[d]] for r in rows] for d in by}
    values: list[Any]
    if metric.kind == "count":
        keys = [tuple(r[pos[d]] for d in by) for r in rows] if by else None
        values, mask = suppress_cells([r[pos["value"]] for r in rows], keys)
    elif metric.kind == "rate":
        values = []
        for r in rows:
            num, den = int(r[pos["numerator"]]), int(r[pos["denominator"]])
            values.append(suppress_rate(num, den, round(100.0 * num / den, 1) if den else None))
        mask = [v == SUPPRESSED for v in values]
    elif metric.kind == "sum" or metric.top:  # fewer than 5 units, or one unit more than half of it
        values = [
            suppress_sum(
                int(r[pos["n"]]),
                None if r[pos["value"]] is None else float(r[pos["value"]]),
                None if r[pos["top"]] is None else float(r[pos["top"]]),
            )
            for r in rows
        ]
        mask = [is_suppressed(v) for v in values]
    else:  # median or mean: hidden when fewer than 5 values enter it
        values = [
            suppress_median(
                int(r[pos["n"]]), None if r[pos["value"]] is None else float(r[pos["value"]])
            )
            for r in rows
        ]
        mask = [v == SUPPRESSED for v in values]
    data["value"] = np.array(values, dtype=object)
    data["suppressed"] = np.array(mask, dtype=bool)
    return pd.DataFrame(data, copy=False)


# --- CTDC comparisons ---------------------------------------------------------------------------


@cache
def _groups(topic: str) -> dict[str, dict[str, list[str]]]:
    groups: dict[str, dict[str, list[str]]] = codebook_2024()[topic]
    return groups


def _ctdc_layout(wh: Warehouse, filters: Mapping[str, Any]) -> str | None:
    wanted = filters.get("ctdc_layout")
    if wanted:
        if str(wanted) not in ("2017", "2024"):
            raise LenteraError("bad_filter", "filter ctdc_layout: use 2017 or 2024")
        return str(wanted)
    for layout in ("2024", "2017"):
        if wh.con.execute(f"SELECT count(*) FROM ctdc_{layout}").fetchone()[0]:  # type: ignore[index]
            return layout
    return None


def _compare_raw(wh: Warehouse, metric: Metric, filters: Mapping[str, Any]) -> pd.DataFrame:
    clauses, params = _filters_sql(filters)
    clauses.insert(0, "survivor_key IS NOT NULL")
    where = " AND ".join(clauses)
    layout = _ctdc_layout(wh, filters)
    ctdc_where, ctdc_params = "TRUE", []
    if layout and filters.get("ctdc_citizenship"):
        code = str(filters["ctdc_citizenship"]).upper()
        if layout == "2024":
            country = reference.countries().get(code)
            code = country.alpha3 if country else code
        ctdc_where, ctdc_params = "citizenship = ?", [code]
    rows: list[dict[str, Any]] = []
    if metric.topic == "age_band":
        org = dict(
            wh.con.execute(
                f"SELECT age_band, count(*) FROM f_survivor WHERE {where} "
                "AND age_band <> 'unknown' GROUP BY 1",
                params,
            ).fetchall()
        )
        org_base = sum(org.values())
        ctdc: dict[str, int] = {}
        if layout:
            ctdc = dict(
                wh.con.execute(
                    f'SELECT "ageBroad", count(*) FROM ctdc_{layout} WHERE {ctdc_where} '
                    'AND "ageBroad" IS NOT NULL GROUP BY 1',
                    ctdc_params,
                ).fetchall()
            )
        ctdc_base = sum(ctdc.values())
        for band in AGE_BANDS[:-1]:
            rows.append(
                {
                    "category": band,
                    "org_count": org.get(band, 0),
                    "org_base": org_base,
                    "ctdc_count": ctdc.get(band, 0) if layout else None,
                    "ctdc_base": ctdc_base if layout else None,
                }
            )
    else:
        groups = _groups(metric.topic)
        column = (
            "exploitation_types" if metric.topic == "exploitation_groups" else "means_of_control"
        )
        exprs = [f"count(*) FILTER (WHERE len(list_intersect({column}, ?)) > 0)" for _ in groups]
        org_vals = wh.con.execute(
            f"SELECT {', '.join(exprs)}, count(*) FILTER (WHERE len({column}) > 0) "
            f"FROM f_survivor WHERE {where}",
            [g["lentera"] for g in groups.values()] + params,
        ).fetchone()
        assert org_vals is not None
        ctdc_vals: Sequence[Any] = [None] * (len(groups) + 1)
        if layout:
            key = f"ctdc_{layout}"
            all_cols = sorted({c for g in groups.values() for c in g[key]})
            any_of = " OR ".join(f'"{c}" = 1' for c in all_cols)
            cexprs = [
                "count(*) FILTER (WHERE " + " OR ".join(f'"{c}" = 1' for c in g[key]) + ")"
                for g in groups.values()
            ]
            fetched = wh.con.execute(
                f"SELECT {', '.join(cexprs)}, count(*) FILTER (WHERE {any_of}) "
                f"FROM ctdc_{layout} WHERE {ctdc_where}",
                ctdc_params,
            ).fetchone()
            assert fetched is not None
            ctdc_vals = fetched
        for i, name in enumerate(groups):
            rows.append(
                {
                    "category": name,
                    "org_count": int(org_vals[i]),
                    "org_base": int(org_vals[-1]),
                    "ctdc_count": None if ctdc_vals[i] is None else int(ctdc_vals[i]),
                    "ctdc_base": None if ctdc_vals[-1] is None else int(ctdc_vals[-1]),
                }
            )
    frame = pd.DataFrame(rows)
    frame.attrs["ctdc_layout"] = layout
    return frame


def _pct(count: Any, base: Any) -> float | None:
    if count is None or base is None or pd.isna(count) or pd.isna(base) or not base:
        return None
    return round(100.0 * float(count) / float(base), 1)


def _suppress_compare(raw: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"category": raw["category"]})
    for side in ("org", "ctdc"):
        counts = raw[f"{side}_count"]
        if counts.isna().all():
            out[f"{side}_count"] = None
            out[f"{side}_value"] = None
            out[f"{side}_suppressed"] = False
            continue
        supp = suppress_counts(
            pd.DataFrame({"category": raw["category"], "value": counts}), ["category"]
        )
        base_small = raw[f"{side}_base"].map(is_small)
        values: list[Any] = []
        for i in range(len(raw)):
            if base_small[i]:
                values.append(SUPPRESSED)
            elif supp["suppressed"][i]:
                values.append(supp["value"][i])
            else:
                values.append(_pct(raw[f"{side}_count"][i], raw[f"{side}_base"][i]))
        out[f"{side}_count"] = supp["value"].where(~base_small, SUPPRESSED)
        out[f"{side}_value"] = pd.Series(values, dtype=object)
        out[f"{side}_suppressed"] = [is_suppressed(v) for v in values]
    out.attrs.update(raw.attrs)
    return out


# --- dashboard ------------------------------------------------------------------------------


def dashboard_metric(key: str) -> Metric:
    """The metric that the dashboard entry ``key`` of ``metrics.yaml`` shows."""
    return registry()[{i["key"]: i["metric"] for i in _raw()["dashboard"]}[key]]


def dashboard_queries(filters: Mapping[str, Any] | None = None) -> list[tuple[str, str, list[Any]]]:
    """(key, SQL, parameters) of every dashboard metric: the raw queries behind :func:`dashboard`."""
    out = []
    for item in _raw()["dashboard"]:
        sql, params = metric_sql(item["metric"], item["by"], filters)
        out.append((item["key"], sql, params))
    return out


def dashboard(
    warehouse: str | Warehouse | Any, filters: Mapping[str, Any] | None = None
) -> dict[str, pd.DataFrame]:
    """The main dashboard's metrics, suppressed, keyed as in ``metrics.yaml`` ``dashboard``."""
    wh = open_warehouse(warehouse)
    owned = not isinstance(warehouse, Warehouse)
    try:
        out: dict[str, pd.DataFrame] = {}
        for item in _raw()["dashboard"]:
            metric = registry()[item["metric"]]
            sql, params = metric_sql(metric.id, item["by"], filters)
            out[item["key"]] = _run_suppressed(wh, metric, list(item["by"]), sql, params)
        return out
    finally:
        if owned:
            wh.close()
