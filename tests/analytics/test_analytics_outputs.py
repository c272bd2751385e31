"""Every display path is suppressed: dashboard, charts, map, report (HTML), Parquet aggregates.

A property test over random small SYNTHETIC snapshots (few cases, so many small cells).
"""

# ruff: noqa: S314 - the XML parsed here is SVG the engine itself just produced

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from lentera.analytics import charts, maps, metrics
from lentera.analytics.export import export_parquet
from lentera.analytics.report import build_report, render_html
from lentera.analytics.suppress import is_suppressed
from lentera.analytics.synthetic import synthetic_snapshot
from lentera.analytics.warehouse import Warehouse, build_warehouse

SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"^\d{1,3}([.,]\d{3})*$")


def small(text: str) -> bool:
    """A displayed integer label from 1 to 4."""
    text = text.strip()
    return bool(NUMBER.match(text)) and 1 <= int(re.sub(r"[.,]", "", text)) <= 4


def value_labels(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [el.text or "" for el in root.iter(f"{SVG}text") if el.get("class") == "v"]


def check_frame(frame) -> None:
    for v in frame["value"]:
        assert is_suppressed(v) or v is None or not (isinstance(v, int) and 1 <= v <= 4)


@settings(
    max_examples=3,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: each example builds a warehouse
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(n_cases=st.integers(3, 40), seed=st.integers(0, 10_000))
def test_nothing_from_one_to_four_is_displayed(tmp_path_factory, n_cases, seed):
    root = tmp_path_factory.mktemp("p")
    path = build_warehouse(synthetic_snapshot(n_cases, seed=seed), root / "wh.duckdb")
    with Warehouse(path) as wh:
        board = metrics.dashboard(wh)
        for key, frame in board.items():
            if (
                metrics.registry()[
                    {i["key"]: i["metric"] for i in metrics._raw()["dashboard"]}[key]
                ].unit
                == "count"
            ):
                check_frame(frame)
        svg = charts.bar_chart(
            list(
                zip(
                    board["survivors_by_sex"]["sex"],
                    board["survivors_by_sex"]["value"],
                    strict=True,
                )
            ),
            title="t",
            desc="d",
        )
        assert not any(small(t) for t in value_labels(svg))
        line = charts.line_chart(
            list(
                zip(board["cases_by_month"]["month"], board["cases_by_month"]["value"], strict=True)
            ),
            title="t",
            desc="d",
        )
        assert not any(small(t) for t in value_labels(line))
        for v in maps.survivor_values(wh).values():
            assert is_suppressed(v) or not 1 <= v <= 4
        tips = [el.text or "" for el in ET.fromstring(maps.survivor_map(wh)).iter(f"{SVG}title")]
        assert not any(small(t.rsplit(":", 1)[-1]) for t in tips if ":" in t)
        report = build_report(wh, lang="en")
        html = render_html(report)
        for block in report.blocks:
            if block.kind == "kpis":
                assert not any(small(v) for _, v in block.rows)
            if block.kind == "svg":
                assert not any(small(t) for t in value_labels(block.svg))
            if block.kind == "table" and block.header and block.header[1] == "Survivors":
                assert not any(small(row[1]) for row in block.rows)
        assert "<script" not in html
        export_parquet(wh, root / "export")
    for file in (root / "export" / "aggregates").glob("*.parquet"):
        metric_id = file.stem.split("__")[0]
        if metrics.registry()[metric_id].unit != "count":
            continue
        for v in pq.read_table(file).column("value").to_pylist():
            assert v not in {"1", "2", "3", "4"}


def test_charts_refuse_unsuppressed_counts():
    with pytest.raises(ValueError, match="suppress"):
        charts.bar_chart([("a", 3)], title="t", desc="d")
    with pytest.raises(ValueError, match="suppress"):
        charts.line_chart([("2024-01", 2)], title="t", desc="d")
    with pytest.raises(ValueError, match="suppress"):
        maps.choropleth({"35": 2}, title="t", desc="d", legend_title="l")
    charts.bar_chart([("a", 3.5)], title="t", desc="d", unit="percent")  # rates are fine


def test_svg_is_accessible_and_scalable():
    svg = charts.bar_chart(
        [("Perempuan", 12), ("Laki-laki", "<5")], title="Korban", desc="Menurut jenis kelamin"
    )
    root = ET.fromstring(svg)
    assert root.get("viewBox") and root.get("width") == "100%"
    assert root.find(f"{SVG}title").text == "Korban"
    assert root.find(f"{SVG}desc").text == "Menurut jenis kelamin"
    assert value_labels(svg) == ["12", "<5"]
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_map_joins_all_38_provinces():
    from lentera import reference

    assert maps.joined_provinces() == set(reference.provinces())
    assert len(reference.provinces()) == 38
    svg = maps.poverty_map(2024, lang="en")
    codes = {el.get("data-bps") for el in ET.fromstring(svg).iter(f"{SVG}path")}
    assert codes == set(reference.provinces())
    # the Papua provinces, whose GeoJSON KODE_PROV is not BPS, get their own shapes
    paths = maps.province_paths()
    assert len({paths[c] for c in ("91", "92", "94", "95", "96", "97")}) == 6


def test_regency_map_joins_507_of_514_regencies_and_stays_small():
    """The regency geometry (data/SOURCES.md) is keyed by BPS code; seven small cities have no
    shape upstream and are left to the page's tables; the shipped file stays under 1.5 MB."""
    from lentera import reference
    from lentera.analytics.warehouse import data_text

    paths = maps.regency_paths()
    assert set(paths) <= set(reference.regencies())
    assert len(paths) == 507 and len(reference.regencies()) == 514
    assert set(reference.regencies()) - set(paths) == {
        "1271", "1274", "1374", "1375", "3101", "3371", "3576",
    }  # fmt: skip
    # the 2022 Papua provinces' regencies (matched by name) have shapes of their own
    assert {"9201", "9501", "9601", "9701"} <= set(paths)
    assert len(data_text("indonesia_regencies.geo.json").encode()) < 1_500_000
    svg = maps.choropleth(
        {"5302": 12, "3201": "<5", "3202": 0},
        title="t", desc="d", legend_title="l", level="regency", province_values={"35": 7},
    )  # fmt: skip
    root = ET.fromstring(svg)
    paths = {el.get("data-bps"): el for el in root.iter(f"{SVG}path") if el.get("data-bps")}
    assert len(paths) == 507 + 38
    assert paths["5302"].get("fill") in maps.BLUES
    assert paths["3201"].get("fill") == maps.SUPPRESSED_FILL
    # a regency without a value is transparent: its province (the fallback) shows through
    for code in ("3202", "3203", "3501"):
        assert paths[code].get("fill-opacity") == "0", code
    assert paths["35"].get("fill") in maps.BLUES and paths["35"].get("fill-opacity") == "0.55"
    assert paths["32"].get("fill") == maps.NODATA_FILL
    with pytest.raises(ValueError):
        maps.choropleth({"5302": 3}, title="t", desc="d", legend_title="l", level="regency")
    with pytest.raises(ValueError):
        maps.choropleth(
            {}, title="t", desc="d", legend_title="l", level="regency", province_values={"35": 2}
        )


def test_report_wording_providers_rates_and_method(tmp_path) -> None:
    """No provider as a hash, a rate on a "<5" base shown as suppressed, comma decimals and no
    code keys in the Indonesian report, the method line in both languages."""
    from lentera.analytics.report import _rate, provider_labels

    keys = ["pb01d7df7afe1fd77cbf3de0d", "p00aa", "pffff"]
    labels = provider_labels(keys, "id")
    assert [labels[k] for k in keys] == ["Penyedia B", "Penyedia A", "Penyedia C"]
    assert provider_labels(keys, "en", {"p00aa": "Rumah Aman"})["p00aa"] == "Rumah Aman"
    assert _rate("<5", "number", "id") == "ditekan (jumlah dasar di bawah 5)"
    assert _rate("x", "days", "en") == "suppressed (base below 5)"
    assert _rate(87.5, "number", "id") == "87,5"
    path = build_warehouse(synthetic_snapshot(300, seed=7), tmp_path / "wh.duckdb")
    with Warehouse(path) as wh:
        for lang, method in (("id", "korelasi Spearman"), ("en", "spearman(poverty_pct")):
            report = build_report(wh, lang=lang)
            html = render_html(report)
            assert method in html
            assert "lentera analytics import-ctdc" not in html
            assert "negative_binomial" not in html and "organisation_catchment" not in html
            assert not re.search(r"\bprov\d+\b", html)  # the synthetic providers' keys
            tables = [b for b in report.blocks if b.kind == "table"]
            providers = next(b for b in tables if b.header[0] in {"Penyedia", "Provider"})
            assert all(re.fullmatch(r"(Penyedia|Provider) [A-Z]+", r[0]) for r in providers.rows)
            assert all(
                not re.fullmatch(r"<5|x", r[1]) for r in providers.rows
            )  # a rate is never shown as the count marker


def test_charts_carry_no_inline_style_and_keep_the_first_letter() -> None:
    """The app's CSP (style-src 'self') refuses inline ``style``; a bar label is given room
    for its first letter ("Myanmar (Burma)", not "yanmar (Burma)")."""
    svg = charts.bar_chart(
        [("Myanmar (Burma)", 40), ("Pekerja rumah tangga (pekerja rumah)", 30)],
        title="t", desc="d",
    )  # fmt: skip
    assert "style=" not in svg and "style=" not in maps.poverty_map(lang="id")
    label_w = 16 + 8 * charts.LABEL_CHARS
    assert f'x="{label_w - 6}"' in svg and "Pekerja rumah tangga (p…" in svg
