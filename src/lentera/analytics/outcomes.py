"""Reintegration outcomes from the warehouse, suppressed, for the dashboard and the report.

One place decides which reintegration metrics of ``data/metrics.yaml`` the analytics dashboard
(:mod:`lentera.web.insights`), the evidence report (:mod:`lentera.analytics.report`) and the
reintegration app's outcomes page show: key figures (survivors with a plan, change in the
composite score, months to first income, loss to follow-up, re-migration and re-trafficking,
cost per survivor reached) and RSS score trajectories (mean score by months since return) cut
by origin poverty, province, support type, sex and age band, plus the rates per return cohort.

Every value comes from :func:`lentera.analytics.metrics.compute` (counts 1-4 as "<5", means and
medians over fewer than 5 survivors as "<5", rates on a base under 5 as "<5"). The comparison
between groups is not randomised; :data:`CAVEAT` says what it can and cannot show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lentera.analytics import metrics
from lentera.analytics.labels import label
from lentera.analytics.suppress import is_suppressed
from lentera.analytics.warehouse import Warehouse, open_warehouse
from lentera.vocabulary import texts

__all__ = [
    "CAVEAT",
    "FIGURES",
    "POINTS",
    "Cut",
    "Outcomes",
    "fmt_outcome",
    "reintegration_outcomes",
]

#: key figures: (metric id, unit of display)
FIGURES: tuple[tuple[str, str], ...] = (
    ("reintegration_survivors", "count"),
    ("rss_composite_change", "score"),
    ("months_to_first_income", "months"),
    ("loss_to_follow_up_rate", "percent"),
    ("re_migration_rate", "percent"),
    ("re_trafficking_rate", "percent"),
    ("cost_per_survivor_reached", "rupiah"),
)

#: the follow-up points of a trajectory, in order (``followup_point`` codes)
POINTS = ("m0", "m3", "m6", "m12", "m18plus")

#: trajectories: (key, metric id, row dimension); columns are the follow-up points
TRAJECTORIES: tuple[tuple[str, str, str], ...] = (
    ("by_poverty", "rss_composite", "poverty_band"),
    ("by_support", "rss_composite_by_support", "support_type"),
    ("by_province", "rss_composite", "origin_province"),
    ("by_sex", "rss_composite", "sex"),
    ("by_age_band", "rss_composite", "age_band"),
)

#: the dimension scores of the overall trajectory (rows), by follow-up point (columns)
DIMENSION_SCORES = ("rss_composite", "rss_economic", "rss_social", "rss_psychosocial")

#: the rates shown per return cohort (columns), by year of return (rows)
COHORT_RATES = ("re_migration_rate", "re_trafficking_rate", "loss_to_follow_up_rate")

#: the section's texts (``data/report_text.yaml`` ``reintegration``): heading, introduction,
#: what a comparison of these groups can and cannot show (``caveat``), the score column
TEXT: dict[str, dict[str, str]] = texts("lentera.analytics", "data/report_text.yaml")[
    "reintegration"
]
CAVEAT = TEXT["caveat"]

_MONTHS = {"id": "bulan", "en": "months"}


@dataclass(frozen=True)
class Cut:
    """A table of suppressed values: a title, a row header, column headers and rows of text."""

    key: str
    title: str
    definition: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Outcomes:
    """The reintegration outcomes of a warehouse in one language. ``recorded`` is False when
    the snapshot behind it had no reintegration tables or no plan passes the filters (then
    nothing else is filled)."""

    recorded: bool
    figures: tuple[tuple[str, str], ...] = ()  # (title, displayed value)
    cuts: tuple[Cut, ...] = field(default_factory=tuple)
    suppressed: int = 0
    caveat: str = ""


def fmt_outcome(value: Any, unit: str, lang: str) -> str:
    """A displayed value: a suppressed count as its marker ("<5", "x"), a suppressed score,
    rate, median or mean in words (a marker would read as "under 5 %"), scores with two
    decimals, rupiah with thousands separators, a decimal comma in Indonesian."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if is_suppressed(value):
        return str(value) if unit == "count" else TEXT["suppressed"][lang]
    if isinstance(value, str):
        return value
    thou, dec = (".", ",") if lang == "id" else (",", ".")
    if unit in ("count", "rupiah"):
        text = f"{round(float(value)):,}".replace(",", thou)
        return f"Rp {text}" if unit == "rupiah" else text
    if unit == "score":
        return f"{float(value):+.2f}".lstrip("+").replace(".", dec)
    text = f"{float(value):,.1f}".replace(",", "\x00").replace(".", dec).replace("\x00", thou)
    if unit == "percent":
        return f"{text} %"
    if unit == "months":
        return f"{text} {_MONTHS[lang]}"
    return text


def _single(wh: Warehouse, metric_id: str, filters: Mapping[str, Any] | None) -> tuple[Any, bool]:
    frame = metrics.compute(wh, metric_id, filters=filters)
    if not len(frame):
        return None, False
    return frame["value"].iloc[0], bool(frame["suppressed"].iloc[0])


def _pivot(
    wh: Warehouse,
    metric_id: str,
    dim: str,
    filters: Mapping[str, Any] | None,
    lang: str,
) -> tuple[list[tuple[str, dict[str, Any]]], int]:
    """Rows ``(label, {point: value})`` of ``metric_id`` by ``dim`` and follow-up point."""
    frame = metrics.compute(wh, metric_id, [dim, "followup_point"], filters)
    rows: dict[str, dict[str, Any]] = {}
    for code, point, value in zip(frame[dim], frame["followup_point"], frame["value"], strict=True):
        rows.setdefault(str(code), {})[str(point)] = value
    order = {c: i for i, c in enumerate(_order(dim))}
    out = [
        (label(dim, code, lang), values)
        for code, values in sorted(rows.items(), key=lambda kv: (order.get(kv[0], 999), kv[0]))
    ]
    return out, int(frame["suppressed"].sum())


def _order(dim: str) -> Sequence[str]:
    if dim == "poverty_band":
        return ("lt7", "p7_12", "ge12", "unknown")
    if dim == "age_band":
        return ("0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+")
    return ()


def reintegration_outcomes(
    warehouse: Any, filters: Mapping[str, Any] | None = None, *, lang: str = "id"
) -> Outcomes:
    """The suppressed reintegration outcomes of ``warehouse`` (a path or an open
    :class:`Warehouse`) under the dashboard ``filters`` (the period is on the month of return),
    labelled in ``lang``. The ``exploitation_type`` filter is not applied: plans carry no
    exploitation type, so it would empty the section."""
    filters = {k: v for k, v in (filters or {}).items() if k != "exploitation_type"}
    wh = open_warehouse(warehouse)
    owned = not isinstance(warehouse, Warehouse)
    try:
        if "reintegration" not in wh.provided_tables():
            return Outcomes(recorded=False, caveat=CAVEAT[lang])
        plans, _hidden = _single(wh, "reintegration_survivors", filters)
        if not plans:  # none recorded, or none under these filters
            return Outcomes(recorded=False, caveat=CAVEAT[lang])
        reg = metrics.registry()
        suppressed = 0
        figures = []
        for metric_id, unit in FIGURES:
            value, hidden = _single(wh, metric_id, filters)
            suppressed += hidden
            figures.append((reg[metric_id].title[lang], fmt_outcome(value, unit, lang)))
        cuts: list[Cut] = []
        overall: list[tuple[str, dict[str, Any]]] = []
        for metric_id in DIMENSION_SCORES:
            frame = metrics.compute(wh, metric_id, ["followup_point"], filters)
            suppressed += int(frame["suppressed"].sum())
            values = dict(zip(map(str, frame["followup_point"]), frame["value"], strict=True))
            overall.append((reg[metric_id].title[lang], values))
        cuts.append(_cut("trajectory", reg["rss_composite"], TEXT["score"][lang], overall, lang))
        for key, metric_id, dim in TRAJECTORIES:
            rows, n_hidden = _pivot(wh, metric_id, dim, filters, lang)
            suppressed += n_hidden
            head = metrics.dimensions()[dim]["title"][lang]
            cuts.append(_cut(key, reg[metric_id], head, rows, lang, by=dim))
        cohort: dict[str, list[str]] = {}
        for metric_id in COHORT_RATES:
            frame = metrics.compute(wh, metric_id, ["return_year"], filters)
            suppressed += int(frame["suppressed"].sum())
            for year, value in zip(frame["return_year"], frame["value"], strict=True):
                row = cohort.setdefault(str(year), ["–"] * len(COHORT_RATES))
                row[COHORT_RATES.index(metric_id)] = fmt_outcome(value, "percent", lang)
        cuts.append(
            Cut(
                key="cohorts",
                title=reg["re_migration_rate"].title[lang],
                definition=reg["re_migration_rate"].definition[lang],
                header=(
                    metrics.dimensions()["return_year"]["title"][lang],
                    *(reg[m].title[lang] for m in COHORT_RATES),
                ),
                rows=tuple((year, *row) for year, row in sorted(cohort.items())),
            )
        )
        return Outcomes(
            recorded=True,
            figures=tuple(figures),
            cuts=tuple(cuts),
            suppressed=suppressed,
            caveat=CAVEAT[lang],
        )
    finally:
        if owned:
            wh.close()


def _cut(
    key: str,
    metric: metrics.Metric,
    head: str,
    rows: list[tuple[str, dict[str, Any]]],
    lang: str,
    *,
    by: str = "",
) -> Cut:
    points = [p for p in POINTS if any(p in values for _, values in rows)]
    title = metric.title[lang]
    if by:
        title = f"{title} — {metrics.dimensions()[by]['title'][lang]}"
    return Cut(
        key=key,
        title=title,
        definition=metric.definition[lang],
        header=(head, *(label("followup_point", p, lang) for p in points)),
        rows=tuple(
            (name, *(fmt_outcome(values.get(p), "score", lang) for p in points))
            for name, values in rows
        ),
    )
