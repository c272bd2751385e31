"""Fill a report template from the analytics warehouse, suppressed, compared in words.

:func:`build_report` computes every figure and table of a :class:`~.templates.Template` for a
:class:`~.period.Period` and for the previous period, through
:func:`lentera.analytics.metrics.compute` only (which applies the small-cell suppression of
:mod:`lentera.analytics.suppress`: counts 1–4 shown as ``<5``, secondary suppression ``x``,
rates and medians from small counts hidden). Nothing is read from the case store.

Each compared figure gets a sentence in the report's language ("Rujukan selesai naik dari
41 % menjadi 58 %."), and a caveat when the numbers are small enough for the change to be
chance: for counts, the difference is within 1.96 standard deviations of two Poisson counts
(|a − b| ≤ 1.96 √(a + b)); for rates, a two-proportion z-test at the same level. Below 20 (the
smaller count, or the smaller denominator of a rate) the numbers are called small and the
caveat says so whether or not the change is within chance; medians and rupiah sums over fewer
than 20 values get their own caveat. The raw numerators, denominators and value counts
these tests need are read with :func:`~lentera.analytics.metrics.compute_raw_unsuppressed`
and used only for that yes/no decision - never shown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lentera.analytics import metrics
from lentera.analytics.labels import label
from lentera.analytics.snapshot import codes
from lentera.analytics.suppress import SECONDARY, SUPPRESSED, is_suppressed
from lentera.analytics.warehouse import Warehouse, open_warehouse
from lentera.errors import LenteraError
from lentera.reports.period import Period, month_name
from lentera.reports.templates import FORMAT, Item, Template
from lentera.vocabulary import texts

__all__ = ["Figure", "Report", "SectionOut", "T", "TableOut", "build_report", "fmt_value"]

LANGS = ("id", "en")
Z = 1.96
#: below this many (counts, denominators, values in a median) numbers are called small
SMALL = 20
#: dimensions whose rows may hold the same survivor (or case) more than once
MULTI_VALUED = frozenset(
    {
        "exploitation_type",
        "means_of_control",
        "service",
        "legal_step",
        "outreach_topic",
        "support_type",
    }
)
#: dimensions whose code list gives the row order (else: largest first)
CODE_ORDER = {
    "sex": "sex",
    "age_band": "age_band",
    "case_status": "case_status",
    "trafficking_status": "trafficking_status",
    "exploitation_type": "exploitation_type",
    "means_of_control": "means_of_control",
    "sector": "sector",
    "recruitment_method": "recruitment_method",
    "screening_list": "screening_list",
    "screening_outcome": "screening_outcome",
    "referral_status": "referral_status",
    "provider_type": "provider_type",
    "legal_step": "legal_step",
    "perpetrator_kind": "perpetrator_kind",
    "contact_channel": "contact_channel",
    "contact_reporter": "contact_reporter",
    "contact_concern": "contact_concern",
    "contact_outcome": "contact_outcome",
    "outreach_kind": "outreach_kind",
    "outreach_topic": "outreach_topic",
    "attendee_age_band": "attendee_age_band",
    "support_type": "support_type",
    "followup_point": "followup_point",
    "followup_outcome": "followup_outcome",
    "poverty_band": "poverty_band",
    "departure_kind": "departure_kind",
    "departure_channel": "departure_channel",
}

#: the reports' texts in Bahasa Indonesia and English (``data/text.yaml``): headings and
#: words, the sentences comparing two periods, the method notes
TEXT = texts("lentera.reports", "data/text.yaml")
T: dict[str, dict[str, str]] = TEXT["labels"]
CHANGE: dict[str, dict[str, str]] = TEXT["change"]
METHODS: dict[str, list[str]] = TEXT["methods"]


@dataclass
class Figure:
    """One headline figure of the period (and the previous one when compared)."""

    metric: str
    title: str
    unit: str
    current: Any
    previous: Any = None
    compared: bool = False
    change: str = ""
    caveat: str = ""


@dataclass
class TableOut:
    title: str
    unit: str
    header: list[str]
    rows: list[list[Any]]
    note: str = ""


@dataclass
class SectionOut:
    id: str
    title: str
    text: str = ""
    figures: list[Figure] = field(default_factory=list)
    tables: list[TableOut] = field(default_factory=list)
    not_recorded: str = ""
    #: items whose metric needs a table the warehouse's source did not provide
    missing: list[str] = field(default_factory=list)


@dataclass
class Report:
    lang: str
    title: str
    description: str
    template_id: str
    template_version: int
    period: Period
    previous: Period
    sections: list[SectionOut]
    changes: list[str]
    methods: list[str]
    sources: list[str]
    provenance: list[tuple[str, str]]

    @property
    def period_label(self) -> str:
        return self.period.label(self.lang)

    def cells(self) -> list[Any]:
        """Every displayed value (figures and table cells beyond the row labels)."""
        out: list[Any] = []
        for s in self.sections:
            for f in s.figures:
                out += [f.current, f.previous] if f.compared else [f.current]
            for t in s.tables:
                for row in t.rows:
                    out += row[1:]
        return out

    @property
    def suppressed_cells(self) -> int:
        return sum(1 for v in self.cells() if is_suppressed(v))


def fmt_value(value: Any, unit: str, lang: str) -> str:
    """A displayed value as text: thousands separators, decimal comma in Indonesian, units."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, str):
        return value
    if unit in ("count", "rupiah"):
        text = f"{round(float(value)):,}"
        text = text.replace(",", ".") if lang == "id" else text
        return f"Rp {text}" if unit == "rupiah" else text
    if unit == "score":  # RSS scores in [0, 1]: two decimals
        number = f"{float(value):.2f}"
        return number.replace(".", ",") if lang == "id" else number
    number = f"{float(value):,.1f}".removesuffix(".0")  # 41.0 % reads 41 %
    if lang == "id":
        number = number.replace(",", " ").replace(".", ",").replace(" ", ".")
    if unit == "percent":
        return f"{number} %"
    if unit in ("days", "months"):
        return f"{number} {T[unit][lang]}"
    return number


def _title(item: Item, lang: str) -> str:
    if item.title:
        return item.title[lang]
    return str(metrics.registry()[item.metric].title[lang])


def _filters(period: Period, item: Item, org_codes: Sequence[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = dict(period.filters())
    for key, values in item.filters.items():
        out[key] = list(values)
    if org_codes:
        out["org_code"] = list(org_codes)
    return out


def _one(frame: pd.DataFrame) -> Any:
    return frame["value"].iloc[0] if len(frame) else 0


def _numeric(value: Any) -> bool:
    return value is not None and not isinstance(value, str) and not pd.isna(value)


def _caveat(
    wh: Warehouse, item: Item, cur: Any, prev: Any, filters: tuple[dict[str, Any], ...]
) -> str:
    """The caveat key for the change from ``prev`` to ``cur`` (``""`` for none).

    ``small_chance``: small numbers and a change chance alone could give; ``chance``: a
    change within chance at larger numbers; ``small``: small numbers (no change, or a change
    beyond chance); ``few_values``: a median or sum over fewer than 20 values.
    """
    metric = metrics.registry()[item.metric]
    if metric.kind == "count":
        a, b = float(prev), float(cur)
        small = min(a, b) < SMALL
        chance = a != b and abs(a - b) <= Z * math.sqrt(a + b)
    elif metric.kind in ("median", "mean", "sum"):
        raw = [metrics.compute_raw_unsuppressed(wh, item.metric, (), f) for f in filters]
        return "few_values" if any(int(r["n"].iloc[0]) < SMALL for r in raw) else ""
    else:
        raw = [metrics.compute_raw_unsuppressed(wh, item.metric, (), f) for f in filters]
        (n1, d1), (n2, d2) = (
            (int(r["numerator"].iloc[0]), int(r["denominator"].iloc[0])) for r in raw
        )
        pooled = (n1 + n2) / (d1 + d2)
        se = math.sqrt(pooled * (1 - pooled) * (1 / d1 + 1 / d2))
        small = min(d1, d2) < SMALL
        chance = cur != prev and (not se or abs(n1 / d1 - n2 / d2) / se <= Z)
    if chance:
        return "small_chance" if small else "chance"
    return "small" if small else ""


def _describe(
    wh: Warehouse, item: Item, fig: Figure, lang: str, filters: tuple[dict[str, Any], ...]
) -> None:
    t = fig.title
    cur, prev = fig.current, fig.previous
    if is_suppressed(cur) or is_suppressed(prev):
        dominated = fig.unit == "rupiah" and SECONDARY in (cur, prev)
        fig.change = CHANGE["dominated" if dominated else "suppressed"][lang].format(t=t)
        return
    if not _numeric(cur) or not _numeric(prev):
        fig.change = CHANGE["no_data"][lang].format(t=t)
        return
    a, b = fmt_value(prev, fig.unit, lang), fmt_value(cur, fig.unit, lang)
    if fig.unit == "count" and cur == 0 and prev == 0:
        fig.change = CHANGE["none_both"][lang].format(t=t)
        return
    if a == b:
        fig.change = CHANGE["same"][lang].format(t=t, a=b)
    else:
        key = "up" if float(cur) > float(prev) else "down"
        fig.change = CHANGE[key][lang].format(t=t, a=a, b=b)
    caveat = _caveat(wh, item, cur, prev, filters)
    fig.caveat = CHANGE[caveat][lang] if caveat else ""


def _sort_key(dim: str, code: Any, value: Any) -> tuple[Any, ...]:
    code = str(code)
    last = code == "unknown"
    if dim in ("month", "year"):
        return (last, code)
    order = codes().get(CODE_ORDER.get(dim, ""), ())
    if order:
        return (last, order.index(code) if code in order else len(order), code)
    weight = value if _numeric(value) else (2.5 if value == SUPPRESSED else 5)
    return (last, -float(weight), code)


def _dim_label(dim: str, code: Any, lang: str) -> str:
    if dim == "month" and hasattr(code, "year"):
        return f"{month_name(code.month, lang)} {code.year}"
    return label(dim, code, lang)


def _table(
    wh: Warehouse,
    item: Item,
    period: Period,
    previous: Period,
    lang: str,
    org_codes: Sequence[str] | None,
) -> TableOut:
    metric = metrics.registry()[item.metric]
    filters = _filters(period, item, org_codes)
    total_label = T["total" if metric.kind == "count" else "overall"][lang]
    cur = metrics.compute(wh, item.metric, list(item.by), filters)
    total = _one(metrics.compute(wh, item.metric, [], filters))
    dim_titles = [str(metrics.dimensions()[d]["title"][lang]) for d in item.by]
    note = T["multi"][lang] if MULTI_VALUED & set(item.by) and metric.kind == "count" else ""
    if len(item.by) == 1:
        dim = item.by[0]
        values = dict(zip(cur[dim], cur["value"], strict=True))
        header = [dim_titles[0], period.label(lang)]
        prev_values: dict[Any, Any] = {}
        prev_total: Any = None
        if item.compare:
            pf = _filters(previous, item, org_codes)
            pframe = metrics.compute(wh, item.metric, [dim], pf)
            prev_values = dict(zip(pframe[dim], pframe["value"], strict=True))
            prev_total = _one(metrics.compute(wh, item.metric, [], pf))
            header.append(previous.label(lang))
        keys = sorted(
            set(values) | set(prev_values), key=lambda k: _sort_key(dim, k, values.get(k, 0))
        )
        empty = 0 if metric.kind == "count" else None
        rows = []
        for k in keys:
            row = [_dim_label(dim, k, lang), values.get(k, empty)]
            if item.compare:
                row.append(prev_values.get(k, empty))
            rows.append(row)
        rows.append([total_label, total, *([prev_total] if item.compare else [])])
        return TableOut(_title(item, lang), metric.unit, header, rows, note)
    # two dimensions: rows by the first, columns by the second, with both margins
    d1, d2 = item.by
    cells = {(a, b): v for a, b, v in zip(cur[d1], cur[d2], cur["value"], strict=True)}
    row_tot = metrics.compute(wh, item.metric, [d1], filters)
    col_tot = metrics.compute(wh, item.metric, [d2], filters)
    row_totals = dict(zip(row_tot[d1], row_tot["value"], strict=True))
    col_totals = dict(zip(col_tot[d2], col_tot["value"], strict=True))
    rkeys = sorted(row_totals, key=lambda k: _sort_key(d1, k, row_totals[k]))
    ckeys = sorted(col_totals, key=lambda k: _sort_key(d2, k, col_totals[k]))
    empty = 0 if metric.kind == "count" else None
    header = [f"{dim_titles[0]} \\ {dim_titles[1]}"]
    header += [_dim_label(d2, k, lang) for k in ckeys] + [total_label]
    rows = [
        [_dim_label(d1, r, lang), *[cells.get((r, c), empty) for c in ckeys], row_totals[r]]
        for r in rkeys
    ]
    rows.append([total_label, *[col_totals[c] for c in ckeys], total])
    return TableOut(_title(item, lang), metric.unit, header, rows, note)


def _provenance(
    wh: Warehouse, template: Template, period: Period, lang: str
) -> list[tuple[str, str]]:
    meta = wh.meta()
    digest = hashlib.sha256(meta.get("content_digest", "").encode()).hexdigest()[:16]
    names = TEXT["provenance_rows"][lang]
    values = (
        f"{template.id} v{template.version}",
        FORMAT,
        metrics.registry_version(),
        meta.get("warehouse_version", ""),
        f"sha256:{digest}",
        f"{period.code} ({period.start:%Y-%m} – {period.end:%Y-%m})",
        dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
    )
    return list(zip(names, values, strict=True))


def build_report(
    warehouse: str | Path | Warehouse,
    template: Template,
    period: Period,
    *,
    lang: str = "id",
    org_codes: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Fill ``template`` for ``period`` (and the previous period) from the warehouse."""
    if lang not in LANGS:
        raise LenteraError("bad_lang", f"language {lang!r}: use id or en", field="lang")
    step = progress or (lambda _name: None)
    wh = open_warehouse(warehouse)
    owned = not isinstance(warehouse, Warehouse)
    previous = period.previous()
    try:
        sections: list[SectionOut] = []
        changes: list[str] = []
        provided = wh.provided_tables()
        for sec in template.sections:
            out = SectionOut(sec.id, sec.title[lang], sec.text[lang] if sec.text else "")
            if sec.not_recorded:
                out.not_recorded = sec.not_recorded[lang]
            for item in sec.items:
                metric = metrics.registry()[item.metric]
                if metric.requires and metric.requires not in provided:
                    gap = T["item_not_recorded"][lang].format(table=metric.requires)
                    out.missing.append(f"{_title(item, lang)}: {gap}")
                    continue
                if item.by:
                    out.tables.append(_table(wh, item, period, previous, lang, org_codes))
                    continue
                cur_f = _filters(period, item, org_codes)
                fig = Figure(
                    item.metric,
                    _title(item, lang),
                    metric.unit,
                    _one(metrics.compute(wh, item.metric, [], cur_f)),
                )
                if item.compare:
                    prev_f = _filters(previous, item, org_codes)
                    fig.previous = _one(metrics.compute(wh, item.metric, [], prev_f))
                    fig.compared = True
                    _describe(wh, item, fig, lang, (cur_f, prev_f))
                    changes.append(f"{fig.change} {fig.caveat}".strip())
                out.figures.append(fig)
            sections.append(out)
            step(sec.id)
        sources = [
            f"{s['title']}"
            + (f" — {s['url']}" if s.get("url") else "")
            + (f" ({s['note']})" if s.get("note") else "")
            + f" [{T['verified' if s['verified'] else 'unverified'][lang]}]"
            for s in template.sources
        ]
        return Report(
            lang=lang,
            title=template.title[lang],
            description=template.description[lang] if template.description else "",
            template_id=template.id,
            template_version=template.version,
            period=period,
            previous=previous,
            sections=sections,
            changes=changes,
            methods=list(METHODS[lang]),
            sources=sources,
            provenance=_provenance(wh, template, period, lang),
        )
    finally:
        if owned:
            wh.close()
