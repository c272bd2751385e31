"""The warehouse: reference tables, idempotent and atomic rebuilds, Parquet export."""

from __future__ import annotations

import os

import pyarrow.parquet as pq
import pytest
from _analytics_fixture import fixture_snapshot

from _warehouse import content
from lentera.analytics.export import export_parquet
from lentera.analytics.synthetic import synthetic_snapshot
from lentera.analytics.warehouse import TABLES, Warehouse, build_warehouse


def test_rebuild_from_the_same_snapshot_gives_the_same_content(tmp_path):
    snap = synthetic_snapshot(200, seed=3)
    a = build_warehouse(snap, tmp_path / "a.duckdb")
    first = content(a, any_order=False)
    build_warehouse(snap, a)  # rebuild in place
    b = build_warehouse(snap, tmp_path / "b.duckdb")
    assert content(a, any_order=False) == first == content(b, any_order=False)
    with Warehouse(a) as wh:
        assert wh.meta()["rows_survivors"] == str(snap["survivors"].num_rows)
        assert wh.meta()["content_digest"]


def test_rebuild_replaces_atomically_and_cleans_up(tmp_path, monkeypatch):
    target = build_warehouse(fixture_snapshot(), tmp_path / "wh.duckdb")
    before = content(target, any_order=False)
    from lentera.analytics import warehouse

    def boom(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(warehouse, "_facts", boom)
    with pytest.raises(RuntimeError):
        build_warehouse(synthetic_snapshot(50), target)
    assert content(target, any_order=False) == before  # the old file is untouched
    assert [p.name for p in tmp_path.iterdir()] == ["wh.duckdb"]  # no temp file left


def test_reference_tables(tmp_path):
    path = build_warehouse(fixture_snapshot(), tmp_path / "wh.duckdb")
    with Warehouse(path) as wh:
        assert wh.df("SELECT count(*) AS n FROM ref_provinces")["n"][0] == 38
        assert wh.df("SELECT count(*) AS n FROM ref_regencies")["n"][0] == 514
        # every province has a poverty figure for 2024 and a geometry crosswalk row
        joined = wh.df(
            "SELECT count(*) AS n FROM ref_provinces p JOIN ref_poverty v ON v.bps_province_code = p.bps_code AND v.year = 2024 "
            "JOIN ref_geo_crosswalk g ON g.bps_province_code = p.bps_code"
        )
        assert joined["n"][0] == 38
        pop = wh.df("SELECT count(population_thousands) AS n, count(*) AS m FROM ref_population")
        assert (pop["n"][0], pop["m"][0]) == (33, 38)  # five new Papua provinces not obtained
        assert (
            wh.df(
                "SELECT value FROM pub_tppo_victims WHERE province_name LIKE 'INDONESIA%' AND metric = 'victims_assisted'"
            )["value"][0]
            == 397
        )
        assert set(TABLES) <= set(wh.tables())


def test_parquet_export_has_every_table_and_suppressed_aggregates(tmp_path):
    path = build_warehouse(fixture_snapshot(), tmp_path / "wh.duckdb")
    with Warehouse(path) as wh:
        counts = export_parquet(wh, tmp_path / "out")
        tables = set(wh.tables())
    assert {p.stem for p in (tmp_path / "out" / "tables").glob("*.parquet")} == tables
    assert counts["aggregates"] == len(list((tmp_path / "out" / "aggregates").glob("*.parquet")))
    prov = pq.read_table(
        tmp_path / "out" / "aggregates" / "survivors__origin_province.parquet"
    ).to_pylist()
    assert {r["origin_province"]: r["value"] for r in prov} == {"35": "x", "52": "<5", "53": "7"}


def test_missing_warehouse_is_a_clear_error(tmp_path):
    from lentera.errors import LenteraError

    with pytest.raises(LenteraError, match="analytics build"):
        Warehouse(tmp_path / "none.duckdb").con  # noqa: B018 - opening is the point
    assert not os.path.exists(tmp_path / "none.duckdb")
