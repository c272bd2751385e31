"""CTDC import: both layouts validated against their dictionaries; comparison metrics."""

# ruff: noqa: S608 - test SQL over fixed table names

from __future__ import annotations

from pathlib import Path

import pytest
from _analytics_fixture import fixture_snapshot

from lentera.analytics import metrics
from lentera.analytics.ctdc import CtdcError, import_ctdc, parse_ctdc
from lentera.analytics.warehouse import Warehouse, build_warehouse

FIX = Path(__file__).parent / "fixtures"


@pytest.fixture
def wh_path(tmp_path):
    return build_warehouse(fixture_snapshot(), tmp_path / "wh.duckdb")


def text(layout: str) -> str:
    return (FIX / f"ctdc_{layout}_synthetic.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("layout", ["2017", "2024"])
def test_good_files_import_and_reimport_replaces(wh_path, layout):
    result = import_ctdc(wh_path, FIX / f"ctdc_{layout}_synthetic.csv", layout)
    assert result.rows == 30
    import_ctdc(wh_path, FIX / f"ctdc_{layout}_synthetic.csv", layout)
    with Warehouse(wh_path) as wh:
        assert wh.df(f"SELECT count(*) AS n FROM ctdc_{layout}")["n"][0] == 30
        bands = set(
            wh.df(
                f'SELECT DISTINCT "ageBroad" AS b FROM ctdc_{layout} WHERE "ageBroad" IS NOT NULL'
            )["b"]
        )
    assert bands <= {"0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+"}


def test_ctdc_rows_survive_a_rebuild(wh_path):
    import_ctdc(wh_path, FIX / "ctdc_2024_synthetic.csv", "2024")
    build_warehouse(fixture_snapshot(), wh_path)
    with Warehouse(wh_path) as wh:
        assert wh.df("SELECT count(*) AS n FROM ctdc_2024")["n"][0] == 30


def test_wrong_header_is_named():
    bad = text("2024").replace("meansThreats", "meansThreat", 1)
    with pytest.raises(CtdcError) as err:
        parse_ctdc(bad, "2024")
    assert "row 1 column meansThreat: not a variable" in err.value.errors[0]
    assert any("meansThreats: missing" in e for e in err.value.errors)
    with pytest.raises(CtdcError, match="row 1 column"):
        parse_ctdc(text("2017"), "2024")  # a 2017 file read as 2024


def test_alias_header_of_the_codebook_is_accepted():
    rows = parse_ctdc(
        text("2024").replace("meansWithholdDocs", "meansWithholdDocuments", 1), "2024"
    )
    assert len(rows) == 30


def _set_cell(csv_text: str, row: int, column: str, value: str) -> str:
    lines = csv_text.splitlines()
    header = lines[0].split(",")
    cells = lines[row - 1].split(",")
    cells[header.index(column)] = value
    lines[row - 1] = ",".join(cells)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("layout", "column", "value", "message"),
    [
        ("2024", "gender", "Female", "row 3 column gender: 'Female' is not one of"),
        (
            "2024",
            "yearOfRegistration",
            "2023",
            "row 3 column yearOfRegistration: '2023' is not a year",
        ),
        ("2024", "citizenship", "ID", "row 3 column citizenship: 'ID' is not an ISO 3166 alpha-3"),
        ("2024", "isForcedLabour", "0", "row 3 column isForcedLabour: '0' is not 1 or empty"),
        ("2017", "yearOfRegistration", "17", "row 3 column yearOfRegistration: '17' is not a year"),
        ("2017", "majorityStatus", "Child", "row 3 column majorityStatus: 'Child' is not one of"),
        ("2017", "citizenship", "XQ", "row 3 column citizenship: 'XQ' is not a country code"),
        (
            "2017",
            "meansOfControlThreats",
            "2",
            "row 3 column meansOfControlThreats: '2' is not 0, 1 or -99",
        ),
        ("2017", "ageBroad", "18--25", "row 3 column ageBroad: '18--25' is not an age range"),
    ],
)
def test_bad_values_are_named(layout, column, value, message):
    with pytest.raises(CtdcError) as err:
        parse_ctdc(_set_cell(text(layout), 3, column, value), layout)
    assert err.value.errors[0].startswith(message)


def test_a_bad_file_imports_nothing(wh_path, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(_set_cell(text("2024"), 20, "gender", "X"), encoding="utf-8")
    with pytest.raises(CtdcError, match="row 20"):
        import_ctdc(wh_path, bad, "2024")
    with Warehouse(wh_path) as wh:
        assert wh.df("SELECT count(*) AS n FROM ctdc_2024")["n"][0] == 0


def test_comparison_metrics(wh_path):
    with Warehouse(wh_path) as wh:
        empty = metrics.compute(wh, "ctdc_compare_exploitation")
        assert empty.attrs["ctdc_layout"] is None and empty["ctdc_value"].isna().all()
    import_ctdc(wh_path, FIX / "ctdc_2024_synthetic.csv", "2024")
    with Warehouse(wh_path) as wh:
        raw = metrics.compute_raw_unsuppressed(wh, "ctdc_compare_exploitation")
        org = dict(zip(raw["category"], raw["org_count"], strict=True))
        assert org == {"forced_labour": 13, "sexual_exploitation": 2, "other": 0}
        assert set(raw["org_base"]) == {15}
        ctdc = wh.df(
            'SELECT count(*) FILTER (WHERE "isForcedLabour" = 1) AS fl, count(*) FILTER (WHERE "isForcedLabour" = 1 OR "isSexualExploit" = 1 OR "isOtherExploit" = 1) AS base FROM ctdc_2024'
        )
        assert raw["ctdc_count"][0] == ctdc["fl"][0] and raw["ctdc_base"][0] == ctdc["base"][0]
        shown = metrics.compute(wh, "ctdc_compare_exploitation")
        assert shown["org_value"][0] == "x" and shown["org_value"][1] == "<5"  # 13 hidden beside 2
        ages = metrics.compute(wh, "ctdc_compare_age_band", filters={"ctdc_citizenship": "ID"})
        assert list(ages["category"])[:2] == ["0-8", "9-17"]
