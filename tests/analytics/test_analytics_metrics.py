"""Metrics against hand-computed expectations on the small fixture snapshot (see its docstring)."""

from __future__ import annotations

import datetime as dt

import pytest
from _analytics_fixture import fixture_snapshot

from lentera.analytics import metrics
from lentera.analytics.warehouse import Warehouse, build_warehouse
from lentera.errors import LenteraError


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    path = build_warehouse(fixture_snapshot(), tmp_path_factory.mktemp("m") / "wh.duckdb")
    with Warehouse(path) as w:
        yield w


def rows(frame, *cols):
    return {
        tuple(r[c] for c in cols[:-1]) if len(cols) > 2 else r[cols[0]]: r[cols[-1]]
        for r in frame.to_dict("records")
    }


def test_raw_counts_match_hand_computation(wh):
    raw = metrics.compute_raw_unsuppressed(wh, "survivors", ["origin_province"])
    assert rows(raw, "origin_province", "value") == {"35": 6, "52": 2, "53": 7}
    assert metrics.compute_raw_unsuppressed(wh, "cases")["value"][0] == 4
    assert metrics.compute_raw_unsuppressed(wh, "survivors")["value"][0] == 15
    month = metrics.compute_raw_unsuppressed(wh, "cases", ["month"])
    assert list(month["value"]) == [2, 1, 1]


def test_primary_and_secondary_suppression_by_province(wh):
    out = metrics.compute(wh, "survivors", ["origin_province"])
    # NTB 2 is <5; Jawa Timur (6) is the next smallest and is hidden as x; NTT 7 is shown
    assert rows(out, "origin_province", "value") == {"35": "x", "52": "<5", "53": 7}


def test_two_cells_sex_table_hides_both(wh):
    out = metrics.compute(wh, "survivors", ["sex"])
    assert rows(out, "sex", "value") == {"female": "x", "male": "<5"}


def test_multi_valued_exploitation_types(wh):
    raw = metrics.compute_raw_unsuppressed(wh, "survivors_by_exploitation", ["exploitation_type"])
    assert rows(raw, "exploitation_type", "value") == {
        "forced_labour": 13,
        "servitude": 7,
        "sexual_exploitation": 2,
    }


def test_filters(wh):
    f = {"province": ["35", "53"], "sex": "female"}
    assert metrics.compute(wh, "survivors", filters=f)["value"][0] == 13
    assert (
        metrics.compute(wh, "survivors", filters={"exploitation_type": "servitude"})["value"][0]
        == 7
    )
    assert (
        metrics.compute(
            wh, "survivors", filters={"period_from": "2024-02", "period_to": dt.date(2024, 3, 31)}
        )["value"][0]
        == 7
    )
    assert (
        metrics.compute(wh, "survivors", filters={"age_band": "18-20", "org_code": "A"})["value"][0]
        == 6
    )
    assert metrics.compute(wh, "cases", filters={"org_code": "B"})["value"][0] == "<5"


def test_screening_and_legal(wh):
    out = metrics.compute(wh, "screenings", ["screening_outcome"])
    assert rows(out, "screening_outcome", "value") == {"not_indicated": 5, "trafficked": 10}
    legal = metrics.compute_raw_unsuppressed(
        wh, "legal_assessments", ["palermo_met", "national_met"]
    )
    assert rows(legal, "palermo_met", "national_met", "value") == {
        ("yes", "no"): 3,
        ("yes", "yes"): 5,
    }
    assert metrics.compute(wh, "legal_gaps")["value"][0] == "<5"


def test_referral_kpis(wh):
    rate = metrics.compute(wh, "referral_acceptance_rate", ["provider_key"])
    # P1: 8 accepted of 13 decided = 61.5 %; P2: 3 of 3 -> suppressed (counts below 5)
    assert rows(rate, "provider_key", "value") == {"P1": 61.5, "P2": "<5"}
    median = metrics.compute(wh, "referral_median_days_to_accept")
    assert median["value"][0] == 3.0  # days 1..8 and 2, 2, 2
    assert metrics.compute(wh, "referrals_open")["value"][0] == 17  # 6 sent + 11 accepted
    assert metrics.compute(wh, "referrals_overdue")["value"][0] == "<5"
    p2 = metrics.compute(wh, "referral_median_days_to_accept", ["provider_key"])
    assert rows(p2, "provider_key", "value") == {"P1": 4.5, "P2": "<5"}


def test_months_come_back_as_dates(wh):
    out = metrics.compute(wh, "survivors", ["month"])
    assert list(out["month"]) == [dt.date(2024, 1, 1), dt.date(2024, 2, 1)]


def test_unknown_metric_dimension_and_filter_are_errors(wh):
    with pytest.raises(LenteraError, match="unknown metric"):
        metrics.compute(wh, "nope")
    with pytest.raises(LenteraError, match="cannot be cut by"):
        metrics.compute(wh, "referrals", ["means_of_control"])
    with pytest.raises(LenteraError, match="unknown filter"):
        metrics.compute(wh, "survivors", filters={"name": "x"})
    with pytest.raises(LenteraError, match="YYYY-MM"):
        metrics.compute(wh, "survivors", filters={"period_from": "soon"})


def test_registry_is_complete_and_bilingual():
    reg = metrics.registry()
    for metric in reg.values():
        assert metric.title["id"] and metric.title["en"]
        assert metric.definition["id"] and metric.definition["en"]
        assert metric.unit in {"count", "percent", "days", "months", "score", "rupiah"}
        assert metric.kind in {"count", "rate", "median", "mean", "sum", "compare"}
        # rupiah amounts always carry the dominance rule (a sum, or a mean with its top)
        assert (metric.unit == "rupiah") == (metric.kind == "sum" or bool(metric.top))
    for needed in (
        "cases",
        "survivors",
        "survivors_by_exploitation",
        "survivors_by_means",
        "screenings",
        "legal_assessments",
        "legal_gaps",
        "referrals_open",
        "referrals_overdue",
        "referral_acceptance_rate",
        "referral_median_days_to_accept",
        "ctdc_compare_means",
    ):
        assert needed in reg


def test_dashboard_equals_compute(wh):
    board = metrics.dashboard(wh)
    assert board["total_survivors"]["value"][0] == 15
    assert rows(board["survivors_by_province"], "origin_province", "value") == {
        "35": "x",
        "52": "<5",
        "53": 7,
    }
    for key, sql, params in metrics.dashboard_queries():
        assert key in board
        assert "?" not in sql or params


@pytest.mark.parametrize(
    ("metric_id", "by", "slow"),
    [
        ("cases", [], "count(DISTINCT case_key)"),
        ("cases", ["month"], "count(DISTINCT case_key)"),
        ("cases", ["org_code", "case_status"], "count(DISTINCT case_key)"),
        ("survivors_by_exploitation", ["exploitation_type"], "count(DISTINCT survivor_key)"),
        ("survivors_by_means", ["means_of_control", "sex"], "count(DISTINCT survivor_key)"),
    ],
)
def test_registry_shortcuts_equal_the_definition(tmp_path_factory, metric_id, by, slow):
    """The cheaper aggregates the registry declares give exactly the defined numbers."""
    from lentera.analytics.synthetic import synthetic_snapshot

    path = tmp_path_factory.getbasetemp() / "shortcut.duckdb"
    if not path.exists():
        build_warehouse(synthetic_snapshot(400, seed=9), path)
    with Warehouse(path) as wh:
        sql, params = metrics.metric_sql(metric_id, by)
        assert slow not in sql  # the shortcut is used
        metric = metrics.registry()[metric_id]
        reference_sql = sql.replace(metrics._value_expr(metric, by, None), slow)
        assert (
            wh.con.execute(sql, params).fetchall()
            == wh.con.execute(reference_sql, params).fetchall()
        )
