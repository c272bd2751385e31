"""The evidence report: Bahasa Indonesia (default) or English, as self-contained HTML or PDF.

The report is built once as a list of blocks (headings, paragraphs, key figures, inline SVG,
tables) and rendered to HTML (one file, inline SVG and CSS, no external asset) or to PDF
(reportlab; the same SVGs converted with svglib). Every number in it comes from
:func:`lentera.analytics.metrics.compute` / :func:`~lentera.analytics.metrics.dashboard`
(suppressed), :mod:`lentera.analytics.stats` (coefficients only) or public reference data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from lentera import reference
from lentera.analytics import maps, metrics, outcomes, stats
from lentera.analytics.charts import bar_chart, fmt, line_chart
from lentera.analytics.labels import label
from lentera.analytics.report_render import Block, Report, render_html, render_pdf
from lentera.analytics.suppress import SUPPRESSED, is_suppressed
from lentera.analytics.warehouse import Warehouse, open_warehouse, read_data_csv
from lentera.errors import LenteraError
from lentera.vocabulary import texts

__all__ = ["Block", "Report", "build_report", "render_html", "render_pdf", "write_report"]

WIB = dt.timezone(dt.timedelta(hours=7))


#: the report's texts in Bahasa Indonesia and English (``data/report_text.yaml``)
TEXT = texts("lentera.analytics", "data/report_text.yaml")
T: dict[str, dict[str, str]] = TEXT["labels"]
METHODS: dict[str, list[str]] = TEXT["methods"]
SOURCES = [
    "BPS — persentase penduduk miskin (P0) menurut provinsi 2019–2024, via Open Data Jabar (kemungkinan angka Maret).",
    "BPS — Penduduk, Laju Pertumbuhan Penduduk ... Menurut Provinsi, 2024 (tabel statistik, diperbarui 2 Mei 2025); 33 dari 38 provinsi.",
    "Batas 38 provinsi: denyherianto/indonesia-geojson-topojson-maps-with-38-provinces (CC BY 4.0), disederhanakan.",
    "Kementerian Sosial — korban TPPO yang didampingi menurut daerah asal, 1 Jan–25 Apr 2024 (clicks.id mengutip tribratanews); daftar parsial.",
    "CTDC (IOM) — Data Dictionary 28-11-2017 dan Global Synthetic Data Codebook v2 (2024); Counter-Trafficking Data Collaborative, ctdatacollaborative.org.",
]


def _items(frame: Any, dim: str, lang: str, *, top: int | None = None) -> list[tuple[str, Any]]:
    rows = [(label(dim, k, lang), v) for k, v in zip(frame[dim], frame["value"], strict=True)]
    rows.sort(
        key=lambda kv: (
            -(kv[1] if isinstance(kv[1], int | float) else (2.5 if kv[1] == SUPPRESSED else 5))
        )
    )
    return rows[:top] if top else rows


def _rate(value: Any, unit: str, lang: str) -> str:
    """A rate, percentage or median: one computed on a suppressed base ("<5", "x") is shown as
    suppressed in words, never as the marker (which would read as "under 5 %")."""
    return T["suppressed_rate"][lang] if is_suppressed(value) else fmt(value, unit, lang)


def _dec(value: float, lang: str, digits: int = 3) -> str:
    """A coefficient with the language's decimal mark (``0,147`` in Indonesian)."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "id" else text


def _caveat(key: str, lang: str) -> str:
    return str(TEXT["caveats"].get(key, {}).get(lang, key.replace("_", " ")))


def provider_labels(
    keys: Sequence[str], lang: str, names: Mapping[str, str] | None = None
) -> dict[str, str]:
    """How each provider is shown: its name when the report stays inside the organisation
    (``names``, from the web layer), otherwise "Penyedia A", "Penyedia B"… in a stable order
    (never the pseudonymous key, which reads as a code)."""
    out: dict[str, str] = {}
    for i, key in enumerate(sorted(set(keys))):
        if names and key in names:
            out[key] = names[key]
        else:
            letters = ""
            n = i
            while True:
                letters = chr(ord("A") + n % 26) + letters
                n = n // 26 - 1
                if n < 0:
                    break
            out[key] = f"{T['provider'][lang]} {letters}"
    return out


def _value(frame: Any) -> Any:
    return frame["value"].iloc[0] if len(frame) else 0


def build_report(
    warehouse: str | Path | Warehouse,
    *,
    lang: str = "id",
    filters: Mapping[str, Any] | None = None,
    progress: Callable[[str], None] | None = None,
    provider_names: Mapping[str, str] | None = None,
) -> Report:
    """Collect the report's blocks (every number suppressed or public). ``provider_names``
    (provider key → name) names the providers in a report kept inside the organisation;
    without it they are "Penyedia A, B…"."""
    if lang not in ("id", "en"):
        raise LenteraError("bad_lang", f"language {lang!r}: use id or en", field="lang")
    step = progress or (lambda _s: None)
    wh = open_warehouse(warehouse)

    def t(key: str) -> str:
        return T[key][lang]

    d = metrics.dashboard(wh, filters)
    step("dashboard")
    suppressed = int(sum(int(f["suppressed"].sum()) for f in d.values() if "suppressed" in f))
    f = dict(filters or {})
    period = (
        f"{f.get('period_from', '…')} – {f.get('period_to', '…')}"
        if f.get("period_from") or f.get("period_to")
        else t("all_period")
    )
    now = dt.datetime.now(tz=WIB).strftime("%Y-%m-%d %H:%M WIB")
    blocks = [
        Block("h1", t("title")),
        Block("p", f"{t('subtitle')}. {t('period')}: {period}. {t('generated')}: {now}."),
        Block("h2", t("summary")),
        Block(
            "kpis",
            rows=[
                (t("cases"), fmt(_value(d["total_cases"]), "count", lang)),
                (t("survivors"), fmt(_value(d["total_survivors"]), "count", lang)),
                (t("open_ref"), fmt(_value(d["referrals_open"]), "count", lang)),
                (t("overdue_ref"), fmt(_value(d["referrals_overdue"]), "count", lang)),
                (t("gaps"), fmt(_value(d["legal_gaps"]), "count", lang)),
                (
                    t("median_days"),
                    _rate(
                        _value(d["median_days_to_accept"])
                        if len(d["median_days_to_accept"])
                        else None,
                        "days",
                        lang,
                    ),
                ),
            ],
        ),
        Block("h2", t("time")),
        Block(
            "svg",
            svg=line_chart(
                list(zip(d["cases_by_month"]["month"], d["cases_by_month"]["value"], strict=True)),
                title=t("time"),
                desc=t("time_desc"),
                lang=lang,
                uid="cases-month",
            ),
        ),
    ]
    step("time")
    values = maps.survivor_values(wh, filters)
    poverty = maps.poverty_values(2024)
    population = {r["bps_province_code"]: r["population_thousands"] for r in _population_rows()}
    suppressed += sum(1 for v in values.values() if is_suppressed(v))
    blocks += [
        Block("h2", t("geo")),
        Block("p", t("geo_text")),
        Block("svg", svg=maps.survivor_map(wh, filters, lang=lang)),
        Block("svg", svg=maps.poverty_map(2024, lang=lang)),
        Block(
            "table",
            header=[t("province"), t("survivors"), t("poverty"), t("population")],
            rows=[
                (
                    p.name,
                    fmt(values.get(code), "count", lang),
                    fmt(poverty.get(code), "number", lang),
                    fmt(float(population[code]), "number", lang) if population.get(code) else "–",
                )
                for code, p in sorted(reference.provinces().items())
            ],
        ),
    ]
    step("maps")
    blocks.append(Block("h2", t("profile")))
    for key, dim, top in (
        ("survivors_by_exploitation", "exploitation_type", None),
        ("survivors_by_means", "means_of_control", None),
        ("survivors_by_sector", "sector", 10),
        ("survivors_by_recruitment", "recruitment_method", None),
        ("survivors_by_destination", "destination_country", 10),
        ("survivors_by_age_band", "age_band", None),
        ("survivors_by_sex", "sex", None),
    ):
        metric = metrics.dashboard_metric(key)
        title = f"{metric.title[lang]} — {metrics.dimensions()[dim]['title'][lang]}"
        items = _items(d[key], dim, lang, top=top)
        if dim == "age_band":
            order = {
                b: i
                for i, b in enumerate(
                    ["0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+"]
                )
            }
            items = sorted(items, key=lambda kv: order.get(kv[0], 99))
        blocks.append(
            Block(
                "svg",
                svg=bar_chart(items, title=title, desc=metric.definition[lang], lang=lang, uid=key),
            )
        )
    step("profile")
    blocks.append(Block("h2", t("process")))
    for key, dim in (("screening_outcomes", "screening_outcome"),):
        metric = metrics.registry()["screenings"]
        blocks.append(
            Block(
                "svg",
                svg=bar_chart(
                    _items(d[key], dim, lang),
                    title=metric.title[lang],
                    desc=metric.definition[lang],
                    lang=lang,
                    uid=key,
                ),
            )
        )
    legal = d["legal_outcomes"]
    legal_items = [
        (f"Palermo {label('', p, lang)} / UU 21/2007 {label('', n, lang)}", v)
        for p, n, v in zip(legal["palermo_met"], legal["national_met"], legal["value"], strict=True)
    ]
    lm = metrics.registry()["legal_assessments"]
    blocks.append(
        Block(
            "svg",
            svg=bar_chart(
                legal_items,
                title=lm.title[lang],
                desc=lm.definition[lang],
                lang=lang,
                uid="legal",
                color="#009E73",
            ),
        )
    )
    acc = d["acceptance_by_provider"]
    names = provider_labels(list(acc["provider_key"]), lang, provider_names)
    blocks.append(
        Block(
            "table",
            header=[t("provider"), t("acceptance")],
            rows=[
                (names[k], _rate(v, "number", lang))
                for k, v in zip(acc["provider_key"], acc["value"], strict=True)
            ],
        )
    )
    step("process")
    blocks.append(Block("h2", t("stats")))
    for heading, result in (
        (t("org_data"), stats.organisation_association(wh, filters)),
        (t("public_data"), stats.public_association()),
    ):
        blocks.append(Block("p", f"<b>{escape(heading)}.</b> {escape(result.message[lang])}"))
        if result.status == "ok" and result.spearman and result.regression:
            s, r = result.spearman, result.regression
            blocks.append(
                Block(
                    "table",
                    header=[t("statistic"), t("value")],
                    rows=[
                        (
                            "Spearman rho",
                            f"{_dec(s.rho, lang)} [{_dec(s.ci_low, lang)}; {_dec(s.ci_high, lang)}],"
                            f" p = {_dec(s.p_value, lang)}",
                        ),
                        (
                            f"{t('irr')} ({TEXT['families'].get(r.family, {}).get(lang, r.family)})",
                            f"{_dec(r.irr, lang)} [{_dec(r.ci_low, lang)}; {_dec(r.ci_high, lang)}],"
                            f" p = {_dec(r.p_value, lang)}",
                        ),
                        (t("dispersion"), _dec(r.dispersion, lang, 2)),
                        (t("n_provinces"), str(result.n_provinces)),
                        (t("caveats"), "; ".join(_caveat(c, lang) for c in result.caveats)),
                        (t("method"), TEXT["method_line"][lang]),
                    ],
                )
            )
    step("stats")
    blocks.append(Block("h2", t("ctdc")))
    compare = metrics.compute(wh, "ctdc_compare_means", filters=dict((filters or {}).items()))
    if compare.attrs.get("ctdc_layout"):
        for metric_id, kind in (
            ("ctdc_compare_exploitation", "exploitation_groups"),
            ("ctdc_compare_means", "means_groups"),
            ("ctdc_compare_age_band", "age_band"),
        ):
            frame = metrics.compute(wh, metric_id, filters=filters)
            suppressed += int(frame["org_suppressed"].sum() + frame["ctdc_suppressed"].sum())
            blocks.append(
                Block(
                    "p",
                    f"<b>{escape(metrics.registry()[metric_id].title[lang])}</b> (CTDC {frame.attrs['ctdc_layout']})",
                )
            )
            blocks.append(
                Block(
                    "table",
                    header=[t("category"), t("org_pct"), t("ctdc_pct")],
                    rows=[
                        (label(kind, c, lang), fmt(o, "number", lang), fmt(x, "number", lang))
                        for c, o, x in zip(
                            frame["category"], frame["org_value"], frame["ctdc_value"], strict=True
                        )
                    ],
                )
            )
    else:
        blocks.append(Block("p", t("ctdc_none")))
    step("ctdc")
    section = outcomes.reintegration_outcomes(wh, filters, lang=lang)
    suppressed += section.suppressed
    blocks += _outcome_blocks(section, lang)
    step("reintegration")
    blocks.append(Block("h2", t("methods")))
    blocks += [Block("p", escape(text)) for text in METHODS[lang]]
    note = TEXT["notes"]["suppressed"][lang].format(n=suppressed)
    blocks.append(Block("p", note))
    blocks.append(Block("h2", t("sources")))
    blocks += [Block("p", escape(s)) for s in SOURCES]
    return Report(lang=lang, blocks=blocks, suppressed_cells=suppressed)


def _outcome_blocks(section: outcomes.Outcomes, lang: str) -> list[Block]:
    """The reintegration outcomes section: figures, trajectories, cohort rates, the caveat."""
    text = outcomes.TEXT
    out = [Block("h2", text["heading"][lang])]
    if not section.recorded:
        return [*out, Block("p", escape(text["none"][lang]))]
    out += [Block("p", escape(text["intro"][lang])), Block("kpis", rows=list(section.figures))]
    for cut in section.cuts:
        out.append(Block("p", f"<b>{escape(cut.title)}</b>. {escape(cut.definition)}"))
        out.append(Block("table", header=list(cut.header), rows=list(cut.rows)))
    out.append(Block("p", f"<b>{escape(T['caveats'][lang])}.</b> {escape(section.caveat)}"))
    return out


@cache
def _population_rows() -> list[dict[str, str]]:
    return read_data_csv("bps_population_by_province_2024.csv")


def write_report(
    warehouse: str | Path | Warehouse,
    out: str | Path,
    *,
    lang: str = "id",
    filters: Mapping[str, Any] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write the report to ``out``: ``.html`` or ``.pdf`` by suffix."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise LenteraError(
            "bad_output", f"report output {path}: use a .html or .pdf file name", field="out"
        )
    report = build_report(warehouse, lang=lang, filters=filters, progress=progress)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".pdf":
        path.write_bytes(render_pdf(report))
    else:
        path.write_text(render_html(report), encoding="utf-8")
    return path
